/* containers.c: the container half of the "basic" family: tuple and
 * frozenset primitives (combine, difference, merge, first, product, ...).
 *
 * They follow dsl.py read with the canonical set order: a set iterates its
 * sorted items, so first() is its smallest item and last() its largest;
 * `type(c)(...)` keeps a tuple a tuple (in order, duplicates kept) and a set
 * a set. Python's generator expressions call iter() on their outermost
 * iterable at once (TypeError for an int right away) and evaluate the rest
 * lazily (an error inside only when an element reaches it): each primitive
 * checks its arguments in that order. Set-by-set work walks the two sorted
 * arrays; tuple lookups use a small hash set instead of Python's O(n*m). */
#include "ops.h"
#include "packed.h"

#include <stdlib.h>
#include <string.h>

#include "../runtime/limits.h"
#include "../runtime/pyops.h"

/* Items between two ctx_tick calls in long loops. */
#define TICK_MASK 4095u

static Err tick(Ctx *ctx, size_t k) { return (k & TICK_MASK) == TICK_MASK ? ctx_tick(ctx) : ERR_OK; }

/* A scratch array of n values, NULL (ERR_MEMORY) past the size bound. */
static Value *scratch(Ctx *ctx, size_t n)
{
    if (n > LIMIT_SEQ_ITEMS || ctx_check_mem(ctx)) {
        if (!ctx->limit_hit)
            ctx->limit_hit = ERR_MEMORY;
        return NULL;
    }
    return ctx_alloc(ctx, (n ? n : 1) * sizeof(Value));
}

/* ---- a hash set over values (v_hash / v_eq), for tuple lookups ---- */

typedef struct HSet {
    const Value **slots;
    size_t mask;
} HSet;

static Err hset_init(Ctx *ctx, HSet *h, size_t n)
{
    if (n > LIMIT_SEQ_ITEMS)
        return ERR_MEMORY;
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    h->slots = ctx_alloc(ctx, cap * sizeof *h->slots);
    memset(h->slots, 0, cap * sizeof *h->slots);
    h->mask = cap - 1;
    return ERR_OK;
}

/* Adds *v unless an equal value is there; says whether it was added. */
static bool hset_add(HSet *h, const Value *v)
{
    size_t k = (size_t)v_hash(*v) & h->mask;
    while (h->slots[k]) {
        if (v_eq(*h->slots[k], *v))
            return false;
        k = (k + 1) & h->mask;
    }
    h->slots[k] = v;
    return true;
}

static bool hset_has(const HSet *h, Value v)
{
    size_t k = (size_t)v_hash(v) & h->mask;
    while (h->slots[k]) {
        if (v_eq(*h->slots[k], v))
            return true;
        k = (k + 1) & h->mask;
    }
    return false;
}

/* ---- containment and sizes ---- */

/* value in container: TypeError for non-containers. */
Err op_contained(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx;
    bool in;
    uint8_t k = pk_kind(args[1]);
    if (k && args[0].tag == k)
        in = pk_find(args[1], args[0]) >= 0;
    else
        TRY(py_contains(args[1], args[0], &in));
    *out = v_bool(in);
    return ERR_OK;
}

Err op_size(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx;
    int64_t n;
    TRY(py_len(args[0], &n));
    *out = v_int(n);
    return ERR_OK;
}

/* len(item) == n for each item; TypeError on the first item without len. */
Err op_sizefilter(Ctx *ctx, const Value *args, Value *out)
{
    Value c = args[0], n = args[1];
    Items it;
    TRY(py_items(c, &it));
    Value *keep = scratch(ctx, it.n);
    if (!keep)
        return ERR_MEMORY;
    size_t m = 0;
    for (size_t k = 0; k < it.n; k++) {
        if (!v_is_container(it.v[k]))
            return ERR_TYPE;
        if (v_eq(v_int((int64_t)v_len(it.v[k])), n))
            keep[m++] = it.v[k];
    }
    /* a subset of a set stays in ascending order */
    return c.tag == VT_SET ? mk_set_sorted(ctx, m, keep, out) : mk_set(ctx, m, keep, out);
}

/* ---- combining ---- */

/* type(a)((*a, *b)): both unpacked first, then a's type decides. */
Err op_combine(Ctx *ctx, const Value *args, Value *out)
{
    Value a = args[0], b = args[1];
    Items ia, ib;
    TRY(py_items(a, &ia));
    TRY(py_items(b, &ib));
    uint8_t k = pk_kind(a);
    if (k && pk_kind(b) == k)
        return pk_union(ctx, a, b, out);
    if (a.tag == VT_SET && b.tag == VT_SET)
        return py_or(ctx, a, b, out); /* union keeping a's item on ties */
    if (v_is_tuple(a) && ib.n == 0) {
        *out = a;
        return ERR_OK;
    }
    if (v_is_tuple(a) && ia.n == 0 && v_is_tuple(b)) {
        *out = b;
        return ERR_OK;
    }
    size_t n = ia.n + ib.n;
    Value *all = scratch(ctx, n);
    if (!all)
        return ERR_MEMORY;
    memcpy(all, ia.v, ia.n * sizeof(Value));
    memcpy(all + ia.n, ib.v, ib.n * sizeof(Value));
    return v_is_tuple(a) ? mk_tuple(ctx, n, all, out) : mk_set(ctx, n, all, out);
}

/* a & b: frozenset intersection (py_and keeps the items of the set CPython
 * iterates, which shows when True meets 1), or bitwise and of ints. */
Err op_intersection(Ctx *ctx, const Value *args, Value *out)
{
    uint8_t k = pk_kind(args[0]);
    if (k && pk_kind(args[1]) == k)
        return pk_intersection(ctx, args[0], args[1], out);
    return py_and(ctx, args[0], args[1], out);
}

/* Items of sorted set a that are not in sorted set b: one linear walk. */
static Err set_minus(Ctx *ctx, Value a, Value b, Value *out)
{
    const Seq *x = a.u.seq, *y = b.u.seq;
    Value *keep = scratch(ctx, x->n);
    if (!keep)
        return ERR_MEMORY;
    size_t i = 0, j = 0, m = 0;
    while (i < x->n) {
        int c = j < y->n ? v_cmp(x->items[i], y->items[j]) : -1;
        if (c < 0)
            keep[m++] = x->items[i++];
        else if (c > 0)
            j++;
        else
            i++, j++;
    }
    if (m == x->n) {
        *out = a;
        return ERR_OK;
    }
    return mk_set_sorted(ctx, m, keep, out);
}

/* type(a)(e for e in a if e not in b): iter(a) at once, `in b` per item. */
Err op_difference(Ctx *ctx, const Value *args, Value *out)
{
    Value a = args[0], b = args[1];
    Items ia;
    TRY(py_items(a, &ia));
    if (ia.n == 0) {
        *out = a; /* () or frozenset() */
        return ERR_OK;
    }
    if (!v_is_container(b))
        return ERR_TYPE; /* the first `e not in b` */
    uint8_t kind = pk_kind(a);
    if (kind && pk_kind(b) == kind)
        return pk_difference(ctx, a, b, out);
    if (a.tag == VT_SET && b.tag == VT_SET)
        return set_minus(ctx, a, b, out);
    HSet hb = {0};
    bool hashed = b.tag != VT_SET && v_len(b) > 8 && ia.n > 8;
    if (hashed) {
        TRY(hset_init(ctx, &hb, v_len(b)));
        for (size_t k = 0; k < v_len(b); k++)
            hset_add(&hb, &b.u.seq->items[k]);
    }
    Value *keep = scratch(ctx, ia.n);
    if (!keep)
        return ERR_MEMORY;
    size_t m = 0;
    for (size_t k = 0; k < ia.n; k++) {
        bool in;
        if (hashed)
            in = hset_has(&hb, ia.v[k]);
        else
            TRY(py_contains(b, ia.v[k], &in));
        if (!in)
            keep[m++] = ia.v[k];
        TRY(tick(ctx, k));
    }
    if (m == ia.n) {
        *out = a;
        return ERR_OK;
    }
    return v_is_tuple(a) ? mk_tuple(ctx, m, keep, out) : mk_set_sorted(ctx, m, keep, out);
}

/* tuple(e for i, e in enumerate(tup) if tup.index(e) == i): first
 * occurrences; tup.index is an AttributeError on a (non-empty) frozenset. */
Err op_dedupe(Ctx *ctx, const Value *args, Value *out)
{
    Value c = args[0];
    Items it;
    TRY(py_items(c, &it));
    if (it.n == 0) {
        *out = v_empty_tuple();
        return ERR_OK;
    }
    if (c.tag == VT_SET)
        return ERR_ATTRIBUTE;
    Value *keep = scratch(ctx, it.n);
    if (!keep)
        return ERR_MEMORY;
    size_t m = 0;
    if (it.n <= 8) { /* short tuples: comparing is cheaper than hashing */
        for (size_t k = 0; k < it.n; k++) {
            size_t j = 0;
            while (j < m && !v_eq(keep[j], it.v[k]))
                j++;
            if (j == m)
                keep[m++] = it.v[k];
        }
    } else {
        HSet h;
        TRY(hset_init(ctx, &h, it.n));
        for (size_t k = 0; k < it.n; k++)
            if (hset_add(&h, &it.v[k]))
                keep[m++] = it.v[k];
    }
    if (m == it.n) {
        *out = c;
        return ERR_OK;
    }
    return mk_tuple(ctx, m, keep, out);
}

/* tuple(item for i in range(num)): range needs an int; num <= 0 gives (). */
Err op_repeat(Ctx *ctx, const Value *args, Value *out)
{
    Value item = args[0], num = args[1];
    if (!v_is_int(num))
        return ERR_TYPE;
    if (num.u.i <= 0) {
        *out = v_empty_tuple();
        return ERR_OK;
    }
    Seq *s = seq_alloc(ctx, (uint64_t)num.u.i > LIMIT_SEQ_ITEMS ? (size_t)LIMIT_SEQ_ITEMS + 1
                                                                 : (size_t)num.u.i);
    if (!s)
        return ERR_MEMORY;
    for (size_t k = 0; k < s->n; k++)
        s->items[k] = item;
    *out = seq_finish_tuple(s);
    return ERR_OK;
}

/* type(cs)(e for c in cs for e in c): iter(cs) at once, iter(c) per item. */
Err op_merge(Ctx *ctx, const Value *args, Value *out)
{
    Value cs = args[0];
    Items it;
    TRY(py_items(cs, &it));
    size_t total = 0;
    for (size_t k = 0; k < it.n; k++) {
        if (!v_is_container(it.v[k]))
            return ERR_TYPE;
        total += v_len(it.v[k]);
        if (total > LIMIT_SEQ_ITEMS)
            break; /* refused by the allocation below */
    }
    /* a tuple result is filled in place; a set result sorts a scratch copy */
    Seq *s = NULL;
    Value *all;
    if (cs.tag == VT_SET) {
        all = scratch(ctx, total);
    } else {
        s = seq_alloc(ctx, total);
        all = s ? s->items : NULL;
    }
    if (!all)
        return ERR_MEMORY;
    size_t m = 0;
    for (size_t k = 0; k < it.n; k++) {
        Value c = it.v[k];
        if (c.tag == VT_TUPLE || c.tag == VT_SET) {
            memcpy(all + m, c.u.seq->items, c.u.seq->n * sizeof(Value));
            m += c.u.seq->n;
        } else {
            all[m++] = v_item(c, 0);
            all[m++] = v_item(c, 1);
        }
    }
    if (s) {
        *out = seq_finish_tuple(s);
        return ERR_OK;
    }
    /* a set of sets: frozenset() sorts and keeps the first of equal items */
    return mk_set(ctx, m, all, out);
}

/* ---- extremes and counts ---- */

/* max(c, default=0) / min(c, default=0). Sorted sets of plain ints, pairs
 * or cells compare as Python does, so their extremes are the ends. */
static Err extreme(Value c, bool want_max, Value *out)
{
    Items it;
    TRY(py_items(c, &it));
    if (it.n == 0) {
        *out = v_int(0);
        return ERR_OK;
    }
    uint32_t fl = v_flags(c);
    if (c.tag == VT_SET && (fl & (SEQ_ALLINT | SEQ_PAIRS | SEQ_CELLS))) {
        *out = it.v[want_max ? it.n - 1 : 0];
        return ERR_OK;
    }
    if (c.tag == VT_TUPLE && (fl & SEQ_ALLINT)) {
        size_t best = 0;
        for (size_t k = 1; k < it.n; k++)
            if (want_max ? it.v[k].u.i > it.v[best].u.i : it.v[k].u.i < it.v[best].u.i)
                best = k;
        *out = it.v[best];
        return ERR_OK;
    }
    return want_max ? py_max_of(it.v, it.n, out) : py_min_of(it.v, it.n, out);
}

Err op_maximum(Ctx *ctx, const Value *args, Value *out) { (void)ctx; return extreme(args[0], true, out); }
Err op_minimum(Ctx *ctx, const Value *args, Value *out) { (void)ctx; return extreme(args[0], false, out); }

/* An item and its position, to sort stably (the first occurrence first). */
typedef struct Ranked {
    Value v;
    size_t pos;
} Ranked;

static int cmp_ranked(const void *x, const void *y)
{
    const Ranked *a = x, *b = y;
    int c = v_cmp(a->v, b->v);
    if (c)
        return c;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Does count n beat the best so far? max/min keep the first extreme. */
static bool beats(size_t n, size_t best, bool most) { return most ? n > best : n < best; }

/* Plain ints in a small range: count them in a table. */
static bool common_ints(Ctx *ctx, const Value *v, size_t n, bool most, Value *out)
{
    int64_t lo = v[0].u.i, hi = v[0].u.i;
    for (size_t k = 1; k < n; k++) {
        if (v[k].u.i < lo) lo = v[k].u.i;
        if (v[k].u.i > hi) hi = v[k].u.i;
    }
    if ((uint64_t)hi - (uint64_t)lo >= 4096)
        return false;
    size_t span = (size_t)(hi - lo) + 1;
    uint32_t *cnt = ctx_alloc(ctx, span * sizeof *cnt);
    memset(cnt, 0, span * sizeof *cnt);
    for (size_t k = 0; k < n; k++)
        cnt[v[k].u.i - lo]++;
    size_t best = 0, bestc = 0;
    bool found = false;
    for (size_t k = 0; k < span; k++) /* ascending: the set's order */
        if (cnt[k] && (!found || beats(cnt[k], bestc, most))) {
            best = k, bestc = cnt[k], found = true;
        }
    *out = v_int(lo + (int64_t)best);
    return true;
}

/* max(set(c), key=c.count) (or min): set(c) first (TypeError for
 * non-iterables), then c.count (AttributeError on frozensets), then max()
 * over the set in canonical order (ValueError when empty). The set keeps
 * the first of equal items, so the result is that first occurrence. */
static Err common(Ctx *ctx, Value c, bool most, Value *out)
{
    Items it;
    TRY(py_items(c, &it));
    if (c.tag == VT_SET)
        return ERR_ATTRIBUTE;
    if (it.n == 0)
        return ERR_VALUE;
    if ((v_flags(c) & SEQ_ALLINT) && common_ints(ctx, it.v, it.n, most, out))
        return ERR_OK;
    Ranked *r = ctx_alloc(ctx, it.n * sizeof *r);
    for (size_t k = 0; k < it.n; k++)
        r[k] = (Ranked){it.v[k], k};
    qsort(r, it.n, sizeof *r, cmp_ranked);
    size_t best = 0, bestc = 0;
    for (size_t k = 0; k < it.n;) {
        size_t e = k + 1;
        while (e < it.n && v_cmp(r[e].v, r[k].v) == 0)
            e++;
        if (k == 0 || beats(e - k, bestc, most))
            best = k, bestc = e - k;
        k = e;
    }
    *out = r[best].v;
    return ERR_OK;
}

Err op_mostcommon(Ctx *ctx, const Value *args, Value *out) { return common(ctx, args[0], true, out); }
Err op_leastcommon(Ctx *ctx, const Value *args, Value *out) { return common(ctx, args[0], false, out); }

/* ---- conversions and single items ---- */

Err op_initset(Ctx *ctx, const Value *args, Value *out) { return mk_set(ctx, 1, args, out); }

/* tuple(c): a tuple is its own tuple; a set gives its canonical order. */
Err op_totuple(Ctx *ctx, const Value *args, Value *out)
{
    Items it;
    TRY(py_items(args[0], &it));
    if (v_is_tuple(args[0])) {
        *out = args[0];
        return ERR_OK;
    }
    return mk_tuple(ctx, it.n, it.v, out);
}

/* next(iter(c)): StopIteration when empty. */
Err op_first(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx;
    Items it;
    TRY(py_items(args[0], &it));
    if (it.n == 0)
        return ERR_STOPITER;
    *out = it.v[0];
    return ERR_OK;
}

/* max(enumerate(c))[1]: the indices decide, so the last item; ValueError
 * when empty. */
Err op_last(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx;
    Items it;
    TRY(py_items(args[0], &it));
    if (it.n == 0)
        return ERR_VALUE;
    *out = it.v[it.n - 1];
    return ERR_OK;
}

/* container.union(frozenset({value})): only frozensets have .union; an
 * equal item already there is kept. */
Err op_insert(Ctx *ctx, const Value *args, Value *out)
{
    Value x = args[0], c = args[1];
    if (c.tag != VT_SET)
        return ERR_ATTRIBUTE;
    const Seq *s = c.u.seq;
    size_t lo = 0, hi = s->n;
    while (lo < hi) { /* first item >= x */
        size_t mid = lo + (hi - lo) / 2;
        if (v_cmp(s->items[mid], x) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n && v_cmp(s->items[lo], x) == 0) {
        *out = c;
        return ERR_OK;
    }
    Value *all = scratch(ctx, (size_t)s->n + 1);
    if (!all)
        return ERR_MEMORY;
    memcpy(all, s->items, lo * sizeof(Value));
    all[lo] = x;
    memcpy(all + lo + 1, s->items + lo, (s->n - lo) * sizeof(Value));
    return mk_set_sorted(ctx, (size_t)s->n + 1, all, out);
}

/* type(c)(e for e in c if e != value): tuples keep their order. */
Err op_remove(Ctx *ctx, const Value *args, Value *out)
{
    Value x = args[0], c = args[1];
    Items it;
    TRY(py_items(c, &it));
    Value *keep = scratch(ctx, it.n);
    if (!keep)
        return ERR_MEMORY;
    size_t m = 0;
    for (size_t k = 0; k < it.n; k++)
        if (!v_eq(it.v[k], x))
            keep[m++] = it.v[k];
    if (m == it.n) {
        *out = c;
        return ERR_OK;
    }
    return c.tag == VT_SET ? mk_set_sorted(ctx, m, keep, out) : mk_tuple(ctx, m, keep, out);
}

/* first(remove(value, c)): the first item != value, else StopIteration
 * (raised by first() itself, not inside a generator: it stays one). */
Err op_other(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx;
    Value c = args[0], x = args[1];
    Items it;
    TRY(py_items(c, &it));
    for (size_t k = 0; k < it.n; k++)
        if (!v_eq(it.v[k], x)) {
            *out = it.v[k];
            return ERR_OK;
        }
    return ERR_STOPITER;
}

/* ---- ranges and products ---- */

/* tuple(range(start, stop, step)): ints only (TypeError), step 0 is a
 * ValueError, lengths past the size bound a MemoryError before allocating. */
Err op_interval(Ctx *ctx, const Value *args, Value *out)
{
    for (int k = 0; k < 3; k++)
        if (!v_is_int(args[k]))
            return ERR_TYPE;
    int64_t start = args[0].u.i, stop = args[1].u.i, step = args[2].u.i;
    if (step == 0)
        return ERR_VALUE;
    __int128 span = step > 0 ? (__int128)stop - start : (__int128)start - stop;
    __int128 st = step > 0 ? (__int128)step : -(__int128)step;
    __int128 n = span <= 0 ? 0 : (span - 1) / st + 1;
    if (n == 0) {
        *out = v_empty_tuple();
        return ERR_OK;
    }
    Seq *s = seq_alloc(ctx, n > LIMIT_SEQ_ITEMS ? (size_t)LIMIT_SEQ_ITEMS + 1 : (size_t)n);
    if (!s)
        return ERR_MEMORY;
    for (size_t k = 0; k < s->n; k++)
        s->items[k] = v_int((int64_t)(start + (__int128)k * step));
    *out = seq_finish_tuple(s);
    return ERR_OK;
}

/* (i, j), packed when both are ints that fit. */
static Err make_pair(Ctx *ctx, Value i, Value j, Value *out)
{
    if (i.tag == VT_INT && j.tag == VT_INT && fits32(i.u.i) && fits32(j.u.i)) {
        *out = v_pair((int32_t)i.u.i, (int32_t)j.u.i);
        return ERR_OK;
    }
    Value it[2] = {i, j};
    return mk_tuple(ctx, 2, it, out);
}

/* frozenset((i, j) for j in b for i in a): iter(b) at once, iter(a) only
 * once b yields an item, so product(5, ()) is frozenset(). */
Err op_product(Ctx *ctx, const Value *args, Value *out)
{
    Value a = args[0], b = args[1];
    Items ia, ib;
    TRY(py_items(b, &ib));
    if (ib.n == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    TRY(py_items(a, &ia));
    if (ia.n == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    size_t n = ia.n > LIMIT_SEQ_ITEMS / ib.n ? (size_t)LIMIT_SEQ_ITEMS + 1 : ia.n * ib.n;
    Value *all = scratch(ctx, n);
    if (!all)
        return ERR_MEMORY;
    bool sets = a.tag == VT_SET && b.tag == VT_SET;
    size_t m = 0;
    if (sets) {
        /* i-major over two sorted sets is already strictly ascending */
        for (size_t x = 0; x < ia.n; x++) {
            for (size_t y = 0; y < ib.n; y++)
                TRY(make_pair(ctx, ia.v[x], ib.v[y], &all[m++]));
            TRY(tick(ctx, x));
        }
        return mk_set_sorted(ctx, m, all, out);
    }
    /* Python's order (j-major), so equal pairs keep the first one made */
    for (size_t y = 0; y < ib.n; y++) {
        for (size_t x = 0; x < ia.n; x++)
            TRY(make_pair(ctx, ia.v[x], ib.v[y], &all[m++]));
        TRY(tick(ctx, y));
    }
    return mk_set(ctx, m, all, out);
}

/* tuple(zip(a, b)): iter(a), iter(b), the shorter length. */
Err op_pair(Ctx *ctx, const Value *args, Value *out)
{
    Items ia, ib;
    TRY(py_items(args[0], &ia));
    TRY(py_items(args[1], &ib));
    size_t n = ia.n < ib.n ? ia.n : ib.n;
    Seq *s = seq_alloc(ctx, n);
    if (!s)
        return ERR_MEMORY;
    for (size_t k = 0; k < n; k++)
        TRY(make_pair(ctx, ia.v[k], ib.v[k], &s->items[k]));
    *out = seq_finish_tuple(s);
    return ERR_OK;
}
