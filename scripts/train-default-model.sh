#!/usr/bin/env bash
# Trains the default model shipped in index/default-model.isae, on the
# CIFAR-10 training split in ../shared/data/cifar10/train, with fixed settings
# and seed, so the same machine and data give the same file.
#
#   scripts/train-default-model.sh [OUTPUT]    default index/default-model.isae
#
# Settings (recorded in the model's metadata and in docs/models.md):
# 3072-512-256-128-30, Gaussian visible units on standardized pixels,
# logistic code units with noise 4 during fine-tuning, 10 CD-1 epochs per
# RBM, 20 fine-tuning epochs (Adam, lr 1e-3), seed 1, median thresholds.
set -euo pipefail
cd "$(dirname "$0")/.."
output=${1:-index/default-model.isae}
scripts/setup.sh
swift build -c release --product imgsearch >&2
[ -d ../shared/data/cifar10/train ] || { echo "train-default-model: ../shared/data/cifar10/train is absent" >&2; exit 1; }
time .build/release/imgsearch train --folder ../shared/data/cifar10/train --output "$output" \
    --layers 3072,512,256,128,30 --pretraining-epochs 10 --fine-tuning-epochs 20 \
    --noise-scale 4 --seed 1 --jobs "${JOBS:-2}"
