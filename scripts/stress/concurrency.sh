# Concurrent use of one database: queries while `index` runs, queries while
# `train` runs, two `index` runs at once.

# query_loop DB LOG WHILE_PID: queries until WHILE_PID exits; sets
# query_tries, query_errors, query_locked. Queries alternate between an
# indexed image (its stored code) and one that is not (decoded, encoded).
query_loop() {
    local db=$1 log=$2 pid=$3
    query_tries=0 query_errors=0 query_locked=0
    local queries=("$photos/airplane/0000.jpg" "$data/cifar10/train/cat/4999.jpg")
    while kill -0 "$pid" 2>/dev/null; do
        local status=0
        "$bin" query "${queries[query_tries % 2]}" --db "$db" -k 5 --json > /dev/null 2> "$work/query.err" || status=$?
        query_tries=$((query_tries + 1))
        if [ "$status" -ne 0 ]; then
            query_errors=$((query_errors + 1))
            cat "$work/query.err" >> "$log"
        fi
        if grep -q "locked\|busy" "$work/query.err"; then query_locked=$((query_locked + 1)); fi
    done
}

case_query_during_index() {
    local db="$work/concurrent.sqlite" log="$work/logs/query-during-index.err"
    # A first folder indexed, then the whole set indexed while queries run.
    "$bin" index "$photos/airplane" --db "$db" > /dev/null 2>> "$log"
    "$bin" index "$photos" --db "$db" --json > /dev/null 2>> "$log" &
    local pid=$!
    query_loop "$db" "$log" "$pid"
    local status=0
    wait "$pid" || status=$?
    local differences
    differences=$(differences_from_reference "$db")
    local passed=$((query_tries - query_errors))
    [ "$status" -eq 0 ] || { log "query-during-index: index exited $status"; passed=$((passed - 1)); }
    record query-during-index "$query_tries" "$passed" "$differences" \
        "queries while index added $(( images - $(ls "$photos/airplane" | wc -l) )) images; $query_locked said locked or busy"
}

case_query_during_train() {
    if ! "$bin" train --help 2>&1 | grep -q -- "--db"; then
        record query-during-train pending pending - "needs \`imgsearch train --db\` (issue 5), not in this build"
        return
    fi
    local db="$work/train.sqlite" log="$work/logs/query-during-train.err"
    cp "$work/reference.sqlite" "$db"
    local before
    before=$("${dbtool[@]}" count "$db")
    "$bin" train --db "$db" --pretraining-epochs 1 --fine-tuning-epochs 1 --layers 3072,64,30 > /dev/null 2>> "$log" &
    local pid=$!
    query_loop "$db" "$log" "$pid"
    local status=0
    wait "$pid" || status=$?
    local after
    after=$("${dbtool[@]}" count "$db")
    local passed=$((query_tries - query_errors))
    [ "$status" -eq 0 ] || { log "query-during-train: train exited $status"; passed=$((passed - 1)); }
    [ "$("${dbtool[@]}" check "$db")" = "ok" ] || { log "query-during-train: check failed"; passed=$((passed - 1)); }
    record query-during-train "$query_tries" "$passed" $((before - after)) \
        "queries while train re-encoded $before images; $query_locked said locked or busy"
}

# Two `index` runs on one new database at once: the second must wait for
# the first (saying so) and then find everything done; neither may fail.
case_second_index() {
    local tries=3 passed=0 lost=0 waited=0
    for ((try = 1; try <= tries; try++)); do
        local db="$work/second-$try.sqlite" log="$work/logs/second-index-$try"
        "$bin" index "$photos" --db "$db" --json > "$log.1.json" 2> "$log.1.err" &
        local first=$!
        sleep 0.$((RANDOM % 10))
        local second_status=0 first_status=0
        "$bin" index "$photos" --db "$db" --json > "$log.2.json" 2> "$log.2.err" || second_status=$?
        wait "$first" || first_status=$?
        grep -q "waiting for it to finish" "$log.2.err" "$log.1.err" && waited=$((waited + 1))
        local differences
        differences=$(differences_from_reference "$db")
        lost=$((lost + differences))
        if [ "$first_status" -eq 0 ] && [ "$second_status" -eq 0 ] && [ "$differences" -eq 0 ] \
            && [ "$("${dbtool[@]}" check "$db")" = "ok" ]; then
            passed=$((passed + 1))
        else
            log "second-index try $try: exits $first_status and $second_status, $differences rows differ"
        fi
    done
    record second-index "$tries" "$passed" "$lost" "two index runs at once on a new database; the second waited $waited times"
}
