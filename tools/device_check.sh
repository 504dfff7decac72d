#!/usr/bin/env bash
# device_check.sh: the GPU checks of issue 5, on a lent GPU machine, from
# what tools/device_pack.sh gathered in .device/ (carried there): the test
# suite with its GPU tests, conformance with replay --gpu --verify on the
# own, cross and batt workloads, and the benchmark of replay --gpu against
# replay on every core. Logs go to $OUT (what the device tool brings back).
#
#   bash tools/device_check.sh [tests] [conformance] [bench] [all]   (default all)
#
# A device command runs 10 minutes at most: run `tests conformance` in one
# call and `bench` in another (GPU_SAMPLES=N: the cross workload's samples,
# 1200 of the 1718 by default, so that recording it fits).
set -u
D=$PWD/.device
OUT=${OUT:-out/device}
mkdir -p "$OUT"
export LD_LIBRARY_PATH=$D/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
BT=$D/bin/battrace
args=("${@:-all}")
want() { # want STEP: named on the command line, or all
    for a in "${args[@]}"; do
        [ "$a" = "$1" ] || [ "$a" = all ] && return 0
    done
    return 1
}
rc=0
nvidia-smi -L 2>&1 | head -2
if want tests; then
    BATTRACE_SHARED=$D/shared BATTRACE_BIN=$BT "$D/bin/battrace-tests" --jobs 8 >"$OUT/tests.log" 2>&1 || rc=1
    grep -E "Synthesis|skip" "$OUT/tests.log" | tail -5
fi
if want conformance; then
    mkdir -p out/pyref
    cp "$D"/pyref/*.jsonl out/pyref/ 2>/dev/null
    BATTRACE=$BT SHARED=$D/shared tools/conformance.sh >"$OUT/conformance.log" 2>&1 || rc=1
    grep -E "gpu|conformance:|differ|fail" "$OUT/conformance.log" | tail -30
fi
if want bench; then
    BATTRACE=$BT SHARED=$D/shared GPU_SAMPLES=${GPU_SAMPLES:-1200} python3 tools/bench.py --only-gpu \
        >"$OUT/bench.log" 2>&1 || rc=1
    cat "$OUT/bench.log"
fi
exit $rc
