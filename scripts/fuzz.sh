#!/usr/bin/env bash
# Coverage-guided fuzzing of the C decode entry points (the C targets that
# read untrusted bytes) with libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer, seeded with the conformance and corrupt files
# in ../shared/data. One harness per entry point:
#
#   decode   imgsearch_jpeg_decode and imgsearch_png_decode (scripts/fuzz/decode_fuzzer.c)
#   webp     imgsearch_webp_decode (libwebp, libwebpdemux)  } scripts/fuzz/rgb_decode_fuzzer.c,
#   gif      imgsearch_gif_decode (giflib)                   } built once per format
#   tiff     imgsearch_tiff_decode (libtiff)                 }
#   heif     imgsearch_heif_decode (libheif with libde265, dav1d, libaom)
#
#   scripts/fuzz.sh [SECONDS] [HARNESS...]   default 600 s for each of all
#                                            five; crashes are written to
#                                            bench-results/fuzz/<harness>/crash-*
#                                            and fail the run
#
# FUZZ_FLAGS adds libFuzzer options. For the heif harness run
# `ASAN_OPTIONS=detect_leaks=0 scripts/fuzz.sh 600 heif`: libheif 1.15's
# dav1d glue leaks 40 bytes (dav1d_data_create in heif_decode_image, not
# freed on an AV1 decoding error), which stops a run with leak detection on
# at its first damaged AV1 stream (FUZZ_FLAGS=-detect_leaks=0 turns off the
# per-input check only; the report at exit still fails the run, with an
# empty crash-da39a3... artifact).
#
# The libraries themselves come from Debian and are not instrumented:
# coverage guides the fuzzer through our code, and ASan sees every access
# our code makes to what they return.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(decode webp gif tiff heif)
scripts/setup.sh
flags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
formats=../shared/data/formats

# Writes one seed per file given on stdin (NUL-separated), with a selector
# byte in front.
make_seeds() {
    local folder=$1 index=0
    rm -rf "$folder" && mkdir -p "$folder"
    while IFS= read -r -d '' file; do
        index=$((index + 1))
        { printf '\001'; head -c 262144 "$file"; } > "$folder/seed-$index"
    done
}

for harness in "${harnesses[@]}"; do
    work=bench-results/fuzz/$harness
    [ "$harness" = decode ] && work=bench-results/fuzz
    mkdir -p "$work/corpus"
    binary="$work/${harness}_fuzzer"
    seeds="$work/seeds"
    case "$harness" in
    decode)
        clang "${flags[@]}" -I Sources/CImgSearchJPEG/include -I Sources/CImgSearchPNG/include \
            $(pkg-config --cflags libjpeg libpng) \
            scripts/fuzz/decode_fuzzer.c Sources/CImgSearchJPEG/*.c Sources/CImgSearchPNG/*.c \
            $(pkg-config --libs libjpeg libpng) -o "$binary"
        [ -d ../shared/data ] && find ../shared/data/jpeg-suite ../shared/data/corrupt ../shared/data/pngsuite ../shared/data/exif-orientation \
            -type f \( -iname '*.jpg' -o -iname '*.png' \) -size -512k -print0 | sort -z | make_seeds "$seeds"
        ;;
    webp)
        clang "${flags[@]}" -I Sources/CImgSearchWebP/include $(pkg-config --cflags libwebp libwebpdemux) \
            -DFUZZ_FORMAT_HEADER='"CImgSearchWebP.h"' -DFUZZ_FORMAT=webp -DFUZZ_FORMAT_OK=IMGSEARCH_WEBP_OK scripts/fuzz/rgb_decode_fuzzer.c Sources/CImgSearchWebP/*.c $(pkg-config --libs libwebpdemux libwebp) -o "$binary"
        [ -d $formats ] && find $formats -type f -iname '*.webp' -size -512k -print0 | sort -z | make_seeds "$seeds"
        ;;
    gif)
        clang "${flags[@]}" -I Sources/CImgSearchGIF/include -DFUZZ_FORMAT_HEADER='"CImgSearchGIF.h"' -DFUZZ_FORMAT=gif -DFUZZ_FORMAT_OK=IMGSEARCH_GIF_OK scripts/fuzz/rgb_decode_fuzzer.c Sources/CImgSearchGIF/*.c -lgif -o "$binary"
        [ -d $formats ] && find $formats -type f -iname '*.gif' -size -512k -print0 | sort -z | make_seeds "$seeds"
        ;;
    tiff)
        clang "${flags[@]}" -I Sources/CImgSearchTIFF/include $(pkg-config --cflags libtiff-4) \
            -DFUZZ_FORMAT_HEADER='"CImgSearchTIFF.h"' -DFUZZ_FORMAT=tiff -DFUZZ_FORMAT_OK=IMGSEARCH_TIFF_OK scripts/fuzz/rgb_decode_fuzzer.c Sources/CImgSearchTIFF/*.c $(pkg-config --libs libtiff-4) -lpthread -o "$binary"
        [ -d $formats ] && find $formats -type f \( -iname '*.tif' -o -iname '*.tiff' \) -size -512k -print0 | sort -z | make_seeds "$seeds"
        ;;
    heif)
        clang "${flags[@]}" -I Sources/CImgSearchHEIF/include $(pkg-config --cflags libheif) \
            scripts/fuzz/heif_fuzzer.c Sources/CImgSearchHEIF/*.c $(pkg-config --libs libheif) -lpthread -o "$binary"
        [ -d $formats ] && find $formats/libheif $formats/pillow/avif -type f -size -512k -print0 | sort -z | make_seeds "$seeds"
        ;;
    *)
        echo "fuzz: unknown harness $harness (decode, webp, gif, tiff, heif)" >&2
        exit 64
        ;;
    esac
    mkdir -p "$seeds"
    echo "fuzz $harness: $(ls "$seeds" | wc -l) seeds, ${seconds}s" >&2
    "$binary" "$work/corpus" "$seeds" -max_total_time="$seconds" -max_len=262145 -rss_limit_mb=2048 \
        -timeout=10 -artifact_prefix="$work/" -print_final_stats=1 ${FUZZ_FLAGS:-} 2>&1 | tee "$work/fuzz.log" | grep -E "^#|ERROR|crash|stat::" | tail -25
done
