#!/usr/bin/env bash
# Splits ../shared/data/cifar10/train into queries and a database, the split
# that the default model is trained on (the database part) and evaluated on
# (the queries against the database), so its reported figures are held out.
#
#   scripts/cifar-split.sh OUT      writes OUT/split/{queries,database}/<class>/
#
# Per class, the file names in a seeded random order (SEED, default 1); the
# first QUERIES_PER_CLASS (default 100) are queries, the other 4,900 the
# database: 1,000 queries and 49,000 database images. `shuf` reads its
# randomness from a stream fixed by the seed, so the same seed gives the
# same split on any machine. The folders hold symbolic links to the data.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/cifar-split.sh OUT}
data=../shared/data/cifar10/train
seed=${SEED:-1}
per_class=${QUERIES_PER_CLASS:-100}
[ -d "$data" ] || { echo "cifar-split: $data is absent" >&2; exit 1; }
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
echo "cifar-split: $(find "$split/queries" -type l | wc -l) queries, $(find "$split/database" -type l | wc -l) database images in $split" >&2
