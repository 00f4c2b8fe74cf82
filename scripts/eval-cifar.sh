#!/usr/bin/env bash
# Reproduces the retrieval-quality table of docs/quality.md on CIFAR-10.
#
#   scripts/eval-cifar.sh [MODEL]        default index/default-model.isae
#
# Splits ../shared/data/cifar10/train into a query set (QUERIES_PER_CLASS
# images of each class, 100 by default: 1,000 queries) and a database (the
# other 49,000), chosen by a shuffle seeded with SEED (default 1), as folders
# of symbolic links under OUT (default eval-results/cifar10/split), then runs
#
#   imgsearch eval --database .../database --queries .../queries --model MODEL
#                  --flip --rotations --ablations --near-duplicates 1000 --seed SEED --json --html ...
#
# and writes OUT/eval-<model name>.json and .html, and prints the table.
# About 5 minutes on 2 cores.
# The split is scripts/cifar-split.sh's, the one the default model is
# trained on (scripts/train-default-model.sh): no query was seen in training.
set -euo pipefail
cd "$(dirname "$0")/.."
seed=${SEED:-1}
out=${OUT:-eval-results/cifar10}
model=${1:-index/default-model.isae}

scripts/setup.sh
scripts/build-release.sh imgsearch

scripts/cifar-split.sh "$out"
split="$out/split"

name=eval-$(basename "$model" .isae)
time .build/release/imgsearch eval --database "$split/database" --queries "$split/queries" \
    --model "$model" --flip --rotations --ablations --near-duplicates 1000 --seed "$seed" --jobs "${JOBS:-2}" \
    --json --html "$out/$name.html" > "$out/$name.json"
echo "eval-cifar: wrote $out/$name.json and $out/$name.html" >&2

# The table, for docs/quality.md.
python3 - "$out/$name.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
print(f"database {report['database']}, queries {report['queries']}, {report['bits']} bits, model {report['model']}, seed {report['seed']}")
print("| method | mAP@1000 | P@1 | P@10 | P@100 | precision r<=2 | answered r<=2 | ones per bit | largest bit correlation |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for method in report["mAP"]:
    def cell(key, digits=3):
        value = report[key].get(method)
        return "-" if value is None else f"{value:.{digits}f}"
    ones = report["bits.onesShare"].get(method)
    ones = "-" if ones is None else f"{ones['min']:.2f}-{ones['max']:.2f}"
    print(f"| {method} | {cell('mAP', 4)} | {cell('precision@1')} | {cell('precision@10')} | {cell('precision@100')} "
          f"| {cell('precisionWithinRadius2')} | {cell('queriesWithResultsWithinRadius2')} | {ones} | {cell('bits.largestCorrelation')} |")
for name, result in report["nearDuplicates"].items():
    print(f"near duplicates, {name}: original first {100 * result['rankOne']:.1f}%, in the top 10 {100 * result['topTen']:.1f}%, "
          f"first by real code alone {100 * result['rankOneByRealCode']:.1f}%, "
          f"first after re-ranking the first {result['rerankDepth']} by real code {100 * result['rankOneAfterRerank']:.1f}% of {result['count']}")
PY
