#!/usr/bin/env bash
# Builds release products the one way every script builds them:
#
#   scripts/build-release.sh [PRODUCT...]     default imgsearch
#
# With --static-swift-stdlib: the Swift runtime and Foundation are linked
# into the binary, so a short process such as `imgsearch query` does not
# spend milliseconds loading and relocating the shared Swift libraries
# (docs/benchmarks.md, "Query latency"). Every script must build release
# products through here: SwiftPM rebuilds everything when the flag changes.
# (The flag belongs to the build, not to Package.swift: unsafe linker flags
# there would stop other packages from depending on ImgSearch.)
set -euo pipefail
cd "$(dirname "$0")/.."
for product in "${@:-imgsearch}"; do
    swift build -c release --static-swift-stdlib --product "$product" >&2
done
