//! The project, the tiers and the `assumptions` block.

use indexmap::IndexMap;

use super::names::{KNOWN_REGIONS, check_email, check_tag, valid_region};
use super::{Cx, at, key, placeholder_tier};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::input;
use crate::model::params::Value as ParamValue;
use crate::model::{Dur, Objective, Params, Project, Scenario, Tier, tiers};
use crate::parse::{NodeKind, PathSeg};
use crate::source::Span;

/// The tag every generated resource carries, with the project name as its value.
const PROJECT_TAG: &str = "lifeboat-project";

impl Cx<'_> {
    pub(super) fn project(&mut self, is_broken: &dyn Fn(&[PathSeg]) -> bool) -> Option<Project> {
        let map = self.root.get("project")?;
        let entries = map.value.entries();
        if entries.len() > 1 {
            let first = entries[0].key_span.clone();
            for extra in &entries[1..] {
                self.diags.push(
                    Diagnostic::new(
                        Code::Project,
                        extra.key_span.clone(),
                        format!("a second `project` block (`{}`)", extra.key),
                    )
                    .label("one inventory has exactly one project")
                    .note(first.clone(), "the first project")
                    .hint("merge the two project blocks into one"),
                );
            }
        }
        let entry = entries.first()?;
        let path = [key("project"), key(&entry.key)];
        if self.name_label(&entry.key, &entry.key_span, "project")
            && let Some((_, why)) = check_tag(PROJECT_TAG, &entry.key)
        {
            // The name is the value of a tag on every resource lifeboat creates.
            self.diags.push(
                Diagnostic::new(
                    Code::AwsName,
                    entry.key_span.clone(),
                    format!(
                        "the project name `{}` would be rejected by AWS as a tag value",
                        entry.key
                    ),
                )
                .label(why)
                .hint(format!("every resource lifeboat creates is tagged `{PROJECT_TAG} = <project name>`; tag values are up to 256 letters, digits, spaces and _ . : / = + - @")),
            );
        }
        let broken = is_broken(&path);
        let raw: input::Project = if broken {
            // Check what can be checked; the project stays unusable.
            serde_json::from_value(entry.value.to_json()).ok()?
        } else {
            self.deserialize(&entry.value)?
        };
        let p = |k: &str| [path[0].clone(), path[1].clone(), key(k)];
        let mut ok = true;
        for (field, region) in [
            ("primary_region", &raw.primary_region),
            ("secondary_region", &raw.secondary_region),
        ] {
            ok &= self.region(&p(field), region);
        }
        if ok && raw.primary_region == raw.secondary_region {
            let span = self.span(&p("secondary_region"));
            let first = self.span(&p("primary_region"));
            self.diags.push(
                Diagnostic::new(
                    Code::SameRegion,
                    span,
                    format!(
                        "the secondary Region is the primary Region `{}`",
                        raw.primary_region
                    ),
                )
                .label("must differ from primary_region")
                .note(first, "primary_region is set here")
                .hint("choose another Region to recover into, e.g. one in the same geography"),
            );
        }
        self.tags(&p("tags"), &raw.tags);
        if let Some(id) = &raw.recovery_account_id
            && !(id.len() == 12 && id.bytes().all(|c| c.is_ascii_digit()))
        {
            let span = self.span(&p("recovery_account_id"));
            self.diags.push(
                Diagnostic::new(
                    Code::AwsName,
                    span,
                    format!("`{id}` is not an AWS account id"),
                )
                .label("needs 12 digits"),
            );
        }
        for (i, email) in raw.alert_emails.iter().enumerate() {
            if let Err(why) = check_email(email) {
                let mut path = p("alert_emails").to_vec();
                path.push(PathSeg::Index(i));
                let span = self.span(&path);
                self.diags.push(
                    Diagnostic::new(
                        Code::AwsName,
                        span,
                        format!("`{email}` is not an e-mail address SNS would accept"),
                    )
                    .label(why),
                );
            }
        }
        if broken {
            return None;
        }
        Some(Project {
            name: entry.key.clone(),
            primary_region: raw.primary_region,
            secondary_region: raw.secondary_region,
            tags: raw.tags,
            alert_emails: raw.alert_emails,
            immutable_backups: raw.immutable_backups,
            region_switch_approval: raw.region_switch_approval,
            region_switch_dns: raw.region_switch_dns,
            drills: raw.drills,
            recovery_account_id: raw.recovery_account_id,
            span: entry.key_span.clone(),
        })
    }

    /// Project and tier names are free text in the spec; they must be usable in
    /// AWS names after [`super::slug`], so at least one letter or digit.
    pub(super) fn name_label(&mut self, name: &str, span: &Span, what: &str) -> bool {
        if crate::model::slug(name).is_empty() || name.chars().count() > 64 {
            self.diags.push(
                Diagnostic::new(
                    Code::Id,
                    span.clone(),
                    format!("invalid {what} name `{name}`"),
                )
                .label("needs 1-64 characters, with at least one letter or digit")
                .hint(format!(
                    "{what} names end up in AWS resource names; e.g. `my-app`"
                )),
            );
            return false;
        }
        true
    }

    pub(super) fn region(&mut self, path: &[PathSeg], region: &str) -> bool {
        if valid_region(region) {
            return true;
        }
        let span = self.span(path);
        let hint = did_you_mean(region, KNOWN_REGIONS.iter().copied())
            .map(|r| format!("did you mean `{r}`?"))
            .unwrap_or_else(|| {
                "Region codes look like `us-east-1`, `eu-west-2` or `us-gov-west-1`".into()
            });
        self.diags.push(
            Diagnostic::new(
                Code::Region,
                span,
                format!("`{region}` is not an AWS Region code"),
            )
            .label("not a Region")
            .hint(hint),
        );
        false
    }

    pub(super) fn tags(&mut self, path: &[PathSeg], tags: &IndexMap<String, String>) {
        for (k, v) in tags {
            let mut p = path.to_vec();
            p.push(key(k));
            let why = check_tag(k, v);
            if let Some((on_key, why)) = why {
                let span = if on_key {
                    self.key_span(&p)
                } else {
                    self.span(&p)
                };
                self.diags.push(Diagnostic::new(Code::AwsName, span, format!("tag `{k}` would be rejected by AWS"))
                    .label(why)
                    .hint("tag keys: 1-128 characters, values: up to 256, of letters, digits, spaces and _ . : / = + - @; keys may not start with `aws:`"));
            }
        }
    }

    /// The tiers; `project_immutable` is the project's `immutable_backups`, which
    /// decides for every tier that does not set its own.
    pub(super) fn tiers(
        &mut self,
        is_broken: &dyn Fn(&[PathSeg]) -> bool,
        project_immutable: Option<bool>,
    ) -> IndexMap<String, Tier> {
        let default_immutable =
            |name: &str| project_immutable.unwrap_or_else(|| tiers::immutable_by_default(name));
        let mut tiers: IndexMap<String, Tier> = tiers::BUILTIN
            .iter()
            .map(|n| {
                let mut t = tiers::builtin(n).expect("built-in");
                t.immutable_backups = default_immutable(n);
                (n.to_string(), t)
            })
            .collect();
        let Some(map) = self.root.get("tier") else {
            return tiers;
        };
        for entry in map.value.entries() {
            let path = [key("tier"), key(&entry.key)];
            if !self.name_label(&entry.key, &entry.key_span, "tier") {
                continue;
            }
            let broken = is_broken(&path);
            let raw = if broken {
                // Keep the name known so assets using it do not cascade.
                tiers.insert(entry.key.clone(), placeholder_tier(&entry.key));
                match serde_json::from_value::<input::Tier>(entry.value.to_json()) {
                    Ok(raw) => raw,
                    Err(_) => continue,
                }
            } else {
                match self.deserialize::<input::Tier>(&entry.value) {
                    Some(raw) => raw,
                    None => continue,
                }
            };
            let p = |k: &[&str]| at(&path, k);
            let rpo = self.objective_dur(&p(&["rpo"]), &raw.rpo);
            let rto = self.objective_dur(&p(&["rto"]), &raw.rto);
            let mut objectives = [Objective { rpo, rto }; 3];
            for (s, o) in [
                (Scenario::Az, &raw.scenario.az),
                (Scenario::Region, &raw.scenario.region),
                (Scenario::Corruption, &raw.scenario.corruption),
            ] {
                let Some(o) = o else { continue };
                let name = s.as_str();
                if let Some(d) = self.objective_dur(&p(&["scenario", name, "rpo"]), &o.rpo) {
                    objectives[s.index()].rpo = Some(d);
                }
                if let Some(d) = self.objective_dur(&p(&["scenario", name, "rto"]), &o.rto) {
                    objectives[s.index()].rto = Some(d);
                }
            }
            let retention = match self.duration(&p(&["retention"]), &raw.retention) {
                Some(d) if d < Dur::days(1) || d > Dur::days(36_500) => {
                    let span = self.span(&p(&["retention"]));
                    self.diags.push(Diagnostic::new(Code::VaultLock, span, format!("retention `{d}` is outside what AWS Backup Vault Lock allows"))
                        .label("must be between 1d and 36500d")
                        .hint("AWS Backup fails jobs whose retention is outside the vault lock range [1 day, 36500 days]"));
                    tiers::DEFAULT_RETENTION
                }
                Some(d) => d,
                None => tiers::DEFAULT_RETENTION,
            };
            let measurement_max_age =
                self.duration(&p(&["measurement_max_age"]), &raw.measurement_max_age);
            if project_immutable == Some(true) && raw.immutable_backups == Some(false) {
                let span = self.span(&p(&["immutable_backups"]));
                self.diags.push(Diagnostic::new(Code::InvalidValue, span, format!("tier `{}` turns immutable backups off, but the project locks every vault in compliance mode", entry.key))
                    .label("contradicts the project's `immutable_backups = true`")
                    .hint("remove the project's `immutable_backups` and set it per tier (`true` where recovery points must survive a compromised administrator), or remove this line"));
            }
            let immutable_backups = raw
                .immutable_backups
                .unwrap_or_else(|| default_immutable(&entry.key));
            if raw.account_compromise && !raw.isolated_copy {
                let span = self.span(&p(&["account_compromise"]));
                self.diags.push(
                    Diagnostic::new(
                        Code::AccountCompromise,
                        span,
                        format!(
                            "tier `{}` counts a compromised account in its corruption scenario, but keeps no recovery point that account's administrator cannot delete",
                            entry.key
                        ),
                    )
                    .label("no isolated copy")
                    .hint("set `isolated_copy = true` on the tier: AWS Backup then copies its recovery points into a logically air-gapped vault, the only ones the model counts against a compromised account"),
                );
            }
            if broken {
                continue;
            }
            tiers.insert(
                entry.key.clone(),
                Tier {
                    name: entry.key.clone(),
                    builtin: false,
                    objectives,
                    retention,
                    measurement_max_age,
                    immutable_backups,
                    isolated_copy: raw.isolated_copy,
                    account_compromise: raw.account_compromise,
                    span: Some(entry.key_span.clone()),
                },
            );
        }
        tiers
    }

    pub(super) fn objective_dur(&mut self, path: &[PathSeg], text: &Option<String>) -> Option<Dur> {
        let d = self.duration(path, text)?;
        if d == Dur::ZERO {
            let span = self.span(path);
            self.diags.push(Diagnostic::new(Code::ZeroObjective, span, "an objective of zero can never be met")
                .label("no estimate can promise zero")
                .hint("AWS Resilience Hub counts an RTO or RPO of 0 as always breached; write the smallest loss or downtime you accept, e.g. \"1m\""));
            return None;
        }
        Some(d)
    }

    pub(super) fn measured_dur(&mut self, path: &[PathSeg], text: &Option<String>) -> Option<Dur> {
        let d = self.duration(path, text)?;
        if d == Dur::ZERO {
            let span = self.span(path);
            self.diags.push(
                Diagnostic::new(
                    Code::ZeroObjective,
                    span,
                    "a measured duration of zero is not a measurement",
                )
                .label("nothing recovers in no time")
                .hint("record the duration the drill actually took, e.g. \"12m\""),
            );
            return None;
        }
        Some(d)
    }

    pub(super) fn params(&mut self, is_broken: &dyn Fn(&[PathSeg]) -> bool) -> Params {
        let mut params = Params::default();
        let Some(entry) = self.root.get("assumptions") else {
            return params;
        };
        if is_broken(&[key("assumptions")]) {
            return params;
        }
        for e in entry.value.entries() {
            let path = [key("assumptions"), key(&e.key)];
            let value = match &e.value.kind {
                NodeKind::Str(s) => match self.duration(&path, &Some(s.clone())) {
                    Some(d) => ParamValue::Duration(d),
                    None => continue,
                },
                NodeKind::Number(n) => ParamValue::Number(n.as_f64().unwrap_or(f64::NAN)),
                _ => continue, // the schema check reported it
            };
            if let Err(expected) = params.set(&e.key, value) {
                self.diags.push(
                    Diagnostic::new(
                        Code::Assumption,
                        e.value.span.clone(),
                        format!("assumption `{}` must be {expected}", e.key),
                    )
                    .label("invalid value"),
                );
            }
        }
        params
    }
}
