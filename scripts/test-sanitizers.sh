#!/usr/bin/env bash
# The test suite built with AddressSanitizer and UndefinedBehaviorSanitizer.
#
#   scripts/test-sanitizers.sh [swift test arguments]   e.g. --filter Imaging
#
# `--sanitize=address` instruments every target (swiftc -sanitize=address,
# clang -fsanitize=address for the C targets CImgSearchJPEG, CImgSearchPNG
# and CImgSearchHamming) and links the ASan runtime. Swift 6.3's swiftc has
# no UBSan on Linux (`--sanitize=undefined` fails with "unsupported option
# '-sanitize=undefined'"), so UBSan goes to the C targets alone with
# `-Xcc -fsanitize=undefined`; its handlers are part of the ASan runtime.
# The build goes to its own scratch folder so the normal build is not
# invalidated.
#
# halt_on_error turns every UBSan finding into a failed run (by default
# UBSan prints and carries on). Leak checking is off: the Swift runtime
# keeps type metadata alive on purpose and LSan reports it; leaks in the C
# decoders are checked by scripts/fuzz.sh, where libFuzzer runs LSan on
# every input. libjpeg, libpng, zlib, OpenBLAS and SQLite come from Debian
# uninstrumented: ASan checks our accesses to their buffers, not their
# insides.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scratch=.build-sanitizers
sanitizers=(--sanitize=address -Xcc -fsanitize=undefined)
# exitcode 86: a finding in the imgsearch binary that the CLI tests run must
# not pass for the exit status 1 that a test expects.
export ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:exitcode=86
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=86
swift build --build-tests --scratch-path "$scratch" "${sanitizers[@]}"
log="$scratch/sanitizers.log"
status=0
swift test --skip-build --scratch-path "$scratch" "${sanitizers[@]}" "$@" 2>&1 | tee "$log" || status=$?
# A finding in a child process (the CLI tests run the built binary) fails
# that test; one in the test process aborts it. Either way, say so plainly.
if grep -qE "ERROR: AddressSanitizer|runtime error:" "$log"; then
    echo "sanitizers: findings above (log: $log)" >&2
    exit 1
fi
exit "$status"
