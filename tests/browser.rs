//! Opens the HTML report of the demo run in a real browser (headless Chromium).
//!
//! The unit tests in `report_html` check the markup as text; only a browser can tell that the page
//! parses, renders offline and logs no console error, and what a reader sees on the first screen
//! at 800, 1400 and 1920 px. Chromium is not part of the build: `.ci/run` installs Debian's
//! `chromium` when it is missing (as root, with apt); where there is none, each test says SKIP
//! and what is missing on the terminal (past the test harness's capture), so a skip is never
//! mistaken for a pass. `REGCLEAN_CHROMIUM=/path` picks another binary; set
//! `REGCLEAN_SCREENSHOT=/path/shot.png` to keep a screenshot.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Where Chromium is looked for, in order, when `REGCLEAN_CHROMIUM` is not set.
const CANDIDATES: [&str; 4] =
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/snap/bin/chromium"];

/// The Chromium binary, or `None` after telling the terminal that the test is skipped and why.
fn find_chromium(test: &str) -> Option<PathBuf> {
    let found = match std::env::var_os("REGCLEAN_CHROMIUM") {
        Some(p) => Some(PathBuf::from(p)),
        None => CANDIDATES.iter().map(PathBuf::from).find(|p| p.is_file()),
    };
    match found {
        Some(p) if p.is_file() => Some(p),
        other => {
            let looked = match other {
                Some(p) => format!("REGCLEAN_CHROMIUM={}", p.display()),
                None => CANDIDATES.join(", "),
            };
            // Straight to stderr: the harness captures `eprintln!` of passing tests.
            let _ = writeln!(
                std::io::stderr(),
                "SKIP {test}: no Chromium browser (looked for {looked}); install Debian's `chromium` \
                 (`apt-get install -y chromium`, which .ci/run does as root) to run it"
            );
            None
        }
    }
}

/// A headless Chromium that stays offline and quiet, logging console messages to stderr.
fn chromium(binary: &Path, tmp: &Path) -> Command {
    let mut cmd = Command::new(binary);
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
fn demo_report_renders_in_chromium_without_console_errors() {
    let Some(browser) = find_chromium("demo_report_renders_in_chromium_without_console_errors") else { return };
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

    let mut dump = chromium(&browser, &tmp);
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
        let mut screenshot = chromium(&browser, &tmp);
        screenshot.arg(format!("--screenshot={}", shot.display())).arg("--window-size=1200,3000").arg(&url);
        let taken = run_with_deadline(screenshot, Duration::from_secs(120));
        assert!(taken.status.success(), "screenshot failed: {}", String::from_utf8_lossy(&taken.stderr));
        std::fs::copy(&shot, &target).expect("copy screenshot");
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

/// What the probe saw on the demo page at one width.
#[derive(Debug)]
struct Seen {
    /// Top of the "At a glance" cards before anything is opened, in px from the page's top.
    cards_top: Option<f64>,
    /// `none`, or the page's scroll width against its client width.
    scroll: String,
    /// The first element that sticks out of the page, SVG text cut off by its drawing's edge,
    /// or a label cut off by its box; empty when there is none.
    sticks_out: String,
    /// The first segment name broken inside a word; empty when there is none.
    mid_word: String,
}

/// The demo page at a width, with a probe that writes what it measured into the title. The
/// report itself runs no script (its Content-Security-Policy forbids it), so the probe runs on a
/// copy without that policy. It measures the cards first, then opens every `<details>` and
/// looks for anything wider than the page, SVG text cut off by its drawing's edge, a label that
/// runs past its box (a card's number into the next card: `scrollWidth` past `clientWidth`,
/// cut off or spilling over), and a
/// segment name split inside a word: a name is written as its words, each its own text node
/// (`<wbr>` between them), so a text node that spans two lines is a word broken in two.
fn seen_at(browser: &Path, tmp: &Path, html: &str, width: u32) -> Seen {
    let probe = "<script>addEventListener('load',()=>{const d=document.documentElement;\
        const c=document.querySelector('.cards');const cards=c?Math.round(c.getBoundingClientRect().top+scrollY):'none';\
        document.querySelectorAll('details').forEach(x=>x.open=true);\
        let worst='';for(const e of document.querySelectorAll('body *')){const r=e.getBoundingClientRect();\
        if(r.right>d.clientWidth+1){worst=e.tagName+' '+(e.id||e.className||'')+' '+Math.round(r.right);break;}}\
        if(!worst){for(const t of document.querySelectorAll('svg text')){const s=t.ownerSVGElement.getBoundingClientRect(),r=t.getBoundingClientRect();\
        if(r.right>s.right+1||r.left<s.left-1||r.top<s.top-1||r.bottom>s.bottom+1){worst='clipped text '+t.textContent;break;}}}\
        if(!worst){for(const e of document.querySelectorAll('.card *,th,td,summary,li')){\
        if(e.scrollWidth>e.clientWidth+1){worst='label past its box: '+e.textContent.slice(0,40);break;}}}\
        let mid='';for(const n of document.querySelectorAll('.segname')){for(const t of n.childNodes){if(t.nodeType!==3)continue;\
        const g=document.createRange();g.selectNodeContents(t);if(g.getClientRects().length>1){mid=n.textContent+' at '+t.textContent;break;}}if(mid)break;}\
        document.title='cards:'+cards+'|scroll:'+(d.scrollWidth>d.clientWidth?d.scrollWidth+'>'+d.clientWidth:'none')+'|out:'+worst+'|mid:'+mid;});</script>";
    let without_csp: String = html
        .lines()
        .filter(|l| !l.contains("Content-Security-Policy"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("</body>", &format!("{probe}</body>"));
    let page = tmp.join(format!("probe-{width}.html"));
    std::fs::write(&page, without_csp).expect("write probe page");
    let mut dump = chromium(browser, tmp);
    dump.arg(format!("--window-size={width},1200"))
        .arg("--hide-scrollbars")
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()));
    let dumped = run_with_deadline(dump, Duration::from_secs(120));
    assert!(dumped.status.success(), "chromium failed at {width} px: {}", String::from_utf8_lossy(&dumped.stderr));
    let dom = String::from_utf8_lossy(&dumped.stdout).into_owned();
    let start = dom.find("<title>").map(|i| i + 7).unwrap_or(0);
    let end = dom[start..].find("</title>").map(|i| start + i).unwrap_or(start);
    let title = &dom[start..end];
    let part = |key: &str| {
        title
            .split('|')
            .find_map(|p| p.strip_prefix(key))
            .unwrap_or_else(|| panic!("probe did not run at {width} px: {title:?}"))
            .to_owned()
    };
    Seen {
        cards_top: part("cards:").parse().ok(),
        scroll: part("scroll:"),
        sticks_out: part("out:"),
        mid_word: part("mid:"),
    }
}

#[test]
fn the_first_screen_shows_the_cards_and_the_page_fits_800_1400_and_1920_pixels() {
    let Some(browser) = find_chromium("the_first_screen_shows_the_cards_and_the_page_fits_800_1400_and_1920_pixels")
    else {
        return;
    };
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
    assert!(html.contains("class=\"segname\""), "the demo report lists its segments");
    for width in [800, 1400, 1920] {
        let seen = seen_at(&browser, &tmp, &html, width);
        if width <= 1400 {
            let top = seen.cards_top.unwrap_or_else(|| panic!("no \"At a glance\" cards at {width} px: {seen:?}"));
            assert!(top < 600.0, "at {width} px the cards start at {top} px, below the first screen");
        }
        assert_eq!(seen.scroll, "none", "at {width} px the page scrolls sideways: {seen:?}");
        assert_eq!(seen.sticks_out, "", "at {width} px something sticks out or is cut off: {seen:?}");
        assert_eq!(seen.mid_word, "", "at {width} px a segment name breaks inside a word: {seen:?}");
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
