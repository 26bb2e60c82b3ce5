//! `lifeboat measure`: restore times measured by AWS Backup, written into the
//! inventory's measurements file.
//!
//! Not a pipeline stage (like [`crate::import`]): it reads the JSON of AWS
//! Backup restore jobs ([`jobs`]), maps each completed job to the inventory
//! asset whose resource it restored, and writes or updates one
//! `measurement "<asset>"` block per asset (docs/inventory.md,
//! "Measurements"). The file is then part of the inventory like any other:
//! `lifeboat check` reads it, and the model uses the measured restore times
//! instead of its estimates. Pure functions over text; the CLI reads and
//! writes the files.
//!
//! **The statistic.** Per asset, the newest `latest` completed jobs are kept
//! (those already in the file and the new ones, by `RestoreJobId`), and the
//! measurement is the **longest** of them: an RTO is a bound, and restores
//! of the same data vary (load, lazy loading, queueing), so the worst recent
//! restore is what a recovery can count on; the newest ones, because data
//! grows and configurations change. Its date is the day the newest of them
//! completed, which is what `check` compares with `measurement_max_age`.
//!
//! **Edits.** Everything but the `measurement` blocks whose content changes
//! stays byte for byte (comments, other blocks, a hand-written measurement
//! that no job touches); a block that changes is written anew; new blocks are
//! appended in id order. The same jobs twice give the same file.

pub mod jobs;

use std::collections::{BTreeMap, HashMap};

use crate::emit::hcl::quote;
use crate::model::{AssetKind, Date, Dur, Instant, Inventory};
use crate::source::{SourceFile, Sources};

/// What a run was given besides the inventory.
#[derive(Debug, Clone)]
pub struct Options {
    /// How many of the newest completed jobs per asset count.
    pub latest: usize,
}

/// A completed restore job of an asset, as the file keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub id: String,
    pub completed: Instant,
    pub duration: Dur,
}

/// One asset's measurement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measurement {
    pub restore: Dur,
    pub date: Date,
    /// Newest first.
    pub jobs: Vec<Stored>,
}

impl Measurement {
    /// The measurement of the newest `latest` of `jobs`: the longest of them,
    /// dated by the newest.
    fn of(mut jobs: Vec<Stored>, latest: usize) -> Option<Measurement> {
        jobs.sort_by(|a, b| b.completed.cmp(&a.completed).then(a.id.cmp(&b.id)));
        jobs.truncate(latest);
        let restore = jobs.iter().map(|j| j.duration).max()?;
        Some(Measurement {
            restore,
            date: jobs[0].completed.date(),
            jobs,
        })
    }

    fn render(&self, id: &str) -> String {
        let (what, when) = match self.jobs.len() {
            1 => ("the restore job below".to_owned(), "when it completed"),
            n => (
                format!("the longest of the {n} restore jobs below"),
                "when the newest of them completed",
            ),
        };
        let mut out = format!(
            "measurement {} {{\n  restore = {} # {what}\n  date    = {} # {when} (UTC)\n  jobs = [\n",
            quote(id),
            quote(&self.restore.to_string()),
            quote(&self.date.to_string()),
        );
        for j in &self.jobs {
            out.push_str(&format!(
                "    {{ id = {}, completed = {}, duration = {} }},\n",
                quote(&j.id),
                quote(&j.completed.to_string()),
                quote(&j.duration.to_string())
            ));
        }
        out.push_str("  ]\n}\n");
        out
    }
}

/// Why a job was not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    /// Not `COMPLETED` (pending, running, aborted or failed).
    NotCompleted,
    /// Completed, but its validation failed or timed out: not a usable restore.
    ValidationFailed,
    /// The JSON does not say which resource it restored.
    NoSource,
    /// A resource no asset of the inventory is (or in another Region).
    NotInInventory,
    /// Without both times, or completed before it was created.
    NoDuration,
}

impl Skip {
    pub fn describe(self) -> &'static str {
        match self {
            Skip::NotCompleted => "not completed",
            Skip::ValidationFailed => "completed, but its validation failed or timed out",
            Skip::NoSource => {
                "the JSON does not say which resource it restored (list-restore-jobs gives no SourceResourceArn)"
            }
            Skip::NotInInventory => "restored a resource that is not an asset of the inventory",
            Skip::NoDuration => "no creation and completion time to measure",
        }
    }
}

/// What a run produced.
#[derive(Debug)]
pub struct Outcome {
    /// The whole file, new or updated.
    pub text: String,
    /// Per asset whose measurement changed: the old one (if any) and the new one.
    pub changed: BTreeMap<String, (Option<Measurement>, Measurement)>,
    /// Jobs counted, per asset.
    pub counted: BTreeMap<String, usize>,
    /// Jobs not counted, by reason, with their ids (in input order).
    pub skipped: BTreeMap<Skip, Vec<String>>,
}

/// A problem that stops the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

/// An existing measurements file, parsed.
struct Existing<'a> {
    text: &'a str,
    /// Per asset: the block's byte range and what it holds (`None` when it holds
    /// something `measure` cannot read back, e.g. a job with a bad time).
    blocks: HashMap<String, (std::ops::Range<usize>, Option<Measurement>)>,
}

impl<'a> Existing<'a> {
    fn parse(name: &str, text: &'a str) -> Result<Existing<'a>, Refusal> {
        if name.ends_with(".json") {
            return Err(Refusal(format!(
                "`{name}` is a JSON file; lifeboat measure writes and updates HCL: choose a .hcl file with -o"
            )));
        }
        let sources = Sources::new(vec![SourceFile::new(name, text)]);
        let mut diags = crate::diag::Diagnostics::default();
        let root = crate::parse::parse(&sources, &mut diags);
        // A file of comments only is an empty inventory, and fine to add to.
        let problem = diags.sorted().into_iter().find(|d| {
            d.severity() == crate::diag::Severity::Error
                && d.code != crate::diag::Code::EmptyInventory
        });
        if let Some(d) = problem {
            let first = d.message.clone();
            return Err(Refusal(format!(
                "`{name}` is not an inventory file lifeboat can read ({first}); fix it (`lifeboat check` shows where) or write elsewhere with -o"
            )));
        }
        let mut blocks = HashMap::new();
        if let Some(map) = root.as_ref().and_then(|r| r.get("measurement")) {
            for e in map.value.entries() {
                let read = serde_json::from_value::<crate::input::Measurement>(e.value.to_json())
                    .ok()
                    .and_then(|m| {
                        Some(Measurement {
                            restore: Dur::parse(&m.restore).ok()?,
                            date: Date::parse(&m.date).ok()?,
                            jobs: m
                                .jobs
                                .iter()
                                .map(|j| {
                                    Some(Stored {
                                        id: j.id.clone(),
                                        completed: Instant::parse(&j.completed).ok()?,
                                        duration: Dur::parse(&j.duration).ok()?,
                                    })
                                })
                                .collect::<Option<Vec<_>>>()?,
                        })
                    });
                blocks.insert(e.key.clone(), (e.value.span.range.clone(), read));
            }
        }
        Ok(Existing { text, blocks })
    }
}

/// The resources of the inventory's data assets: (kind, AWS name) to asset id.
fn resources(inv: &Inventory) -> HashMap<(&'static str, &str), &str> {
    let mut out = HashMap::new();
    for a in &inv.assets {
        let name = match &a.kind {
            AssetKind::Rds(x) => x.identifier.as_str(),
            AssetKind::Aurora(x) => x.cluster_identifier.as_str(),
            AssetKind::S3(x) => x.bucket.as_str(),
            AssetKind::Dynamodb(x) => x.table.as_str(),
            AssetKind::Efs(x) => x.file_system_id.as_str(),
            AssetKind::Endpoint(_) => continue,
        };
        out.insert((a.kind_name(), name), a.id.as_str());
    }
    out
}

/// Measure: `jobs` are the restore jobs read from the inputs, `existing` the
/// name and text of the measurements file when it exists.
pub fn measure(
    inv: &Inventory,
    jobs: &[jobs::Job],
    existing: Option<(&str, &str)>,
    opts: &Options,
) -> Result<Outcome, Refusal> {
    // An empty file is written as a new one, with the header.
    let existing = existing
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(name, text)| Existing::parse(name, text))
        .transpose()?;
    let resources = resources(inv);
    let mut new: BTreeMap<String, Vec<Stored>> = BTreeMap::new();
    let mut skipped: BTreeMap<Skip, Vec<String>> = BTreeMap::new();
    // A job given twice (listed, then described) counts once, as the record
    // that says which resource it restored.
    let mut unique: Vec<&jobs::Job> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for job in jobs {
        match at.get(job.id.as_str()) {
            Some(&i) if unique[i].source.is_none() && job.source.is_some() => unique[i] = job,
            Some(_) => {}
            None => {
                at.insert(&job.id, unique.len());
                unique.push(job);
            }
        }
    }
    for job in unique {
        let skip = |why: Skip, skipped: &mut BTreeMap<Skip, Vec<String>>| {
            skipped.entry(why).or_default().push(job.id.clone());
        };
        if job.status != "COMPLETED" {
            skip(Skip::NotCompleted, &mut skipped);
            continue;
        }
        if matches!(job.validation.as_deref(), Some("FAILED" | "TIMED_OUT")) {
            skip(Skip::ValidationFailed, &mut skipped);
            continue;
        }
        let Some(source) = &job.source else {
            skip(Skip::NoSource, &mut skipped);
            continue;
        };
        let asset = jobs::resource(source).and_then(|(kind, name, region)| {
            let in_primary = region
                .as_deref()
                .is_none_or(|r| r == inv.project.primary_region);
            in_primary
                .then(|| resources.get(&(kind, name.as_str())).copied())
                .flatten()
        });
        let Some(asset) = asset else {
            skip(Skip::NotInInventory, &mut skipped);
            continue;
        };
        let duration = match (job.created, job.completed) {
            (Some(c), Some(d)) => c.secs_until(d).filter(|s| *s > 0).map(Dur::secs),
            _ => None,
        };
        let (Some(duration), Some(completed)) = (duration, job.completed) else {
            skip(Skip::NoDuration, &mut skipped);
            continue;
        };
        new.entry(asset.to_owned()).or_default().push(Stored {
            id: job.id.clone(),
            completed: completed.whole_secs(),
            duration,
        });
    }
    let counted = new.iter().map(|(k, v)| (k.clone(), v.len())).collect();
    // Per asset, the jobs already in the file and the new ones, by id.
    let mut changed = BTreeMap::new();
    let mut replace: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut appended = String::new();
    for (id, fresh) in new {
        let old = existing
            .as_ref()
            .and_then(|e| e.blocks.get(&id))
            .map(|(range, m)| (range.clone(), m.clone()));
        if let Some((_, None)) = &old {
            return Err(Refusal(format!(
                "the measurement of `{id}` in the measurements file has a value lifeboat cannot read back; fix it (`lifeboat check` shows where) and run again"
            )));
        }
        let mut all: Vec<Stored> = old
            .as_ref()
            .and_then(|(_, m)| m.as_ref())
            .map(|m| m.jobs.clone())
            .unwrap_or_default();
        for j in fresh {
            match all.iter_mut().find(|k| k.id == j.id) {
                Some(k) => *k = j,
                None => all.push(j),
            }
        }
        let m = Measurement::of(all, opts.latest).expect("at least one job");
        let before = old.as_ref().and_then(|(_, m)| m.clone());
        if before.as_ref() == Some(&m) {
            continue;
        }
        let text = m.render(&id);
        match old {
            Some((range, _)) => replace.push((range, text.trim_end().to_owned())),
            None => {
                appended.push('\n');
                appended.push_str(&text);
            }
        }
        changed.insert(id, (before, m));
    }
    let mut text = match &existing {
        Some(e) => e.text.to_owned(),
        None => HEADER.to_owned(),
    };
    replace.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    for (range, block) in replace {
        text.replace_range(range, &block);
    }
    if !appended.is_empty() {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        if existing.is_none() {
            // The header ends with its own line; no blank line doubled.
            text.push_str(appended.trim_start_matches('\n'));
        } else {
            text.push_str(&appended);
        }
    }
    Ok(Outcome {
        text,
        changed,
        counted,
        skipped,
    })
}

/// The first lines of a new measurements file.
const HEADER: &str = "\
# Restore times measured by AWS Backup restore jobs, written by `lifeboat measure`.
# Commit this file with the inventory: `lifeboat check` uses each measurement
# instead of the model's restore estimate, and warns when one is older than
# `measurement_max_age`. Run `lifeboat measure` again with newer jobs to update
# it; comments outside the measurement blocks are kept.

";
