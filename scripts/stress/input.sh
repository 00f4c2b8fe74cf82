# Hostile input: damaged files, decompression bombs, odd paths.

# Every damaged JPEG in ../shared/data/corrupt and PngSuite's invalid
# x*.png, with 30 good images, indexed as one folder: no crash, no hang,
# every bad file named with its reason, every good one indexed.
case_hostile_folder() {
    local folder="$work/hostile" db="$work/hostile.sqlite" log="$work/logs/hostile-folder.err"
    mkdir -p "$folder/pngsuite-x"
    cp -r "$data/corrupt" "$folder/corrupt"
    cp "$data"/pngsuite/x*.png "$folder/pngsuite-x/"
    copy_photos "$folder/good" 30
    local status=0
    /usr/bin/time -f '%M %e' -o "$work/hostile.time" timeout -s KILL 600 \
        "$bin" index "$folder" --db "$db" --json > "$work/hostile.json" 2> "$log" || status=$?
    local files named indexed unaccounted missing
    read -r files named indexed unaccounted missing < <("${dbtool[@]}" account "$folder" "$db" "$log" "$folder/good" 2>> "$log.unaccounted")
    local passed=$((files - unaccounted))
    if [ "$status" -ne 3 ]; then
        log "hostile-folder: index exited $status"
        passed=$((passed - 1))
    fi
    local rss seconds
    read -r rss seconds < <(tail -1 "$work/hostile.time")  # after "Command exited with non-zero status"
    record hostile-folder "$files" "$passed" "$missing" \
        "exit $status; $named named with a reason, $indexed indexed; ${seconds}s, peak RSS $((rss / 1024)) MB"
}

# Decompression bombs made here: headers claiming 65535 x 65535, a real
# 20000 x 20000 one-colour PNG (refused by the pixel limit) and a real
# 10000 x 10000 one (at the limit: decoded). Peak RSS measured per run.
case_bombs() {
    local folder="$work/bombs" tries=0 passed=0 notes=""
    mkdir -p "$folder"
    "${dbtool[@]}" bombs "$folder" > "$work/logs/bombs.sizes"
    local file
    for file in header-65535.png header-65535.jpg real-20000-one-colour.png real-10000-one-colour.png; do
        tries=$((tries + 1))
        local log="$work/logs/bombs-$file.err" status=0
        /usr/bin/time -f '%M %e' -o "$work/bomb.time" timeout -s KILL 300 \
            "$bin" thumbnail "$folder/$file" -o "$work/bomb-thumbnail.png" > /dev/null 2> "$log" || status=$?
        local rss seconds
        read -r rss seconds < <(tail -1 "$work/bomb.time")
        local mb=$((rss / 1024)) ok=0
        case $file in
            real-10000-one-colour.png)
                # Within the limit: decoded; bounded by the 100 M pixel limit (300 MB of RGB).
                [ "$status" -eq 0 ] && [ "$mb" -lt 1024 ] && ok=1 ;;
            *)
                expect_clear_error "$status" "$log" "$file" "image too large" && [ "$mb" -lt 100 ] && ok=1 ;;
        esac
        [ $ok -eq 1 ] && passed=$((passed + 1)) || log "bombs $file: status $status, $mb MB: $(cat "$log")"
        notes+="$file ($(grep -F "$file" "$work/logs/bombs.sizes" | awk '{print $2}') B) ${mb} MB ${seconds}s; "
    done
    # All of them in one folder to index: the refused ones named, the other indexed.
    tries=$((tries + 1))
    local status=0 log="$work/logs/bombs-index.err"
    /usr/bin/time -f '%M %e' -o "$work/bomb.time" timeout -s KILL 600 \
        "$bin" index "$folder" --db "$work/bombs.sqlite" > /dev/null 2> "$log" || status=$?
    local rss seconds
    read -r rss seconds < <(tail -1 "$work/bomb.time")
    if [ "$status" -eq 3 ] && [ "$(grep -c "image too large" "$log")" -eq 3 ] && [ "$("${dbtool[@]}" count "$work/bombs.sqlite")" -eq 1 ]; then
        passed=$((passed + 1))
    else
        log "bombs index: status $status: $(cat "$log")"
    fi
    notes+="index of all: $((rss / 1024)) MB ${seconds}s"
    record bombs "$tries" "$passed" - "peak RSS and time: $notes"
}

# Odd names and odd files. As root the index runs as user nobody, so that
# an unreadable file is really unreadable.
case_odd_paths() {
    local folder="$work/odd" db="$work/odd-db/index.sqlite" log="$work/logs/odd-paths.err"
    mkdir -p "$folder/x.jpg" "$folder/sub" "$work/odd-db"
    cp "$photos/airplane/0000.jpg" "$folder/with space.jpg"
    cp "$photos/airplane/0001.jpg" "$folder/new"$'\n'"line.jpg"
    cp "$photos/airplane/0002.jpg" "$folder/latin1-"$'\xe9'".jpg"
    cp "$photos/airplane/0003.jpg" "$folder/x.jpg/inside.jpg"
    cp "$photos/airplane/0004.jpg" "$folder/unreadable.jpg"
    : > "$folder/empty.jpg"
    ln -s loop2.jpg "$folder/loop1.jpg"
    ln -s loop1.jpg "$folder/loop2.jpg"
    ln -s .. "$folder/sub/up"
    ln -s nowhere.jpg "$folder/dangling.jpg"
    mkfifo "$folder/pipe.jpg"
    cp "$photos/cat/0000.jpg" "$folder/changing.jpg"
    local runner=() who=root
    if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null; then
        chown -R 65534:65534 "$folder" "$work/odd-db"
        runner=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
        who=nobody
    fi
    chmod 000 "$folder/unreadable.jpg"

    # A writer rewrites changing.jpg in place (truncate, then write) with
    # one picture or another, as fast as it can, while index runs.
    (while :; do cat "$photos/cat/0001.jpg" > "$folder/changing.jpg"; cat "$photos/cat/0002.jpg" > "$folder/changing.jpg"; done) 2>/dev/null &
    local writer=$!
    background+=("$writer")
    local runs=0 run_failures=0 status
    for ((runs = 1; runs <= 5; runs++)); do
        status=0
        timeout -s KILL 120 "${runner[@]}" "$bin" index "$folder" --db "$db" > /dev/null 2> "$log.$runs" || status=$?
        [ "$status" -eq 3 ] || { log "odd-paths: index run $runs exited $status"; run_failures=$((run_failures + 1)); }
    done
    kill "$writer"; wait "$writer" 2>/dev/null || true
    cp "$photos/cat/0002.jpg" "$folder/changing.jpg"
    chown 65534:65534 "$folder/changing.jpg" 2>/dev/null || true
    status=0
    "${runner[@]}" "$bin" index "$folder" --db "$db" > /dev/null 2> "$log" || status=$?

    local tries=0 passed=0
    check() {  # check DESCRIPTION COMMAND...: one try
        tries=$((tries + 1))
        if "${@:2}"; then passed=$((passed + 1)); else log "odd-paths: failed: $1"; fi
    }
    indexed() { "${dbtool[@]}" hash "$db" "$folder/$1" > /dev/null; }
    named() { grep -qF -- "$folder/$1: $2" "$log"; }
    check "index runs while a file changes: exit 3, no crash" [ "$run_failures" -eq 0 ]
    check "final index exits 3" [ "$status" -eq 3 ]
    check "a name with a space is indexed" indexed "with space.jpg"
    check "a name with a newline is indexed" indexed "new"$'\n'"line.jpg"
    check "a folder named x.jpg is walked" indexed "x.jpg/inside.jpg"
    check "a non-UTF-8 name is named" named 'latin1-\xe9.jpg' "file name is not valid UTF-8"
    check "a zero-byte file is named" named "empty.jpg" "corrupt image: empty file"
    check "a symlink loop is named" named "loop1.jpg" "Too many levels of symbolic links"
    check "a dangling symlink is named" named "dangling.jpg" "No such file or directory"
    check "a folder loop is walked once" bash -c "! grep -q /sub/up/ <(python3 '$repository/scripts/stress/dbtool.py' snapshot '$db' /dev/stdout)"
    if [ "$who" = nobody ]; then
        check "an unreadable file is named" named "unreadable.jpg" "cannot read file: Permission denied"
    fi
    local hash_here hash_fresh
    hash_here=$("${dbtool[@]}" hash "$db" "$folder/changing.jpg" || echo none)
    mkdir -p "$work/fresh"
    cp "$folder/changing.jpg" "$work/fresh/changing.jpg"
    "$bin" index "$work/fresh" --db "$work/fresh.sqlite" > /dev/null 2>> "$log"
    hash_fresh=$("${dbtool[@]}" hash "$work/fresh.sqlite" "$work/fresh/changing.jpg" || echo none)
    check "the file that changed is stored as it finally is" [ "$hash_here" = "$hash_fresh" ]
    query_fails_with() {  # query_fails_with FILE WORDS: exit 1 naming FILE, within 20 s
        local status=0
        timeout -s KILL 20 "$bin" query "$folder/$1" --db "$db" > /dev/null 2> "$work/odd-query.err" || status=$?
        expect_clear_error "$status" "$work/odd-query.err" "$folder/$1" "$2"
    }
    check "query of a FIFO fails at once" query_fails_with pipe.jpg "is not a regular file"
    check "query of a folder fails" query_fails_with x.jpg "is a directory"
    check "query by a name with a space finds itself" bash -c "'$bin' query '$folder/with space.jpg' --db '$db' -k 1 --paths | grep -qF 'with space.jpg'"
    record odd-paths "$tries" "$passed" - "as $who: spaces, newline, non-UTF-8, empty, folder x.jpg, symlink loops, dangling link, FIFO, unreadable, a file rewritten during 5 runs"
}
