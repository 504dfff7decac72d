/* plan.h: which applications the batched kernels take, and how (plan.c).
 *
 * For each primitive with a kernel, one eligibility function reads the
 * arguments the way the CPU op's fast path does and either declines (the
 * CPU op runs: ragged or empty grids, non-int or bool cells, frozensets
 * where a grid is expected, parameters of other kinds, error cases such as
 * downscale by 0, sizes past BT_MAX_CELLS) or fills a Plan: the grids to
 * pack, the patch, the output shape and the kernel parameters, all computed
 * with Python's rules (slices clamp, negative starts count from the end).
 *
 * A grid argument need not be on the host: one resident in the value store
 * (store.h) is planned from its shape and the bounds of its cells, which is
 * all an eligibility function reads of a grid. */
#ifndef BATTRACE_CUDA_PLAN_H
#define BATTRACE_CUDA_PLAN_H

#include <stdbool.h>

#include "../ops/ops.h"
#include "../runtime/value.h"
#include "grid_kernels.h"

/* How a kind's results come back as Values. */
typedef enum PlanResult {
    PR_GRID,      /* the output cells as a grid */
    PR_INT,       /* res[k] */
    PR_COLOURS,   /* res[k], a 10-bit mask, as a set of colours */
    PR_PARTITION, /* output labels (colours; -1 skipped) grouped by colour */
    PR_OBJECTS,   /* output labels (component roots; -1 skipped) as objects */
    PR_INDICES,   /* res[k] row-major positions in the output as a set of pairs */
    PR_ALLINDICES, /* every (i, j) of the p0 x p1 shape */
    PR_PATCH,      /* the patch's entries with the output's (i, j) rows */
    PR_COMPRESSED  /* the first nh * nw output cells as a grid, the shape in res[k] */
} PlanResult;

/* The most arguments a primitive with a kernel takes (objects: 4). */
#define PLAN_MAX_ARGS 8

/* One argument as the planner sees it. A grid resident in the store has
 * ref >= 0 and its shape and cell bounds here; its v is VT_NONE when the host
 * has no copy (then it can only be a grid argument: plan_make declines an
 * application that would read it as anything else). */
typedef struct PlanArg {
    Value v;
    int32_t ref;    /* store handle, or -1 */
    int32_t h, w;   /* ref >= 0: the grid's shape */
    int32_t lo, hi; /* ref >= 0: every cell lies in lo..hi */
} PlanArg;

static inline PlanArg plan_arg(Value v) { return (PlanArg){.v = v, .ref = -1}; }

typedef struct Plan {
    const PlanArg *ga, *gb; /* grids to pack, pointing into the arguments (NULL when the kind has fewer) */
    const PlanArg *shape;   /* a grid read for its shape only (asindices), not packed */
    Value patch;    /* the patch set (VT_NONE when none) */
    int32_t oh, ow; /* output shape (grid kinds); oh == 0 means () */
    int32_t p[2];   /* kernel parameters (BtItem.p) */
    bool small;     /* the grid's cells must all be colours 0..9 */
    bool cells;     /* the patch must hold cells (paint), not only positions */
    int32_t flags;  /* BtItem.flags */
    int32_t xlo, xhi; /* values the kernel may write besides the input cells (xlo > xhi: none) */
} Plan;

/* The kernel kind of primitive p, or -1 when it has none. */
int plan_kind(const Prim *p);
PlanResult plan_result(int kind);
/* Does the kind's eligibility function accept args (the host grids' cells
 * not yet checked: see plan_cells; resident grids checked by their bounds)?
 * Fills *pl when it does. */
bool plan_make(int kind, const PlanArg *args, Plan *pl);
/* Do host grid g's cells fit int32 (and lie in 0..9 when small)? When dst is
 * not NULL, they are copied there row-major as they are checked; when lo and
 * hi are not NULL, they receive the smallest and largest cell. */
bool plan_cells(Value g, bool small, int32_t *dst, int32_t *lo, int32_t *hi);

#endif
