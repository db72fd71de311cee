//! The Python package (python/: the engine-free core for pyarrow and Spark), tested by `cargo
//! test` like everything else: its wheel is built with maturin, installed into the Python that
//! .ci/run sets up (target/ci-python, or `REGCLEAN_PYTHON`), and its pytest suite run against
//! this build's `regclean` binary: plain pyarrow batches compared with records.csv, and Spark
//! local mode (skipped by pytest, saying why, without pyspark or Java). Without a Python that has
//! maturin, pytest and pyarrow the test says SKIP and what to install.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Says `message` past the harness's capture, so a skip is seen.
fn say(message: &str) {
    let mut tty = std::fs::OpenOptions::new().write(true).open("/dev/tty").ok();
    match tty.as_mut() {
        Some(t) => {
            let _ = std::io::Write::write_all(t, message.as_bytes());
        }
        None => eprint!("{message}"),
    }
}

/// The Python with maturin, pytest and pyarrow: `REGCLEAN_PYTHON`, or target/ci-python's.
fn python() -> Option<PathBuf> {
    std::env::var_os("REGCLEAN_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([root().join("target/ci-python/bin/python")])
        .find(|python| {
            Command::new(python)
                .args(["-c", "import maturin, pytest, pyarrow"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{what} failed:\n{text}");
    text
}

#[test]
fn the_python_package_builds_and_its_tests_pass() {
    let Some(python) = python() else {
        say("SKIP the_python_package_builds_and_its_tests_pass: no Python with maturin, pytest and pyarrow \
             (looked at $REGCLEAN_PYTHON and target/ci-python); .ci/run installs them into target/ci-python\n");
        return;
    };
    let root = root();
    // The workspace's own target directory (cargo has released it once the tests run): the
    // library and its dependencies are built already, so only the extension is compiled.
    let wheels = root.join("target/python-wheels");
    let _ = std::fs::remove_dir_all(&wheels);
    run(
        Command::new(&python)
            .args(["-m", "maturin", "build", "--release", "--locked", "--out"])
            .arg(&wheels)
            .arg("--manifest-path")
            .arg(root.join("python/Cargo.toml")),
        "maturin build",
    );
    let wheel = std::fs::read_dir(&wheels)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .expect("maturin wrote no wheel");
    run(
        Command::new(&python).args(["-m", "pip", "install", "-q", "--force-reinstall", "--no-deps"]).arg(&wheel),
        "pip install the wheel",
    );
    let tests = root.join("python/tests");
    let report = run(
        Command::new(&python)
            .args(["-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider"])
            .arg(&tests)
            .current_dir(Path::new(&tests))
            .env("REGCLEAN_BIN", env!("CARGO_BIN_EXE_regclean")),
        "pytest python/tests",
    );
    // pytest's skips (no pyspark, no Java) are shown, never passed over in silence.
    for line in report.lines().filter(|l| l.contains("SKIP")) {
        say(&format!("{line}\n"));
    }
    assert!(report.contains(" passed"), "{report}");
}
