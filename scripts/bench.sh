#!/usr/bin/env bash
# Benchmarks, each run side by side with its peer from ../shared/bench in
# the same invocation (the machines are shared and noisy: compare ratios).
#
#   scripts/bench.sh decode     thumbnails/s on ../shared/data/photos and on
#                               10,000 CIFAR-10 JPEGs, 1 and 2 threads, beside
#                               Pillow + imagehash (phash_pillow.py); then the
#                               same photos in each format (JPEG, PNG, TIFF,
#                               BMP, GIF, WebP, HEIC, AVIF; written once by
#                               scripts/bench/convert_photos.sh into
#                               .build/bench-formats), beside Pillow with
#                               pillow-heif (bench/thumbnails_pillow.py),
#                               median of RUNS (default 3) runs
#   scripts/bench.sh decode-formats
#                               the per-format rows of `decode` alone
#   scripts/bench.sh decode-hostile
#                               the slowest files of the libheif fuzzing corpus
#                               and of Pillow's decompression bombs, each
#                               decoded or refused on its own (slowest of 3)
#   scripts/bench.sh index      `imgsearch index` wall-clock images/s and peak
#                               memory on 10,000 and 50,000 CIFAR-10 JPEGs and
#                               on ../shared/data/photos (median of 3 fresh
#                               indexes), beside Pillow + imagehash, 2 workers
#   scripts/bench.sh query      `imgsearch query` latency, process start to
#                               exit, on indexes of 1k, 100k and 1M images
#                               (1,000 real CIFAR-10 images plus synthetic
#                               noisy copies of their codes), median of 21;
#                               QUERY_FLAGS adds query options to every run
#                               (QUERY_FLAGS="--flip --rotations")
#   scripts/bench.sh serve      `imgsearch serve` under load from wrk, at
#                               1,000,000 images (1,000 real CIFAR-10 images
#                               plus synthetic copies of their codes, as in
#                               `query`): similar-by-id queries/s, p50/p99
#                               latency and errors over 16 connections for
#                               SECONDS_PER_RUN (default 10), alone and while an
#                               `imgsearch index` of 20,000 more CIFAR-10
#                               images writes into the same database; the
#                               server's own search time; search by
#                               uploading a 13-megapixel photo; memory;
#                               SIMILAR_FLAGS adds query parameters to the
#                               similar-by-id requests (SIMILAR_FLAGS="&rerank=0")
#   scripts/bench.sh dupes      how near a re-saved, a half-size and a noisy
#                               copy's code is to its original's, beside the
#                               nearest other image's (1,000 CIFAR-10 images),
#                               then what `imgsearch dupes` groups among them
#                               and among all 50,000 CIFAR-10 training images
#
# The peers need a Python with their packages; PEERS_PYTHON names it
# (default /tmp/peers/bin/python, created on first use when PyPI is reachable).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
shared="$root/../shared"
peers_python=${PEERS_PYTHON:-/tmp/peers/bin/python}

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 64; }
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

# The first $2 JPEGs of each CIFAR-10 class, as links in folder $1 that
# every tool walks the same way.
cifar_links() {
    local per_class=$2
    for class_folder in "$shared"/data/cifar10/train/*/; do
        local class
        class=$(basename "$class_folder")
        find "$class_folder" -name '*.jpg' | sort | sed -n "1,${per_class}p" | while read -r file; do
            ln -s "$file" "$1/${class}_${file##*/}"
        done
    done
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

bench_decode() {
    scripts/setup.sh
    scripts/build-release.sh imgsearch-bench
    local bench=.build/release/imgsearch-bench
    [ -d "$shared/data/photos" ] || { echo "bench: ../shared/data is absent" >&2; exit 1; }

    # 10,000 CIFAR-10 JPEGs: the first 1,000 of each class, as a folder of links
    # that both tools walk the same way.
    local cifar
    cifar=$(mktemp -d /tmp/imgsearch-cifar10k.XXXXXX)
    trap 'rm -rf "$cifar"' RETURN
    cifar_links "$cifar" 1000

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
    bench_decode_formats
}

# The photos in every format, thumbnails/s beside Pillow (+ pillow-heif for
# HEIC, Pillow's own AVIF plugin), median of $RUNS runs of each tool.
bench_decode_formats() {
    local bench=.build/release/imgsearch-bench formats=$root/.build/bench-formats
    command -v cwebp >/dev/null && command -v heif-enc >/dev/null || apt-get install -y -qq webp libheif-examples >&2
    scripts/bench/convert_photos.sh "$formats" "$shared/data/photos"
    local python=/tmp/peers-formats/bin/python
    if ! "$python" -c "import pillow_heif" 2>/dev/null; then
        python3 -m venv --system-site-packages /tmp/peers-formats >&2
        "$python" -m pip install -q pillow-heif >&2 || echo "bench: pillow-heif did not install; Pillow reads no HEIC" >&2
    fi
    local runs=${RUNS:-3}
    echo "the photos in each format (median of $runs runs; each run the median of 3 passes):"
    printf '%-5s %-7s | %14s | %14s | %s\n' format threads "imgsearch /s" "Pillow /s" ratio
    for format in jpeg png tiff bmp gif webp heic avif; do
        for threads in 1 2; do
            local ours=() peer=()
            for _ in $(seq "$runs"); do
                ours+=("$($bench decode --folder "$formats/$format" --threads "$threads" | sed -E 's/.*failed=([0-9]+): ([0-9.]+) images\/s/\2 \1/')")
                peer+=("$("$python" scripts/bench/thumbnails_pillow.py "$formats/$format" --procs "$threads" | sed -E 's/.*: ([0-9.]+) images\/s/\1/')")
            done
            local our_rate peer_rate failed
            our_rate=$(printf '%s\n' "${ours[@]}" | cut -d' ' -f1 | median)
            failed=$(printf '%s\n' "${ours[@]}" | cut -d' ' -f2 | sort -n | tail -1)
            peer_rate=$(printf '%s\n' "${peer[@]}" | median)
            printf '%-5s %-7s | %14s | %14s | %s%s\n' "$format" "$threads" "$our_rate" "$peer_rate" \
                "$(python3 -c "print(f'{$our_rate / $peer_rate:.2f}x')")" "$([ "$failed" = 0 ] || echo " ($failed files failed)")"
        done
    done
}

# Hostile input: every file of the libheif fuzzing corpus and every Pillow
# decompression bomb must decode or be refused, each within a second; this
# prints the slowest (the pass/fail tests check decode-or-fail, not time).
bench_decode_hostile() {
    scripts/setup.sh
    scripts/build-release.sh imgsearch-bench
    local bench=.build/release/imgsearch-bench bombs
    [ -d "$shared/data/formats" ] || { echo "bench: ../shared/data is absent" >&2; exit 1; }
    machine
    echo "libheif fuzzing corpus:"
    $bench decode --each-file --folder "$shared/data/formats/libheif/fuzz-corpus"
    bombs=$(mktemp -d /tmp/imgsearch-bombs.XXXXXX)
    trap 'rm -rf "$bombs"' RETURN
    find "$shared/data/formats/pillow" -iname '*bomb*' -exec ln -s {} "$bombs/" \;
    echo "Pillow's decompression bombs ($(ls "$bombs" | wc -l) files):"
    $bench decode --each-file --folder "$bombs"
}

bench_index() {
    scripts/setup.sh
    scripts/build-release.sh imgsearch
    local imgsearch=$root/.build/release/imgsearch
    [ -d "$shared/data/photos" ] || { echo "bench: ../shared/data is absent" >&2; exit 1; }
    local work
    work=$(mktemp -d /tmp/imgsearch-bench-index.XXXXXX)
    trap 'rm -rf "$work"' RETURN
    mkdir "$work/cifar10k"
    cifar_links "$work/cifar10k" 1000

    local have_peer=1
    PEER_MODULES="PIL, imagehash" ensure_peers pillow imagehash numpy || have_peer=0

    machine
    printf '%-9s %7s %16s %14s %22s %8s\n' set images "imgsearch img/s" "peak RSS MB" "Pillow+imagehash img/s" ratio
    for set in cifar10k cifar50k photos; do
        local folder
        case $set in
            cifar10k) folder=$work/cifar10k ;;
            cifar50k) folder=$shared/data/cifar10/train ;;
            photos) folder=$shared/data/photos ;;
        esac
        local rates=() memories=() images=0
        for run in 1 2 3; do
            rm -f "$work/index.sqlite"*
            # Exit status 3 is "done, some files failed" (photos/ holds a
            # manifest and copyright files beside the JPEGs).
            local status=0
            /usr/bin/time -f '%e %M' -o "$work/time" "$imgsearch" index "$folder" --db "$work/index.sqlite" --json \
                > "$work/summary.json" 2> "$work/stderr" || status=$?
            [ $status = 0 ] || [ $status = 3 ] || { cat "$work/stderr" >&2; exit 1; }
            images=$(python3 -c "import json; print(json.load(open('$work/summary.json'))['added'])")
            read -r seconds kilobytes < <(tail -1 "$work/time")
            rates+=("$(python3 -c "print(f'{$images / $seconds:.0f}')")")
            memories+=("$((kilobytes / 1024))")
        done
        local rate memory peer="-" ratio="-"
        rate=$(printf '%s\n' "${rates[@]}" | median)
        memory=$(printf '%s\n' "${memories[@]}" | median)
        if [ $have_peer = 1 ]; then
            peer=$("$peers_python" "$shared/bench/phash_pillow.py" "$folder" --procs 2 | sed -E 's/.*: ([0-9.]+) images\/s/\1/')
            ratio=$(python3 -c "print(f'{$rate / $peer:.2f}x')")
        fi
        printf '%-9s %7d %16s %14s %22s %8s\n' $set "$images" "$rate" "$memory" "$peer" "$ratio"
    done
    echo "imgsearch: process start to exit, median of 3 indexes built from nothing, --jobs 2 (default)"
}

bench_query() {
    scripts/setup.sh
    scripts/build-release.sh imgsearch
    scripts/build-release.sh imgsearch-bench
    local imgsearch=$root/.build/release/imgsearch bench=$root/.build/release/imgsearch-bench
    [ -d "$shared/data/cifar10" ] || { echo "bench: ../shared/data is absent" >&2; exit 1; }
    local work
    work=$(mktemp -d /tmp/imgsearch-bench-query.XXXXXX)
    trap 'rm -rf "$work"' RETURN
    mkdir "$work/base"
    cifar_links "$work/base" 100
    # Indexed: answered from its stored code. Fresh: decoded and encoded,
    # which loads the model from the index.
    local indexed=$work/base/cat_0000.jpg fresh=$shared/data/cifar10/train/cat/4999.jpg

    machine
    printf '%-8s | %-36s | %-36s\n' "" "indexed image (stored code)" "new image (decoded, model loaded)"
    printf '%-8s | %8s %8s %8s %8s | %8s %8s %8s %8s\n' images median min cpu "vs 1k" median min cpu "vs 1k"
    local base_indexed="" base_fresh=""
    for size in 1000 100000 1000000; do
        local db=$work/index-$size.sqlite
        "$imgsearch" index "$work/base" --db "$db" > /dev/null 2>&1
        # Noise 0.3 is calibrated: 1,000 real + 49,000 synthetic images give
        # 49,099 distinct hashes, the 50,000 real CIFAR-10 images 49,135 (default model).
        [ $size -gt 1000 ] && "$bench" synthesize --db "$db" --count $((size - 1000)) --noise 0.3
        local a b
        # shellcheck disable=SC2086 # QUERY_FLAGS is a list of options
        a=$(python3 scripts/bench/latency.py 21 "$imgsearch" query --db "$db" -k 10 ${QUERY_FLAGS:-} "$indexed")
        # shellcheck disable=SC2086
        b=$(python3 scripts/bench/latency.py 21 "$imgsearch" query --db "$db" -k 10 ${QUERY_FLAGS:-} "$fresh")
        [ -z "$base_indexed" ] && base_indexed=${a%% *} && base_fresh=${b%% *}
        printf '%-8s | %8s %8s %8s %8s | %8s %8s %8s %8s\n' $size $a "$(python3 -c "print(f'{${a%% *} / $base_indexed:.2f}x')")" \
            $b "$(python3 -c "print(f'{${b%% *} / $base_fresh:.2f}x')")"
        rm -f "$db"*
    done
    echo "imgsearch query -k 10 ${QUERY_FLAGS:-}; ms, process start to exit: median and fastest of 21 runs after one untimed run,"
    echo "and the median CPU time of a run (user + system, all threads); vs 1k: median against the 1k median"
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

bench_serve() {
    scripts/setup.sh
    if ! command -v wrk > /dev/null; then
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo=sudo
        echo "bench: installing wrk" >&2
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk > /dev/null
    fi
    scripts/build-release.sh imgsearch
    scripts/build-release.sh imgsearch-bench
    local imgsearch=$root/.build/release/imgsearch bench=$root/.build/release/imgsearch-bench
    [ -d "$shared/data/cifar10" ] || { echo "bench: ../shared/data is absent" >&2; exit 1; }
    local work size=1000000 seconds=${SECONDS_PER_RUN:-10}
    work=$(mktemp -d /tmp/imgsearch-bench-serve.XXXXXX)
    local server_pid=""
    trap '[ -n "$server_pid" ] && kill "$server_pid" 2> /dev/null; rm -rf "$work"' RETURN
    mkdir "$work/base" "$work/more"
    cifar_links "$work/base" 100
    # Images the concurrent index run adds: CIFAR-10 training images after
    # the first 100 of each class.
    for class_folder in "$shared"/data/cifar10/train/*/; do
        find "$class_folder" -name '*.jpg' | sort | sed -n '101,2100p' | while read -r file; do
            ln -s "$file" "$work/more/$(basename "$class_folder")_${file##*/}"
        done
    done
    local db=$work/index.sqlite
    "$imgsearch" index "$work/base" --db "$db" > /dev/null 2>&1
    "$bench" synthesize --db "$db" --count $((size - 1000)) --noise 0.3
    "$imgsearch" serve --db "$db" --port 0 --log-level warning > "$work/serve.out" 2>&1 &
    server_pid=$!
    local address=""
    for _ in $(seq 100); do
        address=$(grep -o 'http://[0-9.:]*' "$work/serve.out" | head -1) && [ -n "$address" ] && break
        sleep 0.1
    done
    [ -n "$address" ] || { cat "$work/serve.out" >&2; echo "bench: the server did not start" >&2; exit 1; }
    # One query first: it loads the hashes.
    python3 -c "import urllib.request; urllib.request.urlopen('$address/api/images/1/similar')"
    local photo=$shared/data/photos/lomiri-16.04_Dragonfly_by_Bolly.jpg

    machine
    local alone during
    alone=$(python3 scripts/bench/serve_load.py "$address" "$server_pid" "$size" --seconds "$seconds" --upload "$photo" --label alone)
    "$imgsearch" index "$work/more" --db "$db" > "$work/index.out" 2>&1 &
    local index_pid=$!
    sleep 1
    during=$(python3 scripts/bench/serve_load.py "$address" "$server_pid" "$size" --seconds "$seconds" --label "during index")
    local index_running=yes
    kill -0 "$index_pid" 2> /dev/null || index_running="no (finished before the load ended)"
    wait "$index_pid" || true
    python3 - "$alone" "$during" "$index_running" "$(tail -1 "$work/index.out")" <<'PY'
import json, sys
alone, during = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"{'':14} | {'queries/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} | {'search ms':>9} {'p99':>6} | {'RSS MB':>6} {'peak':>6} {'heap':>6} {'file':>6}")
for row in (alone, during):
    print(f"{row['label']:14} | {row['queries_per_second']:9.0f} {row['p50_ms']:7.2f} {row['p99_ms']:7.2f} {row['errors']:6d} | "
          f"{row['search_median_ms']:9.3f} {row['search_p99_ms']:6.3f} | {row['rss_mb']:6.0f} {row['peak_rss_mb']:6.0f} "
          f"{row['anonymous_mb']:6.0f} {row['file_mb']:6.0f}")
print(f"search by upload of a {alone['upload_bytes'] / 1e6:.1f} MB 13-megapixel JPEG: {alone['upload_median_ms']:.0f} ms round trip "
      f"(median of 10), {alone['upload_search_median_ms']:.0f} ms of it decoding and searching")
print(f"index run still writing when the load ended: {sys.argv[3]}; its summary: {sys.argv[4]}")
PY
    echo "1,000,000 images; wrk -t2 -c16 -d${seconds}s, GET /api/images/RANDOM/similar?k=10${SIMILAR_FLAGS:-}; search ms: the server's own time per query (median, p99 of 300)"
    echo "memory: resident (RSS), its peak, and its two parts: heap (anonymous) and file (the database pages SQLite's memory map touched)"
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

bench_dupes() {
    scripts/setup.sh
    scripts/build-release.sh imgsearch
    local imgsearch=$root/.build/release/imgsearch
    [ -d "$shared/data/cifar10" ] || { echo "bench: ../shared/data is absent" >&2; exit 1; }
    PEER_MODULES="PIL, numpy" ensure_peers pillow numpy || { echo "bench: dupes needs Pillow and numpy" >&2; exit 1; }
    local work
    work=$(mktemp -d /tmp/imgsearch-bench-dupes.XXXXXX)
    trap 'rm -rf "$work"' RETURN
    mkdir "$work/originals"
    cifar_links "$work/originals" 100
    "$peers_python" scripts/bench/make_variants.py "$work/originals" "$work/variants"
    "$imgsearch" index "$work/originals" --db "$work/index.sqlite" > /dev/null 2>&1
    machine
    echo "real-code distances (query -k 2 for every original and copy):"
    "$imgsearch" query --db "$work/index.sqlite" --json -k 2 "$work"/originals/* "$work"/variants/*/* |
        python3 scripts/bench/dupes_report.py
    echo
    echo "imgsearch dupes (defaults) on one index of the 1,000 originals and their 3,000 copies:"
    "$imgsearch" index "$work/variants" --db "$work/index.sqlite" > /dev/null 2>&1
    "$imgsearch" dupes --db "$work/index.sqlite" --json 2> /dev/null | python3 scripts/bench/dupes_groups_report.py 1000
    echo
    echo "imgsearch dupes (defaults) on the 50,000 CIFAR-10 training images as they are:"
    "$imgsearch" index "$shared/data/cifar10/train" --db "$work/cifar.sqlite" > /dev/null 2>&1
    /usr/bin/time -f 'dupes took %e s, peak RSS %M KB' "$imgsearch" dupes --db "$work/cifar.sqlite" 2>&1 | grep -E "groups of|took"
}

case "$1" in
    dupes) bench_dupes ;;
    decode) bench_decode ;;
    decode-formats) scripts/build-release.sh imgsearch-bench && machine && bench_decode_formats ;;
    decode-hostile) bench_decode_hostile ;;
    index) bench_index ;;
    query) bench_query ;;
    serve) bench_serve ;;
    *) usage ;;
esac
