#!/usr/bin/env python3
"""Reads `imgsearch dupes --json` for an index of originals plus their
variants (variants named <kind>/<original name>.<ext>) and prints, per kind,
the share of originals that ended in one group with their variant, and how
many groups join two different originals (false duplicates, unless the
originals themselves are near-duplicates)."""
import json, os, sys
from collections import defaultdict

report = json.load(sys.stdin)
originals_total = int(sys.argv[1])
group_of = {}
for number, group in enumerate(report["groups"]):
    for path in group["paths"]:
        group_of[path] = number

def original_name(path):
    kind = os.path.basename(os.path.dirname(path))
    return (os.path.splitext(os.path.basename(path))[0], kind) if kind in ("jpeg50", "half", "noise") else (os.path.basename(path), None)

joined = defaultdict(int)
originals_by_group = defaultdict(set)
original_path = {}
for path in group_of:
    name, kind = original_name(path)
    originals_by_group[group_of[path]].add(name)
    if kind is None:
        original_path[name] = path
for path, number in group_of.items():
    name, kind = original_name(path)
    if kind and name in original_path and group_of[original_path[name]] == number:
        joined[kind] += 1

print(f"{'copy':<8} {'joined to its original':>23}")
for kind in ("jpeg50", "half", "noise"):
    print(f"{kind:<8} {joined[kind] / originals_total:>23.1%}")
mixed = sum(1 for names in originals_by_group.values() if len(names) > 1)
print(f"groups: {len(report['groups'])}; groups joining two different originals: {mixed}")
