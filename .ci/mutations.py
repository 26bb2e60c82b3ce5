"""Prove that the generated `terraform test` suite catches a lost mechanism.

For each given tree (an output folder of `lifeboat compile`), take away one chosen
mechanism at a time from a generated module call in main.tf (a read replica, backup
replication, Replication Time Control, delete-marker replication, a cross-Region
copy, continuous backup, an asset's backup selection, the health check interval, the
secondary Region's backup plans, the KMS key-deletion alarms) and
run `tf-validate test` on the mutated copy: it must fail on a generated assertion.
The unmutated tree must pass. Mutations are found by reading main.tf, one per kind
of mechanism per tree, so the check follows whatever the examples contain.

The `guard_*` runs are dropped from the copies (they test the modules' checks, not
the assertions, and double the time).

Usage: python3 .ci/mutations.py TF_VALIDATE TREE...
"""
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SUITE = "tests/lifeboat.tftest.hcl"


def strip_guards(text):
    """The suite without its guard runs (each a top-level `run "guard_..." {}`)."""
    out, skipping, depth = [], False, 0
    for line in text.splitlines(keepends=True):
        if not skipping and line.startswith('run "guard_'):
            skipping, depth = True, 0
        if skipping:
            depth += line.count("{") - line.count("}")
            if depth == 0 and "}" in line:
                skipping = False
            continue
        out.append(line)
    return "".join(out)


def mutations(main):
    """(description, mutated main.tf) pairs: at most one per kind of mechanism."""
    found = {}

    def first(kind, pattern, repl, why):
        if kind in found:
            return
        m = re.search(pattern, main, re.M)
        if m:
            if "{other}" in repl:
                repl = repl.replace("{other}", "10" if m.group(2) == "30" else "30")
            mutated = main[: m.start()] + m.expand(repl) + main[m.end() :]
            found[kind] = (f"{why} (line {main[: m.start()].count(chr(10)) + 1})", mutated)

    for attr in [
        "read_replica",
        "backup_replication",
        "replication_time_control",
        "replicate_deletes",
        "global_database",
        "global_table",
        "expect_pitr",
        "replication",
    ]:
        first(attr, rf"^(\s+{attr}\s+=\s)true$", r"\1false", f"{attr} = true set to false")
    first("copy", r"^(\s+copy_delete_after_days\s+=\s)\d+$", r"\1null", "a cross-Region copy removed")
    first("continuous", r"^(\s+continuous\s+=\s)true$", r"\1false", "continuous backup turned off")
    # From a list of two or more, so the plan still protects something (the module
    # refuses a plan with restore testing and nothing to protect).
    first(
        "selection",
        r'^(\s+(?:rds_instances|s3_buckets)\s+=\s\[)"[^"]+", ',
        r"\1",
        "an asset removed from its backup plan",
    )
    # To the other interval Route 53 allows, so the module accepts it.
    first(
        "health-check",
        r"^(\s+request_interval\s+=\s)(10|30)$",
        r"\g<1>{other}",
        "a health check's interval changed",
    )
    first(
        "secondary-plans",
        r"^(\s+secondary_plans\s+=\s)true$",
        r"\1false",
        "the secondary Region's backup plans removed",
    )
    first(
        "kms-alarms",
        r"^(\s+kms_event_regions\s+=\s)\[.+\]$",
        r"\1[]",
        "the KMS key-deletion alarms removed",
    )
    return list(found.values())


def run(tfv, tree):
    r = subprocess.run([tfv, "test", str(tree)], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def main():
    tfv, trees = sys.argv[1], sys.argv[2:]
    failed = False
    for tree in map(Path, trees):
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp) / "tree"
            shutil.copytree(tree, base)
            suite = base / SUITE
            suite.write_text(strip_guards(suite.read_text()))
            code, out = run(tfv, base)
            if code != 0:
                print(f"FAILED: {tree}: the unmutated suite does not pass\n{out}")
                failed = True
                continue
            main_tf = (base / "main.tf").read_text()
            found = mutations(main_tf)
            if not found:
                print(f"{tree}: no mechanism to take away")
            for why, mutated in found:
                (base / "main.tf").write_text(mutated)
                code, out = run(tfv, base)
                caught = code != 0 and "Test assertion failed" in out
                print(f"{tree}: {why}: {'caught' if caught else 'NOT CAUGHT'}")
                if not caught:
                    print(out)
                    failed = True
            (base / "main.tf").write_text(main_tf)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
