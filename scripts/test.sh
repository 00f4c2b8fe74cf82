#!/usr/bin/env bash
# The test command: install what the build needs, then run the test suite.
# Tests that read ../shared/data skip with a message when it is absent.
# Extra arguments go to `swift test` (for instance --filter JPEG).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
# The web page of `imgsearch serve` in a headless Chromium, on the full run
# only (`scripts/test.sh --filter X` stays quick); IMGSEARCH_SKIP_BROWSER=1
# skips it. It skips itself when ../shared/data is absent.
if [ $# -eq 0 ] && [ -z "${IMGSEARCH_SKIP_BROWSER:-}" ]; then
    scripts/test-browser.sh
fi
