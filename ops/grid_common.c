/* grid_common.c: helpers shared by the grid family (see grid_common.h). */
#include "grid_common.h"

#include <stdlib.h>
#include <string.h>

void *gc_scratch(Ctx *ctx, size_t n, size_t sz)
{
    if (n > LIMIT_SEQ_ITEMS || ctx_check_mem(ctx)) {
        if (!ctx->limit_hit)
            ctx->limit_hit = ERR_MEMORY;
        return NULL;
    }
    return ctx_alloc(ctx, (n ? n : 1) * sz);
}

bool gc_fits(uint64_t n1, uint64_t n2)
{
    if (n1 == 0 || n2 == 0)
        return true;
    return n1 <= LIMIT_SEQ_ITEMS && n2 <= LIMIT_SEQ_ITEMS / n1;
}

static void convert_cells(Value g, int64_t *c)
{
    size_t h = grid_h(g), w = grid_w(g);
    for (size_t i = 0; i < h; i++) {
        Value r = g.u.seq->items[i];
        int64_t *dst = c + i * w;
        if (r.tag == VT_PAIR) {
            dst[0] = r.u.p.a, dst[1] = r.u.p.b;
            continue;
        }
        const Value *src = r.u.seq->items;
        for (size_t j = 0; j < w; j++)
            dst[j] = src[j].u.i;
    }
}

/* ---- the per-thread grid cache (see gc_cells_ro) ---- */

/* 64 entries: a batt statement often reads a grid made a few dozen
 * statements before (16 entries evicted half the objects a unit asked for
 * again; the whole batt by cachegrind, 16 -> 64 entries: 3,877.8 M to
 * 3,844.7 M instructions, 28.1 M to 27.7 M mispredicted branches) */
#define GC_CACHE_BITS 6
#define GC_CACHE (1u << GC_CACHE_BITS)

typedef struct GcEntry {
    const Seq *g;        /* the grid */
    const Arena *arena;  /* where cells (and sat) live */
    uint64_t epoch;      /* arena's epoch when they were made */
    const int64_t *cells;
    const int32_t *sat;  /* summed-area table of sat_colour, or NULL */
    int64_t sat_colour;
    bool has_most;       /* most is the grid's mostcolor */
    int8_t below16;      /* every cell in [0, 16), counted in counts: 1, 0; -1 not known */
    int64_t most;
    uint32_t counts[16];
    int8_t fits32;       /* every cell fits 32 bits: 1, 0; -1 not known */
    uint8_t has_objects; /* bit f: objects[f] holds objects(grid, ...) of flags f */
    Value objects[8];
} GcEntry;

static _Thread_local GcEntry gc_cache[GC_CACHE];

/* Direct-mapped by the grid's address: one entry to compare, where a scan
 * of all of them stopped at a different one each time (a mispredicted
 * branch per lookup). */
static inline GcEntry *cache_slot(const Seq *g) { return &gc_cache[gc_seq_slot(g, GC_CACHE_BITS)]; }

static GcEntry *cache_find(Ctx *ctx, Value g)
{
    GcEntry *e = cache_slot(g.u.seq);
    return e->g == g.u.seq && gc_kept_valid(ctx, e->arena, e->epoch) ? e : NULL;
}

static GcEntry *cache_put(Ctx *ctx, Value g, const int64_t *cells)
{
    if (!ctx->arena->epoch) /* an arena arena_init never saw: no identity */
        return NULL;
    GcEntry *e = cache_slot(g.u.seq);
    e->g = g.u.seq;
    e->arena = ctx->arena;
    e->epoch = ctx->arena->epoch;
    e->cells = cells;
    e->sat = NULL;
    e->has_most = false;
    e->below16 = -1;
    e->fits32 = -1;
    e->has_objects = 0;
    return e;
}

static GcEntry *cache_get(Ctx *ctx, Value g)
{
    GcEntry *e = cache_find(ctx, g);
    if (e)
        return e;
    int64_t *c = gc_scratch(ctx, grid_h(g) * grid_w(g), sizeof *c);
    if (!c)
        return NULL;
    convert_cells(g, c);
    e = cache_put(ctx, g, c);
    if (!e) { /* not cacheable: a one-off entry */
        static _Thread_local GcEntry once;
        once = (GcEntry){.g = g.u.seq, .cells = c, .fits32 = -1};
        e = &once;
    }
    return e;
}

const int64_t *gc_cells_ro(Ctx *ctx, Value g)
{
    GcEntry *e = cache_get(ctx, g);
    return e ? e->cells : NULL;
}

int64_t *gc_cells(Ctx *ctx, Value g)
{
    /* through the cache: a grid changed once (fill, paint) is often changed
     * again, and the copy costs less than the conversion */
    size_t n = grid_h(g) * grid_w(g);
    GcEntry *e = cache_get(ctx, g);
    int64_t *c = e ? gc_scratch(ctx, n, sizeof *c) : NULL;
    if (!c)
        return NULL;
    memcpy(c, e->cells, n * sizeof *c);
    return c;
}

static bool count_below16(const int64_t *v, size_t n, uint32_t out[16]);
static int most_of_counts(const uint32_t counts[16]);

/* e's colour counts, taken once: whether every cell is in [0, 16). */
static bool entry_below16(GcEntry *e, size_t n)
{
    if (e->below16 < 0) {
        e->below16 = n <= UINT32_MAX && count_below16(e->cells, n, e->counts);
        if (e->below16 && e->fits32 < 0)
            e->fits32 = 1; /* every cell in [0, 16): gc_grid_fits32 needs no scan */
    }
    return e->below16;
}

bool gc_grid_mostcolor(Ctx *ctx, Value g, int64_t *out)
{
    GcEntry *e = cache_get(ctx, g);
    if (!e)
        return false;
    if (!e->has_most) {
        size_t n = grid_h(g) * grid_w(g);
        e->most = entry_below16(e, n) ? most_of_counts(e->counts) : gc_mostcolor_ints(ctx, e->cells, n);
        e->has_most = true;
    }
    *out = e->most;
    return true;
}

int64_t gc_grid_colour_count_kept(Ctx *ctx, Value g, int64_t colour)
{
    GcEntry *e = cache_find(ctx, g);
    if (!e || e->below16 != 1)
        return -1;
    return (uint64_t)colour < 16 ? e->counts[colour] : 0;
}

bool gc_grid_colour_counts(Ctx *ctx, Value g, const uint32_t **counts, bool *below16)
{
    GcEntry *e = cache_get(ctx, g);
    if (!e)
        return false;
    *below16 = entry_below16(e, grid_h(g) * grid_w(g));
    *counts = e->counts;
    return true;
}

bool gc_grid_fits32(Ctx *ctx, Value g, bool *out)
{
    GcEntry *e = cache_get(ctx, g);
    if (!e)
        return false;
    if (e->fits32 < 0) {
        size_t n = grid_h(g) * grid_w(g), k = 0;
        while (k < n && fits32(e->cells[k]))
            k++;
        e->fits32 = k == n;
    }
    *out = e->fits32;
    return true;
}

bool gc_grid_objects(Ctx *ctx, Value g, unsigned flags, Value *out)
{
    GcEntry *e = cache_find(ctx, g);
    if (!e || !(e->has_objects >> flags & 1u))
        return false;
    *out = e->objects[flags];
    return true;
}

void gc_grid_objects_keep(Ctx *ctx, Value g, unsigned flags, Value objs)
{
    GcEntry *e = cache_find(ctx, g);
    if (!e)
        return;
    e->objects[flags] = objs;
    e->has_objects |= (uint8_t)(1u << flags);
}

const int32_t *gc_colour_sat(Ctx *ctx, Value g, int64_t colour)
{
    GcEntry *e = cache_get(ctx, g);
    if (!e)
        return NULL;
    if (e->sat && e->sat_colour == colour)
        return e->sat;
    size_t h = grid_h(g), w = grid_w(g), W = w + 1;
    int32_t *sat = gc_scratch(ctx, (h + 1) * W, sizeof *sat);
    if (!sat)
        return NULL;
    const int64_t *c = e->cells;
    memset(sat, 0, W * sizeof *sat);
    for (size_t i = 0; i < h; i++) {
        int32_t row = 0;
        sat[(i + 1) * W] = 0;
        for (size_t j = 0; j < w; j++) {
            row += c[i * w + j] == colour;
            sat[(i + 1) * W + j + 1] = sat[i * W + j + 1] + row;
        }
    }
    e->sat = sat;
    e->sat_colour = colour;
    return sat;
}

/* The grid of the cells (h x w, h > 0, w neither 0 nor 2): row i is old[i]
 * when old is given and changed lacks bit i (then h <= 64), else made of
 * its cells. */
static Err grid_of_cells(Ctx *ctx, const Value *old, uint64_t changed, size_t h, size_t w,
                         const int64_t *cells, Value *out)
{
    if (!gc_fits(h, w))
        return ERR_MEMORY;
    Seq *g = seq_alloc(ctx, h);
    if (!g || ctx_check_mem(ctx))
        return ERR_MEMORY;
    /* the rows made in one allocation (gc_fits bounds its size): one budget
     * check and one bump of the arena, not one of each per row */
    size_t row_bytes = sizeof(Seq) + w * sizeof(Value);
    size_t fresh = old ? (size_t)__builtin_popcountll(changed) : h;
    unsigned char *rows = ctx_alloc(ctx, fresh * row_bytes);
    for (size_t i = 0; i < h; i++) {
        if (old && !(changed >> i & 1)) {
            g->items[i] = old[i];
            continue;
        }
        Seq *r = (Seq *)rows;
        rows += row_bytes;
        r->n = (uint32_t)w;
        r->hash = 0;
        const int64_t *src = cells + i * w;
        for (size_t j = 0; j < w; j++)
            r->items[j] = v_int(src[j]);
        g->items[i] = seq_tuple_flagged(r, SEQ_ALLINT);
    }
    *out = seq_tuple_flagged(g, SEQ_GRID);
    cache_put(ctx, *out, cells);
    return ERR_OK;
}

Err gc_mk_grid(Ctx *ctx, size_t h, size_t w, const int64_t *cells, Value *out)
{
    if (h == 0 || w == 0 || w == 2)
        return mk_grid(ctx, h, w, cells, out);
    return grid_of_cells(ctx, NULL, 0, h, w, cells, out);
}

Err gc_mk_grid_from(Ctx *ctx, Value from, uint64_t changed, size_t h, size_t w, const int64_t *cells,
                    Value *out)
{
    if (h == 0 || h > 64 || w == 0 || w == 2)
        return gc_mk_grid(ctx, h, w, cells, out);
    return grid_of_cells(ctx, from.u.seq->items, changed, h, w, cells, out);
}

Err gc_dims(Value grid, int64_t *h, int64_t *w)
{
    if (v_is_grid(grid)) { /* rows of one length: the first row's is w */
        *h = (int64_t)grid_h(grid), *w = (int64_t)grid_w(grid);
        return ERR_OK;
    }
    Value r0;
    TRY(py_len(grid, h));
    TRY(py_getitem_i(grid, 0, &r0));
    return py_len(r0, w);
}

/* ---- mostcolor ---- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* How many of v[0..n) (n < 2^32) are each of the colours 0-15, in out;
 * false when one lies outside [0, 16) (ARC's colours). Four counters per
 * colour, taken in turn: a run of one colour (a background) made each
 * increment of a single counter wait for the store of the one before, and
 * counting was most of objects' without-background step. */
static bool count_below16(const int64_t *v, size_t n, uint32_t out[16])
{
    uint32_t cnt[4][16] = {{0}};
    size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        uint64_t a = (uint64_t)v[k], b = (uint64_t)v[k + 1], c = (uint64_t)v[k + 2], d = (uint64_t)v[k + 3];
        if ((a | b | c | d) >= 16)
            return false;
        cnt[0][a]++, cnt[1][b]++, cnt[2][c]++, cnt[3][d]++;
    }
    for (; k < n; k++) {
        if ((uint64_t)v[k] >= 16)
            return false;
        cnt[0][v[k]]++;
    }
    for (int c = 0; c < 16; c++)
        out[c] = cnt[0][c] + cnt[1][c] + cnt[2][c] + cnt[3][c];
    return true;
}

/* The most common colour of counts (ascending: ties keep the smallest, as
 * max over the canonical set does), or -1 when all are 0. */
static int most_of_counts(const uint32_t counts[16])
{
    int best = -1;
    uint32_t best_n = 0;
    for (int c = 0; c < 16; c++)
        if (counts[c] > best_n)
            best = c, best_n = counts[c];
    return best;
}

/* The most common of v[0..n) when all lie in [0, 16), or -1. */
static int mostcolor_below16(const int64_t *v, size_t n)
{
    uint32_t counts[16];
    return count_below16(v, n, counts) ? most_of_counts(counts) : -1;
}

int64_t gc_mostcolor_ints(Ctx *ctx, const int64_t *v, size_t n)
{
    if (n <= UINT32_MAX) {
        int best = mostcolor_below16(v, n);
        if (best >= 0)
            return best;
    }
    /* count while checking the range (one pass over the common small colours) */
    uint32_t cnt[256] = {0};
    bool small = true;
    for (size_t k = 0; k < n; k++) {
        if ((uint64_t)v[k] >= 256) {
            small = false;
            break;
        }
        cnt[v[k]]++;
    }
    if (small) {
        int best = -1;
        for (int c = 0; c < 256; c++) /* ascending: ties keep the smallest */
            if (cnt[c] && (best < 0 || cnt[c] > cnt[best]))
                best = c;
        return best;
    }
    int64_t *s = ctx_alloc(ctx, n * sizeof *s);
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_i64);
    int64_t best = s[0];
    size_t best_n = 0;
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && s[e] == s[k])
            e++;
        if (e - k > best_n)
            best = s[k], best_n = e - k;
        k = e;
    }
    return best;
}

typedef struct Ranked {
    Value v;
    size_t k;
} Ranked;

/* Canonical order, then first occurrence: the first of a run of equal
 * values is the one Python's set(values) keeps (True before 1). */
static int cmp_ranked(const void *a, const void *b)
{
    const Ranked *x = a, *y = b;
    int c = v_cmp(x->v, y->v);
    if (c)
        return c;
    return x->k < y->k ? -1 : x->k > y->k;
}

Err gc_element_values(Ctx *ctx, Value element, VBuf *vals)
{
    Items rows;
    if (v_is_tuple(element)) {
        TRY(py_items(element, &rows));
        for (size_t i = 0; i < rows.n; i++) {
            Items r;
            TRY(py_items(rows.v[i], &r));
            for (size_t j = 0; j < r.n; j++)
                TRY(vbuf_push(vals, r.v[j]));
        }
        return ERR_OK;
    }
    TRY(py_items(element, &rows)); /* for v, _ in element */
    for (size_t k = 0; k < rows.n; k++) {
        Value v, rest;
        TRY(py_unpack2(rows.v[k], &v, &rest));
        TRY(vbuf_push(vals, v));
    }
    return ERR_OK;
}

Err gc_mostcolor(Ctx *ctx, Value element, Value *out)
{
    if (v_is_grid(element)) {
        int64_t m;
        if (!gc_grid_mostcolor(ctx, element, &m))
            return ERR_MEMORY;
        *out = v_int(m);
        return ERR_OK;
    }
    VBuf vals;
    vbuf_init(&vals, ctx);
    TRY(gc_element_values(ctx, element, &vals));
    size_t n = vals.n;
    if (n == 0)
        return ERR_VALUE; /* max() of an empty set */
    bool ints = true;
    for (size_t k = 0; k < n && ints; k++)
        ints = vals.items[k].tag == VT_INT;
    if (ints) {
        int64_t *iv = ctx_alloc(ctx, n * sizeof *iv);
        for (size_t k = 0; k < n; k++)
            iv[k] = vals.items[k].u.i;
        *out = v_int(gc_mostcolor_ints(ctx, iv, n));
        return ERR_OK;
    }
    Ranked *r = ctx_alloc(ctx, n * sizeof *r);
    for (size_t k = 0; k < n; k++)
        r[k].v = vals.items[k], r[k].k = k;
    qsort(r, n, sizeof *r, cmp_ranked);
    Value best = r[0].v;
    size_t best_n = 0;
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && v_eq(r[e].v, r[k].v))
            e++;
        if (e - k > best_n)
            best = r[k].v, best_n = e - k;
        k = e;
    }
    *out = best;
    return ERR_OK;
}

/* ---- toindices ---- */

Err gc_toindices(Ctx *ctx, Value patch, Value *out)
{
    uint32_t fl = v_flags(patch);
    if (patch.tag == VT_SET && (fl & SEQ_PAIRS)) { /* indices already, before anything else */
        *out = patch;
        return ERR_OK;
    }
    int64_t n;
    TRY(py_len(patch, &n));
    if (n == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    Value first = v_item(patch, 0), second;
    TRY(py_getitem_i(first, 1, &second)); /* next(iter(patch))[1] */
    if (!v_is_tuple(second)) {
        *out = patch;
        return ERR_OK;
    }
    Value *idx = gc_scratch(ctx, (size_t)n, sizeof *idx);
    if (!idx)
        return ERR_MEMORY;
    if (patch.tag == VT_SET && (fl & SEQ_CELLS)) {
        const Value *it = patch.u.seq->items;
        for (int64_t k = 0; k < n; k++)
            idx[k] = v_pair(it[k].u.p.a, it[k].u.p.b);
        return mk_set(ctx, (size_t)n, idx, out);
    }
    Items items;
    TRY(py_items(patch, &items));
    for (size_t k = 0; k < items.n; k++) {
        Value v;
        TRY(py_unpack2(items.v[k], &v, &idx[k])); /* for value, index in patch */
    }
    return mk_set(ctx, items.n, idx, out);
}

/* ---- zip ---- */

Err gc_zip(Ctx *ctx, const Value *rows, size_t n, Value *out)
{
    size_t m = SIZE_MAX;
    for (size_t k = 0; k < n; k++) {
        TRY(py_iterable(rows[k])); /* zip() calls iter() on every argument first */
        size_t l = v_len(rows[k]);
        if (l < m)
            m = l;
    }
    if (n == 0 || m == 0) {
        *out = v_empty_tuple();
        return ERR_OK;
    }
    if (!gc_fits(m, n))
        return ERR_MEMORY;
    Seq *res = seq_alloc(ctx, m);
    if (!res)
        return ERR_MEMORY;
    Seq **cols = ctx_alloc(ctx, m * sizeof *cols);
    for (size_t t = 0; t < m; t++)
        if (!(cols[t] = seq_alloc(ctx, n)))
            return ERR_MEMORY;
    for (size_t k = 0; k < n; k++) {
        Items it;
        TRY(py_items(rows[k], &it));
        for (size_t t = 0; t < m; t++)
            cols[t]->items[k] = it.v[t];
    }
    for (size_t t = 0; t < m; t++)
        res->items[t] = seq_finish_tuple(cols[t]);
    *out = seq_finish_tuple(res);
    return ERR_OK;
}

/* ---- building cells and sets ---- */

static int cmp_cell_values(const void *a, const void *b)
{
    const Value *x = a, *y = b;
    if (x->c != y->c) return x->c < y->c ? -1 : 1;
    if (x->u.p.a != y->u.p.a) return x->u.p.a < y->u.p.a ? -1 : 1;
    return (x->u.p.b > y->u.p.b) - (x->u.p.b < y->u.p.b);
}

/* The stable colour sort of gc_sort_by_colour into res (n items). */
static Err sort_by_colour_into(Ctx *ctx, const Value *cells, size_t n, Value *res)
{
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (size_t k = 0; k < n; k++) {
        if (cells[k].c < lo) lo = cells[k].c;
        if (cells[k].c > hi) hi = cells[k].c;
    }
    if (n == 0)
        return ERR_OK;
    if ((int64_t)hi - lo >= 1024) { /* (colour, i, j) is the stable order here */
        memcpy(res, cells, n * sizeof *res);
        qsort(res, n, sizeof *res, cmp_cell_values);
        return ERR_OK;
    }
    size_t span = (size_t)((int64_t)hi - lo + 1);
    size_t *start = ctx_alloc(ctx, (span + 1) * sizeof *start);
    memset(start, 0, (span + 1) * sizeof *start);
    for (size_t k = 0; k < n; k++)
        start[cells[k].c - lo + 1]++;
    for (size_t c = 0; c < span; c++)
        start[c + 1] += start[c];
    for (size_t k = 0; k < n; k++) /* v_copy: cells were usually just built */
        v_copy(&res[start[cells[k].c - lo]++], &cells[k]);
    return ERR_OK;
}

Err gc_sort_by_colour(Ctx *ctx, const Value *cells, size_t n, Value **sorted)
{
    Value *res = gc_scratch(ctx, n, sizeof *res);
    if (!res)
        return ERR_MEMORY;
    *sorted = res;
    return sort_by_colour_into(ctx, cells, n, res);
}

Err gc_cells_by_colour(Ctx *ctx, const Value *cells, size_t n, Value *out)
{
    if (n == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    Seq *s = seq_alloc(ctx, n);
    if (!s)
        return ERR_MEMORY;
    Value *res = s->items;
    if (n <= 32) { /* few cells (toobject of neighbours): a stable insertion sort */
        for (size_t k = 0; k < n; k++) {
            /* moved through registers (v_copy): the cells were just built,
             * and a 16-byte reload of them would wait for the stores */
            Value x;
            v_copy(&x, &cells[k]);
            size_t j = k;
            while (j > 0 && res[j - 1].c > x.c) {
                v_copy(&res[j], &res[j - 1]);
                j--;
            }
            v_copy(&res[j], &x);
        }
    } else {
        TRY(sort_by_colour_into(ctx, cells, n, res));
    }
    s->flags = SEQ_CELLS; /* n packed cells, (colour, i, j) ascending */
    Value v = {0};
    v.tag = VT_SET;
    v.u.seq = s;
    *out = v;
    return ERR_OK;
}

Err gc_cell(Ctx *ctx, Value v, Value i, Value j, Value *out)
{
    Value ij[2] = {i, j}, pair;
    TRY(mk_tuple(ctx, 2, ij, &pair));
    Value cell[2] = {v, pair};
    return mk_tuple(ctx, 2, cell, out);
}

Err gc_in_bounds(Value i, Value j, int64_t h, int64_t w, bool *in)
{
    bool ok;
    *in = false;
    TRY(py_le(v_int(0), i, &ok));
    if (!ok) return ERR_OK;
    TRY(py_lt(i, v_int(h), &ok));
    if (!ok) return ERR_OK;
    TRY(py_le(v_int(0), j, &ok));
    if (!ok) return ERR_OK;
    TRY(py_lt(j, v_int(w), &ok));
    *in = ok;
    return ERR_OK;
}
