#!/usr/bin/env bash
# Hamming search benchmark: imgsearch's flat, scan, bucket and multi-index search
# beside FAISS's binary indexes (../shared/bench/faiss_binary.py), on the same
# code files, in the same run, with an exactness check (the distances at every
# rank must equal FAISS IndexBinaryFlat's).
#
#   scripts/bench-hamming.sh                  # 1M and 10M codes, 1 and 2 threads
#   SIZES=1000000 THREADS=1 scripts/bench-hamming.sh
#
# Files go to bench-results/hamming/ (git-ignored). The peer needs a Python
# virtual environment with faiss-cpu and numpy in /tmp/peers (PEERS to change
# it); it is created when missing, and the peer is skipped, with a message,
# when it cannot be.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000000 10000000"}
THREADS=${THREADS:-"1 2"}
KINDS=${KINDS:-"random clustered"}
INDEXES=${INDEXES:-"flat scan bucket mih"}
K=${K:-10}
PEERS=${PEERS:-/tmp/peers}
PEER_SCRIPT=../shared/bench/faiss_binary.py
OUT=bench-results/hamming
mkdir -p "$OUT"

scripts/build-release.sh imgsearch-bench
BENCH=$(swift build -c release --static-swift-stdlib --show-bin-path)/imgsearch-bench

peer=""
if [ ! -f "$PEER_SCRIPT" ]; then
    echo "bench-hamming: $PEER_SCRIPT is missing: running without the FAISS peer." >&2
elif "$PEERS/bin/python" -c "import faiss, numpy" 2>/dev/null; then
    peer="$PEERS/bin/python"
else
    echo "bench-hamming: creating $PEERS with faiss-cpu and numpy" >&2
    if { [ -x "$PEERS/bin/python" ] || python3 -m venv "$PEERS"; } &&
        "$PEERS/bin/pip" install -q faiss-cpu numpy >&2 &&
        "$PEERS/bin/python" -c "import faiss, numpy" 2>/dev/null; then
        peer="$PEERS/bin/python"
    else
        echo "bench-hamming: cannot set up FAISS in $PEERS: running without the peer (no ratios, no exactness check against FAISS)." >&2
    fi
fi

cpu=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
flags=$(grep -m1 "^flags" /proc/cpuinfo)
simd="avx2:$(grep -qw avx2 <<<"$flags" && echo yes || echo no) avx512vpopcntdq:$(grep -qw avx512_vpopcntdq <<<"$flags" && echo yes || echo no)"
echo "machine: $cpu, $(nproc) cores, $simd; $(swift --version 2>&1 | head -1)"
echo "command: SIZES=\"$SIZES\" THREADS=\"$THREADS\" K=$K scripts/bench-hamming.sh"

rows=$OUT/rows.tsv
: >"$rows"
for size in $SIZES; do
    for kind in $KINDS; do
        name=$kind-$size
        codes=$OUT/$name.codes.u32 queries=$OUT/$name.queries.u32
        if [ ! -s "$codes" ] || [ ! -s "$queries" ]; then
            "$BENCH" generate --kind "$kind" --count "$size" --codes-out "$codes" --queries-out "$queries" >&2
        fi
        for threads in $THREADS; do
            faiss_batch="-" faiss_single="-" faiss_out=""
            if [ -n "$peer" ]; then
                faiss_out=$OUT/$name.t$threads.faiss.txt
                "$peer" "$PEER_SCRIPT" --codes "$codes" --queries "$queries" --k "$K" --threads "$threads" \
                    --out "$faiss_out" | tee "$OUT/$name.t$threads.faiss.log" >&2
                faiss_batch=$(awk '/^IndexBinaryFlat  /{for(i=1;i<=NF;i++) if($i=="ms/query") print $(i+1)}' "$OUT/$name.t$threads.faiss.log")
                faiss_single=$(awk '/^IndexBinaryFlat single/{for(i=1;i<=NF;i++) if($i=="ms/query") print $(i+1)}' "$OUT/$name.t$threads.faiss.log")
            fi
            for index in $INDEXES; do
                ours_out=$OUT/$name.t$threads.$index.txt
                line=$("$BENCH" hamming --codes "$codes" --queries "$queries" --k "$K" --threads "$threads" \
                    --index "$index" --out "$ours_out")
                echo "$line" >&2
                printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$size" "$threads" "$index" "$line" \
                    "$faiss_batch" "$faiss_single" "$ours_out" "$faiss_out" >>"$rows"
            done
        done
    done
done

# The table: medians, ratios and the exactness check.
python3 - "$rows" <<'PY'
import sys

def field(line, name):
    parts = line.split()
    return float(parts[parts.index(name) + 1])

def distances(path):
    with open(path) as f:
        return [[int(pair.rsplit(":", 1)[1]) for pair in row.split()] for row in f]

rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
flat_latency = {}
for kind, size, threads, index, line, *_ in rows:
    if index == "flat":
        flat_latency[(kind, size, threads)] = field(line, "ms/query")
print()
print("| codes | N | threads | index | ms/query (median) | batch ms/query | FAISS flat ms/query (single / batch) | vs FAISS (single / batch) | vs our flat | exact vs FAISS flat |")
print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |")
for kind, size, threads, index, line, faiss_batch, faiss_single, ours_out, faiss_out in rows:
    latency, batch = field(line, "ms/query"), field(line, "batch-ms/query")
    name = index + (" m=" + line.split(" m=")[1].split()[0] if " m=" in line else "")
    if faiss_out:
        ours, theirs = distances(ours_out), distances(faiss_out)
        same = sum(a == b for a, b in zip(ours, theirs))
        exact = f"{'yes' if same == len(theirs) == len(ours) else 'NO'} ({same}/{len(theirs)} queries)"
        vs_faiss = f"{float(faiss_single) / latency:.1f}x / {float(faiss_batch) / batch:.1f}x"
        faiss = f"{float(faiss_single):.3f} / {float(faiss_batch):.3f}"
    else:
        exact, vs_faiss, faiss = "no peer", "-", "-"
    vs_flat = f"{flat_latency[(kind, size, threads)] / latency:.1f}x" if index != "flat" else "1x"
    print(f"| {kind} | {int(size):,} | {threads} | {name} | {latency:.4f} | {batch:.4f} | {faiss} | {vs_faiss} | {vs_flat} | {exact} |")
PY
