/* tasks.h: ARC tasks and their samples, loaded with cJSON.
 *
 * Accepted inputs (SPEC section 6, pyref.py's load_tasks):
 *   - one task file  {"train": [{"input","output"}...], "test": [...]}
 *   - a directory of such files (*.json, sorted by name)
 *   - a re-arc file: a JSON list of {"input","output"} examples (all train)
 *   - the Kaggle pair: X_challenges.json ({id: task}) with X_solutions.json
 *     ({id: [test output grids]}) beside it; either file may be named.
 * A task's key is its file name without .json (or its id in a Kaggle file).
 * Tasks are sorted by key; samples go train first, then test, in file order,
 * which is the order pyref.py runs them. */
#ifndef BATTRACE_TASKS_H
#define BATTRACE_TASKS_H

#include <stddef.h>

#include "arena.h"
#include "value.h"

typedef enum Split { SPLIT_TRAIN, SPLIT_TEST } Split;

typedef struct Sample {
    Value input;   /* a grid (tuple of tuples of ints) */
    Value output;  /* the expected grid, or None when the file has none */
    int has_output;
} Sample;

typedef struct Task {
    char *key;
    Sample *train, *test;
    size_t ntrain, ntest;
    Value S;       /* tuple of the (input, output) train pairs, for batt */
} Task;

typedef struct TaskSet {
    Task *tasks;   /* sorted by key */
    size_t ntasks;
    Arena arena;   /* every value above lives here */
} TaskSet;

/* Load tasks from path. Returns 0, or 2 with a message in err naming the file
 * (and for malformed JSON the line and column: `file:line:col: message`). */
int taskset_load(const char *path, TaskSet *out, char *err, size_t errlen);
void taskset_free(TaskSet *ts);
/* Index of the task with this key, or -1. */
long taskset_find(const TaskSet *ts, const char *key);
static inline const char *split_name(Split s) { return s == SPLIT_TRAIN ? "train" : "test"; }

#endif
