//! Every subcommand's `--help` ends with examples and exit codes, and the examples use
//! only flags the subcommand really has (read from the same help's options), so they
//! cannot drift from the CLI.

mod common;

use std::process::Command;

fn help(args: &[&str]) -> String {
    let out = Command::new(common::binary())
        .args(args)
        .arg("--help")
        .output()
        .expect("run");
    assert!(out.status.success(), "{args:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The long and short flags the help's Options section lists.
fn flags(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'))
        .flat_map(|l| {
            l.split([',', ' ', '='])
                .filter(|t| t.starts_with('-') && t.len() > 1)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn every_subcommand_has_examples_and_exit_codes_that_match_its_flags() {
    let names = common::subcommands();
    assert!(names.len() >= 10, "{names:?}");
    for name in &names {
        let text = help(&[name]);
        let (options, tail) = text
            .split_once("Examples")
            .unwrap_or_else(|| panic!("`{name} --help` has an Examples section: {text}"));
        let (examples, exits) = tail
            .split_once("Exit codes:")
            .unwrap_or_else(|| panic!("`{name} --help` lists its exit codes: {text}"));
        assert!(exits.contains("\n  0  "), "{name}: exit 0 is explained");
        let known = flags(options);
        let commands: Vec<&str> = examples
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with('#'))
            .filter(|l| l.starts_with("kubectl lbgen ") || l.contains(" kubectl lbgen "))
            .collect();
        assert!(!commands.is_empty(), "{name}: at least one example");
        for line in commands {
            let words: Vec<&str> = line
                .split("kubectl lbgen ")
                .nth(1)
                .unwrap_or_default()
                .split_whitespace()
                .take_while(|w| !matches!(*w, "|" | ">" | "<" | "&&" | "#"))
                .collect();
            assert_eq!(words.first(), Some(&name.as_str()), "{line}");
            for word in words.iter().filter(|w| w.starts_with('-')) {
                let flag = word.split('=').next().unwrap_or(word);
                assert!(
                    known.iter().any(|k| k == flag),
                    "`{line}` uses {flag}, which `{name}` does not have ({known:?})"
                );
            }
        }
    }
}
