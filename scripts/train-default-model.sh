#!/usr/bin/env bash
# Trains the default model shipped in index/default-model.isae with fixed
# settings and seed, so the same machine and data give the same file.
#
#   scripts/train-default-model.sh [OUTPUT]    default index/default-model.isae
#
# Data: the database part of ../shared/data/cifar10/train as
# scripts/cifar-split.sh splits it (seed 1: 49,000 images), so the 1,000
# queries that scripts/eval-cifar.sh measures with were never seen in
# training and docs/quality.md's figures are held out.
#
# Settings (recorded in the model's metadata and in docs/quality.md):
# 3072-512-256-128-30, per-image contrast normalization (epsilon 0.05), then
# Gaussian visible units on standardized values, logistic code units with
# noise 4 during fine-tuning, 10 CD-1 epochs per RBM, 20 fine-tuning epochs
# (Adam, lr 1e-3), seed 1, weights rounded to half precision, median
# thresholds. About 20 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
output=${1:-index/default-model.isae}
scripts/setup.sh
swift build -c release --product imgsearch >&2
split_root=${SPLIT_DIR:-eval-results/cifar10}
scripts/cifar-split.sh "$split_root"
time .build/release/imgsearch train --folder "$split_root/split/database" --output "$output" \
    --layers 3072,512,256,128,30 --contrast-epsilon 0.05 --pretraining-epochs 10 --fine-tuning-epochs 20 \
    --noise-scale 4 --seed 1 --jobs "${JOBS:-2}"
