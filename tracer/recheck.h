/* recheck.h: `replay --verify`'s check of every recorded node.
 *
 * The scheduler recomputes statement results, and replay compares those;
 * the nodes made inside closures are not scheduled one by one, and the trace
 * keeps the tuples and sets they received by content hash only. So each unit
 * is recorded again, in memory, and the fresh recording is compared with the
 * trace node by node: primitive, parent, statement, error class, every
 * argument (by provenance, or by value: content hash, or content when stored
 * whole) and every result. Units a time or memory budget ended, at recording
 * or now, are not compared (they are counted). */
#ifndef BATTRACE_RECHECK_H
#define BATTRACE_RECHECK_H

#include <stddef.h>
#include <stdint.h>

#include "program.h"
#include "trace.h"

typedef struct RecheckUnit {
    const Program *program;
    uint32_t program_index;  /* as in the trace */
    Value I, S, C;           /* C: the expected output (a batt's second call) */
    const char *task_id;
} RecheckUnit;

typedef struct RecheckStats {
    uint64_t units, nodes, skipped;
} RecheckStats;

/* Compare units[k] recorded again with t->units[k], for every k. is_batt and
 * max_nested as when recording; seconds: the time budget per unit. Returns
 * 0, or -1 with the first difference in err. */
int recheck_units(const Trace *t, const RecheckUnit *units, size_t nunits, int is_batt, uint64_t max_nested,
                  double seconds, RecheckStats *st, char *err, size_t errlen);

/* The same, reading the trace at path a unit at a time (its nodes are never
 * all in memory): units[k] must be the trace's unit k. on_unit, when given,
 * is told each unit once it was recorded again (t->nunits units before it),
 * for a progress line. */
int recheck_file(const char *path, const RecheckUnit *units, size_t nunits, int is_batt, uint64_t max_nested,
                 double seconds, RecheckStats *st, TraceUnitFn on_unit, void *unit_data, char *err, size_t errlen);

/* Did a time or memory budget end one of the recorded unit's calls? Such a
 * unit is not compared: a budget is no part of a program's meaning (replay's
 * budget is per node, recording's per run). */
bool recheck_budget_ended(const TraceUnit *tu);

/* Equal by content, as a trace stores values: closures compare by their
 * parts (Python compares them by identity, which a replay cannot reproduce:
 * the replayed closure is a new one). */
bool content_eq(Value a, Value b);

#endif
