/* patch.c: the "patch" family of arc-dsl primitives.
 *
 * Properties of grids, objects and index sets (colours, extents, corners,
 * centres, matching, distances) and the geometry built from them (shift,
 * neighbourhoods, lines, frontiers, boxes, gravitate, periods). Each op is a
 * close reading of dsl.py with the canonical set order, including Python's
 * evaluation order and exception classes on mismatched kinds; the common
 * shapes (non-empty sets of packed pairs or cells, int grids) take fast paths
 * that read the packed items directly and give the same values.
 *
 * Internal helpers are *_v functions taking and returning Values, so that the
 * primitives compose the way dsl.py composes them (height calls lowermost,
 * center calls height, gravitate calls shift and adjacent, ...). Only the
 * op_<name> entry points are exported. */
#include <string.h>

#include "../runtime/limits.h"
#include "../runtime/packset.h"
#include "../runtime/pyops.h"
#include "grid_common.h"
#include "ops.h"

/* ---------------------------------------------------------------------- */
/* small building blocks                                                   */
/* ---------------------------------------------------------------------- */

/* A non-empty frozenset whose items are all packed pairs or all packed cells:
 * items[k].u.p.a / .u.p.b are the (i, j) of every item. */
static inline bool is_ps(Value v)
{
    return v.tag == VT_SET && v.u.seq->n && (v.u.seq->flags & (SEQ_PAIRS | SEQ_CELLS));
}

static inline bool is_cells(Value v)
{
    return v.tag == VT_SET && v.u.seq->n && (v.u.seq->flags & SEQ_CELLS);
}

/* (a, b) of ints, packed when it fits. */
static Err pv(Ctx *ctx, int64_t a, int64_t b, Value *out)
{
    if (fits32(a) && fits32(b)) {
        *out = v_pair((int32_t)a, (int32_t)b);
        return ERR_OK;
    }
    return mk_pair(ctx, a, b, out);
}

/* The Python tuple (a, b) of any two values. */
static Err tup2(Ctx *ctx, Value a, Value b, Value *out) { return mk_tuple2(ctx, a, b, out); }

/* Scratch space for n values, NULL past the size or memory budget. */
static Value *scratch(Ctx *ctx, size_t n)
{
    if (n > LIMIT_SEQ_ITEMS || ctx_check_mem(ctx))
        return NULL;
    return ctx_alloc(ctx, (n ? n : 1) * sizeof(Value));
}

/* Turn a Seq the caller filled with n items in strictly ascending canonical
 * order into a frozenset, with the flags mk_set would compute. */
static Value set_finish(Seq *s, size_t n)
{
    if (n == 0)
        return v_empty_set();
    uint32_t pairs = SEQ_PAIRS, cells = SEQ_CELLS, ints = SEQ_ALLINT;
    for (size_t k = 0; k < n && (pairs | cells | ints); k++) {
        uint8_t t = s->items[k].tag;
        if (t != VT_PAIR) pairs = 0;
        if (t != VT_CELL) cells = 0;
        if (t != VT_INT) ints = 0;
    }
    s->n = (uint32_t)n;
    s->flags = pairs | cells | ints;
    s->hash = 0;
    Value v = {0};
    v.tag = VT_SET;
    v.u.seq = s;
    return v;
}

static inline int64_t floordiv64(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* Number of items in range(lo, hi) (step 1) for int64 bounds. */
static inline uint64_t range_len(int64_t lo, int64_t hi)
{
    return hi > lo ? (uint64_t)hi - (uint64_t)lo : 0;
}

/* ---------------------------------------------------------------------- */
/* toindices and the extremes                                              */
/* ---------------------------------------------------------------------- */

static inline void ps_bbox(Ctx *ctx, Value p, int64_t *top, int64_t *left, int64_t *bottom, int64_t *right);

/* The indices of a cell set whose bounding box is small: mark them on a
 * bitmap of the box and read it back row by row, which yields them sorted
 * and distinct without a comparison sort (objects are sorted by colour, so
 * their indices are not). False when the box is too sparse for that. */
static bool cells_to_indices_dense(Ctx *ctx, Value patch, Value *out)
{
    const Seq *s = patch.u.seq;
    int64_t t, l, b, r;
    ps_bbox(ctx, patch, &t, &l, &b, &r);
    uint64_t h = (uint64_t)(b - t) + 1, w = (uint64_t)(r - l) + 1;
    if (h > 4096 || w > 4096 || h * w > 64u * s->n + 4096 || ctx_check_mem(ctx))
        return false;
    uint8_t *seen = ctx_alloc(ctx, h * w);
    memset(seen, 0, h * w);
    size_t distinct = 0;
    for (uint32_t k = 0; k < s->n; k++) {
        uint8_t *m = &seen[(uint64_t)(s->items[k].u.p.a - t) * w + (uint64_t)(s->items[k].u.p.b - l)];
        distinct += !*m;
        *m = 1;
    }
    Seq *o = seq_alloc(ctx, distinct);
    if (!o)
        return false;
    size_t n = 0;
    for (uint64_t i = 0; i < h && n < distinct; i++)
        for (uint64_t j = 0; j < w; j++)
            if (seen[i * w + j])
                o->items[n++] = v_pair((int32_t)(t + (int64_t)i), (int32_t)(l + (int64_t)j));
    *out = set_finish(o, n);
    return true;
}

/* toindices(patch): frozenset() when empty; the indices of the cells when the
 * first item's [1] is a tuple; else the patch itself, whatever it is. */
static Err toindices_v(Ctx *ctx, Value patch, Value *out)
{
    if (patch.tag == VT_SET) {
        Seq *s = patch.u.seq;
        if (s->n == 0) {
            *out = v_empty_set();
            return ERR_OK;
        }
        if (s->flags & SEQ_PAIRS) {
            *out = patch;
            return ERR_OK;
        }
        if (s->flags & SEQ_CELLS) {
            if (cells_to_indices_dense(ctx, patch, out))
                return ERR_OK;
            Value *tmp = scratch(ctx, s->n);
            if (!tmp)
                return ERR_MEMORY;
            for (uint32_t k = 0; k < s->n; k++)
                tmp[k] = v_pair(s->items[k].u.p.a, s->items[k].u.p.b);
            return mk_set(ctx, s->n, tmp, out); /* sorts and dedups when needed */
        }
    }
    int64_t n;
    TRY(py_len(patch, &n));
    if (n == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    Items it;
    TRY(py_items(patch, &it));
    Value second;
    TRY(py_getitem_i(it.v[0], 1, &second));
    if (!v_is_tuple(second)) {
        *out = patch;
        return ERR_OK;
    }
    /* frozenset(index for value, index in patch) */
    Value *tmp = scratch(ctx, it.n);
    if (!tmp)
        return ERR_MEMORY;
    for (size_t k = 0; k < it.n; k++) {
        Value value;
        TRY(gen_err(py_unpack2(it.v[k], &value, &tmp[k])));
    }
    return mk_set(ctx, it.n, tmp, out);
}

enum { COL_I = 0, COL_J = 1 };

/* min/max(x for i, j in toindices(patch)) with x = i (col 0) or j (col 1):
 * uppermost, lowermost, leftmost, rightmost. */
static Err extreme_v(Ctx *ctx, Value patch, int col, bool want_max, Value *out)
{
    if (is_ps(patch)) {
        const Seq *s = patch.u.seq;
        int32_t best;
        if (col == COL_I && (s->flags & SEQ_PAIRS)) {
            /* pairs are sorted by i */
            best = want_max ? s->items[s->n - 1].u.p.a : s->items[0].u.p.a;
        } else {
            best = col ? s->items[0].u.p.b : s->items[0].u.p.a;
            for (uint32_t k = 1; k < s->n; k++) {
                int32_t x = col ? s->items[k].u.p.b : s->items[k].u.p.a;
                if (want_max ? x > best : x < best)
                    best = x;
            }
        }
        *out = v_int(best);
        return ERR_OK;
    }
    Value idx;
    TRY(toindices_v(ctx, patch, &idx));
    Items it;
    TRY(py_items(idx, &it));
    Value best = v_none();
    bool have = false;
    for (size_t k = 0; k < it.n; k++) {
        Value a, b;
        TRY(py_unpack2(it.v[k], &a, &b));
        Value x = col ? b : a;
        if (!have) {
            best = x;
            have = true;
            continue;
        }
        bool better;
        TRY(want_max ? py_gt(x, best, &better) : py_lt(x, best, &better));
        if (better)
            best = x;
    }
    if (!have)
        return ERR_VALUE; /* min() arg is an empty sequence */
    *out = best;
    return ERR_OK;
}

/* ---- bounding boxes, kept per set ----
 * A unit asks for the box of one object again and again (its height, width,
 * corners and shape, in argmax keys, subgrid, box): on the bench's batt 399k
 * of 625k boxes were of a set already boxed in that unit, 55% of the items
 * scanned. Boxes of sets of BBOX_MIN_ITEMS or more are kept per Seq,
 * direct-mapped, under the grid cache's rule (grid_common.h, gc_cells_ro):
 * valid while ctx's arena and its epoch are the ones the box was taken
 * under, when no set can have been freed and another made in its place.
 * Smaller sets are scanned: that costs less than the lookup. */
#define BBOX_CACHE_BITS 8
#define BBOX_MIN_ITEMS 32

typedef struct BBox {
    const Seq *s;
    const Arena *arena;
    uint64_t epoch;
    int32_t t, l, b, r;
} BBox;

static _Thread_local BBox bbox_cache[1u << BBOX_CACHE_BITS];

static inline void bbox_scan(const Seq *s, BBox *out)
{
    int32_t t = s->items[0].u.p.a, b = t, l = s->items[0].u.p.b, r = l;
    if (s->flags & SEQ_PAIRS) { /* sorted by i: the first and last items give the rows */
        b = s->items[s->n - 1].u.p.a;
        for (uint32_t k = 1; k < s->n; k++) {
            int32_t j = s->items[k].u.p.b;
            if (j < l) l = j;
            if (j > r) r = j;
        }
    } else {
        for (uint32_t k = 1; k < s->n; k++) {
            int32_t i = s->items[k].u.p.a, j = s->items[k].u.p.b;
            if (i < t) t = i;
            if (i > b) b = i;
            if (j < l) l = j;
            if (j > r) r = j;
        }
    }
    out->t = t, out->l = l, out->b = b, out->r = r;
}

/* The kept box of s (n >= BBOX_MIN_ITEMS), taken now when not kept. */
static __attribute__((noinline)) BBox *bbox_kept(Ctx *ctx, const Seq *s)
{
    const Arena *a = ctx->arena;
    BBox *e = &bbox_cache[gc_seq_slot(s, BBOX_CACHE_BITS)];
    if (e->s != s || !gc_kept_valid(ctx, e->arena, e->epoch)) {
        bbox_scan(s, e);
        e->s = a->epoch ? s : NULL, e->arena = a, e->epoch = a->epoch; /* epoch 0: an arena of no identity */
    }
    return e;
}

/* Bounding box of a non-empty pair/cell set. */
static inline void ps_bbox(Ctx *ctx, Value p, int64_t *top, int64_t *left, int64_t *bottom, int64_t *right)
{
    const Seq *s = p.u.seq;
    BBox local, *e = &local;
    if (s->n < BBOX_MIN_ITEMS)
        bbox_scan(s, e);
    else
        e = bbox_kept(ctx, s);
    *top = e->t, *left = e->l, *bottom = e->b, *right = e->r;
}

/* ---------------------------------------------------------------------- */
/* height, width, shape                                                    */
/* ---------------------------------------------------------------------- */

static Err height_v(Ctx *ctx, Value piece, Value *out)
{
    if (is_ps(piece)) {
        int64_t t, l, b, r;
        ps_bbox(ctx, piece, &t, &l, &b, &r);
        *out = v_int(b - t + 1);
        return ERR_OK;
    }
    int64_t n;
    TRY(py_len(piece, &n));
    if (n == 0 || v_is_tuple(piece)) {
        *out = v_int(n);
        return ERR_OK;
    }
    Value lo, hi, d;
    TRY(extreme_v(ctx, piece, COL_I, true, &hi));
    TRY(extreme_v(ctx, piece, COL_I, false, &lo));
    TRY(py_sub(hi, lo, &d));
    return py_add(ctx, d, v_int(1), out);
}

static Err width_v(Ctx *ctx, Value piece, Value *out)
{
    if (is_ps(piece)) {
        int64_t t, l, b, r;
        ps_bbox(ctx, piece, &t, &l, &b, &r);
        *out = v_int(r - l + 1);
        return ERR_OK;
    }
    if (v_is_grid(piece)) {
        *out = v_int((int64_t)grid_w(piece));
        return ERR_OK;
    }
    int64_t n;
    TRY(py_len(piece, &n));
    if (n == 0) {
        *out = v_int(0);
        return ERR_OK;
    }
    if (v_is_tuple(piece)) { /* len(piece[0]) */
        Value row;
        int64_t w;
        TRY(py_getitem_i(piece, 0, &row));
        TRY(py_len(row, &w));
        *out = v_int(w);
        return ERR_OK;
    }
    Value lo, hi, d;
    TRY(extreme_v(ctx, piece, COL_J, true, &hi));
    TRY(extreme_v(ctx, piece, COL_J, false, &lo));
    TRY(py_sub(hi, lo, &d));
    return py_add(ctx, d, v_int(1), out);
}

Err op_height(Ctx *ctx, const Value *args, Value *out) { return height_v(ctx, args[0], out); }
Err op_width(Ctx *ctx, const Value *args, Value *out) { return width_v(ctx, args[0], out); }

Err op_shape(Ctx *ctx, const Value *args, Value *out)
{
    Value h, w;
    TRY(height_v(ctx, args[0], &h));
    TRY(width_v(ctx, args[0], &w));
    return tup2(ctx, h, w, out);
}

Err op_portrait(Ctx *ctx, const Value *args, Value *out)
{
    Value h, w;
    bool r;
    TRY(height_v(ctx, args[0], &h));
    TRY(width_v(ctx, args[0], &w));
    TRY(py_gt(h, w, &r));
    *out = v_bool(r);
    return ERR_OK;
}

Err op_toindices(Ctx *ctx, const Value *args, Value *out) { return toindices_v(ctx, args[0], out); }

Err op_uppermost(Ctx *ctx, const Value *args, Value *out) { return extreme_v(ctx, args[0], COL_I, false, out); }
Err op_lowermost(Ctx *ctx, const Value *args, Value *out) { return extreme_v(ctx, args[0], COL_I, true, out); }
Err op_leftmost(Ctx *ctx, const Value *args, Value *out) { return extreme_v(ctx, args[0], COL_J, false, out); }
Err op_rightmost(Ctx *ctx, const Value *args, Value *out) { return extreme_v(ctx, args[0], COL_J, true, out); }

/* ---------------------------------------------------------------------- */
/* corners: tuple(map(min/max, zip(*toindices(patch))))                    */
/* ---------------------------------------------------------------------- */

enum { UL, UR, LL, LR };

static Err corner_v(Ctx *ctx, Value patch, int which, Value *out)
{
    /* column k takes max when the corner is on that side */
    bool max0 = which == LL || which == LR, max1 = which == UR || which == LR;
    if (is_ps(patch)) {
        int64_t t, l, b, r;
        ps_bbox(ctx, patch, &t, &l, &b, &r);
        return pv(ctx, max0 ? b : t, max1 ? r : l, out);
    }
    Value idx;
    TRY(toindices_v(ctx, patch, &idx));
    Items it;
    TRY(py_items(idx, &it));
    /* zip(*items): every item must be iterable; columns = shortest item */
    size_t ncol = SIZE_MAX;
    Items *rows = ctx_alloc(ctx, (it.n ? it.n : 1) * sizeof(Items));
    for (size_t k = 0; k < it.n; k++) {
        /* a packed item's scratch lives inside rows[k], which stays put */
        TRY(py_items(it.v[k], &rows[k]));
        if (rows[k].n < ncol)
            ncol = rows[k].n;
    }
    if (it.n == 0)
        ncol = 0;
    Value *res = scratch(ctx, ncol);
    Value *colv = scratch(ctx, it.n);
    if (!res || !colv)
        return ERR_MEMORY;
    for (size_t c = 0; c < ncol; c++) {
        bool mx;
        if (which == UL || which == LR) {
            mx = which == LR;
        } else {
            if (c >= 2)
                return ERR_KEY; /* {0: min, 1: max}[2] */
            mx = c == 0 ? max0 : max1;
        }
        for (size_t k = 0; k < it.n; k++)
            colv[k] = rows[k].v[c];
        TRY(mx ? py_max_of(colv, it.n, &res[c]) : py_min_of(colv, it.n, &res[c]));
    }
    return mk_tuple(ctx, ncol, res, out);
}

Err op_ulcorner(Ctx *ctx, const Value *args, Value *out) { return corner_v(ctx, args[0], UL, out); }
Err op_urcorner(Ctx *ctx, const Value *args, Value *out) { return corner_v(ctx, args[0], UR, out); }
Err op_llcorner(Ctx *ctx, const Value *args, Value *out) { return corner_v(ctx, args[0], LL, out); }
Err op_lrcorner(Ctx *ctx, const Value *args, Value *out) { return corner_v(ctx, args[0], LR, out); }

Err op_corners(Ctx *ctx, const Value *args, Value *out)
{
    Value c[4];
    for (int k = 0; k < 4; k++)
        TRY(corner_v(ctx, args[0], k, &c[k]));
    return mk_set(ctx, 4, c, out);
}

/* ---------------------------------------------------------------------- */
/* colours                                                                 */
/* ---------------------------------------------------------------------- */

enum { SMALL_COLOURS = 16 };

/* Counts of the colours of a grid or a cell set when they all lie in
 * [0, SMALL_COLOURS); false when the element is another shape or a colour
 * falls outside (the caller takes the generic path). */
static bool small_counts(Ctx *ctx, Value e, int64_t counts[SMALL_COLOURS])
{
    memset(counts, 0, SMALL_COLOURS * sizeof counts[0]);
    if (v_is_grid(e)) {
        /* counted once per grid, with its cells (a grid is often asked its
         * palette, mostcolor and objects' background in one unit) */
        const uint32_t *c;
        bool below16;
        if (!gc_grid_colour_counts(ctx, e, &c, &below16) || !below16)
            return false;
        for (int k = 0; k < SMALL_COLOURS; k++)
            counts[k] = c[k];
        return true;
    }
    if (is_cells(e)) {
        const Seq *s = e.u.seq;
        for (uint32_t k = 0; k < s->n; k++) {
            int32_t c = s->items[k].c;
            if (c < 0 || c >= SMALL_COLOURS)
                return false;
            counts[c]++;
        }
        return true;
    }
    return false;
}

/* values = [v for r in element for v in r] for a tuple, else
 * [v for v, _ in element]: the colours of mostcolor, leastcolor, palette. */
static Err colour_values(Ctx *ctx, Value e, Value **vals, size_t *n)
{
    Items outer;
    TRY(py_items(e, &outer));
    bool tup = v_is_tuple(e);
    size_t total = 0;
    if (tup) {
        for (size_t k = 0; k < outer.n; k++) {
            Items r;
            TRY(py_items(outer.v[k], &r)); /* a row that is not iterable: TypeError */
            total += r.n;
        }
    } else {
        total = outer.n;
    }
    Value *v = scratch(ctx, total);
    if (!v)
        return ERR_MEMORY;
    size_t m = 0;
    for (size_t k = 0; k < outer.n; k++) {
        if (tup) {
            Items r;
            TRY(py_items(outer.v[k], &r));
            for (size_t q = 0; q < r.n; q++)
                v[m++] = r.v[q];
        } else {
            Value rest;
            TRY(py_unpack2(outer.v[k], &v[m++], &rest));
        }
    }
    *vals = v;
    *n = m;
    return ERR_OK;
}

/* max/min(set(values), key=values.count): the set iterates in canonical
 * order and keeps the first of equal values; the first extreme count wins. */
static Err most_least(Ctx *ctx, Value e, bool most, Value *out)
{
    int64_t counts[SMALL_COLOURS];
    if (small_counts(ctx, e, counts)) {
        int best = -1;
        for (int c = 0; c < SMALL_COLOURS; c++)
            if (counts[c] && (best < 0 || (most ? counts[c] > counts[best] : counts[c] < counts[best])))
                best = c;
        if (best < 0)
            return ERR_VALUE;
        *out = v_int(best);
        return ERR_OK;
    }
    Value *vals;
    size_t n;
    TRY(colour_values(ctx, e, &vals, &n));
    if (n == 0)
        return ERR_VALUE; /* max() arg is an empty sequence */
    Value distinct;
    TRY(mk_set(ctx, n, vals, &distinct));
    const Seq *d = distinct.u.seq;
    int64_t *cnt = ctx_alloc(ctx, d->n * sizeof *cnt);
    memset(cnt, 0, d->n * sizeof *cnt);
    for (size_t k = 0; k < n; k++)
        cnt[set_find(distinct, vals[k])]++;
    uint32_t best = 0;
    for (uint32_t k = 1; k < d->n; k++)
        if (most ? cnt[k] > cnt[best] : cnt[k] < cnt[best])
            best = k;
    *out = d->items[best];
    return ERR_OK;
}

Err op_mostcolor(Ctx *ctx, const Value *args, Value *out) { return most_least(ctx, args[0], true, out); }
Err op_leastcolor(Ctx *ctx, const Value *args, Value *out) { return most_least(ctx, args[0], false, out); }

Err op_colorcount(Ctx *ctx, const Value *args, Value *out)
{
    Value e = args[0], value = args[1];
    int64_t total = 0;
    if (v_is_grid(e)) {
        if (v_is_int(value)) {
            size_t h = grid_h(e), w = grid_w(e);
            for (size_t i = 0; i < h; i++)
                for (size_t j = 0; j < w; j++)
                    total += grid_at(e, i, j) == value.u.i;
        }
        *out = v_int(total);
        return ERR_OK;
    }
    if (is_cells(e)) {
        if (v_is_int(value)) {
            const Seq *s = e.u.seq;
            for (uint32_t k = 0; k < s->n; k++)
                total += s->items[k].c == value.u.i;
        }
        *out = v_int(total);
        return ERR_OK;
    }
    Items it;
    TRY(py_items(e, &it));
    for (size_t k = 0; k < it.n; k++) {
        if (v_is_tuple(e)) { /* sum(row.count(value) for row in element) */
            int64_t c;
            TRY(py_count(it.v[k], value, &c));
            total += c;
        } else { /* sum(v == value for v, _ in element) */
            Value v, rest;
            TRY(py_unpack2(it.v[k], &v, &rest));
            total += v_eq(v, value);
        }
    }
    *out = v_int(total);
    return ERR_OK;
}

/* next(iter(obj))[0]; StopIteration on an empty obj. */
static Err first_colour(Value obj, Value *out)
{
    if (is_cells(obj)) {
        *out = v_int(obj.u.seq->items[0].c);
        return ERR_OK;
    }
    Items it;
    TRY(py_items(obj, &it));
    if (it.n == 0)
        return ERR_STOPITER;
    return py_getitem_i(it.v[0], 0, out);
}

Err op_color(Ctx *ctx, const Value *args, Value *out) { return first_colour(args[0], out); }

Err op_colorfilter(Ctx *ctx, const Value *args, Value *out)
{
    Value objs = args[0], value = args[1];
    Items it;
    TRY(py_items(objs, &it));
    Value *keep = scratch(ctx, it.n);
    if (!keep)
        return ERR_MEMORY;
    size_t m = 0;
    for (size_t k = 0; k < it.n; k++) {
        Value c;
        /* inside a generator expression: StopIteration becomes RuntimeError */
        TRY(gen_err(first_colour(it.v[k], &c)));
        if (v_eq(c, value))
            keep[m++] = it.v[k];
    }
    if (objs.tag == VT_SET)
        return mk_set_sorted(ctx, m, keep, out);
    return mk_set(ctx, m, keep, out);
}

static Err palette_v(Ctx *ctx, Value e, Value *out)
{
    int64_t counts[SMALL_COLOURS];
    if (small_counts(ctx, e, counts)) {
        Value v[SMALL_COLOURS];
        size_t m = 0;
        for (int c = 0; c < SMALL_COLOURS; c++)
            if (counts[c])
                v[m++] = v_int(c);
        return mk_set_sorted(ctx, m, v, out);
    }
    Value *vals;
    size_t n;
    TRY(colour_values(ctx, e, &vals, &n));
    return mk_set(ctx, n, vals, out);
}

Err op_palette(Ctx *ctx, const Value *args, Value *out) { return palette_v(ctx, args[0], out); }

Err op_numcolors(Ctx *ctx, const Value *args, Value *out)
{
    int64_t counts[SMALL_COLOURS];
    if (small_counts(ctx, args[0], counts)) {
        int64_t m = 0;
        for (int c = 0; c < SMALL_COLOURS; c++)
            m += counts[c] != 0;
        *out = v_int(m);
        return ERR_OK;
    }
    Value p;
    TRY(palette_v(ctx, args[0], &p));
    *out = v_int((int64_t)v_len(p));
    return ERR_OK;
}

/* ---------------------------------------------------------------------- */
/* shift, normalize, recolor                                               */
/* ---------------------------------------------------------------------- */

/* Shift a non-empty pair/cell set by ints; false when a coordinate would
 * leave 32 bits (the generic path then builds unpacked tuples). Shifting
 * keeps the canonical order, so the items stay sorted. */
static bool shift_fast(Ctx *ctx, Value patch, int64_t di, int64_t dj, Value *out, Err *err)
{
    const Seq *s = patch.u.seq;
    if (di == 0 && dj == 0) { /* an equal set: the same one (normalize of a normalized patch) */
        *out = patch;
        *err = ERR_OK;
        return true;
    }
    if (fits32(di) && fits32(dj)) {
        /* one pass: shift in 32 bits and note an overflow (then the
         * generic path below, or the caller's, takes over) */
        Seq *o = seq_alloc(ctx, s->n);
        if (!o) {
            *err = ERR_MEMORY;
            return true;
        }
        int32_t a = (int32_t)di, b = (int32_t)dj;
        bool over = false;
        for (uint32_t k = 0; k < s->n; k++) {
            Value v = s->items[k];
            over |= __builtin_add_overflow(v.u.p.a, a, &v.u.p.a);
            over |= __builtin_add_overflow(v.u.p.b, b, &v.u.p.b);
            o->items[k] = v;
        }
        if (!over) {
            o->flags = s->flags & (SEQ_PAIRS | SEQ_CELLS); /* as the input: all pairs or all cells */
            Value v = {0};
            v.tag = VT_SET;
            v.u.seq = o;
            *out = v;
            *err = ERR_OK;
            return true;
        }
    }
    int64_t t, l, b, r;
    ps_bbox(ctx, patch, &t, &l, &b, &r);
    if (!fits32(t + di) || !fits32(b + di) || !fits32(l + dj) || !fits32(r + dj))
        return false;
    Seq *o = seq_alloc(ctx, s->n);
    if (!o) {
        *err = ERR_MEMORY;
        return true;
    }
    /* the offsets themselves may not fit 32 bits: add in 64 */
    memcpy(o->items, s->items, s->n * sizeof(Value));
    for (uint32_t k = 0; k < s->n; k++) {
        o->items[k].u.p.a = (int32_t)(o->items[k].u.p.a + di);
        o->items[k].u.p.b = (int32_t)(o->items[k].u.p.b + dj);
    }
    *out = set_finish(o, s->n);
    *err = ERR_OK;
    return true;
}

/* All items of a non-empty tuple are packed pairs, or all packed cells. */
static bool packed_tuple(Value v)
{
    if (v.tag != VT_TUPLE || !v.u.seq->n)
        return false;
    const Seq *s = v.u.seq;
    uint8_t t = s->items[0].tag;
    if (t != VT_PAIR && t != VT_CELL)
        return false;
    for (uint32_t k = 1; k < s->n; k++)
        if (s->items[k].tag != t)
            return false;
    return true;
}

/* shift of a tuple of packed pairs or cells (mapply over a tuple merges into
 * one, with repeats): the shifted items, then one set construction; false
 * when a coordinate would leave 32 bits. */
static bool shift_tuple_fast(Ctx *ctx, Value patch, int64_t di, int64_t dj, Value *out, Err *err)
{
    const Seq *s = patch.u.seq;
    for (uint32_t k = 0; k < s->n; k++)
        if (!fits32(s->items[k].u.p.a + di) || !fits32(s->items[k].u.p.b + dj))
            return false;
    Value *res = scratch(ctx, s->n);
    if (!res) {
        *err = ERR_MEMORY;
        return true;
    }
    memcpy(res, s->items, s->n * sizeof(Value));
    for (uint32_t k = 0; k < s->n; k++) {
        res[k].u.p.a = (int32_t)(res[k].u.p.a + di);
        res[k].u.p.b = (int32_t)(res[k].u.p.b + dj);
    }
    *err = mk_set(ctx, s->n, res, out);
    return true;
}

static Err shift_v(Ctx *ctx, Value patch, Value directions, Value *out)
{
    int64_t n;
    TRY(py_len(patch, &n));
    if (n == 0) {
        *out = patch;
        return ERR_OK;
    }
    Value di, dj;
    TRY(py_unpack2(directions, &di, &dj));
    if (is_ps(patch) && v_is_int(di) && v_is_int(dj)) {
        Err e;
        if (shift_fast(ctx, patch, di.u.i, dj.u.i, out, &e))
            return e;
    }
    if (packed_tuple(patch) && v_is_int(di) && v_is_int(dj)) {
        Err e;
        if (shift_tuple_fast(ctx, patch, di.u.i, dj.u.i, out, &e))
            return e;
    }
    Items it;
    TRY(py_items(patch, &it));
    Value second;
    TRY(py_getitem_i(it.v[0], 1, &second));
    bool cells = v_is_tuple(second);
    Value *res = scratch(ctx, it.n);
    if (!res)
        return ERR_MEMORY;
    for (size_t k = 0; k < it.n; k++) {
        Value value = v_none(), ij = it.v[k], i, j, ni, nj, p;
        if (cells)
            TRY(py_unpack2(it.v[k], &value, &ij));
        TRY(py_unpack2(ij, &i, &j));
        TRY(py_add(ctx, i, di, &ni));
        TRY(py_add(ctx, j, dj, &nj));
        TRY(tup2(ctx, ni, nj, &p));
        if (cells)
            TRY(tup2(ctx, value, p, &res[k]));
        else
            res[k] = p;
    }
    return mk_set(ctx, it.n, res, out);
}

Err op_shift(Ctx *ctx, const Value *args, Value *out) { return shift_v(ctx, args[0], args[1], out); }

static Err normalize_v(Ctx *ctx, Value patch, Value *out)
{
    if (is_ps(patch)) {
        int64_t t, l, b, r;
        ps_bbox(ctx, patch, &t, &l, &b, &r);
        Err e;
        if (shift_fast(ctx, patch, -t, -l, out, &e))
            return e;
    }
    int64_t n;
    TRY(py_len(patch, &n));
    if (n == 0) {
        *out = patch;
        return ERR_OK;
    }
    Value up, left, nu, nl, d;
    TRY(extreme_v(ctx, patch, COL_I, false, &up));
    TRY(py_neg(up, &nu));
    TRY(extreme_v(ctx, patch, COL_J, false, &left));
    TRY(py_neg(left, &nl));
    TRY(tup2(ctx, nu, nl, &d));
    return shift_v(ctx, patch, d, out);
}

Err op_normalize(Ctx *ctx, const Value *args, Value *out) { return normalize_v(ctx, args[0], out); }

Err op_recolor(Ctx *ctx, const Value *args, Value *out)
{
    Value value = args[0], idx;
    TRY(toindices_v(ctx, args[1], &idx));
    Items it;
    TRY(py_items(idx, &it));
    if (value.tag == VT_INT && fits32(value.u.i) && (v_flags(idx) & SEQ_PAIRS) && it.n) {
        /* (value, (i, j)) over sorted pairs stays sorted */
        Seq *o = seq_alloc(ctx, it.n);
        if (!o)
            return ERR_MEMORY;
        for (size_t k = 0; k < it.n; k++)
            o->items[k] = v_cell((int32_t)value.u.i, it.v[k].u.p.a, it.v[k].u.p.b);
        *out = set_finish(o, it.n);
        return ERR_OK;
    }
    Value *res = scratch(ctx, it.n);
    if (!res)
        return ERR_MEMORY;
    for (size_t k = 0; k < it.n; k++)
        TRY(tup2(ctx, value, it.v[k], &res[k]));
    return mk_set(ctx, it.n, res, out);
}

/* ---------------------------------------------------------------------- */
/* neighbourhoods                                                          */
/* ---------------------------------------------------------------------- */

/* The four tuples (loc[0] + d0, loc[1] + d1) for the given offsets, each
 * evaluated as Python does: loc[0], the arithmetic on it, loc[1], then its
 * arithmetic. An offset of 0 leaves that coordinate untouched (no
 * arithmetic, so loc[1] may be any value there). */
/* The n offsets of a packed pair, given in canonical order (so the set needs
 * no sort); false when loc +- 1 would leave 32 bits. */
static bool offsets_sorted(Ctx *ctx, Value loc, const int (*d)[2], int n, Value *out, Err *err)
{
    int32_t i = loc.u.p.a, j = loc.u.p.b;
    if (i == INT32_MIN || i == INT32_MAX || j == INT32_MIN || j == INT32_MAX)
        return false;
    Seq *s = seq_alloc(ctx, (size_t)n); /* written in place: all pairs, sorted */
    if (!s) {
        *err = ERR_MEMORY;
        return true;
    }
    for (int k = 0; k < n; k++)
        s->items[k] = v_pair(i + d[k][0], j + d[k][1]);
    *out = packset_finish(s, (size_t)n, VT_PAIR);
    *err = ERR_OK;
    return true;
}

/* The offsets of dneighbors, ineighbors and neighbors in canonical order. */
static const int DN_SORTED[4][2] = {{-1, 0}, {0, -1}, {0, 1}, {1, 0}};
static const int IN_SORTED[4][2] = {{-1, -1}, {-1, 1}, {1, -1}, {1, 1}};
static const int NB_SORTED[8][2] = {{-1, -1}, {-1, 0}, {-1, 1}, {0, -1},
                                    {0, 1},   {1, -1}, {1, 0},  {1, 1}};

static Err offsets_v(Ctx *ctx, Value loc, const int d[4][2], Value *out)
{
    if (loc.tag == VT_PAIR) {
        Value v[4];
        for (int k = 0; k < 4; k++)
            TRY(pv(ctx, (int64_t)loc.u.p.a + d[k][0], (int64_t)loc.u.p.b + d[k][1], &v[k]));
        return mk_set(ctx, 4, v, out);
    }
    Value v[4];
    for (int k = 0; k < 4; k++) {
        Value l0, l1, a, b;
        TRY(py_getitem_i(loc, 0, &l0));
        a = l0;
        if (d[k][0])
            TRY(d[k][0] < 0 ? py_sub(l0, v_int(1), &a) : py_add(ctx, l0, v_int(1), &a));
        TRY(py_getitem_i(loc, 1, &l1));
        b = l1;
        if (d[k][1])
            TRY(d[k][1] < 0 ? py_sub(l1, v_int(1), &b) : py_add(ctx, l1, v_int(1), &b));
        TRY(tup2(ctx, a, b, &v[k]));
    }
    return mk_set(ctx, 4, v, out);
}

static const int DN[4][2] = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}};
static const int IN[4][2] = {{-1, -1}, {-1, 1}, {1, -1}, {1, 1}};

/* The fast paths: a packed location (mapply and sfilter call these per cell). */
Err op_dneighbors(Ctx *ctx, const Value *args, Value *out)
{
    Err e;
    if (args[0].tag == VT_PAIR && offsets_sorted(ctx, args[0], DN_SORTED, 4, out, &e))
        return e;
    return offsets_v(ctx, args[0], DN, out);
}

Err op_ineighbors(Ctx *ctx, const Value *args, Value *out)
{
    Err e;
    if (args[0].tag == VT_PAIR && offsets_sorted(ctx, args[0], IN_SORTED, 4, out, &e))
        return e;
    return offsets_v(ctx, args[0], IN, out);
}

Err op_neighbors(Ctx *ctx, const Value *args, Value *out)
{
    Err e;
    if (args[0].tag == VT_PAIR && offsets_sorted(ctx, args[0], NB_SORTED, 8, out, &e))
        return e;
    Value d, i;
    TRY(offsets_v(ctx, args[0], DN, &d));
    TRY(offsets_v(ctx, args[0], IN, &i));
    return py_or(ctx, d, i, out);
}

/* ---------------------------------------------------------------------- */
/* matching and distances                                                  */
/* ---------------------------------------------------------------------- */

/* [x for i, j in toindices(patch)] with x = i or j. */
static Err column_v(Ctx *ctx, Value patch, int col, Value **vals, size_t *n)
{
    Value idx;
    TRY(toindices_v(ctx, patch, &idx));
    Items it;
    TRY(py_items(idx, &it));
    Value *v = scratch(ctx, it.n);
    if (!v)
        return ERR_MEMORY;
    for (size_t k = 0; k < it.n; k++) {
        Value a, b;
        TRY(py_unpack2(it.v[k], &a, &b));
        v[k] = col ? b : a;
    }
    *vals = v;
    *n = it.n;
    return ERR_OK;
}

/* len(set(x for i, j in toindices(a)) & set(x for i, j in toindices(b))) > 0 */
static Err matching_v(Ctx *ctx, Value a, Value b, int col, bool *out)
{
    if (is_ps(a) && is_ps(b)) {
        int64_t t, l, bo, r;
        ps_bbox(ctx, a, &t, &l, &bo, &r);
        int64_t lo = col ? l : t, hi = col ? r : bo;
        if (hi - lo < 4096) {
            uint8_t seen[4096];
            memset(seen, 0, (size_t)(hi - lo + 1));
            const Seq *s = a.u.seq;
            for (uint32_t k = 0; k < s->n; k++)
                seen[(col ? s->items[k].u.p.b : s->items[k].u.p.a) - lo] = 1;
            s = b.u.seq;
            for (uint32_t k = 0; k < s->n; k++) {
                int64_t x = col ? s->items[k].u.p.b : s->items[k].u.p.a;
                if (x >= lo && x <= hi && seen[x - lo]) {
                    *out = true;
                    return ERR_OK;
                }
            }
            *out = false;
            return ERR_OK;
        }
    }
    Value *va, *vb, sa;
    size_t na, nb;
    TRY(column_v(ctx, a, col, &va, &na));
    TRY(column_v(ctx, b, col, &vb, &nb));
    TRY(mk_set(ctx, na, va, &sa));
    *out = false;
    for (size_t k = 0; k < nb && !*out; k++)
        *out = set_find(sa, vb[k]) >= 0;
    return ERR_OK;
}

Err op_hmatching(Ctx *ctx, const Value *args, Value *out)
{
    bool r;
    TRY(matching_v(ctx, args[0], args[1], COL_I, &r));
    *out = v_bool(r);
    return ERR_OK;
}

Err op_vmatching(Ctx *ctx, const Value *args, Value *out)
{
    bool r;
    TRY(matching_v(ctx, args[0], args[1], COL_J, &r));
    *out = v_bool(r);
    return ERR_OK;
}

/* min over two pair/cell sets of |ai - bi - oi| + |aj - bj - oj|, where (oi, oj)
 * shifts b's points: -(shift of a). Stops early at 0, the least possible. */
static Err ps_manhattan(Ctx *ctx, Value a, Value b, int64_t oi, int64_t oj, int64_t *out)
{
    const Seq *sa = a.u.seq, *sb = b.u.seq;
    int64_t best = INT64_MAX;
    for (uint32_t x = 0; x < sa->n; x++) {
        if ((x & 63) == 0)
            TRY(ctx_tick(ctx));
        int64_t ai = (int64_t)sa->items[x].u.p.a + oi, aj = (int64_t)sa->items[x].u.p.b + oj;
        for (uint32_t y = 0; y < sb->n; y++) {
            int64_t di = ai - sb->items[y].u.p.a, dj = aj - sb->items[y].u.p.b;
            int64_t d = (di < 0 ? -di : di) + (dj < 0 ? -dj : dj);
            if (d < best) {
                best = d;
                if (d == 0) {
                    *out = 0;
                    return ERR_OK;
                }
            }
        }
    }
    *out = best;
    return ERR_OK;
}

/* min(abs(ai - bi) + abs(aj - bj) for ai, aj in toindices(a)
 *                                  for bi, bj in toindices(b)) */
static Err manhattan_v(Ctx *ctx, Value a, Value b, Value *out)
{
    if (is_ps(a) && is_ps(b)) {
        int64_t d;
        TRY(ps_manhattan(ctx, a, b, 0, 0, &d));
        *out = v_int(d);
        return ERR_OK;
    }
    Value ia;
    TRY(toindices_v(ctx, a, &ia));
    Items ita, itb = {0};
    TRY(py_items(ia, &ita));
    bool have = false, have_b = false;
    Value best = v_none();
    for (size_t x = 0; x < ita.n; x++) {
        Value ai, aj;
        TRY(py_unpack2(ita.v[x], &ai, &aj));
        if (!have_b) { /* the inner iterable is evaluated per outer item */
            Value ib;
            TRY(toindices_v(ctx, b, &ib));
            TRY(py_items(ib, &itb));
            have_b = true;
        }
        TRY(ctx_tick(ctx));
        for (size_t y = 0; y < itb.n; y++) {
            Value bi, bj, d1, d2, s;
            TRY(py_unpack2(itb.v[y], &bi, &bj));
            TRY(py_sub(ai, bi, &d1));
            TRY(py_abs(d1, &d1));
            TRY(py_sub(aj, bj, &d2));
            TRY(py_abs(d2, &d2));
            TRY(py_add(ctx, d1, d2, &s));
            bool lt = !have;
            if (have)
                TRY(py_lt(s, best, &lt));
            if (lt)
                best = s;
            have = true;
        }
    }
    if (!have)
        return ERR_VALUE;
    *out = best;
    return ERR_OK;
}

Err op_manhattan(Ctx *ctx, const Value *args, Value *out) { return manhattan_v(ctx, args[0], args[1], out); }

static Err adjacent_v(Ctx *ctx, Value a, Value b, bool *out)
{
    Value d;
    TRY(manhattan_v(ctx, a, b, &d));
    *out = v_eq(d, v_int(1));
    return ERR_OK;
}

Err op_adjacent(Ctx *ctx, const Value *args, Value *out)
{
    bool r;
    TRY(adjacent_v(ctx, args[0], args[1], &r));
    *out = v_bool(r);
    return ERR_OK;
}

/* uppermost(patch) == 0 or leftmost(patch) == 0 or
 * lowermost(patch) == len(grid) - 1 or rightmost(patch) == len(grid[0]) - 1 */
Err op_bordering(Ctx *ctx, const Value *args, Value *out)
{
    Value patch = args[0], grid = args[1], x, row;
    int64_t n;
    bool r = true;
    TRY(extreme_v(ctx, patch, COL_I, false, &x));
    if (v_eq(x, v_int(0)))
        goto done;
    TRY(extreme_v(ctx, patch, COL_J, false, &x));
    if (v_eq(x, v_int(0)))
        goto done;
    TRY(extreme_v(ctx, patch, COL_I, true, &x));
    TRY(py_len(grid, &n));
    if (v_eq(x, v_int(n - 1)))
        goto done;
    TRY(extreme_v(ctx, patch, COL_J, true, &x));
    TRY(py_getitem_i(grid, 0, &row));
    TRY(py_len(row, &n));
    r = v_eq(x, v_int(n - 1));
done:
    *out = v_bool(r);
    return ERR_OK;
}

/* ---------------------------------------------------------------------- */
/* centres, index, shape tests                                             */
/* ---------------------------------------------------------------------- */

/* tuple(map(lambda x: sum(x) // len(patch), zip(*toindices(patch)))) */
Err op_centerofmass(Ctx *ctx, const Value *args, Value *out)
{
    Value patch = args[0], idx;
    TRY(toindices_v(ctx, patch, &idx));
    if (idx.tag == VT_SET && idx.u.seq->n && (idx.u.seq->flags & SEQ_PAIRS)) {
        /* the sums run over distinct indices, the divisor is len(patch) */
        const Seq *s = idx.u.seq;
        int64_t si = 0, sj = 0;
        for (uint32_t k = 0; k < s->n; k++)
            si += s->items[k].u.p.a, sj += s->items[k].u.p.b;
        int64_t n = (int64_t)v_len(patch);
        return pv(ctx, floordiv64(si, n), floordiv64(sj, n), out);
    }
    Items it;
    TRY(py_items(idx, &it));
    size_t ncol = it.n ? SIZE_MAX : 0;
    Items *rows = ctx_alloc(ctx, (it.n ? it.n : 1) * sizeof(Items));
    for (size_t k = 0; k < it.n; k++) {
        TRY(py_items(it.v[k], &rows[k])); /* zip: TypeError for a non-iterable */
        if (rows[k].n < ncol)
            ncol = rows[k].n;
    }
    Value *res = scratch(ctx, ncol);
    if (!res)
        return ERR_MEMORY;
    int64_t len;
    TRY(py_len(patch, &len));
    for (size_t c = 0; c < ncol; c++) {
        Value sum = v_int(0);
        for (size_t k = 0; k < it.n; k++)
            TRY(py_add(ctx, sum, rows[k].v[c], &sum));
        TRY(py_floordiv(sum, v_int(len), &res[c]));
    }
    return mk_tuple(ctx, ncol, res, out);
}

/* (uppermost(patch) + height(patch) // 2, leftmost(patch) + width(patch) // 2) */
static Err center_v(Ctx *ctx, Value patch, Value *ci, Value *cj)
{
    if (is_ps(patch)) {
        int64_t t, l, b, r;
        ps_bbox(ctx, patch, &t, &l, &b, &r);
        *ci = v_int(t + (b - t + 1) / 2);
        *cj = v_int(l + (r - l + 1) / 2);
        return ERR_OK;
    }
    Value x, h, q;
    TRY(extreme_v(ctx, patch, COL_I, false, &x));
    TRY(height_v(ctx, patch, &h));
    TRY(py_floordiv(h, v_int(2), &q));
    TRY(py_add(ctx, x, q, ci));
    TRY(extreme_v(ctx, patch, COL_J, false, &x));
    TRY(width_v(ctx, patch, &h));
    TRY(py_floordiv(h, v_int(2), &q));
    return py_add(ctx, x, q, cj);
}

Err op_center(Ctx *ctx, const Value *args, Value *out)
{
    Value i, j;
    TRY(center_v(ctx, args[0], &i, &j));
    return tup2(ctx, i, j, out);
}

Err op_position(Ctx *ctx, const Value *args, Value *out)
{
    Value ia, ja, ib, jb, t;
    TRY(toindices_v(ctx, args[0], &t));
    TRY(center_v(ctx, t, &ia, &ja));
    TRY(toindices_v(ctx, args[1], &t));
    TRY(center_v(ctx, t, &ib, &jb));
    bool lt, gt;
    int64_t di, dj;
    if (v_eq(ia, ib)) {
        TRY(py_lt(ja, jb, &lt));
        di = 0, dj = lt ? 1 : -1;
    } else if (v_eq(ja, jb)) {
        TRY(py_lt(ia, ib, &lt));
        di = lt ? 1 : -1, dj = 0;
    } else {
        TRY(py_lt(ia, ib, &lt));
        if (lt) {
            di = 1;
        } else {
            TRY(py_gt(ia, ib, &gt));
            if (!gt) { /* no branch applies: the function falls off its end */
                *out = v_none();
                return ERR_OK;
            }
            di = -1;
        }
        TRY(py_lt(ja, jb, &lt));
        dj = lt ? 1 : -1;
    }
    return pv(ctx, di, dj, out);
}

Err op_index(Ctx *ctx, const Value *args, Value *out)
{
    Value grid = args[0], loc = args[1];
    if (v_is_grid(grid) && loc.tag == VT_PAIR) {
        int64_t i = loc.u.p.a, j = loc.u.p.b;
        if (i < 0 || j < 0 || (size_t)i >= grid_h(grid) || (size_t)j >= grid_w(grid))
            *out = v_none();
        else
            *out = v_int(grid_at(grid, (size_t)i, (size_t)j));
        return ERR_OK;
    }
    Value i, j, row;
    int64_t h, w;
    TRY(py_unpack2(loc, &i, &j));
    TRY(py_len(grid, &h));
    TRY(py_getitem_i(grid, 0, &row));
    TRY(py_len(row, &w));
    /* not (0 <= i < h and 0 <= j < w), chained and short-circuited */
    bool ok;
    TRY(py_le(v_int(0), i, &ok));
    if (ok)
        TRY(py_lt(i, v_int(h), &ok));
    if (ok)
        TRY(py_le(v_int(0), j, &ok));
    if (ok)
        TRY(py_lt(j, v_int(w), &ok));
    if (!ok) {
        *out = v_none();
        return ERR_OK;
    }
    /* grid[loc[0]][loc[1]]: loc is indexed again (a frozenset cannot be) */
    Value l0, l1;
    TRY(py_getitem_i(loc, 0, &l0));
    TRY(py_getitem(grid, l0, &row));
    TRY(py_getitem_i(loc, 1, &l1));
    return py_getitem(row, l1, out);
}

Err op_square(Ctx *ctx, const Value *args, Value *out)
{
    Value piece = args[0];
    if (v_is_tuple(piece)) { /* len(piece) == len(piece[0]) */
        Value row;
        int64_t w;
        TRY(py_getitem_i(piece, 0, &row));
        TRY(py_len(row, &w));
        *out = v_bool((int64_t)v_len(piece) == w);
        return ERR_OK;
    }
    Value h, w, p;
    int64_t n;
    TRY(height_v(ctx, piece, &h));
    TRY(width_v(ctx, piece, &w));
    TRY(py_mul(ctx, h, w, &p));
    TRY(py_len(piece, &n));
    *out = v_bool(v_eq(p, v_int(n)) && v_eq(h, w));
    return ERR_OK;
}

/* vline: height(patch) == len(patch) and width(patch) == 1;
 * hline: the same with width and height swapped. */
static Err line_v(Ctx *ctx, Value patch, bool vertical, Value *out)
{
    Value a, b;
    int64_t n;
    TRY((vertical ? height_v : width_v)(ctx, patch, &a));
    TRY(py_len(patch, &n));
    if (!v_eq(a, v_int(n))) {
        *out = v_bool(false);
        return ERR_OK;
    }
    TRY((vertical ? width_v : height_v)(ctx, patch, &b));
    *out = v_bool(v_eq(b, v_int(1)));
    return ERR_OK;
}

Err op_vline(Ctx *ctx, const Value *args, Value *out) { return line_v(ctx, args[0], true, out); }
Err op_hline(Ctx *ctx, const Value *args, Value *out) { return line_v(ctx, args[0], false, out); }

/* ---------------------------------------------------------------------- */
/* lines: connect, shoot, frontiers                                        */
/* ---------------------------------------------------------------------- */

/* min(x, y) and max(x, y) of two values as the builtins compare them. */
static Err min2(Value x, Value y, Value *out)
{
    bool lt;
    TRY(py_lt(y, x, &lt));
    *out = lt ? y : x;
    return ERR_OK;
}

static Err max2(Value x, Value y, Value *out)
{
    bool gt;
    TRY(py_gt(y, x, &gt));
    *out = gt ? y : x;
    return ERR_OK;
}

/* The points (i0 + k*si, j0 + k*sj) for k in [0, n), with i (or j, when the
 * matching fixed value is given) replaced by a fixed Value: connect's lines.
 * Every line connect draws is in ascending canonical order. */
static Err line_points(Ctx *ctx, uint64_t n, int64_t i0, int64_t j0, int di, int dj,
                       const Value *fixed_i, const Value *fixed_j, Value *out)
{
    if (n > LIMIT_SEQ_ITEMS)
        return ERR_MEMORY;
    Seq *s = seq_alloc(ctx, (size_t)n);
    if (!s)
        return ERR_MEMORY;
    for (uint64_t k = 0; k < n; k++) {
        int64_t i = i0 + (int64_t)k * di, j = j0 + (int64_t)k * dj;
        if (fixed_i && fixed_i->tag == VT_BOOL)
            TRY(tup2(ctx, *fixed_i, v_int(j), &s->items[k]));
        else if (fixed_j && fixed_j->tag == VT_BOOL)
            TRY(tup2(ctx, v_int(i), *fixed_j, &s->items[k]));
        else
            TRY(pv(ctx, i, j, &s->items[k]));
    }
    *out = set_finish(s, (size_t)n);
    return ERR_OK;
}

static Err connect_v(Ctx *ctx, Value a, Value b, Value *out)
{
    Value ai, aj, bi, bj, si, ei, sj, ej;
    TRY(py_unpack2(a, &ai, &aj));
    TRY(py_unpack2(b, &bi, &bj));
    TRY(min2(ai, bi, &si));
    TRY(max2(ai, bi, &ei));
    TRY(py_add(ctx, ei, v_int(1), &ei));
    TRY(min2(aj, bj, &sj));
    TRY(max2(aj, bj, &ej));
    TRY(py_add(ctx, ej, v_int(1), &ej));
    /* the +1s succeeded, so max(ai, bi) and max(aj, bj) are ints, and the
     * comparisons with them made ai, bi, aj, bj ints as well */
    int64_t SI = si.u.i, EI = ei.u.i, SJ = sj.u.i, EJ = ej.u.i;
    if (v_eq(ai, bi))
        return line_points(ctx, range_len(SJ, EJ), ai.u.i, SJ, 0, 1, &ai, NULL, out);
    if (v_eq(aj, bj))
        return line_points(ctx, range_len(SI, EI), SI, aj.u.i, 1, 0, NULL, &aj, out);
    Value d1, d2, d3;
    TRY(py_sub(bi, ai, &d1));
    TRY(py_sub(bj, aj, &d2));
    if (v_eq(d1, d2)) /* zip(range(si, ei), range(sj, ej)) */
        return line_points(ctx, range_len(SI, EI), SI, SJ, 1, 1, NULL, NULL, out);
    TRY(py_sub(bi, ai, &d1));
    TRY(py_sub(aj, bj, &d3));
    if (v_eq(d1, d3)) /* zip(range(si, ei), range(ej - 1, sj - 1, -1)) */
        return line_points(ctx, range_len(SI, EI), SI, EJ - 1, 1, -1, NULL, NULL, out);
    *out = v_empty_set();
    return ERR_OK;
}

Err op_connect(Ctx *ctx, const Value *args, Value *out) { return connect_v(ctx, args[0], args[1], out); }

/* connect(start, (start[0] + 42 * direction[0], start[1] + 42 * direction[1])) */
Err op_shoot(Ctx *ctx, const Value *args, Value *out)
{
    Value start = args[0], dir = args[1], s, d, p, end[2], e;
    for (int k = 0; k < 2; k++) {
        TRY(py_getitem_i(start, k, &s));
        TRY(py_getitem_i(dir, k, &d));
        TRY(py_mul(ctx, v_int(42), d, &p));
        TRY(py_add(ctx, s, p, &end[k]));
    }
    TRY(mk_tuple(ctx, 2, end, &e));
    return connect_v(ctx, start, e, out);
}

/* frozenset((i, location[1]) for i in range(30)), and the transpose */
static Err frontier_v(Ctx *ctx, Value loc, int k, Value *out)
{
    Value x;
    TRY(py_getitem_i(loc, k, &x));
    Value v[30];
    for (int n = 0; n < 30; n++)
        TRY(k ? tup2(ctx, v_int(n), x, &v[n]) : tup2(ctx, x, v_int(n), &v[n]));
    return mk_set_sorted(ctx, 30, v, out);
}

Err op_vfrontier(Ctx *ctx, const Value *args, Value *out) { return frontier_v(ctx, args[0], 1, out); }
Err op_hfrontier(Ctx *ctx, const Value *args, Value *out) { return frontier_v(ctx, args[0], 0, out); }

/* ---------------------------------------------------------------------- */
/* rectangles: backdrop, delta, inbox, outbox, box                         */
/* ---------------------------------------------------------------------- */

/* All (i, j) for i in [si, ei], j in [sj, ej], in canonical order. */
static Err rect_fill(Ctx *ctx, int64_t si, int64_t sj, int64_t ei, int64_t ej, Value *out)
{
    uint64_t h = ei >= si ? (uint64_t)ei - (uint64_t)si + 1 : 0;
    uint64_t w = ej >= sj ? (uint64_t)ej - (uint64_t)sj + 1 : 0;
    if (h == 0 || w == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    if (h > LIMIT_SEQ_ITEMS || w > LIMIT_SEQ_ITEMS || h * w > LIMIT_SEQ_ITEMS)
        return ERR_MEMORY;
    Seq *s = seq_alloc(ctx, (size_t)(h * w));
    if (!s)
        return ERR_MEMORY;
    size_t n = 0;
    for (uint64_t a = 0; a < h; a++)
        for (uint64_t b = 0; b < w; b++)
            TRY(pv(ctx, si + (int64_t)a, sj + (int64_t)b, &s->items[n++]));
    *out = set_finish(s, n);
    return ERR_OK;
}

/* The outline of the rectangle [si, ei] x [sj, ej] (si <= ei, sj <= ej), in
 * canonical order: inbox, outbox and box draw it. */
static Err rect_outline(Ctx *ctx, int64_t si, int64_t sj, int64_t ei, int64_t ej, Value *out)
{
    uint64_t h = (uint64_t)ei - (uint64_t)si + 1, w = (uint64_t)ej - (uint64_t)sj + 1;
    if (h > LIMIT_SEQ_ITEMS || w > LIMIT_SEQ_ITEMS || 2 * (h + w) > LIMIT_SEQ_ITEMS)
        return ERR_MEMORY;
    Seq *s = seq_alloc(ctx, (size_t)(2 * (h + w)));
    if (!s)
        return ERR_MEMORY;
    size_t n = 0;
    for (uint64_t a = 0; a < h; a++) {
        int64_t i = si + (int64_t)a;
        if (a == 0 || a == h - 1) {
            for (uint64_t b = 0; b < w; b++)
                TRY(pv(ctx, i, sj + (int64_t)b, &s->items[n++]));
        } else { /* an inner row: its two ends only (a scan of the whole
                  * rectangle was most of box's time on big patches) */
            TRY(pv(ctx, i, sj, &s->items[n++]));
            if (w > 1)
                TRY(pv(ctx, i, ej, &s->items[n++]));
        }
    }
    *out = set_finish(s, n);
    return ERR_OK;
}

static Err backdrop_v(Ctx *ctx, Value patch, Value *out)
{
    if (is_ps(patch)) {
        int64_t t, l, b, r;
        ps_bbox(ctx, patch, &t, &l, &b, &r);
        return rect_fill(ctx, t, l, b, r, out);
    }
    int64_t n;
    TRY(py_len(patch, &n));
    if (n == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    Value idx, ul, lr, si, sj, ei, ej, e;
    TRY(toindices_v(ctx, patch, &idx));
    TRY(corner_v(ctx, idx, UL, &ul));
    TRY(py_unpack2(ul, &si, &sj));
    TRY(corner_v(ctx, patch, LR, &lr));
    TRY(py_unpack2(lr, &ei, &ej));
    /* range(si, ei + 1), then (lazily, per i) range(sj, ej + 1) */
    TRY(py_add(ctx, ei, v_int(1), &e));
    if (!v_is_int(si))
        return ERR_TYPE;
    if (range_len(si.u.i, e.u.i) == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    TRY(py_add(ctx, ej, v_int(1), &e));
    if (!v_is_int(sj))
        return ERR_TYPE;
    return rect_fill(ctx, si.u.i, sj.u.i, ei.u.i, ej.u.i, out);
}

Err op_backdrop(Ctx *ctx, const Value *args, Value *out) { return backdrop_v(ctx, args[0], out); }

Err op_delta(Ctx *ctx, const Value *args, Value *out)
{
    int64_t n;
    TRY(py_len(args[0], &n));
    if (n == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    Value bd, idx;
    TRY(backdrop_v(ctx, args[0], &bd));
    TRY(toindices_v(ctx, args[0], &idx));
    if (idx.tag != VT_SET)
        return ERR_TYPE; /* frozenset - tuple */
    /* backdrop(patch) - toindices(patch): both sorted, a linear merge */
    const Seq *a = bd.u.seq, *b = idx.u.seq;
    Seq *s = seq_alloc(ctx, a->n);
    if (!s)
        return ERR_MEMORY;
    size_t m = 0, y = 0;
    for (uint32_t x = 0; x < a->n; x++) {
        int c = -1;
        while (y < b->n && (c = v_cmp(b->items[y], a->items[x])) < 0)
            y++;
        if (y >= b->n || c != 0)
            s->items[m++] = a->items[x];
    }
    *out = set_finish(s, m);
    return ERR_OK;
}

/* inbox (d = +1) and outbox (d = -1): the outline between
 * (uppermost + d, leftmost + d) and (lowermost - d, rightmost - d). */
static Err inout_box(Ctx *ctx, Value patch, int d, Value *out)
{
    Value v[4];
    if (is_ps(patch)) {
        int64_t t, l, b, r;
        ps_bbox(ctx, patch, &t, &l, &b, &r);
        v[0] = v_int(t + d), v[1] = v_int(l + d), v[2] = v_int(b - d), v[3] = v_int(r - d);
    } else {
        static const int col[4] = {COL_I, COL_J, COL_I, COL_J};
        for (int k = 0; k < 4; k++) {
            Value x;
            TRY(extreme_v(ctx, patch, col[k], k >= 2, &x));
            /* the first two add d, the last two subtract it */
            int64_t off = k < 2 ? d : -d;
            TRY(off > 0 ? py_add(ctx, x, v_int(1), &v[k]) : py_sub(x, v_int(1), &v[k]));
        }
    }
    /* ints now: +/- 1 only succeeds on ints */
    int64_t ai = v[0].u.i, aj = v[1].u.i, bi = v[2].u.i, bj = v[3].u.i;
    return rect_outline(ctx, ai < bi ? ai : bi, aj < bj ? aj : bj, ai > bi ? ai : bi,
                        aj > bj ? aj : bj, out);
}

Err op_inbox(Ctx *ctx, const Value *args, Value *out) { return inout_box(ctx, args[0], 1, out); }
Err op_outbox(Ctx *ctx, const Value *args, Value *out) { return inout_box(ctx, args[0], -1, out); }

/* box with a bool among the bounds: the four comprehensions, joined with
 * the first of equal items kept, as set union keeps it. */
static Err box_generic(Ctx *ctx, Value si, Value sj, Value ei, Value ej, Value *out)
{
    uint64_t h = range_len(si.u.i, ei.u.i + 1), w = range_len(sj.u.i, ej.u.i + 1);
    if (h > LIMIT_SEQ_ITEMS || w > LIMIT_SEQ_ITEMS || 2 * (h + w) > LIMIT_SEQ_ITEMS)
        return ERR_MEMORY;
    Value *v = scratch(ctx, (size_t)(2 * (h + w)));
    if (!v)
        return ERR_MEMORY;
    size_t n = 0;
    for (int side = 0; side < 2; side++)
        for (uint64_t a = 0; a < h; a++)
            TRY(tup2(ctx, v_int(si.u.i + (int64_t)a), side ? ej : sj, &v[n++]));
    for (int side = 0; side < 2; side++)
        for (uint64_t b = 0; b < w; b++)
            TRY(tup2(ctx, side ? ei : si, v_int(sj.u.i + (int64_t)b), &v[n++]));
    return mk_set(ctx, n, v, out);
}

Err op_box(Ctx *ctx, const Value *args, Value *out)
{
    Value patch = args[0];
    if (is_ps(patch)) {
        int64_t t, l, b, r;
        ps_bbox(ctx, patch, &t, &l, &b, &r);
        return rect_outline(ctx, t, l, b, r, out);
    }
    int64_t n;
    TRY(py_len(patch, &n));
    if (n == 0) {
        *out = patch;
        return ERR_OK;
    }
    Value ul, lr, ai, aj, bi, bj, si, sj, ei, ej, e;
    TRY(corner_v(ctx, patch, UL, &ul));
    TRY(py_unpack2(ul, &ai, &aj));
    TRY(corner_v(ctx, patch, LR, &lr));
    TRY(py_unpack2(lr, &bi, &bj));
    TRY(min2(ai, bi, &si));
    TRY(min2(aj, bj, &sj));
    TRY(max2(ai, bi, &ei));
    TRY(max2(aj, bj, &ej));
    /* range(si, ei + 1) (twice), then range(sj, ej + 1) */
    TRY(py_add(ctx, ei, v_int(1), &e));
    if (!v_is_int(si))
        return ERR_TYPE;
    TRY(py_add(ctx, ej, v_int(1), &e));
    if (!v_is_int(sj))
        return ERR_TYPE;
    if (si.tag == VT_BOOL || sj.tag == VT_BOOL || ei.tag == VT_BOOL || ej.tag == VT_BOOL)
        return box_generic(ctx, si, sj, ei, ej, out);
    if (si.u.i > ei.u.i || sj.u.i > ej.u.i) /* empty ranges: not reached by min/max */
        return box_generic(ctx, si, sj, ei, ej, out);
    return rect_outline(ctx, si.u.i, sj.u.i, ei.u.i, ej.u.i, out);
}

/* ---------------------------------------------------------------------- */
/* gravitate                                                               */
/* ---------------------------------------------------------------------- */

/* The pair/cell case: shift(source, (c*i, c*j)) is never built, the distance
 * is measured with the offset. Python ints never overflow, int64 here holds
 * every offset reached (42 steps from 32-bit coordinates). */
static Err gravitate_fast(Ctx *ctx, Value src, Value dst, Value *out)
{
    Value si, sj, di, dj;
    bool vm;
    TRY(center_v(ctx, src, &si, &sj));
    TRY(center_v(ctx, dst, &di, &dj));
    TRY(matching_v(ctx, src, dst, COL_J, &vm));
    int64_t i = 0, j = 0;
    if (vm)
        i = si.u.i < di.u.i ? 1 : -1;
    else
        j = sj.u.i < dj.u.i ? 1 : -1;
    int64_t gi = i, gj = j;
    for (int c = 0;; c++) {
        int64_t d;
        TRY(ps_manhattan(ctx, src, dst, c * i, c * j, &d));
        if (d == 1 || c >= 42)
            break;
        gi += i;
        gj += j;
    }
    return pv(ctx, gi - i, gj - j, out);
}

Err op_gravitate(Ctx *ctx, const Value *args, Value *out)
{
    Value src = args[0], dst = args[1];
    if (is_ps(src) && is_ps(dst))
        return gravitate_fast(ctx, src, dst, out);
    Value si, sj, di, dj;
    bool vm, lt;
    TRY(center_v(ctx, src, &si, &sj));
    TRY(center_v(ctx, dst, &di, &dj));
    TRY(matching_v(ctx, src, dst, COL_J, &vm));
    int64_t i = 0, j = 0;
    if (vm) {
        TRY(py_lt(si, di, &lt));
        i = lt ? 1 : -1;
    } else {
        TRY(py_lt(sj, dj, &lt));
        j = lt ? 1 : -1;
    }
    int64_t gi = i, gj = j;
    Value step;
    TRY(pv(ctx, i, j, &step));
    for (int c = 0;; c++) {
        bool adj;
        TRY(adjacent_v(ctx, src, dst, &adj));
        if (adj || c >= 42)
            break;
        gi += i;
        gj += j;
        TRY(shift_v(ctx, src, step, &src));
    }
    return pv(ctx, gi - i, gj - j, out);
}

/* ---------------------------------------------------------------------- */
/* periods                                                                 */
/* ---------------------------------------------------------------------- */

/* Is (c, (i, j)) in a cell set?  Binary search over packed cells. */
static bool has_cell(const Seq *s, int32_t c, int32_t i, int32_t j)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const Value *m = &s->items[mid];
        int d = m->c != c ? (m->c < c ? -1 : 1)
              : m->u.p.a != i ? (m->u.p.a < i ? -1 : 1)
              : m->u.p.b != j ? (m->u.p.b < j ? -1 : 1) : 0;
        if (d == 0)
            return true;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* The normalized object s as a dense h x w table of colours (INT32_MIN
 * where it has no cell), when its box is small beside its cells and no two
 * of them share a place; NULL otherwise (and when memory ran out). */
static int32_t *dense_colours(Ctx *ctx, const Seq *s, int64_t *hp, int64_t *wp)
{
    int64_t h = 0, w = 0;
    for (uint32_t k = 0; k < s->n; k++) {
        if (s->items[k].u.p.a + 1 > h)
            h = s->items[k].u.p.a + 1;
        if (s->items[k].u.p.b + 1 > w)
            w = s->items[k].u.p.b + 1;
    }
    if (h * w > 4 * (int64_t)s->n + 1024)
        return NULL;
    if (ctx_check_mem(ctx))
        return NULL;
    int32_t *d = ctx_alloc(ctx, (size_t)(h * w) * sizeof *d);
    for (int64_t k = 0; k < h * w; k++)
        d[k] = INT32_MIN;
    for (uint32_t k = 0; k < s->n; k++) {
        const Value *x = &s->items[k];
        int32_t *at = &d[x->u.p.a * w + x->u.p.b];
        if (*at != INT32_MIN)
            return NULL; /* two colours at one place */
        *at = x->c;
    }
    *hp = h, *wp = w;
    return d;
}

/* The smallest p in [1, n) such that every cell moved back by p along the
 * axis (and still at a non-negative coordinate) is a cell of the normalized
 * object; n itself otherwise. */
static Err period_fast(Ctx *ctx, const Seq *s, int64_t n, bool horizontal, Value *out)
{
    int64_t h = 0, w = 0; /* set with d */
    const int32_t *d = dense_colours(ctx, s, &h, &w);
    if (ctx->limit_hit)
        return ctx->limit_hit;
    for (int64_t p = 1; p < n; p++) {
        TRY(ctx_tick(ctx));
        bool ok = true;
        for (uint32_t k = 0; k < s->n && ok; k++) {
            const Value *x = &s->items[k];
            int64_t i = x->u.p.a - (horizontal ? 0 : p), j = x->u.p.b - (horizontal ? p : 0);
            if ((horizontal ? j : i) >= 0) /* a cell looked up by its place, or searched for */
                ok = d ? d[i * w + j] == x->c : has_cell(s, x->c, (int32_t)i, (int32_t)j);
        }
        if (ok) {
            *out = v_int(p);
            return ERR_OK;
        }
    }
    *out = v_int(n);
    return ERR_OK;
}

/* hperiod (horizontal) and vperiod: dsl.py's loop over shifted copies. */
static Err period_v(Ctx *ctx, Value obj, bool horizontal, Value *out)
{
    Value norm, size;
    TRY(normalize_v(ctx, obj, &norm));
    TRY((horizontal ? width_v : height_v)(ctx, norm, &size));
    int64_t n;
    TRY(py_as_int(size, &n)); /* range(1, w) */
    if (is_cells(norm))
        return period_fast(ctx, norm.u.seq, n, horizontal, out);
    for (int64_t p = 1; p < n; p++) {
        TRY(ctx_tick(ctx));
        Value off, d;
        TRY(horizontal ? pv(ctx, 0, -p, &d) : pv(ctx, -p, 0, &d));
        TRY(shift_v(ctx, norm, d, &off));
        Items it;
        TRY(py_items(off, &it));
        /* {(c, (i, j)) for c, (i, j) in offsetted if j >= 0}, then
         * .issubset(normalized): the comprehension completes first */
        bool subset = true;
        for (size_t k = 0; k < it.n; k++) {
            Value c, ij, i, j;
            bool keep;
            TRY(py_unpack2(it.v[k], &c, &ij));
            TRY(py_unpack2(ij, &i, &j));
            TRY(py_ge(horizontal ? j : i, v_int(0), &keep));
            if (keep && subset) {
                bool in;
                TRY(py_contains(norm, it.v[k], &in));
                subset = in;
            }
        }
        if (subset) {
            *out = v_int(p);
            return ERR_OK;
        }
    }
    *out = size;
    return ERR_OK;
}

Err op_hperiod(Ctx *ctx, const Value *args, Value *out) { return period_v(ctx, args[0], true, out); }
Err op_vperiod(Ctx *ctx, const Value *args, Value *out) { return period_v(ctx, args[0], false, out); }
