//! Opens the HTML report of the demo run in a real browser (headless Chromium).
//!
//! The unit tests in `report_html` check the markup as text; only a browser can tell that the page
//! parses, renders offline and logs no console error. Chromium is not part of the build, so the
//! test is ignored by default. Set `REGCLEAN_SCREENSHOT=/path/shot.png` to keep a screenshot.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

/// A headless Chromium that stays offline and quiet, logging console messages to stderr.
fn chromium(tmp: &Path) -> Command {
    let mut cmd = Command::new(CHROMIUM);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", tmp.join("profile").display()));
    cmd
}

/// Runs a command to completion, killing it if it hangs (a stuck browser must not hang the suite).
fn run_with_deadline(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    // Drain the pipes on threads so a chatty child cannot block on a full pipe.
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).map(|_| buf)
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut buf).map(|_| buf)
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for child") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    Output {
        status,
        stdout: out.join().expect("stdout reader").expect("read stdout"),
        stderr: err.join().expect("stderr reader").expect("read stderr"),
    }
}

#[test]
#[ignore = "needs chromium: cargo test --release --test browser -- --ignored"]
fn demo_report_renders_in_chromium_without_console_errors() {
    let tmp: PathBuf = std::env::temp_dir().join(format!("regclean-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).expect("create temp dir");

    let run = Command::new(env!("CARGO_BIN_EXE_regclean"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "fixtures/demo/hubspot_contacts.csv", "fixtures/demo/nettbutikk_kunder.csv", "--out"])
        .arg(&tmp)
        .args(["--as-of", "2025-06-30", "--rules", "rules"])
        .output()
        .expect("run regclean");
    assert!(run.status.success(), "regclean failed: {}", String::from_utf8_lossy(&run.stderr));

    // Render the page from report.json here, so the test does not depend on whether the pipeline
    // writes report.html itself (it overwrites that file with the same bytes if it does).
    let json = std::fs::read_to_string(tmp.join("report.json")).expect("read report.json");
    let report: serde_json::Value = serde_json::from_str(&json).expect("parse report.json");
    let html = regclean::report_html::render(&report);
    let page = tmp.join("report.html");
    std::fs::write(&page, &html).expect("write report.html");
    let url = format!("file://{}", page.display());

    let mut dump = chromium(&tmp);
    dump.arg("--dump-dom").arg(&url);
    let dumped = run_with_deadline(dump, Duration::from_secs(120));
    let dom = String::from_utf8_lossy(&dumped.stdout);
    let log = String::from_utf8_lossy(&dumped.stderr);
    assert!(dumped.status.success(), "chromium failed ({}):\n{log}", dumped.status);

    let rows_read = report["reconciliation"]["rows_read"].as_u64().expect("rows_read in report.json");
    assert!(dom.contains(&rows_read.to_string()), "rows read ({rows_read}) not in the rendered page");
    assert!(dom.contains("golden"), "\"golden\" not in the rendered page");
    assert!(dom.contains("<svg"), "no SVG in the rendered page");
    // The page has no script, so any console message is a fault: a CSP refusal, a parse error.
    // Chromium logs even uncaught exceptions and console.error at INFO level (`INFO:CONSOLE:1`),
    // so match every console line, not only `ERROR:CONSOLE`.
    let console_errors: Vec<&str> =
        log.lines().filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught") || l.contains("Refused to")).collect();
    assert!(console_errors.is_empty(), "console errors:\n{}", console_errors.join("\n"));

    if let Some(target) = std::env::var_os("REGCLEAN_SCREENSHOT") {
        let shot = tmp.join("shot.png");
        let mut screenshot = chromium(&tmp);
        screenshot.arg(format!("--screenshot={}", shot.display())).arg("--window-size=1200,3000").arg(&url);
        let taken = run_with_deadline(screenshot, Duration::from_secs(120));
        assert!(taken.status.success(), "screenshot failed: {}", String::from_utf8_lossy(&taken.stderr));
        std::fs::copy(&shot, &target).expect("copy screenshot");
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

/// The demo page at a width, with a probe that writes into the title the first element that
/// sticks out of the page or SVG text cut off by its drawing's edge:
/// the report itself runs no script (its Content-Security-Policy forbids it), so the probe runs
/// on a copy without that policy.
fn overflow_at(tmp: &Path, html: &str, width: u32) -> String {
    let probe = "<script>addEventListener('load',()=>{document.querySelectorAll('details').forEach(x=>x.open=true);const d=document.documentElement;\
        let worst='';for(const e of document.querySelectorAll('body *')){const r=e.getBoundingClientRect();\
        if(r.right>d.clientWidth+1){worst=e.tagName+' '+(e.id||e.className||'')+' '+Math.round(r.right);break;}}\
        if(!worst){for(const t of document.querySelectorAll('svg text')){        const s=t.ownerSVGElement.getBoundingClientRect(),r=t.getBoundingClientRect();        if(r.right>s.right+1||r.left<s.left-1||r.top<s.top-1||r.bottom>s.bottom+1){worst='clipped text '+t.textContent;break;}}}        document.title='overflow:'+(d.scrollWidth>d.clientWidth?d.scrollWidth+'>'+d.clientWidth:'none')+' '+worst;});</script>";
    let without_csp: String = html
        .lines()
        .filter(|l| !l.contains("Content-Security-Policy"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("</body>", &format!("{probe}</body>"));
    let page = tmp.join(format!("probe-{width}.html"));
    std::fs::write(&page, without_csp).expect("write probe page");
    let mut dump = chromium(tmp);
    dump.arg(format!("--window-size={width},1200")).arg("--dump-dom").arg(format!("file://{}", page.display()));
    let dumped = run_with_deadline(dump, Duration::from_secs(120));
    let dom = String::from_utf8_lossy(&dumped.stdout).into_owned();
    let start = dom.find("<title>").map(|i| i + 7).unwrap_or(0);
    let end = dom[start..].find("</title>").map(|i| start + i).unwrap_or(start);
    dom[start..end].to_string()
}

#[test]
#[ignore = "needs chromium: cargo test --release --test browser -- --ignored"]
fn the_report_fits_800_1400_and_1920_pixels_without_horizontal_scrolling() {
    let tmp: PathBuf = std::env::temp_dir().join(format!("regclean-browser-fit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).expect("create temp dir");
    let run = Command::new(env!("CARGO_BIN_EXE_regclean"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "fixtures/demo/hubspot_contacts.csv", "fixtures/demo/nettbutikk_kunder.csv", "--out"])
        .arg(tmp.join("out"))
        .args(["--as-of", "2025-06-30", "--rules", "rules"])
        .output()
        .expect("run regclean");
    assert!(run.status.success(), "regclean failed: {}", String::from_utf8_lossy(&run.stderr));
    let html = std::fs::read_to_string(tmp.join("out/report.html")).expect("read report.html");
    for width in [800, 1400, 1920] {
        let verdict = overflow_at(&tmp, &html, width);
        assert!(verdict.starts_with("overflow:none "), "at {width} px: {verdict}");
        assert!(verdict.trim_end() == "overflow:none", "at {width} px an element sticks out: {verdict}");
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
