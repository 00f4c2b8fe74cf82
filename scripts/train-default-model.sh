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
# Settings (recorded in the model's metadata and in docs/models.md): the
# first layer sees thumbnail features (gradient-orientation histograms of
# 4x4-pixel cells, 9 bins, then the thumbnail averaged to 8x8 colour values,
# contrast-normalized with epsilon 0.05, weighted 0.8 after standardization:
# 576 + 192 values), 768-512-256-128-30, Gaussian visible units on
# standardized values, logistic code units with noise 4 during fine-tuning,
# 10 CD-1 epochs per RBM, 20 fine-tuning epochs (Adam, lr 1e-3) in which
# half the images, drawn anew each epoch, go in as their half-size copy,
# seed 1, weights rounded to half precision, the code units' logits as the
# real code, median thresholds. About 6 minutes on 2 otherwise idle cores.
set -euo pipefail
cd "$(dirname "$0")/.."
output=${1:-index/default-model.isae}
scripts/setup.sh
scripts/build-release.sh imgsearch
split_root=${SPLIT_DIR:-eval-results/cifar10}
scripts/cifar-split.sh "$split_root"
time .build/release/imgsearch train --folder "$split_root/split/database" --output "$output" \
    --layers 3072,512,256,128,30 --gradient-cell 4 --orientation-bins 9 --gradient-scales 2 \
    --contrast-epsilon 0.05 --colour-side 8 --colour-weight 0.8 \
    --pretraining-epochs 10 --fine-tuning-epochs 20 \
    --half-size-copies 0.5 --noise-scale 4 --seed 1 --jobs "${JOBS:-2}"
