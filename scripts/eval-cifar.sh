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
#                  --flip --ablations --near-duplicates 1000 --seed SEED --json --html ...
#
# and writes OUT/eval-<model name>.json and .html, and prints the table.
# About 5 minutes on 2 cores.
# With HELD_OUT=1 it first trains a model on the database part only
# (scripts/train-default-model.sh's settings, about 40 minutes) and
# evaluates that one instead, so no query was seen in training.
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/cifar10/train
seed=${SEED:-1}
per_class=${QUERIES_PER_CLASS:-100}
out=${OUT:-eval-results/cifar10}
model=${1:-index/default-model.isae}
[ -d "$data" ] || { echo "eval-cifar: $data is absent" >&2; exit 1; }

scripts/setup.sh
swift build -c release --product imgsearch >&2

# The split: per class, the file names in a seeded random order; the first
# $per_class are queries. `shuf` reads its randomness from a stream fixed by
# the seed, so the same seed gives the same split.
split="$out/split"
rm -rf "$split"
absolute_data=$(cd "$data" && pwd)
for class_dir in "$absolute_data"/*/; do
    label=$(basename "$class_dir")
    mkdir -p "$split/queries/$label" "$split/database/$label"
    ls "$class_dir" | sort | shuf --random-source=<(yes "imgsearch-split-$seed") > "$out/order-$label.txt"
    head -n "$per_class" "$out/order-$label.txt" | sed "s|^|$class_dir|" | xargs -d '\n' ln -s -t "$split/queries/$label"
    tail -n "+$((per_class + 1))" "$out/order-$label.txt" | sed "s|^|$class_dir|" | xargs -d '\n' ln -s -t "$split/database/$label"
done
echo "eval-cifar: $(find "$split/queries" -type l | wc -l) queries, $(find "$split/database" -type l | wc -l) database images" >&2

if [ "${HELD_OUT:-0}" = 1 ]; then
    model="$out/held-out-model.isae"
    time .build/release/imgsearch train --folder "$split/database" --output "$model" \
        --layers 3072,512,256,128,30 --pretraining-epochs 10 --fine-tuning-epochs 20 \
        --noise-scale 4 --seed 1 --jobs "${JOBS:-2}"
fi

name=eval-$(basename "$model" .isae)
time .build/release/imgsearch eval --database "$split/database" --queries "$split/queries" \
    --model "$model" --flip --ablations --near-duplicates 1000 --seed "$seed" --jobs "${JOBS:-2}" \
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
          f"first after re-ranking the first 10 by real code {100 * result['rankOneAfterRerank']:.1f}% of {result['count']}")
PY
