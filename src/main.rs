//! The `regclean` binary: parse arguments and hand them to the subcommand (`cmd/<name>.rs`),
//! which checks them, calls the library and prints.
//!
//! The binary is the only place that prints, exits, reads the clock or draws progress bars.

mod cmd;

use clap::{CommandFactory, Parser, Subcommand};
use cmd::Exit;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: the pipeline makes tens of millions of small
/// strings from two threads, and glibc's allocator spent a third of the run on them at 1M rows.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long mimalloc keeps memory freed to it before handing it back to the system: 100 ms
/// instead of mimalloc 3's second. A stage frees its working structures (a rule's pairs, the
/// cleaned rows on their way to disk, a batch of rows) and the next step allocates its own
/// within that second, so both were resident at once: 17 to 37 MiB of the 1M register's peak
/// (ARCHITECTURE.md, "Memory model"). Not 0, which hands back every page at once and faults it in
/// again (14% slower); 10 ms took a few MiB more off for twice the added system time.
/// `MIMALLOC_PURGE_DELAY` in the environment still decides.
const PURGE_DELAY_MS: std::ffi::c_long = 100;

/// `mi_option_purge_delay` of mimalloc 3's `mi_option_t`.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

unsafe extern "C" {
    /// mimalloc's own (linked with the allocator above; the crate declares it only behind a
    /// feature that would add a dependency): sets an option unless the environment did.
    fn mi_option_set_default(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// Clean a customer register: ingest any CSV export, normalise every field, find duplicates,
/// and write a cleaned register with a quality report.
#[derive(Parser)]
#[command(name = "regclean", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole pipeline on one or more exports that form one register.
    ///
    /// Writes into DIR:
    ///   records.csv     every accepted row: source, golden_id, original values, clean_/status_ fields
    ///   quarantine.csv  rows that could not be read, with line and reason
    ///   golden.csv      one row per customer, fields chosen by survivorship rules, stale flags
    ///   households.csv  every golden record's household: people who live together
    ///   audit.jsonl     why each merge happened and where each golden value came from
    ///   pairs.csv       every scored candidate pair with its comparison levels and match weights
    ///   review.csv      the pairs the model is least sure of, side by side, for `regclean review`
    ///   model.json      the trained Fellegi-Sunter model (reuse with --model)
    ///   segments.csv, segments/<name>.csv   memberships and exports (with --rules)
    ///   report.json     reconciliation of every line, field quality, dedup, stale, segments
    ///   report.html     the same for people: one self-contained page
    ///
    /// Exit codes: 0 done, 1 fatal error (nothing written), 2 usage error, 3 a quality gate
    /// failed (everything written).
    ///
    /// Examples:
    ///   regclean run fixtures/demo/*.csv --out out --as-of 2025-06-30 --rules rules
    ///   regclean run crm.csv shop.csv --out out --config regclean.toml --decisions decisions.csv
    ///   regclean run crm.csv --out out --rules rules --previous last-week
    #[command(verbatim_doc_comment)]
    Run(cmd::run::Args),
    /// Generate a synthetic register with known truth, for benchmarks and accuracy tests.
    ///
    /// Writes a HubSpot-style CSV with multilingual customers from seven countries, duplicates
    /// with the corruptions seen in real CRMs (typos, nicknames, swapped names, new e-mails,
    /// moves, married names, reformatted phones and dates), and look-alikes that are different
    /// people (households, twins, namesakes, Polish spouses, fathers and sons). The last column,
    /// entity_id, is the truth: it passes through a run untouched and the model never reads it.
    ///
    /// With --fixtures DIR it writes regclean's committed test inputs instead: the two demo
    /// registers, demo_truth.csv and every scenario's input.csv, byte for byte the same on
    /// every run (expected outputs are left alone).
    ///
    /// Examples:
    ///   regclean generate --rows 100000 --out bench100k.csv
    ///   regclean run bench100k.csv --out out && regclean evaluate out --truth entity_id
    ///   regclean generate --fixtures fixtures
    ///
    /// With --campaign RUN_DIR it writes campaign results (an event export) for the segments of
    /// an earlier `regclean run --rules` instead, with known true effects: the tested segments
    /// take turns at a true lift per variant, no effect, and a broken split; for trying
    /// `regclean measure`:
    ///   regclean generate --campaign out --out results.csv --seed 7
    #[command(verbatim_doc_comment)]
    Generate(cmd::generate::Args),
    /// Measure what each campaign did: per segment and variant, with the holdout as control.
    ///
    /// Reads RUN_DIR (the output of `regclean run --rules`: segments.csv, golden.csv,
    /// records.csv, report.json) and one or more campaign result exports (CSV or a spreadsheet;
    /// one row per recipient with columns such as email, delivered, opened, clicked, converted,
    /// revenue; one row per event with email, event, timestamp, amount; or an order export).
    /// Recipients are found by golden_id, e-mail or phone, cleaned as regclean cleans them.
    ///
    /// Writes into DIR:
    ///   measure.json   rates per arm, lifts with 95 % intervals and p-values, sample ratio
    ///                  mismatch checks, minimum detectable effects, unmatched rows
    ///   measure.html   the same for people: one self-contained page
    ///
    /// No personal data in either file.
    ///
    /// Examples:
    ///   regclean measure out campaign_results.csv --out out/measure
    ///   regclean measure out sends.xlsx orders.csv --out out/measure --history history.jsonl
    #[command(verbatim_doc_comment)]
    Measure(cmd::measure::Args),
    /// Print a shell completion script, generated from these definitions.
    ///
    /// Examples:
    ///   regclean completions bash > /etc/bash_completion.d/regclean
    ///   regclean completions zsh > "${fpath[1]}/_regclean"
    #[command(verbatim_doc_comment)]
    Completions(cmd::completions::Args),
    /// Print the man page (roff), generated from these definitions.
    ///
    /// Examples:
    ///   regclean man > regclean.1 && man ./regclean.1
    #[command(verbatim_doc_comment)]
    Man,
    /// Check a rules folder (survivorship, stale policy, segments) without running.
    ///
    /// Every problem is reported at once with file, line and column, and a misspelt name gets
    /// the nearest valid one. Exit code 0 when all rules are valid, 1 otherwise.
    ///
    /// With --config, the config's custom fields (`[fields]`) may be named in conditions and
    /// exports, and the config itself is checked too.
    ///
    /// Examples:
    ///   regclean check-rules rules
    ///   regclean check-rules rules --config regclean.toml
    #[command(verbatim_doc_comment)]
    CheckRules(cmd::check_rules::Args),
    /// Measure dedup against a known truth: pairwise precision, recall and F1.
    ///
    /// Reads DIR/records.csv of an earlier run, takes COLUMN (an input column that passed
    /// through untouched, never used by the model) as the true entity, prints the scores and
    /// writes samples of false merges and missed pairs to DIR/evaluation/.
    ///
    /// Examples:
    ///   regclean evaluate out --truth entity_id
    ///   regclean evaluate out --truth entity_id --show-samples
    ///   regclean evaluate out --truth entity_id --truth-file truth.csv
    #[command(verbatim_doc_comment)]
    Evaluate(cmd::evaluate::Args),
    /// Show why a golden record looks the way it does.
    ///
    /// Prints the members side by side, the links that joined them with their match weights,
    /// and for every field the winning value, the survivorship rule and the member it came from.
    /// Shows personal data: it is meant for the person deciding about this one customer.
    ///
    /// Examples:
    ///   regclean explain out G0289ea899fb5
    ///   regclean explain out 10041
    ///   regclean explain out hubspot_contacts.csv:10041
    #[command(verbatim_doc_comment)]
    Explain(cmd::explain::Args),
    /// Give back the rows of one or more merges exactly as they were read.
    ///
    /// Writes the member rows of each golden record under their source's original header, with
    /// the original values, in the source's own encoding, delimiter, line ends and quoting
    /// (a gzip'd source comes back uncompressed, a spreadsheet or Parquet file as CSV). With --decisions, appends a
    /// `different` decision for every pair of those members, so that a run with
    /// `--decisions FILE` keeps them apart.
    ///
    /// Examples:
    ///   regclean undo out G0289ea899fb5 --to undone.csv
    ///   regclean undo out 10041 --to undone.csv
    ///   regclean undo out G0289ea899fb5 G17d3... --to undone.csv --decisions decisions.csv
    #[command(verbatim_doc_comment)]
    Undo(cmd::undo::Args),
    /// Erase people from every output of a run (GDPR Art. 17), keeping only hashes.
    ///
    /// WHO lists them as `run --suppress` lists do (e-mails, phones, record ids or their SHA-256
    /// hashes). Every golden record a listed person belongs to is removed with all its member
    /// rows from records.csv, golden.csv, households.csv, pairs.csv, review.csv/xlsx, merge_map.csv,
    /// audit.jsonl, id_changes.csv, segments, quarantine.csv, report.json/html and Parquet copies. DIR/erasure_log.csv gains
    /// the SHA-256 of every identifier of the erased rows (never a value); a later
    /// `regclean run --previous DIR` keeps them out when an old export brings them back.
    ///
    /// Examples:
    ///   regclean erase out --who erase_requests.txt --as-of 2025-07-01
    #[command(verbatim_doc_comment)]
    Erase(cmd::erase::Args),
    /// Decide the pairs the model is least sure of, and keep the decisions for later runs.
    ///
    /// Walks the run's review queue (review.csv: the least certain pairs first) in the
    /// terminal: both records side by side with the evidence of each field, and one answer a
    /// line: [s]ame, [d]ifferent, s[k]ip, [b]ack (change the previous answer), [q]uit. The
    /// values shown are the run's cleaned values (personal data, as in records.csv); --masked
    /// shows them masked as in review.csv. With --from, the decision column of a filled
    /// review.csv or review.xlsx is imported instead (blank = skipped). The decisions are
    /// appended to --decisions (created when missing); one already there is not repeated, and a
    /// contradiction refuses them all. Answers are read from stdin, so they can be piped.
    ///
    /// Examples:
    ///   regclean review out --decisions decisions.csv
    ///   regclean review out --from review-filled.xlsx --decisions decisions.csv
    ///   regclean run exports/*.csv --out out --decisions decisions.csv
    #[command(verbatim_doc_comment)]
    Review(cmd::review::Args),
}

fn main() -> ExitCode {
    // SAFETY: a valid option of the allocator linked in, set before any thread but this one
    // runs; the option is a plain value mimalloc reads when it purges.
    unsafe { mi_option_set_default(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return (if e.use_stderr() { Exit::Usage } else { Exit::Done }).into();
        }
    };
    match cli.command {
        Command::Run(args) => cmd::run::run(args),
        Command::Generate(args) => cmd::generate::run(args),
        Command::Measure(args) => cmd::measure::run(args),
        Command::Completions(args) => cmd::completions::run(args, Cli::command()),
        Command::Man => cmd::man::run(Cli::command()),
        Command::CheckRules(args) => cmd::check_rules::run(args),
        Command::Evaluate(args) => cmd::evaluate::run(args),
        Command::Explain(args) => cmd::explain::run(args),
        Command::Undo(args) => cmd::undo::run(args),
        Command::Erase(args) => cmd::erase::run(args),
        Command::Review(args) => cmd::review::run(args),
    }
}
