#!/usr/bin/env bash
# The web page of `imgsearch serve` in a real browser: indexes a small
# folder of ../shared/data/coil17 (a few objects in several poses, plus two
# identical copies of one file, so that similar images and a duplicate group
# exist), serves it on a free loopback port (and once more with an access
# token) and drives the page in a headless Chromium with Selenium
# (scripts/browser/test_page.py), at a desktop's and at a phone's width.
# Screenshots of each view go to artifacts/screenshots/.
#
# Installs chromium, chromium-driver (apt) and selenium (pip) when missing.
# Skips when ../shared/data is absent. Exit status: 0 passed or skipped,
# non-zero failed.
set -euo pipefail
cd "$(dirname "$0")/.."

data=../shared/data/coil17
if [ ! -d ../shared/data ]; then
    echo "test-browser: skipping: ../shared/data is absent"
    exit 0
fi
if [ ! -d "$data" ]; then
    echo "test-browser: skipping: $data is absent"
    exit 0
fi

# ---- What the test needs -------------------------------------------------
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
apt_updated=""
apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "test-browser: $* missing, and this is not a Debian/Ubuntu system: install them." >&2
        exit 1
    fi
    echo "test-browser: installing $*" >&2
    if [ -z "$apt_updated" ]; then
        $sudo apt-get update -qq
        apt_updated=yes
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    apt_install chromium chromium-driver
fi
if ! python3 -c "import selenium" >/dev/null 2>&1; then
    echo "test-browser: installing selenium" >&2
    # Debian's own python3 refuses pip installs (PEP 668), or has no pip: then its package.
    if ! PIP_ROOT_USER_ACTION=ignore python3 -m pip install -q selenium; then
        apt_install python3-selenium
    fi
    python3 -c "import selenium" || { echo "test-browser: selenium could not be installed for $(command -v python3)" >&2; exit 1; }
fi

swift build --product imgsearch
imgsearch=.build/debug/imgsearch

# ---- A small index, outside the checkout --------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/imgsearch-browser.XXXXXX")
server_pids=()
cleanup() {
    for pid in "${server_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# Five objects unlike each other and not round (a round one looks the same in
# every pose, a duplicate group of all of them), 18 poses each (every 20 degrees): 90 files, two pages of the
# grid; then one more pose twice, under two names: a duplicate group.
mkdir -p "$work/photos"
for object in obj1 obj19 obj28 obj46 obj48; do
    mkdir -p "$work/photos/$object"
    for angle in $(seq 0 20 340); do
        cp "$data/$object/${object}__$angle.png" "$work/photos/$object/"
    done
done
mkdir -p "$work/photos/copies"
cp "$data/obj28/obj28__5.png" "$work/photos/copies/first.png"
cp "$data/obj28/obj28__5.png" "$work/photos/copies/second.png"
echo "not a picture" > "$work/not-an-image.txt"

# A new index gets the shipped default model (index/default-model.isae).
"$imgsearch" index --db "$work/index.sqlite" "$work/photos" >"$work/index.log" 2>&1 || {
    cat "$work/index.log" >&2
    echo "test-browser: imgsearch index failed" >&2
    exit 1
}

# ---- The servers, on free loopback ports ----------------------------------
# `--port 0` takes any free port; the server prints its address on stdout
# (`imgsearch serve: DB at http://127.0.0.1:PORT/`) once it listens. A second
# one over the same index wants an access token, which the page must keep in
# its cookie.
server_failed() {
    echo "test-browser: $1; the servers' output:" >&2
    for log in "$work"/server-*.out "$work"/server-*.log; do
        [ -f "$log" ] && { echo "== $log" >&2; tail -n 40 "$log" >&2; }
    done
    exit 1
}
# start_server NAME ARGUMENTS...: starts it and sets $address (no final slash).
start_server() {
    local name=$1
    shift
    "$imgsearch" serve --db "$work/index.sqlite" --port 0 "$@" >"$work/server-$name.out" 2>"$work/server-$name.log" &
    local pid=$!
    server_pids+=("$pid")
    address=""
    local printed
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || server_failed "imgsearch serve ($name) exited"
        printed=$(grep -o 'http://[^ ]*' "$work/server-$name.out" | head -n 1 || true)
        if [ -n "$printed" ]; then
            address=${printed%/}
            return 0
        fi
        sleep 0.2
    done
    server_failed "imgsearch serve ($name) printed no address within 60 s"
}
start_server plain
base=$address
python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/api/info", timeout=30)' "$base" ||
    server_failed "GET $base/api/info failed"
token=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
start_server token --token "$token"
token_base=$address
echo "test-browser: serving at $base, and with a token at $token_base"

# ---- The browser ------------------------------------------------------------
mkdir -p artifacts/screenshots
if ! python3 scripts/browser/test_page.py --base "$base" \
        --upload "$work/photos/obj48/obj48__40.png" \
        --copies "$work/photos/copies/first.png" "$work/photos/copies/second.png" \
        --not-image "$work/not-an-image.txt" \
        --token-base "$token_base" --token "$token" --out artifacts/screenshots; then
    server_failed "the browser test failed"
fi
echo "test-browser: passed; screenshots in artifacts/screenshots/"
