/* grid_common.h: helpers shared by the grid family (grid.c, objects.c).
 *
 * Small pieces of dsl.py that several grid primitives evaluate in their
 * bodies (mostcolor, toindices, len(grid[0]), zip(*rows)), written with
 * Python's error classes, plus the scratch and sorting helpers the fast
 * paths use to build canonical sets without a general sort. Kept in the grid
 * family so that it does not depend on other families' files. */
#ifndef BATTRACE_OPS_GRID_COMMON_H
#define BATTRACE_OPS_GRID_COMMON_H

#include "ops.h"

#include "../runtime/limits.h"
#include "../runtime/pyops.h"

/* Items between two ctx_tick calls in long loops. */
#define GC_TICK_MASK 4095u
static inline Err gc_tick(Ctx *ctx, size_t k)
{
    return (k & GC_TICK_MASK) == GC_TICK_MASK ? ctx_tick(ctx) : ERR_OK;
}

/* Scratch memory for n items of size sz from the run's arena; NULL (and the
 * run's memory limit flagged) past LIMIT_SEQ_ITEMS or the memory budget. */
void *gc_scratch(Ctx *ctx, size_t n, size_t sz);

/* Is n1 * n2 within LIMIT_SEQ_ITEMS (both non-negative)? */
bool gc_fits(uint64_t n1, uint64_t n2);

/* The cells of a v_is_grid grid, row-major, in a new scratch array the
 * caller may change (a faster grid_cells: one branch per row, not per cell). */
int64_t *gc_cells(Ctx *ctx, Value g);

/* The same cells, read-only, from a small per-thread cache of the grids seen
 * last: solvers hand one grid to many primitives (and closures apply one
 * primitive to the same grid over and over), so most calls find it there
 * instead of converting h * w cells again. An entry is the grid's Seq, the
 * cells' arena and that arena's epoch: it is used only while ctx's arena is
 * that arena under that epoch, when neither the cells nor the grid (made
 * in it, or older than it) can have been freed and their memory reused. */
const int64_t *gc_cells_ro(Ctx *ctx, Value g);

/* The rule of this cache, for every per-thread cache keyed by a value's
 * Seq (patch.c's bounding boxes too): an entry's slot among 2^bits, by the
 * Seq's address; and whether what an entry kept under (arena, epoch) still
 * holds for ctx. */
static inline size_t gc_seq_slot(const Seq *s, unsigned bits)
{
    return (size_t)(((uintptr_t)s >> 4) * 0x9e3779b97f4a7c15ull >> (64 - bits));
}
static inline bool gc_kept_valid(const Ctx *ctx, const Arena *arena, uint64_t epoch)
{
    return arena == ctx->arena && epoch == ctx->arena->epoch;
}

/* mostcolor of a v_is_grid grid, cached with its cells; false when the
 * run's memory budget is spent. */
bool gc_grid_mostcolor(Ctx *ctx, Value g, int64_t *out);

/* How many cells of a v_is_grid grid hold each colour 0-15, counted once
 * and kept with its cells (mostcolor, leastcolor, palette, numcolors and
 * objects' background all read them): *counts, valid when *below16 says
 * every cell is in [0, 16); false when the run's memory budget is spent. */
bool gc_grid_colour_counts(Ctx *ctx, Value g, const uint32_t **counts, bool *below16);
/* How many cells hold colour when the counts are kept already; else -1
 * (nothing is counted). */
int64_t gc_grid_colour_count_kept(Ctx *ctx, Value g, int64_t colour);

/* Whether every cell of a v_is_grid grid fits a packed cell (32 bits),
 * cached with its cells: objects, partition and frontiers ask on every
 * call, objects often of one grid with other flags, and the scan was a twentieth of
 * objects' time; false when the run's memory budget is spent. */
bool gc_grid_fits32(Ctx *ctx, Value g, bool *out);

/* objects(g, ...) of a v_is_grid grid, kept with its cells: flags is
 * univalued | diagonal << 1 | without_bg << 2. A unit often asks again for
 * the objects of a grid it already took them of (the bench's batt: 9,369
 * of its 68,720 objects calls; the value is immutable, so the same one
 * serves). gc_grid_objects is false when none is kept; keep does nothing
 * when the grid has no entry. */
bool gc_grid_objects(Ctx *ctx, Value g, unsigned flags, Value *out);
void gc_grid_objects_keep(Ctx *ctx, Value g, unsigned flags, Value objs);

/* The summed-area table of the cells equal to colour, (h + 1) x (w + 1),
 * sat[i * (w + 1) + j] = how many of the cells above row i and left of
 * column j hold colour; cached with the grid's cells. */
const int32_t *gc_colour_sat(Ctx *ctx, Value g, int64_t colour);

/* mk_grid for the fast paths: the same value, built without re-deriving the
 * flags item by item (rows of w ints are SEQ_ALLINT, the grid SEQ_GRID, as
 * value.h defines them); widths 0 and 2 go through mk_grid for its packing.
 * cells must be the run's arena memory that nobody changes afterwards: it
 * becomes the new grid's entry in the gc_cells_ro cache. */
Err gc_mk_grid(Ctx *ctx, size_t h, size_t w, const int64_t *cells, Value *out);

/* The same for cells made from grid `from` (v_is_grid, h x w) where only
 * the rows of the bits of `changed` may differ (gc_row_bit): the others are
 * from's rows themselves. Tuples are immutable and compared by content, so
 * sharing a row is invisible, and a fill, paint or cover changes a few
 * rows of many; the rest were made cell by cell again. Rows past 64 are
 * all made. */
Err gc_mk_grid_from(Ctx *ctx, Value from, uint64_t changed, size_t h, size_t w, const int64_t *cells,
                    Value *out);
/* Row i's bit in gc_mk_grid_from's mask: rows past 63 share the last bit,
 * and such grids are made whole. */
static inline uint64_t gc_row_bit(size_t i) { return 1ull << (i < 63 ? i : 63); }

/* h, w = len(grid), len(grid[0]): TypeError for non-containers and for a
 * frozenset grid (not subscriptable), IndexError for (). */
Err gc_dims(Value grid, int64_t *h, int64_t *w);

/* mostcolor(element) as dsl.py: values of the rows of a tuple, or the first
 * items of a set's elements; the most frequent, ties to the canonically
 * smallest; ValueError when there are none. */
Err gc_mostcolor(Ctx *ctx, Value element, Value *out);
/* The same over n > 0 ints. */
int64_t gc_mostcolor_ints(Ctx *ctx, const int64_t *v, size_t n);

/* toindices(patch) as dsl.py (returns patch itself for index patches). */
Err gc_toindices(Ctx *ctx, Value patch, Value *out);

/* tuple(zip(*rows)) over n row values: TypeError unless each is iterable. */
Err gc_zip(Ctx *ctx, const Value *rows, size_t n, Value *out);

/* The values mostcolor and palette collect: the items of each row of a
 * tuple, or the first item of each element (`for v, _ in element`). */
Err gc_element_values(Ctx *ctx, Value element, VBuf *vals);

/* n packed cells given in strictly ascending position order, reordered
 * stably by colour (which is their canonical order) into a scratch array. */
Err gc_sort_by_colour(Ctx *ctx, const Value *cells, size_t n, Value **sorted);

/* The frozenset of n packed cells given in strictly ascending position order
 * (so that one colour's cells are already sorted): a stable counting sort by
 * colour when colours are small, else mk_set. */
Err gc_cells_by_colour(Ctx *ctx, const Value *cells, size_t n, Value *out);

/* (v, (i, j)) as a value (packed when it can be). */
Err gc_cell(Ctx *ctx, Value v, Value i, Value j, Value *out);

/* Python's chained `0 <= i < h and 0 <= j < w` (short-circuit, TypeError on
 * incomparable kinds). */
Err gc_in_bounds(Value i, Value j, int64_t h, int64_t w, bool *in);

/* Is patch a set the fast paths can read directly (packed pairs or cells)? */
static inline bool gc_packed_patch(Value p)
{
    return p.tag == VT_SET && p.u.seq->n && (p.u.seq->flags & (SEQ_PAIRS | SEQ_CELLS));
}

#endif
