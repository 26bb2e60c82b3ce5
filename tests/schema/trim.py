#!/usr/bin/env python3
"""Derive the trimmed AWS provider schema that tests/provider_schema.rs checks against.

Reads the AWS provider 6.66.0 schema shipped with tf-validate and keeps only the
resource and data source types that lifeboat emits (found in modules/ and
templates/terraform/). Run it again whenever a module starts using a new type:

    python3 tests/schema/trim.py ../shared/tools/tf-validate/aws-provider-6.66.0.schema.json.gz
"""
import gzip
import json
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parents[2]
src = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared/tools/tf-validate/aws-provider-6.66.0.schema.json.gz"
schema = json.load(gzip.open(src))

used = {"resources": set(), "data_sources": set()}
files = list((root / "modules").rglob("*.tf")) + list((root / "templates/terraform").glob("*.hbs"))
for f in files:
    text = f.read_text()
    used["resources"].update(re.findall(r'^\s*resource\s+"([a-z0-9_]+)"', text, re.M))
    used["data_sources"].update(re.findall(r'^\s*data\s+"([a-z0-9_]+)"', text, re.M))


def trim(block):
    return {
        "attributes": {
            name: {k: a[k] for k in ("required", "optional", "computed")}
            for name, a in sorted(block.get("attributes", {}).items())
        },
        "blocks": {
            name: {
                "nesting": b["nesting"],
                "min_items": b.get("min_items") or 0,
                "max_items": b.get("max_items"),
                **trim(b),
            }
            for name, b in sorted(block.get("blocks", {}).items())
        },
    }


out = {
    "_meta": {**schema["_meta"], "trimmed_by": "tests/schema/trim.py"},
    "resources": {t: trim(schema["resources"][t]) for t in sorted(used["resources"])},
    "data_sources": {t: trim(schema["data_sources"][t]) for t in sorted(used["data_sources"])},
}
dest = root / "tests/schema/aws-provider-6.66.0-trimmed.json"
dest.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
print(f"{dest.relative_to(root)}: {len(out['resources'])} resources, {len(out['data_sources'])} data sources")
