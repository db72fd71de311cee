//! `regclean review`: walk a run's review queue in the terminal, or import a filled one, and
//! append the decisions to the decisions file that later runs obey.

use super::{Exit, fail, file_flag, output_file_flag};
use regclean::review::{self, Session};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Output directory of an earlier `regclean run` (its review.csv is the queue).
    dir: PathBuf,
    /// The decisions file to append to (record_a,record_b,decision; created when missing).
    #[arg(long, value_name = "FILE")]
    decisions: PathBuf,
    /// Import the `decision` column of a filled review.csv or review.xlsx instead of asking.
    #[arg(long, value_name = "FILLED")]
    from: Option<PathBuf>,
    /// Show the values masked as in review.csv instead of the run's cleaned values.
    #[arg(long)]
    masked: bool,
}

pub fn run(args: Args) -> ExitCode {
    let Args { dir, decisions, from, masked } = args;
    let problems: Vec<regclean::Error> = [
        output_file_flag("--decisions", &decisions, "a decisions CSV file"),
        from.as_deref().map_or(Ok(()), |f| file_flag("--from", f, "a filled review.csv or review.xlsx")),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    if !problems.is_empty() {
        return fail(&regclean::Error::many(problems));
    }
    let run = match regclean::rundir::RunDir::open(&dir) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let proposed = match &from {
        Some(filled) => review::read_filled(filled),
        None => walk(&run, &decisions, !masked),
    };
    let proposed = match proposed {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    match review::append(&run, &decisions, &proposed) {
        Ok(done) => {
            for (a, b, d) in &done.added {
                out!("{a},{b},{}", d.as_str());
            }
            out!(
                "added {} decision{} to {}{}",
                done.added.len(),
                if done.added.len() == 1 { "" } else { "s" },
                decisions.display(),
                if done.already > 0 { format!(" ({} already there)", done.already) } else { String::new() }
            );
            Exit::Done.into()
        }
        Err(e) => fail(&e),
    }
}

/// Asks about each pair of the queue not yet decided, reading one answer a line from stdin
/// (a terminal or a pipe); the end of the input is a quit.
fn walk(
    run: &regclean::rundir::RunDir,
    decisions: &std::path::Path,
    clear: bool,
) -> Result<Vec<review::Proposed>, regclean::Error> {
    let (decided, _) = review::existing(decisions, &review::row_names(run))?;
    let items = review::read_queue(run, clear, &decided)?;
    let queue_file = run.dir.join(review::QUEUE_FILE);
    if items.is_empty() {
        out!("no pair to review: every pair of {} is decided, or the queue is empty", queue_file.display());
    }
    let mut session = Session::new(items);
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    while let Some((i, item)) = session.current() {
        let mut stdout = std::io::stdout();
        let _ = write!(stdout, "\n{}", review::render(item, i, session.items.len()));
        loop {
            let _ = write!(stdout, "[s]ame / [d]ifferent / s[k]ip / [b]ack / [q]uit? ");
            let _ = stdout.flush();
            let answer = match lines.next() {
                Some(Ok(line)) => line,
                Some(Err(e)) => return Err(regclean::Error::io(std::path::Path::new("stdin"), e)),
                None => "q".to_string(),
            };
            // Piped answers are echoed, so that the transcript reads like a terminal session.
            if !std::io::stdin().is_terminal() {
                let _ = writeln!(stdout, "{}", answer.trim());
            }
            match review::parse_answer(&answer) {
                Some(a) => {
                    session.answer(a);
                    break;
                }
                None => {
                    let _ = writeln!(stdout, "answer s, d, k, b or q");
                }
            }
        }
    }
    Ok(session.decisions(&queue_file))
}
