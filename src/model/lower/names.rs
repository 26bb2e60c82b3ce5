//! AWS's naming rules: what ids, Regions, bucket names, DB identifiers, DNS names,
//! ARNs, tags and e-mail addresses AWS accepts. Pure functions, no diagnostics.

pub use crate::diag::{is_bidi_control, is_invisible};

/// `^[a-z][a-z0-9-]{0,38}[a-z0-9]$`
pub fn valid_id(s: &str) -> bool {
    let b = s.as_bytes();
    (2..=40).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[b.len() - 1] != b'-'
}

pub fn id_hint(s: &str) -> String {
    let fixed: String = s
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let fixed = fixed.trim_matches('-').to_owned();
    if valid_id(&fixed) {
        format!(
            "ids are 2-40 lower-case letters, digits and hyphens, starting with a letter; e.g. `{fixed}`"
        )
    } else {
        "ids are 2-40 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen".into()
    }
}

pub const KNOWN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// A Region code: `<geo>[-gov|-iso*]-<direction>-<n>`. New Regions follow the
/// pattern, so it is checked rather than a fixed list.
pub fn valid_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let (geo, rest) = match parts.as_slice() {
        [geo, rest @ ..] => (*geo, rest),
        _ => return false,
    };
    let rest = match rest {
        [p, more @ ..] if matches!(*p, "gov" | "iso" | "isob" | "isoe" | "isof") => more,
        r => r,
    };
    let directions = [
        "north",
        "south",
        "east",
        "west",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    ];
    geo.len() == 2
        && geo.bytes().all(|c| c.is_ascii_lowercase())
        && matches!(rest, [dir, n] if directions.contains(dir)
            && (1..=2).contains(&n.len()) && n.bytes().all(|c| c.is_ascii_digit()))
}

pub fn check_email(s: &str) -> Result<(), &'static str> {
    let (local, domain) = s.rsplit_once('@').ok_or("no `@`")?;
    if local.is_empty() || local.len() > 64 {
        return Err("the part before `@` must be 1-64 characters");
    }
    if s.len() > 254
        || s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == ',')
    {
        return Err("spaces, quotes, commas and control characters are not allowed");
    }
    // RFC 5322's specials are allowed before `@` only inside quotes (which SNS
    // does not take); template markers would read as Terraform interpolation to
    // anyone who copies the address into HCL.
    if local.contains(['(', ')', '<', '>', '[', ']', ':', ';', '\\'])
        || local.contains("${")
        || local.contains("%{")
    {
        return Err("`( ) < > [ ] : ; \\`, `${` and `%{` are not allowed before `@`");
    }
    check_dns_name(&domain.to_ascii_lowercase(), false)
        .map_err(|_| "the domain after `@` is not a valid domain name")
}

pub fn check_tag(k: &str, v: &str) -> Option<(bool, &'static str)> {
    let allowed = |c: char| c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c);
    if k.is_empty() || k.chars().count() > 128 {
        Some((true, "keys are 1-128 characters"))
    } else if k.to_ascii_lowercase().starts_with("aws:") {
        Some((true, "the `aws:` prefix is reserved"))
    } else if !k.chars().all(allowed) {
        Some((true, "key has a character AWS tags do not allow"))
    } else if v.chars().count() > 256 {
        Some((false, "values are at most 256 characters"))
    } else if !v.chars().all(allowed) {
        Some((false, "value has a character AWS tags do not allow"))
    } else {
        None
    }
}

pub fn check_db_identifier(s: &str) -> Result<(), &'static str> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 63 {
        return Err("must be 1-63 characters");
    }
    if !b[0].is_ascii_alphabetic() {
        return Err("must start with a letter");
    }
    if !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-') {
        return Err("only lower-case letters, digits and hyphens");
    }
    if s.contains("--") || s.ends_with('-') {
        return Err("no two hyphens in a row, and no hyphen at the end");
    }
    // RDS stores identifiers in lower case; Terraform's AWS provider and the
    // generated modules accept only that form.
    if b.iter().any(u8::is_ascii_uppercase) {
        return Err("upper-case letters: RDS identifiers are lower case");
    }
    Ok(())
}

pub const BUCKET_RULES: &str = "bucket names are 3-63 lower-case letters, digits, dots and hyphens, start and end with a letter or digit, and are not IP addresses";

pub fn check_bucket(s: &str) -> Result<(), &'static str> {
    let b = s.as_bytes();
    if !(3..=63).contains(&b.len()) {
        return Err("must be 3-63 characters");
    }
    if !b
        .iter()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'.' || *c == b'-')
    {
        return Err("only lower-case letters, digits, dots and hyphens");
    }
    if !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return Err("must start and end with a letter or digit");
    }
    if s.contains("..") || s.contains(".-") || s.contains("-.") {
        return Err("no `..`, `.-` or `-.`");
    }
    if s.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err("must not look like an IP address");
    }
    if ["xn--", "sthree-", "amzn-s3-demo-"]
        .iter()
        .any(|p| s.starts_with(p))
        || ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]
            .iter()
            .any(|p| s.ends_with(p))
    {
        return Err("uses a prefix or suffix that S3 reserves");
    }
    Ok(())
}

/// A DNS name as Route 53 failover records and health checks take it (and as the
/// route53-failover module checks it): lower case, labels of 1-63 letters, digits,
/// hyphens or underscores (not at either end, no underscore in the last label), at
/// least two labels, at most 253 characters, no trailing dot.
pub fn check_dns_name(s: &str, _record_name: bool) -> Result<(), &'static str> {
    if s.is_empty() || s.len() > 253 {
        return Err("must be 1-253 characters");
    }
    if s.ends_with('.') {
        return Err("write it without the trailing dot");
    }
    if s.chars().any(|c| c.is_ascii_uppercase()) {
        return Err("write it in lower case (DNS names are case-insensitive)");
    }
    let labels: Vec<&str> = s.split('.').collect();
    if labels.len() < 2 {
        return Err("must have at least two labels, e.g. `app.example.com`");
    }
    for (i, label) in labels.iter().enumerate() {
        if *label == "*" {
            return Err("wildcard names are not supported for failover records");
        }
        if label.is_empty() || label.len() > 63 {
            return Err("each label between dots is 1-63 characters");
        }
        let last = i == labels.len() - 1;
        if !label.bytes().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || (c == b'_' && !last)
        }) {
            return Err(
                "only letters, digits and hyphens between dots (underscores except in the last label)",
            );
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("a label may not start or end with a hyphen");
        }
    }
    Ok(())
}

/// A DynamoDB table name: 3-255 of `[a-zA-Z0-9_.-]`.
pub fn check_table_name(s: &str) -> Result<(), &'static str> {
    if !(3..=255).contains(&s.len()) {
        return Err("must be 3-255 characters");
    }
    if !s
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
    {
        return Err("only letters, digits, `_`, `-` and `.`");
    }
    Ok(())
}

/// `fs-` followed by 8 or 17 lower-case hex digits.
pub fn valid_file_system_id(s: &str) -> bool {
    s.strip_prefix("fs-").is_some_and(|hex| {
        matches!(hex.len(), 8 | 17)
            && hex
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    })
}

/// `arn:<partition>:kms:<region>:<12-digit account>:key/<id>`.
pub fn valid_kms_key_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    matches!(parts.as_slice(), ["arn", partition, "kms", region, account, resource]
        if partition.starts_with("aws")
            && valid_region(region)
            && account.len() == 12
            && account.bytes().all(|c| c.is_ascii_digit())
            && resource.strip_prefix("key/").is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')))
}

/// `^Z[A-Z0-9]{1,31}$`, as Route 53 hosted zone ids are.
pub fn valid_zone_id(s: &str) -> bool {
    (2..=32).contains(&s.len())
        && s.starts_with('Z')
        && s.bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// `db.<family>.<size>` of lower-case letters and digits, as the rds-dr and
/// aurora-dr modules accept (`db.serverless` is Aurora's own, checked there).
pub fn valid_instance_class(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts[0] == "db"
        && parts[1..].iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for r in KNOWN_REGIONS {
            assert!(valid_region(r), "{r}");
        }
        for r in [
            "us-east",
            "useast1",
            "us-east-1a",
            "US-EAST-1",
            "xx-middle-1",
            "us-gov-1",
            "",
        ] {
            assert!(!valid_region(r), "{r}");
        }
    }

    #[test]
    fn ids() {
        for ok in ["ab", "orders-db", "a1", "x-y-z9"] {
            assert!(valid_id(ok), "{ok}");
        }
        for bad in ["a", "1ab", "ab-", "Ab", "a_b", &"a".repeat(41)] {
            assert!(!valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn aws_names() {
        assert!(check_bucket("webshop-media").is_ok());
        assert!(check_bucket("192.168.1.1").is_err());
        assert!(check_bucket("Web").is_err());
        assert!(check_bucket("a..b").is_err());
        assert!(check_db_identifier("orders-prod").is_ok());
        assert!(check_db_identifier("orders--prod").is_err());
        // The generated modules (and Terraform's AWS provider) take lower case only.
        assert!(check_db_identifier("Orders-Prod").is_err());
        assert!(valid_instance_class("db.r6g.large"));
        assert!(!valid_instance_class("db.r6g-x.large"));
        assert!(!valid_instance_class("db.R6g.large"));
        assert!(!valid_instance_class("r6g.large"));
        assert!(check_dns_name("shop.example.com", false).is_ok());
        assert!(check_dns_name("*.example.com", true).is_err());
        assert!(check_dns_name("Shop.example.com", false).is_err());
        assert!(check_dns_name("shop.example.com.", false).is_err());
        assert!(check_dns_name("_dmarc.example.com", false).is_ok());
        assert!(check_dns_name("example.c_m", false).is_err());
        assert!(valid_zone_id("Z35SXDOTRQ7X7K") && !valid_zone_id("ABC"));
        assert!(check_dns_name("localhost", false).is_err());
        assert!(check_email("oncall@example.com").is_ok());
        assert!(check_table_name("orders.v2_prod-1").is_ok());
        assert!(check_table_name("ab").is_err());
        assert!(check_table_name("a b c").is_err());
        assert!(valid_file_system_id("fs-0123abcd"));
        assert!(valid_file_system_id("fs-0123456789abcdef0"));
        assert!(!valid_file_system_id("fs-0123ABCD"));
        assert!(!valid_file_system_id("fs-0123456789"));
        assert!(check_email("on call@example.com").is_err());
        for bad in [
            "<script>@example.com",
            "a(b)@example.com",
            "${var.x}@example.com",
            "%{if}@example.com",
            "a;b@example.com",
            "a:b@example.com",
            "[a]@example.com",
            "a\\b@example.com",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        for good in [
            "a.b+c@example.com",
            "o'brien@example.com",
            "a$b%c@example.com",
        ] {
            assert!(check_email(good).is_ok(), "{good}");
        }
        assert!(check_tag("team", "data").is_none());
        assert!(check_tag("aws:x", "y").is_some());
        assert!(check_tag("a", "${x}").is_some());
    }
}
