//! `measurement "<asset>"` blocks (an extension): dated restore times, usually
//! in a file of their own that `lifeboat measure` writes from AWS Backup
//! restore jobs, merged into the assets they name.

use std::collections::{HashMap, HashSet};

use super::{Cx, at, key};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::input;
use indexmap::IndexMap;

use crate::model::{Asset, Date, Dated, Dur, Instant, Tier};
use crate::parse::PathSeg;
use crate::source::Span;

/// A measurement the model uses, and where its date is written.
pub(super) struct Dating {
    pub asset: usize,
    pub date: Date,
    pub span: Span,
}

impl Cx<'_> {
    /// Check every `measurement` block and set the restore time of the asset it
    /// names. `assets` is sorted by id; `declared` holds every asset id, broken
    /// ones too (a measurement of a broken asset is not reported again).
    pub(super) fn measurements(
        &mut self,
        assets: &mut [Asset],
        declared: &[String],
        is_broken: &dyn Fn(&[PathSeg]) -> bool,
    ) -> Vec<Dating> {
        let Some(map) = self.root.get("measurement") else {
            return Vec::new();
        };
        let index: HashMap<String, usize> = assets
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        let declared: HashSet<&str> = declared.iter().map(String::as_str).collect();
        let mut dated = Vec::new();
        for entry in map.value.entries() {
            let path = [key("measurement"), key(&entry.key)];
            if is_broken(&path) {
                continue;
            }
            let Some(raw) = self.deserialize::<input::Measurement>(&entry.value) else {
                continue;
            };
            let p = |k: &[&str]| at(&path, k);
            let restore = self.measured_dur(&p(&["restore"]), &Some(raw.restore.clone()));
            let date = match Date::parse(&raw.date) {
                Ok(d) => Some(d),
                Err(why) => {
                    let span = self.span(&p(&["date"]));
                    self.diags.push(
                        Diagnostic::new(
                            Code::Measurement,
                            span,
                            format!("invalid measurement date `{}`", raw.date),
                        )
                        .label(why)
                        .hint("the day of the newest restore measured, e.g. \"2026-11-30\""),
                    );
                    None
                }
            };
            let mut jobs_ok = true;
            for (i, job) in raw.jobs.iter().enumerate() {
                let mut jp = p(&["jobs"]);
                jp.push(PathSeg::Index(i));
                jobs_ok &= self
                    .duration(&at(&jp, &["duration"]), &Some(job.duration.clone()))
                    .is_some();
                if let Err(why) = Instant::parse(&job.completed) {
                    jobs_ok = false;
                    let span = self.span(&at(&jp, &["completed"]));
                    self.diags.push(
                        Diagnostic::new(
                            Code::Measurement,
                            span,
                            "invalid completion time of a restore job",
                        )
                        .label(why)
                        .hint("write it as `lifeboat measure` does, e.g. \"2026-11-30T07:42:10Z\""),
                    );
                }
            }
            let Some(&i) = index.get(&entry.key) else {
                if !declared.contains(entry.key.as_str()) {
                    self.unknown_measured_asset(&entry.key, &entry.key_span, assets, &declared);
                }
                continue;
            };
            let (Some(restore), Some(date), true) = (restore, date, jobs_ok) else {
                continue;
            };
            let asset = &mut assets[i];
            if asset.measured.restore.is_some() {
                let inline = self.span(&[
                    key("asset"),
                    key(&entry.key),
                    key("measured"),
                    key("restore"),
                ]);
                let span = self.span(&p(&["restore"]));
                self.diags.push(
                    Diagnostic::new(
                        Code::Measurement,
                        span,
                        format!("the restore time of `{}` is measured twice", entry.key),
                    )
                    .label("this measurement")
                    .note(inline, "and the asset's own `measured { restore }`")
                    .hint("keep one: remove `restore` from the asset's `measured` block to use this dated measurement, or remove this `measurement` block"),
                );
                continue;
            }
            asset.measured.restore = Some(restore);
            asset.measured.restore_dated = Some(Dated {
                date,
                jobs: raw.jobs.len(),
            });
            dated.push(Dating {
                asset: i,
                date,
                span: self.span(&p(&["date"])),
            });
        }
        dated
    }

    fn unknown_measured_asset(
        &mut self,
        id: &str,
        span: &Span,
        assets: &[Asset],
        declared: &HashSet<&str>,
    ) {
        let renamed = assets.iter().find(|a| a.previously.iter().any(|p| p == id));
        let hint = match renamed {
            Some(a) => Some(format!(
                "asset `{}` was previously `{id}`: rename this measurement to `{}`",
                a.id, a.id
            )),
            None => did_you_mean(id, declared.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .or_else(|| Some("remove this measurement, or add the asset".to_owned())),
        };
        self.diags.push(
            Diagnostic::new(
                Code::Measurement,
                span.clone(),
                format!("measurement of an unknown asset `{id}`"),
            )
            .label("no asset has this id")
            .maybe_hint(hint),
        );
    }

    /// W303 for every measurement older than its allowed age on `today`.
    pub(super) fn stale_measurements(
        &mut self,
        dated: &[Dating],
        assets: &[Asset],
        tiers: &IndexMap<String, Tier>,
        default_max_age: Dur,
        today: Date,
    ) {
        for d in dated {
            let a = &assets[d.asset];
            let tier = tiers.get(&a.tier);
            let max_age = tier
                .and_then(|t| t.measurement_max_age)
                .unwrap_or(default_max_age);
            let age = today.unix_days() - d.date.unix_days();
            if age < 0 || Dur::days(age as u64) <= max_age {
                continue;
            }
            let allowed = match tier.and_then(|t| t.measurement_max_age) {
                Some(_) => format!("the {max_age} tier `{}` allows", a.tier),
                None => format!("the {max_age} allowed"),
            };
            self.diags.push(
                Diagnostic::new(
                    Code::StaleMeasurement,
                    d.span.clone(),
                    format!(
                        "the measured restore time of `{}` dates from {}, {age} days ago: older than {allowed}",
                        a.id, d.date
                    ),
                )
                .label("measured then")
                .hint("check that restore testing still runs and feed its newest jobs to `lifeboat measure`; or raise `measurement_max_age` (in `assumptions`, or in the tier)"),
            );
        }
    }
}
