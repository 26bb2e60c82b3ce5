//! Asset ids from Terraform names: valid (`^[a-z][a-z0-9-]{0,38}[a-z0-9]$`) and
//! unique.

use std::collections::HashSet;

use super::Asset;

/// Names that say nothing about the resource when something else is there
/// (`module.orders.aws_db_instance.this` is `orders`).
const FILLER: &[&str] = &["this", "main", "default"];

const MAX: usize = 40;

/// An id for each asset, in order, none of them in `taken`.
pub fn assign(assets: &[Asset], taken: &HashSet<String>) -> Vec<String> {
    let mut taken = taken.clone();
    assets
        .iter()
        .map(|a| {
            let base = base(&a.words, a.kind.word());
            let id = unique(&base, a.kind.word(), &taken);
            taken.insert(id.clone());
            id
        })
        .collect()
}

/// The id words make: lower case, runs of other characters as one hyphen, starting
/// with a letter, at most 40 characters.
pub fn base(words: &[String], kind_word: &str) -> String {
    let meaningful: Vec<&String> = words
        .iter()
        .filter(|w| !FILLER.contains(&w.to_ascii_lowercase().as_str()))
        .collect();
    let words: Vec<&String> = if meaningful.is_empty() {
        words.iter().collect()
    } else {
        meaningful
    };
    let mut id = String::new();
    for w in words {
        for c in w.chars() {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                id.push(c);
            } else if !id.ends_with('-') && !id.is_empty() {
                id.push('-');
            }
        }
        if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let mut id = id.trim_matches('-').to_owned();
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        id = if id.is_empty() {
            kind_word.to_owned()
        } else {
            format!("{kind_word}-{id}")
        };
    }
    if id.len() < 2 {
        id = format!("{id}-{kind_word}");
    }
    fit(&id, MAX)
}

/// `id` cut to `max` characters, not ending in a hyphen.
fn fit(id: &str, max: usize) -> String {
    id[..id.len().min(max)].trim_end_matches('-').to_owned()
}

/// `base`, else `base-<kind word>`, else `base-2`, `base-3`, ...
fn unique(base: &str, kind_word: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_owned();
    }
    let suffix = format!("-{kind_word}");
    if !base.ends_with(&suffix) {
        let with_kind = format!("{}{suffix}", fit(base, MAX - suffix.len()));
        if !taken.contains(&with_kind) {
            return with_kind;
        }
    }
    (2..)
        .map(|n| {
            let suffix = format!("-{n}");
            format!("{}{suffix}", fit(base, MAX - suffix.len()))
        })
        .find(|id| !taken.contains(id))
        .expect("an unused number")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lower::names::valid_id;

    fn w(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ids_are_valid_whatever_the_names() {
        let cases: &[(&[&str], &str)] = &[
            (&["orders"], "orders"),
            (&["billing", "this"], "billing"),
            (&["this"], "this"),
            (&["Warehouse_DB"], "warehouse-db"),
            (&["regional", "eu-central"], "regional-eu-central"),
            (&["logs", "0"], "logs-0"),
            (&["x"], "x-db"),
            (&["_1st"], "db-1st"),
            (&["__"], "db"),
            (
                &["a_very_long_resource_name_for_the_quarterly_exports_bucket"],
                "a-very-long-resource-name-for-the-quarte",
            ),
            (&["dots.and spaces", "ünïcode"], "dots-and-spaces-n-code"),
        ];
        for (words, want) in cases {
            let id = base(&w(words), "db");
            assert_eq!(id, *want, "{words:?}");
            assert!(valid_id(&id), "{id}");
        }
    }

    #[test]
    fn collisions_get_the_kind_then_a_number() {
        let mut taken: HashSet<String> = ["orders".to_owned()].into();
        assert_eq!(unique("orders", "bucket", &taken), "orders-bucket");
        taken.insert("orders-bucket".into());
        assert_eq!(unique("orders", "bucket", &taken), "orders-2");
        let long = "a".repeat(40);
        taken.insert(long.clone());
        let id = unique(&long, "bucket", &taken);
        assert_eq!(id.len(), 40);
        assert!(id.ends_with("-bucket") && valid_id(&id), "{id}");
    }
}
