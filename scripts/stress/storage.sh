# The database's storage misbehaving: a full disk, read-only storage,
# damaged bytes, a newer schema, a damaged model.

# expect_clear_error STATUS STDERR_FILE WORD...: exit 1, no crash, and an
# `Error: ` line containing every WORD.
expect_clear_error() {
    local status=$1 file=$2
    shift 2
    [ "$status" -eq 1 ] || return 1
    grep -q "^Error: " "$file" || return 1
    local word
    for word in "$@"; do grep -qF -- "$word" "$file" || return 1; done
}

# A tmpfs with a few KB free after the database's first folder: `index`
# must stop with a clear error, the database must stay intact and usable,
# and once space is freed the next run must end equal to the reference.
case_disk_full() {
    local mount="$work/tmpfs"
    mkdir -p "$mount"
    if ! mount -t tmpfs -o size=64m tmpfs "$mount" 2>/dev/null; then
        record disk-full 0 0 - "skipped: cannot mount a tmpfs (needs root)"
        return
    fi
    mounts+=("$mount")
    local tries=0 passed=0 lost=0 free
    for free in 16 64 256 1024; do
        tries=$((tries + 1))
        local db="$mount/full.sqlite" log="$work/logs/disk-full-$free.err"
        rm -f "$mount"/*
        "$bin" index "$photos/airplane" --db "$db" > /dev/null 2> "$log"
        "${dbtool[@]}" snapshot "$db" "$work/full-before.jsonl"
        # Fill the file system, leaving `free` KB.
        local available
        available=$(df --output=avail -k "$mount" | tail -1)
        [ "$available" -gt "$free" ] && fallocate -l $(( (available - free) * 1024 )) "$mount/filler"
        local status=0
        "$bin" index "$photos" --db "$db" > /dev/null 2>> "$log" || status=$?
        local ok=1
        { expect_clear_error "$status" "$log" "$db" "HINT: free some disk space" && grep -qE "disk is full|No space left on device" "$log"; } \
            || { log "disk-full $free KB: status $status: $(tail -3 "$log")"; ok=0; }
        [ "$("${dbtool[@]}" check "$db")" = "ok" ] || { log "disk-full $free KB: check failed"; ok=0; }
        "${dbtool[@]}" snapshot "$db" "$work/full-after.jsonl"
        local gone
        gone=$("${dbtool[@]}" lost "$work/full-before.jsonl" "$work/full-after.jsonl")
        # Still usable while full: a query answers.
        "$bin" query "$photos/airplane/0001.jpg" --db "$db" -k 1 > /dev/null 2>> "$log" || { log "disk-full $free KB: query failed"; ok=0; }
        rm -f "$mount/filler"
        local again=0
        "$bin" index "$photos" --db "$db" > /dev/null 2>> "$log" || again=$?
        local differences
        differences=$(differences_from_reference "$db")
        [ "$again" -eq 0 ] && [ "$differences" -eq 0 ] || { log "disk-full $free KB: rerun status $again, $differences differ"; ok=0; }
        lost=$((lost + gone + differences))
        [ $ok -eq 1 ] && passed=$((passed + 1))
    done
    umount "$mount" && unset 'mounts[-1]'
    record disk-full "$tries" "$passed" "$lost" "64 MB tmpfs filled to 16 KB-1 MB free during index; freed; rerun equals the reference"
}

# The database on read-only storage (a read-only bind mount as root;
# otherwise a read-only file in a read-only folder): query and info work,
# index and remove say why they cannot write, the file is unchanged.
case_read_only() {
    local source="$work/ro-source" target="$work/ro" tries=0 passed=0
    mkdir -p "$source" "$target"
    cp "$work/reference.sqlite" "$source/index.sqlite"
    local sum
    sum=$(sha256sum < "$source/index.sqlite")
    local how
    if mount --bind "$source" "$target" 2>/dev/null && mount -o remount,bind,ro "$target" 2>/dev/null; then
        mounts+=("$target")
        how="read-only bind mount"
    else
        rmdir "$target"
        chmod 444 "$source/index.sqlite"
        chmod 555 "$source"
        target=$source
        how="read-only file and folder"
    fi
    local db="$target/index.sqlite" log="$work/logs/read-only.err" status
    run_read_only_checks() {
        local runner=("$@")
        tries=$((tries + 4))
        status=0; "${runner[@]}" "$bin" query "$photos/cat/0001.jpg" --db "$db" -k 3 --json > "$work/ro.json" 2>> "$log" || status=$?
        [ "$status" -eq 0 ] && grep -q '"rank":1' "$work/ro.json" && passed=$((passed + 1)) || log "read-only: query exited $status"
        status=0; "${runner[@]}" "$bin" info --db "$db" > /dev/null 2>> "$log" || status=$?
        [ "$status" -eq 0 ] && passed=$((passed + 1)) || log "read-only: info exited $status"
        status=0; "${runner[@]}" "$bin" index "$photos/cat" --db "$db" > /dev/null 2> "$work/ro-index.err" || status=$?
        cat "$work/ro-index.err" >> "$log"
        expect_clear_error "$status" "$work/ro-index.err" "$db" "cannot be written" && passed=$((passed + 1)) || log "read-only: index exited $status"
        status=0; "${runner[@]}" "$bin" remove "$photos/cat/0001.jpg" --db "$db" > /dev/null 2> "$work/ro-remove.err" || status=$?
        cat "$work/ro-remove.err" >> "$log"
        expect_clear_error "$status" "$work/ro-remove.err" "$db" "cannot be written" && passed=$((passed + 1)) || log "read-only: remove exited $status"
    }
    run_read_only_checks
    # Root ignores file permissions; an unprivileged user does not.
    if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null; then
        local plain="$work/ro-plain"
        mkdir -p "$plain"
        cp "$work/reference.sqlite" "$plain/index.sqlite"
        chmod 444 "$plain/index.sqlite"
        chmod 755 "$plain"
        db="$plain/index.sqlite"
        run_read_only_checks setpriv --reuid=65534 --regid=65534 --clear-groups --
        how="$how, and a read-only file as user nobody"
        [ "$(sha256sum < "$plain/index.sqlite")" = "$sum" ] || { log "read-only: the plain file changed"; passed=$((passed - 1)); }
    fi
    local lost=0
    [ "$(sha256sum < "$source/index.sqlite")" = "$sum" ] || lost=$("${dbtool[@]}" count "$work/reference.sqlite")
    record read-only "$tries" "$passed" "$lost" "$how: query and info work, index and remove refuse"
}

# Random damage to a copy of the reference database: every command either
# works or fails with a clear error naming the database; none crashes or hangs.
case_corrupt_db() {
    local tries=0 passed=0 seed kinds=""
    for ((seed = 1; seed <= 30; seed++)); do
        local db="$work/corrupt.sqlite" log="$work/logs/corrupt-db-$seed.err"
        rm -f "$db" "$db-wal" "$db-shm"
        cp "$work/reference.sqlite" "$db"
        kinds+="$("${dbtool[@]}" corrupt "$db" "$seed") "
        local command
        for command in query info index; do
            tries=$((tries + 1))
            local status=0
            case $command in
                query) timeout -s KILL 60 "$bin" query "$data/cifar10/train/cat/4999.jpg" --db "$db" -k 5 > /dev/null 2> "$log" || status=$? ;;
                info) timeout -s KILL 60 "$bin" info --db "$db" > /dev/null 2> "$log" || status=$? ;;
                index) timeout -s KILL 120 "$bin" index "$photos/airplane" --db "$db" > /dev/null 2> "$log" || status=$? ;;
            esac
            if is_crash "$status"; then
                log "corrupt-db seed $seed: $command crashed or hung (status $status)"
            elif [ "$status" -eq 1 ] && ! { grep -q "^Error: " "$log" && grep -qF "$db" "$log"; }; then
                log "corrupt-db seed $seed: $command failed without naming the database: $(head -c 300 "$log")"
            else
                passed=$((passed + 1))
            fi
        done
    done
    local summary
    summary=$(tr ' ' '\n' <<< "$kinds" | grep -v '^$' | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')
    record corrupt-db "$tries" "$passed" - "30 damaged copies ($summary) x query, info, index"
}

# A database from a newer imgsearch: every command refuses it naming both
# versions, and leaves the file as it was.
case_newer_schema() {
    local db="$work/newer.sqlite" log="$work/logs/newer-schema.err" tries=0 passed=0
    cp "$work/reference.sqlite" "$db"
    "${dbtool[@]}" set-version "$db" 99
    local sum
    sum=$(sha256sum < "$db")
    local command
    for command in query info index remove; do
        tries=$((tries + 1))
        local status=0
        case $command in
            query) "$bin" query "$photos/cat/0001.jpg" --db "$db" > /dev/null 2> "$log" || status=$? ;;
            info) "$bin" info --db "$db" > /dev/null 2> "$log" || status=$? ;;
            index) "$bin" index "$photos/cat" --db "$db" > /dev/null 2> "$log" || status=$? ;;
            remove) "$bin" remove "$photos/cat/0001.jpg" --db "$db" > /dev/null 2> "$log" || status=$? ;;
        esac
        expect_clear_error "$status" "$log" "$db" "schema version 99" "versions up to 1" && passed=$((passed + 1)) \
            || log "newer-schema: $command exited $status: $(cat "$log")"
    done
    local lost=0
    [ "$(sha256sum < "$db")" = "$sum" ] || lost=$("${dbtool[@]}" count "$work/reference.sqlite")
    record newer-schema "$tries" "$passed" "$lost" "user_version 99: query, info, index, remove refuse naming 99 and 1"
}

# Damaged model files, given to a new index, and a damaged model stored in
# an index: a clear error naming the model, no crash, nothing half-made.
case_corrupt_model() {
    local folder="$work/models" tries=0 passed=0 model="$IMGSEARCH_MODEL"
    mkdir -p "$folder"
    local size
    size=$(stat -c %s "$model")
    head -c $((size / 2)) "$model" > "$folder/truncated.isae"
    head -c 100 "$model" > "$folder/header-only.isae"
    : > "$folder/empty.isae"
    cp "$model" "$folder/flipped.isae"
    printf '\x55' | dd of="$folder/flipped.isae" bs=1 seek=$((size / 3)) conv=notrunc status=none
    cp "$photos/airplane/0000.jpg" "$folder/a-photo.isae"
    local file
    for file in truncated header-only empty flipped a-photo missing; do
        tries=$((tries + 1))
        local db="$work/model-$file.sqlite" log="$work/logs/corrupt-model-$file.err" status=0
        IMGSEARCH_MODEL="$folder/$file.isae" "$bin" index "$photos/airplane" --db "$db" > /dev/null 2> "$log" || status=$?
        local images=0
        [ -f "$db" ] && images=$("${dbtool[@]}" count "$db")
        expect_clear_error "$status" "$log" "$file.isae" && [ "$images" -eq 0 ] && passed=$((passed + 1)) \
            || log "corrupt-model $file: status $status, $images images: $(cat "$log")"
    done
    # A model damaged inside the index: query of a new image and index fail clearly.
    local db="$work/model-inside.sqlite" log="$work/logs/corrupt-model-inside.err"
    cp "$work/reference.sqlite" "$db"
    "${dbtool[@]}" cut-model "$db"
    local status
    for command in query index; do
        tries=$((tries + 1))
        status=0
        case $command in
            query) "$bin" query "$data/cifar10/train/cat/4999.jpg" --db "$db" > /dev/null 2> "$log" || status=$? ;;
            index) "$bin" index "$photos/airplane" --db "$db" > /dev/null 2> "$log" || status=$? ;;
        esac
        expect_clear_error "$status" "$log" "in $db" "truncated" && passed=$((passed + 1)) \
            || log "corrupt-model inside: $command exited $status: $(cat "$log")"
    done
    local lost
    lost=$(( $("${dbtool[@]}" count "$work/reference.sqlite") - $("${dbtool[@]}" count "$db") ))
    record corrupt-model "$tries" "$passed" "$lost" "truncated, header-only, empty, one byte changed, a JPEG, missing; and a model cut short inside an index"
}
