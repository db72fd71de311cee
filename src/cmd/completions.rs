//! `regclean completions`: a shell completion script, generated from the command definitions.

use super::Exit;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The shell: bash, zsh, fish, elvish or powershell.
    shell: clap_complete::Shell,
}

pub fn run(args: Args, mut cli: clap::Command) -> ExitCode {
    clap_complete::generate(args.shell, &mut cli, "regclean", &mut std::io::stdout());
    Exit::Done.into()
}
