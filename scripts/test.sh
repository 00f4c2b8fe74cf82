#!/usr/bin/env bash
# The test command: install what the build needs, then run the test suite.
# Tests that read ../shared/data skip with a message when it is absent.
# Extra arguments go to `swift test` (for instance --filter JPEG).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
