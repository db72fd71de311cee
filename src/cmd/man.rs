//! `regclean man`: the man page (roff), generated from the command definitions.

use super::Exit;
use std::process::ExitCode;

pub fn run(cli: clap::Command) -> ExitCode {
    // A closed pipe (`regclean man | head`) is not an error.
    let _ = clap_mangen::Man::new(cli).render(&mut std::io::stdout());
    Exit::Done.into()
}
