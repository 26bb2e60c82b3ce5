"""Validate JSON inventories against `lifeboat schema` (the editors' schema) with
the reference `jsonschema` implementation (installed with checkov): every JSON
inventory given, as written and rewritten with arrays of blocks at every block
level (HCL's JSON form allows both), must pass; broken variants must not.

Usage: python3 .ci/editor-schema.py SCHEMA.json INVENTORY.json...
"""
import copy
import json
import sys

import jsonschema

# Block positions: (parent block or None, block) -> levels of labels above the body.
# The same table as `label_count` in src/parse/mod.rs.
def label_count(parent, block):
    if parent is None:
        return {"project": 1, "tier": 1, "asset": 1, "assumptions": 0}.get(block)
    if parent == "tier" and block == "scenario":
        return 1
    if block in ("dr", "measured", "primary", "secondary", "health_check"):
        return 0
    return None


def as_arrays(value, labels, block):
    """A block value with every level written as an array of one-entry objects."""
    if isinstance(value, list):  # already an array of this level's objects
        return [item for v in value for item in as_arrays(v, labels, block)]
    if not isinstance(value, dict):
        return value
    if labels == 0:
        return [arrays_in(value, block)]
    return [{k: as_arrays(v, labels - 1, block)} for k, v in value.items()]


def arrays_in(body, parent):
    out = {}
    for k, v in body.items():
        n = label_count(parent, k)
        out[k] = as_arrays(v, n, k) if n is not None else v
    return out


def main():
    schema = json.load(open(sys.argv[1]))
    validator = jsonschema.Draft202012Validator(schema)
    failed = 0
    for path in sys.argv[2:]:
        bad = failed
        doc = json.load(open(path))
        variants = {"as written": doc, "arrays of blocks": arrays_in(doc, None)}
        for name, variant in variants.items():
            errors = list(validator.iter_errors(variant))
            if errors:
                failed += 1
                print(f"FAILED: {path} ({name}): {errors[0].message[:300]}")
        # Must be rejected: an unknown field inside an asset, in array form.
        broken = copy.deepcopy(variants["arrays of blocks"])
        assets = broken.get("asset")
        if isinstance(assets, list) and assets:
            first = assets[0]
            body = next(iter(first.values()))
            (body[0] if isinstance(body, list) else body)["no_such_field"] = 1
            if validator.is_valid(broken):
                failed += 1
                print(f"FAILED: {path}: an unknown field in array form was accepted")
        print(f"editor schema: {path}: " + ("see above" if failed > bad else "ok"))
    sys.exit(1 if failed else 0)


main()
