#!/usr/bin/env bash
# The main job, end to end on a fresh machine:
#
#   scripts/demo.sh [DIR]
#
# Installs what the build needs, builds imgsearch, and runs it over DIR's
# images. Without DIR it uses a small set of real photographs from Debian's
# lomiri-wallpapers-16.04 package (downloaded with apt-get, not installed).
#
# What it runs today: `imgsearch thumbnail` on every image, writing the
# 32x32 picture the model sees to $IMGSEARCH_DEMO_OUT (default
# /tmp/imgsearch-demo) and naming every file it cannot decode. Indexing and
# querying join when they land (see README.md, Status).
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

swift build -c release --product imgsearch >&2
imgsearch=.build/release/imgsearch

mkdir -p "$out/thumbnails"
made=0 failed=0
while IFS= read -r -d '' file; do
    name=$(basename "$file")
    if "$imgsearch" thumbnail "$file" -o "$out/thumbnails/${name%.*}.png"; then
        made=$((made + 1))
    else
        failed=$((failed + 1))
    fi
done < <(find "$folder" -type f -print0 | sort -z)
echo "demo: $made thumbnails in $out/thumbnails, $failed files could not be decoded"
