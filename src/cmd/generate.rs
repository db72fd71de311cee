//! `regclean generate`: a synthetic register with known truth, the committed test fixtures, or
//! campaign results for `measure` (the generator itself lives in crates/regclean-synth).

use super::{Exit, fail, fail_usage};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Data rows to write.
    #[arg(long, default_value_t = 1000)]
    rows: usize,
    /// Random seed: the same seed and options give a byte-identical file.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Share of rows that are extra records of an entity (0 to 0.7).
    #[arg(long, default_value_t = 0.25)]
    duplicate_share: f64,
    /// Where to write the register.
    #[arg(long, value_name = "FILE", required_unless_present = "fixtures")]
    out: Option<PathBuf>,
    /// Write the test fixtures into DIR (normally `fixtures`) instead of a register.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["rows", "seed", "duplicate_share", "out"])]
    fixtures: Option<PathBuf>,
    /// Write campaign results for the segments of this run directory instead of a register.
    #[arg(long, value_name = "RUN_DIR", conflicts_with_all = ["rows", "duplicate_share", "fixtures"])]
    campaign: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    match args {
        Args { fixtures: Some(dir), .. } => generate_fixtures(&dir),
        Args { campaign: Some(run_dir), seed, out, .. } => {
            let out = out.expect("clap requires --out without --fixtures");
            generate_campaign(&run_dir, seed, &out)
        }
        Args { rows, seed, duplicate_share, out, fixtures: None, campaign: None } => {
            let out = out.expect("clap requires --out without --fixtures");
            generate_register(rows, seed, duplicate_share, &out)
        }
    }
}

/// `regclean generate --rows N --out FILE`: a synthetic register with its truth column.
fn generate_register(rows: usize, seed: u64, duplicate_share: f64, out: &Path) -> ExitCode {
    let opts = regclean_synth::GenerateOptions { rows, seed, duplicate_share };
    let result = std::fs::File::create(out).and_then(|f| {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
        let s = regclean_synth::generate(&opts, &mut w)?;
        std::io::Write::flush(&mut w)?;
        Ok(s)
    });
    match result {
        Ok(s) => {
            eprintln!(
                "regclean: wrote {} rows of {} customers ({} duplicates; look-alikes: {} households, {} twins, {} namesakes, {} spouses, {} fathers and sons) to {}",
                s.rows,
                s.entities,
                s.duplicates,
                s.households,
                s.twins,
                s.namesakes,
                s.spouses,
                s.fathers_and_sons,
                out.display()
            );
            Exit::Done.into()
        }
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => fail_usage(&e.to_string()),
        Err(e) => fail(&regclean::Error::io(out, e)),
    }
}

/// `regclean generate --campaign RUN_DIR --out FILE`: synthetic campaign results.
fn generate_campaign(run_dir: &Path, seed: u64, out: &Path) -> ExitCode {
    let result = std::fs::File::create(out).and_then(|f| {
        let mut w = std::io::BufWriter::new(f);
        let s = regclean_synth::campaign::write_campaign(run_dir, seed, &mut w)?;
        std::io::Write::flush(&mut w)?;
        Ok(s)
    });
    match result {
        Ok(s) => {
            let scenarios: Vec<String> = s.scenarios.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            eprintln!("regclean: wrote {} campaign events to {} ({})", s.rows, out.display(), scenarios.join(", "));
            Exit::Done.into()
        }
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => fail_usage(&e.to_string()),
        Err(e) => fail(&regclean::Error::io(out, e)),
    }
}

/// `regclean generate --fixtures DIR`: writes the committed test inputs and says what it wrote.
fn generate_fixtures(dir: &Path) -> ExitCode {
    match regclean_synth::write_fixtures(dir) {
        Ok(s) => {
            eprintln!(
                "regclean: wrote {} fixture files to {} (hubspot_contacts.csv: {} rows; nettbutikk_kunder.csv: {} rows)",
                s.written.len(),
                dir.display(),
                s.hubspot_rows,
                s.shop_rows
            );
            for (line, what) in &s.shop_broken {
                eprintln!("regclean:   nettbutikk_kunder.csv line {line}: {what}");
            }
            if let Some(missing) = &s.febrl_missing {
                eprintln!(
                    "regclean: warning: skipped febrl_headers: {} not found, existing fixture kept",
                    missing.display()
                );
            }
            Exit::Done.into()
        }
        Err(e) => fail(&regclean::Error::io(dir, e)),
    }
}
