//! How lifeboat names what it creates: AWS names (within AWS's length and
//! character limits, stable across runs) and Terraform identifiers. The only
//! place these rules live; [`super::build`] applies them once per inventory.

use crate::model::slug;

/// A name for AWS resources: `<prefix>-<id>` if it fits in `max`, else shortened
/// with a stable hash. Lower-case letters, digits and single hyphens.
pub fn scoped_name(prefix: &str, id: &str, max: usize) -> String {
    let mut full = format!("{prefix}-{id}");
    while full.contains("--") {
        full = full.replace("--", "-");
    }
    if full.len() <= max {
        return full;
    }
    let hash = format!("{:08x}", fnv1a(full.as_bytes()));
    let keep = max - 7;
    format!("{}-{}", full[..keep].trim_end_matches('-'), &hash[..6])
}

/// FNV-1a 32: the stable hash that shortened names end with.
pub fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// The project's name in AWS resource names: a slug that starts with a letter and
/// has at most 32 characters.
pub fn project_name(name: &str) -> String {
    let s = slug(name);
    let s = if s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s
    } else {
        format!("lb-{s}")
    };
    s.chars()
        .take(32)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// The prefix of the AWS Backup module's names (vaults `<prefix>-primary`, within
/// AWS's 50 characters with room for plan keys): the project name cut to 20.
pub fn backup_name(project: &str) -> String {
    project
        .chars()
        .take(20)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// A Terraform identifier for a module or resource of an asset.
pub fn tf_name(prefix: &str, id: &str) -> String {
    format!("{prefix}_{}", id.replace('-', "_"))
}

/// The replica bucket's name: the inventory's choice, or `<source>-dr-<region>`
/// (dots become hyphens: the module refuses dotted names, they break HTTPS).
pub fn destination_bucket(source: &str, secondary: &str, chosen: Option<&str>) -> String {
    if let Some(c) = chosen {
        return c.to_owned();
    }
    let base = source.replace('.', "-");
    let name = format!("{base}-dr-{secondary}");
    if name.len() <= 63 {
        return name;
    }
    let hash = format!("{:08x}", fnv1a(source.as_bytes()));
    let suffix = format!("-{}-dr-{secondary}", &hash[..6]);
    format!(
        "{}{suffix}",
        base[..63 - suffix.len()].trim_end_matches('-')
    )
}

/// A backup plan key: `<tier>-<profile>[-<chunk>]`, at most 29 characters (the
/// backup module names plans `<name>-<key>` within AWS's 50), unique among the
/// keys `taken` already: a tier name that had to be shortened, or that slugs like
/// another, gets a hash of its full name.
pub fn plan_key(tier: &str, profile: &str, chunk: &str, taken: &dyn Fn(&str) -> bool) -> String {
    const MAX: usize = 29;
    let room = MAX - profile.len() - chunk.len() - 1;
    let full = slug(tier);
    let plain = format!("{full}-{profile}{chunk}");
    if full.len() <= room && full == tier && !taken(&plain) {
        return plain;
    }
    let hash = format!("{:08x}", fnv1a(tier.as_bytes()));
    let keep: String = full.chars().take(room.saturating_sub(7)).collect();
    let keep = keep.trim_end_matches('-');
    let short = if keep.is_empty() {
        format!("t{}", &hash[..6])
    } else {
        format!("{keep}-{}", &hash[..6])
    };
    format!("{short}-{profile}{chunk}")
}

/// A Resilience Hub policy name: `<project>-<tier>`, at most 60 characters of
/// letters, digits, `_` and `-` (CreateResiliencyPolicy), unique among those
/// `taken`; a tier name that had to be shortened or changed, or that slugs like
/// another, gets a hash of its full name.
pub fn policy_name(project: &str, tier: &str, taken: &dyn Fn(&str) -> bool) -> String {
    const MAX: usize = 60;
    let full = slug(tier);
    let plain = format!("{project}-{full}");
    if !full.is_empty() && full == tier && plain.len() <= MAX && !taken(&plain) {
        return plain;
    }
    let hash = format!("{:08x}", fnv1a(tier.as_bytes()));
    let room = MAX - project.len() - 8;
    let keep: String = full.chars().take(room).collect();
    let keep = keep.trim_end_matches('-');
    if keep.is_empty() {
        format!("{project}-{}", &hash[..6])
    } else {
        format!("{project}-{keep}-{}", &hash[..6])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_aws_limits() {
        assert_eq!(scoped_name("shop", "orders-db", 40), "shop-orders-db");
        let long = scoped_name(
            "a-very-long-project-name",
            "an-even-longer-asset-identifier",
            40,
        );
        assert!(long.len() <= 40, "{long}");
        assert_eq!(
            long,
            scoped_name(
                "a-very-long-project-name",
                "an-even-longer-asset-identifier",
                40
            )
        );
        assert!(!scoped_name("p", "a--b", 40).contains("--"));
        let b = destination_bucket(&"x".repeat(60), "ap-southeast-2", None);
        assert!(
            b.len() <= 63 && crate::model::lower::names::check_bucket(&b).is_ok(),
            "{b}"
        );
        assert_eq!(
            destination_bucket("web.media", "us-west-2", None),
            "web-media-dr-us-west-2"
        );
        assert_eq!(
            backup_name("a-project-name-of-twenty-five"),
            "a-project-name-of-tw"
        );
    }

    #[test]
    fn plan_keys_are_short_and_unique() {
        let none = |_: &str| false;
        assert_eq!(plan_key("gold", "pitr-1d", "", &none), "gold-pitr-1d");
        let taken = |k: &str| k == "gold-pitr-1d";
        let other = plan_key("gold", "pitr-1d", "", &taken);
        assert_ne!(other, "gold-pitr-1d");
        let long = plan_key(&"t".repeat(40), "pitr-12h-copy", "-3", &none);
        assert!(long.len() <= 29, "{long}");
    }

    #[test]
    fn policy_names_are_short_and_unique() {
        let none = |_: &str| false;
        assert_eq!(policy_name("shop", "critical", &none), "shop-critical");
        let taken = |k: &str| k == "shop-critical";
        assert_ne!(policy_name("shop", "critical", &taken), "shop-critical");
        assert_ne!(policy_name("shop", "Critical", &none), "shop-critical");
        let long = policy_name(&"p".repeat(32), &"t".repeat(80), &none);
        assert!(long.len() <= 60, "{long}");
        assert!(policy_name("shop", "!!", &none).starts_with("shop-"));
    }
}
