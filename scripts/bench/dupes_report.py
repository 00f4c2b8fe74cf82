#!/usr/bin/env python3
"""Reads `imgsearch query --json -k 2` lines on stdin (originals and their
variants, variants named <kind>/<original name>.<ext>) and prints, per kind,
how often the original comes first and how far its code is, and for the
originals how far the nearest other image is: the numbers behind the
default `dupes --max-distance`."""
import json, os, sys
from collections import defaultdict

def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))] if values else float("nan")

found = defaultdict(list)
for line in sys.stdin:
    result = json.loads(line)
    query, matches = result["query"], result["results"]
    kind = os.path.basename(os.path.dirname(query))
    if kind in ("jpeg50", "half", "noise"):
        original = os.path.splitext(os.path.basename(query))[0]
        hit = next((m for m in matches if os.path.basename(m["path"]) == original), None)
        found[kind].append((matches[0]["path"].endswith("/" + original), hit))
    else:
        other = next((m for m in matches if m["path"] != os.path.realpath(query) and os.path.basename(m["path"]) != os.path.basename(query)), None)
        found["nearest other image"].append((False, other))

print(f"{'pair':<22} {'n':>5} {'rank 1':>7} {'hamming<=1':>11} {'distance p1':>12} {'p50':>7} {'p90':>7} {'p99':>7} {'r1 d0.5':>8} {'r2 d0.8':>8} {'r2 d1.0':>8}")
for kind, rows in found.items():
    hits = [hit for _, hit in rows if hit]
    distances = [hit["distance"] for hit in hits]
    first = sum(1 for top, _ in rows if top) / len(rows)
    near = sum(1 for hit in hits if hit["hamming"] <= 1) / len(rows)
    def joined(radius, distance):
        return sum(1 for hit in hits if hit["hamming"] <= radius and hit["distance"] <= distance) / len(rows)
    rank = f"{first:.1%}" if kind != "nearest other image" else "-"
    print(f"{kind:<22} {len(rows):>5} {rank:>7} {near:>11.1%} {percentile(distances, .01):>12.3f} {percentile(distances, .5):>7.3f} "
          f"{percentile(distances, .9):>7.3f} {percentile(distances, .99):>7.3f} {joined(1, 0.5):>8.1%} {joined(2, 0.8):>8.1%} {joined(2, 1.0):>8.1%}")
print("distance: between real codes; r1 d0.5 (r2 d1.0): share of pairs `imgsearch dupes` joins at radius 1 and")
print("max distance 0.5 (radius 2, max distance 1.0); for the nearest other image, every join is a false one")
