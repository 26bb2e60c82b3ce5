//! AWS Backup restore jobs as the AWS CLI prints them: the JSON of
//! `aws backup list-restore-jobs` (`{"RestoreJobs": [...]}`) and of
//! `aws backup describe-restore-job` (one job), one document or several in a
//! row (a loop of `describe-restore-job` calls), or a bare array of jobs.
//!
//! Field names are those of the AWS Backup API (RestoreJobsListMember and the
//! DescribeRestoreJob response): `RestoreJobId`, `Status`, `ResourceType`,
//! `SourceResourceArn` (DescribeRestoreJob only), `RecoveryPointArn`,
//! `CreationDate`, `CompletionDate`, `ValidationStatus`, `CreatedBy`.
//! Timestamps are ISO 8601 (the AWS CLI version 2 default) or seconds since
//! the epoch (the API's own form, `cli_timestamp_format = wire`).

use serde_json::Value;

use crate::model::Instant;

/// One restore job, with what lifeboat reads of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: String,
    /// `PENDING`, `RUNNING`, `COMPLETED`, `ABORTED` or `FAILED`.
    pub status: String,
    pub resource_type: Option<String>,
    /// The ARN of the resource whose recovery point was restored: the job's
    /// `SourceResourceArn`, else what its `RecoveryPointArn` names (a DynamoDB
    /// backup ARN names its table).
    pub source: Option<String>,
    pub created: Option<Instant>,
    pub completed: Option<Instant>,
    /// `VALIDATING`, `SUCCESSFUL`, `FAILED` or `TIMED_OUT`, when validated.
    pub validation: Option<String>,
    /// Whether restore testing started it (`CreatedBy.RestoreTestingPlanArn`).
    pub restore_testing: bool,
}

/// Read every job in `text`. `Err` says why the text is not restore-job JSON.
pub fn read(text: &str) -> Result<Vec<Job>, String> {
    let mut jobs = Vec::new();
    let mut documents = 0;
    for value in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        let value = value.map_err(|e| format!("not JSON ({e})"))?;
        documents += 1;
        match &value {
            Value::Object(m) if m.contains_key("RestoreJobs") => match &m["RestoreJobs"] {
                Value::Array(items) => {
                    for item in items {
                        jobs.push(job(item)?);
                    }
                }
                _ => return Err("`RestoreJobs` is not a list".to_owned()),
            },
            Value::Object(m) if m.contains_key("RestoreJobId") => jobs.push(job(&value)?),
            Value::Array(items) => {
                for item in items {
                    jobs.push(job(item)?);
                }
            }
            _ => {
                return Err(
                    "neither the output of `aws backup list-restore-jobs` (an object with `RestoreJobs`) nor of `aws backup describe-restore-job` (an object with `RestoreJobId`)"
                        .to_owned(),
                );
            }
        }
    }
    if documents == 0 {
        return Err("it is empty".to_owned());
    }
    Ok(jobs)
}

fn job(v: &Value) -> Result<Job, String> {
    let Value::Object(m) = v else {
        return Err("a restore job is not an object".to_owned());
    };
    let text = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
    let id = text("RestoreJobId").ok_or("a restore job has no `RestoreJobId`")?;
    // AWS's job ids are letters, digits and hyphens; anything else would be
    // carried into the inventory, which takes no control characters.
    if id.is_empty()
        || id.len() > 256
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    {
        return Err(format!(
            "`{}` is not an AWS Backup restore job id",
            id.chars().take(80).collect::<String>()
        ));
    }
    let time = |k: &str| -> Result<Option<Instant>, String> {
        match m.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Instant::parse(s)
                .map(Some)
                .map_err(|why| format!("job `{id}`: `{k}`: {why}")),
            Some(Value::Number(n)) => n
                .as_f64()
                .and_then(Instant::from_epoch_secs)
                .map(Some)
                .ok_or_else(|| format!("job `{id}`: `{k}` is not a time")),
            Some(_) => Err(format!("job `{id}`: `{k}` is not a time")),
        }
    };
    let source = text("SourceResourceArn").or_else(|| {
        text("RecoveryPointArn").and_then(|rp| {
            // arn:aws:dynamodb:<region>:<account>:table/<name>/backup/<id>
            let (table, _) = rp.split_once("/backup/")?;
            rp.split(':').nth(2).filter(|s| *s == "dynamodb")?;
            Some(table.to_owned())
        })
    });
    Ok(Job {
        status: text("Status").unwrap_or_default(),
        resource_type: text("ResourceType"),
        source,
        created: time("CreationDate")?,
        completed: time("CompletionDate")?,
        validation: text("ValidationStatus"),
        restore_testing: m
            .get("CreatedBy")
            .and_then(|c| c.get("RestoreTestingPlanArn"))
            .and_then(Value::as_str)
            .is_some(),
        id,
    })
}

/// What a resource ARN names, as the inventory does: (`kind`, name) with `kind`
/// an asset kind, and its Region (none for S3).
pub fn resource(arn: &str) -> Option<(&'static str, String, Option<String>)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, _partition, service, region, _account, rest] = parts[..] else {
        return None;
    };
    if prefix != "arn" {
        return None;
    }
    let region = (!region.is_empty()).then(|| region.to_owned());
    let (kind, name) = match service {
        "rds" => match rest.split_once(':')? {
            ("db", name) => ("rds", name),
            ("cluster", name) => ("aurora", name),
            _ => return None,
        },
        "s3" => ("s3", rest),
        "dynamodb" => ("dynamodb", rest.strip_prefix("table/")?.split('/').next()?),
        "elasticfilesystem" => ("efs", rest.strip_prefix("file-system/")?),
        _ => return None,
    };
    (!name.is_empty()).then(|| (kind, name.to_owned(), region))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_arns_name_what_the_inventory_names() {
        let r = resource;
        assert_eq!(
            r("arn:aws:rds:us-east-1:123456789012:db:orders-prod"),
            Some(("rds", "orders-prod".into(), Some("us-east-1".into())))
        );
        assert_eq!(
            r("arn:aws:rds:us-east-1:123456789012:cluster:ledger"),
            Some(("aurora", "ledger".into(), Some("us-east-1".into())))
        );
        assert_eq!(
            r("arn:aws:s3:::shop-media"),
            Some(("s3", "shop-media".into(), None))
        );
        assert_eq!(
            r("arn:aws:dynamodb:eu-west-1:123456789012:table/carts"),
            Some(("dynamodb", "carts".into(), Some("eu-west-1".into())))
        );
        assert_eq!(
            r("arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123abcd"),
            Some(("efs", "fs-0123abcd".into(), Some("us-east-1".into())))
        );
        for bad in [
            "",
            "arn:aws:rds:us-east-1:123456789012:snapshot:awsbackup:job-1",
            "arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7",
            "arn:aws:ec2:us-east-1:123456789012:volume/vol-1",
            "not-an-arn",
        ] {
            assert_eq!(r(bad), None, "{bad}");
        }
    }

    #[test]
    fn both_cli_outputs_and_both_time_forms_read() {
        let list = r#"{"RestoreJobs": [{"RestoreJobId": "a", "Status": "COMPLETED",
            "CreationDate": "2026-11-30T06:00:00.000000+00:00",
            "CompletionDate": "2026-11-30T07:00:00+00:00",
            "RecoveryPointArn": "arn:aws:dynamodb:us-east-1:123456789012:table/carts/backup/0172"}]}"#;
        let jobs = read(list).unwrap();
        assert_eq!(jobs.len(), 1);
        assert_eq!(
            jobs[0].source.as_deref(),
            Some("arn:aws:dynamodb:us-east-1:123456789012:table/carts")
        );
        let described = r#"{"RestoreJobId": "b", "Status": "COMPLETED", "CreationDate": 1764482400.0,
            "CompletionDate": 1764486000.5, "SourceResourceArn": "arn:aws:s3:::media",
            "CreatedBy": {"RestoreTestingPlanArn": "arn:aws:backup:us-east-1:1:restore-testing-plan:p"}}
            {"RestoreJobId": "c", "Status": "FAILED"}"#;
        let jobs = read(described).unwrap();
        assert_eq!(jobs.len(), 2);
        assert!(jobs[0].restore_testing);
        assert_eq!(
            jobs[0]
                .created
                .unwrap()
                .secs_until(jobs[0].completed.unwrap()),
            Some(3601)
        );
        assert!(read("").is_err());
        assert!(read(r#"{"BackupJobs": []}"#).is_err());
        assert!(read(r#"{"RestoreJobs": [{"Status": "COMPLETED"}]}"#).is_err());
        assert!(read(r#"{"RestoreJobId": "x", "CreationDate": "yesterday"}"#).is_err());
        assert!(read(r#"{"RestoreJobId": "x\u001b[2J${y}"}"#).is_err());
    }
}
