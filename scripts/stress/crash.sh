# Crash safety: SIGKILL `imgsearch index` at random moments.
#
# After every kill the database must pass PRAGMA integrity_check, its packed
# hash blocks must equal its rows, a query must work, and every row that was
# there after the previous kill must still be there with the same hash (what
# was committed is never lost). When a run completes before its kill the
# result is compared with the reference and the database is started afresh,
# so that later kills still land mid-run. A final run on the last
# interrupted state must give exactly the reference's paths and hashes.

case_sigkill() {
    local kills=${STRESS_KILLS:-24} db="$work/crash.sqlite" passed=0 lost=0 completed=0 killed=0 try=0
    local previous="$work/crash-previous.jsonl" current="$work/crash-current.jsonl"
    : > "$previous"
    # Kill moments spread over the whole run, start-up included.
    local window=$(( reference_ms * 11 / 10 + 1 ))
    # Until `kills` kills have landed mid-run (a run that finishes before
    # its kill does not count as one), at most three times as many tries.
    while [ "$killed" -lt "$kills" ] && [ "$try" -lt $((3 * kills)) ]; do
        try=$((try + 1))
        "$bin" index "$photos" --db "$db" --json > /dev/null 2>> "$work/logs/sigkill.err" &
        local pid=$!
        local delay=$(( (RANDOM * 32768 + RANDOM) % window ))
        sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
        kill -KILL "$pid" 2>/dev/null || true
        local status=0
        wait "$pid" 2>/dev/null || status=$?  # quiet: no "Killed" line from bash
        local ok=1
        [ "$status" -eq 137 ] && killed=$((killed + 1))
        if [ "$status" -ne 0 ] && [ "$status" -ne 137 ]; then
            log "sigkill try $try: index exited $status before the kill"
            ok=0
        fi
        if [ -f "$db" ]; then
            local check
            check=$("${dbtool[@]}" check "$db" 2>&1) || true
            if [ "$check" != "ok" ]; then
                log "sigkill try $try (after ${delay} ms): $check"
                ok=0
            fi
            "${dbtool[@]}" snapshot "$db" "$current"
            local gone
            gone=$("${dbtool[@]}" lost "$previous" "$current")
            lost=$((lost + gone))
            [ "$gone" -eq 0 ] || { log "sigkill try $try: $gone committed rows lost"; ok=0; }
            if [ "$(wc -l < "$current")" -gt 0 ]; then
                local query=0
                "$bin" query "$photos/airplane/0000.jpg" --db "$db" -k 3 --json > /dev/null 2>> "$work/logs/sigkill.err" || query=$?
                [ "$query" -eq 0 ] || { log "sigkill try $try: query failed with $query"; ok=0; }
            fi
            cp "$current" "$previous"
            if [ "$status" -eq 0 ]; then
                # Finished before the kill: it must equal the reference.
                completed=$((completed + 1))
                local differences
                differences=$(differences_from_reference "$db")
                [ "$differences" -eq 0 ] || { log "sigkill try $try: completed run differs in $differences rows"; ok=0; lost=$((lost + differences)); }
                rm -f "$db" "$db-wal" "$db-shm"
                : > "$previous"
            fi
        fi
        [ $ok -eq 1 ] && passed=$((passed + 1))
    done
    # The final run from the last interrupted state.
    local final_ok=0 status=0
    "$bin" index "$photos" --db "$db" --json > /dev/null 2>> "$work/logs/sigkill.err" || status=$?
    local differences
    differences=$(differences_from_reference "$db")
    if [ "$status" -eq 0 ] && [ "$differences" -eq 0 ] && [ "$("${dbtool[@]}" check "$db")" = "ok" ]; then
        final_ok=1
    else
        log "sigkill final run: status $status, $differences rows differ from the reference"
    fi
    lost=$((lost + differences))
    [ "$killed" -ge "$kills" ] || { log "sigkill: only $killed kills landed mid-run"; final_ok=0; }
    record sigkill $((try + 1)) $((passed + final_ok)) "$lost" \
        "$killed kills mid-run at 0-$window ms ($completed runs finished first and equalled the reference), then a final run equal to it"
}
