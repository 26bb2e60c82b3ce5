//! `lifeboat measure`: restore jobs as the AWS CLI prints them
//! (tests/fixtures/measure) become dated measurements that `check` uses and
//! judges by age; updates keep the user's comments and are idempotent.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use insta_cmd::get_cargo_bin;

const FIXTURES: &str = "tests/fixtures/measure";

fn lifeboat() -> Command {
    let mut cmd = Command::new(get_cargo_bin("lifeboat"));
    cmd.current_dir(common::root()).env("NO_COLOR", "1");
    cmd
}

fn fixture(name: &str) -> PathBuf {
    common::root().join(FIXTURES).join(name)
}

/// A folder with the fixture inventory; the measurements file goes beside it.
fn inventory() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("lifeboat.hcl"), dir.path().join("lifeboat.hcl")).unwrap();
    let out = dir.path().join("measurements.hcl");
    (dir, out)
}

fn measure(dir: &Path, out: &Path, jobs: &[&str], extra: &[&str]) -> Output {
    let mut cmd = lifeboat();
    cmd.arg("measure").arg(dir.join("lifeboat.hcl"));
    for j in jobs {
        cmd.arg("--jobs").arg(fixture(j));
    }
    cmd.arg("-o").arg(out).args(extra);
    cmd.output().unwrap()
}

fn check(dir: &Path, today: &str) -> (Option<i32>, String) {
    let o = lifeboat()
        .arg("check")
        .arg(dir)
        .env("LIFEBOAT_TODAY", today)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const BOTH: &[&str] = &["list-restore-jobs.json", "describe-restore-job.json"];

#[test]
fn completed_jobs_become_one_measurement_per_asset() {
    let (dir, out) = inventory();
    let o = measure(dir.path(), &out, BOTH, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    insta::with_settings!({
        snapshot_path => "../snapshots/measure",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("measurements", text);
    });
    let err = stderr(&o);
    // What was not counted, and why.
    for (what, job) in [
        ("2 jobs not completed", "-000000000003"),
        ("validation failed", "-000000000006"),
        ("not an asset of the inventory", "-000000000008"),
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("{what}: {err}"));
        assert!(line.contains(job), "{line}");
    }
    // Job 1 is listed without its source, then described with it: it counts once.
    assert!(text.matches("-000000000001").count() == 1, "{text}");
    assert!(
        err.contains("orders-db: restore (none) -> 1h35m12s"),
        "{err}"
    );
}

#[test]
fn the_same_jobs_again_change_nothing_and_updates_keep_comments() {
    let (dir, out) = inventory();
    assert!(measure(dir.path(), &out, BOTH, &[]).status.success());
    // The user's comments, outside the blocks.
    let first = std::fs::read_to_string(&out).unwrap();
    let edited = format!("{first}\n# Reviewed by the DBA team.\n").replacen(
        "measurement \"media\"",
        "# Media restores are slow on Mondays.\nmeasurement \"media\"",
        1,
    );
    std::fs::write(&out, &edited).unwrap();
    let again = measure(dir.path(), &out, BOTH, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("is up to date"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), edited);
    // A week later: a slower restore of orders-db; only its block changes.
    let later = measure(dir.path(), &out, &["describe-later.json"], &[]);
    assert!(later.status.success(), "{}", stderr(&later));
    let updated = std::fs::read_to_string(&out).unwrap();
    assert!(stderr(&later).contains("orders-db: restore 1h35m12s (2026-11-30) -> 1h51m28s (2026-12-07, the longest of 3 jobs)"), "{}", stderr(&later));
    let block = |text: &str, id: &str| -> String {
        let start = text.find(&format!("measurement \"{id}\"")).unwrap();
        let end = start + text[start..].find("\n}").unwrap();
        text[start..end].to_owned()
    };
    for id in ["carts", "media"] {
        assert_eq!(block(&updated, id), block(&edited, id), "{id}");
    }
    assert!(updated.contains("# Media restores are slow on Mondays.\nmeasurement \"media\""));
    assert!(
        updated.ends_with("# Reviewed by the DBA team.\n"),
        "{updated}"
    );
    let orders = block(&updated, "orders-db");
    assert!(orders.contains("restore = \"1h51m28s\""), "{orders}");
    assert!(orders.contains("date    = \"2026-12-07\""), "{orders}");
    // The jobs are kept newest first, and the file still checks.
    let (a, b, c) = (
        orders.find("-000000000009").unwrap(),
        orders.find("-000000000005").unwrap(),
        orders.find("-000000000001").unwrap(),
    );
    assert!(a < b && b < c, "{orders}");
    let (code, err) = check(dir.path(), "2026-12-07");
    assert_eq!(code, Some(0), "{err}");
    // Fed again, nothing changes.
    let twice = measure(dir.path(), &out, &["describe-later.json"], &[]);
    assert!(
        stderr(&twice).contains("is up to date"),
        "{}",
        stderr(&twice)
    );
}

#[test]
fn the_longest_of_the_newest_jobs_is_the_measurement() {
    let (dir, out) = inventory();
    // With only the newest job, the faster restore of 2026-11-30 is the measurement.
    let o = measure(dir.path(), &out, BOTH, &["--latest", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("restore = \"1h12m41s\""), "{text}");
    assert!(!text.contains("-000000000001"), "{text}");
    // Two count: the slower one of the week before is the bound.
    let o = measure(dir.path(), &out, BOTH, &["--latest", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("restore = \"1h35m12s\""), "{text}");
}

#[test]
fn check_uses_the_measured_restore_and_says_when_it_is_stale() {
    let (dir, out) = inventory();
    assert!(measure(dir.path(), &out, BOTH, &[]).status.success());
    let analysis = common::analyze_paths(&[dir.path().to_path_buf()]);
    let inv = analysis.inventory.as_ref().unwrap();
    let db = inv.assets.iter().find(|a| a.id == "orders-db").unwrap();
    assert_eq!(
        db.measured.restore.map(|d| d.to_string()).as_deref(),
        Some("1h35m12s")
    );
    let explained = lifeboat()
        .args(["explain", "orders-db"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&explained.stdout);
    assert!(
        text.contains("1h35m12s restore (measured by AWS Backup restore jobs)"),
        "{text}"
    );
    // The runbook lists the measurements the model uses, with their dates.
    let (inv, rec, dep) = analysis.compiled().unwrap();
    let runbook = lifeboat::report::runbook::render(inv, rec, dep, "");
    assert!(
        runbook.contains("  | `orders-db` | 1h35m12s | 2026-11-30 | 2 |\n"),
        "{runbook}"
    );
    assert!(
        runbook.contains("  | `carts` | 41m28s | 2026-11-30 | 1 |\n"),
        "{runbook}"
    );
    // So does the pull-request report.
    let report = lifeboat::report::pr::markdown(&analysis, None);
    assert!(report.contains("### Measured restore times"), "{report}");
    assert!(
        report.contains("| `orders-db` | 1h35m12s | 2026-11-30 | 2 |"),
        "{report}"
    );
    // Fresh on the day and up to 35 days after the newest job (2026-11-30).
    for today in ["2026-11-30", "2027-01-04"] {
        let (code, err) = check(dir.path(), today);
        assert_eq!(code, Some(0), "{err}");
        assert!(!err.contains("W303"), "{today}: {err}");
    }
    let (code, err) = check(dir.path(), "2027-01-05");
    assert_eq!(code, Some(0), "a stale measurement warns: {err}");
    assert_eq!(err.matches("warning[W303]").count(), 3, "{err}");
    assert!(
        err.contains("dates from 2026-11-30, 36 days ago: older than the 35d allowed"),
        "{err}"
    );
    // The age is an assumption the inventory can override.
    std::fs::write(
        dir.path().join("assumptions.hcl"),
        "assumptions {\n  measurement_max_age = \"60d\"\n}\n",
    )
    .unwrap();
    let (_, err) = check(dir.path(), "2027-01-05");
    assert!(!err.contains("W303"), "{err}");
    // A tier can allow less: `critical` (orders-db's and shop's), declared here, two weeks.
    std::fs::write(
        dir.path().join("tiers.hcl"),
        "tier \"critical\" {\n  rpo = \"15m\"\n  rto = \"8h\"\n  measurement_max_age = \"14d\"\n}\n",
    )
    .unwrap();
    let (code, err) = check(dir.path(), "2026-12-15");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err.matches("warning[W303]").count(), 1, "{err}");
    assert!(
        err.contains("`orders-db` dates from 2026-11-30, 15 days ago: older than the 14d tier `critical` allows"),
        "{err}"
    );
    std::fs::remove_file(dir.path().join("tiers.hcl")).unwrap();
    let (_, err) = check(dir.path(), "next monday");
    assert!(
        err.contains("error[E120]") && err.contains("LIFEBOAT_TODAY"),
        "{err}"
    );
}

#[test]
fn a_slow_measured_restore_breaches_what_the_estimate_met() {
    let (dir, out) = inventory();
    // A 9-hour restore of orders-db: over the corruption RTO of tier `critical` (8h).
    // (Not in the inventory's folder, which check reads whole.)
    let elsewhere = tempfile::tempdir().unwrap();
    let jobs = elsewhere.path().join("slow.json");
    std::fs::write(
        &jobs,
        r#"{"RestoreJobId": "slow-1", "Status": "COMPLETED", "ResourceType": "RDS",
            "SourceResourceArn": "arn:aws:rds:us-east-1:123456789012:db:orders-prod",
            "CreationDate": "2026-11-30T06:00:00Z", "CompletionDate": "2026-11-30T15:00:00Z"}"#,
    )
    .unwrap();
    let (code, err) = check(dir.path(), "2026-12-01");
    assert_eq!(code, Some(0), "{err}");
    let o = lifeboat()
        .arg("measure")
        .arg(dir.path().join("lifeboat.hcl"))
        .arg("--jobs")
        .arg(&jobs)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let (code, err) = check(dir.path(), "2026-12-01");
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error[E302]") && err.contains("orders-db"),
        "{err}"
    );
    assert!(
        err.contains("restore (measured by AWS Backup restore jobs)"),
        "{err}"
    );
}

#[test]
fn what_measure_refuses() {
    let (dir, out) = inventory();
    // Not restore-job JSON.
    let o = measure(dir.path(), &out, &["lifeboat.hcl"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is not restore-job JSON"),
        "{}",
        stderr(&o)
    );
    // Jobs of no asset: nothing written.
    let other = dir.path().join("other.json");
    std::fs::write(
        &other,
        r#"{"RestoreJobs": [{"RestoreJobId": "x", "Status": "COMPLETED",
            "SourceResourceArn": "arn:aws:s3:::someone-elses-bucket",
            "CreationDate": "2026-11-30T06:00:00Z", "CompletionDate": "2026-11-30T06:10:00Z"}]}"#,
    )
    .unwrap();
    let o = lifeboat()
        .arg("measure")
        .arg(dir.path().join("lifeboat.hcl"))
        .arg("--jobs")
        .arg(&other)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing written"), "{}", stderr(&o));
    assert!(!out.exists());
    // Only list-restore-jobs output: the RDS job's source is unknown; the hint says how to get it.
    let o = measure(dir.path(), &out, &["list-restore-jobs.json"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("aws backup describe-restore-job --restore-job-id"),
        "{}",
        stderr(&o)
    );
    // A measurements file in JSON form is not edited.
    let json = dir.path().join("measurements.json");
    std::fs::write(&json, "{}").unwrap();
    let o = measure(dir.path(), &json, BOTH, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("writes and updates HCL"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&json).unwrap(), "{}");
}

#[test]
fn a_hand_written_measurement_is_replaced_by_the_jobs_and_stdin_works() {
    let (dir, out) = inventory();
    let hand = "# Game day of October.\nmeasurement \"carts\" {\n  restore = \"2h\" # timed by hand\n  date    = \"2026-10-01\"\n}\n\n# Kept: no job restores media.\nmeasurement \"media\" {\n  restore = \"3h\"\n  date    = \"2026-10-01\"\n}\n";
    std::fs::write(&out, hand).unwrap();
    let listed = std::fs::read(fixture("list-restore-jobs.json")).unwrap();
    let mut child = lifeboat()
        .arg("measure")
        .arg(dir.path().join("lifeboat.hcl"))
        .args(["--jobs", "-", "-o"])
        .arg(&out)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &listed).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("carts: restore 2h (2026-10-01) -> 41m28s (2026-11-30"),
        "{}",
        stderr(&o)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("# Game day of October.\nmeasurement \"carts\" {\n  restore = \"41m28s\""),
        "{text}"
    );
    assert!(!text.contains("timed by hand"), "{text}");
    assert!(
        text.ends_with("# Kept: no job restores media.\nmeasurement \"media\" {\n  restore = \"3h\"\n  date    = \"2026-10-01\"\n}\n"),
        "{text}"
    );
    // An empty file, or one of comments only, is added to.
    for start in ["", "# Restore times of the shop.\n"] {
        std::fs::write(&out, start).unwrap();
        let o = measure(dir.path(), &out, BOTH, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(
            text.starts_with(start) && text.contains("measurement \"orders-db\""),
            "{text}"
        );
    }
    // Two measurements of one asset in the file stop the update.
    std::fs::write(&out, format!("{hand}{hand}")).unwrap();
    let o = measure(dir.path(), &out, BOTH, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing written"), "{}", stderr(&o));
}
