#!/usr/bin/env bash
# pgo_train.sh BATTRACE [SHARED]: the workload the profile-guided build
# (Makefile, PGO=1) learns from. BATTRACE is the instrumented binary
# (build-gen/battrace); every run adds to its .gcda counts.
#
# It runs what users run: solvers in cross mode, a batt, record, inspect,
# profile and replay (on two threads, with --verify). The bundled examples
# are always there; with ../shared it adds the 400 arc-dsl solvers across
# a slice of the *evaluation* tasks and a batt of them (mkbatt.py, another
# seed than the bench's), so that every primitive's common paths are seen
# without training on the bench's own workload (training tasks, seed 1).
# Functions no run reaches keep their plain -O2 code
# (-fprofile-partial-training). About 3 seconds.
set -euo pipefail
bt=$1
shared=${2:-../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/log

quietly() {
    if ! "$@" >>"$log" 2>&1; then
        echo "pgo_train.sh: failed: $*" >&2
        tail -5 "$log" >&2
        exit 1
    fi
}

# every command on one workload: run (alone and on two lanes), record, inspect, profile, replay
all_commands() {
    local programs=$1 tasks=$2
    shift 2
    quietly "$bt" run "$programs" --tasks "$tasks" --json "$tmp/rows.json" "$@"
    quietly "$bt" run "$programs" --tasks "$tasks" --threads 2 "$@"
    quietly "$bt" record "$programs" --tasks "$tasks" -o "$tmp/t.trace" --quiet "$@"
    quietly "$bt" inspect "$tmp/t.trace" --rows "$tmp/inspect.json"
    quietly "$bt" profile "$tmp/t.trace" --json "$tmp/profile.json"
    quietly "$bt" replay "$tmp/t.trace" --threads 2 --verify --json "$tmp/replay.json"
}

all_commands traces/example_solvers.py traces/tasks --mode cross
all_commands traces/example_batt.py traces/tasks
what="the bundled examples"

solvers=$shared/reference/arc-dsl/solvers.py
evaluation=$shared/arc/evaluation
if [ -f "$solvers" ] && [ -d "$evaluation" ]; then
    quietly "$bt" run "$solvers" --tasks "$evaluation" --mode cross --samples 12 --time-limit 0.2 \
        --json "$tmp/rows.json"
    all_commands "$solvers" "$evaluation" --mode cross --programs 100 --samples 3 --time-limit 0.2
    what="$what, 400 solvers x 12 evaluation samples"
    if command -v python3 >/dev/null && [ -f "$shared/tools/mkbatt.py" ]; then
        quietly python3 "$shared/tools/mkbatt.py" "$solvers" --count 32 --seed 7 -o "$tmp/batt.py"
        all_commands "$tmp/batt.py" "$evaluation" --samples 150
        what="$what, a 32-solver batt (seed 7) on 150 evaluation samples"
    fi
fi
echo "pgo_train.sh: trained on $what"
