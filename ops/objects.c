/* objects.c: the "grid" family's extractions: grids to indices and objects
 * (asindices, ofcolor, asobject, toobject, objects, partition, fgpartition),
 * pattern search (occurrences) and uniform rows and columns (frontiers,
 * compress).
 *
 * Fast paths work over the int cell array of a v_is_grid grid and emit
 * canonical sets directly (row-major order is the canonical order of
 * indices; a stable bucketing by colour gives the order of cells). objects
 * uses an iterative flood fill: the components, and so the result set, do not
 * depend on visiting order. The generic paths follow dsl.py over any values,
 * including the exact visiting order of objects' search, so that the first
 * error raised on a ragged grid is Python's. */
#include <stdlib.h>
#include <string.h>

#include "../runtime/packset.h"
#include "grid_common.h"

/* ---------------------------------------------------------------------- */
/* asindices, ofcolor, asobject, toobject                                 */
/* ---------------------------------------------------------------------- */

/* All (i, j) with i < h, j < w, in canonical order. */
static Err all_indices(Ctx *ctx, int64_t h, int64_t w, Value *out)
{
    if (h <= 0 || w <= 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    if (!gc_fits((uint64_t)h, (uint64_t)w))
        return ERR_MEMORY;
    Value *p = gc_scratch(ctx, (size_t)(h * w), sizeof *p);
    if (!p)
        return ERR_MEMORY;
    size_t k = 0;
    for (int64_t i = 0; i < h; i++)
        for (int64_t j = 0; j < w; j++)
            p[k++] = v_pair((int32_t)i, (int32_t)j);
    return mk_set_sorted(ctx, k, p, out);
}

/* asindices: (i, j) for i in range(len(grid)) for j in range(len(grid[0]));
 * grid[0] is only read when there is a row. */
Err op_asindices(Ctx *ctx, const Value *args, Value *out)
{
    int64_t h, w;
    Value r0;
    TRY(py_len(args[0], &h));
    if (h == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    TRY(py_getitem_i(args[0], 0, &r0));
    TRY(py_len(r0, &w));
    return all_indices(ctx, h, w, out);
}

/* The cells of row i of an int grid (NULL for a packed 2-cell row, which
 * the callers read through grid_at). */
static inline const Value *row_cells(Value grid, size_t i)
{
    Value r = grid.u.seq->items[i];
    return r.tag == VT_TUPLE ? r.u.seq->items : NULL;
}

static inline int64_t cell_of(Value grid, const Value *row, size_t i, size_t j)
{
    return row ? row[j].u.i : grid_at(grid, i, j);
}

/* ofcolor: (i, j) for i, r in enumerate(grid) for j, v in enumerate(r) if
 * v == value; produced in canonical order. */
Err op_ofcolor(Ctx *ctx, const Value *args, Value *out)
{
    Value grid = args[0], value = args[1];
    VBuf b;
    vbuf_init(&b, ctx);
    if (v_is_grid(grid)) {
        size_t h = grid_h(grid), w = grid_w(grid);
        if (!v_is_int(value) || /* no int equals None, a tuple or a set */
            gc_grid_colour_count_kept(ctx, grid, value.u.i) == 0) { /* a colour it lacks */
            *out = v_empty_set();
            return ERR_OK;
        }
        /* every cell's pair is written, and kept by moving on past it when
         * the cell matches: a branch on the colour mispredicted about once a
         * run of cells. The row is read through a pointer taken once (the
         * pairs written could alias it, so grid_at reloaded it per cell). */
        Seq *res = seq_alloc(ctx, h * w);
        if (!res)
            return ERR_MEMORY;
        size_t n = 0;
        int64_t want = value.u.i;
        for (size_t i = 0; i < h; i++) {
            const Value *row = row_cells(grid, i);
            if (!row) { /* a packed row of two */
                for (size_t j = 0; j < w; j++) {
                    res->items[n] = v_pair((int32_t)i, (int32_t)j);
                    n += grid_at(grid, i, j) == want;
                }
                continue;
            }
            for (size_t j = 0; j < w; j++) {
                res->items[n] = v_pair((int32_t)i, (int32_t)j);
                n += row[j].u.i == want;
            }
        }
        seq_shrink(ctx, res, h * w, n);
        /* row-major: the canonical order of pairs */
        *out = n ? packset_finish(res, n, VT_PAIR) : v_empty_set();
        return ERR_OK;
    }
    Items g;
    TRY(py_items(grid, &g));
    for (size_t i = 0; i < g.n; i++) {
        Items r;
        TRY(py_items(g.v[i], &r));
        for (size_t j = 0; j < r.n; j++)
            if (v_eq(r.v[j], value))
                TRY(vbuf_push(&b, v_pair((int32_t)i, (int32_t)j)));
    }
    return mk_set_sorted(ctx, b.n, b.items, out);
}

/* asobject of an int grid whose colours fit 32 bits and span at most 1024
 * values: count the colours, then place each cell straight into the result
 * at its colour's next slot (row-major within a colour: the canonical
 * order); one colour (a canvas) needs no count. False when the colours do
 * not suit (the caller sorts). */
static bool asobject_counted(Ctx *ctx, Value grid, Value *out, Err *err)
{
    size_t h = grid_h(grid), w = grid_w(grid), n = h * w;
    int64_t lo = grid_at(grid, 0, 0), hi = lo;
    for (size_t i = 0; i < h; i++) {
        const Value *row = row_cells(grid, i);
        for (size_t j = 0; j < w; j++) {
            int64_t v = cell_of(grid, row, i, j);
            lo = v < lo ? v : lo, hi = v > hi ? v : hi;
        }
    }
    if (!fits32(lo) || !fits32(hi) || hi - lo >= 1024)
        return false;
    size_t span = (size_t)(hi - lo) + 1, start[1025];
    memset(start, 0, (span + 1) * sizeof *start);
    if (span > 1) {
        for (size_t i = 0; i < h; i++) {
            const Value *row = row_cells(grid, i);
            for (size_t j = 0; j < w; j++)
                start[cell_of(grid, row, i, j) - lo + 1]++;
        }
        for (size_t c = 0; c < span; c++)
            start[c + 1] += start[c];
    }
    Seq *s = seq_alloc(ctx, n);
    if (!s) {
        *err = ERR_MEMORY;
        return true;
    }
    for (size_t i = 0; i < h; i++) {
        const Value *row = row_cells(grid, i);
        for (size_t j = 0; j < w; j++) {
            int64_t v = cell_of(grid, row, i, j);
            s->items[start[v - lo]++] = v_cell((int32_t)v, (int32_t)i, (int32_t)j);
        }
    }
    s->flags = SEQ_CELLS;
    Value v = {0};
    v.tag = VT_SET;
    v.u.seq = s;
    *out = v;
    *err = ERR_OK;
    return true;
}

/* asobject: (v, (i, j)) for every cell of every row. */
Err op_asobject(Ctx *ctx, const Value *args, Value *out)
{
    Value grid = args[0];
    if (v_is_grid(grid)) {
        Err e;
        if (asobject_counted(ctx, grid, out, &e))
            return e;
        size_t h = grid_h(grid), w = grid_w(grid);
        bool fit = true;
        Value *c = gc_scratch(ctx, h * w, sizeof *c);
        if (!c)
            return ERR_MEMORY;
        for (size_t i = 0; i < h && fit; i++)
            for (size_t j = 0; j < w && fit; j++) {
                int64_t v = grid_at(grid, i, j);
                fit = fits32(v);
                c[i * w + j] = v_cell((int32_t)v, (int32_t)i, (int32_t)j);
            }
        if (fit)
            return gc_cells_by_colour(ctx, c, h * w, out);
    }
    Items g;
    VBuf b;
    vbuf_init(&b, ctx);
    TRY(py_items(grid, &g));
    for (size_t i = 0; i < g.n; i++) {
        Items r;
        TRY(py_items(g.v[i], &r));
        for (size_t j = 0; j < r.n; j++) {
            Value c;
            TRY(gc_cell(ctx, r.v[j], v_int((int64_t)i), v_int((int64_t)j), &c));
            TRY(vbuf_push(&b, c));
        }
    }
    return vbuf_set(&b, out);
}

/* toobject: (grid[i][j], (i, j)) for i, j in toindices(patch) inside
 * (len(grid), len(grid[0])). */
Err op_toobject(Ctx *ctx, const Value *args, Value *out)
{
    Value patch = args[0], grid = args[1], idx;
    int64_t h, w;
    TRY(gc_dims(grid, &h, &w));
    TRY(gc_toindices(ctx, patch, &idx));
    Items it;
    TRY(py_items(idx, &it));
    size_t n = 0;
    if (v_is_grid(grid) && idx.tag == VT_SET && (v_flags(idx) & SEQ_PAIRS)) {
        /* into the result's Seq: when the colours ascend in position order
         * (one colour, most often: the neighbours of a cell in one region)
         * the cells are already canonical; else sorted by colour from it */
        Seq *res = seq_alloc(ctx, it.n);
        if (!res)
            return ERR_MEMORY;
        Value *c = res->items;
        bool fit = true, ascending = true;
        int64_t last = INT64_MIN;
        for (size_t k = 0; k < it.n && fit; k++) {
            int64_t i = it.v[k].u.p.a, j = it.v[k].u.p.b;
            if (i < 0 || j < 0 || i >= h || j >= w)
                continue;
            int64_t v = grid_at(grid, (size_t)i, (size_t)j);
            fit = fits32(v);
            ascending &= v >= last;
            last = v;
            c[n++] = v_cell((int32_t)v, (int32_t)i, (int32_t)j);
        }
        if (fit && ascending && n) {
            seq_shrink(ctx, res, it.n, n);
            *out = packset_finish(res, n, VT_CELL);
            return ERR_OK;
        }
        if (fit) /* idx is sorted, so the positions ascend */
            return gc_cells_by_colour(ctx, c, n, out);
        n = 0;
    }
    Value *c = gc_scratch(ctx, it.n, sizeof *c);
    if (!c)
        return ERR_MEMORY;
    for (size_t k = 0; k < it.n; k++) {
        Value i, j, row, v;
        bool in;
        TRY(py_unpack2(it.v[k], &i, &j));
        TRY(gc_in_bounds(i, j, h, w, &in));
        if (!in)
            continue;
        TRY(py_getitem(grid, i, &row));
        TRY(py_getitem(row, j, &v));
        TRY(gc_cell(ctx, v, i, j, &c[n++]));
    }
    return mk_set(ctx, n, c, out);
}

/* ---------------------------------------------------------------------- */
/* objects                                                                */
/* ---------------------------------------------------------------------- */

/* A component's place in canonical order: its smallest cell. */
typedef struct CompKey {
    int64_t colour;
    size_t pos;
    size_t id;
} CompKey;

static int cmp_comp(const void *a, const void *b)
{
    const CompKey *x = a, *y = b;
    if (x->colour != y->colour)
        return x->colour < y->colour ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Colours spread wider than this are sorted with qsort, not bucketed. */
#define BUCKET_SPAN 1024

/* hi - lo of the keys' colours (nc > 0), and lo. */
static int64_t colour_span(const CompKey *key, size_t nc, int64_t *lo)
{
    int64_t l = INT64_MAX, h = INT64_MIN;
    for (size_t k = 0; k < nc; k++) {
        if (key[k].colour < l) l = key[k].colour;
        if (key[k].colour > h) h = key[k].colour;
    }
    *lo = l;
    return h - l;
}

/* Keys listed in row-major order of their cell (bypos) into canonical
 * order, (colour, pos), in out: a stable bucketing by colour (their colours
 * span less than BUCKET_SPAN from lo). */
static Err bucket_by_colour(Ctx *ctx, const CompKey *bypos, size_t nc, int64_t lo, int64_t span, CompKey *out)
{
    size_t nb = (size_t)span + 1;
    size_t *start = gc_scratch(ctx, nb + 1, sizeof *start);
    if (!start)
        return ERR_MEMORY;
    memset(start, 0, (nb + 1) * sizeof *start);
    for (size_t k = 0; k < nc; k++)
        start[bypos[k].colour - lo + 1]++;
    for (size_t c = 0; c < nb; c++)
        start[c + 1] += start[c];
    for (size_t k = 0; k < nc; k++)
        out[start[bypos[k].colour - lo]++] = bypos[k];
    return ERR_OK;
}

/* Sort the component keys into canonical order, (colour, pos): listing the
 * components by their key cell in row-major order and then bucketing them
 * stably by colour, or qsort when the colours are spread out. */
static Err order_components(Ctx *ctx, CompKey *key, size_t nc, const int32_t *label, size_t n)
{
    if (nc == 0)
        return ERR_OK;
    int64_t lo, span = colour_span(key, nc, &lo);
    if (span >= BUCKET_SPAN) {
        qsort(key, nc, sizeof *key, cmp_comp);
        return ERR_OK;
    }
    CompKey *bypos = gc_scratch(ctx, nc, sizeof *bypos);
    if (!bypos)
        return ERR_MEMORY;
    size_t m = 0;
    for (size_t p = 0; p < n; p++)
        if (label[p] >= 0 && key[label[p]].pos == p)
            bypos[m++] = key[label[p]];
    return bucket_by_colour(ctx, bypos, nc, lo, span, key);
}

enum { LABEL_FREE = -1, LABEL_BLOCKED = -2 };

/* Label the multicolour components of an int grid by iterative flood fill;
 * returns the number of components. A cell equal to bg (when has_bg) is
 * never joined. The fill runs on labels with a blocked border (pl: (h + 2)
 * x (w + 2)), so that a neighbour is one offset away with no bounds test and
 * no division to recover (i, j); label (h x w) gets the result, -1 for bg. */
static size_t label_components(const int64_t *c, size_t h, size_t w, bool diag,
                               bool has_bg, int64_t bg, int32_t *label, size_t *stack, int32_t *pl)
{
    ptrdiff_t W = (ptrdiff_t)w + 2;
    const ptrdiff_t off[8] = {-W, W, -1, 1, -W - 1, -W + 1, W - 1, W + 1};
    int nd = diag ? 8 : 4;
    size_t np = (h + 2) * (w + 2), ncomp = 0;
    for (size_t k = 0; k < np; k++)
        pl[k] = LABEL_BLOCKED;
    for (size_t i = 0; i < h; i++)
        for (size_t j = 0; j < w; j++) {
            size_t p = (i + 1) * (size_t)W + j + 1;
            pl[p] = has_bg && c[i * w + j] == bg ? LABEL_BLOCKED : LABEL_FREE;
        }
    for (size_t s = 0; s < np; s++) {
        if (pl[s] != LABEL_FREE)
            continue;
        size_t top = 0;
        pl[s] = (int32_t)ncomp;
        stack[top++] = s;
        while (top) {
            size_t p = stack[--top];
            for (int d = 0; d < nd; d++) {
                size_t q = (size_t)((ptrdiff_t)p + off[d]);
                if (pl[q] != LABEL_FREE)
                    continue;
                pl[q] = (int32_t)ncomp;
                stack[top++] = q;
            }
        }
        ncomp++;
    }
    for (size_t i = 0; i < h; i++)
        for (size_t j = 0; j < w; j++) {
            int32_t l = pl[(i + 1) * (size_t)W + j + 1];
            label[i * w + j] = l >= 0 ? l : -1;
        }
    return ncomp;
}

/* A run: the cells (i, j0 .. j1 - 1) of a row, one colour, none of them bg. */
typedef struct Run {
    uint32_t i, j0, j1;
    int32_t colour;
} Run;

static uint32_t run_root(uint32_t *parent, uint32_t r)
{
    while (parent[r] != r) {
        parent[r] = parent[parent[r]]; /* path halving */
        r = parent[r];
    }
    return r;
}

static void run_union(uint32_t *parent, uint32_t a, uint32_t b)
{
    a = run_root(parent, a), b = run_root(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* The runs of row i (w cells), cells equal to bg left out when has_bg, at
 * runs; returns how many. */
static size_t row_runs(const int64_t *row, size_t w, bool has_bg, int64_t bg, uint32_t i, Run *runs)
{
    size_t n = 0;
    if (w < 64) {
        /* where runs start, as bits: one compare per cell with no branch,
         * then a step per run (the loop below tested every cell, and its
         * exit, one run's length, mispredicted about once a run: a third of
         * objects' mispredictions on the bench's batt) */
        uint64_t starts = 1;
        for (size_t j = 1; j < w; j++)
            starts |= (uint64_t)(row[j] != row[j - 1]) << j;
        uint64_t ends = starts | (uint64_t)1 << w; /* a run ends where the next starts */
        while (starts) {
            unsigned j = (unsigned)__builtin_ctzll(starts);
            ends &= ends - 1;
            starts &= starts - 1;
            int64_t v = row[j];
            runs[n] = (Run){i, j, (uint32_t)__builtin_ctzll(ends), (int32_t)v};
            n += !has_bg || v != bg;
        }
        return n;
    }
    for (size_t j = 0; j < w;) {
        int64_t v = row[j];
        size_t e = j + 1;
        while (e < w && row[e] == v)
            e++;
        /* written always, kept unless background: runs of bg and of other
         * colours alternate, and a branch on it mispredicted half the time */
        runs[n] = (Run){i, (uint32_t)j, (uint32_t)e, (int32_t)v};
        n += !has_bg || v != bg;
        j = e;
    }
    return n;
}

/* Join each run of a row (runs [b0, b1)) with the runs of the row above
 * ([a0, a1)) of its colour that touch it: sharing a column, or with diag
 * one column apart. Both rows' runs are in column order, so one pointer
 * walks the row above. */
static void join_rows(const Run *runs, uint32_t *parent, size_t a0, size_t a1, size_t b0, size_t b1, bool diag)
{
    size_t a = a0;
    for (size_t b = b0; b < b1; b++) {
        int64_t lo = (int64_t)runs[b].j0 - diag, hi = (int64_t)runs[b].j1 + diag;
        while (a < a1 && runs[a].j1 <= lo)
            a++;
        for (size_t x = a; x < a1 && runs[x].j0 < hi; x++)
            if (runs[x].colour == runs[b].colour)
                run_union(parent, (uint32_t)x, (uint32_t)b);
    }
}

/* Univalued components (objects(g, T, ., .), most of the calls): each has
 * one colour. They are labelled by runs: a row's runs of one colour, joined
 * to the runs of the row above they touch (union-find), instead of a flood
 * fill cell by cell, whose neighbour tests mispredicted a branch every few
 * cells (the largest part of objects' time on the bench's batt).
 * A component's first run in row-major order is its first cell, so
 * numbering components at their first run gives the flood fill's discovery
 * order, the canonical one within a colour; a stable bucketing of it by
 * colour is the canonical order. Cells go in run by run: row-major, each
 * component's canonical order. */
static Err objects_uni(Ctx *ctx, const int64_t *c, size_t h, size_t w, bool diag, bool has_bg, int64_t bg,
                       Value *out)
{
    size_t n = h * w;
    Run *runs = gc_scratch(ctx, n + 1, sizeof *runs);
    uint32_t *parent = gc_scratch(ctx, n + 1, sizeof *parent), *comp = gc_scratch(ctx, n + 1, sizeof *comp);
    uint32_t *size = gc_scratch(ctx, n + 1, sizeof *size);
    int32_t *colour = gc_scratch(ctx, n + 1, sizeof *colour);
    if (!runs || !parent || !comp || !size || !colour)
        return ERR_MEMORY;
    size_t nr = 0, above = 0;
    for (size_t i = 0; i < h; i++) {
        size_t r0 = nr;
        nr += row_runs(c + i * w, w, has_bg, bg, (uint32_t)i, runs + nr);
        for (size_t r = r0; r < nr; r++)
            parent[r] = (uint32_t)r;
        if (i)
            join_rows(runs, parent, above, r0, r0, nr, diag);
        above = r0;
    }
    size_t nc = 0;
    for (size_t r = 0; r < nr; r++) { /* comp[root] numbers a component at its first run */
        uint32_t root = run_root(parent, (uint32_t)r);
        if (root == r) {
            colour[nc] = runs[r].colour;
            size[nc] = 0;
            comp[r] = (uint32_t)nc++;
        } else {
            comp[r] = comp[root];
        }
        size[comp[r]] += runs[r].j1 - runs[r].j0;
    }
    TRY(ctx_tick(ctx));
    if (nc == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    CompKey *bypos = gc_scratch(ctx, nc, sizeof *bypos), *key = bypos;
    if (!bypos)
        return ERR_MEMORY;
    for (size_t k = 0; k < nc; k++) /* discovery order is row-major order */
        bypos[k] = (CompKey){colour[k], k, k};
    int64_t lo, span = colour_span(bypos, nc, &lo);
    if (span >= BUCKET_SPAN) {
        qsort(key, nc, sizeof *key, cmp_comp);
    } else {
        key = gc_scratch(ctx, nc, sizeof *key);
        if (!key)
            return ERR_MEMORY;
        TRY(bucket_by_colour(ctx, bypos, nc, lo, span, key));
    }
    Seq *res = seq_alloc(ctx, nc);
    Value **fill = (Value **)gc_scratch(ctx, nc, sizeof *fill); /* where a component's cells go next */
    if (!res || !fill)
        return ERR_MEMORY;
    for (size_t k = 0; k < nc; k++) {
        size_t id = key[k].id;
        Seq *o = seq_alloc(ctx, size[id]);
        if (!o)
            return ERR_MEMORY;
        o->flags = SEQ_CELLS;
        fill[id] = o->items;
        Value ov = {0};
        ov.tag = VT_SET;
        ov.u.seq = o;
        res->items[k] = ov;
    }
    for (size_t r = 0; r < nr; r++) {
        const Run *run = &runs[r];
        Value *dst = fill[comp[r]];
        for (uint32_t j = run->j0; j < run->j1; j++)
            *dst++ = v_cell(run->colour, (int32_t)run->i, (int32_t)j);
        fill[comp[r]] = dst;
    }
    res->flags = 0; /* a set of sets; in key order, the canonical order */
    Value v = {0};
    v.tag = VT_SET;
    v.u.seq = res;
    *out = v;
    return ERR_OK;
}

/* Components of any colours: each sorted by colour (its cells' canonical
 * order), keyed by its first cell of its smallest colour. */
static Err objects_multi(Ctx *ctx, Value grid, const int64_t *c, bool diag, bool without_bg, int64_t bg,
                         Value *out)
{
    size_t h = grid_h(grid), w = grid_w(grid), n = h * w;
    size_t np = (h + 2) * (w + 2);
    int32_t *label = gc_scratch(ctx, n, sizeof *label);
    size_t *stack = gc_scratch(ctx, n, sizeof *stack);
    int32_t *pl = gc_scratch(ctx, np, sizeof *pl);
    if (!label || !stack || !pl)
        return ERR_MEMORY;
    size_t nc = label_components(c, h, w, diag, without_bg, bg, label, stack, pl);
    TRY(ctx_tick(ctx));
    /* bucket the cells of each component in row-major order */
    size_t *start = gc_scratch(ctx, nc + 1, sizeof *start);
    CompKey *key = gc_scratch(ctx, nc, sizeof *key);
    if (!start || !key)
        return ERR_MEMORY;
    memset(start, 0, (nc + 1) * sizeof *start);
    for (size_t k = 0; k < nc; k++)
        key[k].colour = INT64_MAX, key[k].id = k;
    for (size_t p = 0; p < n; p++) {
        if (label[p] < 0)
            continue;
        CompKey *kk = &key[label[p]];
        start[label[p] + 1]++;
        if (c[p] < kk->colour) /* its first cell of the smallest colour */
            kk->colour = c[p], kk->pos = p;
    }
    for (size_t k = 0; k < nc; k++)
        start[k + 1] += start[k];
    TRY(order_components(ctx, key, nc, label, n));
    Seq *res = seq_alloc(ctx, nc);
    Value **fill = (Value **)gc_scratch(ctx, nc, sizeof *fill); /* where a component's cells go next */
    if (!res || !fill)
        return ERR_MEMORY;
    Value *cells = gc_scratch(ctx, n, sizeof *cells);
    if (!cells)
        return ERR_MEMORY;
    for (size_t k = 0; k < nc; k++)
        fill[k] = cells + start[k];
    for (size_t i = 0, p = 0; i < h; i++)
        for (size_t j = 0; j < w; j++, p++)
            if (label[p] >= 0)
                *fill[label[p]]++ = v_cell((int32_t)c[p], (int32_t)i, (int32_t)j);
    for (size_t k = 0; k < nc; k++) {
        size_t id = key[k].id, s0 = start[id], m = start[id + 1] - s0;
        TRY(gc_cells_by_colour(ctx, cells + s0, m, &res->items[k]));
        TRY(gc_tick(ctx, k));
    }
    if (nc == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    res->flags = 0; /* a set of sets; in key order, the canonical order */
    Value v = {0};
    v.tag = VT_SET;
    v.u.seq = res;
    *out = v;
    return ERR_OK;
}

/* grid[i][j] of a tuple grid, with Python's errors for odd rows. */
static Err cell_at(Value grid, int64_t i, int64_t j, Value *v)
{
    Value row;
    TRY(py_getitem_i(grid, i, &row));
    return py_getitem_i(row, j, v);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* dsl.py's search, step by step: locations in canonical order, candidate
 * sets visited in canonical order, neighbourhood minus occupied per round.
 * Only the first error it meets depends on this order. */
static Err objects_generic(Ctx *ctx, Value grid, bool uni, bool diag, Value bg, Value *out)
{
    static const int DI[8] = {-1, 1, 0, 0, -1, -1, 1, 1}, DJ[8] = {0, 0, -1, 1, -1, 1, -1, 1};
    int64_t h, w;
    TRY(gc_dims(grid, &h, &w));
    if (h <= 0 || w <= 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    if (!gc_fits((uint64_t)h, (uint64_t)w))
        return ERR_MEMORY;
    size_t n = (size_t)(h * w);
    uint8_t *occupied = gc_scratch(ctx, n, 1);
    uint32_t *mark = gc_scratch(ctx, n, sizeof *mark);
    size_t *cands = gc_scratch(ctx, n, sizeof *cands), *nb = gc_scratch(ctx, n, sizeof *nb);
    if (!occupied || !mark || !cands || !nb)
        return ERR_MEMORY;
    memset(occupied, 0, n);
    memset(mark, 0, n * sizeof *mark);
    uint32_t stamp = 0;
    VBuf objs;
    vbuf_init(&objs, ctx);
    for (size_t s = 0; s < n; s++) {
        Value val;
        if (occupied[s])
            continue;
        TRY(cell_at(grid, (int64_t)(s / (size_t)w), (int64_t)(s % (size_t)w), &val));
        if (v_eq(val, bg))
            continue;
        VBuf obj;
        vbuf_init(&obj, ctx);
        size_t nc = 1;
        cands[0] = s;
        while (nc) {
            size_t nn = 0;
            stamp++;
            for (size_t k = 0; k < nc; k++) {
                size_t p = cands[k];
                int64_t i = (int64_t)(p / (size_t)w), j = (int64_t)(p % (size_t)w);
                Value v, cell;
                TRY(cell_at(grid, i, j, &v));
                if (uni ? !v_eq(val, v) : v_eq(v, bg))
                    continue;
                TRY(gc_cell(ctx, v, v_int(i), v_int(j), &cell));
                TRY(vbuf_push(&obj, cell));
                occupied[p] = 1;
                for (int d = 0; d < (diag ? 8 : 4); d++) {
                    int64_t ni = i + DI[d], nj = j + DJ[d];
                    if (ni < 0 || ni >= h || nj < 0 || nj >= w)
                        continue;
                    size_t q = (size_t)(ni * w + nj);
                    if (mark[q] != stamp)
                        mark[q] = stamp, nb[nn++] = q;
                }
                TRY(gc_tick(ctx, k));
            }
            nc = 0; /* cands = neighborhood - occupied, iterated in order */
            for (size_t k = 0; k < nn; k++)
                if (!occupied[nb[k]])
                    cands[nc++] = nb[k];
            qsort(cands, nc, sizeof *cands, cmp_size);
        }
        Value o;
        TRY(vbuf_set(&obj, &o));
        TRY(vbuf_push(&objs, o));
    }
    return vbuf_set(&objs, out);
}

Err op_objects(Ctx *ctx, const Value *args, Value *out)
{
    Value grid = args[0];
    bool uni = v_truthy(args[1]), diag = v_truthy(args[2]), wbg = v_truthy(args[3]);
    if (v_is_grid(grid)) {
        unsigned flags = (unsigned)uni | (unsigned)diag << 1 | (unsigned)wbg << 2;
        if (gc_grid_objects(ctx, grid, flags, out))
            return ERR_OK;
        /* the background first: counting ARC's colours also tells that
         * every cell fits 32 bits, which the fits test then takes as known */
        const int64_t *c = gc_cells_ro(ctx, grid);
        int64_t bg = 0;
        bool fit;
        if (!c || (wbg && !gc_grid_mostcolor(ctx, grid, &bg)) || !gc_grid_fits32(ctx, grid, &fit))
            return ERR_MEMORY;
        if (fit) {
            Err e = uni ? objects_uni(ctx, c, grid_h(grid), grid_w(grid), diag, wbg, bg, out)
                        : objects_multi(ctx, grid, c, diag, wbg, bg, out);
            if (!e)
                gc_grid_objects_keep(ctx, grid, flags, *out);
            return e;
        }
    }
    Value bg = v_none();
    if (wbg)
        TRY(gc_mostcolor(ctx, grid, &bg));
    return objects_generic(ctx, grid, uni, diag, bg, out);
}

/* ---------------------------------------------------------------------- */
/* partition, fgpartition                                                 */
/* ---------------------------------------------------------------------- */

/* One object per colour of an int grid (the most common left out for fg). */
static Err partition_fast(Ctx *ctx, Value grid, const int64_t *c, bool fg, Value *out)
{
    size_t h = grid_h(grid), w = grid_w(grid), n = h * w;
    int64_t bg = 0;
    if (fg && !gc_grid_mostcolor(ctx, grid, &bg))
        return ERR_MEMORY;
    Value *cells = gc_scratch(ctx, n, sizeof *cells), *sorted;
    if (!cells)
        return ERR_MEMORY;
    for (size_t p = 0; p < n; p++)
        cells[p] = v_cell((int32_t)c[p], (int32_t)(p / w), (int32_t)(p % w));
    TRY(gc_sort_by_colour(ctx, cells, n, &sorted));
    VBuf objs;
    vbuf_init(&objs, ctx);
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && sorted[e].c == sorted[k].c)
            e++;
        if (!fg || sorted[k].c != bg) {
            Value o;
            TRY(mk_set_sorted(ctx, e - k, sorted + k, &o));
            TRY(vbuf_push(&objs, o));
        }
        k = e;
    }
    return mk_set_sorted(ctx, objs.n, objs.items, out); /* ascending colour */
}

/* dsl.py over any values: palette(grid) (minus mostcolor for fg), then for
 * each colour the cells of enumerate(grid) / enumerate(row) equal to it. */
static Err partition_generic(Ctx *ctx, Value grid, bool fg, Value *out)
{
    VBuf vals;
    Value pal;
    vbuf_init(&vals, ctx);
    TRY(gc_element_values(ctx, grid, &vals));
    TRY(mk_set(ctx, vals.n, vals.items, &pal));
    Value bg = v_none();
    if (fg)
        TRY(gc_mostcolor(ctx, grid, &bg));
    Items g, colours;
    TRY(py_items(pal, &colours));
    VBuf objs;
    vbuf_init(&objs, ctx);
    if (colours.n)
        TRY(py_items(grid, &g));
    for (size_t k = 0; k < colours.n; k++) {
        if (fg && v_eq(colours.v[k], bg))
            continue;
        VBuf obj;
        vbuf_init(&obj, ctx);
        for (size_t i = 0; i < g.n; i++) {
            Items r;
            TRY(py_items(g.v[i], &r));
            for (size_t j = 0; j < r.n; j++) {
                Value cell;
                if (!v_eq(r.v[j], colours.v[k]))
                    continue;
                TRY(gc_cell(ctx, r.v[j], v_int((int64_t)i), v_int((int64_t)j), &cell));
                TRY(vbuf_push(&obj, cell));
            }
        }
        Value o;
        TRY(vbuf_set(&obj, &o));
        TRY(vbuf_push(&objs, o));
        TRY(ctx_tick(ctx));
    }
    return vbuf_set(&objs, out);
}

static Err partition_v(Ctx *ctx, Value grid, bool fg, Value *out)
{
    if (v_is_grid(grid)) {
        const int64_t *c = gc_cells_ro(ctx, grid);
        bool fit;
        if (!c || !gc_grid_fits32(ctx, grid, &fit))
            return ERR_MEMORY;
        if (fit)
            return partition_fast(ctx, grid, c, fg, out);
    }
    return partition_generic(ctx, grid, fg, out);
}

Err op_partition(Ctx *ctx, const Value *args, Value *out) { return partition_v(ctx, args[0], false, out); }
Err op_fgpartition(Ctx *ctx, const Value *args, Value *out) { return partition_v(ctx, args[0], true, out); }

/* ---------------------------------------------------------------------- */
/* occurrences                                                            */
/* ---------------------------------------------------------------------- */

/* Is the object a full rectangle of one colour? (its cells are distinct, so
 * as many cells as its bounding box holds fill it) */
static bool uniform_rect(const Value *it, size_t n, int64_t oh, int64_t ow)
{
    if ((uint64_t)oh * (uint64_t)ow != n)
        return false;
    for (size_t k = 1; k < n; k++)
        if (it[k].c != it[0].c)
            return false;
    return true;
}

/* occurrences of a one-colour oh x ow rectangle (solvers search for blank
 * canvases of many sizes): a summed-area table of the cells of that colour
 * (cached with the grid, as solvers search one grid for many sizes) answers
 * each placement in O(1), where the cell-by-cell test is O(oh * ow). */
/* Four placements of a row at once (GCC/Clang vector extensions: SSE2 on
 * x86-64, whatever the target offers elsewhere): lane k is -1 when the
 * rectangle at column j + k holds `full` cells of the colour. */
typedef uint32_t occ_u4 __attribute__((vector_size(16)));
typedef int32_t occ_i4 __attribute__((vector_size(16)));

static inline occ_i4 occ_hits4(const int32_t *top, const int32_t *bot, size_t j, size_t ow, occ_u4 full)
{
    occ_u4 a, b, c, d;
    memcpy(&a, bot + j + ow, sizeof a);
    memcpy(&b, bot + j, sizeof b);
    memcpy(&c, top + j + ow, sizeof c);
    memcpy(&d, top + j, sizeof d);
    return (occ_i4)(a - b - c + d == full);
}

static Err occurrences_rect(Ctx *ctx, Value grid, int64_t colour, int64_t oh, int64_t ow, Value *out)
{
    size_t h = grid_h(grid), w = grid_w(grid), W = w + 1;
    const int32_t *sat = gc_colour_sat(ctx, grid, colour);
    if (!sat)
        return ERR_MEMORY;
    size_t h2 = h - (size_t)oh + 1, w2 = w - (size_t)ow + 1, uow = (size_t)ow;
    int32_t full = (int32_t)(oh * ow);
    occ_u4 full4 = {(uint32_t)full, (uint32_t)full, (uint32_t)full, (uint32_t)full};
    if (sat[h * W + w] < full) { /* fewer cells of the colour than it needs */
        *out = v_empty_set();
        return ERR_OK;
    }
    /* one pass, into room for every placement (h2 * w2 <= the grid's
     * cells); the unused tail goes back to the arena */
    size_t cap = h2 * w2, m = 0;
    Seq *s = seq_alloc(ctx, cap);
    if (!s)
        return ERR_MEMORY;
    for (size_t i = 0; i < h2; i++) {
        const int32_t *top = sat + i * W, *bot = sat + (i + (size_t)oh) * W;
        size_t j = 0;
        for (; j + 4 <= w2; j += 4) {
            occ_i4 hit = occ_hits4(top, bot, j, uow, full4);
            if (!(hit[0] | hit[1] | hit[2] | hit[3]))
                continue;
            for (int k = 0; k < 4; k++)
                if (hit[k])
                    s->items[m++] = v_pair((int32_t)i, (int32_t)(j + (size_t)k));
        }
        for (; j < w2; j++)
            if (bot[j + uow] - bot[j] - top[j + uow] + top[j] == full)
                s->items[m++] = v_pair((int32_t)i, (int32_t)j);
        TRY(ctx_tick(ctx));
    }
    seq_shrink(ctx, s, cap, m);
    if (m == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    s->flags = SEQ_PAIRS; /* row-major positions: the canonical order */
    Value v = {0};
    v.tag = VT_SET;
    v.u.seq = s;
    *out = v;
    return ERR_OK;
}

/* Int grid, packed cells: every placement of the normalized object inside
 * the grid (a placement can never leave it), in canonical order. */
static Err occurrences_fast(Ctx *ctx, Value grid, Value obj, Value *out)
{
    int64_t h = (int64_t)grid_h(grid), w = (int64_t)grid_w(grid);
    const Value *it = obj.u.seq->items;
    size_t n = obj.u.seq->n;
    int64_t i0 = INT64_MAX, j0 = INT64_MAX, i1 = INT64_MIN, j1 = INT64_MIN;
    for (size_t k = 0; k < n; k++) {
        int64_t a = it[k].u.p.a, b = it[k].u.p.b;
        if (a < i0) i0 = a;
        if (a > i1) i1 = a;
        if (b < j0) j0 = b;
        if (b > j1) j1 = b;
    }
    int64_t h2 = h - (i1 - i0 + 1) + 1, w2 = w - (j1 - j0 + 1) + 1;
    if (h2 <= 0 || w2 <= 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    if (uniform_rect(it, n, i1 - i0 + 1, j1 - j0 + 1))
        return occurrences_rect(ctx, grid, it[0].c, i1 - i0 + 1, j1 - j0 + 1, out);
    const int64_t *c = gc_cells_ro(ctx, grid);
    size_t *off = gc_scratch(ctx, n, sizeof *off); /* offset of each cell */
    int64_t *col = gc_scratch(ctx, n, sizeof *col);
    if (!c || !off || !col)
        return ERR_MEMORY;
    for (size_t k = 0; k < n; k++) {
        off[k] = (size_t)(it[k].u.p.a - i0) * (size_t)w + (size_t)(it[k].u.p.b - j0);
        col[k] = it[k].c;
    }
    VBuf b;
    vbuf_init(&b, ctx);
    for (int64_t i = 0; i < h2; i++) {
        for (int64_t j = 0; j < w2; j++) {
            const int64_t *base = c + i * w + j;
            size_t k = 0;
            while (k < n && base[off[k]] == col[k])
                k++;
            if (k == n)
                TRY(vbuf_push(&b, v_pair((int32_t)i, (int32_t)j)));
        }
        TRY(ctx_tick(ctx));
    }
    return mk_set_sorted(ctx, b.n, b.items, out);
}

/* Does the shifted object match the grid at every cell? (the body of
 * dsl.py's loop, over any values) */
static Err occurs_at(Ctx *ctx, Value grid, Value normed, int64_t h, int64_t w, int64_t i, int64_t j,
                     bool *occurs)
{
    *occurs = true;
    if (v_len(normed) == 0)
        return ERR_OK;
    Items it;
    bool packed = normed.tag == VT_SET && (normed.u.seq->flags & SEQ_CELLS);
    if (packed) { /* translation keeps the canonical order: no need to shift */
        it.v = normed.u.seq->items, it.n = normed.u.seq->n;
    } else {
        Value sh, d, a[2];
        TRY(mk_pair(ctx, i, j, &d));
        a[0] = normed, a[1] = d;
        TRY(op_shift(ctx, a, &sh));
        TRY(py_items(sh, &it));
    }
    for (size_t k = 0; k < it.n; k++) {
        Value v, ab, a, b, g;
        bool in;
        if (packed) {
            v = v_int(it.v[k].c);
            a = v_int(it.v[k].u.p.a + i), b = v_int(it.v[k].u.p.b + j);
        } else {
            TRY(py_unpack2(it.v[k], &v, &ab)); /* for v, (a, b) in shift(...) */
            TRY(py_unpack2(ab, &a, &b));
        }
        TRY(gc_in_bounds(a, b, h, w, &in));
        if (in) {
            TRY(cell_at(grid, a.u.i, b.u.i, &g));
            in = v_eq(g, v);
        }
        if (!in) {
            *occurs = false;
            return ERR_OK;
        }
    }
    return ERR_OK;
}

static Err occurrences_generic(Ctx *ctx, Value grid, Value obj, Value *out)
{
    Value normed, sh, oh, ow, h2v, w2v;
    int64_t h, w;
    TRY(op_normalize(ctx, &obj, &normed));
    TRY(gc_dims(grid, &h, &w));
    TRY(op_shape(ctx, &obj, &sh));
    TRY(py_unpack2(sh, &oh, &ow));
    TRY(py_sub(v_int(h), oh, &h2v));
    TRY(py_add(ctx, h2v, v_int(1), &h2v));
    TRY(py_sub(v_int(w), ow, &w2v));
    TRY(py_add(ctx, w2v, v_int(1), &w2v));
    TRY(py_iterable(normed));
    VBuf b;
    vbuf_init(&b, ctx);
    for (int64_t i = 0; i < h2v.u.i; i++)
        for (int64_t j = 0; j < w2v.u.i; j++) {
            bool occurs;
            TRY(occurs_at(ctx, grid, normed, h, w, i, j, &occurs));
            if (occurs)
                TRY(vbuf_push(&b, v_pair((int32_t)i, (int32_t)j)));
            TRY(ctx_tick(ctx));
        }
    return mk_set_sorted(ctx, b.n, b.items, out);
}

Err op_occurrences(Ctx *ctx, const Value *args, Value *out)
{
    Value grid = args[0], obj = args[1];
    if (v_is_grid(grid) && obj.tag == VT_SET && obj.u.seq->n && (obj.u.seq->flags & SEQ_CELLS))
        return occurrences_fast(ctx, grid, obj, out);
    return occurrences_generic(ctx, grid, obj, out);
}

/* ---------------------------------------------------------------------- */
/* frontiers, compress                                                    */
/* ---------------------------------------------------------------------- */

/* len(set(items)) == 1 */
static bool uniform(const Value *v, size_t n)
{
    if (n == 0)
        return false;
    for (size_t k = 1; k < n; k++)
        if (!v_eq(v[k], v[0]))
            return false;
    return true;
}

/* Uniform rows and columns of an int grid. */
static void uniform_lines(const int64_t *c, size_t h, size_t w, bool *row_u, bool *col_u)
{
    for (size_t i = 0; i < h; i++) {
        row_u[i] = true;
        for (size_t j = 1; j < w && row_u[i]; j++)
            row_u[i] = c[i * w + j] == c[i * w];
    }
    for (size_t j = 0; j < w; j++) {
        col_u[j] = true;
        for (size_t i = 1; i < h && col_u[j]; i++)
            col_u[j] = c[i * w + j] == c[j];
    }
}

static Err frontiers_fast(Ctx *ctx, Value grid, const int64_t *c, Value *out)
{
    size_t h = grid_h(grid), w = grid_w(grid);
    bool *ru = gc_scratch(ctx, h, 1), *cu = gc_scratch(ctx, w, 1);
    Value *line = gc_scratch(ctx, h > w ? h : w, sizeof *line);
    if (!ru || !cu || !line)
        return ERR_MEMORY;
    uniform_lines(c, h, w, ru, cu);
    VBuf objs;
    vbuf_init(&objs, ctx);
    for (size_t i = 0; i < h; i++) {
        if (!ru[i])
            continue;
        Value o;
        for (size_t j = 0; j < w; j++)
            line[j] = v_cell((int32_t)c[i * w + j], (int32_t)i, (int32_t)j);
        TRY(mk_set_sorted(ctx, w, line, &o));
        TRY(vbuf_push(&objs, o));
    }
    for (size_t j = 0; j < w; j++) {
        if (!cu[j])
            continue;
        Value o;
        for (size_t i = 0; i < h; i++)
            line[i] = v_cell((int32_t)c[i * w + j], (int32_t)i, (int32_t)j);
        TRY(mk_set_sorted(ctx, h, line, &o));
        TRY(vbuf_push(&objs, o));
    }
    return vbuf_set(&objs, out);
}

/* The frontier object of row i (or column j) over any values:
 * {(grid[i][j], (i, j)) for j in range(w)}. */
static Err line_object(Ctx *ctx, Value grid, int64_t fixed, int64_t len, bool row, Value *out)
{
    VBuf o;
    vbuf_init(&o, ctx);
    for (int64_t k = 0; k < len; k++) {
        int64_t i = row ? fixed : k, j = row ? k : fixed;
        Value v, cell;
        TRY(cell_at(grid, i, j, &v));
        TRY(gc_cell(ctx, v, v_int(i), v_int(j), &cell));
        TRY(vbuf_push(&o, cell));
    }
    return vbuf_set(&o, out);
}

/* Indices of the uniform items of a container of rows (TypeError for a
 * row that is not iterable). */
static Err uniform_indices(Ctx *ctx, Value rows, bool **flags, size_t *n)
{
    Items g;
    TRY(py_items(rows, &g));
    bool *f = gc_scratch(ctx, g.n, 1);
    if (!f)
        return ERR_MEMORY;
    for (size_t i = 0; i < g.n; i++) {
        Items r;
        TRY(py_items(g.v[i], &r));
        f[i] = uniform(r.v, r.n);
    }
    *flags = f, *n = g.n;
    return ERR_OK;
}

static Err frontiers_generic(Ctx *ctx, Value grid, Value *out)
{
    int64_t h, w;
    TRY(gc_dims(grid, &h, &w));
    bool *ru, *cu;
    size_t nr, ncol;
    Value cols;
    TRY(uniform_indices(ctx, grid, &ru, &nr));
    TRY(op_dmirror(ctx, &grid, &cols));
    TRY(uniform_indices(ctx, cols, &cu, &ncol));
    VBuf objs;
    vbuf_init(&objs, ctx);
    for (size_t i = 0; i < nr; i++) {
        Value o;
        if (!ru[i])
            continue;
        TRY(line_object(ctx, grid, (int64_t)i, w, true, &o));
        TRY(vbuf_push(&objs, o));
    }
    for (size_t j = 0; j < ncol; j++) {
        Value o;
        if (!cu[j])
            continue;
        TRY(line_object(ctx, grid, (int64_t)j, h, false, &o));
        TRY(vbuf_push(&objs, o));
    }
    return vbuf_set(&objs, out);
}

Err op_frontiers(Ctx *ctx, const Value *args, Value *out)
{
    Value grid = args[0];
    if (v_is_grid(grid)) {
        const int64_t *c = gc_cells_ro(ctx, grid);
        bool fit;
        if (!c || !gc_grid_fits32(ctx, grid, &fit))
            return ERR_MEMORY;
        if (fit)
            return frontiers_fast(ctx, grid, c, out);
    }
    return frontiers_generic(ctx, grid, out);
}

static Err compress_fast(Ctx *ctx, Value grid, Value *out)
{
    size_t h = grid_h(grid), w = grid_w(grid), nh = 0, nw = 0, o = 0;
    const int64_t *c = gc_cells_ro(ctx, grid);
    bool *ru = gc_scratch(ctx, h, 1), *cu = gc_scratch(ctx, w, 1);
    int64_t *d = gc_scratch(ctx, h * w, sizeof *d);
    if (!c || !ru || !cu || !d)
        return ERR_MEMORY;
    uniform_lines(c, h, w, ru, cu);
    for (size_t j = 0; j < w; j++)
        nw += !cu[j];
    for (size_t i = 0; i < h; i++) {
        if (ru[i])
            continue;
        for (size_t j = 0; j < w; j++)
            if (!cu[j])
                d[o++] = c[i * w + j];
        nh++;
    }
    return gc_mk_grid(ctx, nh, nw, d, out);
}

/* compress over any values: rows of enumerate(grid) not in ri, keeping the
 * items whose position is not in ci (ci from dmirror(grid)). */
static Err compress_generic(Ctx *ctx, Value grid, Value *out)
{
    bool *ru, *cu;
    size_t nr, ncol;
    Value cols;
    TRY(uniform_indices(ctx, grid, &ru, &nr));
    TRY(op_dmirror(ctx, &grid, &cols));
    TRY(uniform_indices(ctx, cols, &cu, &ncol));
    Items g;
    TRY(py_items(grid, &g));
    VBuf rows;
    vbuf_init(&rows, ctx);
    for (size_t i = 0; i < g.n; i++) {
        if (ru[i])
            continue;
        Items r;
        TRY(py_items(g.v[i], &r));
        Value *kept = gc_scratch(ctx, r.n, sizeof *kept), row;
        if (!kept)
            return ERR_MEMORY;
        size_t m = 0;
        for (size_t j = 0; j < r.n; j++)
            if (j >= ncol || !cu[j])
                kept[m++] = r.v[j];
        TRY(mk_tuple(ctx, m, kept, &row));
        TRY(vbuf_push(&rows, row));
    }
    return vbuf_tuple(&rows, out);
}

Err op_compress(Ctx *ctx, const Value *args, Value *out)
{
    if (v_is_grid(args[0]))
        return compress_fast(ctx, args[0], out);
    return compress_generic(ctx, args[0], out);
}
