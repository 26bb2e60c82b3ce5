//! The recovery model against hand-computed expectations.
//!
//! Every expected duration below is worked out by hand from the documented
//! defaults in `src/model/params.rs`, never by calling the model:
//!
//! | default | value |
//! |---|---|
//! | `rds_multi_az_failover` | 120 s |
//! | `rds_log_interval` (PITR RPO) | 5 min |
//! | `rds_replica_lag` / `rds_replica_promotion` | 5 min / 15 min |
//! | `rds_restore_base` (snapshot restore until available) / `rds_log_replay` (PITR) | 20 min / 1 h |
//! | `decision_time` before every manual recovery | 15 min |
//! | detection: `az_detection` / Region: health-check alarm (interval x threshold + 60 s) or `unalarmed_detection` | 5 min / 15 min without endpoints |
//! | `rds_backup_replication_delay` | 30 min |
//! | `s3_crr_bound` / `s3_rtc_bound` / `s3_continuous_rpo` | 48 h / 15 min / 1 s |
//! | `s3_restore_base` + the larger of objects at `s3_restore_objects_per_second` and data at `s3_restore_gb_per_hour` | 15 min + max(objects / 1200 s, GB / 21000 h); `s3_default_object_kb` 128 |
//! | `backup_start_window` / `backup_copy_delay` | 1 h / 1 h |
//! | `cutover` | 5 min |
//! | `dns_propagation` / `alias_ttl` | 60 s / 60 s |
//!
//! So, in seconds: an RDS snapshot restore is 20m + 5m cutover of work whatever
//! the size (the storage then loads lazily, not counted), a point-in-time restore
//! 20m + 1h + 5m = 5100; a manual recovery first waits 15m + 15m = 1800 in the
//! Region scenario without endpoints, 5m + 15m = 1200 in the AZ scenario, 15m in
//! the corruption scenario. An S3 restore is the larger of an object
//! term (objects at 1,200/s; without `objects`, size / 128 KB) and a byte term (at
//! 21,000 GB/h): of 100 GB, 781,250 objects take 652 s (the bytes 18 s), so
//! 900 + 652 + 300 = 1852; of 50 GB, 390,625 objects take 326 s: 1526.
//!
//! Built-in tiers `[az, region, corruption]` as (RPO, RTO):
//! mission-critical (1m, 15m) (15m, 1h) (15m, 4h); critical (15m, 1h) (1h, 4h)
//! (1h, 8h); important (4h, 8h) (24h, 24h) (24h, 24h); non-critical (24h, 72h)
//! (none) (48h, 72h).

mod common;

use lifeboat::Analysis;
use lifeboat::check::Verdict::{self, Breached, Met, NoObjective};
use lifeboat::check::estimate::{Path, Source, best, paths};
use lifeboat::check::mechanisms::{Backup, Mechanisms};
use lifeboat::model::Scenario::{self, Az, Corruption, Region};
use lifeboat::model::{Dur, Objective, tiers};
use lifeboat::source::{SourceFile, Sources};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

// ---------------------------------------------------------------------------
// Inventory builders
// ---------------------------------------------------------------------------

const PROJECT: &str = r#"project "t" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
}
"#;

fn analyze(text: &str) -> Analysis {
    lifeboat::analyze(Sources::new(vec![SourceFile::new("t.hcl", text)]))
}

/// A whole inventory: the project block, then `parts`.
fn inv(parts: &[String]) -> String {
    let mut s = PROJECT.to_owned();
    for p in parts {
        s.push('\n');
        s.push_str(p);
    }
    s
}

fn tier(name: &str, body: &str) -> String {
    format!("tier \"{name}\" {{\n{body}\n}}\n")
}

fn assumptions(body: &str) -> String {
    format!("assumptions {{\n{body}\n}}\n")
}

fn rds(id: &str, tier: &str, storage_gb: u32, multi_az: bool, extra: &str) -> String {
    format!(
        "asset \"{id}\" {{\n  kind       = \"rds\"\n  tier       = \"{tier}\"\n  identifier = \"{id}-prod\"\n  engine     = \"postgres\"\n  storage_gb = {storage_gb}\n  multi_az   = {multi_az}\n{extra}\n}}\n"
    )
}

fn s3(id: &str, tier: &str, size_gb: Option<u32>, extra: &str) -> String {
    let size = size_gb.map_or_else(String::new, |g| format!("  size_gb = {g}\n"));
    format!(
        "asset \"{id}\" {{\n  kind   = \"s3\"\n  tier   = \"{tier}\"\n  bucket = \"t-{id}-bucket\"\n{size}{extra}\n}}\n"
    )
}

fn aurora(id: &str, tier: &str, storage_gb: u32, multi_az: bool, extra: &str) -> String {
    format!(
        "asset \"{id}\" {{\n  kind               = \"aurora\"\n  tier               = \"{tier}\"\n  cluster_identifier = \"{id}-prod\"\n  engine             = \"aurora-postgresql\"\n  storage_gb         = {storage_gb}\n  multi_az           = {multi_az}\n{extra}\n}}\n"
    )
}

fn dynamodb(id: &str, tier: &str, size_gb: u32, extra: &str) -> String {
    format!(
        "asset \"{id}\" {{\n  kind    = \"dynamodb\"\n  tier    = \"{tier}\"\n  table   = \"{id}-prod\"\n  size_gb = {size_gb}\n{extra}\n}}\n"
    )
}

fn efs(id: &str, tier: &str, size_gb: u32, extra: &str) -> String {
    format!(
        "asset \"{id}\" {{\n  kind           = \"efs\"\n  tier           = \"{tier}\"\n  file_system_id = \"fs-0123456789abcdef0\"\n  size_gb        = {size_gb}\n{extra}\n}}\n"
    )
}

fn endpoint_with(id: &str, tier: &str, primary: &str, secondary: &str, extra: &str) -> String {
    format!(
        "asset \"{id}\" {{\n  kind    = \"endpoint\"\n  tier    = \"{tier}\"\n  zone_id = \"Z0123456789ABCDEFGHIJ\"\n  domain  = \"{id}.example.com\"\n  primary {{\n    {primary}\n  }}\n  secondary {{\n    {secondary}\n  }}\n{extra}\n}}\n"
    )
}

/// An endpoint with a CNAME (hostname) pair.
fn endpoint(id: &str, tier: &str, extra: &str) -> String {
    endpoint_with(
        id,
        tier,
        "hostname = \"app-use1.example.com\"",
        "hostname = \"app-usw2.example.com\"",
        extra,
    )
}

const ALIAS_PRIMARY: &str = "alias_name    = \"lb-use1.us-east-1.elb.amazonaws.com\"\n    alias_zone_id = \"Z35SXDOTRQ7X7K\"";
const ALIAS_SECONDARY: &str = "alias_name    = \"lb-usw2.us-west-2.elb.amazonaws.com\"\n    alias_zone_id = \"Z1H1FL5HABSF5\"";

fn codes(a: &Analysis) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = a.diagnostics.iter().map(|d| d.code.as_str()).collect();
    v.sort_unstable();
    v
}

fn dump(a: &Analysis) -> String {
    a.diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} (hint: {})",
                d.code.as_str(),
                d.message,
                d.hint.as_deref().unwrap_or("-")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

/// One hand-computed case. Durations are seconds; `Some(None)` expects "no
/// recovery path". `codes` is every diagnostic of the inventory (sorted).
#[derive(Default)]
struct Case {
    name: &'static str,
    inventory: String,
    asset: &'static str,
    scenario: Option<Scenario>,
    no_recovery: bool,
    rpo: Option<Option<u64>>,
    own_rto: Option<Option<u64>>,
    effective_rto: Option<Option<u64>>,
    rpo_verdict: Option<Verdict>,
    rto_verdict: Option<Verdict>,
    critical_path: Option<&'static [&'static str]>,
    chosen: &'static [&'static str],
    not_chosen: &'static [&'static str],
    codes: &'static [&'static str],
    hint: Option<(&'static str, &'static str)>,
    message: Option<(&'static str, &'static str)>,
}

fn case(name: &'static str, inventory: String) -> Case {
    Case {
        name,
        inventory,
        ..Case::default()
    }
}

impl Case {
    fn at(mut self, asset: &'static str, s: Scenario) -> Self {
        self.asset = asset;
        self.scenario = Some(s);
        self
    }
    fn rpo(mut self, secs: u64) -> Self {
        self.rpo = Some(Some(secs));
        self
    }
    fn own(mut self, secs: u64) -> Self {
        self.own_rto = Some(Some(secs));
        self
    }
    fn no_path(mut self) -> Self {
        self.rpo = Some(None);
        self.own_rto = Some(None);
        self.effective_rto = Some(None);
        self
    }
    fn eff(mut self, secs: u64) -> Self {
        self.effective_rto = Some(Some(secs));
        self
    }
    fn verdicts(mut self, rpo: Verdict, rto: Verdict) -> Self {
        self.rpo_verdict = Some(rpo);
        self.rto_verdict = Some(rto);
        self
    }
    fn path(mut self, ids: &'static [&'static str]) -> Self {
        self.critical_path = Some(ids);
        self
    }
    fn chosen(mut self, names: &'static [&'static str]) -> Self {
        self.chosen = names;
        self
    }
    fn not_chosen(mut self, names: &'static [&'static str]) -> Self {
        self.not_chosen = names;
        self
    }
    fn codes(mut self, codes: &'static [&'static str]) -> Self {
        self.codes = codes;
        self
    }
    fn hint(mut self, code: &'static str, text: &'static str) -> Self {
        self.hint = Some((code, text));
        self
    }
    fn message(mut self, code: &'static str, text: &'static str) -> Self {
        self.message = Some((code, text));
        self
    }
    fn no_recovery(mut self) -> Self {
        self.no_recovery = true;
        self
    }
}

fn secs(d: Option<Dur>) -> Option<u64> {
    d.map(Dur::as_secs)
}

fn run_case(c: &Case) {
    let name = c.name;
    let a = analyze(&c.inventory);
    assert_eq!(codes(&a), c.codes, "{name}: diagnostics\n{}", dump(&a));
    for (expect, what) in [(c.hint, "hint"), (c.message, "message")] {
        let Some((code, text)) = expect else { continue };
        let d = a
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == code)
            .unwrap_or_else(|| panic!("{name}: no {code}\n{}", dump(&a)));
        let got = if what == "hint" {
            d.hint.clone().unwrap_or_default()
        } else {
            d.message.clone()
        };
        assert!(
            got.contains(text),
            "{name}: {code} {what} should mention {text:?}, got {got:?}"
        );
    }
    if c.no_recovery {
        assert!(
            a.recovery.is_none(),
            "{name}: the recovery model must not run on a broken inventory"
        );
        return;
    }
    let rec = a
        .recovery
        .as_ref()
        .unwrap_or_else(|| panic!("{name}: no recovery\n{}", dump(&a)));
    let Some(s) = c.scenario else { return };
    let asset = rec
        .assets
        .iter()
        .find(|r| r.id == c.asset)
        .unwrap_or_else(|| panic!("{name}: no asset {}", c.asset));
    let r = &asset.scenarios[s.index()];
    assert_eq!(r.scenario, s, "{name}: scenario index");
    if let Some(rpo) = c.rpo {
        assert_eq!(
            secs(r.rpo),
            rpo,
            "{name}: RPO (path {:?})",
            r.path.as_ref().map(|p| p.name())
        );
    }
    if let Some(own) = c.own_rto {
        assert_eq!(
            secs(r.own_rto),
            own,
            "{name}: own RTO (path {:?})",
            r.path.as_ref().map(|p| p.name())
        );
    }
    // Without dependencies the effective RTO is the own RTO.
    let eff = c.effective_rto.or(if c.critical_path.is_none() {
        c.own_rto
    } else {
        None
    });
    if let Some(eff) = eff {
        assert_eq!(secs(r.effective_rto), eff, "{name}: effective RTO");
    }
    if let Some(v) = c.rpo_verdict {
        assert_eq!(r.rpo_verdict, v, "{name}: RPO verdict");
    }
    if let Some(v) = c.rto_verdict {
        assert_eq!(r.rto_verdict, v, "{name}: RTO verdict");
    }
    let expected_path: Vec<&str> = c
        .critical_path
        .map_or_else(|| vec![c.asset], <[&str]>::to_vec);
    assert_eq!(r.critical_path, expected_path, "{name}: critical path");
    for m in c.chosen {
        assert!(
            asset.mechanism_names.iter().any(|n| n == m),
            "{name}: {m} should be chosen, got {:?}",
            asset.mechanism_names
        );
    }
    for m in c.not_chosen {
        assert!(
            !asset.mechanism_names.iter().any(|n| n == m),
            "{name}: {m} should not be chosen, got {:?}",
            asset.mechanism_names
        );
    }
}

const REPLICA: &str = "rds-cross-region-read-replica";
const BACKUP_REPLICATION: &str = "rds-automated-backup-replication";
const CONTINUOUS: &str = "aws-backup-continuous";
const COPY: &str = "aws-backup-cross-region-copy";
const CRR: &str = "s3-crr";
const CRR_RTC: &str = "s3-crr-rtc";

fn rds_cases() -> Vec<Case> {
    let fast_az = tier("fast-az", "  scenario \"az\" {\n    rto = \"10m\"\n  }");
    let mc_pinned_replica_no_continuous = rds(
        "db",
        "mission-critical",
        100,
        true,
        "  dr {\n    read_replica      = true\n    continuous_backup = false\n  }",
    );
    let continuous_and_copy = inv(&[rds(
        "db",
        "important",
        100,
        true,
        "  dr {\n    read_replica       = false\n    backup_replication = false\n    continuous_backup  = true\n    backup_frequency   = \"4h\"\n    cross_region_copy  = true\n  }",
    )]);
    let hourly = "  dr {\n    backup_frequency  = \"1h\"\n    continuous_backup = false\n  }";
    vec![
        // AZ loss -----------------------------------------------------------------
        case(
            "rds/az/multi-az-failover",
            inv(&[rds("db", "critical", 100, true, "")]),
        )
        .at("db", Az)
        // synchronous standby: RPO 0; failover 120 s
        .rpo(0)
        .own(120)
        .verdicts(Met, Met),
        case(
            "rds/az/single-az-pitr-100gb",
            inv(&[rds("db", "important", 100, false, "")]),
        )
        .at("db", Az)
        // PITR: RPO = log interval 5m = 300; RTO = AZ detection 5m + decision 15m
        // + 20m snapshot + 1h log replay + 5m cutover = 1h45m = 6300
        .rpo(300)
        .own(6300)
        .verdicts(Met, Met),
        case(
            "rds/az/single-az-pitr-400gb",
            inv(&[rds("db", "important", 400, false, "")]),
        )
        .at("db", Az)
        // the same 6300: the size loads lazily after the instance is available
        .rpo(300)
        .own(6300)
        .verdicts(Met, Met),
        case(
            "rds/az/single-az-under-10m-rto",
            inv(&[fast_az.clone(), rds("db", "fast-az", 100, false, "")]),
        )
        .at("db", Az)
        // 6300 > 10m: only Multi-AZ (120 s) would do
        .rpo(300)
        .own(6300)
        .verdicts(NoObjective, Breached)
        .codes(&["E302"])
        .hint("E302", "Multi-AZ"),
        case(
            "rds/az/multi-az-under-10m-rto",
            inv(&[fast_az, rds("db", "fast-az", 100, true, "")]),
        )
        .at("db", Az)
        // 120 s <= 10m
        .rpo(0)
        .own(120)
        .verdicts(NoObjective, Met),
        case(
            "rds/az/assumed-log-replay-and-decision",
            inv(&[
                assumptions("  rds_log_replay = \"10m\"\n  decision_time = \"5m\"\n  rds_restore_gb_per_hour = 400"),
                rds("db", "important", 400, false, ""),
            ]),
        )
        .at("db", Az)
        // 5m + 5m + 20m + 10m + 5m = 45m = 2700 (the lazy-loading rate is not in the RTO)
        .own(2700),
        case(
            "rds/az/measured-restore",
            inv(&[rds(
                "db",
                "important",
                400,
                false,
                "  measured {\n    restore = \"30m\"\n  }",
            )]),
        )
        .at("db", Az)
        // measured restore 30m replaces 20m + 1h; detection 5m, decision 15m and
        // cutover 5m stay: 55m = 3300
        .rpo(300)
        .own(3300),
        case(
            "rds/az/measured-failover",
            inv(&[rds(
                "db",
                "critical",
                100,
                true,
                "  measured {\n    failover = \"45s\"\n  }",
            )]),
        )
        .at("db", Az)
        // measured 45 s replaces the 120 s default
        .rpo(0)
        .own(45),
        // Region loss ---------------------------------------------------------------
        case(
            "rds/region/mission-critical-gets-read-replica",
            inv(&[rds("db", "mission-critical", 100, true, "")]),
        )
        .at("db", Region)
        // replica: RPO = lag 5m = 300; RTO = no endpoint, so people learn of the
        // outage in 15m, decision 15m, promotion 15m, cutover 5m = 50m = 3000
        .rpo(300)
        .own(3000)
        .verdicts(Met, Met)
        .chosen(&[REPLICA, CONTINUOUS])
        .not_chosen(&[BACKUP_REPLICATION, COPY]),
        case(
            "rds/region/critical-uses-backup-replication",
            inv(&[rds("db", "critical", 100, true, "")]),
        )
        .at("db", Region)
        // RPO = 5m log interval + 30m replication delay = 35m = 2100 (<= 1h);
        // RTO 15m + 15m + 20m + 1h replay + 5m = 1h55m = 6900 (<= 4h)
        .rpo(2100)
        .own(6900)
        .verdicts(Met, Met)
        .chosen(&[BACKUP_REPLICATION, CONTINUOUS])
        .not_chosen(&[REPLICA]),
        case(
            "rds/region/important-gets-no-read-replica",
            inv(&[rds("db", "important", 100, true, "")]),
        )
        .at("db", Region)
        // cheapest for (24h, 24h): backup replication (cost 30) + 12h schedule for corruption
        .rpo(2100)
        .own(6900)
        .verdicts(Met, Met)
        .chosen(&[BACKUP_REPLICATION, "aws-backup-every-12h"])
        .not_chosen(&[REPLICA, CONTINUOUS, COPY]),
        case(
            "rds/region/non-critical-has-no-region-objective",
            inv(&[rds("db", "non-critical", 100, false, "")]),
        )
        .at("db", Region)
        // no Region objective, nothing bought for it: no recovery path, no verdict
        .no_path()
        .verdicts(NoObjective, NoObjective)
        .chosen(&["aws-backup-every-1d"])
        .not_chosen(&[REPLICA, BACKUP_REPLICATION, COPY]),
        case(
            "rds/region/continuous-backup-is-in-region-only",
            continuous_and_copy.clone(),
        )
        .at("db", Region)
        // the copy of a continuous backup is a snapshot: 4h interval + 1h window + 1h copy = 6h = 21600;
        // a snapshot restore: 15m + 15m + 20m + 5m = 55m = 3300
        .rpo(21_600)
        .own(3300)
        .verdicts(Met, Met)
        .chosen(&[CONTINUOUS, "aws-backup-every-4h", COPY]),
        case(
            "rds/region/replica-rto-is-promotion-plus-cutover",
            inv(&[
                tier(
                    "fifty",
                    "  scenario \"region\" {\n    rpo = \"5m\"\n    rto = \"50m\"\n  }",
                ),
                rds("db", "fifty", 100, true, ""),
            ]),
        )
        .at("db", Region)
        // 15m + 15m + 15m + 5m = 50m = 3000 <= 50m (boundary); lag 5m <= 5m
        .rpo(300)
        .own(3000)
        .verdicts(Met, Met)
        .chosen(&[REPLICA]),
        case(
            "rds/region/replica-misses-19m-rto",
            inv(&[
                tier(
                    "forty-nine",
                    "  scenario \"region\" {\n    rpo = \"5m\"\n    rto = \"49m\"\n  }",
                ),
                rds("db", "forty-nine", 100, true, ""),
            ]),
        )
        .at("db", Region)
        // 50m = 3000 > 49m
        .rpo(300)
        .own(3000)
        .verdicts(Met, Breached)
        .codes(&["E302"]),
        case(
            "rds/region/assumed-replica-promotion",
            inv(&[
                assumptions("  rds_replica_promotion = \"20m\""),
                rds("db", "mission-critical", 100, true, ""),
            ]),
        )
        .at("db", Region)
        // 15m + 15m + 20m + 5m = 55m = 3300 (<= 1h)
        .rpo(300)
        .own(3300)
        .verdicts(Met, Met),
        case(
            "rds/region/measured-failover-replaces-promotion",
            inv(&[rds(
                "db",
                "mission-critical",
                100,
                true,
                "  measured {\n    failover = \"45s\"\n  }",
            )]),
        )
        .at("db", Region)
        // measured 45 s replaces the 15m promotion; detection 15m, decision 15m and
        // cutover 5m stay: 1800 + 45 + 300 = 2145
        .rpo(300)
        .own(2145),
        case(
            "rds/region/pinned-no-replica-cannot-meet-mission-critical",
            inv(&[rds(
                "db",
                "mission-critical",
                100,
                true,
                "  dr {\n    read_replica = false\n  }",
            )]),
        )
        .at("db", Region)
        // both Region paths miss the 15m RPO; the restore of the copied snapshot
        // (3h = 10800; RTO 15m + 15m + 20m + 5m = 3300 <= 1h) misses only that, the
        // replicated backups' PITR (35m, RTO 6900) both
        .rpo(10_800)
        .own(3300)
        .verdicts(Breached, Met)
        .codes(&["E301"])
        .hint("E301", "read_replica = true"),
        // Corruption ---------------------------------------------------------------
        case(
            "rds/corruption/mission-critical-uses-continuous-backup",
            inv(&[rds("db", "mission-critical", 100, true, "")]),
        )
        .at("db", Corruption)
        // continuous PITR: 5m = 300 (<= 15m); decision 15m + 20m + 1h + 5m = 6000
        .rpo(300)
        .own(6000)
        .verdicts(Met, Met)
        .chosen(&[CONTINUOUS]),
        case(
            "rds/corruption/important-12h-schedule",
            inv(&[rds("db", "important", 100, true, "")]),
        )
        .at("db", Corruption)
        // 12h interval + 1h start window = 13h = 46800 (<= 24h); 15m + 20m + 5m = 2400
        .rpo(46_800)
        .own(2400)
        .verdicts(Met, Met),
        case(
            "rds/corruption/read-replica-never-helps",
            inv(&[mc_pinned_replica_no_continuous]),
        )
        .at("db", Corruption)
        // the replica (lag 5m) carries the damage; best is the hourly schedule:
        // 1h + 1h window = 2h = 7200 > 15m
        .rpo(7200)
        .own(2400)
        .verdicts(Breached, Met)
        .chosen(&[REPLICA, "aws-backup-every-1h"])
        .codes(&["E301"])
        .hint("E301", "continuous_backup = true"),
        case("rds/corruption/continuous-backup-pitr", continuous_and_copy)
            .at("db", Corruption)
            // both meet (24h, 24h); the faster is reported: the 4h snapshot
            // (4h + 1h = 18000, RTO 2400), not the PITR (300, RTO 6000)
            .rpo(18_000)
            .own(2400),
        case(
            "rds/corruption/continuous-backup-pitr-when-the-rpo-needs-it",
            inv(&[
                tier("one-hour", "  scenario \"corruption\" {\n    rpo = \"1h\"\n  }"),
                rds(
                    "db",
                    "one-hour",
                    100,
                    true,
                    "  dr {\n    continuous_backup = true\n    backup_frequency  = \"4h\"\n  }",
                ),
            ]),
        )
        .at("db", Corruption)
        // only the PITR of the continuous backup meets 1h: 5m = 300; RTO 6000
        .rpo(300)
        .own(6000)
        .verdicts(Met, NoObjective),
        case(
            "rds/corruption/daily-backups-under-4h-rpo",
            inv(&[
                tier(
                    "four-hour",
                    "  scenario \"corruption\" {\n    rpo = \"4h\"\n  }",
                ),
                rds(
                    "db",
                    "four-hour",
                    100,
                    true,
                    "  dr {\n    backup_frequency  = \"24h\"\n    continuous_backup = false\n  }",
                ),
            ]),
        )
        .at("db", Corruption)
        // 24h + 1h window = 25h = 90000 > 4h
        .rpo(90_000)
        .own(2400)
        .verdicts(Breached, NoObjective)
        .codes(&["E301"]),
        case(
            "rds/corruption/hourly-schedule-meets-2h",
            inv(&[
                tier(
                    "two-hour",
                    "  scenario \"corruption\" {\n    rpo = \"2h\"\n  }",
                ),
                rds("db", "two-hour", 100, true, hourly),
            ]),
        )
        .at("db", Corruption)
        // 1h + 1h window = 2h = 7200 <= 2h (boundary)
        .rpo(7200)
        .verdicts(Met, NoObjective),
        case(
            "rds/corruption/start-window-counts",
            inv(&[
                tier(
                    "almost-two",
                    "  scenario \"corruption\" {\n    rpo = \"1h59m\"\n  }",
                ),
                rds("db", "almost-two", 100, true, hourly),
            ]),
        )
        .at("db", Corruption)
        // 2h = 7200 > 1h59m: would pass if the 1h start window were left out
        .rpo(7200)
        .verdicts(Breached, NoObjective)
        .codes(&["E301"]),
        case(
            "rds/config/backup-every-30m-is-rejected",
            inv(&[rds(
                "db",
                "important",
                100,
                true,
                "  dr {\n    backup_frequency = \"30m\"\n  }",
            )]),
        )
        .codes(&["E118"])
        .no_recovery(),
    ]
}

fn s3_cases() -> Vec<Case> {
    let crr_only = "  dr {\n    replication              = true\n    replication_time_control = false\n    cross_region_copy        = false\n  }";
    let continuous_and_copy = inv(&[s3(
        "files",
        "important",
        Some(100),
        "  dr {\n    replication       = false\n    continuous_backup = true\n    backup_frequency  = \"4h\"\n    cross_region_copy = true\n  }",
    )]);
    vec![
        case("s3/az/not-affected", inv(&[s3("files", "critical", Some(100), "")]))
            .at("files", Az)
            // data in at least three AZs: 0 and 0
            .rpo(0)
            .own(0)
            .verdicts(Met, Met),
        case("s3/region/crr-without-rtc-is-48h", inv(&[s3("files", "non-critical", Some(100), crr_only)]))
            .at("files", Region)
            // CRR without RTC has no bound below 48 h = 172800; switching buckets:
            // 15m until people learn of the outage, 15m decision, 5m cutover = 2100
            .rpo(172_800)
            .own(2100)
            .verdicts(NoObjective, NoObjective)
            .chosen(&[CRR])
            .not_chosen(&[CRR_RTC, COPY]),
        case("s3/region/crr-with-rtc-is-15m", inv(&[s3("files", "non-critical", Some(100), "  dr {\n    replication_time_control = true\n  }")]))
            .at("files", Region)
            // RTC: 15m = 900; 1800 + cutover 300 = 2100
            .rpo(900)
            .own(2100)
            .chosen(&[CRR_RTC]),
        case("s3/region/crr-without-rtc-rejected-under-1h-rpo", inv(&[s3("files", "critical", Some(100), crr_only)]))
            .at("files", Region)
            // 48h > 1h and no backup copy allowed
            .rpo(172_800)
            .own(2100)
            .verdicts(Breached, Met)
            .codes(&["E301"]),
        case("s3/region/continuous-backup-is-in-region-only", continuous_and_copy.clone())
            .at("files", Region)
            // 4h + 1h window + 1h copy = 6h = 21600, not 1 s; 1800 + restore 15m + 652 s + 5m = 3652
            .rpo(21_600)
            .own(3652)
            .verdicts(Met, Met),
        case("s3/region/important-uses-backup-copy", inv(&[s3("files", "important", Some(100), "")]))
            .at("files", Region)
            // cheapest for (24h, 24h): 12h + 1h + 1h = 14h = 50400; 1800 + 1852 = 3652
            .rpo(50_400)
            .own(3652)
            .verdicts(Met, Met)
            .chosen(&["aws-backup-every-12h", COPY])
            .not_chosen(&[CRR, CRR_RTC]),
        case("s3/region/mission-critical-uses-rtc", inv(&[s3("files", "mission-critical", Some(100), "")]))
            .at("files", Region)
            .rpo(900)
            .own(2100)
            .verdicts(Met, Met)
            .chosen(&[CRR_RTC, CONTINUOUS]),
        case("s3/region/measured-failover", inv(&[s3("files", "mission-critical", Some(100), "  measured {\n    failover = \"2m\"\n  }")]))
            .at("files", Region)
            // measured 2m replaces the 5m cutover; detection and decision stay: 1920
            .rpo(900)
            .own(1920),
        case("s3/corruption/mission-critical-continuous", inv(&[s3("files", "mission-critical", Some(100), "")]))
            .at("files", Corruption)
            // continuous backup: 1 s; decision 15m + restore 1852 = 2752
            .rpo(1)
            .own(2752)
            .verdicts(Met, Met),
        case(
            "s3/corruption/replication-copies-corruption",
            inv(&[s3(
                "files",
                "mission-critical",
                Some(100),
                "  dr {\n    replication              = true\n    replication_time_control = true\n    continuous_backup        = false\n  }",
            )]),
        )
        .at("files", Corruption)
        // RTC's 15m would meet 15m if it counted; only the hourly schedule does: 2h = 7200
        .rpo(7200)
        .own(2752)
        .verdicts(Breached, Met)
        .chosen(&[CRR_RTC, "aws-backup-every-1h"])
        .codes(&["E301"])
        .hint("E301", "continuous_backup = true"),
        case("s3/corruption/continuous-backup-1s", continuous_and_copy)
            .at("files", Corruption)
            .rpo(1)
            .own(2752),
        case("s3/corruption/assumed-default-size", inv(&[assumptions("  s3_default_size_gb = 200"), s3("files", "important", None, "")]))
            .at("files", Corruption)
            // no size_gb: 200 GB assumed, 1,562,500 objects at 1200/s = 1303 s:
            // decision 900 + 900 + 1303 + 300 = 3403; 12h + 1h = 46800
            .rpo(46_800)
            .own(3403),
        case("s3/corruption/measured-restore", inv(&[s3("files", "important", Some(100), "  measured {\n    restore = \"10m\"\n  }")]))
            .at("files", Corruption)
            // measured 10m replaces the restore; decision 15m and cutover 5m stay: 1800
            .own(1800),
        case("s3/config/backup-every-30m-is-rejected", inv(&[s3("files", "important", Some(100), "  dr {\n    backup_frequency = \"30m\"\n  }")]))
            .codes(&["E118"])
            .no_recovery(),
    ]
}

fn endpoint_cases() -> Vec<Case> {
    vec![
        case("endpoint/region/defaults", inv(&[endpoint("web", "critical", "")]))
            .at("web", Region)
            // 30 s x 3 + 60 s propagation + 60 s TTL = 210
            .rpo(0)
            .own(210)
            .verdicts(Met, Met)
            .chosen(&["route53-failover"]),
        case(
            "endpoint/region/cname-ttl-counts",
            inv(&[endpoint("web", "critical", "  ttl = 300\n  health_check {\n    interval          = 10\n    failure_threshold = 2\n  }")]),
        )
        .at("web", Region)
        // 10 s x 2 + 60 s + 300 s TTL = 380
        .own(380),
        case("endpoint/region/alias-pair-uses-60s", inv(&[endpoint_with("web", "critical", ALIAS_PRIMARY, ALIAS_SECONDARY, "  ttl = 300")]))
            .at("web", Region)
            // alias answers carry the target's TTL (60 s), not `ttl`: 90 + 60 + 60 = 210
            .own(210),
        case(
            "endpoint/region/mixed-pair-is-cname",
            inv(&[endpoint_with("web", "critical", ALIAS_PRIMARY, "hostname = \"app-usw2.example.com\"", "  ttl = 120")]),
        )
        .at("web", Region)
        // 90 + 60 + 120 = 270
        .own(270),
        case("endpoint/region/detection-exceeds-1m-rto", inv(&[tier("one-minute", "  rto = \"1m\""), endpoint("web", "one-minute", "")]))
            .at("web", Region)
            // detection alone is 30 s x 3 = 90 s > 1m
            .own(210)
            .verdicts(NoObjective, Breached)
            .codes(&["E302"])
            .message("E302", "dominant term: health check detection"),
        case("endpoint/region/measured-failover", inv(&[endpoint("web", "critical", "  measured {\n    failover = \"90s\"\n  }")]))
            .at("web", Region)
            .own(90),
        case("endpoint/region/assumed-propagation", inv(&[assumptions("  dns_propagation = \"30s\""), endpoint("web", "critical", "")]))
            .at("web", Region)
            // 90 + 30 + 60 = 180
            .own(180),
        case("endpoint/az/not-affected", inv(&[endpoint("web", "mission-critical", "")]))
            .at("web", Az)
            .rpo(0)
            .own(0)
            .verdicts(Met, Met),
        case("endpoint/corruption/nothing-to-restore", inv(&[endpoint("web", "mission-critical", "")]))
            .at("web", Corruption)
            .rpo(0)
            .own(0)
            .verdicts(Met, Met),
    ]
}

/// web -> [media, db], db -> files; all `important`.
fn chain() -> String {
    inv(&[
        endpoint("web", "important", "  depends_on = [\"media\", \"db\"]"),
        rds("db", "important", 400, true, "  depends_on = [\"files\"]"),
        s3("files", "important", Some(100), ""),
        s3("media", "important", Some(50), ""),
    ])
}

/// A mission-critical endpoint on a 400 GB `important` database.
/// The database restores slowly (measured 1h): a restore of it takes 150 s
/// detection + 15m decision + 1h + 5m cutover = 4950 s.
fn fast_endpoint_on_db(db_extra: &str) -> String {
    inv(&[
        endpoint("web", "mission-critical", "  depends_on = [\"db\"]"),
        rds(
            "db",
            "important",
            400,
            true,
            &format!("{db_extra}\n  measured {{\n    restore = \"1h\"\n  }}"),
        ),
    ])
}

fn dependency_cases() -> Vec<Case> {
    let restore_only =
        "  dr {\n    read_replica       = false\n    backup_replication = false\n  }";
    vec![
        case("dependency/region/slowest-chain", chain())
            .at("web", Region)
            // the endpoint's health-check alarm detects in 30 s x 3 + 60 s = 150; with
            // the decision, work starts at 1050. files: 1050 + 1852 = 2902 (media 2576);
            // db: replicated backups, max(1050, 2902) + 20m + 1h + 5m = 8002; web (own
            // 210, automated): 8002 + 210 = 8212
            .own(210)
            .eff(8212)
            .path(&["web", "db", "files"])
            .verdicts(Met, Met),
        case("dependency/region/middle-of-chain", chain())
            .at("db", Region)
            // own 1050 + 5100 = 6150; after files (2902): 2902 + 5100 = 8002
            .rpo(2100)
            .own(6150)
            .eff(8002)
            .path(&["db", "files"]),
        case("dependency/corruption/slowest-chain", chain())
            .at("web", Corruption)
            // files 900 + 1852 = 2752; db's snapshot restore (its decision has passed):
            // 2752 + 20m + 5m = 4252; web 0
            .own(0)
            .eff(4252)
            .path(&["web", "db", "files"]),
        case("dependency/az/slowest-chain", chain())
            .at("web", Az)
            // 0 + db Multi-AZ 120 + files 0 = 120 (media 0)
            .own(0)
            .eff(120)
            .path(&["web", "db", "files"]),
        case(
            "dependency/region/restore-only-db-breaks-fast-endpoint",
            fast_endpoint_on_db(restore_only),
        )
        .at("web", Region)
        // own 210 <= 1h, but 4950 + 210 = 5160 (1h26m) > 1h
        .own(210)
        .eff(5160)
        .path(&["web", "db"])
        .verdicts(Met, Breached)
        .codes(&["E303"])
        .message("E303", "web (3m30s) -> db (1h22m30s)")
        .hint("E303", "`db` must serve again within 56m30s"),
        case(
            "dependency/region/restore-only-db-meets-its-own-tier",
            fast_endpoint_on_db(restore_only),
        )
        .at("db", Region)
        // 12h + 1h + 1h = 14h = 50400 <= 24h; 4950 <= 24h
        .rpo(50_400)
        .own(4950)
        .verdicts(Met, Met)
        .chosen(&["aws-backup-every-12h", COPY])
        .codes(&["E303"]),
        case(
            "dependency/region/dependent-budget-buys-a-replica",
            fast_endpoint_on_db(""),
        )
        .at("web", Region)
        // the db's budget is 1h - 210 s = 56m30s < its restore's 4950: a replica,
        // promoted by the Region switch plan: its trigger (90 s + 60 s alarm) and
        // 60 s to start, then 15m + 5m = 1410; then web: 1410 + 210 = 1620
        .own(210)
        .eff(1620)
        .path(&["web", "db"])
        .verdicts(Met, Met),
        case(
            "dependency/region/important-db-gets-replica-for-its-dependent",
            fast_endpoint_on_db(""),
        )
        .at("db", Region)
        .rpo(300)
        .own(1410)
        .chosen(&[REPLICA, "aws-backup-every-12h"]),
    ]
}

/// Ransomware isolation (`isolated_copy`, `account_compromise`). With
/// `account_compromise` only the copy in the logically air-gapped vault counts
/// for corruption: RPO = snapshot interval + 1h start window + 1h
/// `isolated_copy_delay`; RTO = 15m decision + 30m `isolated_restore_access` +
/// the snapshot restore. Without it the isolated copy changes nothing there.
fn isolated_cases() -> Vec<Case> {
    // Objectives for the corruption scenario only (the others have none).
    const CORRUPTION_ONLY: &str =
        "  scenario \"corruption\" {\n    rpo = \"1d\"\n    rto = \"1d\"\n  }\n";
    const ISOLATED: &str = "aws-backup-isolated-copy";
    let vault = |extra: &str| {
        tier(
            "vault",
            &format!("{CORRUPTION_ONLY}  isolated_copy = true\n{extra}"),
        )
    };
    // S3 with scheduled backups every 4h, no continuous backup, no replication.
    let s3_4h = "  dr {\n    replication       = false\n    continuous_backup = false\n    backup_frequency  = \"4h\"\n    cross_region_copy = false\n  }";
    let aurora_4h = "  dr {\n    global_database   = false\n    continuous_backup = false\n    backup_frequency  = \"4h\"\n    cross_region_copy = false\n  }";
    vec![
        // 4h + 1h + 1h; 15m + 30m + (15m + 652s + 5m) = 900 + 1800 + 1852.
        case(
            "isolated/s3/account-compromise-counts-the-isolated-copy",
            inv(&[
                vault("  account_compromise = true"),
                s3("files", "vault", Some(100), s3_4h),
            ]),
        )
        .at("files", Corruption)
        .rpo(6 * 3600)
        .own(900 + 1800 + 1852)
        .verdicts(Met, Met)
        .chosen(&[ISOLATED, "aws-backup-every-4h"]),
        // Without account_compromise the normal vault restores: 4h + 1h; 900 + 1852.
        case(
            "isolated/s3/ordinary-corruption-ignores-the-isolated-copy",
            inv(&[vault(""), s3("files", "vault", Some(100), s3_4h)]),
        )
        .at("files", Corruption)
        .rpo(5 * 3600)
        .own(900 + 1852)
        .chosen(&[ISOLATED]),
        // Aurora, 100 GB: 15m + 30m + 20m base + 30m at 200 GB/h + 5m cutover.
        case(
            "isolated/aurora/account-compromise-restores-from-the-recovery-account",
            inv(&[
                vault("  account_compromise = true"),
                aurora("ledger", "vault", 100, true, aurora_4h),
            ]),
        )
        .at("ledger", Corruption)
        .rpo(6 * 3600)
        .own(900 + 1800 + 1200 + 1800 + 300)
        .chosen(&[ISOLATED]),
        // The assumptions are overridable: a 2h copy delay and 1h of access.
        case(
            "isolated/aurora/assumptions-override-delay-and-access",
            inv(&[
                vault("  account_compromise = true"),
                assumptions(
                    "  isolated_copy_delay     = \"2h\"\n  isolated_restore_access = \"1h\"",
                ),
                aurora("ledger", "vault", 100, true, aurora_4h),
            ]),
        )
        .at("ledger", Corruption)
        .rpo(7 * 3600)
        .own(900 + 3600 + 1200 + 1800 + 300),
        // Account compromise without an isolated copy: W304, and nothing counts.
        case(
            "isolated/s3/account-compromise-without-copy-has-no-path",
            inv(&[
                tier(
                    "vault",
                    &format!("{CORRUPTION_ONLY}  account_compromise = true"),
                ),
                s3("files", "vault", Some(100), s3_4h),
            ]),
        )
        .codes(&["E301", "E302", "W304"])
        .hint("W304", "isolated_copy = true")
        .at("files", Corruption)
        .no_path()
        .verdicts(Breached, Breached)
        .not_chosen(&[ISOLATED]),
        // A kind lifeboat cannot confirm in the vault (RDS): W305, no copy, no path.
        case(
            "isolated/rds/unsupported-kind-gets-no-copy",
            inv(&[
                vault("  account_compromise = true"),
                rds("db", "vault", 100, true, ""),
            ]),
        )
        .codes(&["E301", "E302", "W305"])
        .message("W305", "(rds)")
        .at("db", Corruption)
        .no_path()
        .not_chosen(&[ISOLATED]),
        // DynamoDB without account_compromise: W305 and no copy; the normal
        // corruption paths still hold.
        case(
            "isolated/dynamodb/unsupported-kind-keeps-normal-corruption-paths",
            inv(&[vault(""), dynamodb("sessions", "vault", 5, "")]),
        )
        .codes(&["W305"])
        .at("sessions", Corruption)
        .verdicts(Met, Met)
        .not_chosen(&[ISOLATED]),
    ]
}

#[test]
fn hand_computed_cases() {
    let groups = [
        rds_cases(),
        s3_cases(),
        endpoint_cases(),
        dependency_cases(),
        isolated_cases(),
    ];
    let cases: Vec<Case> = groups.into_iter().flatten().collect();
    assert!(
        cases.len() >= 30,
        "the issue asks for at least 30 cases, have {}",
        cases.len()
    );
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names are unique");
    for c in &cases {
        run_case(c);
    }
}

// ---------------------------------------------------------------------------
// Rules that need more than one inventory or the estimate API directly
// ---------------------------------------------------------------------------

fn one_asset(text: &str) -> lifeboat::model::Inventory {
    let a = analyze(text);
    assert!(!a.has_errors(), "{}", dump(&a));
    a.inventory.expect("lowers")
}

#[test]
fn replication_never_recovers_corruption() {
    let bucket = one_asset(&inv(&[s3("files", "non-critical", Some(100), "")]));
    let db = one_asset(&inv(&[rds("db", "non-critical", 100, true, "")]));
    let s3_only_replication = Mechanisms {
        replication: true,
        replication_time_control: true,
        replicate_deletes: true,
        ..Mechanisms::default()
    };
    let rds_only_replica = Mechanisms {
        read_replica: true,
        backup_replication: true,
        ..Mechanisms::default()
    };
    for (name, inv, m) in [
        ("s3 with only replication", &bucket, s3_only_replication),
        ("rds with only replicas", &db, rds_only_replica),
    ] {
        let asset = &inv.assets[0];
        assert!(
            paths(asset, &m, Corruption, &inv.params).is_empty(),
            "{name}: no corruption path"
        );
        assert!(
            best(
                paths(asset, &m, Corruption, &inv.params),
                Objective::default(),
                Dur::ZERO
            )
            .is_none(),
            "{name}"
        );
        assert!(
            !paths(asset, &m, Region, &inv.params).is_empty(),
            "{name}: the replica serves the Region scenario"
        );
        // With nothing else allowed, a corruption objective is breached (what E301/E302 report).
        let goals = [
            Objective::default(),
            Objective::default(),
            Objective {
                rpo: Some(Dur::hours(48)),
                rto: Some(Dur::hours(72)),
            },
        ];
        let (_, ok) = lifeboat::check::choose(asset, &[m], &inv.params, &goals, &[Dur::ZERO; 3]);
        assert!(
            !ok,
            "{name}: replication must not meet a corruption objective"
        );
    }
}

/// Every built-in tier is met by a typical asset of every kind, with one
/// exception the physics forces: AWS Backup takes no continuous backups of EFS, so
/// its freshest recovery point is an hourly backup plus the 1 h start window, 2 h,
/// over the corruption RPO of `critical` (1 h) and `mission-critical` (15 min).
#[test]
fn every_builtin_tier_is_achievable_for_every_kind() {
    for t in tiers::BUILTIN {
        for (kind, asset) in [
            ("rds", rds("db", t, 100, true, "")),
            ("s3", s3("files", t, Some(100), "")),
            ("endpoint", endpoint("web", t, "")),
            ("aurora", aurora("cluster", t, 100, true, "")),
            ("dynamodb", dynamodb("table", t, 100, "")),
            ("efs", efs("share", t, 100, "")),
        ] {
            let a = analyze(&inv(&[asset]));
            let rec = a.recovery.as_ref().expect("model ran");
            let efs_corruption = kind == "efs" && matches!(t, "critical" | "mission-critical");
            for s in &rec.assets[0].scenarios {
                let expected = efs_corruption && s.scenario == Corruption;
                assert_eq!(
                    s.breached(),
                    expected,
                    "{t}/{kind}: {}: {}",
                    s.scenario.as_str(),
                    dump(&a)
                );
                if expected {
                    assert_eq!(s.rpo, Some(Dur::hours(2)), "{t}/efs");
                    assert_eq!(s.rto_verdict, Met, "{t}/efs: only the RPO is out of reach");
                }
            }
            assert_eq!(
                a.diagnostics.is_empty(),
                !efs_corruption,
                "{t}/{kind}: {}",
                dump(&a)
            );
        }
    }
}

#[test]
fn dr_pins_override_the_default_selection() {
    // important would not buy a replica; a pin forces it and it is then the Region path.
    let a = analyze(&inv(&[rds(
        "db",
        "important",
        100,
        true,
        "  dr {\n    read_replica = true\n  }",
    )]));
    assert!(a.diagnostics.is_empty(), "{}", dump(&a));
    let rec = &a.recovery.expect("model ran").assets[0];
    assert!(
        rec.mechanism_names.iter().any(|n| n == REPLICA),
        "{:?}",
        rec.mechanism_names
    );
    // replica: 5m lag; 15m until people learn of it, 15m decision, 15m + 5m
    assert_eq!(secs(rec.scenarios[Region.index()].rpo), Some(300));
    assert_eq!(secs(rec.scenarios[Region.index()].own_rto), Some(3000));
}

// ---------------------------------------------------------------------------
// Detection and decision (issue 22.3)
// ---------------------------------------------------------------------------

fn region_result(a: &Analysis, id: &str) -> (Option<u64>, Option<u64>) {
    let rec = a.recovery.as_ref().expect("model ran");
    let r = rec.assets.iter().find(|r| r.id == id).expect("asset");
    let s = &r.scenarios[Region.index()];
    (secs(s.own_rto), secs(s.effective_rto))
}

/// A chain of two manual recoveries waits for the alarm and the decision once:
/// the second one's start has passed while the first recovered.
#[test]
fn detection_and_decision_pass_once_per_incident() {
    let replicated = "  dr {\n    read_replica       = false\n    backup_replication = true\n  }";
    let a = analyze(&inv(&[
        rds("first", "critical", 100, true, replicated),
        rds(
            "second",
            "critical",
            100,
            true,
            &format!("{replicated}\n  depends_on = [\"first\"]"),
        ),
    ]));
    // No endpoint: 15m until people learn of it + 15m decision = 1800; the work
    // of a PITR from replicated backups is 20m + 1h + 5m = 5100.
    assert_eq!(region_result(&a, "first"), (Some(6900), Some(6900)));
    // 6900 + 5100, not 6900 + 6900.
    assert_eq!(
        region_result(&a, "second"),
        (Some(6900), Some(12_000)),
        "{}",
        dump(&a)
    );
}

/// With an endpoint, its Route 53 health-check alarm is how people learn of a
/// Region loss: interval x threshold + one 60 s alarm period.
#[test]
fn an_endpoint_health_check_alarm_detects_a_region_loss() {
    let fast = "  health_check {\n    interval          = 10\n    failure_threshold = 2\n  }";
    let a = analyze(&inv(&[
        endpoint("web", "critical", fast),
        rds("db", "mission-critical", 100, true, ""),
    ]));
    // The Region switch plan promotes the replica: its trigger fires on the alarm
    // (10 s x 2 + 60 s = 80 s) and starts the plan in 60 s; no decision; then 15m
    // promotion and 5m cutover.
    assert_eq!(
        region_result(&a, "db"),
        (Some(80 + 60 + 900 + 300), Some(1340))
    );
    // The endpoint fails over by itself: no decision; 20 s + 60 s + 60 s TTL.
    assert_eq!(region_result(&a, "web"), (Some(140), Some(140)));
    let rec = a.recovery.as_ref().unwrap();
    let db = rec.assets.iter().find(|r| r.id == "db").unwrap();
    let path = db.scenarios[Region.index()].path.as_ref().unwrap();
    assert_eq!((path.start().as_secs(), path.work().as_secs()), (140, 1200));
    assert!(
        path.rto
            .iter()
            .all(|t| !matches!(t.source, Source::Param("decision_time")))
    );
}

/// The plan's one trigger needs every primary endpoint's alarm red: the slowest
/// health check decides when it fires.
#[test]
fn the_region_switch_trigger_waits_for_the_slowest_endpoint_alarm() {
    let fast = "  health_check {\n    interval          = 10\n    failure_threshold = 2\n  }";
    let slow = "  health_check {\n    interval          = 30\n    failure_threshold = 5\n  }";
    let a = analyze(&inv(&[
        endpoint("web", "critical", fast),
        endpoint("api", "critical", slow),
        rds("db", "mission-critical", 100, true, ""),
    ]));
    // 30 s x 5 + 60 s = 210 s, + 60 s to start, + 15m + 5m.
    assert_eq!(region_result(&a, "db"), (Some(210 + 60 + 1200), Some(1470)));
}

/// `region_switch_approval` puts a person back in front of the plan's steps: the
/// decision time returns, after the trigger.
#[test]
fn the_approval_step_puts_the_decision_back() {
    let fast = "  health_check {\n    interval          = 10\n    failure_threshold = 2\n  }";
    let text = inv(&[
        endpoint("web", "critical", fast),
        rds("db", "mission-critical", 100, true, ""),
    ])
    .replacen(
        "secondary_region = \"us-west-2\"",
        "secondary_region = \"us-west-2\"\n  region_switch_approval = true",
        1,
    );
    assert!(text.contains("region_switch_approval"), "{text}");
    let a = analyze(&text);
    assert_eq!(
        region_result(&a, "db"),
        (Some(80 + 60 + 900 + 900 + 300), Some(2240)),
        "{}",
        dump(&a)
    );
}

/// Without an endpoint nothing triggers the plan: a person starts it, after
/// learning of the outage, as any manual recovery; the plan still does the work.
#[test]
fn without_endpoints_a_person_starts_the_plan() {
    let a = analyze(&inv(&[rds("db", "mission-critical", 100, true, "")]));
    // 15m until people learn of it + 15m decision + 15m promotion + 5m cutover.
    assert_eq!(
        region_result(&a, "db"),
        (Some(900 + 900 + 1200), Some(3000))
    );
    let rec = a.recovery.as_ref().unwrap();
    let path = rec.assets[0].scenarios[Region.index()]
        .path
        .as_ref()
        .unwrap();
    assert!(
        path.rto.iter().any(|t| t
            .label
            .to_string()
            .contains("starts the Region switch plan")),
        "{}",
        dump(&a)
    );
}

/// Recoveries that AWS or Route 53 run by themselves have no decision term.
#[test]
fn automated_recoveries_wait_for_no_one() {
    let a = analyze(&inv(&[
        rds("db", "critical", 100, true, ""),
        aurora("cluster", "critical", 100, true, ""),
    ]));
    let rec = a.recovery.as_ref().expect("model ran");
    for (id, want) in [("db", 120), ("cluster", 30)] {
        let r = rec.assets.iter().find(|r| r.id == id).unwrap();
        let path = r.scenarios[Az.index()].path.as_ref().unwrap();
        assert!(path.kind.automated(), "{id}");
        assert_eq!(path.start(), Dur::ZERO, "{id}");
        assert_eq!(path.rto().as_secs(), want, "{id}");
    }
}

// ---------------------------------------------------------------------------
// Regression tests for bugs found while writing these tests
// ---------------------------------------------------------------------------

/// E -> D -> S. E's tier has only a Region RTO; D is a 100 GB Multi-AZ RDS,
/// S a 10 GB bucket restored from a backup copy. The endpoint's health-check
/// alarm detects in 150 s, so work starts at 1050 s: S serves at 1050 + 15m +
/// 66 s (78,125 objects) + 5m = 2316 s.
fn three_level_chain(web_region_rto: &str) -> String {
    inv(&[
        tier(
            "web-tier",
            &format!("  scenario \"region\" {{\n    rto = \"{web_region_rto}\"\n  }}"),
        ),
        endpoint("web", "web-tier", "  depends_on = [\"db\"]"),
        rds("db", "important", 100, true, "  depends_on = [\"files\"]"),
        s3(
            "files",
            "important",
            Some(10),
            "  dr {\n    replication = false\n  }",
        ),
    ])
}

#[test]
fn tightening_a_dependents_objective_cannot_make_a_chain_pass() {
    // With a 1h5m objective the model picks the replica for db and everything
    // passes: db budget 3900 - 210 = 3690; the copy's restore would end at
    // 2316 + 25m = 3816 > 3690, the replica at 2316 + 20m = 3516; files budget
    // 3690 - 1200 = 2490 >= 2316.
    let tight = analyze(&three_level_chain("1h5m"));
    assert!(tight.diagnostics.is_empty(), "1h5m: {}", dump(&tight));
    // So a looser 1h10m objective must pass too (there the copy's restore is
    // enough: 3816 + 210 = 4026 <= 4200). It once failed: E303 on web.
    let loose = analyze(&three_level_chain("1h10m"));
    assert!(loose.diagnostics.is_empty(), "1h10m: {}", dump(&loose));
}

#[test]
fn read_replica_on_an_engine_without_cross_region_replicas_is_an_error() {
    let text = inv(&[rds(
        "db",
        "important",
        100,
        true,
        "  dr {\n    read_replica = true\n  }",
    )
    .replace("\"postgres\"", "\"oracle-se2\"")]);
    let a = std::panic::catch_unwind(|| analyze(&text)).expect("analyze must not panic");
    assert_eq!(codes(&a), ["E118"], "{}", dump(&a));
}

#[test]
fn restore_transfer_time_is_exact_for_whole_gigabytes() {
    let a = analyze(&inv(&[s3("files", "important", Some(7), "")]));
    let rec = a.recovery.expect("model ran");
    // 7 GB at 128 KB per object: 54,687.5, so 54,688 objects at 1200/s = 45.6 s,
    // 46 s (the bytes take 1.2 s): decision 900 + 900 + 46 + 300 = 2146
    assert_eq!(
        secs(rec.assets[0].scenarios[Corruption.index()].own_rto),
        Some(2146)
    );
}

/// The S3 restore estimate is never faster than the backups AWS publishes
/// times for (AWS Backup Developer Guide, s3-backups: objects, size, hours): no
/// restore figure is published, and a restore should not be promised faster
/// than AWS measured the same bucket being backed up.
#[test]
fn s3_restores_are_never_faster_than_the_backups_aws_published() {
    for (objects, gb, hours) in [
        (135_000_000u64, 425u64, 31u64),
        (670_000_000, 800_000, 38),
        (5_000_000_000, 6_000_000, 100),
        (7_500_000_000, 370_000, 180),
    ] {
        let a = analyze(&inv(&[s3(
            "files",
            "non-critical",
            Some(gb as u32),
            &format!("  objects = {objects}\n  dr {{\n    backup_frequency = \"24h\"\n  }}"),
        )]));
        // Such buckets breach a 3-day RTO; only the estimate matters here.
        let rec = a.recovery.expect("model ran");
        let path = rec.assets[0].scenarios[Corruption.index()]
            .path
            .clone()
            .expect("a backup restores it");
        // Without the fixed part and the cutover: the transfer alone.
        let transfer = path
            .rto
            .iter()
            .find(|t| {
                t.label.to_string().starts_with("restore: ")
                    && t.label.to_string() != "restore: create the new resource"
            })
            .expect("a transfer term");
        assert!(
            transfer.value.as_secs() >= hours * 3600,
            "{objects} objects, {gb} GB: {} < {hours} h",
            transfer.value
        );
    }
}

#[test]
fn s3_restores_take_the_larger_of_the_object_and_byte_terms() {
    for (size, objects, want, which) in [
        // 12 TB of 1.2 MB objects: 10,000,000 / 1200 = 8333.3, so 8334 s; bytes 2058 s.
        (12_000, Some(10_000_000u64), 8334, "objects"),
        // 21,000 GB in 1,000 objects: the bytes take 1 h; the objects 1 s.
        (21_000, Some(1_000), 3600, "GB at"),
        // 3 TB, count unknown: 23,437,500 objects at 128 KB: 19532 s.
        (3_000, None, 19_532, "128 KB per object assumed"),
    ] {
        let extra = objects.map_or_else(String::new, |n| format!("  objects = {n}\n"));
        let a = analyze(&inv(&[s3("files", "non-critical", Some(size), &extra)]));
        assert!(!a.has_errors(), "{}", dump(&a));
        let rec = a.recovery.expect("model ran");
        let path = rec.assets[0].scenarios[Corruption.index()]
            .path
            .clone()
            .expect("a backup restores it");
        let t = path
            .rto
            .iter()
            .find(|t| t.label.to_string().contains(" at "))
            .expect("a transfer term");
        assert_eq!(
            t.value.as_secs(),
            want,
            "{size} GB, {objects:?}: {}",
            t.label
        );
        assert!(t.label.to_string().contains(which), "{}", t.label);
        // decision 15m, the fixed 15m, the transfer, the 5m cutover
        assert_eq!(path.rto(), Dur::secs(900 + 900 + want + 300));
    }
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Objectives a path misses (an absent path misses every objective there is).
fn misses(p: &Option<Path>, o: Objective) -> u8 {
    match p {
        None => u8::from(o.rpo.is_some()) + u8::from(o.rto.is_some()),
        Some(p) => {
            u8::from(o.rpo.is_some_and(|g| p.rpo() > g))
                + u8::from(o.rto.is_some_and(|g| p.rto() > g))
        }
    }
}

#[derive(Debug, Clone)]
struct Raw {
    backup: Option<(u64, bool)>,
    copy: bool,
    read_replica: bool,
    backup_replication: bool,
    replication: bool,
    rtc: bool,
}

fn raw_mechanisms() -> impl Strategy<Value = Raw> {
    (
        proptest::option::of((1u64..=48, any::<bool>())),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(backup, copy, read_replica, backup_replication, replication, rtc)| Raw {
                backup,
                copy,
                read_replica,
                backup_replication,
                replication,
                rtc,
            },
        )
}

/// A valid mechanism set for the kind (copy needs a backup, RTC needs replication).
fn mechanisms(raw: &Raw, is_rds: bool) -> Mechanisms {
    let backup = raw.backup.map(|(h, continuous)| Backup {
        frequency: Dur::hours(h),
        continuous,
    });
    Mechanisms {
        backup,
        cross_region_copy: raw.copy && backup.is_some(),
        read_replica: is_rds && raw.read_replica,
        backup_replication: is_rds && raw.backup_replication,
        replication: !is_rds && raw.replication,
        replication_time_control: !is_rds && raw.replication && raw.rtc,
        ..Mechanisms::default()
    }
}

/// Every set that is `m` plus one more mechanism.
fn plus_one(m: &Mechanisms, is_rds: bool, frequency_hours: u64) -> Vec<Mechanisms> {
    let mut out = Vec::new();
    match m.backup {
        None => out.push(Mechanisms {
            backup: Some(Backup {
                frequency: Dur::hours(frequency_hours),
                continuous: false,
            }),
            ..*m
        }),
        Some(b) => {
            if !b.continuous {
                out.push(Mechanisms {
                    backup: Some(Backup {
                        continuous: true,
                        ..b
                    }),
                    ..*m
                });
            }
            if !m.cross_region_copy {
                out.push(Mechanisms {
                    cross_region_copy: true,
                    ..*m
                });
            }
        }
    }
    if is_rds {
        if !m.read_replica {
            out.push(Mechanisms {
                read_replica: true,
                ..*m
            });
        }
        if !m.backup_replication {
            out.push(Mechanisms {
                backup_replication: true,
                ..*m
            });
        }
    } else if !m.replication {
        out.push(Mechanisms {
            replication: true,
            ..*m
        });
    } else if !m.replication_time_control {
        out.push(Mechanisms {
            replication_time_control: true,
            ..*m
        });
    }
    out
}

fn duration_choice() -> impl Strategy<Value = Option<u64>> {
    proptest::option::of(prop_oneof![
        Just(60u64),
        Just(300),
        Just(900),
        Just(1200),
        Just(3600),
        Just(7200),
        Just(4 * 3600),
        Just(24 * 3600),
        Just(48 * 3600),
        1u64..=72 * 3600,
    ])
}

fn objective() -> impl Strategy<Value = Objective> {
    (duration_choice(), duration_choice()).prop_map(|(rpo, rto)| Objective {
        rpo: rpo.map(Dur::secs),
        rto: rto.map(Dur::secs),
    })
}

fn measured_block(restore_min: Option<u64>, failover_secs: Option<u64>) -> String {
    let mut lines = Vec::new();
    if let Some(m) = restore_min {
        lines.push(format!("    restore = \"{m}m\""));
    }
    if let Some(s) = failover_secs {
        lines.push(format!("    failover = \"{s}s\""));
    }
    if lines.is_empty() {
        String::new()
    } else {
        format!("  measured {{\n{}\n  }}", lines.join("\n"))
    }
}

proptest! {
    #![proptest_config(config())]

    /// (a) Adding a mechanism never worsens an estimate: every recovery path of the
    /// smaller set is matched or beaten in RPO and RTO, so the best RPO and RTO on
    /// offer never increase, the reported path never misses more objectives, an
    /// objective met stays met (no slower), and with no objective the reported RTO
    /// never increases.
    #[test]
    fn adding_a_mechanism_never_worsens_an_estimate(
        is_rds in any::<bool>(),
        size_gb in 1u32..=4000,
        multi_az in any::<bool>(),
        restore_min in proptest::option::of(1u64..=600),
        failover_secs in proptest::option::of(1u64..=3600),
        raw in raw_mechanisms(),
        frequency_hours in 1u64..=48,
        goals in proptest::array::uniform3(objective()),
    ) {
        let measured = measured_block(restore_min, failover_secs);
        let text = if is_rds {
            inv(&[rds("db", "non-critical", size_gb, multi_az, &measured)])
        } else {
            inv(&[s3("files", "non-critical", Some(size_gb), &measured)])
        };
        let inventory = one_asset(&text);
        let asset = &inventory.assets[0];
        let p = &inventory.params;
        let m = mechanisms(&raw, is_rds);
        for bigger in plus_one(&m, is_rds, frequency_hours) {
            for s in Scenario::ALL {
                let ctx = format!("{} {m:?} + -> {bigger:?}", s.as_str());
                let before = paths(asset, &m, s, p);
                let after = paths(asset, &bigger, s, p);
                for x in &before {
                    prop_assert!(
                        after.iter().any(|y| y.rpo() <= x.rpo() && y.rto() <= x.rto()),
                        "{ctx}: path `{}` ({}, {}) lost", x.name(), x.rpo(), x.rto()
                    );
                }
                let min = |v: &[Path], f: fn(&Path) -> Dur| v.iter().map(f).min();
                for f in [Path::rpo as fn(&Path) -> Dur, Path::rto] {
                    if let Some(b) = min(&before, f) {
                        prop_assert!(min(&after, f).is_some_and(|a| a <= b), "{ctx}: best on offer got worse");
                    }
                }
                let goal = goals[s.index()];
                let b0 = best(before.clone(), goal, Dur::ZERO);
                let b1 = best(after.clone(), goal, Dur::ZERO);
                prop_assert!(b0.is_none() || b1.is_some(), "{ctx}: recovery path lost");
                prop_assert!(misses(&b1, goal) <= misses(&b0, goal), "{ctx}: more objectives missed");
                if b0.is_some() && misses(&b0, goal) == 0 {
                    let (b0, b1) = (b0.as_ref().unwrap(), b1.as_ref().unwrap());
                    prop_assert!(misses(&Some(b1.clone()), goal) == 0, "{ctx}: objective no longer met");
                    prop_assert!(b1.rto() <= b0.rto(), "{ctx}: own RTO increased ({} -> {})", b0.rto(), b1.rto());
                }
                let free0 = best(before, Objective::default(), Dur::ZERO);
                let free1 = best(after, Objective::default(), Dur::ZERO);
                if let Some(f0) = &free0 {
                    prop_assert!(free1.as_ref().is_some_and(|f1| f1.rto() <= f0.rto()), "{ctx}: fastest RTO increased");
                }
            }
        }
    }
}

/// A random tier body; every objective at least 1 s.
fn tier_body(obj: &[Objective; 3]) -> String {
    let mut out = String::new();
    for s in Scenario::ALL {
        let o = obj[s.index()];
        if o.rpo.is_none() && o.rto.is_none() {
            continue;
        }
        out.push_str(&format!("  scenario \"{}\" {{\n", s.as_str()));
        if let Some(d) = o.rpo {
            out.push_str(&format!("    rpo = \"{}s\"\n", d.as_secs()));
        }
        if let Some(d) = o.rto {
            out.push_str(&format!("    rto = \"{}s\"\n", d.as_secs()));
        }
        out.push_str("  }\n");
    }
    out
}

fn pin(name: &str, v: Option<bool>) -> String {
    v.map_or_else(String::new, |b| format!("    {name} = {b}\n"))
}

#[derive(Debug, Clone)]
struct DataAsset {
    kind: u8,
    size_gb: u32,
    multi_az: bool,
    pins: [Option<bool>; 4],
    frequency_hours: Option<u64>,
    interval_10: bool,
    threshold: u32,
    ttl: u32,
}

fn data_asset() -> impl Strategy<Value = DataAsset> {
    (
        0u8..3,
        1u32..=2000,
        any::<bool>(),
        proptest::array::uniform4(proptest::option::of(any::<bool>())),
        proptest::option::of(1u64..=48),
        any::<bool>(),
        1u32..=10,
        0u32..=600,
    )
        .prop_map(
            |(kind, size_gb, multi_az, pins, frequency_hours, interval_10, threshold, ttl)| {
                DataAsset {
                    kind,
                    size_gb,
                    multi_az,
                    pins,
                    frequency_hours,
                    interval_10,
                    threshold,
                    ttl,
                }
            },
        )
}

fn data_asset_hcl(d: &DataAsset) -> String {
    let freq = d.frequency_hours.map_or_else(String::new, |h| {
        format!("    backup_frequency = \"{h}h\"\n")
    });
    match d.kind {
        0 => {
            let [replica, backup_replication, continuous, copy] = d.pins;
            let dr = format!(
                "  dr {{\n{}{}{}{}{freq}  }}",
                pin("read_replica", replica),
                pin("backup_replication", backup_replication),
                pin("continuous_backup", continuous),
                pin("cross_region_copy", copy)
            );
            rds("data", "t", d.size_gb, d.multi_az, &dr)
        }
        1 => {
            let [replication, rtc, continuous, copy] = d.pins;
            // RTC may only be pinned on when replication is not pinned off.
            let rtc = if replication == Some(false) {
                rtc.filter(|b| !b)
            } else {
                rtc
            };
            let dr = format!(
                "  dr {{\n{}{}{}{}{freq}  }}",
                pin("replication", replication),
                pin("replication_time_control", rtc),
                pin("continuous_backup", continuous),
                pin("cross_region_copy", copy)
            );
            s3("data", "t", Some(d.size_gb), &dr)
        }
        _ => endpoint(
            "data",
            "t",
            &format!(
                "  ttl = {}\n  health_check {{\n    interval          = {}\n    failure_threshold = {}\n  }}",
                d.ttl,
                if d.interval_10 { 10 } else { 30 },
                d.threshold
            ),
        ),
    }
}

fn breached(a: &Analysis) -> bool {
    a.diagnostics
        .iter()
        .any(|d| matches!(d.code.as_str(), "E301" | "E302" | "E303"))
}

proptest! {
    #![proptest_config(config())]

    /// (b) Tightening an objective never turns a breach into a pass: one data asset
    /// (optionally with an endpoint depending on it, so budgets flow), random
    /// objectives, one of them shrunk (or set where there was none).
    #[test]
    fn tightening_an_objective_never_turns_a_breach_into_a_pass(
        data in data_asset(),
        data_tier in proptest::array::uniform3(objective()),
        web_tier in proptest::array::uniform3(objective()),
        with_dependent in any::<bool>(),
        on_web in any::<bool>(),
        scenario in 0usize..3,
        on_rto in any::<bool>(),
        percent in 1u64..100,
        fresh in 1u64..=72 * 3600,
    ) {
        let build = |t: &[Objective; 3], w: &[Objective; 3]| {
            let mut parts = vec![tier("t", &tier_body(t)), data_asset_hcl(&data)];
            if with_dependent {
                parts.push(tier("w", &tier_body(w)));
                parts.push(endpoint("web", "w", "  depends_on = [\"data\"]"));
            }
            inv(&parts)
        };
        let loose = analyze(&build(&data_tier, &web_tier));
        let structural = loose.diagnostics.iter().any(|d| !d.code.as_str().starts_with("E30"));
        prop_assume!(!structural);
        let (mut t, mut w) = (data_tier, web_tier);
        let target = if with_dependent && on_web { &mut w } else { &mut t };
        let o = &mut target[scenario];
        let slot = if on_rto { &mut o.rto } else { &mut o.rpo };
        *slot = Some(Dur::secs(slot.map_or(fresh, |d| (d.as_secs() * percent / 100).max(1))));
        let tight = analyze(&build(&t, &w));
        prop_assert!(
            !breached(&loose) || breached(&tight),
            "loose breached but tight passed\nloose: {}\ntight inventory:\n{}",
            dump(&loose),
            build(&t, &w)
        );
    }
}

/// The recovery model caches numbers per `Mechanisms::relevant_to(scenario)`;
/// that must drop only mechanisms the scenario's paths do not read. For every
/// candidate of every asset of the examples and fixtures, in every scenario, the
/// paths of the full set and of its relevant part have the same numbers.
#[test]
fn relevant_mechanisms_give_the_same_paths() {
    use lifeboat::check::{estimate, mechanisms};
    use lifeboat::model::Scenario;
    let mut cases = common::fixtures("examples");
    cases.extend(common::fixtures("tests/fixtures/valid"));
    cases.extend(common::fixtures("tests/fixtures/breaches"));
    let mut compared = 0;
    for case in cases {
        let a = common::analyze(&case);
        let Some(inv) = &a.inventory else { continue };
        for asset in &inv.assets {
            let retention = inv.tier_of(asset).retention;
            for m in mechanisms::candidates(asset, retention, true) {
                for s in Scenario::ALL {
                    let numbers = |m: &mechanisms::Mechanisms| -> Vec<_> {
                        estimate::paths(asset, m, s, &inv.params)
                            .iter()
                            .map(|p| (p.name(), p.rpo(), p.rto()))
                            .collect()
                    };
                    assert_eq!(
                        numbers(&m),
                        numbers(&m.relevant_to(s)),
                        "{case}: {} {m:?} in {s:?}",
                        asset.id
                    );
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 1000, "only {compared} comparisons");
}
