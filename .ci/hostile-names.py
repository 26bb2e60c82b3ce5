#!/usr/bin/env python3
"""Write a JSON inventory whose tier names (free text that reaches every graph
label) are hostile to Mermaid, Markdown and HTML, with N assets spread over them.

Usage: hostile-names.py FILE N
"""
import json
import sys

TIERS = [
    "%%{init:{'themeCSS':'.breached{display:none}'}}%%",
    "%%{init: {'theme': 'dark'}}%% x",
    '%% a comment',
    'a"] --> x["pwn',
    'x; click a0 call alert()',
    'x|y|z -->|e| q',
    '<img src=x onerror=alert(1)>',
    '#quot; &lt; #35; `md` **b** _i_',
    'end',
    'subgraph x',
    '(a) [b] {c} ((d)) >e]',
    'back\\slash \\" quote',
    "it's \"quoted\" & <b>bold</b>",
    'https://evil.example/@someone #123',
    '日本語 x1 · ✓ 🚀',
]

def main():
    path, n = sys.argv[1], int(sys.argv[2])
    tiers = {
        name: {"rpo": "1d", "rto": "2d", "retention": "7d"}
        for name in TIERS
    }
    # One tier whose objective is breached, so the breached class is drawn.
    tiers[TIERS[0]]["rpo"] = "1s"
    assets = {}
    for i in range(n):
        assets[f"b{i:05}"] = {
            "kind": "s3",
            "tier": TIERS[i % len(TIERS)],
            "bucket": f"hostile-names-bucket-{i:05}",
        }
    doc = {
        "project": {"hostile": {"primary_region": "us-east-1", "secondary_region": "us-west-2"}},
        "tier": tiers,
        "asset": assets,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)

main()
