//! The GitHub Action's script (action/lifeboat-pr.py), run as the action runs it:
//! in a git repository with a base and a head commit, against a local stand-in for
//! the GitHub REST API that records every request.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

const LIMIT: usize = 65_536;

/// A request the stand-in received: method, path with query, JSON body.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    body: Value,
}

/// Issue comments of one pull request, served like GitHub's REST API does.
struct Api {
    url: String,
    requests: Arc<Mutex<Vec<Request>>>,
    comments: Arc<Mutex<Vec<Value>>>,
    /// Status for writes (403: the read-only token of a fork's pull request).
    write_status: Arc<Mutex<u16>>,
}

impl Api {
    fn start(comments: Vec<Value>) -> Api {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let comments = Arc::new(Mutex::new(comments));
        let write_status = Arc::new(Mutex::new(200));
        let (r, c, w) = (requests.clone(), comments.clone(), write_status.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    continue;
                }
                let mut parts = line.split_whitespace();
                let method = parts.next().unwrap_or_default().to_owned();
                let path = parts.next().unwrap_or_default().to_owned();
                let mut length = 0;
                loop {
                    let mut h = String::new();
                    reader.read_line(&mut h).unwrap();
                    if h.trim().is_empty() {
                        break;
                    }
                    if let Some((k, v)) = h.split_once(':')
                        && k.eq_ignore_ascii_case("content-length")
                    {
                        length = v.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                r.lock().unwrap().push(Request {
                    method: method.clone(),
                    path: path.clone(),
                    body: body.clone(),
                });
                let (status, reply) = respond(&method, &path, &body, &c, *w.lock().unwrap());
                let reply = reply.to_string();
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                    reply.len()
                );
            }
        });
        Api {
            url,
            requests,
            comments,
            write_status,
        }
    }

    fn take(&self) -> Vec<Request> {
        std::mem::take(&mut self.requests.lock().unwrap())
    }
}

fn respond(
    method: &str,
    path: &str,
    body: &Value,
    comments: &Mutex<Vec<Value>>,
    write_status: u16,
) -> (u16, Value) {
    let mut comments = comments.lock().unwrap();
    let base = "/repos/acme/shop/issues";
    match method {
        "GET" if path.starts_with(&format!("{base}/7/comments")) => {
            let page: usize = path
                .split("page=")
                .nth(2)
                .or_else(|| path.rsplit("page=").next())
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            let list: Vec<Value> = comments
                .iter()
                .skip((page - 1) * 100)
                .take(100)
                .cloned()
                .collect();
            (200, Value::Array(list))
        }
        _ if write_status != 200 => (
            write_status,
            json!({"message": "Resource not accessible by integration"}),
        ),
        "POST" if path == format!("{base}/7/comments") => {
            let id = 1000 + comments.len() as u64;
            let c = json!({"id": id, "body": body["body"], "html_url": format!("https://github.com/acme/shop/pull/7#issuecomment-{id}")});
            comments.push(c.clone());
            (201, c)
        }
        "PATCH" => {
            let id: u64 = path.rsplit('/').next().unwrap().parse().unwrap();
            match comments.iter_mut().find(|c| c["id"] == id) {
                Some(c) => {
                    c["body"] = body["body"].clone();
                    (200, c.clone())
                }
                None => (404, json!({"message": "Not Found"})),
            }
        }
        _ => (404, json!({"message": "Not Found"})),
    }
}

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(repo)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn lifeboat(repo: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_lifeboat"))
        .args(args)
        .current_dir(repo)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A repository whose base commit has the webshop inventory and its generated
/// Terraform, and whose head grows `orders-db` to 900 GB and turns its Multi-AZ
/// off, without recompiling.
struct Repo {
    dir: tempfile::TempDir,
    base: String,
    head: String,
}

fn repo() -> Repo {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    copy_dir(
        &common::root().join("examples/webshop"),
        &p.join("dr/inventory"),
    );
    lifeboat(p, &["compile", "dr/inventory", "-o", "dr/terraform"]);
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "base"]);
    let base = git(p, &["rev-parse", "HEAD"]);
    let data = p.join("dr/inventory/data.hcl");
    let text = std::fs::read_to_string(&data).unwrap();
    let (was, now) = (
        "storage_gb  = 400\n  multi_az    = true",
        "storage_gb  = 900\n  multi_az    = false",
    );
    assert!(text.contains(was));
    std::fs::write(&data, text.replacen(was, now, 1)).unwrap();
    git(p, &["commit", "-q", "-am", "head"]);
    let head = git(p, &["rev-parse", "HEAD"]);
    Repo { dir, base, head }
}

/// What one run of the script left behind.
struct Run {
    status: Option<i32>,
    stdout: String,
    outputs: std::collections::HashMap<String, String>,
    summary: String,
    out: PathBuf,
}

fn run_script(repo: &Repo, api: Option<&Api>, extra: &[(&str, &str)]) -> Run {
    let p = repo.dir.path();
    let work = p.join(".work");
    std::fs::create_dir_all(&work).unwrap();
    let event = work.join("event.json");
    std::fs::write(
        &event,
        json!({"pull_request": {"number": 7, "base": {"sha": repo.base}, "head": {"sha": repo.head}}}).to_string(),
    )
    .unwrap();
    let (outputs, summary, out) = (
        work.join("output"),
        work.join("summary.md"),
        work.join("out"),
    );
    let _ = std::fs::remove_file(&outputs);
    let _ = std::fs::remove_file(&summary);
    let mut cmd = Command::new("python3");
    cmd.arg(common::root().join("action/lifeboat-pr.py"))
        .current_dir(p)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", p)
        .env("LIFEBOAT", env!("CARGO_BIN_EXE_lifeboat"))
        .env("INPUT_INVENTORY", "dr/inventory")
        .env("INPUT_TERRAFORM_DIR", "dr/terraform")
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_REPOSITORY", "acme/shop")
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_RUN_ID", "4242")
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("LIFEBOAT_PR_OUT", &out);
    if let Some(api) = api {
        cmd.env("GITHUB_API_URL", &api.url)
            .env("GITHUB_TOKEN", "t0ken");
    }
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("python3 runs");
    let outputs = std::fs::read_to_string(&outputs)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect();
    Run {
        status: o.status.code(),
        stdout: format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        outputs,
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
        out,
    }
}

const MARKER: &str = "<!-- lifeboat-pr-report inventory=\"dr/inventory\" -->";

#[test]
fn comments_once_then_updates_the_same_comment() {
    let repo = repo();
    let unrelated = json!({"id": 1, "body": "LGTM"});
    let api = Api::start(vec![unrelated.clone()]);
    let run = run_script(&repo, Some(&api), &[]);
    assert_eq!(run.status, Some(0), "{}", run.stdout);
    // The findings: the breach of the grown database, and the stale Terraform.
    assert_eq!(run.outputs["failed"], "true");
    assert_eq!(run.outputs["check"], "1");
    assert_eq!(run.outputs["compile"], "1");
    assert_eq!(run.outputs["report"], "1");
    let requests = api.take();
    let methods: Vec<&str> = requests.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["GET", "POST"], "{requests:?}");
    assert!(
        requests[0]
            .path
            .starts_with("/repos/acme/shop/issues/7/comments?per_page=100&page=1")
    );
    let body = requests[1].body["body"].as_str().unwrap();
    assert!(
        body.starts_with(&format!(
            "{MARKER}\n## lifeboat: disaster-recovery report for `webshop`"
        )),
        "{body}"
    );
    for want in [
        "### DR posture changes",
        "`orders-db` az: verdict met → **breached**",
        "**error E302**",
        "| `lifeboat check dr/inventory` | ❌ 2 errors and 0 warnings found |",
        "| `lifeboat compile dr/inventory -o dr/terraform --check` | ❌ not compared: the inventory has errors (see Findings) |",
    ] {
        assert!(body.contains(want), "{want:?} not in\n{body}");
    }
    assert!(body.chars().count() <= LIMIT);
    assert_eq!(
        run.outputs["comment-url"],
        "https://github.com/acme/shop/pull/7#issuecomment-1001"
    );
    // The job summary has the report; the SARIF file has the findings.
    assert!(
        run.summary
            .contains("`orders-db` az: verdict met → **breached**")
    );
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(&run.outputs["sarif"]).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let rules: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"E302"), "{rules:?}");
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "dr/inventory/data.hcl",
        "relative to the repository root, so code scanning can place it"
    );

    // A second push: the same comment is edited, none is added.
    let again = run_script(&repo, Some(&api), &[]);
    assert_eq!(again.status, Some(0), "{}", again.stdout);
    let requests = api.take();
    let methods: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        methods[1],
        ("PATCH", "/repos/acme/shop/issues/comments/1001"),
        "{methods:?}"
    );
    assert_eq!(methods.len(), 2);
    let comments = api.comments.lock().unwrap().clone();
    assert_eq!(comments.len(), 2, "the unrelated comment and ours");
    assert_eq!(comments[0], unrelated);
}

#[test]
fn finds_its_comment_on_a_later_page() {
    let repo = repo();
    let mut comments: Vec<Value> = (0..150)
        .map(|i| json!({"id": i, "body": format!("comment {i}")}))
        .collect();
    comments.push(json!({"id": 777, "body": format!("{MARKER}\nold report")}));
    let api = Api::start(comments);
    let run = run_script(&repo, Some(&api), &[]);
    assert_eq!(run.status, Some(0), "{}", run.stdout);
    let requests: Vec<(String, String)> =
        api.take().into_iter().map(|r| (r.method, r.path)).collect();
    assert_eq!(requests.len(), 3, "{requests:?}");
    assert!(requests[1].1.ends_with("page=2"));
    assert_eq!(
        requests[2],
        (
            "PATCH".to_owned(),
            "/repos/acme/shop/issues/comments/777".to_owned()
        )
    );
}

/// lifeboat keeps its own report within a comment (it lists the first findings
/// and says how many more there are), so even an inventory with 900 findings
/// gives one comment under 65,536 characters. The action's own cutting, for a
/// report that would not fit, is tested by `script_unit_tests`.
#[test]
fn a_report_of_many_findings_fits_in_one_comment() {
    let repo = repo();
    let p = repo.dir.path();
    // 900 assets with an unknown tier: each is a finding, and the list is long.
    let mut many = String::new();
    for i in 0..900 {
        many.push_str(&format!(
            "asset \"bucket-{i:03}\" {{\n  kind   = \"s3\"\n  tier   = \"platinum\"\n  bucket = \"acme-shop-bucket-{i:03}\"\n}}\n\n"
        ));
    }
    std::fs::write(p.join("dr/inventory/many.hcl"), many).unwrap();
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "many"]);
    let api = Api::start(vec![]);
    let run = run_script(&repo, Some(&api), &[("INPUT_TERRAFORM_DIR", "")]);
    assert_eq!(run.status, Some(0), "{}", run.stdout);
    let requests = api.take();
    let body = requests[1].body["body"].as_str().unwrap();
    assert!(body.chars().count() <= LIMIT, "{}", body.chars().count());
    assert!(body.starts_with(MARKER));
    assert!(
        body.contains("more: run `lifeboat check` for every finding"),
        "{body}"
    );
    assert!(
        run.summary.contains("bucket-000"),
        "the summary has the findings"
    );
    assert!(!run.outputs.contains_key("compile") || run.outputs["compile"].is_empty());
}

/// actions/checkout fetches only the commit it checks out: the script fetches the
/// base commit from `origin` itself.
#[test]
fn fetches_the_base_commit_into_a_shallow_checkout() {
    let origin = repo();
    let o = origin.dir.path();
    git(
        o,
        &["config", "uploadpack.allowReachableSHA1InWant", "true"],
    );
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", o.display());
    git(clone.path(), &["clone", "-q", "--depth=1", &url, "."]);
    let at = clone.path().to_owned();
    let present = |sha: &str| {
        Command::new("git")
            .args(["cat-file", "-e", &format!("{sha}^{{commit}}")])
            .current_dir(&at)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap()
            .success()
    };
    assert!(
        !present(&origin.base),
        "the shallow clone lacks the base commit"
    );
    let shallow = Repo {
        dir: clone,
        base: origin.base.clone(),
        head: origin.head.clone(),
    };
    let api = Api::start(vec![]);
    let run = run_script(&shallow, Some(&api), &[]);
    assert_eq!(run.status, Some(0), "{}", run.stdout);
    assert!(present(&origin.base), "fetched");
    let body = api.take()[1].body["body"].as_str().unwrap().to_owned();
    assert!(
        body.contains("`orders-db` az: verdict met → **breached**"),
        "{body}"
    );
}

/// The first pull request that adds an inventory has nothing to compare with.
#[test]
fn no_base_inventory_means_no_comparison() {
    let repo = repo();
    let p = repo.dir.path();
    git(p, &["checkout", "-q", "--orphan", "empty"]);
    git(p, &["rm", "-rq", "--cached", "."]);
    std::fs::write(p.join("README.md"), "shop\n").unwrap();
    git(p, &["add", "README.md"]);
    git(p, &["commit", "-q", "-m", "empty"]);
    let empty = git(p, &["rev-parse", "HEAD"]);
    git(p, &["checkout", "-q", "-f", &repo.head]);
    let api = Api::start(vec![]);
    let run = run_script(&repo, Some(&api), &[("INPUT_BASE_REF", &empty)]);
    assert_eq!(run.status, Some(0), "{}", run.stdout);
    let body = api.take()[1].body["body"].as_str().unwrap().to_owned();
    assert!(!body.contains("### DR posture changes"), "{body}");
    assert!(
        body.contains(&format!(
            "_The base commit `{}` has no inventory at `dr/inventory`",
            &empty[..12]
        )),
        "{body}"
    );
}

/// A pull request from a fork gets a read-only token: the comment fails, the job
/// goes on (the summary and SARIF still have the report).
#[test]
fn a_read_only_token_is_a_warning() {
    let repo = repo();
    let api = Api::start(vec![]);
    *api.write_status.lock().unwrap() = 403;
    let run = run_script(&repo, Some(&api), &[]);
    assert_eq!(run.status, Some(0), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("::warning::lifeboat: could not post the pull-request comment"),
        "{}",
        run.stdout
    );
    assert!(
        run.summary
            .contains("## lifeboat: disaster-recovery report")
    );
    assert_eq!(run.outputs["failed"], "true");
}

/// Locally (no token, no API): the comment is a file, nothing is sent. A change
/// that meets every objective but was not compiled fails on the stale Terraform;
/// compiled, it passes.
#[test]
fn runs_locally_stale_terraform_then_a_clean_change() {
    let repo = repo();
    let p = repo.dir.path();
    let data = p.join("dr/inventory/data.hcl");
    let text = std::fs::read_to_string(&data).unwrap();
    std::fs::write(
        &data,
        text.replacen(
            "storage_gb  = 900\n  multi_az    = false",
            "storage_gb = 450\n  multi_az    = true",
            1,
        ),
    )
    .unwrap();
    git(p, &["commit", "-q", "-am", "smaller"]);
    let stale = run_script(&repo, None, &[]);
    assert_eq!(stale.status, Some(0), "{}", stale.stdout);
    let statuses = (
        stale.outputs["check"].as_str(),
        stale.outputs["compile"].as_str(),
    );
    assert_eq!(statuses, ("0", "1"));
    assert_eq!(stale.outputs["failed"], "true");
    let comment = std::fs::read_to_string(stale.out.join("comment.md")).unwrap();
    for want in [
        "| `lifeboat compile dr/inventory -o dr/terraform --check` | ❌ `dr/terraform` is out of date",
        "<summary>Generated Terraform out of date: run <code>lifeboat compile dr/inventory -o dr/terraform</code> and commit</summary>",
        "\nstale: dr/terraform/",
    ] {
        assert!(comment.contains(want), "{want:?} not in\n{comment}");
    }

    lifeboat(p, &["compile", "dr/inventory", "-o", "dr/terraform"]);
    git(p, &["commit", "-q", "-am", "compiled"]);
    let run = run_script(&repo, None, &[]);
    assert_eq!(run.status, Some(0), "{}", run.stdout);
    assert_eq!(
        run.outputs["failed"],
        "false",
        "{}",
        std::fs::read_to_string(run.out.join("comment.md")).unwrap()
    );
    assert!(
        run.stdout.contains("no pull request or no token"),
        "{}",
        run.stdout
    );
    let comment = std::fs::read_to_string(run.out.join("comment.md")).unwrap();
    assert!(comment.contains("✅ **Every recovery objective is met.**"));
    // A larger database restores in the same time (its storage loads lazily
    // after the instance is available): no estimate changes.
    assert!(
        comment.contains("No change in mechanisms, estimates or verdicts."),
        "{comment}"
    );
    assert!(comment.contains("| ✅ up to date |"));
}

/// The script's pure parts (truncation, finding the comment).
#[test]
fn script_unit_tests() {
    let out = Command::new("python3")
        .args([
            "-m",
            "unittest",
            "discover",
            "-s",
            "action",
            "-p",
            "test_*.py",
        ])
        .current_dir(common::root())
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The action runs the script it ships, with the inputs it declares.
#[test]
fn action_passes_its_inputs_to_the_script() {
    let action = std::fs::read_to_string(common::root().join("action.yml")).unwrap();
    let script = std::fs::read_to_string(common::root().join("action/lifeboat-pr.py")).unwrap();
    assert!(action.contains("run: python3 \"$GITHUB_ACTION_PATH/action/lifeboat-pr.py\""));
    for (input, var) in [
        ("inventory", "INPUT_INVENTORY"),
        ("terraform-dir", "INPUT_TERRAFORM_DIR"),
        ("module-source", "INPUT_MODULE_SOURCE"),
        ("base-ref", "INPUT_BASE_REF"),
        ("comment", "INPUT_COMMENT"),
        ("token", "GITHUB_TOKEN"),
    ] {
        assert!(
            action.contains(&format!("{var}: ${{{{ inputs.{input} }}}}")),
            "{input}"
        );
        assert!(script.contains(var), "{var}");
    }
    for output in ["failed", "report-file", "sarif", "comment-url"] {
        assert!(
            action.contains(&format!("steps.run.outputs.{output} }}}}")),
            "{output}"
        );
        assert!(
            script.contains(&format!("\"{output}\"")) || script.contains(&format!("{output}=")),
            "{output}"
        );
    }
}
