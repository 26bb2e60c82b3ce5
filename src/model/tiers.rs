//! The built-in tiers. Values and their sources are documented in
//! docs/recovery-model.md ("Built-in tiers"). Each is achievable by mechanisms
//! lifeboat generates for a typical asset of every kind (a Multi-AZ 100 GB
//! database, a 100 GB bucket, an endpoint): see
//! `every_builtin_tier_is_achievable_for_every_kind` in tests/recovery_model.rs.
//! Large single-AZ databases cannot meet the stricter tiers; that is the point.

use super::{Dur, Objective, Tier};

const fn obj(rpo: Dur, rto: Dur) -> Objective {
    Objective {
        rpo: Some(rpo),
        rto: Some(rto),
    }
}

const NONE: Objective = Objective {
    rpo: None,
    rto: None,
};

/// Names of the built-in tiers, strictest first.
pub const BUILTIN: [&str; 4] = ["mission-critical", "critical", "important", "non-critical"];

/// The built-in tier of that name.
pub fn builtin(name: &str) -> Option<Tier> {
    // [az, region, corruption]
    let (objectives, retention) = match name {
        // Resilience Hub "MissionCritical"; historic AWS tier 1 (RTO 15 min, RPO near
        // zero); warm standby / multi-site in Well-Architected REL13-BP02.
        "mission-critical" => (
            [
                obj(Dur::mins(1), Dur::mins(15)),
                obj(Dur::mins(15), Dur::hours(1)),
                obj(Dur::mins(15), Dur::hours(4)),
            ],
            Dur::days(35),
        ),
        // Resilience Hub "Critical"; pilot light (RPO minutes, RTO tens of minutes
        // to hours).
        "critical" => (
            [
                obj(Dur::mins(15), Dur::hours(1)),
                obj(Dur::hours(1), Dur::hours(4)),
                obj(Dur::hours(1), Dur::hours(8)),
            ],
            Dur::days(35),
        ),
        // In-Region between historic AWS tier 2 (RTO 4 h, RPO 2 h) and tier 3
        // (RPO 4 h, RTO 8-24 h): RPO 4 h, RTO 8 h; backup and restore across
        // Regions (Well-Architected: RTO up to 24 h).
        "important" => (
            [
                obj(Dur::hours(4), Dur::hours(8)),
                obj(Dur::hours(24), Dur::hours(24)),
                obj(Dur::hours(24), Dur::hours(24)),
            ],
            Dur::days(30),
        ),
        // Historic AWS tier 3 (RTO 8-24 h, RPO 4 h) relaxed; no objective for the
        // loss of a Region: such data is rebuilt or done without.
        "non-critical" => (
            [
                obj(Dur::hours(24), Dur::hours(72)),
                NONE,
                obj(Dur::hours(48), Dur::hours(72)),
            ],
            Dur::days(14),
        ),
        _ => return None,
    };
    Some(Tier {
        name: name.to_owned(),
        builtin: true,
        objectives,
        retention,
        measurement_max_age: None,
        immutable_backups: immutable_by_default(name),
        isolated_copy: false,
        account_compromise: false,
        span: None,
    })
}

/// Whether a tier that does not set `immutable_backups`, in a project that does not
/// either, keeps its recovery points in compliance-mode vaults: only the tier named
/// `mission-critical` (built in or redeclared), whose data is the one ransomware or a
/// compromised administrator must not be able to delete (docs/terraform.md, "Vault Lock").
pub fn immutable_by_default(name: &str) -> bool {
    name == "mission-critical"
}

/// Retention of a declared tier that sets none.
pub const DEFAULT_RETENTION: Dur = Dur::days(35);
