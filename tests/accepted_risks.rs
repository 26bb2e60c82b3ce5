//! Accepted risks (issue 15.3): a breach the inventory accepts, with a reason,
//! an owner and an expiry date, warns instead of blocking; it is listed by
//! `check`, the report, the drill and RUNBOOK.md; an expired acceptance, or a gap
//! grown beyond an accepted bound, is an error again; an acceptance of nothing
//! warns.

mod common;

use std::process::Command;

use insta_cmd::get_cargo_bin;
use lifeboat::Analysis;
use lifeboat::check::RiskStatus;
use lifeboat::diag::Code;
use lifeboat::model::Scenario;
use lifeboat::source::{SourceFile, Sources};

const FIXTURE: &str = "tests/fixtures/valid/accepted-risks.hcl";

fn analyze(text: &str) -> Analysis {
    lifeboat::analyze(Sources::new(vec![SourceFile::new("t.hcl", text)]))
}

fn codes(a: &Analysis) -> Vec<&'static str> {
    let mut v: Vec<_> = a.diagnostics.iter().map(|d| d.code.as_str()).collect();
    v.sort();
    v
}

/// `text` without its `accepted_risk` blocks (each ends at the first line
/// that is just `  }`).
fn without_acceptances(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.trim_start().starts_with("accepted_risk ") {
            skipping = true;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
        if skipping && line == "  }" {
            skipping = false;
        }
    }
    out
}

fn status(a: &Analysis, id: &str, s: Scenario) -> Option<RiskStatus> {
    let rec = a.recovery.as_ref().expect("the model ran");
    let r = rec.assets.iter().find(|r| r.id == id).expect("asset");
    r.scenarios[s.index()]
        .accepted_risk
        .as_ref()
        .map(|r| r.status)
}

#[test]
fn accepted_breaches_warn_and_the_same_breaches_unaccepted_block() {
    let text = std::fs::read_to_string(common::root().join(FIXTURE)).unwrap();
    let a = analyze(&text);
    assert!(!a.has_errors(), "{}", common::render(&a));
    assert_eq!(
        codes(&a),
        ["W301", "W301", "W301", "W301"],
        "{}",
        common::render(&a)
    );
    for (id, s) in [
        ("ledger-db", Scenario::Region),
        ("ledger-api", Scenario::Region),
        ("statements", Scenario::Corruption),
    ] {
        assert_eq!(status(&a, id, s), Some(RiskStatus::Accepted), "{id} {s:?}");
    }

    // The same inventory without the blocks: every one of those warnings is an
    // error, with the same message but for the acceptance.
    let b = analyze(&without_acceptances(&text));
    assert!(b.has_errors());
    let errors: Vec<String> = b.diagnostics.iter().map(|d| d.message.clone()).collect();
    assert_eq!(errors.len(), 4, "{errors:?}");
    for d in a.diagnostics.iter() {
        let base = d
            .message
            .split("; accepted as a known risk")
            .next()
            .unwrap();
        assert!(
            errors.iter().any(|e| e == base),
            "`{base}` is an error without its acceptance"
        );
    }
    assert_eq!(
        codes(&b),
        ["E301", "E301", "E302", "E303"],
        "{}",
        common::render(&b)
    );
}

#[test]
fn an_accepted_dependency_does_not_accept_its_dependents() {
    let text = std::fs::read_to_string(common::root().join(FIXTURE)).unwrap();
    // Only the API's block removed: the database's acceptance still holds.
    let start = text
        .find("  accepted_risk \"region\" {\n    reason  = \"waits")
        .unwrap();
    let end = start + text[start..].find("\n  }\n").unwrap() + 5;
    let a = analyze(&format!("{}{}", &text[..start], &text[end..]));
    let errors: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.severity() == lifeboat::diag::Severity::Error)
        .map(|d| (d.code, d.message.clone()))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, Code::DependencyBreach);
    assert!(errors[0].1.contains("`ledger-api`"), "{errors:?}");
}

const PROJECT: &str =
    "project \"p\" {\n  primary_region   = \"us-east-1\"\n  secondary_region = \"us-west-2\"\n}\n";

/// A SQL Server SE database on `tier` with `blocks` inside: its Region
/// scenario breaches mission-critical's RPO (the restore of the copied
/// snapshot: RPO 3h, RTO 55m).
fn legacy_db(tier: &str, blocks: &str) -> String {
    format!(
        "{PROJECT}{}asset \"db\" {{\n  kind       = \"rds\"\n  tier       = \"{tier}\"\n  identifier = \"db-prod\"\n  engine     = \"sqlserver-se\"\n  storage_gb = 500\n  multi_az   = true\n{blocks}\n}}\n",
        "tier \"region-only\" {\n  scenario \"region\" {\n    rpo = \"1h\"\n    rto = \"4h\"\n  }\n}\n"
    )
}

fn risk(scenario: &str, expires: &str, extra: &str) -> String {
    format!(
        "  accepted_risk \"{scenario}\" {{\n    reason  = \"legacy\"\n    owner   = \"team-db\"\n    expires = \"{expires}\"\n{extra}  }}\n"
    )
}

#[test]
fn bounds_accept_up_to_and_including_the_estimate() {
    for (bounds, want) in [
        ("", RiskStatus::Accepted),
        (
            "    rpo = \"3h\"\n    rto = \"55m\"\n",
            RiskStatus::Accepted,
        ),
        ("    rpo = \"2h59m\"\n", RiskStatus::Exceeded),
        ("    rto = \"54m\"\n", RiskStatus::Exceeded),
        (
            "    rpo = \"1d\"\n    rto = \"50m\"\n",
            RiskStatus::Exceeded,
        ),
    ] {
        let a = analyze(&legacy_db(
            "mission-critical",
            &risk("region", "2999-12-31", bounds),
        ));
        assert_eq!(status(&a, "db", Scenario::Region), Some(want), "{bounds}");
        assert_eq!(
            a.has_errors(),
            want != RiskStatus::Accepted,
            "{bounds}\n{}",
            common::render(&a)
        );
    }
}

#[test]
fn an_acceptance_of_nothing_warns() {
    // Met (az) and no objective at all (corruption on a Region-only tier).
    let blocks = format!(
        "{}{}",
        risk("az", "2999-12-31", ""),
        risk("corruption", "2999-12-31", "")
    );
    for tier in ["mission-critical", "region-only"] {
        let a = analyze(&legacy_db(tier, &blocks));
        let unused: Vec<_> = a
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::UnusedAcceptance)
            .collect();
        assert_eq!(unused.len(), 2, "{tier}: {}", common::render(&a));
        let why = if tier == "region-only" {
            "sets no objective for the corruption scenario"
        } else {
            "the corruption scenario meets its objectives"
        };
        assert!(
            unused.iter().any(|d| d.message.contains(why)),
            "{tier}: {}",
            common::render(&a)
        );
        assert_eq!(status(&a, "db", Scenario::Az), Some(RiskStatus::Unused));
    }
}

#[test]
fn reports_runbook_and_drill_list_the_accepted_risks() {
    let a = common::analyze(FIXTURE);
    assert!(!a.has_errors());
    let md = lifeboat::report::pr::markdown(&a, None);
    assert!(md.contains("### Accepted risks"), "{md}");
    assert!(!md.contains("Every recovery objective is met"), "{md}");
    for needle in [
        "`jane.doe (head of payments)` | 2999-03-31 | ⚠️ accepted",
        "breached, accepted until 2999-03-31",
    ] {
        assert!(md.contains(needle), "{needle} in\n{md}");
    }
    let json = lifeboat::report::pr::json(&a, None);
    assert_eq!(json["summary"]["accepted_risks"], 3);
    assert_eq!(json["ok"], true);

    let files = lifeboat::emit::generate(&a, &lifeboat::emit::Options::default()).unwrap();
    let runbook = &files
        .iter()
        .find(|f| f.path == "RUNBOOK.md")
        .unwrap()
        .contents;
    assert!(
        runbook.contains("## Known gaps: accepted risks"),
        "{runbook}"
    );
    for id in ["ledger-db", "ledger-api", "statements"] {
        assert!(
            runbook.contains(&format!("| `{id}` | ")),
            "{id} in the runbook's table"
        );
    }
    assert_eq!(runbook.matches("**Known gap:**").count(), 3);

    let (inv, rec, _) = a.compiled().unwrap();
    let drill = lifeboat::report::drill::run(inv, rec, Scenario::Region);
    assert!(
        !drill.breached(),
        "an accepted breach does not fail the drill"
    );
    let text = lifeboat::report::drill::text(&drill);
    assert!(text.contains("(accepted risk until 2999-03-31)"), "{text}");
    assert!(text.contains("all accepted as known risks"), "{text}");
}

/// `LIFEBOAT_TODAY` sets the day acceptances are judged on: the expiry day
/// itself is the last one in force.
#[test]
fn an_acceptance_holds_through_its_expiry_day_and_not_after() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lifeboat.hcl");
    std::fs::write(
        &file,
        legacy_db("mission-critical", &risk("region", "2030-06-30", "")),
    )
    .unwrap();
    let run = |today: &str| {
        let o = Command::new(get_cargo_bin("lifeboat"))
            .args(["check", file.to_str().unwrap()])
            .env("NO_COLOR", "1")
            .env("LIFEBOAT_TODAY", today)
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, err) = run("2030-06-30");
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("warning[W301]"), "{err}");
    assert!(err.contains("accepted as a known risk"), "{err}");
    let (code, err) = run("2030-07-01");
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error[E301]") && err.contains("has expired"),
        "{err}"
    );
    let (code, err) = run("30 June 2030");
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error[E119]") && err.contains("LIFEBOAT_TODAY"),
        "{err}"
    );
}
