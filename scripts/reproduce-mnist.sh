#!/usr/bin/env bash
# Reproduces Hinton & Salakhutdinov 2006 on MNIST: trains the 784-1000-500-250-30
# autoencoder (RBM pretraining, then fine-tuning by backpropagation) on the
# 60,000 training images and scores the 10,000 test images with the paper's
# metric (squared error summed over the 784 pixels in [0,1], averaged per
# image), beside PCA-30 fitted in the same run. The paper: 3.00 (PCA 13.87).
#
#   scripts/reproduce-mnist.sh            the full run (45 minutes on 2 idle cores)
#   scripts/reproduce-mnist.sh --quick    10,000 images, few epochs (a few minutes)
#
# Extra arguments go to `imgsearch-bench mnist` (see its --help). Progress goes
# to stderr; the last line on stdout is
#   test reconstruction error: E (PCA-30: P)
# MNIST_DATA names the folder of idx .gz files (default ../shared/data/mnist).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${MNIST_DATA:-../shared/data/mnist}
if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
    echo "reproduce-mnist: no MNIST in $data; HINT: set MNIST_DATA to the folder with train-images-idx3-ubyte.gz" >&2
    exit 1
fi
scripts/setup.sh
scripts/build-release.sh imgsearch-bench
exec .build/release/imgsearch-bench mnist --data "$data" "$@"
