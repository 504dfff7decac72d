/* runner.h: the execution loop shared by `run` and `record`: every selected
 * program on every selected sample, rows, progress and the summary. A
 * recorder attaches through the unit hooks and lane.ctx.trace (one thread);
 * `run --threads N` spreads the units over N lanes, rows still in order. */
#ifndef BATTRACE_RUNNER_H
#define BATTRACE_RUNNER_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "../runtime/encode.h"
#include "../runtime/interp.h"
#include "../tracer/record.h"
#include "cli.h"

typedef struct RunStats {
    size_t runs, returned, matched, samples_matched, tasks_solved;
    uint64_t inside_ns;
} RunStats;

/* Told around each unit (a solver on a sample, or both calls of a batt). */
typedef struct UnitHooks {
    void (*begin)(void *data, size_t program, size_t sample);
    int (*end)(void *data, uint64_t us); /* nonzero: stop with that exit code */
    void *data;
} UnitHooks;

/* One unit of work in run order: a program on a sample (a batt: both calls). */
typedef struct RunUnit {
    uint32_t program, sample;
} RunUnit;

/* What one thread runs units with: its own arenas, budgets and row text. */
typedef struct RunLane {
    Arena arena[REC_RING]; /* a run's values: arena[0], or all in turn when `ring` */
    Arena spill[REC_RING]; /* results of statements whose temporaries were dropped: spill[0],
                              or all in turn with the arenas when `ring` */
    unsigned turn;
    Ctx ctx;
    StrBuf row;
    RunStats st;
} RunLane;

typedef struct Runner {
    const char *cmd;  /* "run", "record": for messages */
    Workload w;
    Selection sel;
    FILE *json;       /* rows, or NULL */
    const char *json_path; /* its name, for messages ("-": stdout) */
    int quiet;
    int threads;      /* lanes for runner_execute (1 unless set; hooks need 1) */
    int ring;         /* record: a unit's values must outlive REC_RING - 1 more */
    RunLane lane;     /* the calling thread's; record's hooks attach to its ctx */
    RunStats st;      /* totals, after runner_execute */
    uint64_t started;
    Progress progress;
    RunUnit *units;   /* every unit in run order */
    size_t nunits;
    uint8_t *matched; /* per unit: it matched a sample that has an output */
    atomic_size_t units_done; /* for the progress line */
    unsigned char *task_solved;
    BattPlan plan;    /* batt: how its second call runs */
    UnitHooks hooks;
} Runner;

/* Load the workload and set up; EXIT_OK or the exit code to return. */
int runner_open(Runner *r, const char *cmd, const Selection *sel);
/* Run every unit; EXIT_OK, or EXIT_FAIL when rows could not be written. */
int runner_execute(Runner *r);
void runner_summary(Runner *r, FILE *to);
void runner_close(Runner *r);

#endif
