//! `.lifeboat/manifest.json`: what a compile generated. It records each file's
//! hash (to tell hand edits from lifeboat's own output) and the Terraform
//! addresses of resources that hold or protect data, as the deployment lists
//! them (to refuse a compile that would destroy them).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{GeneratedFile, MARKER, Options};
use crate::deploy::Deployment;
pub use crate::deploy::Protected;

pub const PATH: &str = ".lifeboat/manifest.json";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    #[serde(default)]
    pub generated: String,
    pub version: u32,
    /// Path → FNV-1a 64 hash of the contents, for every other generated file.
    pub files: std::collections::BTreeMap<String, String>,
    pub protected: Vec<Protected>,
    /// Module address renames declared with `previously` (from → to).
    #[serde(default)]
    pub moved: Vec<(String, String)>,
}

/// FNV-1a 64 of a file's contents, as the manifest records it (16 hex digits).
pub fn hash(text: &str) -> String {
    let mut h = Hasher::default();
    h.update(text.as_bytes());
    h.finish()
}

/// [`hash`] over text that arrives in pieces.
#[derive(Debug, Clone, Copy)]
pub struct Hasher(u64);

impl Default for Hasher {
    fn default() -> Self {
        Hasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0 = bytes.iter().fold(self.0, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        });
    }

    pub fn finish(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// The manifest of `files`, given as (path, [`hash`] of the contents): the caller
/// hashes each file where it is produced, so large files are hashed in parallel.
pub fn build(
    dep: &Deployment,
    files: impl IntoIterator<Item = (String, String)>,
    opts: &Options,
) -> GeneratedFile {
    let m = Manifest {
        generated: opts.header("").trim_start().to_owned(),
        version: 1,
        files: files.into_iter().collect(),
        protected: dep.protected.clone(),
        moved: dep.moved.clone(),
    };
    let body = serde_json::to_string_pretty(&m).expect("manifest serializes");
    // Keep the marker on the first line, where `compile` looks for it.
    let body = body.replacen("{\n  \"generated\"", "{\"generated\"", 1);
    debug_assert!(body.lines().next().is_some_and(|l| l.contains(MARKER)));
    GeneratedFile {
        path: PATH.to_owned(),
        contents: body + "\n",
    }
}

/// Protected resources of `old` that `new` no longer has (renames followed).
/// Both lists grow with the inventory: lookups are hashed, not scans of one list
/// per entry of the other (that took minutes at 100,000 assets).
/// A resource that is still there but under another name or in another Region is
/// replaced by Terraform, so it is lost too; its `what` then says so.
pub fn lost(old: &Manifest, new: &Manifest) -> Vec<Protected> {
    let now: std::collections::HashMap<&str, &Protected> = new
        .protected
        .iter()
        .map(|q| (q.address.as_str(), q))
        .collect();
    let moves = Moves::new(&new.moved);
    old.protected
        .iter()
        .filter_map(|p| match now.get(moves.follow(&p.address).as_str()) {
            None => Some(p.clone()),
            // Names unknown to an older manifest cannot be compared.
            Some(q) if !p.name.is_empty() && !q.name.is_empty() && q.name != p.name => {
                Some(Protected {
                    what: format!(
                        "{}, replaced: it was {}, it would become {}",
                        p.what, p.name, q.name
                    ),
                    ..p.clone()
                })
            }
            Some(_) => None,
        })
        .collect()
}

/// `moved` pairs by source address; each source keeps its first position, so the
/// earliest listed move wins, as in a scan of the list.
struct Moves<'a> {
    by_from: HashMap<&'a str, (usize, &'a str)>,
    len: usize,
}

impl<'a> Moves<'a> {
    fn new(moves: &'a [(String, String)]) -> Self {
        let mut by_from = HashMap::new();
        for (i, (from, to)) in moves.iter().enumerate() {
            by_from.entry(from.as_str()).or_insert((i, to.as_str()));
        }
        Moves {
            by_from,
            len: moves.len(),
        }
    }

    /// Where `address` ends up after a chain of moves (a module move carries every
    /// address inside the module along).
    fn follow(&self, address: &str) -> String {
        let mut address = address.to_owned();
        for _ in 0..=self.len {
            // A move applies to its own address and to every `<from>.<rest>`: look
            // up the address and each prefix that ends before a dot.
            let next = address
                .match_indices('.')
                .map(|(end, _)| end)
                .chain([address.len()])
                .filter_map(|end| {
                    let &(i, to) = self.by_from.get(&address[..end])?;
                    Some((i, to, end))
                })
                .min_by_key(|&(i, _, _)| i)
                .map(|(_, to, end)| format!("{to}{}", &address[end..]));
            match next {
                Some(n) => address = n,
                None => break,
            }
        }
        address
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prot(a: &str) -> Protected {
        named(a, "")
    }

    fn named(a: &str, name: &str) -> Protected {
        Protected {
            address: a.into(),
            asset: String::new(),
            what: "replica bucket".into(),
            name: name.into(),
        }
    }

    /// The same address under another name or in another Region is a
    /// replacement: lost. Names an older manifest did not record are not compared.
    #[test]
    fn a_renamed_resource_at_the_same_address_is_lost() {
        let at = "module.s3_a.aws_s3_bucket.destination";
        let old = Manifest {
            protected: vec![named(at, "a-dr in us-west-2")],
            ..Default::default()
        };
        let same = Manifest {
            protected: vec![named(at, "a-dr in us-west-2")],
            ..Default::default()
        };
        assert!(lost(&old, &same).is_empty());
        let moved_region = Manifest {
            protected: vec![named(at, "a-dr in eu-west-1")],
            ..Default::default()
        };
        let l = lost(&old, &moved_region);
        assert_eq!(l.len(), 1);
        assert!(
            l[0].what
                .contains("it was a-dr in us-west-2, it would become a-dr in eu-west-1")
        );
        let unnamed = Manifest {
            protected: vec![prot(at)],
            ..Default::default()
        };
        assert!(lost(&unnamed, &moved_region).is_empty());
    }

    #[test]
    fn renames_are_followed_along_chains_and_for_root_resources() {
        let old = Manifest {
            protected: vec![
                prot("module.s3_a.aws_s3_bucket.destination"),
                prot("aws_s3_bucket_versioning.s3_x"),
                prot("module.rds_gone.aws_db_instance.replica[0]"),
            ],
            ..Default::default()
        };
        let new = Manifest {
            protected: vec![
                prot("module.s3_c.aws_s3_bucket.destination"),
                prot("aws_s3_bucket_versioning.s3_y"),
            ],
            moved: vec![
                ("module.s3_a".into(), "module.s3_b".into()),
                ("module.s3_b".into(), "module.s3_c".into()),
                (
                    "aws_s3_bucket_versioning.s3_x".into(),
                    "aws_s3_bucket_versioning.s3_y".into(),
                ),
            ],
            ..Default::default()
        };
        let lost: Vec<String> = lost(&old, &new).into_iter().map(|p| p.address).collect();
        assert_eq!(lost, ["module.rds_gone.aws_db_instance.replica[0]"]);
        // A prefix that is not a whole module name does not match.
        assert_eq!(
            Moves::new(&new.moved).follow("module.s3_ab.x"),
            "module.s3_ab.x"
        );
    }
}
