#!/usr/bin/env bash
# The main job, end to end on a fresh machine:
#
#   scripts/demo.sh [DIR]
#
# Installs what the build needs, builds imgsearch, and runs it over DIR's
# images. Without DIR it uses a small set of real photographs from Debian's
# lomiri-wallpapers-16.04 package (downloaded with apt-get, not installed).
#
# It indexes the folder into $IMGSEARCH_DEMO_OUT/index.sqlite (default
# /tmp/imgsearch-demo) with the shipped default model, queries the first
# image, prints the results and writes them as an HTML page with thumbnails
# ($IMGSEARCH_DEMO_OUT/results.html) to look at in a browser. Run it again
# and the index is only brought up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
out=${IMGSEARCH_DEMO_OUT:-/tmp/imgsearch-demo}

folder=${1:-}
if [ -z "$folder" ]; then
    folder="$out/photos"
    if [ ! -d "$folder" ]; then
        echo "demo: fetching photographs from Debian's lomiri-wallpapers-16.04 package" >&2
        download=$(mktemp -d)
        if ! (cd "$download" && apt-get download -qq lomiri-wallpapers-16.04 2>/dev/null); then
            apt-get update -qq >/dev/null 2>&1 || true
            (cd "$download" && apt-get download -qq lomiri-wallpapers-16.04)
        fi
        dpkg-deb -x "$download"/lomiri-wallpapers-16.04_*.deb "$download/root"
        mkdir -p "$folder"
        find "$download/root" -name '*.jpg' -exec cp {} "$folder/" \;
        rm -rf "$download"
    fi
fi
[ -d "$folder" ] || { echo "demo: $folder is not a folder" >&2; exit 64; }

scripts/build-release.sh imgsearch
imgsearch=.build/release/imgsearch

database="$out/index.sqlite"
# Exit status 3 means some files could not be decoded: they are named above
# and the rest is indexed, so the demo goes on.
"$imgsearch" index "$folder" --db "$database" || [ $? -eq 3 ]
query=$(find "$folder" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | sort | head -n 1)
echo "demo: images most similar to $query"
"$imgsearch" query "$query" --db "$database" -k 8 --html "$out/results.html"
echo "demo: results page written to $out/results.html"
