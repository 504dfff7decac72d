/* plan.h: which applications the batched kernels take, and how (plan.c).
 *
 * For each primitive with a kernel, one eligibility function reads the
 * arguments the way the CPU op's fast path does and either declines (the
 * CPU op runs: ragged or empty grids, non-int or bool cells, frozensets
 * where a grid is expected, parameters of other kinds, error cases such as
 * downscale by 0, sizes past BT_MAX_CELLS) or fills a Plan: the grids to
 * pack, the patch, the output shape and the kernel parameters, all computed
 * with Python's rules (slices clamp, negative starts count from the end). */
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

typedef struct Plan {
    Value ga, gb;   /* grids to pack (VT_NONE when the kind has fewer) */
    Value patch;    /* the patch set (VT_NONE when none) */
    int32_t oh, ow; /* output shape (grid kinds); oh == 0 means () */
    int32_t p[2];   /* kernel parameters (BtItem.p) */
    bool small;     /* the grid's cells must all be colours 0..9 */
    bool cells;     /* the patch must hold cells (paint), not only positions */
    int32_t flags;  /* BtItem.flags */
} Plan;

/* The kernel kind of primitive p, or -1 when it has none. */
int plan_kind(const Prim *p);
PlanResult plan_result(int kind);
/* Does the kind's eligibility function accept args (the grids' cells not yet
 * checked: see plan_cells_ok)? Fills *pl when it does. */
bool plan_make(int kind, const Value *args, Plan *pl);
/* Do grid g's cells fit int32 (and lie in 0..9 when small)? When dst is not
 * NULL, they are copied there row-major as they are checked. */
bool plan_cells(Value g, bool small, int32_t *dst);

#endif
