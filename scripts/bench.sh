#!/usr/bin/env bash
# Benchmarks, each run side by side with its peer from ../shared/bench in
# the same invocation (the machines are shared and noisy: compare ratios).
#
#   scripts/bench.sh decode     thumbnails/s on ../shared/data/photos and on
#                               10,000 CIFAR-10 JPEGs, 1 and 2 threads, beside
#                               Pillow + imagehash (phash_pillow.py)
#
# The peers need a Python with their packages; PEERS_PYTHON names it
# (default /tmp/peers/bin/python, created on first use when PyPI is reachable).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
shared="$root/../shared"
peers_python=${PEERS_PYTHON:-/tmp/peers/bin/python}

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 64; }
[ $# -ge 1 ] || usage

ensure_peers() {
    if [ ! -x "$peers_python" ] && [ -z "${PEERS_PYTHON:-}" ]; then
        echo "bench: creating /tmp/peers for the peer baselines" >&2
        python3 -m venv /tmp/peers && /tmp/peers/bin/pip install -q "$@" >&2 || true
    fi
    if ! "$peers_python" -c "import ${PEER_MODULES:-PIL}" 2>/dev/null; then
        echo "bench: peer skipped: $peers_python lacks the peer's packages ($*)" >&2
        return 1
    fi
}

machine() {
    echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(date -u +%Y-%m-%d)"
}

bench_decode() {
    scripts/setup.sh
    swift build -c release --product imgsearch-bench >&2
    local bench=.build/release/imgsearch-bench
    [ -d "$shared/data/photos" ] || { echo "bench: ../shared/data is absent" >&2; exit 1; }

    # 10,000 CIFAR-10 JPEGs: the first 1,000 of each class, as a folder of links
    # that both tools walk the same way.
    local cifar
    cifar=$(mktemp -d /tmp/imgsearch-cifar10k.XXXXXX)
    trap 'rm -rf "$cifar"' RETURN
    for class_folder in "$shared"/data/cifar10/train/*/; do
        local class
        class=$(basename "$class_folder")
        find "$class_folder" -name '*.jpg' | sort | sed -n '1,1000p' | while read -r file; do
            ln -s "$file" "$cifar/${class}_${file##*/}"
        done
    done

    local have_peer=1
    PEER_MODULES="PIL, imagehash" ensure_peers pillow imagehash numpy || have_peer=0

    machine
    for set in photos cifar; do
        local folder="$shared/data/photos"
        [ $set = cifar ] && folder=$cifar
        for threads in 1 2; do
            local ours peer ratio="-"
            ours=$($bench decode --folder "$folder" --threads $threads | sed -E 's/.*: ([0-9.]+) images\/s/\1/')
            peer="-"
            if [ $have_peer = 1 ]; then
                peer=$("$peers_python" "$shared/bench/phash_pillow.py" "$folder" --procs $threads | sed -E 's/.*: ([0-9.]+) images\/s/\1/')
                ratio=$(python3 -c "print(f'{$ours / $peer:.2f}x')")
            fi
            printf '%-8s threads=%d  imgsearch %8s images/s   Pillow+imagehash %8s images/s   ratio %s\n' \
                "$set" $threads "$ours" "$peer" "$ratio"
        done
    done
    echo "progressive JPEGs decoded in full (no DC-only shortcut), photos:"
    for threads in 1 2; do
        $bench decode --folder "$shared/data/photos" --threads $threads --full-progressive
    done
}

case "$1" in
    decode) bench_decode ;;
    *) usage ;;
esac
