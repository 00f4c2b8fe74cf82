#!/usr/bin/env bash
# Fault and hostile-input cases against the built `imgsearch`, each run
# several times, ending with a table: case, tries, passed, data lost.
#
#   scripts/stress.sh [CASE...]     all cases, or only those named
#
# Cases: sigkill, query-during-index, second-index, query-during-train,
# disk-full, read-only, corrupt-db, newer-schema, corrupt-model,
# hostile-folder, bombs, odd-paths. Each is in scripts/stress/<group>.sh.
#
# Needs ../shared/data, python3 (standard library only), /usr/bin/time, and
# for the disk-full and read-only cases either root (a tmpfs and a read-only
# bind mount) or nothing (then a read-only file and no disk-full case).
# Environment: IMGSEARCH_BIN (default: build and use .build/debug/imgsearch),
# STRESS_IMAGES (CIFAR-10 images in the crash and concurrency folder, 3000),
# STRESS_KILLS (SIGKILLs, 24). Exit status 0 only when every case passed
# and lost nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
repository=$PWD
source scripts/stress/common.sh
source scripts/stress/crash.sh
source scripts/stress/concurrency.sh
source scripts/stress/storage.sh
source scripts/stress/input.sh

all_cases=(sigkill query-during-index second-index query-during-train disk-full read-only corrupt-db newer-schema
    corrupt-model hostile-folder bombs odd-paths)
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=("${all_cases[@]}")

prepare_workspace
for name in "${cases[@]}"; do
    log "== $name"
    "case_${name//-/_}"
done
print_table
