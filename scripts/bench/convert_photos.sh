#!/usr/bin/env bash
# Writes every JPEG of a folder (default ../shared/data/photos) in each
# format imgsearch reads, one subfolder per format, for the per-format rows
# of `scripts/bench.sh decode`:
#
#   scripts/bench/convert_photos.sh OUT [PHOTOS]
#
# OUT/{jpeg,png,tiff,bmp,gif,webp,heic,avif}/<name>.<ext>, from the same
# pixels at full size. Pillow writes PNG, TIFF (LZW), BMP and GIF (its
# adaptive 256-colour palette); Debian's cwebp writes WebP (-q 90) and
# heif-enc HEIC (-q 90, with a 320-pixel thumbnail, as phones write them)
# and AVIF (-q 90; libaom at speed 8, since its default takes minutes per
# photo; no thumbnail). Files already there are kept, so a second run is
# quick. OUT must be outside the repository: the files are never committed.
set -euo pipefail
out=${1:?usage: convert_photos.sh OUT [PHOTOS]}
photos=${2:-$(dirname "$0")/../../../shared/data/photos}
command -v cwebp >/dev/null && command -v heif-enc >/dev/null \
    || { echo "convert_photos: needs cwebp and heif-enc: apt-get install -y webp libheif-examples" >&2; exit 1; }
mkdir -p "$out"/{jpeg,png,tiff,bmp,gif,webp,heic,avif}
for photo in "$photos"/*.jpg; do
    name=$(basename "$photo" .jpg)
    [ -e "$out/jpeg/$name.jpg" ] || cp "$photo" "$out/jpeg/$name.jpg"
    python3 - "$photo" "$out" "$name" <<'PY'
import os, sys
from PIL import Image
photo, out, name = sys.argv[1:]
image = Image.open(photo).convert("RGB")
for folder, ext, options in [("png", "png", {}), ("tiff", "tif", {"compression": "tiff_lzw"}),
                             ("bmp", "bmp", {}), ("gif", "gif", {})]:
    path = os.path.join(out, folder, f"{name}.{ext}")
    if not os.path.exists(path):
        (image.quantize(256) if folder == "gif" else image).save(path, **options)
PY
    [ -e "$out/webp/$name.webp" ] || cwebp -quiet -q 90 "$photo" -o "$out/webp/$name.webp"
    [ -e "$out/heic/$name.heic" ] || heif-enc -q 90 -t 320 "$photo" -o "$out/heic/$name.heic" >/dev/null
    [ -e "$out/avif/$name.avif" ] || heif-enc -A -q 90 -p speed=8 "$photo" -o "$out/avif/$name.avif" >/dev/null
done
