#!/usr/bin/env bash
# Coverage-guided fuzzing of the JPEG and PNG decode entry points (the C
# targets that read untrusted bytes) with libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer, seeded with every conformance and corrupt file
# in ../shared/data.
#
#   scripts/fuzz.sh [SECONDS]     default 600; crashes are written to
#                                 bench-results/fuzz/crash-* and fail the run
#
# libjpeg and libpng themselves come from Debian and are not instrumented:
# coverage guides the fuzzer through our code, and ASan sees every access
# our code makes to what they return.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
scripts/setup.sh
work=bench-results/fuzz
mkdir -p "$work/corpus"
binary="$work/decode_fuzzer"

clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I Sources/CImgSearchJPEG/include -I Sources/CImgSearchPNG/include \
    $(pkg-config --cflags libjpeg libpng) \
    scripts/fuzz/decode_fuzzer.c Sources/CImgSearchJPEG/*.c Sources/CImgSearchPNG/*.c \
    $(pkg-config --libs libjpeg libpng) -o "$binary"

# Seeds: one copy of each shared file with a selector byte in front.
seeds="$work/seeds"
rm -rf "$seeds" && mkdir -p "$seeds"
if [ -d ../shared/data ]; then
    index=0
    while IFS= read -r -d '' file; do
        index=$((index + 1))
        { printf '\001'; head -c 262144 "$file"; } > "$seeds/seed-$index"
    done < <(find ../shared/data/jpeg-suite ../shared/data/corrupt ../shared/data/pngsuite ../shared/data/exif-orientation \
        -type f \( -iname '*.jpg' -o -iname '*.png' \) -size -512k -print0 | sort -z)
fi

echo "fuzz: $(ls "$seeds" | wc -l) seeds, ${seconds}s" >&2
"$binary" "$work/corpus" "$seeds" -max_total_time="$seconds" -max_len=262145 -rss_limit_mb=2048 \
    -timeout=10 -artifact_prefix="$work/" -print_final_stats=1 2>&1 | tee "$work/fuzz.log" | grep -E "^#|ERROR|crash|stat::" | tail -25
