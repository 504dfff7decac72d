/* grid.c: the "grid" family's transforms: rotations and mirrors, fill and
 * paint, up/down-scaling, concatenation, splitting, cropping, recolouring
 * and the halves.
 *
 * Each primitive has a fast path over v_is_grid grids (an int cell array,
 * rebuilt with gc_mk_grid) and packed patches (SEQ_PAIRS / SEQ_CELLS sets), and a
 * generic path that is a close reading of dsl.py over any values: ragged
 * rows, non-int cells, frozensets or ints where a grid is expected, tuples as
 * patches, with Python's evaluation order and exception classes. Sizes that
 * come from data (factors, dimensions, split counts) are checked against
 * LIMIT_SEQ_ITEMS before anything is allocated. The set branches of the
 * mirrors use the patch family's corners in their generic paths. */
#include <string.h>

#include "grid_common.h"

/* ---------------------------------------------------------------------- */
/* small helpers                                                          */
/* ---------------------------------------------------------------------- */

/* A tuple that takes n values from an arena array. */
static Err tuple_of(Ctx *ctx, size_t n, const Value *items, Value *out)
{
    return mk_tuple(ctx, n, items, out);
}

/* (a, b) of two ints, packed when it fits. */
static Err int_pair(Ctx *ctx, int64_t a, int64_t b, Value *out)
{
    if (fits32(a) && fits32(b)) {
        *out = v_pair((int32_t)a, (int32_t)b);
        return ERR_OK;
    }
    return mk_pair(ctx, a, b, out);
}

/* start + dims for slice bounds: Python ints do not overflow, and a slice
 * clamps a huge bound, so a saturated sum slices the same. */
static Err add_bound(Ctx *ctx, Value a, Value b, Value *out)
{
    if (v_is_int(a) && v_is_int(b)) {
        int64_t r;
        if (__builtin_add_overflow(a.u.i, b.u.i, &r))
            r = a.u.i > 0 ? INT64_MAX : INT64_MIN;
        *out = v_int(r);
        return ERR_OK;
    }
    return py_add(ctx, a, b, out);
}

/* Call a one-argument primitive of another family. */
static Err call_prim1(Ctx *ctx, PrimFn fn, Value a, Value *out)
{
    return fn(ctx, &a, out);
}

/* ---------------------------------------------------------------------- */
/* int-grid remapping: rotations and mirrors                              */
/* ---------------------------------------------------------------------- */

typedef enum { RM_ROT90, RM_ROT180, RM_ROT270, RM_VMIRROR, RM_DMIRROR, RM_CMIRROR } Remap;

/* out[r][c] = g[src(r, c)] for the six index maps of a v_is_grid grid,
 * written as src index = base + r * sr + c * sc over the row-major cells. */
static Err remap_grid(Ctx *ctx, Value g, Remap kind, Value *out)
{
    size_t h = grid_h(g), w = grid_w(g);
    const int64_t *src = gc_cells_ro(ctx, g);
    int64_t *dst = gc_scratch(ctx, h * w, sizeof *dst);
    if (!src || !dst)
        return ERR_MEMORY;
    bool swap = kind != RM_ROT180 && kind != RM_VMIRROR;
    size_t H = swap ? w : h, W = swap ? h : w;
    ptrdiff_t ph = (ptrdiff_t)h, pw = (ptrdiff_t)w, base, sr, sc;
    switch (kind) {
    case RM_ROT90: base = (ph - 1) * pw, sr = 1, sc = -pw; break;     /* g[h-1-c][r] */
    case RM_ROT180: base = ph * pw - 1, sr = -pw, sc = -1; break;     /* g[h-1-r][w-1-c] */
    case RM_ROT270: base = pw - 1, sr = -1, sc = pw; break;           /* g[c][w-1-r] */
    case RM_VMIRROR: base = pw - 1, sr = pw, sc = -1; break;          /* g[r][w-1-c] */
    case RM_DMIRROR: base = 0, sr = 1, sc = pw; break;                /* g[c][r] */
    default: base = ph * pw - 1, sr = -1, sc = -pw; break;            /* g[h-1-c][w-1-r] */
    }
    for (size_t r = 0; r < H; r++) {
        int64_t *d = dst + r * W;
        ptrdiff_t k = base + (ptrdiff_t)r * sr;
        for (size_t c = 0; c < W; c++, k += sc)
            d[c] = src[k];
    }
    return gc_mk_grid(ctx, H, W, dst, out);
}

/* The rows of a tuple, each reversed (row[::-1]): TypeError for non-tuples. */
static Err reversed_rows(Ctx *ctx, const Value *rows, size_t n, Value **res)
{
    Value *r = gc_scratch(ctx, n, sizeof *r);
    if (!r)
        return ERR_MEMORY;
    for (size_t k = 0; k < n; k++)
        TRY(py_reversed(ctx, rows[k], &r[k]));
    *res = r;
    return ERR_OK;
}

/* tuple(zip(*grid[::-1])): rot90's rows. */
static Err zip_reversed(Ctx *ctx, Value grid, Value *out)
{
    Value rev;
    TRY(py_reversed(ctx, grid, &rev));
    Items it;
    TRY(py_items(rev, &it));
    return gc_zip(ctx, it.v, it.n, out);
}

static Err rot90_v(Ctx *ctx, Value grid, Value *out)
{
    if (v_is_grid(grid))
        return remap_grid(ctx, grid, RM_ROT90, out);
    return zip_reversed(ctx, grid, out);
}

static Err rot180_v(Ctx *ctx, Value grid, Value *out)
{
    if (v_is_grid(grid))
        return remap_grid(ctx, grid, RM_ROT180, out);
    Value rev;
    TRY(py_reversed(ctx, grid, &rev));
    Items it;
    TRY(py_items(rev, &it));
    Value *rows;
    TRY(reversed_rows(ctx, it.v, it.n, &rows));
    return tuple_of(ctx, it.n, rows, out);
}

static Err rot270_v(Ctx *ctx, Value grid, Value *out)
{
    if (v_is_grid(grid))
        return remap_grid(ctx, grid, RM_ROT270, out);
    Value z;
    TRY(zip_reversed(ctx, grid, &z));
    Items it;
    TRY(py_items(z, &it));
    Value *rows;
    TRY(reversed_rows(ctx, it.v, it.n, &rows));
    Value t;
    TRY(tuple_of(ctx, it.n, rows, &t));
    return py_reversed(ctx, t, out);
}

Err op_rot90(Ctx *ctx, const Value *args, Value *out) { return rot90_v(ctx, args[0], out); }
Err op_rot180(Ctx *ctx, const Value *args, Value *out) { return rot180_v(ctx, args[0], out); }
Err op_rot270(Ctx *ctx, const Value *args, Value *out) { return rot270_v(ctx, args[0], out); }

/* ---------------------------------------------------------------------- */
/* mirrors of patches (the frozenset branches of dsl.py)                  */
/* ---------------------------------------------------------------------- */

typedef enum { MIR_H, MIR_V, MIR_D } Mirror;

/* Bounding box of a packed patch. */
static void packed_bbox(Value p, int64_t *i0, int64_t *j0, int64_t *i1, int64_t *j1)
{
    const Value *it = p.u.seq->items;
    int64_t a0 = INT64_MAX, b0 = INT64_MAX, a1 = INT64_MIN, b1 = INT64_MIN;
    for (uint32_t k = 0; k < p.u.seq->n; k++) {
        int64_t a = it[k].u.p.a, b = it[k].u.p.b;
        if (a < a0) a0 = a;
        if (a > a1) a1 = a;
        if (b < b0) b0 = b;
        if (b > b1) b1 = b;
    }
    *i0 = a0, *j0 = b0, *i1 = a1, *j1 = b1;
}

/* Same colour block (always true for pairs). */
static bool same_colour(const Value *a, const Value *b) { return a->tag != VT_CELL || a->c == b->c; }

/* hmirror of a packed patch: i -> d - i reverses the order of the row
 * groups inside each colour block, keeping each group's order: linear. */
static Err hmirror_packed(Ctx *ctx, Value p, Value *out)
{
    int64_t i0, j0, i1, j1;
    packed_bbox(p, &i0, &j0, &i1, &j1);
    int64_t d = i0 + i1;
    size_t n = p.u.seq->n, o = 0;
    const Value *it = p.u.seq->items;
    Value *res = gc_scratch(ctx, n, sizeof *res);
    if (!res)
        return ERR_MEMORY;
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && same_colour(&it[k], &it[e]))
            e++;
        for (size_t ge = e; ge > k;) {
            size_t gs = ge - 1;
            while (gs > k && it[gs - 1].u.p.a == it[ge - 1].u.p.a)
                gs--;
            for (size_t q = gs; q < ge; q++) {
                res[o] = it[q];
                res[o++].u.p.a = (int32_t)(d - it[q].u.p.a);
            }
            ge = gs;
        }
        k = e;
    }
    return mk_set_sorted(ctx, n, res, out);
}

/* vmirror of a packed patch: j -> d - j reverses each (colour, row) group. */
static Err vmirror_packed(Ctx *ctx, Value p, Value *out)
{
    int64_t i0, j0, i1, j1;
    packed_bbox(p, &i0, &j0, &i1, &j1);
    int64_t d = j0 + j1;
    size_t n = p.u.seq->n;
    const Value *it = p.u.seq->items;
    Value *res = gc_scratch(ctx, n, sizeof *res);
    if (!res)
        return ERR_MEMORY;
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && same_colour(&it[k], &it[e]) && it[e].u.p.a == it[k].u.p.a)
            e++;
        for (size_t q = k; q < e; q++) {
            res[k + (e - 1 - q)] = it[q];
            res[k + (e - 1 - q)].u.p.b = (int32_t)(d - it[q].u.p.b);
        }
        k = e;
    }
    return mk_set_sorted(ctx, n, res, out);
}

/* dmirror of a packed patch: (j - b + a, i - a + b) about the ulcorner; the
 * generic path takes over when a coordinate leaves 32 bits. */
static Err dmirror_packed(Ctx *ctx, Value p, bool *done, Value *out)
{
    int64_t a, b, i1, j1;
    packed_bbox(p, &a, &b, &i1, &j1);
    size_t n = p.u.seq->n;
    const Value *it = p.u.seq->items;
    Value *res = gc_scratch(ctx, n, sizeof *res);
    if (!res)
        return ERR_MEMORY;
    *done = false;
    for (size_t k = 0; k < n; k++) {
        int64_t ni = it[k].u.p.b - b + a, nj = it[k].u.p.a - a + b;
        if (!fits32(ni) || !fits32(nj))
            return ERR_OK;
        res[k] = it[k];
        res[k].u.p.a = (int32_t)ni;
        res[k].u.p.b = (int32_t)nj;
    }
    *done = true;
    return mk_set(ctx, n, res, out);
}

/* dsl.py's set branch over any values: d from the patch family's corners,
 * then `(v, (d - i, j)) for v, (i, j) in piece` or `(d - i, j) for i, j`. */
static Err mirror_generic(Ctx *ctx, Value piece, Mirror kind, Value *out)
{
    Value d = v_none(), a = v_none(), b = v_none(), ul, lr, x, y;
    if (kind == MIR_D) {
        TRY(call_prim1(ctx, op_ulcorner, piece, &ul));
        TRY(py_unpack2(ul, &a, &b)); /* a, b = ulcorner(piece) */
    } else {
        int64_t k = kind == MIR_H ? 0 : 1;
        TRY(call_prim1(ctx, op_ulcorner, piece, &ul));
        TRY(py_getitem_i(ul, k, &x));
        TRY(call_prim1(ctx, op_lrcorner, piece, &lr));
        TRY(py_getitem_i(lr, k, &y));
        TRY(py_add(ctx, x, y, &d));
    }
    Items it;
    TRY(py_items(piece, &it));
    if (it.n == 0)
        return ERR_STOPITER; /* next(iter(piece)) */
    Value second;
    TRY(py_getitem_i(it.v[0], 1, &second));
    bool cells = v_is_tuple(second);
    Value *res = gc_scratch(ctx, it.n, sizeof *res);
    if (!res)
        return ERR_MEMORY;
    for (size_t k = 0; k < it.n; k++) {
        Value v = v_none(), ij = it.v[k], i, j, ni, nj, t;
        if (cells)
            TRY(py_unpack2(it.v[k], &v, &ij));
        TRY(py_unpack2(ij, &i, &j));
        if (kind == MIR_H) {
            TRY(py_sub(d, i, &ni));
            nj = j;
        } else if (kind == MIR_V) {
            ni = i;
            TRY(py_sub(d, j, &nj));
        } else {
            TRY(py_sub(j, b, &t));
            TRY(py_add(ctx, t, a, &ni));
            TRY(py_sub(i, a, &t));
            TRY(py_add(ctx, t, b, &nj));
        }
        if (cells) {
            TRY(gc_cell(ctx, v, ni, nj, &res[k]));
        } else {
            Value nij[2] = {ni, nj};
            TRY(mk_tuple(ctx, 2, nij, &res[k]));
        }
    }
    return mk_set(ctx, it.n, res, out);
}

static Err hmirror_v(Ctx *ctx, Value piece, Value *out)
{
    if (v_is_tuple(piece))
        return py_reversed(ctx, piece, out); /* piece[::-1] */
    if (gc_packed_patch(piece))
        return hmirror_packed(ctx, piece, out);
    return mirror_generic(ctx, piece, MIR_H, out);
}

static Err vmirror_v(Ctx *ctx, Value piece, Value *out)
{
    if (v_is_grid(piece))
        return remap_grid(ctx, piece, RM_VMIRROR, out);
    if (v_is_tuple(piece)) { /* tuple(row[::-1] for row in piece) */
        Items it;
        TRY(py_items(piece, &it));
        Value *rows;
        TRY(reversed_rows(ctx, it.v, it.n, &rows));
        return tuple_of(ctx, it.n, rows, out);
    }
    if (gc_packed_patch(piece))
        return vmirror_packed(ctx, piece, out);
    return mirror_generic(ctx, piece, MIR_V, out);
}

static Err dmirror_v(Ctx *ctx, Value piece, Value *out)
{
    if (v_is_grid(piece))
        return remap_grid(ctx, piece, RM_DMIRROR, out);
    if (v_is_tuple(piece)) { /* tuple(zip(*piece)) */
        Items it;
        TRY(py_items(piece, &it));
        return gc_zip(ctx, it.v, it.n, out);
    }
    if (gc_packed_patch(piece)) {
        bool done;
        TRY(dmirror_packed(ctx, piece, &done, out));
        if (done)
            return ERR_OK;
    }
    return mirror_generic(ctx, piece, MIR_D, out);
}

static Err cmirror_v(Ctx *ctx, Value piece, Value *out)
{
    if (v_is_grid(piece))
        return remap_grid(ctx, piece, RM_CMIRROR, out);
    if (v_is_tuple(piece)) { /* tuple(zip(*(r[::-1] for r in piece[::-1]))) */
        Value rev;
        TRY(py_reversed(ctx, piece, &rev));
        Items it;
        TRY(py_items(rev, &it));
        Value *rows;
        TRY(reversed_rows(ctx, it.v, it.n, &rows));
        return gc_zip(ctx, rows, it.n, out);
    }
    Value a, b; /* vmirror(dmirror(vmirror(piece))) */
    TRY(vmirror_v(ctx, piece, &a));
    TRY(dmirror_v(ctx, a, &b));
    return vmirror_v(ctx, b, out);
}

Err op_hmirror(Ctx *ctx, const Value *args, Value *out) { return hmirror_v(ctx, args[0], out); }
Err op_vmirror(Ctx *ctx, const Value *args, Value *out) { return vmirror_v(ctx, args[0], out); }
Err op_dmirror(Ctx *ctx, const Value *args, Value *out) { return dmirror_v(ctx, args[0], out); }
Err op_cmirror(Ctx *ctx, const Value *args, Value *out) { return cmirror_v(ctx, args[0], out); }

/* ---------------------------------------------------------------------- */
/* fill, paint, underfill, underpaint, cover, move                        */
/* ---------------------------------------------------------------------- */

/* list(list(row) for row in grid): rows of any length, any cells. */
typedef struct MGrid {
    size_t h;
    Value **rows;
    size_t *len;
} MGrid;

static Err mgrid_copy(Ctx *ctx, Value grid, MGrid *m)
{
    Items g;
    TRY(py_items(grid, &g));
    m->h = g.n;
    m->rows = ctx_alloc(ctx, (g.n ? g.n : 1) * sizeof *m->rows);
    m->len = ctx_alloc(ctx, (g.n ? g.n : 1) * sizeof *m->len);
    for (size_t i = 0; i < g.n; i++) {
        Items r;
        TRY(py_items(g.v[i], &r));
        if (!(m->rows[i] = gc_scratch(ctx, r.n, sizeof(Value))))
            return ERR_MEMORY;
        memcpy(m->rows[i], r.v, r.n * sizeof(Value));
        m->len[i] = r.n;
    }
    return ERR_OK;
}

static Err mgrid_tuple(Ctx *ctx, const MGrid *m, Value *out)
{
    Seq *s = seq_alloc(ctx, m->h);
    if (!s)
        return ERR_MEMORY;
    for (size_t i = 0; i < m->h; i++)
        TRY(mk_tuple(ctx, m->len[i], m->rows[i], &s->items[i]));
    *out = seq_finish_tuple(s);
    return ERR_OK;
}

/* grid_filled[i][j] after the bounds test passed (so i, j are ints with
 * 0 <= i < len(grid)): IndexError when row i is shorter than j. */
static Err mgrid_slot(MGrid *m, Value i, Value j, Value **slot)
{
    size_t ii = (size_t)i.u.i, jj = (size_t)j.u.i;
    if (jj >= m->len[ii])
        return ERR_INDEX;
    *slot = &m->rows[ii][jj];
    return ERR_OK;
}

/* Can a fill / paint take the int-cell fast path? A packed patch or {}. */
/* A tuple of packed values of one tag (or ()): dsl.py's loops read it as
 * they read a set of them, in its own order. */
static bool packed_tuple_of(Value p, uint8_t tag)
{
    if (p.tag != VT_TUPLE)
        return false;
    const Seq *s = p.u.seq;
    for (uint32_t k = 0; k < s->n; k++)
        if (s->items[k].tag != tag)
            return false;
    return true;
}

/* Patches fill, underfill and cover read by position: packed sets, {}, and
 * tuples of packed pairs or cells (merge of a tuple of patches). */
static bool fast_patch(Value p)
{
    return gc_packed_patch(p) || (p.tag == VT_SET && p.u.seq->n == 0) || packed_tuple_of(p, VT_PAIR) ||
           packed_tuple_of(p, VT_CELL);
}

/* Write value at the in-grid positions of a packed patch (cells count by
 * position); with under, only where the cell still equals bg. The rows
 * where a cell changed, as gc_row_bit bits: a fill that changes nothing
 * gives the grid it was given, one that changes a few rows shares the
 * others (see same_or_new). */
static uint64_t fill_cells(int64_t *c, size_t h, size_t w, Value patch, int64_t value, bool under,
                           int64_t bg)
{
    const Value *it = patch.u.seq->items;
    uint64_t changed = 0;
    for (uint32_t k = 0; k < patch.u.seq->n; k++) {
        int64_t i = it[k].u.p.a, j = it[k].u.p.b;
        if (i < 0 || j < 0 || (size_t)i >= h || (size_t)j >= w)
            continue;
        int64_t *cell = &c[(size_t)i * w + (size_t)j];
        if (!under || *cell == bg) {
            changed |= (*cell != value) * gc_row_bit((size_t)i);
            *cell = value;
        }
    }
    return changed;
}

/* Paint packed cells shifted by (di, dj) in canonical order: the last write
 * wins, and underpaint tests the cell as already modified, as dsl.py's loop
 * does. */
static uint64_t paint_cells(int64_t *c, size_t h, size_t w, Value obj, int64_t di, int64_t dj,
                            bool under, int64_t bg)
{
    const Value *it = obj.u.seq->items;
    uint64_t changed = 0;
    for (uint32_t k = 0; k < obj.u.seq->n; k++) {
        int64_t i = it[k].u.p.a + di, j = it[k].u.p.b + dj;
        if (i < 0 || j < 0 || (size_t)i >= h || (size_t)j >= w)
            continue;
        int64_t *cell = &c[(size_t)i * w + (size_t)j];
        if (!under || *cell == bg) {
            changed |= (*cell != it[k].c) * gc_row_bit((size_t)i);
            *cell = it[k].c;
        }
    }
    return changed;
}

/* The grid of the cells c, h x w, made from grid, whose rows differ only
 * where `changed` has their bit (gc_mk_grid_from): grid itself when no cell
 * changed. dsl.py makes an equal tuple; values are immutable and compared
 * by content, so the same one serves, and it keeps its place in the grid
 * cache (its cells, background and objects) for the statements after. On
 * the bench's batt 6,013 fills, 3,451 replaces, 3,258 switches, 2,641
 * cellwises and 1,355 paints changed nothing. */
static Err same_or_new(Ctx *ctx, Value grid, uint64_t changed, size_t h, size_t w, const int64_t *c,
                       Value *out)
{
    if (!changed) {
        *out = grid;
        return ERR_OK;
    }
    return gc_mk_grid_from(ctx, grid, changed, h, w, c, out);
}

/* fill / underfill of a v_is_grid grid with an int over a packed patch or {}. */
static Err fill_fast(Ctx *ctx, Value grid, int64_t value, Value patch, bool under, Value *out)
{
    size_t h = grid_h(grid), w = grid_w(grid);
    if (patch.u.seq->n == 0) { /* mostcolor of a proper grid cannot fail */
        *out = grid;
        return ERR_OK;
    }
    int64_t *c = gc_cells(ctx, grid);
    if (!c)
        return ERR_MEMORY;
    int64_t bg = 0;
    if (under && !gc_grid_mostcolor(ctx, grid, &bg))
        return ERR_MEMORY;
    return same_or_new(ctx, grid, fill_cells(c, h, w, patch, value, under, bg), h, w, c, out);
}

/* dsl.py's fill / underfill over any values. */
static Err fill_generic(Ctx *ctx, Value grid, Value value, Value patch, bool under, Value *out)
{
    int64_t h, w;
    Value bg = v_none(), idx;
    MGrid m;
    TRY(gc_dims(grid, &h, &w));
    if (under)
        TRY(gc_mostcolor(ctx, grid, &bg));
    TRY(mgrid_copy(ctx, grid, &m));
    TRY(gc_toindices(ctx, patch, &idx));
    Items it;
    TRY(py_items(idx, &it));
    for (size_t k = 0; k < it.n; k++) {
        Value i, j, *slot;
        bool in;
        TRY(py_unpack2(it.v[k], &i, &j));
        TRY(gc_in_bounds(i, j, h, w, &in));
        if (!in)
            continue;
        TRY(mgrid_slot(&m, i, j, &slot));
        if (!under || v_eq(*slot, bg))
            *slot = value;
        TRY(gc_tick(ctx, k));
    }
    return mgrid_tuple(ctx, &m, out);
}

static Err fill_v(Ctx *ctx, Value grid, Value value, Value patch, bool under, Value *out)
{
    if (v_is_grid(grid) && value.tag == VT_INT && fast_patch(patch))
        return fill_fast(ctx, grid, value.u.i, patch, under, out);
    return fill_generic(ctx, grid, value, patch, under, out);
}

/* paint / underpaint of a v_is_grid grid with packed cells or {}. */
static Err paint_fast(Ctx *ctx, Value grid, Value obj, bool under, Value *out)
{
    size_t h = grid_h(grid), w = grid_w(grid);
    if (obj.u.seq->n == 0) {
        *out = grid;
        return ERR_OK;
    }
    int64_t *c = gc_cells(ctx, grid);
    if (!c)
        return ERR_MEMORY;
    int64_t bg = 0;
    if (under && !gc_grid_mostcolor(ctx, grid, &bg))
        return ERR_MEMORY;
    return same_or_new(ctx, grid, paint_cells(c, h, w, obj, 0, 0, under, bg), h, w, c, out);
}

static Err paint_generic(Ctx *ctx, Value grid, Value obj, bool under, Value *out)
{
    int64_t h, w;
    Value bg = v_none();
    MGrid m;
    TRY(gc_dims(grid, &h, &w));
    if (under)
        TRY(gc_mostcolor(ctx, grid, &bg));
    TRY(mgrid_copy(ctx, grid, &m));
    Items it;
    TRY(py_items(obj, &it));
    for (size_t k = 0; k < it.n; k++) {
        Value v, ij, i, j, *slot;
        bool in;
        TRY(py_unpack2(it.v[k], &v, &ij)); /* for value, (i, j) in obj */
        TRY(py_unpack2(ij, &i, &j));
        TRY(gc_in_bounds(i, j, h, w, &in));
        if (!in)
            continue;
        TRY(mgrid_slot(&m, i, j, &slot));
        if (!under || v_eq(*slot, bg))
            *slot = v;
        TRY(gc_tick(ctx, k));
    }
    return mgrid_tuple(ctx, &m, out);
}

/* Objects paint and underpaint read in order: sets of packed cells, {},
 * and tuples of packed cells (merge of a tuple of objects), whose later
 * items overwrite earlier ones as dsl.py's loop does. */
static bool fast_cells(Value obj)
{
    return (obj.tag == VT_SET && (obj.u.seq->n == 0 || (obj.u.seq->flags & SEQ_CELLS))) ||
           packed_tuple_of(obj, VT_CELL);
}

static Err paint_v(Ctx *ctx, Value grid, Value obj, bool under, Value *out)
{
    if (v_is_grid(grid) && fast_cells(obj))
        return paint_fast(ctx, grid, obj, under, out);
    return paint_generic(ctx, grid, obj, under, out);
}

Err op_fill(Ctx *ctx, const Value *args, Value *out) { return fill_v(ctx, args[0], args[1], args[2], false, out); }
Err op_underfill(Ctx *ctx, const Value *args, Value *out) { return fill_v(ctx, args[0], args[1], args[2], true, out); }
Err op_paint(Ctx *ctx, const Value *args, Value *out) { return paint_v(ctx, args[0], args[1], false, out); }
Err op_underpaint(Ctx *ctx, const Value *args, Value *out) { return paint_v(ctx, args[0], args[1], true, out); }

/* cover: fill(grid, mostcolor(grid), toindices(patch)). */
static Err cover_v(Ctx *ctx, Value grid, Value patch, Value *out)
{
    if (v_is_grid(grid) && fast_patch(patch)) {
        if (patch.u.seq->n == 0) {
            *out = grid;
            return ERR_OK;
        }
        size_t h = grid_h(grid), w = grid_w(grid);
        int64_t *c = gc_cells(ctx, grid);
        if (!c)
            return ERR_MEMORY;
        int64_t bg;
        if (!gc_grid_mostcolor(ctx, grid, &bg))
            return ERR_MEMORY;
        return same_or_new(ctx, grid, fill_cells(c, h, w, patch, bg, false, 0), h, w, c, out);
    }
    Value bg, idx;
    TRY(gc_mostcolor(ctx, grid, &bg));
    TRY(gc_toindices(ctx, patch, &idx));
    return fill_v(ctx, grid, bg, idx, false, out);
}

Err op_cover(Ctx *ctx, const Value *args, Value *out) { return cover_v(ctx, args[0], args[1], out); }

/* shift of packed cells by an int pair: translation keeps the canonical
 * order. *done is false when a coordinate would leave 32 bits. */
static Err shift_packed(Ctx *ctx, Value p, Value off, bool *done, Value *out)
{
    size_t n = p.u.seq->n;
    const Value *it = p.u.seq->items;
    Value *res = gc_scratch(ctx, n, sizeof *res);
    if (!res)
        return ERR_MEMORY;
    *done = false;
    for (size_t k = 0; k < n; k++) {
        int64_t i = (int64_t)it[k].u.p.a + off.u.p.a, j = (int64_t)it[k].u.p.b + off.u.p.b;
        if (!fits32(i) || !fits32(j))
            return ERR_OK;
        res[k] = it[k];
        res[k].u.p.a = (int32_t)i;
        res[k].u.p.b = (int32_t)j;
    }
    *done = true;
    return mk_set_sorted(ctx, n, res, out);
}

/* move: paint(cover(grid, obj), shift(obj, offset)); for an int grid and
 * packed cells, one pass over one cell array (shifting keeps the order). */
static Err move_v(Ctx *ctx, Value grid, Value obj, Value offset, Value *out)
{
    Value covered, shifted;
    if (v_is_grid(grid) && obj.tag == VT_SET && obj.u.seq->n && (obj.u.seq->flags & SEQ_CELLS) &&
        offset.tag == VT_PAIR) {
        size_t h = grid_h(grid), w = grid_w(grid);
        int64_t *c = gc_cells(ctx, grid);
        if (!c)
            return ERR_MEMORY;
        int64_t bg;
        if (!gc_grid_mostcolor(ctx, grid, &bg))
            return ERR_MEMORY;
        /* painting may put back what covering took: a row either touched is made anew */
        uint64_t changed = fill_cells(c, h, w, obj, bg, false, 0);
        changed |= paint_cells(c, h, w, obj, offset.u.p.a, offset.u.p.b, false, 0);
        return gc_mk_grid_from(ctx, grid, changed, h, w, c, out);
    }
    TRY(cover_v(ctx, grid, obj, &covered));
    bool done = false;
    if (gc_packed_patch(obj) && offset.tag == VT_PAIR)
        TRY(shift_packed(ctx, obj, offset, &done, &shifted));
    if (!done) {
        Value a[2] = {obj, offset};
        TRY(op_shift(ctx, a, &shifted));
    }
    return paint_v(ctx, covered, shifted, false, out);
}

Err op_move(Ctx *ctx, const Value *args, Value *out) { return move_v(ctx, args[0], args[1], args[2], out); }

/* ---------------------------------------------------------------------- */
/* scaling                                                                */
/* ---------------------------------------------------------------------- */

/* A tuple of `times` copies of each of the n items, in order. */
static Err repeat_each(Ctx *ctx, const Value *items, size_t n, size_t times, Value *out)
{
    if (!gc_fits(n, times))
        return ERR_MEMORY;
    Seq *s = seq_alloc(ctx, n * times);
    if (!s)
        return ERR_MEMORY;
    size_t o = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t t = 0; t < times; t++)
            s->items[o++] = items[k];
    *out = seq_finish_tuple(s);
    return ERR_OK;
}

/* range(factor) as a repeat count: TypeError for non-ints, 0 when <= 0. */
static Err repeat_count(Value factor, size_t *times)
{
    int64_t f;
    TRY(py_as_int(factor, &f));
    *times = f > 0 ? (size_t)f : 0;
    if (f > (int64_t)LIMIT_SEQ_ITEMS)
        *times = (size_t)LIMIT_SEQ_ITEMS + 1; /* refused by the size checks */
    return ERR_OK;
}

/* hupscale (rows_too = false) and upscale's tuple branch (rows_too = true):
 * each value repeated factor times in its row, and with rows_too each row
 * repeated factor times. range(factor) is only evaluated when reached: per
 * value for hupscale, per row for upscale. */
static Err upscale_rows(Ctx *ctx, Value grid, Value factor, bool rows_too, Value *out)
{
    Items g;
    TRY(py_items(grid, &g));
    size_t times = 0, total = 0;
    bool counted = false;
    for (size_t i = 0; i < g.n; i++) { /* errors first, then sizes */
        Items r;
        TRY(py_items(g.v[i], &r));
        if ((r.n || rows_too) && !counted) {
            TRY(repeat_count(factor, &times));
            counted = true;
        }
        if (!gc_fits(r.n, times) || (total += r.n * times) > LIMIT_SEQ_ITEMS)
            return ERR_MEMORY;
    }
    size_t nrows = g.n; /* upscale repeats each row by reference, as Python does */
    if (rows_too && !gc_fits(g.n, times))
        return ERR_MEMORY;
    if (rows_too)
        nrows = g.n * times;
    Seq *res = seq_alloc(ctx, nrows);
    if (!res)
        return ERR_MEMORY;
    size_t o = 0;
    for (size_t i = 0; i < g.n; i++) {
        Items r;
        Value row;
        TRY(py_items(g.v[i], &r));
        TRY(repeat_each(ctx, r.v, r.n, times, &row));
        for (size_t t = 0; t < (rows_too ? times : 1); t++)
            res->items[o++] = row;
        TRY(ctx_tick(ctx));
    }
    *out = seq_finish_tuple(res);
    return ERR_OK;
}

Err op_hupscale(Ctx *ctx, const Value *args, Value *out)
{
    return upscale_rows(ctx, args[0], args[1], false, out);
}

/* vupscale: g + tuple(row for num in range(factor)) for each row; rows are
 * never iterated, so any items repeat. */
Err op_vupscale(Ctx *ctx, const Value *args, Value *out)
{
    Items g;
    size_t times;
    TRY(py_items(args[0], &g));
    if (g.n == 0) {
        *out = v_empty_tuple();
        return ERR_OK;
    }
    TRY(repeat_count(args[1], &times));
    return repeat_each(ctx, g.v, g.n, times, out);
}

/* upscale of packed cells by an int factor > 0: scaled about the ulcorner,
 * emitted in canonical order (per colour and source row: each output row,
 * then each source cell's run). *done is false past 32-bit coordinates. */
static Err upscale_cells(Ctx *ctx, Value obj, int64_t f, bool *done, Value *out)
{
    int64_t a, b, i1, j1;
    packed_bbox(obj, &a, &b, &i1, &j1);
    *done = false;
    int64_t hi, hj;
    if (__builtin_mul_overflow(i1 - a + 1, f, &hi) || __builtin_mul_overflow(j1 - b + 1, f, &hj) ||
        !fits32(a + hi - 1) || !fits32(b + hj - 1))
        return ERR_OK;
    size_t n = obj.u.seq->n;
    if (!gc_fits(n, (uint64_t)f) || !gc_fits(n * (uint64_t)f, (uint64_t)f))
        return ERR_MEMORY;
    const Value *it = obj.u.seq->items;
    Value *res = gc_scratch(ctx, n * (size_t)f * (size_t)f, sizeof *res);
    if (!res)
        return ERR_MEMORY;
    size_t o = 0;
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && it[e].c == it[k].c && it[e].u.p.a == it[k].u.p.a)
            e++;
        int64_t bi = a + (it[k].u.p.a - a) * f;
        for (int64_t io = 0; io < f; io++) {
            for (size_t q = k; q < e; q++) {
                int64_t bj = b + (it[q].u.p.b - b) * f;
                for (int64_t jo = 0; jo < f; jo++)
                    res[o++] = v_cell(it[q].c, (int32_t)(bi + io), (int32_t)(bj + jo));
            }
            TRY(ctx_tick(ctx));
        }
        k = e;
    }
    *done = true;
    return mk_set_sorted(ctx, o, res, out);
}

/* upscale's frozenset branch over any values, calling the patch family's
 * ulcorner and shift as dsl.py does. */
static Err upscale_set_generic(Ctx *ctx, Value element, Value factor, Value *out)
{
    Value ul, di_inv, dj_inv, di, dj, d, normed, back;
    TRY(call_prim1(ctx, op_ulcorner, element, &ul));
    TRY(py_unpack2(ul, &di_inv, &dj_inv));
    TRY(py_neg(di_inv, &di));
    TRY(py_neg(dj_inv, &dj));
    Value dv[2] = {di, dj};
    TRY(mk_tuple(ctx, 2, dv, &d));
    Value sa[2] = {element, d};
    TRY(op_shift(ctx, sa, &normed));
    Items it;
    TRY(py_items(normed, &it));
    VBuf o;
    vbuf_init(&o, ctx);
    for (size_t k = 0; k < it.n; k++) {
        Value v, ij, i, j;
        size_t times;
        TRY(py_unpack2(it.v[k], &v, &ij)); /* for value, (i, j) in normed_obj */
        TRY(py_unpack2(ij, &i, &j));
        TRY(repeat_count(factor, &times));
        if (times && (!gc_fits(it.n, times) || !gc_fits(it.n * times, times)))
            return ERR_MEMORY;
        for (size_t io = 0; io < times; io++)
            for (size_t jo = 0; jo < times; jo++) {
                Value ii, jj, c;
                TRY(py_mul(ctx, i, factor, &ii));
                TRY(py_add(ctx, ii, v_int((int64_t)io), &ii));
                TRY(py_mul(ctx, j, factor, &jj));
                TRY(py_add(ctx, jj, v_int((int64_t)jo), &jj));
                TRY(gc_cell(ctx, v, ii, jj, &c));
                TRY(vbuf_push(&o, c));
                TRY(gc_tick(ctx, o.n));
            }
    }
    Value oset, inv[2] = {di_inv, dj_inv};
    TRY(vbuf_set(&o, &oset));
    TRY(mk_tuple(ctx, 2, inv, &back));
    Value ba[2] = {oset, back}; /* shift(frozenset(o), (di_inv, dj_inv)) */
    return op_shift(ctx, ba, out);
}

static Err upscale_v(Ctx *ctx, Value element, Value factor, Value *out)
{
    if (v_is_tuple(element))
        return upscale_rows(ctx, element, factor, true, out);
    int64_t n;
    TRY(py_len(element, &n));
    if (n == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    if (element.tag == VT_SET && (element.u.seq->flags & SEQ_CELLS) && v_is_int(factor)) {
        if (factor.u.i <= 0) { /* shift(frozenset(), ...) returns it */
            *out = v_empty_set();
            return ERR_OK;
        }
        bool done;
        TRY(upscale_cells(ctx, element, factor.u.i, &done, out));
        if (done)
            return ERR_OK;
    }
    return upscale_set_generic(ctx, element, factor, out);
}

Err op_upscale(Ctx *ctx, const Value *args, Value *out) { return upscale_v(ctx, args[0], args[1], out); }

/* downscale: every factor-th column of every row (j % factor == 0, so a
 * ZeroDivisionError or TypeError as soon as a cell is reached), then every
 * factor-th row. */
static Err downscale_generic(Ctx *ctx, Value grid, Value factor, Value *out)
{
    int64_t h, w, f;
    Value m;
    TRY(gc_dims(grid, &h, &w));
    TRY(py_mod(v_int(0), factor, &m)); /* j = 0 (w > 0) or i = 0 (h > 0) */
    f = factor.u.i < 0 ? -factor.u.i : factor.u.i;
    if (factor.u.i == INT64_MIN)
        f = INT64_MAX; /* only index 0 divides */
    size_t nr = (size_t)(h ? (h - 1) / f + 1 : 0), nc = (size_t)(w ? (w - 1) / f + 1 : 0);
    Seq *res = seq_alloc(ctx, nr);
    Value *row = gc_scratch(ctx, nc, sizeof *row);
    if (!res || !row)
        return ERR_MEMORY;
    for (int64_t i = 0; i < h; i++) { /* every row is read, kept or not */
        Value r;
        TRY(py_getitem_i(grid, i, &r));
        size_t o = 0;
        for (int64_t j = 0; j < w; j += f) {
            TRY(py_getitem_i(r, j, &row[o++]));
            if (j > INT64_MAX - f)
                break;
        }
        if (i % f == 0)
            TRY(mk_tuple(ctx, o, row, &res->items[i / f]));
        TRY(ctx_tick(ctx));
    }
    *out = seq_finish_tuple(res);
    return ERR_OK;
}

static Err downscale_v(Ctx *ctx, Value grid, Value factor, Value *out)
{
    if (!v_is_grid(grid) || factor.tag != VT_INT || factor.u.i == 0 || factor.u.i == INT64_MIN)
        return downscale_generic(ctx, grid, factor, out);
    size_t h = grid_h(grid), w = grid_w(grid);
    size_t f = (size_t)(factor.u.i < 0 ? -factor.u.i : factor.u.i);
    size_t nr = (h + f - 1) / f, nc = (w + f - 1) / f;
    int64_t *c = gc_scratch(ctx, nr * nc, sizeof *c);
    if (!c)
        return ERR_MEMORY;
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++)
            c[i * nc + j] = grid_at(grid, i * f, j * f);
    return gc_mk_grid(ctx, nr, nc, c, out);
}

Err op_downscale(Ctx *ctx, const Value *args, Value *out) { return downscale_v(ctx, args[0], args[1], out); }

/* ---------------------------------------------------------------------- */
/* concatenation, cropping, splitting                                     */
/* ---------------------------------------------------------------------- */

/* hconcat: tuple(i + j for i, j in zip(a, b)): any iterables, + as Python's
 * (tuples concatenate, ints add), truncated to the shorter. */
Err op_hconcat(Ctx *ctx, const Value *args, Value *out)
{
    Value a = args[0], b = args[1];
    if (v_is_grid(a) && v_is_grid(b)) {
        size_t h = grid_h(a) < grid_h(b) ? grid_h(a) : grid_h(b), wa = grid_w(a), wb = grid_w(b);
        const int64_t *ca = gc_cells_ro(ctx, a), *cb = gc_cells_ro(ctx, b);
        int64_t *c = gc_scratch(ctx, h * (wa + wb), sizeof *c);
        if (!ca || !cb || !c)
            return ERR_MEMORY;
        for (size_t i = 0; i < h; i++) {
            memcpy(c + i * (wa + wb), ca + i * wa, wa * sizeof *c);
            memcpy(c + i * (wa + wb) + wa, cb + i * wb, wb * sizeof *c);
        }
        return gc_mk_grid(ctx, h, wa + wb, c, out);
    }
    TRY(py_iterable(a));
    TRY(py_iterable(b));
    size_t n = v_len(a) < v_len(b) ? v_len(a) : v_len(b);
    Seq *s = seq_alloc(ctx, n);
    if (!s)
        return ERR_MEMORY;
    for (size_t k = 0; k < n; k++) {
        TRY(py_add(ctx, v_item(a, k), v_item(b, k), &s->items[k]));
        TRY(gc_tick(ctx, k));
    }
    *out = seq_finish_tuple(s);
    return ERR_OK;
}

/* vconcat: a + b. */
Err op_vconcat(Ctx *ctx, const Value *args, Value *out) { return py_add(ctx, args[0], args[1], out); }

/* tuple(r[s1:e1] for r in rows). */
static Err slice_rows(Ctx *ctx, Value rows, Value s1, Value e1, Value *out)
{
    Items it;
    TRY(py_items(rows, &it));
    Seq *s = seq_alloc(ctx, it.n);
    if (!s)
        return ERR_MEMORY;
    for (size_t k = 0; k < it.n; k++)
        TRY(py_slice(ctx, it.v[k], s1, e1, &s->items[k]));
    /* equal rows cut alike to a non-empty width: a grid */
    *out = v_is_grid(rows) && v_len(s->items[0]) ? seq_tuple_flagged(s, SEQ_GRID) : seq_finish_tuple(s);
    return ERR_OK;
}

/* crop: tuple(r[start[1]:start[1]+dims[1]] for r in
 * grid[start[0]:start[0]+dims[0]]); the column bounds are evaluated only
 * when a row is reached. */
static Err crop_v(Ctx *ctx, Value grid, Value start, Value dims, Value *out)
{
    Value s0, d0, e0, rows, s1, d1, e1;
    TRY(py_getitem_i(start, 0, &s0));
    TRY(py_getitem_i(dims, 0, &d0));
    TRY(add_bound(ctx, s0, d0, &e0));
    TRY(py_slice(ctx, grid, s0, e0, &rows));
    if (v_len(rows) == 0) {
        *out = v_empty_tuple();
        return ERR_OK;
    }
    TRY(py_getitem_i(start, 1, &s1));
    TRY(py_getitem_i(dims, 1, &d1));
    TRY(add_bound(ctx, s1, d1, &e1));
    return slice_rows(ctx, rows, s1, e1, out);
}

Err op_crop(Ctx *ctx, const Value *args, Value *out) { return crop_v(ctx, args[0], args[1], args[2], out); }

/* subgrid: crop(grid, ulcorner(patch), shape(patch)). */
Err op_subgrid(Ctx *ctx, const Value *args, Value *out)
{
    Value patch = args[0], grid = args[1], ul, sh;
    if (gc_packed_patch(patch)) {
        int64_t i0, j0, i1, j1;
        packed_bbox(patch, &i0, &j0, &i1, &j1);
        TRY(int_pair(ctx, i0, j0, &ul));
        TRY(int_pair(ctx, i1 - i0 + 1, j1 - j0 + 1, &sh));
    } else {
        TRY(call_prim1(ctx, op_ulcorner, patch, &ul));
        TRY(call_prim1(ctx, op_shape, patch, &sh));
    }
    return crop_v(ctx, grid, ul, sh, out);
}

/* hsplit / vsplit: n crops of the floor share, skipping one column (row)
 * between pieces when n does not divide the width (height). */
static Err split_v(Ctx *ctx, Value grid, Value nv, bool horizontal, Value *out)
{
    int64_t h, w, len0;
    Value r0, q, m;
    TRY(py_len(grid, &h));
    if (!horizontal) { /* len(grid) // n comes before len(grid[0]) */
        TRY(py_floordiv(v_int(h), nv, &q));
        TRY(py_getitem_i(grid, 0, &r0));
        TRY(py_len(r0, &w));
        TRY(py_mod(v_int(h), nv, &m));
        h = q.u.i;
    } else {
        TRY(py_getitem_i(grid, 0, &r0));
        TRY(py_len(r0, &len0));
        TRY(py_floordiv(v_int(len0), nv, &q));
        TRY(py_mod(v_int(len0), nv, &m));
        w = q.u.i;
    }
    int64_t n = nv.u.i, offset = m.u.i != 0, step = (horizontal ? w : h) + offset;
    if (n <= 0) {
        *out = v_empty_tuple();
        return ERR_OK;
    }
    if ((uint64_t)n > LIMIT_SEQ_ITEMS)
        return ERR_MEMORY;
    Seq *res = seq_alloc(ctx, (size_t)n);
    if (!res)
        return ERR_MEMORY;
    Value rows = v_none();
    if (horizontal) /* grid[0:h] is the same for every piece */
        TRY(py_slice(ctx, grid, v_int(0), v_int(h), &rows));
    for (int64_t i = 0; i < n; i++) {
        int64_t s = step * i; /* w * i + i * offset, at most len0 */
        if (horizontal) {
            if (v_len(rows) == 0)
                res->items[i] = v_empty_tuple();
            else
                TRY(slice_rows(ctx, rows, v_int(s), v_int(s + w), &res->items[i]));
        } else {
            Value part;
            TRY(py_slice(ctx, grid, v_int(s), v_int(s + h), &part));
            if (v_len(part) == 0)
                res->items[i] = v_empty_tuple();
            else
                TRY(slice_rows(ctx, part, v_int(0), v_int(w), &res->items[i]));
        }
        TRY(ctx_tick(ctx));
    }
    *out = seq_finish_tuple(res);
    return ERR_OK;
}

Err op_hsplit(Ctx *ctx, const Value *args, Value *out) { return split_v(ctx, args[0], args[1], true, out); }
Err op_vsplit(Ctx *ctx, const Value *args, Value *out) { return split_v(ctx, args[0], args[1], false, out); }

/* ---------------------------------------------------------------------- */
/* cell-wise recolouring                                                  */
/* ---------------------------------------------------------------------- */

/* cellwise: from a's shape (len(a), len(a[0])), a[i][j] if it equals
 * b[i][j] else fallback; b is indexed cell by cell (IndexError if smaller). */
static Err cellwise_generic(Ctx *ctx, Value a, Value b, Value fallback, Value *out)
{
    int64_t h, w;
    TRY(gc_dims(a, &h, &w));
    Seq *res = seq_alloc(ctx, (size_t)h);
    Value *row = gc_scratch(ctx, (size_t)w, sizeof *row);
    if (!res || !row)
        return ERR_MEMORY;
    for (int64_t i = 0; i < h; i++) {
        Value ra = v_none(), rb = v_none();
        for (int64_t j = 0; j < w; j++) {
            Value av, bv;
            if (j == 0)
                TRY(py_getitem_i(a, i, &ra));
            TRY(py_getitem_i(ra, j, &av));
            if (j == 0)
                TRY(py_getitem_i(b, i, &rb));
            TRY(py_getitem_i(rb, j, &bv));
            row[j] = v_eq(av, bv) ? av : fallback;
        }
        TRY(mk_tuple(ctx, (size_t)w, row, &res->items[i]));
        TRY(ctx_tick(ctx));
    }
    *out = seq_finish_tuple(res);
    return ERR_OK;
}

Err op_cellwise(Ctx *ctx, const Value *args, Value *out)
{
    Value a = args[0], b = args[1], fb = args[2];
    if (!v_is_grid(a) || !v_is_grid(b) || fb.tag != VT_INT || grid_h(b) < grid_h(a) ||
        grid_w(b) < grid_w(a))
        return cellwise_generic(ctx, a, b, fb, out);
    size_t h = grid_h(a), w = grid_w(a);
    int64_t *c = gc_scratch(ctx, h * w, sizeof *c);
    if (!c)
        return ERR_MEMORY;
    uint64_t changed = 0; /* rows, from a: the result is a when every cell kept a's */
    for (size_t i = 0; i < h; i++) {
        Value ra = a.u.seq->items[i], rb = b.u.seq->items[i];
        int64_t *dst = c + i * w;
        bool row = false;
        if (ra.tag == VT_PAIR || rb.tag == VT_PAIR) { /* rows of two, packed */
            for (size_t j = 0; j < w; j++) {
                int64_t x = grid_at(a, i, j);
                dst[j] = x == grid_at(b, i, j) ? x : fb.u.i;
                row |= dst[j] != x;
            }
        } else {
            /* the rows' items read through pointers taken once: written cells
             * could alias a Value's int, so grid_at reloaded both rows per cell */
            const Value *x = ra.u.seq->items, *y = rb.u.seq->items;
            for (size_t j = 0; j < w; j++) {
                dst[j] = x[j].u.i == y[j].u.i ? x[j].u.i : fb.u.i;
                row |= dst[j] != x[j].u.i;
            }
        }
        changed |= row * gc_row_bit(i);
    }
    return same_or_new(ctx, a, changed, h, w, c, out);
}

typedef enum { RC_REPLACE, RC_SWITCH } Recolour;

/* The new value of cell v: replace's `replacer if v == replacee else v`, or
 * switch's `{a: b, b: a}[v]` for v equal to a or b (for a == b the dict
 * holds a: a, so v == b gives a either way). */
static Value recolour_one(Recolour kind, Value v, Value a, Value b)
{
    if (kind == RC_REPLACE)
        return v_eq(v, a) ? b : v;
    if (v_eq(v, b))
        return a;
    return v_eq(v, a) ? b : v;
}

static Err recolour_v(Ctx *ctx, Value grid, Value a, Value b, Recolour kind, Value *out)
{
    if (v_is_grid(grid) && a.tag == VT_INT && b.tag == VT_INT) {
        size_t h = grid_h(grid), w = grid_w(grid);
        int64_t *c = gc_cells(ctx, grid);
        if (!c)
            return ERR_MEMORY;
        uint64_t changed = 0;
        for (size_t i = 0; i < h; i++) {
            bool row = false;
            for (size_t k = i * w; k < (i + 1) * w; k++) {
                int64_t v = c[k];
                if (kind == RC_REPLACE)
                    c[k] = v == a.u.i ? b.u.i : v;
                else
                    c[k] = v == b.u.i ? a.u.i : v == a.u.i ? b.u.i : v;
                row |= c[k] != v;
            }
            changed |= row * gc_row_bit(i);
        }
        return same_or_new(ctx, grid, changed, h, w, c, out);
    }
    Items g;
    TRY(py_items(grid, &g));
    Seq *res = seq_alloc(ctx, g.n);
    if (!res)
        return ERR_MEMORY;
    for (size_t i = 0; i < g.n; i++) {
        Items r;
        TRY(py_items(g.v[i], &r));
        Value *row = gc_scratch(ctx, r.n, sizeof *row);
        if (!row)
            return ERR_MEMORY;
        for (size_t j = 0; j < r.n; j++)
            row[j] = recolour_one(kind, r.v[j], a, b);
        TRY(mk_tuple(ctx, r.n, row, &res->items[i]));
    }
    *out = seq_finish_tuple(res);
    return ERR_OK;
}

Err op_replace(Ctx *ctx, const Value *args, Value *out)
{
    return recolour_v(ctx, args[0], args[1], args[2], RC_REPLACE, out);
}

Err op_switch(Ctx *ctx, const Value *args, Value *out)
{
    return recolour_v(ctx, args[0], args[1], args[2], RC_SWITCH, out);
}

/* canvas: tuple(tuple(value for j in range(dimensions[1])) for i in
 * range(dimensions[0])); dimensions[1] is read only when a row is made.
 * The rows are one shared tuple (values are immutable). */
Err op_canvas(Ctx *ctx, const Value *args, Value *out)
{
    Value value = args[0], dims = args[1], d0v, d1v, row;
    int64_t d0, d1;
    TRY(py_getitem_i(dims, 0, &d0v));
    TRY(py_as_int(d0v, &d0));
    if (d0 <= 0) {
        *out = v_empty_tuple();
        return ERR_OK;
    }
    TRY(py_getitem_i(dims, 1, &d1v));
    TRY(py_as_int(d1v, &d1));
    if (d1 < 0)
        d1 = 0;
    if ((uint64_t)d0 > LIMIT_SEQ_ITEMS || (uint64_t)d1 > LIMIT_SEQ_ITEMS ||
        !gc_fits((uint64_t)d0, (uint64_t)d1))
        return ERR_MEMORY;
    Seq *r = seq_alloc(ctx, (size_t)d1);
    if (!r)
        return ERR_MEMORY;
    for (int64_t j = 0; j < d1; j++)
        r->items[j] = value;
    row = seq_finish_tuple(r);
    Seq *g = seq_alloc(ctx, (size_t)d0);
    if (!g)
        return ERR_MEMORY;
    for (int64_t i = 0; i < d0; i++)
        g->items[i] = row;
    *out = seq_finish_tuple(g);
    return ERR_OK;
}

/* ---------------------------------------------------------------------- */
/* trimming and halves                                                    */
/* ---------------------------------------------------------------------- */

/* trim: tuple(r[1:-1] for r in grid[1:-1]). */
Err op_trim(Ctx *ctx, const Value *args, Value *out)
{
    Value rows;
    TRY(py_slice(ctx, args[0], v_int(1), v_int(-1), &rows));
    return slice_rows(ctx, rows, v_int(1), v_int(-1), out);
}

/* grid[:len(grid) // 2] (top) or grid[len(grid) // 2 + len(grid) % 2:]. */
static Err half_rows(Ctx *ctx, Value grid, bool top, Value *out)
{
    int64_t n;
    TRY(py_len(grid, &n));
    if (top)
        return py_slice(ctx, grid, v_none(), v_int(n / 2), out);
    return py_slice(ctx, grid, v_int(n / 2 + n % 2), v_none(), out);
}

Err op_tophalf(Ctx *ctx, const Value *args, Value *out) { return half_rows(ctx, args[0], true, out); }
Err op_bottomhalf(Ctx *ctx, const Value *args, Value *out) { return half_rows(ctx, args[0], false, out); }

/* lefthalf / righthalf: rot270(tophalf(rot90(grid))) and the bottom one;
 * for an int grid these are the first / last w // 2 columns, or () when
 * that is none (tophalf gives () and rot270(()) is ()). */
static Err half_cols(Ctx *ctx, Value grid, bool left, Value *out)
{
    if (v_is_grid(grid)) {
        size_t w = grid_w(grid), k = w / 2;
        if (k == 0) {
            *out = v_empty_tuple();
            return ERR_OK;
        }
        size_t s = left ? 0 : w - k;
        return slice_rows(ctx, grid, v_int((int64_t)s), v_int((int64_t)(s + k)), out);
    }
    Value r, hf;
    TRY(rot90_v(ctx, grid, &r));
    TRY(half_rows(ctx, r, left, &hf));
    return rot270_v(ctx, hf, out);
}

Err op_lefthalf(Ctx *ctx, const Value *args, Value *out) { return half_cols(ctx, args[0], true, out); }
Err op_righthalf(Ctx *ctx, const Value *args, Value *out) { return half_cols(ctx, args[0], false, out); }
