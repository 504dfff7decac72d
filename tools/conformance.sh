#!/usr/bin/env bash
# conformance.sh: compare `battrace run --json` rows with pyref.py's rows.
#
#   BATTRACE=./battrace SHARED=../shared [QUICK=1] tools/conformance.sh
#
# Workloads (issue 2): own (the 400 solvers on ../shared/arc/training),
# cross (40 solvers x 300 samples), and batt files from mkbatt.py (several
# seeds, with and without --mutate, both --except forms). Then the same on
# inputs no solver was written for, ../shared/arc/evaluation: all 400
# solvers on 20 of its samples, and a batt on 400. Then every task layout
# the loader reads, made from 40 training tasks by tools/task_formats.py
# (re-arc lists, hidden test outputs, the Kaggle pair, one file; --split
# train and test). pyref rows are
# cached under out/pyref/ (they take minutes to make), each with the hash of
# what made it (NAME.jsonl.key); rows whose inputs changed are made again.
# QUICK=1 runs a small sample of each (a quick check by hand).
set -u
BATTRACE=${BATTRACE:-./battrace}
SHARED=${SHARED:-../shared}
QUICK=${QUICK:-0}
OUT=${OUT:-out/conformance}
CACHE=out/pyref
mkdir -p "$OUT" "$CACHE"
if [ ! -f "$SHARED/tools/pyref.py" ]; then
    echo "conformance: skipped: $SHARED/tools/pyref.py not found (set SHARED=)"
    exit 0
fi
PYREF="python3 $SHARED/tools/pyref.py"
SOLVERS=$SHARED/reference/arc-dsl/solvers.py
TASKS=$SHARED/arc/training
failed=0
# a CUDA device? (replay --gpu says "no CUDA device" and exits 2 without one)
HAVE_GPU=0
if "$BATTRACE" record traces/example_solvers.py --tasks traces/tasks -o "$OUT/probe.trace" --quiet &&
   "$BATTRACE" replay "$OUT/probe.trace" --gpu --quiet 2>/dev/null; then
    HAVE_GPU=1
    echo "conformance: a CUDA device is present: replay --gpu is checked too"
fi

# oracle_key PROGRAMS TASKS ARGS...: what pyref.py's rows depend on (the
# oracle and the arc-dsl it imports, the programs, every task file, the
# options), hashed: cached rows are reused only under the same key, so a
# changed ../shared or program remakes them.
oracle_key() {
    local progs=$1 ptasks=$2
    shift 2
    {
        printf '%s\n' "$@"
        sha256sum "$SHARED/tools/pyref.py" "$SHARED"/reference/arc-dsl/*.py "$progs" | cut -d' ' -f1
        find "$ptasks" -type f | LC_ALL=C sort | xargs -r sha256sum | cut -d' ' -f1
    } | sha256sum | cut -d' ' -f1
}

# compare NAME PROGRAMS ARGS...: make (or reuse) pyref rows, then check
#   run --json (one thread and two), record + inspect --rows (two threads and one), replay
#   --verify --json (2 threads),
#   replay on 2 lanes and replay --gpu-host --verify --json against them.
# The tasks are $TASKS, or $CTASKS where set (CTASKS=DIR compare ...);
# pyref.py reads $PTASKS where set: the same tasks in a layout it knows.
compare() {
    local name=$1 progs=$2 TASKS=${CTASKS:-$TASKS}
    local ptasks=${PTASKS:-$TASKS}
    shift 2
    local exp=$CACHE/$name.jsonl act=$OUT/$name.jsonl trace=$OUT/$name.trace
    local key
    key=$(oracle_key "$progs" "$ptasks" "$@")
    if [ ! -s "$exp" ] || [ "$(cat "$exp.key" 2>/dev/null)" != "$key" ]; then
        rm -f "$exp" "$exp.key"
        $PYREF "$progs" --tasks "$ptasks" "$@" --out "$exp.tmp" 2>"$CACHE/$name.log" && mv "$exp.tmp" "$exp" &&
            echo "$key" >"$exp.key"
    fi
    if ! "$BATTRACE" run "$progs" --tasks "$TASKS" "$@" --json "$act" --quiet; then
        echo "$name: battrace run failed"
        failed=1
        return
    fi
    python3 tools/compare_rows.py "$name run" "$exp" "$act" || failed=1
    if ! "$BATTRACE" run "$progs" --tasks "$TASKS" "$@" --threads 2 --json "$act.threads" --quiet; then
        echo "$name: battrace run --threads 2 failed"
        failed=1
    else
        python3 tools/compare_rows.py "$name run --threads 2" "$exp" "$act.threads" || failed=1
    fi
    if ! "$BATTRACE" record "$progs" --tasks "$TASKS" "$@" -o "$trace" --quiet ||
       ! "$BATTRACE" inspect "$trace" --rows "$act.inspect" >/dev/null; then
        echo "$name: battrace record or inspect failed"
        failed=1
        return
    fi
    python3 tools/compare_rows.py "$name record+inspect" "$exp" "$act.inspect" || failed=1
    # recorded on one thread (each unit written as it ends): the same rows
    if ! "$BATTRACE" record "$progs" --tasks "$TASKS" "$@" --threads 1 -o "$trace.one" --quiet ||
       ! "$BATTRACE" inspect "$trace.one" --rows "$act.inspect1" >/dev/null; then
        echo "$name: battrace record --threads 1 or inspect failed"
        failed=1
    fi
    python3 tools/compare_rows.py "$name record --threads 1 + inspect" "$exp" "$act.inspect1" || failed=1
    rm -f "$trace.one"
    if ! "$BATTRACE" replay "$trace" --verify --threads 2 --json "$act.replay" --quiet; then
        echo "$name: battrace replay --verify failed"
        failed=1
    fi
    python3 tools/compare_rows.py "$name replay" "$exp" "$act.replay" || failed=1
    # windows replayed side by side on two lanes (small windows: lanes on
    # every workload here; LANES_WINDOW smaller for the smallest), rows
    # still in unit order
    if ! "$BATTRACE" replay "$trace" --threads 2 --window "${LANES_WINDOW:-1024}" --json "$act.lanes" >"$act.lanes.log" ||
       ! grep -q "the busiest of 2 lanes" "$act.lanes.log"; then
        echo "$name: battrace replay on lanes failed"
        failed=1
    fi
    python3 tools/compare_rows.py "$name replay on lanes" "$exp" "$act.lanes" || failed=1
    # the kernels' logic (issue 5) on the CPU: same rows, every node verified
    if ! "$BATTRACE" replay "$trace" --gpu-host --verify --threads 2 --json "$act.gpuhost" --quiet; then
        echo "$name: battrace replay --gpu-host --verify failed"
        failed=1
    fi
    python3 tools/compare_rows.py "$name replay --gpu-host" "$exp" "$act.gpuhost" || failed=1
    # without --verify only the grids the rows read come off the device
    if ! "$BATTRACE" replay "$trace" --gpu-host --threads 2 --json "$act.gpurows" --quiet; then
        echo "$name: battrace replay --gpu-host failed"
        failed=1
    fi
    python3 tools/compare_rows.py "$name replay --gpu-host (rows only)" "$exp" "$act.gpurows" || failed=1
    if [ "$HAVE_GPU" = 1 ]; then # the kernels on the CUDA device
        if ! "$BATTRACE" replay "$trace" --gpu --gpu-min-width 1 --verify --threads 2 --json "$act.gpu" >"$act.gpu.log"; then
            echo "$name: battrace replay --gpu --verify failed"
            failed=1
        fi
        grep -E 'GPU:|value store:' "$act.gpu.log"
        python3 tools/compare_rows.py "$name replay --gpu" "$exp" "$act.gpu" || failed=1
        if ! "$BATTRACE" replay "$trace" --gpu --gpu-min-width 1 --threads 2 --json "$act.gpurows" >"$act.gpurows.log"; then
            echo "$name: battrace replay --gpu failed"
            failed=1
        fi
        grep -E 'value store:' "$act.gpurows.log"
        python3 tools/compare_rows.py "$name replay --gpu (rows only)" "$exp" "$act.gpurows" || failed=1
    fi
    rm -f "$trace"
}

batt() { # batt NAME MKBATT-ARGS...: a batt file made by mkbatt.py
    local name=$1
    shift
    # made each time (a fifth of a second): the rows' key hashes what it made
    python3 "$SHARED/tools/mkbatt.py" "$SOLVERS" "$@" -o "$CACHE/$name.py" 2>/dev/null
}

if [ "$QUICK" = 1 ]; then
    compare own-quick "$SOLVERS" --programs 60
    compare cross-quick "$SOLVERS" --mode cross --programs 10 --samples 40
    batt batt-quick --count 8 --seed 5 --mutate 0.1
    compare batt-quick "$CACHE/batt-quick.py" --samples 30
else
    compare own "$SOLVERS"
    compare cross "$SOLVERS" --mode cross --programs 40 --samples 300
    batt batt-s1 --count 32 --seed 1
    batt batt-s2-tuple --count 32 --seed 2 --except tuple
    batt batt-s3-mut --count 32 --seed 3 --mutate 0.05
    batt batt-s4-mut-tuple --count 32 --seed 4 --mutate 0.1 --except tuple
    batt batt-s5-mut --count 16 --seed 5 --mutate 0.2
    for b in batt-s1 batt-s2-tuple batt-s3-mut batt-s4-mut-tuple batt-s5-mut; do
        compare "$b" "$CACHE/$b.py" --samples 120
    done
    # Python takes about 4 minutes on the first, 1.5 on the second (once;
    # the rows are cached)
    CTASKS=$SHARED/arc/evaluation compare eval-cross "$SOLVERS" --mode cross --samples 20
    batt batt-s12 --count 32 --seed 12
    CTASKS=$SHARED/arc/evaluation compare eval-batt-s12 "$CACHE/batt-s12.py" --samples 400
fi
# every task layout the loader reads (re-arc lists, hidden test outputs, the
# Kaggle pair with and without solutions, one file) and both single splits,
# on the same tasks: pyref.py reads all but the Kaggle pair, whose rows must
# be pyref's on the same tasks as plain files
formats() { # formats EVERY BATT
    local fmt=$OUT/formats-$1 batt=$2 LANES_WINDOW=64
    rm -rf "$fmt" # what another --every left would join the tasks
    python3 tools/task_formats.py "$TASKS" "$fmt" --every "$1" >/dev/null
    local first
    first=$(ls "$fmt/plain" | head -1)
    for layout in plain rearc unsolved; do
        CTASKS=$fmt/$layout compare "fmt$1-$layout-own" "$SOLVERS"
        CTASKS=$fmt/$layout compare "fmt$1-$layout-batt" "$batt"
    done
    CTASKS=$fmt/kaggle PTASKS=$fmt/plain compare "fmt$1-kaggle-own" "$SOLVERS"
    CTASKS=$fmt/kaggle PTASKS=$fmt/plain compare "fmt$1-kaggle-batt" "$batt"
    CTASKS=$fmt/kaggle-nosol PTASKS=$fmt/unsolved compare "fmt$1-kaggle-nosol-batt" "$batt"
    CTASKS=$fmt/kaggle/x_solutions.json PTASKS=$fmt/plain compare "fmt$1-kaggle-sol-own" "$SOLVERS"
    CTASKS=$fmt/plain/$first compare "fmt$1-file-cross" "$SOLVERS" --mode cross
    CTASKS=$fmt/plain compare "fmt$1-split-test" "$SOLVERS" --mode cross --programs 20 --split test
    CTASKS=$fmt/unsolved compare "fmt$1-split-train-batt" "$batt" --split train
}
if [ "$QUICK" = 1 ]; then
    formats 40 "$CACHE/batt-quick.py"
else
    formats 10 "$CACHE/batt-s3-mut.py"
fi
# replay on new tasks: the recorded programs on ../shared/arc/evaluation must
# give what a fresh run gives there
newtasks() { # newtasks NAME PROGRAMS RECORD-ARGS -- REPLAY-ARGS
    local name=$1 progs=$2 trace=$OUT/$1.trace
    shift 2
    local rec=() rep=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do rec+=("$1"); shift; done
    shift
    rep=("$@")
    "$BATTRACE" record "$progs" --tasks "$TASKS" "${rec[@]}" -o "$trace" --quiet &&
    "$BATTRACE" run "$progs" --tasks "$SHARED/arc/evaluation" "${rep[@]}" --json "$OUT/$name.run" --quiet &&
    "$BATTRACE" replay "$trace" --tasks "$SHARED/arc/evaluation" "${rep[@]}" --threads 2 --json "$OUT/$name.replay" --quiet ||
        { echo "$name: a command failed"; failed=1; return; }
    python3 tools/compare_rows.py "$name replay on new tasks vs run" "$OUT/$name.run" "$OUT/$name.replay" || failed=1
    rm -f "$trace"
}
if [ "$QUICK" = 1 ]; then
    newtasks newtasks-quick "$SOLVERS" --programs 10 --samples 10 -- --mode cross --programs 10 --samples 40
else
    newtasks newtasks-cross "$SOLVERS" --programs 40 --samples 40 -- --mode cross --programs 40 --samples 300
    newtasks newtasks-batt "$CACHE/batt-s3-mut.py" --samples 10 -- --samples 200
fi
if [ $failed = 0 ]; then echo "conformance: all rows agree"; else echo "conformance: DIFFERENCES (see above)"; fi
exit $failed
