#!/usr/bin/env bash
# CD-1 training throughput of one RBM (samples/s) at 784->1000 and 3072->1024,
# batch 100, on 1 and 2 threads, beside scikit-learn's BernoulliRBM
# (../shared/bench/rbm_sklearn.py) at the same shape, batch and threads, in the
# same run, and as a fraction of the sgemm bound (the rate of the five sgemm
# calls of CD-1 alone, measured by imgsearch-bench rbm just before).
#
#   scripts/bench-rbm.sh              the table
#   SAMPLES=20000 scripts/bench-rbm.sh
#
# The peer needs a Python with scikit-learn, numpy and threadpoolctl;
# PEERS_PYTHON names it (default /tmp/peers-sk/bin/python, created on first use
# when PyPI is reachable). Without it the peer columns say "skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
peers_python=${PEERS_PYTHON:-/tmp/peers-sk/bin/python}
samples=${SAMPLES:-10000}

scripts/setup.sh
scripts/build-release.sh imgsearch-bench
bench=.build/release/imgsearch-bench

have_peer=1
if [ ! -x "$peers_python" ] && [ -z "${PEERS_PYTHON:-}" ]; then
    echo "bench-rbm: creating /tmp/peers-sk for the scikit-learn peer" >&2
    { python3 -m venv /tmp/peers-sk && /tmp/peers-sk/bin/pip install -q scikit-learn numpy threadpoolctl; } >&2 || true
fi
if ! "$peers_python" -c "import sklearn, numpy, threadpoolctl" 2>/dev/null; then
    echo "bench-rbm: peer skipped: $peers_python lacks scikit-learn, numpy or threadpoolctl (pip install them into a venv and set PEERS_PYTHON)" >&2
    have_peer=0
fi
if [ ! -f "$shared/bench/rbm_sklearn.py" ]; then
    echo "bench-rbm: peer skipped: $shared/bench/rbm_sklearn.py is absent" >&2
    have_peer=0
fi

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(date -u +%Y-%m-%d), $(uptime | sed 's/.*load average/load average/')"
echo "CD-1, batch 100, $samples samples per epoch, median of 3 epochs (training and sgemm-only epochs alternate); imgsearch float32, scikit-learn float64 (its default) and float32"
printf '| %-11s | %7s | %17s | %13s | %16s | %14s | %16s | %16s | %14s |\n' \
    "shape" "threads" "imgsearch (/s)" "sgemm GFLOP/s" "sgemm bound (/s)" "of the bound" "sklearn f64 (/s)" "sklearn f32 (/s)" "vs sklearn f64"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' -------------  ---------  -------------------  ---------------  ------------------  ----------------  ------------------  ------------------  ----------------
for shape in "784 1000" "3072 1024"; do
    set -- $shape
    for threads in 1 2; do
        line=$($bench rbm --visible "$1" --hidden "$2" --batch 100 --threads "$threads" --samples "$samples")
        ours=$(echo "$line" | sed -E 's/.*: ([0-9]+) samples\/s;.*/\1/')
        gflops=$(echo "$line" | sed -E 's/.*sgemm ([0-9.]+) GFLOP\/s.*/\1/')
        bound=$(echo "$line" | sed -E 's/.*bound ([0-9]+) samples\/s.*/\1/')
        fraction=$(echo "$line" | sed -E 's/.*fraction ([0-9.]+).*/\1/')
        f64="skipped"; f32="skipped"; ratio="-"
        if [ $have_peer = 1 ]; then
            f64=$("$peers_python" "$shared/bench/rbm_sklearn.py" --visible "$1" --hidden "$2" --samples "$samples" \
                --batch 100 --threads "$threads" --dtype float64 | sed -E 's/.*: ([0-9]+) samples\/s.*/\1/')
            f32=$("$peers_python" "$shared/bench/rbm_sklearn.py" --visible "$1" --hidden "$2" --samples "$samples" \
                --batch 100 --threads "$threads" --dtype float32 | sed -E 's/.*: ([0-9]+) samples\/s.*/\1/')
            ratio=$(python3 -c "print(f'{$ours / $f64:.1f}x')")
        fi
        printf '| %-11s | %7d | %17s | %13s | %16s | %14s | %16s | %16s | %14s |\n' \
            "$1->$2" "$threads" "$ours" "$gflops" "$bound" "$fraction" "$f64" "$f32" "$ratio"
    done
done
