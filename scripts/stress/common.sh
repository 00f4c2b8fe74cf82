# Shared by the scripts/stress/*.sh cases: the workspace, the reference
# index, the result rows and the table. Sourced by scripts/stress.sh.

data="$repository/../shared/data"
dbtool=(python3 "$repository/scripts/stress/dbtool.py")
images=${STRESS_IMAGES:-3000}
rows=()
mounts=()
background=()

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# record CASE TRIES PASSED LOST [NOTE]: one row of the table.
record() {
    rows+=("$1|$2|$3|$4|${5:-}")
    log "$1: $3/$2 passed, data lost $4 ${5:+($5)}"
}

cleanup() {
    for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
    for mount in "${mounts[@]}"; do umount "$mount" 2>/dev/null || true; done
    if [ -n "${work:-}" ] && [ -z "${STRESS_KEEP:-}" ]; then
        chmod -R u+rwX "$work" 2>/dev/null || true
        rm -rf "$work"
    fi
}

# A crash or a hang: killed by a signal (128+N) or by `timeout` (124).
is_crash() { [ "$1" -ge 124 ]; }

# copy_photos FOLDER COUNT: COUNT CIFAR-10 training JPEGs, spread over the
# ten class folders, as FOLDER/<class>/NNNN.jpg.
copy_photos() {
    local folder=$1 count=$2 per_class=$(( ($2 + 9) / 10 )) copied=0
    for class in airplane automobile bird cat deer dog frog horse ship truck; do
        mkdir -p "$folder/$class"
        for ((number = 0; number < per_class && copied < count; number++)); do
            cp "$data/cifar10/train/$class/$(printf %04d $number).jpg" "$folder/$class/"
            copied=$((copied + 1))
        done
    done
}

# The built tool, the photo folder and the reference: an uninterrupted
# index of it, which every other run of the same folder must equal.
prepare_workspace() {
    if [ ! -d "$data/cifar10" ]; then
        echo "stress: needs ../shared/data (the shared test data beside the repository)" >&2
        exit 1
    fi
    if [ -n "${IMGSEARCH_BIN:-}" ]; then
        bin=$IMGSEARCH_BIN
    else
        scripts/setup.sh
        swift build --product imgsearch >&2
        bin="$(swift build --show-bin-path)/imgsearch"
    fi
    export IMGSEARCH_MODEL="$repository/index/default-model.isae"
    work=$(cd "$(mktemp -d /tmp/imgsearch-stress.XXXXXX)" && pwd -P)  # real path: the index stores real paths
    chmod 755 "$work"
    trap cleanup EXIT
    mkdir -p "$work/logs"
    photos="$work/photos"
    copy_photos "$photos" "$images"
    local start=$(date +%s%N)
    "$bin" index "$photos" --db "$work/reference.sqlite" --json > "$work/logs/reference.json" 2> "$work/logs/reference.err"
    reference_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    "${dbtool[@]}" snapshot "$work/reference.sqlite" "$work/reference.jsonl"
    log "reference: $(cat "$work/logs/reference.json") in ${reference_ms} ms with $bin"
}

# differences_from_reference DB: rows of the reference missing or different in DB,
# plus rows in DB that the reference does not have.
differences_from_reference() {
    "${dbtool[@]}" snapshot "$1" "$work/compare.jsonl"
    local missing extra
    missing=$("${dbtool[@]}" lost "$work/reference.jsonl" "$work/compare.jsonl")
    extra=$("${dbtool[@]}" lost "$work/compare.jsonl" "$work/reference.jsonl")
    echo $((missing + extra))
}

print_table() {
    local failed=0 row name tries passed lost note
    printf '\n%-20s %6s %7s %10s  %s\n' case tries passed "data lost" note
    for row in "${rows[@]}"; do
        IFS='|' read -r name tries passed lost note <<< "$row"
        printf '%-20s %6s %7s %10s  %s\n' "$name" "$tries" "$passed" "$lost" "$note"
        if [ "$tries" != "pending" ] && { [ "$passed" != "$tries" ] || { [ "$lost" != "0" ] && [ "$lost" != "-" ]; }; }; then
            failed=1
        fi
    done
    if [ $failed -ne 0 ]; then
        echo "stress: some cases failed (logs kept in $work/logs)" >&2
        STRESS_KEEP=1
        exit 1
    fi
}
