//! Shell completions and the man page, generated from the clap definitions: every
//! command is in them, and they work where the tools to try them are here.

mod common;

use std::process::{Command, Output};

use clap::{CommandFactory, ValueEnum};
use insta_cmd::get_cargo_bin;

fn lifeboat(args: &[&str]) -> Output {
    let out = Command::new(get_cargo_bin("lifeboat"))
        .args(args)
        .current_dir(common::root())
        .output()
        .expect("lifeboat runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The subcommands, as clap knows them (so a new one is covered without editing this).
fn subcommands() -> Vec<String> {
    lifeboat::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect()
}

#[test]
fn every_shell_completes_every_subcommand() {
    let commands = subcommands();
    for want in ["check", "compile", "import", "completions", "man", "report"] {
        assert!(commands.iter().any(|c| c == want), "{want} in {commands:?}");
    }
    for shell in clap_complete::Shell::value_variants() {
        let name = shell.to_possible_value().unwrap().get_name().to_owned();
        let script = String::from_utf8(lifeboat(&["completions", &name]).stdout).unwrap();
        assert!(script.contains("lifeboat"), "{name}");
        for c in &commands {
            assert!(script.contains(c.as_str()), "{name}: no `{c}`");
        }
        // Flags of a subcommand are there too.
        assert!(script.contains("secondary-region"), "{name}");
    }
}

/// The bash script, loaded into bash, completes subcommands and flags.
#[test]
fn bash_completion_completes() {
    let script = String::from_utf8(lifeboat(&["completions", "bash"]).stdout).unwrap();
    let complete = |words: &str| {
        let program = format!(
            "{script}\nCOMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             _lifeboat lifeboat \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\""
        );
        let out = Command::new("bash")
            .args(["--norc", "--noprofile", "-c", &program])
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let first = complete("lifeboat ''");
    for c in subcommands() {
        assert!(first.contains(&c), "{c} in {first:?}");
    }
    let flags = complete("lifeboat import --");
    for f in [
        "--out",
        "--project",
        "--secondary-region",
        "--tier",
        "--region",
        "--check",
    ] {
        assert!(flags.contains(&f.to_owned()), "{f} in {flags:?}");
    }
    let shells = complete("lifeboat completions ''");
    assert!(shells.contains(&"zsh".to_owned()), "{shells:?}");
}

#[test]
fn man_page_has_name_synopsis_and_every_command() {
    let page = String::from_utf8(lifeboat(&["man"]).stdout).unwrap();
    for section in [
        ".TH lifeboat 1",
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH SUBCOMMANDS",
    ] {
        assert!(page.contains(section), "{section}");
    }
    for c in subcommands() {
        assert!(page.contains(&format!("lifeboat\\-{c}(1)")), "{c}");
    }
    // One page per command with --dir, each with its own NAME and SYNOPSIS.
    let dir = tempfile::tempdir().unwrap();
    lifeboat(&["man", "--dir", dir.path().to_str().unwrap()]);
    let import = std::fs::read_to_string(dir.path().join("lifeboat-import.1")).unwrap();
    assert!(import.contains(".SH NAME\nlifeboat\\-import"), "{import}");
    assert!(import.contains(".SH SYNOPSIS"));
    assert!(import.contains("secondary\\-region"));
    for c in subcommands() {
        assert!(
            dir.path().join(format!("lifeboat-{c}.1")).is_file(),
            "lifeboat-{c}.1"
        );
    }
    // groff renders it without warnings, where groff is installed.
    match Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        Ok(mut child) => {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(page.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success());
            assert_eq!(String::from_utf8_lossy(&out.stderr), "", "groff warnings");
        }
        Err(_) => eprintln!("groff is not installed: the page was not rendered"),
    }
}

/// The README's command table shows every command clap has.
#[test]
fn readme_shows_every_subcommand() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    for c in subcommands() {
        assert!(
            readme.contains(&format!("`lifeboat {c}")),
            "README does not show `lifeboat {c}`"
        );
    }
}
