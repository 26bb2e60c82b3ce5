//! Real drills (`drills = true`): which AWS FIS experiments the tree gets, what stops
//! them, and that the names they use are the ones the other modules create.

mod common;

use lifeboat::deploy::KindDeployment;
use lifeboat::deploy::drills::{DrillAction, Drills};
use lifeboat::emit::{self, Options};
use lifeboat::model::Dur;
use lifeboat::source::{SourceFile, Sources};

const FIXTURE: &str = "tests/fixtures/valid/drills.hcl";

fn analyze_text(text: &str) -> lifeboat::Analysis {
    lifeboat::analyze(Sources::new(vec![SourceFile::new("t.hcl", text)]))
}

fn fixture() -> String {
    std::fs::read_to_string(common::root().join(FIXTURE)).unwrap()
}

fn drills(a: &lifeboat::Analysis) -> Option<&Drills> {
    assert!(!a.has_errors(), "{}", common::render(a));
    a.deployment.as_ref().unwrap().drills.as_ref()
}

fn file(a: &lifeboat::Analysis, path: &str) -> String {
    emit::generate(a, &Options::default())
        .unwrap()
        .into_iter()
        .find(|f| f.path == path)
        .unwrap()
        .contents
}

#[test]
fn each_mechanism_fis_can_exercise_gets_one_experiment_and_turned_off_ones_none() {
    let a = analyze_text(&fixture());
    let d = drills(&a).expect("drills");
    let got: Vec<(&str, DrillAction)> = d
        .experiments
        .iter()
        .map(|e| (e.key.as_str(), e.action))
        .collect();
    assert_eq!(
        got,
        [
            ("region-carts", DrillAction::DynamodbPauseReplication),
            ("region-media", DrillAction::S3PauseReplication),
            ("az-orders-db", DrillAction::RdsRebootFailover),
        ]
    );
    // `reports-db` has `multi_az = false`: no failover to drill, so no experiment.
    assert!(d.experiments.iter().all(|e| e.asset != "reports-db"));
    assert_eq!(d.role, "shop-fis-drills");
    assert_eq!(d.region, "us-east-1");
}

#[test]
fn stop_conditions_are_the_alarms_of_what_depends_on_the_asset_in_its_region() {
    let a = analyze_text(&fixture());
    let d = drills(&a).unwrap();
    let stops = |key: &str| -> Vec<String> {
        d.experiments
            .iter()
            .find(|e| e.key == key)
            .unwrap()
            .stop_alarms
            .clone()
    };
    // storefront depends on orders-db and media, not on carts.
    assert_eq!(
        stops("az-orders-db"),
        ["shop-storefront-primary-endpoint-unhealthy"]
    );
    assert_eq!(
        stops("region-media"),
        [
            "shop-media-s3-replication-failed-operations",
            "shop-storefront-primary-endpoint-unhealthy"
        ]
    );
    assert!(stops("region-carts").is_empty());
    assert_eq!(
        d.depends_on,
        ["module.endpoint_storefront", "module.s3_media"]
    );

    // Outside us-east-1 the health alarms live in another Region than the experiment.
    let text = fixture()
        .replace("\"us-east-1\"", "\"eu-west-1\"")
        .replace("us-east-1.elb", "eu-west-1.elb");
    let a = analyze_text(&text);
    let d = drills(&a).unwrap();
    assert!(
        d.experiments
            .iter()
            .flat_map(|e| &e.stop_alarms)
            .all(|s| !s.contains("endpoint-unhealthy")),
        "{d:?}"
    );
    assert_eq!(d.depends_on, ["module.s3_media"]);
}

/// Every stop alarm is an alarm the tree creates: the deployment's names, which the
/// modules build from the same name prefix.
#[test]
fn every_stop_alarm_is_an_alarm_the_tree_creates() {
    let r53 =
        std::fs::read_to_string(common::root().join("modules/route53-failover/alarms.tf")).unwrap();
    let s3 =
        std::fs::read_to_string(common::root().join("modules/s3-replication/alarms.tf")).unwrap();
    assert!(r53.contains("alarm_name        = \"${var.name}-${each.key}-endpoint-unhealthy\""));
    assert!(s3.contains("alarm_name        = \"${var.name}-s3-replication-failed-operations\""));
    let a = analyze_text(&fixture());
    let dep = a.deployment.as_ref().unwrap();
    let mut created = Vec::new();
    for d in &dep.assets {
        match &d.kind {
            KindDeployment::Endpoint(e) => {
                assert_eq!(
                    e.primary_alarm,
                    format!("{}-primary-endpoint-unhealthy", d.name)
                );
                created.push(e.primary_alarm.clone());
            }
            KindDeployment::S3(x) => {
                if let Some(rep) = &x.replication {
                    assert_eq!(
                        rep.failed_alarm,
                        format!("{}-s3-replication-failed-operations", d.name)
                    );
                    created.push(rep.failed_alarm.clone());
                }
            }
            _ => {}
        }
    }
    for e in &dep.drills.as_ref().unwrap().experiments {
        for s in &e.stop_alarms {
            assert!(
                created.contains(s),
                "{} stops on {s}, which the tree does not create",
                e.key
            );
        }
    }
}

#[test]
fn a_pause_outlasts_the_alarm_it_should_trip() {
    let a = analyze_text(&fixture());
    let d = drills(&a).unwrap();
    for e in &d.experiments {
        match e.action {
            DrillAction::S3PauseReplication | DrillAction::DynamodbPauseReplication => {
                let threshold = e.predicted.expect("the latency alarm's threshold");
                assert!(e.watch_alarm.is_some());
                // Region RPO 30m: the alarm threshold, plus two 5-minute alarm periods.
                assert_eq!(threshold, Dur::mins(30));
                assert_eq!(e.duration, Some(Dur::mins(40)), "{}", e.key);
            }
            DrillAction::RdsRebootFailover | DrillAction::AuroraFailover => {
                assert_eq!(e.duration, None);
                assert!(e.predicted.is_some());
            }
        }
    }
    let main = file(&a, "main.tf");
    assert!(main.contains("duration    = \"PT40M\""), "{main}");
}

#[test]
fn the_runbook_runs_every_experiment_by_its_name_tag() {
    let a = analyze_text(&fixture());
    let runbook = file(&a, "RUNBOOK.md");
    for e in &drills(&a).unwrap().experiments {
        assert!(
            runbook.contains(&format!("tags.Name=='{}'", e.name_tag)),
            "{}",
            e.key
        );
    }
    assert!(runbook.contains("aws fis start-experiment --region \"$PRIMARY\""));
    assert!(runbook.contains("aws fis stop-experiment"));
}

#[test]
fn drills_are_off_by_default_and_nothing_to_drill_means_no_module() {
    let off = fixture().replace("  drills           = true\n", "");
    let a = analyze_text(&off);
    assert!(drills(&a).is_none());
    assert!(!file(&a, "main.tf").contains("module \"drills\""));
    assert!(!file(&a, "RUNBOOK.md").contains("Real drills with AWS FIS"));

    let nothing = r#"
project "p" {
  primary_region   = "us-east-1"
  secondary_region = "us-west-2"
  drills           = true
}
asset "files" {
  kind    = "s3"
  tier    = "important"
  bucket  = "p-files"
  size_gb = 10
  dr {
    replication = false
  }
}
"#;
    let a = analyze_text(nothing);
    assert!(drills(&a).is_none());
    assert!(!file(&a, "main.tf").contains("module \"drills\""));

    let on = analyze_text(&fixture());
    assert!(
        file(&on, "main.tf").contains("module \"drills\" {\n  source = \"./modules/fis-drills\"")
    );
}
