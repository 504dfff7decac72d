/* replay.h: what `battrace replay` shares between its command (cmd_replay.c:
 * loading, windows, lanes, rows) and its --verify (replay_verify.c: every
 * statement result against the trace, then every node by recording again). */
#ifndef BATTRACE_REPLAY_H
#define BATTRACE_REPLAY_H

#include "../scheduler/sched.h"
#include "../tracer/trace.h"
#include "runner.h"

/* The units to replay: from the trace, or the trace's programs on the
 * samples of --tasks; with what each unit's rows say. */
typedef struct ReplayJob {
    Trace trace;
    const char *trace_path;
    Workload w;            /* the programs (parsed from the trace's source) and, with --tasks, the samples */
    int from_trace;
    Arena values;          /* decoded inputs */
    Ctx vctx;
    SchedUnit *units;
    size_t nunits;
    /* per unit, for rows */
    const char **keys;
    uint8_t *splits;
    uint32_t *indexes;
    Value *expected;
    uint8_t *has_output;
    const char **names;    /* program name per unit */
} ReplayJob;

/* Value id `id` of the trace, decoded into j's arena (None when it cannot
 * be: the reader checked every id). */
Value replay_decode(ReplayJob *j, uint32_t id);

/* --verify. Opened before the windows run (it reads the statement results
 * of the trace once more, a unit at a time); each window's statement
 * results are checked while the window's results are alive; at the end
 * every unit is recorded again and each node compared. The checks return
 * EXIT_OK, EXIT_FAIL with the first difference named on stderr, or
 * EXIT_USAGE for a trace that cannot be read again. */
typedef struct Verifier Verifier;

Verifier *verifier_open(ReplayJob *j, int quiet, int *rc);
int verifier_window(Verifier *v, Sched *s, size_t u0, size_t u1);
int verifier_finish(Verifier *v, double seconds, int quiet);
void verifier_close(Verifier *v);

#endif
