#!/usr/bin/env python3
"""lifeboat in a pull request: the logic of the GitHub Action (../action.yml).

Runs `lifeboat check`, `lifeboat compile --check` and `lifeboat report --format
markdown --base <the base branch's inventory>`, writes the job summary and the
SARIF file, and posts or updates one pull-request comment (found again by a hidden
marker), cut to GitHub's 65,536-character limit with a link to the full report.

Everything comes from the environment, as the action passes it, so it runs the same
on a laptop (see docs/pull-requests.md):

  LIFEBOAT             the lifeboat binary (default: `lifeboat` on PATH)
  INPUT_INVENTORY      inventory files or folders, relative to the repository root
                       (run from there), separated by spaces or newlines (default: `.`)
  INPUT_TERRAFORM_DIR  the generated Terraform folder for `compile --check`
                       (default: empty, no compile check)
  INPUT_MODULE_SOURCE  the `--module-source` the tree was compiled with, if any
  INPUT_BASE_REF       the commit to compare with (default: the pull request's base
                       commit from GITHUB_EVENT_PATH, else origin/$GITHUB_BASE_REF)
  INPUT_COMMENT        `true` (default) to post or update the comment
  LIFEBOAT_PR_OUT      where the report files go (default: $RUNNER_TEMP/lifeboat-pr,
                       else ./lifeboat-pr)
  GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_EVENT_PATH,
  GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_SERVER_URL, GITHUB_RUN_ID: as set by
  GitHub Actions. Without a token or a pull request, the comment is only written to
  LIFEBOAT_PR_OUT/comment.md.

Outputs (GITHUB_OUTPUT): check, compile, report (exit statuses; compile is empty
when it did not run), failed (`true` when any of them found something), report-file
(the Markdown report), sarif (the SARIF file), comment-url. The script itself exits 0 unless it could not run
(exit 2), so the action can upload SARIF before it fails the job.
"""
import io
import json
import os
import shlex
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request

COMMENT_LIMIT = 65536
SUMMARY_LIMIT = 1024 * 1024  # GitHub's limit for one step's job summary
MARKER = "<!-- lifeboat-pr-report"


def marker(inventory):
    """The hidden first line that identifies this action's comment (one per inventory)."""
    return f'{MARKER} inventory="{" ".join(inventory)}" -->'


def truncate(body, limit, note):
    """`body` cut at a line boundary so that it and `note` fit in `limit` characters.

    An open code fence (```) is closed, so the rest of the comment still renders."""
    if len(body) <= limit:
        return body
    room = limit - len(note) - len("\n```\n") - 2
    cut = body[:room]
    if "\n" in cut:
        cut = cut[: cut.rindex("\n") + 1]
    fences = sum(1 for line in cut.splitlines() if line.lstrip().startswith("```"))
    if fences % 2:
        cut += "```\n"
    return cut + "\n" + note


def find_comment(comments, mark):
    """The id of the first comment that starts with the marker."""
    for c in comments:
        if (c.get("body") or "").startswith(mark):
            return c["id"]
    return None


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def git(args, cwd, binary=False):
    p = subprocess.run(["git", *args], cwd=cwd, capture_output=True)
    if binary:
        return p.returncode, p.stdout
    return p.returncode, p.stdout.decode(errors="replace").strip()


def base_commit(cwd):
    ref = os.environ.get("INPUT_BASE_REF", "").strip()
    if not ref:
        event = os.environ.get("GITHUB_EVENT_PATH")
        if event and os.path.isfile(event):
            with open(event, encoding="utf-8") as f:
                ref = ((json.load(f).get("pull_request") or {}).get("base") or {}).get("sha", "")
    if not ref and os.environ.get("GITHUB_BASE_REF"):
        ref = "origin/" + os.environ["GITHUB_BASE_REF"]
    if not ref:
        return None
    rc, sha = git(["rev-parse", "--verify", "--quiet", ref + "^{commit}"], cwd)
    if rc != 0:
        # A shallow checkout (actions/checkout's default) has only the merge commit.
        git(["fetch", "--no-tags", "--depth=1", "origin", ref.removeprefix("origin/")], cwd)
        rc, sha = git(["rev-parse", "--verify", "--quiet", ref + "^{commit}"], cwd)
        if rc != 0:
            rc, sha = git(["rev-parse", "--verify", "--quiet", "FETCH_HEAD^{commit}"], cwd)
    return sha if rc == 0 else None


def base_inventory(sha, inventory, cwd, into):
    """The base commit's inventory paths, extracted into `into`; [] if it has none."""
    def exists(p):
        p = os.path.normpath(p)
        return git(["cat-file", "-e", f"{sha}:./{'' if p == '.' else p}"], cwd)[0] == 0

    present = [p for p in inventory if exists(p)]
    if not present:
        return []
    rc, tar = git(["archive", "--format=tar", sha, "--", *present], cwd, binary=True)
    if rc != 0:
        return []
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        if hasattr(tarfile, "data_filter"):
            t.extractall(into, filter="data")
        else:
            t.extractall(into)
    return [os.path.join(into, os.path.normpath(p)) for p in present]


def api(method, url, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Accept", "application/vnd.github+json")
    req.add_header("X-GitHub-Api-Version", "2022-11-28")
    req.add_header("User-Agent", "lifeboat-action")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def post_comment(body, mark, number, token):
    """Create the comment, or update the one that has the marker. Returns its URL."""
    root = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    repo = os.environ["GITHUB_REPOSITORY"]
    existing, page = None, 1
    while existing is None:
        comments = api("GET", f"{root}/repos/{repo}/issues/{number}/comments?per_page=100&page={page}", token)
        existing = find_comment(comments, mark)
        if len(comments) < 100:
            break
        page += 1
    if existing is not None:
        c = api("PATCH", f"{root}/repos/{repo}/issues/comments/{existing}", token, {"body": body})
    else:
        c = api("POST", f"{root}/repos/{repo}/issues/{number}/comments", token, {"body": body})
    return (c or {}).get("html_url", "")


def status(code, ok, bad):
    return "✅ " + ok if code == 0 else "❌ " + bad


def last_line(text):
    lines = [line for line in text.strip().splitlines() if line.startswith("lifeboat:")]
    return lines[-1].removeprefix("lifeboat: ") if lines else text.strip()[-200:]


def set_output(**values):
    path = os.environ.get("GITHUB_OUTPUT")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as f:
        for k, v in values.items():
            f.write(f"{k}={v}\n")


def main():
    cwd = os.getcwd()
    lifeboat = os.environ.get("LIFEBOAT") or "lifeboat"
    inventory = shlex.split(os.environ.get("INPUT_INVENTORY", "").replace("\n", " ")) or ["."]
    tf_dir = os.environ.get("INPUT_TERRAFORM_DIR", "").strip()
    module_source = os.environ.get("INPUT_MODULE_SOURCE", "").strip()
    out = os.environ.get("LIFEBOAT_PR_OUT") or os.path.join(os.environ.get("RUNNER_TEMP") or cwd, "lifeboat-pr")
    os.makedirs(out, exist_ok=True)

    try:
        check_rc, _, check_err = run([lifeboat, "check", *inventory, "--format", "short"], cwd)
    except FileNotFoundError:
        print(f"lifeboat-pr: cannot run `{lifeboat}`: install lifeboat or set LIFEBOAT", file=sys.stderr)
        return 2
    with open(os.path.join(out, "check.txt"), "w", encoding="utf-8") as f:
        f.write(check_err)

    compile_rc, compile_err = None, ""
    if tf_dir:
        cmd = [lifeboat, "compile", *inventory, "-o", tf_dir, "--check"]
        if module_source:
            cmd += ["--module-source", module_source]
        compile_rc, _, compile_err = run(cmd, cwd)
        with open(os.path.join(out, "compile.txt"), "w", encoding="utf-8") as f:
            f.write(compile_err)

    base_note = ""
    with tempfile.TemporaryDirectory() as tmp:
        sha = base_commit(cwd)
        base = base_inventory(sha, inventory, cwd, tmp) if sha else []
        if not sha:
            base_note = "_No base commit to compare with._\n"
        elif not base:
            base_note = f"_The base commit `{sha[:12]}` has no inventory at {', '.join(f'`{p}`' for p in inventory)}: nothing to compare with._\n"
        cmd = [lifeboat, "report", *inventory, "--format", "markdown"]
        if base:
            cmd += ["--base", *base]
        report_rc, report, report_err = run(cmd, cwd)
    if report_rc not in (0, 1):
        print(f"lifeboat-pr: `lifeboat report` failed:\n{report_err}", file=sys.stderr)
        return 2
    report_md = os.path.join(out, "report.md")
    with open(report_md, "w", encoding="utf-8") as f:
        f.write(report)
    sarif = os.path.join(out, "lifeboat.sarif")
    sarif_rc, sarif_json, _ = run([lifeboat, "report", *inventory, "--format", "sarif"], cwd)
    if sarif_rc in (0, 1):
        with open(sarif, "w", encoding="utf-8") as f:
            f.write(sarif_json)
    else:
        sarif = ""

    where = " ".join(inventory)
    rows = [
        f"| `lifeboat check {where}` | {status(check_rc, 'ok', last_line(check_err))} |",
    ]
    if compile_rc is not None:
        why = last_line(compile_err)
        if "nothing written" in why and check_rc != 0:
            why = "not compared: the inventory has errors (see Findings)"
        rows.append(
            f"| `lifeboat compile {where} -o {tf_dir} --check` | "
            + status(compile_rc, "up to date", why.replace("|", "\\|"))
            + " |"
        )
    stale = [line for line in compile_err.splitlines() if line.split(":")[0] in ("stale", "missing", "extra")]
    checks = "### Checks\n\n| command | result |\n|---|---|\n" + "\n".join(rows) + "\n"
    if stale:
        checks += (
            "\n<details><summary>Generated Terraform out of date: run "
            f"<code>lifeboat compile {where} -o {tf_dir}</code> and commit</summary>\n\n```text\n"
            + "\n".join(stale)
            + "\n```\n\n</details>\n"
        )
    mark = marker(inventory)
    # The checks go under the report's title and verdict, before its sections.
    head, sep, rest = report.partition("\n### ")
    full = f"{head.rstrip()}\n\n{checks}\n{base_note}{sep.lstrip()}{rest}".rstrip() + "\n"
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    run_url = ""
    if os.environ.get("GITHUB_REPOSITORY") and os.environ.get("GITHUB_RUN_ID"):
        run_url = f"{server}/{os.environ['GITHUB_REPOSITORY']}/actions/runs/{os.environ['GITHUB_RUN_ID']}"
    link = f"[the job summary]({run_url})" if run_url else "the job summary"
    note = (
        f"> ✂️ Cut to fit GitHub's {COMMENT_LIMIT:,}-character comment limit. The full report is in "
        f"{link} and in the `lifeboat-report` artifact."
    )
    body = mark + "\n" + truncate(full, COMMENT_LIMIT - len(mark) - 1, note)
    with open(os.path.join(out, "comment.md"), "w", encoding="utf-8") as f:
        f.write(body)

    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as f:
            f.write(truncate(full, SUMMARY_LIMIT // 4, "> ✂️ Cut to fit the job summary; see `report.md` in the `lifeboat-report` artifact."))
            f.write("\n")

    comment_url = ""
    token = os.environ.get("GITHUB_TOKEN", "")
    number = None
    event = os.environ.get("GITHUB_EVENT_PATH")
    if event and os.path.isfile(event):
        with open(event, encoding="utf-8") as f:
            number = (json.load(f).get("pull_request") or {}).get("number")
    if os.environ.get("INPUT_COMMENT", "true").lower() == "true" and token and number:
        try:
            comment_url = post_comment(body, mark, number, token)
        except (urllib.error.URLError, OSError, ValueError) as e:
            # Pull requests from forks get a read-only token: the summary still has it.
            print(f"::warning::lifeboat: could not post the pull-request comment ({e}); the report is in the job summary")
    elif os.environ.get("INPUT_COMMENT", "true").lower() == "true":
        print(f"lifeboat-pr: no pull request or no token: the comment is in {os.path.join(out, 'comment.md')}")

    failed = any(rc not in (None, 0) for rc in (check_rc, compile_rc, report_rc))
    set_output(
        check=check_rc,
        compile="" if compile_rc is None else compile_rc,
        report=report_rc,
        failed=str(failed).lower(),
        **{"report-file": report_md, "sarif": sarif, "comment-url": comment_url},
    )
    print(f"lifeboat-pr: check {check_rc}, compile --check {compile_rc if compile_rc is not None else '-'}, report {report_rc}; {'findings' if failed else 'ok'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
