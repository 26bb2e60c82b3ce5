//! Data assets: what every asset has, and the kinds that hold data.

use indexmap::IndexMap;

use super::names::{
    BUCKET_RULES, check_bucket, check_db_identifier, check_table_name, id_hint,
    valid_file_system_id, valid_id, valid_instance_class, valid_kms_key_arn,
};
use super::{Cx, at};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::input;
use crate::model::{
    AcceptedRisk, Asset, AssetKind, Aurora, AuroraChoices, Date, Dur, Dynamodb, DynamodbChoices,
    Efs, EfsChoices, Measured, Rds, RdsChoices, S3, S3Choices, Scenario, Tier,
};
use crate::parse::PathSeg;
use crate::source::Span;

/// "did you mean" for an instance class written without `db.` or in upper case.
fn class_hint(class: &str) -> Option<String> {
    let lower = class.to_ascii_lowercase();
    [lower.clone(), format!("db.{lower}")]
        .into_iter()
        .find(|c| c != class && valid_instance_class(c))
        .map(|c| format!("did you mean `{c}`?"))
}

/// What to use instead of a sub-hourly schedule, for kinds AWS Backup backs up
/// continuously.
const CONTINUOUS_HINT: &str =
    "use `continuous_backup = true` for point-in-time recovery, or a frequency of at least \"1h\"";

/// An asset's common attributes, checked.
pub(super) struct Checked {
    ok: bool,
    accepted_risks: Vec<AcceptedRisk>,
    depends_on_spans: Vec<Span>,
    measured: Measured,
    tier_span: Span,
}

impl Cx<'_> {
    /// Check what every asset has (tier, renames, tags, measurements). Also used
    /// for an asset whose kind-specific part is broken, so every problem is reported.
    pub(super) fn common(
        &mut self,
        id: &str,
        path: &[PathSeg],
        common: &input::Common,
        tiers: &IndexMap<String, Tier>,
    ) -> Checked {
        let p = |k: &[&str]| at(path, k);
        let tier_span = self.span(&p(&["tier"]));
        let mut ok = true;
        if !tiers.contains_key(&common.tier) {
            ok = false;
            let hint = did_you_mean(&common.tier, tiers.keys().map(String::as_str))
                .map(|t| format!("did you mean `{t}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "tiers are {}; or declare `tier \"{}\" {{ ... }}`",
                        tiers
                            .keys()
                            .map(|t| format!("`{t}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        common.tier
                    )
                });
            self.diags.push(
                Diagnostic::new(
                    Code::UnknownTier,
                    tier_span.clone(),
                    format!("unknown tier `{}` in asset `{id}`", common.tier),
                )
                .label("neither built in nor declared")
                .hint(hint),
            );
        }
        let depends_on_spans = (0..common.depends_on.len())
            .map(|i| {
                let mut v = p(&["depends_on"]);
                v.push(PathSeg::Index(i));
                self.span(&v)
            })
            .collect();
        for (i, prev) in common.previously.iter().enumerate() {
            if !valid_id(prev) {
                let mut v = p(&["previously"]);
                v.push(PathSeg::Index(i));
                let span = self.span(&v);
                self.diags.push(
                    Diagnostic::new(Code::Id, span, format!("invalid previous id `{prev}`"))
                        .hint(id_hint(prev)),
                );
                ok = false;
            }
        }
        self.tags(&p(&["tags"]), &common.tags);
        let measured = common.measured.clone().unwrap_or_default();
        let measured = Measured {
            restore: self.measured_dur(&p(&["measured", "restore"]), &measured.restore),
            failover: self.measured_dur(&p(&["measured", "failover"]), &measured.failover),
            restore_dated: None,
        };
        let mut accepted_risks = Vec::new();
        let blocks = &common.accepted_risk;
        for (s, risk) in [
            (Scenario::Az, &blocks.az),
            (Scenario::Region, &blocks.region),
            (Scenario::Corruption, &blocks.corruption),
        ] {
            let Some(risk) = risk else { continue };
            match self.accepted_risk(&p(&["accepted_risk", s.as_str()]), s, risk) {
                Some(r) => accepted_risks.push(r),
                None => ok = false,
            }
        }
        Checked {
            ok,
            accepted_risks,
            depends_on_spans,
            measured,
            tier_span,
        }
    }

    /// One `accepted_risk "<scenario>"` block, checked.
    fn accepted_risk(
        &mut self,
        path: &[PathSeg],
        scenario: Scenario,
        risk: &input::AcceptedRisk,
    ) -> Option<AcceptedRisk> {
        let p = |k: &[&str]| at(path, k);
        let mut ok = true;
        for (field, value, what) in [
            ("reason", &risk.reason, "why the gap is accepted"),
            ("owner", &risk.owner, "who accepted it"),
        ] {
            if value.trim().is_empty() {
                let span = self.span(&p(&[field]));
                self.diags.push(
                    Diagnostic::new(
                        Code::Acceptance,
                        span,
                        format!(
                            "an accepted risk needs {}",
                            if field == "owner" {
                                "an `owner`"
                            } else {
                                "a `reason`"
                            }
                        ),
                    )
                    .label(format!("empty: say {what}"))
                    .hint("reviewers, the report and the runbook show the reason and the owner"),
                );
                ok = false;
            }
        }
        let expires_span = self.span(&p(&["expires"]));
        let expires = match Date::parse(&risk.expires) {
            Ok(d) => Some(d),
            Err(why) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::Acceptance,
                        expires_span.clone(),
                        format!("invalid expiry date `{}`", risk.expires),
                    )
                    .label(why)
                    .hint("write the last day the acceptance holds, e.g. \"2027-03-31\" (UTC)"),
                );
                None
            }
        };
        let mut bound = |field: &str, text: &Option<String>| {
            let path = p(&[field]);
            let d = self.duration(&path, text)?;
            if d == Dur::ZERO {
                let span = self.span(&path);
                self.diags.push(
                    Diagnostic::new(
                        Code::Acceptance,
                        span,
                        format!(
                            "an accepted {} of zero accepts no breach",
                            field.to_uppercase()
                        ),
                    )
                    .label("zero")
                    .hint(format!(
                        "give the worst {} you accept, or leave it out to accept any",
                        field.to_uppercase()
                    )),
                );
                return None;
            }
            Some(d)
        };
        let (rpo, rpo_ok) = (bound("rpo", &risk.rpo), risk.rpo.is_none());
        let (rto, rto_ok) = (bound("rto", &risk.rto), risk.rto.is_none());
        if (rpo.is_none() && !rpo_ok) || (rto.is_none() && !rto_ok) {
            ok = false;
        }
        let span = self.key_span(path);
        Some(AcceptedRisk {
            scenario,
            reason: risk.reason.clone(),
            owner: risk.owner.clone(),
            expires: expires?,
            rpo,
            rto,
            span,
            expires_span,
        })
        .filter(|_| ok)
    }

    pub(super) fn asset(
        &mut self,
        id: &str,
        id_span: &Span,
        path: &[PathSeg],
        raw: input::Asset,
        tiers: &IndexMap<String, Tier>,
    ) -> Option<Asset> {
        let common = raw.common().clone();
        let Checked {
            ok,
            accepted_risks,
            depends_on_spans,
            measured,
            tier_span,
        } = self.common(id, path, &common, tiers);
        let kind = match raw {
            input::Asset::Rds(r) => self.rds(path, r).map(AssetKind::Rds),
            input::Asset::S3(s) => self.s3(path, s).map(AssetKind::S3),
            input::Asset::Endpoint(e) => self.endpoint(path, e).map(AssetKind::Endpoint),
            input::Asset::Aurora(x) => self.aurora(path, x).map(AssetKind::Aurora),
            input::Asset::Dynamodb(x) => self.dynamodb(path, x).map(AssetKind::Dynamodb),
            input::Asset::Efs(x) => self.efs(path, x).map(AssetKind::Efs),
        };
        if !ok {
            return None;
        }
        let kind = kind?;
        let (isolated_copy, account_compromise) = tiers
            .get(&common.tier)
            .map_or((false, false), |t| (t.isolated_copy, t.account_compromise));
        let mut asset = Asset {
            id: id.to_owned(),
            isolated_copy,
            account_compromise,
            tier: common.tier,
            depends_on: common.depends_on,
            description: common.description,
            owner: common.owner,
            tags: common.tags,
            previously: common.previously,
            measured,
            accepted_risks,
            kind,
            span: id_span.clone(),
            depends_on_spans,
            tier_span,
        };
        if asset.isolated_copy && !asset.isolated_copy_supported() {
            asset.isolated_copy = false;
            if !matches!(asset.kind, AssetKind::Endpoint(_)) {
                let kind = asset.kind_name();
                self.diags.push(
                    Diagnostic::new(
                        Code::IsolatedCopyUnsupported,
                        asset.tier_span.clone(),
                        format!(
                            "asset `{id}` ({kind}) is in tier `{}`, which sets `isolated_copy`, but lifeboat cannot confirm that AWS Backup copies {kind} recovery points into a logically air-gapped vault",
                            asset.tier
                        ),
                    )
                    .label("no isolated copy for this asset")
                    .hint(if asset.account_compromise {
                        "the model counts no recovery point of this asset against a compromised account; keep a copy in another account you control, or move the asset to a tier without `account_compromise`"
                    } else {
                        "lifeboat adds no copy_action for it; keep a copy in another account you control"
                    }),
                );
            }
        }
        Some(asset)
    }

    fn rds(&mut self, path: &[PathSeg], r: input::RdsAsset) -> Option<Rds> {
        let p = |k: &[&str]| at(path, k);
        let mut ok = true;
        if !self.db_identifier(&p(&["identifier"]), &r.identifier, "DB instance") {
            ok = false;
        }
        let dr = r.dr.unwrap_or_default();
        let frequency = self.frequency(
            &p(&["dr", "backup_frequency"]),
            &dr.backup_frequency,
            CONTINUOUS_HINT,
        );
        let wants_replica = dr.read_replica == Some(true) || dr.replica_instance_class.is_some();
        if wants_replica && !r.engine.allows_cross_region_replica() {
            let field = if dr.read_replica == Some(true) {
                "read_replica"
            } else {
                "replica_instance_class"
            };
            let span = self.key_span(&p(&["dr", field]));
            self.diags.push(
                Diagnostic::new(
                    Code::Choice,
                    span,
                    format!(
                        "AWS offers no cross-Region read replica for engine `{}`",
                        r.engine.as_str()
                    ),
                )
                .label("not possible for this engine")
                .hint("RDS supports cross-Region read replicas for PostgreSQL, MySQL, MariaDB, Oracle Enterprise Edition and SQL Server Enterprise Edition; use `backup_replication = true` (cross-Region automated backups) instead"),
            );
            ok = false;
        }
        if let Some(class) = &dr.replica_instance_class {
            if !valid_instance_class(class) {
                let span = self.span(&p(&["dr", "replica_instance_class"]));
                self.diags.push(
                    Diagnostic::new(
                        Code::AwsName,
                        span,
                        format!("`{class}` is not an RDS instance class"),
                    )
                    .label("expected e.g. `db.r6g.large`")
                    .maybe_hint(class_hint(class)),
                );
                ok = false;
            }
            if dr.read_replica == Some(false) {
                let span = self.span(&p(&["dr", "replica_instance_class"]));
                self.diags.push(
                    Diagnostic::new(
                        Code::Choice,
                        span,
                        "`replica_instance_class` is set but `read_replica = false`",
                    )
                    .hint("remove one of the two"),
                );
                ok = false;
            }
        }
        ok.then_some(Rds {
            identifier: r.identifier,
            engine: r.engine,
            storage_gb: r.storage_gb,
            multi_az: r.multi_az,
            encrypted: r.encrypted,
            dr: RdsChoices {
                read_replica: dr.read_replica,
                replica_instance_class: dr.replica_instance_class,
                continuous_backup: dr.continuous_backup,
                backup_frequency: frequency,
                cross_region_copy: dr.cross_region_copy,
                backup_replication: dr.backup_replication,
            },
        })
    }

    fn s3(&mut self, path: &[PathSeg], s: input::S3Asset) -> Option<S3> {
        let p = |k: &[&str]| at(path, k);
        let mut ok = true;
        if let Err(why) = check_bucket(&s.bucket) {
            let span = self.span(&p(&["bucket"]));
            self.diags.push(
                Diagnostic::new(
                    Code::AwsName,
                    span,
                    format!("`{}` is not a valid S3 bucket name", s.bucket),
                )
                .label(why)
                .hint(BUCKET_RULES),
            );
            ok = false;
        }
        if let Some(arn) = &s.kms_key_arn
            && !valid_kms_key_arn(arn)
        {
            let span = self.span(&p(&["kms_key_arn"]));
            self.diags.push(
                Diagnostic::new(Code::AwsName, span, format!("`{arn}` is not a KMS key ARN"))
                    .label("expected arn:<partition>:kms:<region>:<account>:key/<key-id>")
                    .hint("use the key ARN (not an alias) of the bucket's default encryption key"),
            );
            ok = false;
        }
        let dr = s.dr.unwrap_or_default();
        if let Some(dest) = &dr.destination_bucket {
            if let Err(why) = check_bucket(dest) {
                let span = self.span(&p(&["dr", "destination_bucket"]));
                self.diags.push(
                    Diagnostic::new(
                        Code::AwsName,
                        span,
                        format!("`{dest}` is not a valid S3 bucket name"),
                    )
                    .label(why)
                    .hint(BUCKET_RULES),
                );
                ok = false;
            } else if dest.ends_with("-an") {
                let span = self.span(&p(&["dr", "destination_bucket"]));
                self.diags.push(
                    Diagnostic::new(Code::AwsName, span, format!("`{dest}` ends in `-an`, which S3 reserves for account-regional bucket names"))
                        .label("reserved suffix")
                        .hint("choose a name that does not end in `-an`"),
                );
                ok = false;
            } else if dest.contains('.') {
                let span = self.span(&p(&["dr", "destination_bucket"]));
                self.diags.push(
                    Diagnostic::new(
                        Code::AwsName,
                        span,
                        format!("`{dest}` has dots; the replica bucket must not"),
                    )
                    .label("dotted bucket names break HTTPS (virtual-hosted TLS certificates)")
                    .hint("use hyphens instead of dots"),
                );
                ok = false;
            } else if dest == &s.bucket {
                let span = self.span(&p(&["dr", "destination_bucket"]));
                self.diags.push(
                    Diagnostic::new(
                        Code::Choice,
                        span,
                        "the destination bucket is the source bucket",
                    )
                    .hint("bucket names are global: name a new bucket in the secondary Region"),
                );
                ok = false;
            }
        }
        if dr.replication == Some(false) {
            for field in [
                "replication_time_control",
                "replicate_deletes",
                "destination_bucket",
            ] {
                let set = match field {
                    "replication_time_control" => dr.replication_time_control == Some(true),
                    "replicate_deletes" => dr.replicate_deletes == Some(true),
                    _ => dr.destination_bucket.is_some(),
                };
                if set {
                    let span = self.key_span(&p(&["dr", field]));
                    self.diags.push(
                        Diagnostic::new(
                            Code::Choice,
                            span,
                            format!("`{field}` is set but `replication = false`"),
                        )
                        .hint("it only applies to replication: enable replication or remove it"),
                    );
                    ok = false;
                }
            }
        }
        let frequency = self.frequency(
            &p(&["dr", "backup_frequency"]),
            &dr.backup_frequency,
            CONTINUOUS_HINT,
        );
        ok.then_some(S3 {
            bucket: s.bucket,
            kms_key_arn: s.kms_key_arn,
            size_gb: s.size_gb,
            objects: s.objects,
            dr: S3Choices {
                replication: dr.replication,
                replication_time_control: dr.replication_time_control,
                replicate_deletes: dr.replicate_deletes,
                destination_bucket: dr.destination_bucket,
                continuous_backup: dr.continuous_backup,
                cross_region_copy: dr.cross_region_copy,
                backup_frequency: frequency,
            },
        })
    }

    fn aurora(&mut self, path: &[PathSeg], x: input::AuroraAsset) -> Option<Aurora> {
        let p = |k: &[&str]| at(path, k);
        let mut ok = true;
        if !self.db_identifier(
            &p(&["cluster_identifier"]),
            &x.cluster_identifier,
            "DB cluster",
        ) {
            ok = false;
        }
        if let Some(class) = &x.instance_class
            && class != "db.serverless"
            && !valid_instance_class(class)
        {
            let span = self.span(&p(&["instance_class"]));
            self.diags.push(
                Diagnostic::new(
                    Code::AwsName,
                    span,
                    format!("`{class}` is not an Aurora instance class"),
                )
                .label("expected e.g. `db.r6g.large` or `db.serverless`")
                .maybe_hint(class_hint(class)),
            );
            ok = false;
        }
        let dr = x.dr.unwrap_or_default();
        let frequency = self.frequency(
            &p(&["dr", "backup_frequency"]),
            &dr.backup_frequency,
            CONTINUOUS_HINT,
        );
        ok.then_some(Aurora {
            cluster_identifier: x.cluster_identifier,
            engine: x.engine,
            storage_gb: x.storage_gb,
            instance_class: x.instance_class,
            encrypted: x.encrypted,
            multi_az: x.multi_az,
            dr: AuroraChoices {
                global_database: dr.global_database,
                continuous_backup: dr.continuous_backup,
                backup_frequency: frequency,
                cross_region_copy: dr.cross_region_copy,
            },
        })
    }

    fn dynamodb(&mut self, path: &[PathSeg], x: input::DynamodbAsset) -> Option<Dynamodb> {
        let p = |k: &[&str]| at(path, k);
        let mut ok = true;
        if let Err(why) = check_table_name(&x.table) {
            let span = self.span(&p(&["table"]));
            self.diags.push(
                Diagnostic::new(
                    Code::AwsName,
                    span,
                    format!("`{}` is not a valid DynamoDB table name", x.table),
                )
                .label(why)
                .hint("3-255 letters, digits, `_`, `-` or `.`"),
            );
            ok = false;
        }
        let dr = x.dr.unwrap_or_default();
        // DynamoDB's continuous backups are its point-in-time recovery.
        if let (Some(a), Some(b)) = (dr.pitr, dr.continuous_backup)
            && a != b
        {
            let span = self.key_span(&p(&["dr", "continuous_backup"]));
            self.diags.push(
                Diagnostic::new(
                    Code::Choice,
                    span,
                    format!("`continuous_backup = {b}` contradicts `pitr = {a}`"),
                )
                .label("for DynamoDB both name point-in-time recovery")
                .hint("keep one of the two"),
            );
            ok = false;
        }
        let frequency = self.frequency(
            &p(&["dr", "backup_frequency"]),
            &dr.backup_frequency,
            "use `pitr = true` for point-in-time recovery (AWS Backup takes no continuous backups of DynamoDB), or a frequency of at least \"1h\"",
        );
        ok.then_some(Dynamodb {
            table: x.table,
            size_gb: x.size_gb,
            dr: DynamodbChoices {
                global_table: dr.global_table,
                pitr: dr.pitr.or(dr.continuous_backup),
                backup_frequency: frequency,
                cross_region_copy: dr.cross_region_copy,
            },
        })
    }

    fn efs(&mut self, path: &[PathSeg], x: input::EfsAsset) -> Option<Efs> {
        let p = |k: &[&str]| at(path, k);
        let mut ok = true;
        if !valid_file_system_id(&x.file_system_id) {
            let span = self.span(&p(&["file_system_id"]));
            let mut d = Diagnostic::new(
                Code::AwsName,
                span,
                format!("`{}` is not an EFS file system id", x.file_system_id),
            )
            .label("expected `fs-` and 8 or 17 lower-case hex digits, e.g. `fs-0123456789abcdef0`");
            let lower = x.file_system_id.to_ascii_lowercase();
            if valid_file_system_id(&lower) {
                d = d.hint(format!("write it in lower case: `{lower}`"));
            }
            self.diags.push(d);
            ok = false;
        }
        let dr = x.dr.unwrap_or_default();
        let frequency = self.frequency(
            &p(&["dr", "backup_frequency"]),
            &dr.backup_frequency,
            "AWS Backup takes no continuous backups of EFS: use a frequency of at least \"1h\"",
        );
        ok.then_some(Efs {
            file_system_id: x.file_system_id,
            size_gb: x.size_gb,
            dr: EfsChoices {
                replication: dr.replication,
                backup_frequency: frequency,
                cross_region_copy: dr.cross_region_copy,
            },
        })
    }

    /// A `backup_frequency`, at least hourly; `hint` says what to use instead for
    /// the asset's kind (not every kind has continuous backup).
    fn frequency(&mut self, path: &[PathSeg], text: &Option<String>, hint: &str) -> Option<Dur> {
        let d = self.duration(path, text)?;
        if d < Dur::hours(1) {
            let span = self.span(path);
            self.diags.push(
                Diagnostic::new(
                    Code::Choice,
                    span,
                    format!("backup frequency `{d}` is more often than AWS Backup allows"),
                )
                .label("AWS Backup schedules run at most hourly")
                .hint(hint),
            );
            return None;
        }
        Some(d)
    }

    /// Check a DB instance or cluster identifier (`what`); false when it is invalid.
    fn db_identifier(&mut self, path: &[PathSeg], value: &str, what: &str) -> bool {
        let Err(why) = check_db_identifier(value) else {
            return true;
        };
        let span = self.span(path);
        let lower = value.to_ascii_lowercase();
        let hint = if check_db_identifier(&lower).is_ok() {
            format!("write it in lower case: `{lower}`")
        } else {
            "1-63 lower-case letters, digits or hyphens, starting with a letter; no two hyphens in a row; not ending with a hyphen".to_owned()
        };
        self.diags.push(
            Diagnostic::new(
                Code::AwsName,
                span,
                format!("`{value}` is not a valid {what} identifier"),
            )
            .label(why)
            .hint(hint),
        );
        false
    }
}
