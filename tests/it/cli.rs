//! The command line as a user meets it: installing, progress on stderr, and the messages of
//! mistyped arguments (issue 19). Each test names the rough edge it keeps fixed.

use super::*;

#[test]
fn readme_says_how_to_install_the_command_its_tour_calls() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let install = readme.find("cargo install --path .").expect("README says how to install regclean");
    let tour = readme.find("$ regclean ").expect("README has a tour");
    assert!(install < tour, "the install line comes before the tour that calls `regclean`");
}
