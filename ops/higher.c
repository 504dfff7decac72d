/* higher.c: the higher-order primitives of dsl.py.
 *
 * Closure constructors (compose, chain, fork, matcher, rbind, lbind, power)
 * build Func values that call_value (runtime/func.c) applies; consumers
 * (order, valmax, valmin, argmax, argmin, sfilter, mfilter, extract, apply,
 * rapply, mapply, papply, mpapply, prapply) call function values through
 * call_value, the same path the interpreter uses, so budgets and tracing see
 * every application.
 *
 * Python details reproduced here:
 *  - a generator expression evaluates its outermost iterable eagerly (so a
 *    non-iterable container is a TypeError before any call), everything else
 *    lazily, and turns a StopIteration from its body into RuntimeError
 *    (gen_err); sorted/max/min call the key directly, so StopIteration stays;
 *  - type(container)(...) gives a tuple for tuples, a frozenset for sets;
 *  - max(key=) keeps the first element whose key is `>` the best so far, min
 *    the first that is `<`; sorted() is CPython's list.sort (see sort_keys). */
#include <string.h>

#include "../runtime/limits.h"
#include "../runtime/pyops.h"
#include "ops.h"
#include "packed.h"

/* ------------------------------------------------------------------ */
/* closure constructors                                                */

Err op_compose(Ctx *ctx, const Value *args, Value *out)
{
    return func_closure(ctx, FN_COMPOSE, 1, 2, args, 0, out);
}

Err op_chain(Ctx *ctx, const Value *args, Value *out)
{
    return func_closure(ctx, FN_CHAIN, 1, 3, args, 0, out);
}

Err op_fork(Ctx *ctx, const Value *args, Value *out)
{
    return func_closure(ctx, FN_FORK, 1, 3, args, 0, out);
}

Err op_matcher(Ctx *ctx, const Value *args, Value *out)
{
    return func_closure(ctx, FN_MATCHER, 1, 2, args, 0, out);
}

/* rbind/lbind read function.__code__.co_argcount (AttributeError for a
 * non-function): 2 gives a 1-argument lambda, 3 a 2-argument one, and any
 * other count falls into Python's `else` with a 3-argument lambda. */
static Err bind(Ctx *ctx, FnKind kind, const Value *args, Value *out)
{
    int n;
    TRY(func_argcount(args[0], &n));
    int arity = n == 2 ? 1 : n == 3 ? 2 : 3;
    return func_closure(ctx, kind, arity, 2, args, 0, out);
}

Err op_rbind(Ctx *ctx, const Value *args, Value *out) { return bind(ctx, FN_RBIND, args, out); }

Err op_lbind(Ctx *ctx, const Value *args, Value *out) { return bind(ctx, FN_LBIND, args, out); }

/* power(f, n): `if n == 1: return function` (True == 1 too, and f need not
 * be callable), else compose(f, power(f, n - 1)): `n - 1` is a TypeError for
 * non-ints, and the recursion never ends for n <= 0 and passes Python's
 * recursion limit for large n (RecursionError both). */
Err op_power(Ctx *ctx, const Value *args, Value *out)
{
    Value f = args[0], n = args[1];
    if (v_is_int(n) && n.u.i == 1) {
        *out = f;
        return ERR_OK;
    }
    if (!v_is_int(n))
        return ERR_TYPE;
    if (n.u.i <= 0 || n.u.i > LIMIT_POWER_N)
        return ERR_RECURSION;
    return func_closure(ctx, FN_POWER, 1, 1, &f, n.u.i, out);
}

/* ------------------------------------------------------------------ */
/* shared helpers                                                      */

/* Scratch array of n values (n comes from an existing container, so it is
 * within LIMIT_SEQ_ITEMS); NULL when the run's memory budget is spent. */
static Value *scratch(Ctx *ctx, size_t n)
{
    if (ctx_check_mem(ctx))
        return NULL;
    return ctx_alloc(ctx, (n ? n : 1) * sizeof(Value));
}

/* type(like)(items): a tuple for tuples, a frozenset for sets. */
static Err build_like(Ctx *ctx, Value like, size_t n, const Value *items, Value *out)
{
    if (like.tag == VT_SET) {
        uint8_t k;
        if (n > 1 && pk_items_kind(items, n))
            return pk_set_of(ctx, items, n, out);
        if (n > 1 && (k = pk_sets_kind(items, n)))
            return pk_set_of_sets(ctx, k, items, n, out);
        return mk_set(ctx, n, items, out);
    }
    return mk_tuple(ctx, n, items, out);
}

/* merge(containers): type(containers)(e for c in containers for e in c).
 * Each c is iterated lazily, so the first non-iterable one is a TypeError;
 * the sizes are summed first so that the result is allocated once. */
static Err merge_of(Ctx *ctx, Value containers, Value *out)
{
    Err e;
    if (containers.tag == VT_SET && pk_merge(ctx, containers.u.seq->items, containers.u.seq->n, out, &e))
        return e;
    Items outer;
    TRY(py_items(containers, &outer));
    size_t total = 0;
    for (size_t k = 0; k < outer.n; k++) {
        Items in;
        TRY(py_items(outer.v[k], &in));
        total += in.n;
        if (total > LIMIT_SEQ_ITEMS) {
            if (!ctx->limit_hit)
                ctx->limit_hit = ERR_MEMORY;
            return ERR_MEMORY;
        }
    }
    Value *all = scratch(ctx, total);
    if (!all)
        return ERR_MEMORY;
    size_t w = 0;
    for (size_t k = 0; k < outer.n; k++) {
        Items in;
        TRY(py_items(outer.v[k], &in));
        memcpy(all + w, in.v, in.n * sizeof(Value));
        w += in.n;
        if ((k & 255) == 255)
            TRY(ctx_tick(ctx));
    }
    return build_like(ctx, containers, total, all, out);
}

/* ------------------------------------------------------------------ */
/* order: tuple(sorted(container, key=compfunc))                       */

typedef Err (*LtFn)(Value a, Value b, bool *out);

static Err lt_int(Value a, Value b, bool *out)
{
    *out = a.u.i < b.u.i;
    return ERR_OK;
}

/* For keys where Python's `<` is a total order that agrees with the
 * canonical order (all int vectors, or all cells). */
static Err lt_canon(Value a, Value b, bool *out)
{
    *out = v_cmp(a, b) < 0;
    return ERR_OK;
}

typedef struct Sorter {
    Ctx *ctx;
    const Value *keys;
    LtFn lt;
} Sorter;

/* keys[a] < keys[b] */
static inline Err key_lt(const Sorter *s, uint32_t a, uint32_t b, bool *out)
{
    return s->lt(s->keys[a], s->keys[b], out);
}

static bool is_int_vector(Value v)
{
    return v.tag == VT_PAIR || (v.tag == VT_TUPLE && (v.u.seq->flags & SEQ_ALLINT));
}

/* Pick the cheapest `<` that gives exactly Python's answers for these keys:
 * plain ints, tuples of ints (any length) and cells are totally ordered and
 * never raise; anything else goes through py_lt (subset order for
 * frozensets, TypeError between kinds). */
static LtFn pick_lt(const Value *keys, size_t n)
{
    bool ints = true, vecs = true, cells = true;
    for (size_t k = 0; k < n && (ints || vecs || cells); k++) {
        if (!v_is_int(keys[k])) ints = false;
        if (!is_int_vector(keys[k])) vecs = false;
        if (keys[k].tag != VT_CELL) cells = false;
    }
    if (ints)
        return lt_int;
    if (vecs || cells)
        return lt_canon;
    return py_lt;
}

static void reverse_idx(uint32_t *idx, size_t n)
{
    for (size_t i = 0, j = n - 1; i < j; i++, j--) {
        uint32_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
}

/* CPython 3.11 count_run: the longest non-descending or strictly
 * descending prefix; a descending one is reversed in place. */
static Err count_run(const Sorter *s, uint32_t *idx, size_t n, size_t *run)
{
    bool lt;
    size_t k = 2;
    if (n == 1) {
        *run = 1;
        return ERR_OK;
    }
    TRY(key_lt(s, idx[1], idx[0], &lt));
    if (lt) {
        for (; k < n; k++) {
            TRY(key_lt(s, idx[k], idx[k - 1], &lt));
            if (!lt)
                break;
        }
        reverse_idx(idx, k);
    } else {
        for (; k < n; k++) {
            TRY(key_lt(s, idx[k], idx[k - 1], &lt));
            if (lt)
                break;
        }
    }
    *run = k;
    return ERR_OK;
}

/* CPython binarysort: insert idx[start..n) into the sorted prefix, each by
 * a binary search using only `pivot < x` (after equal keys: stable). */
static Err binary_sort(const Sorter *s, uint32_t *idx, size_t n, size_t start)
{
    for (size_t i = start; i < n; i++) {
        uint32_t pivot = idx[i];
        size_t l = 0, r = i;
        while (l < r) {
            size_t p = l + ((r - l) >> 1);
            bool lt;
            TRY(key_lt(s, pivot, idx[p], &lt));
            if (lt)
                r = p;
            else
                l = p + 1;
        }
        memmove(idx + l + 1, idx + l, (i - l) * sizeof *idx);
        idx[l] = pivot;
    }
    return ERR_OK;
}

/* Stable bottom-up merge sort with `<` only (take the right item only when
 * it is strictly smaller). For 64 or more items CPython's timsort merges
 * runs with galloping; for total orders the result is the same, for partial
 * orders (frozenset keys) or keys that raise it may compare other pairs. */
static Err merge_sort(const Sorter *s, uint32_t *idx, uint32_t *tmp, size_t n)
{
    uint32_t *src = idx, *dst = tmp;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi) {
                bool lt;
                TRY(key_lt(s, src[j], src[i], &lt));
                dst[o++] = lt ? src[j++] : src[i++];
            }
            while (i < mid)
                dst[o++] = src[i++];
            while (j < hi)
                dst[o++] = src[j++];
        }
        TRY(ctx_tick(s->ctx));
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != idx)
        memcpy(idx, src, n * sizeof *idx);
    return ERR_OK;
}

/* Sort idx (a permutation of 0..n-1) by keys as list.sort does. Below 64
 * items CPython's minrun is n: one count_run, then binary insertion of the
 * rest, which this reproduces comparison for comparison. */
static Err sort_keys(Ctx *ctx, const Value *keys, uint32_t *idx, size_t n)
{
    Sorter s = {ctx, keys, pick_lt(keys, n)};
    if (n < 2)
        return ERR_OK;
    if (n < 64) {
        size_t run;
        TRY(count_run(&s, idx, n, &run));
        return binary_sort(&s, idx, n, run);
    }
    if (ctx_check_mem(ctx))
        return ERR_MEMORY;
    uint32_t *tmp = ctx_alloc(ctx, n * sizeof *tmp);
    return merge_sort(&s, idx, tmp, n);
}

/* A key as sorted, max and min take one: key=None is no key (each item is
 * compared itself, and nothing is called); anything else is called. */
static inline Err key_of(Ctx *ctx, Value f, Value item, Value *key)
{
    if (f.tag == VT_NONE) {
        *key = item;
        return ERR_OK;
    }
    return call_each(ctx, f, 1, &item, key);
}

Err op_order(Ctx *ctx, const Value *args, Value *out)
{
    Items it;
    TRY(py_items(args[0], &it));
    size_t n = it.n;
    Value *keys = scratch(ctx, 2 * n);
    if (!keys)
        return ERR_MEMORY;
    Value *sorted = keys + n;
    uint32_t *idx = ctx_alloc(ctx, (n ? n : 1) * sizeof *idx);
    /* sorted() computes every key first, in iteration order; errors from
     * the key function propagate unchanged (no generator involved). */
    for (size_t k = 0; k < n; k++) {
        TRY(key_of(ctx, args[1], it.v[k], &keys[k]));
        idx[k] = (uint32_t)k;
    }
    TRY(sort_keys(ctx, keys, idx, n));
    for (size_t k = 0; k < n; k++)
        sorted[k] = it.v[idx[k]];
    return mk_tuple(ctx, n, sorted, out);
}

/* ------------------------------------------------------------------ */
/* valmax, valmin, argmax, argmin                                      */

/* max(container, key=f) (want_gt) or min(...): the first element whose key
 * beats the best so far by `>` (max) or `<` (min). *found is false for an
 * empty container. */
static Err extreme(Ctx *ctx, Value container, Value f, bool want_gt, bool *found, Value *best)
{
    Items it;
    TRY(py_items(container, &it));
    *found = it.n > 0;
    if (!it.n)
        return ERR_OK;
    Value bestk, k;
    *best = it.v[0];
    TRY(key_of(ctx, f, it.v[0], &bestk));
    for (size_t i = 1; i < it.n; i++) {
        TRY(key_of(ctx, f, it.v[i], &k));
        bool better;
        if (v_is_int(k) && v_is_int(bestk))
            better = want_gt ? k.u.i > bestk.u.i : k.u.i < bestk.u.i;
        else
            TRY(want_gt ? py_gt(k, bestk, &better) : py_lt(k, bestk, &better));
        if (better) {
            *best = it.v[i];
            bestk = k;
        }
    }
    return ERR_OK;
}

/* compfunc(max(container, key=compfunc, default=0)): the key is called again
 * on the winner, as Python does; an empty container gives compfunc(0). */
static Err valext(Ctx *ctx, const Value *args, bool want_gt, Value *out)
{
    bool found;
    Value best;
    TRY(extreme(ctx, args[0], args[1], want_gt, &found, &best));
    return call1(ctx, args[1], found ? best : v_int(0), out);
}

Err op_valmax(Ctx *ctx, const Value *args, Value *out) { return valext(ctx, args, true, out); }

Err op_valmin(Ctx *ctx, const Value *args, Value *out) { return valext(ctx, args, false, out); }

/* max(container, key=compfunc): ValueError on an empty container. */
static Err argext(Ctx *ctx, const Value *args, bool want_gt, Value *out)
{
    bool found;
    Value best;
    TRY(extreme(ctx, args[0], args[1], want_gt, &found, &best));
    if (!found)
        return ERR_VALUE;
    *out = best;
    return ERR_OK;
}

Err op_argmax(Ctx *ctx, const Value *args, Value *out) { return argext(ctx, args, true, out); }

Err op_argmin(Ctx *ctx, const Value *args, Value *out) { return argext(ctx, args, false, out); }

/* ------------------------------------------------------------------ */
/* sfilter, mfilter, extract                                           */

/* type(container)(e for e in container if condition(e)) */
static Err filter(Ctx *ctx, Value container, Value cond, Value *out)
{
    Items it;
    TRY(py_items(container, &it));
    Value *kept = scratch(ctx, it.n);
    if (!kept)
        return ERR_MEMORY;
    size_t w = 0;
    for (size_t k = 0; k < it.n; k++) {
        bool keep = false; /* set unless call_test fails (GCC cannot tell under -fsanitize=thread) */
        TRY(gen_err(call_test(ctx, cond, &it.v[k], &keep)));
        if (keep)
            kept[w++] = it.v[k];
    }
    if (container.tag == VT_SET) {
        if (w == it.n) { /* everything kept: an equal frozenset */
            *out = container;
            return ERR_OK;
        }
        /* a subsequence of a canonical set is still strictly ascending */
        return mk_set_sorted(ctx, w, kept, out);
    }
    return mk_tuple(ctx, w, kept, out);
}

Err op_sfilter(Ctx *ctx, const Value *args, Value *out)
{
    return filter(ctx, args[0], args[1], out);
}

Err op_mfilter(Ctx *ctx, const Value *args, Value *out)
{
    Value kept;
    TRY(filter(ctx, args[0], args[1], &kept));
    return merge_of(ctx, kept, out);
}

/* next(e for e in container if condition(e)): StopIteration when nothing
 * matches; a StopIteration from the condition is RuntimeError (PEP 479). */
Err op_extract(Ctx *ctx, const Value *args, Value *out)
{
    Items it;
    TRY(py_items(args[0], &it));
    for (size_t k = 0; k < it.n; k++) {
        bool found = false;
        TRY(gen_err(call_test(ctx, args[1], &it.v[k], &found)));
        if (found) {
            *out = it.v[k];
            return ERR_OK;
        }
    }
    return ERR_STOPITER;
}

/* ------------------------------------------------------------------ */
/* apply, rapply, mapply                                               */

/* function(e) for e in container, in *res (n of them). */
static Err apply_items(Ctx *ctx, Value f, Value container, Value **res, size_t *n)
{
    Items it;
    TRY(py_items(container, &it));
    Value *r = scratch(ctx, it.n);
    if (!r)
        return ERR_MEMORY;
    for (size_t k = 0; k < it.n; k++)
        TRY(gen_err(call_each(ctx, f, 1, &it.v[k], &r[k])));
    *res = r;
    *n = it.n;
    return ERR_OK;
}

/* type(container)(function(e) for e in container) */
static Err apply_to(Ctx *ctx, Value f, Value container, Value *out)
{
    Value *res;
    size_t n;
    TRY(apply_items(ctx, f, container, &res, &n));
    return build_like(ctx, container, n, res, out);
}

Err op_apply(Ctx *ctx, const Value *args, Value *out)
{
    return apply_to(ctx, args[0], args[1], out);
}

/* type(functions)(function(value) for function in functions) */
Err op_rapply(Ctx *ctx, const Value *args, Value *out)
{
    Items it;
    TRY(py_items(args[0], &it));
    Value *res = scratch(ctx, it.n);
    if (!res)
        return ERR_MEMORY;
    for (size_t k = 0; k < it.n; k++)
        TRY(gen_err(call_each(ctx, it.v[k], 1, &args[1], &res[k])));
    return build_like(ctx, args[0], it.n, res, out);
}

/* merge(apply(function, container)). Over a frozenset whose results are
 * packed sets of one kind, their union is taken straight from the results:
 * the frozenset of them apply would build (sorted by content, repeats
 * dropped) changes nothing in a union. */
Err op_mapply(Ctx *ctx, const Value *args, Value *out)
{
    Value *res, mapped;
    size_t n;
    TRY(apply_items(ctx, args[0], args[1], &res, &n));
    Err e;
    if (args[1].tag == VT_SET && n > 1 && pk_merge(ctx, res, n, out, &e))
        return e;
    TRY(build_like(ctx, args[1], n, res, &mapped));
    return merge_of(ctx, mapped, out);
}

/* ------------------------------------------------------------------ */
/* papply, mpapply, prapply                                            */

/* tuple(function(i, j) for i, j in zip(a, b)): zip calls iter() on both at
 * once (TypeError) and stops at the shorter. */
static Err pairwise(Ctx *ctx, const Value *args, Value *out)
{
    Items a, b;
    TRY(py_items(args[1], &a));
    TRY(py_items(args[2], &b));
    size_t n = a.n < b.n ? a.n : b.n;
    Value *res = scratch(ctx, n);
    if (!res)
        return ERR_MEMORY;
    for (size_t k = 0; k < n; k++)
        TRY(gen_err(call_each(ctx, args[0], 2, (Value[2]){a.v[k], b.v[k]}, &res[k])));
    return mk_tuple(ctx, n, res, out);
}

Err op_papply(Ctx *ctx, const Value *args, Value *out) { return pairwise(ctx, args, out); }

Err op_mpapply(Ctx *ctx, const Value *args, Value *out)
{
    Value t;
    TRY(pairwise(ctx, args, &t));
    return merge_of(ctx, t, out);
}

/* ---- prapply(connect, a, b) over two sets of small packed pairs ----
 * The batt workload calls it on ofcolor() results: n^2 connect calls, each
 * building a set, most of them equal. connect(p, q) is the segment from p to
 * q (or the empty set when they are not aligned), so each distinct result is
 * described by a key (its first point, its direction, its length), and the
 * canonical order of the resulting sets is the order of those keys: the
 * empty set first, then by first point, then singleton < horizontal <
 * anti-diagonal < vertical < diagonal (their second points), then shorter
 * before longer (a prefix). So the result is built from sorted distinct keys
 * without n^2 calls or a sort of sets. */
enum { LINE_COORD_BITS = 10, LINE_MAX = 1 << LINE_COORD_BITS };
enum { LINE_DOT, LINE_H, LINE_AD, LINE_V, LINE_D };

static bool small_pairs(Value s)
{
    if (s.tag != VT_SET || !(s.u.seq->flags & SEQ_PAIRS))
        return false;
    for (uint32_t k = 0; k < s.u.seq->n; k++) {
        Value p = s.u.seq->items[k];
        if ((uint32_t)p.u.p.a >= LINE_MAX || (uint32_t)p.u.p.b >= LINE_MAX)
            return false;
    }
    return true;
}

static uint64_t line_key(int32_t i, int32_t j, unsigned dir, int32_t len)
{
    return (uint64_t)i << 24 | (uint64_t)j << 14 | (uint64_t)dir << 11 | (uint64_t)len;
}

/* The key of connect(p, q), or UINT64_MAX for the empty set. */
static uint64_t connect_key(Value p, Value q)
{
    int32_t ai = p.u.p.a, aj = p.u.p.b, bi = q.u.p.a, bj = q.u.p.b;
    int32_t si = ai < bi ? ai : bi, ei = ai < bi ? bi : ai;
    int32_t sj = aj < bj ? aj : bj, ej = aj < bj ? bj : aj;
    if (ai == bi)
        return line_key(ai, sj, sj == ej ? LINE_DOT : LINE_H, ej - sj + 1);
    if (aj == bj)
        return line_key(si, aj, LINE_V, ei - si + 1);
    if (bi - ai == bj - aj)
        return line_key(si, sj, LINE_D, ei - si + 1);
    if (bi - ai == aj - bj)
        return line_key(si, ej, LINE_AD, ei - si + 1);
    return UINT64_MAX;
}

/* The set of pairs a key describes (points ascend, so it is canonical). */
static Err line_of_key(Ctx *ctx, uint64_t key, Value *out)
{
    int32_t i = (int32_t)(key >> 24), j = (int32_t)(key >> 14) & (LINE_MAX - 1);
    unsigned dir = (key >> 11) & 7;
    int32_t len = (int32_t)(key & 2047);
    static const int8_t di[] = {0, 0, 1, 1, 1}, dj[] = {0, 1, -1, 0, 1};
    Seq *s = seq_alloc(ctx, (size_t)len);
    if (!s)
        return ERR_MEMORY;
    for (int32_t k = 0; k < len; k++)
        s->items[k] = v_pair(i + k * di[dir], j + k * dj[dir]);
    s->flags = SEQ_PAIRS;
    out->tag = VT_SET;
    out->c = 0;
    out->u.seq = s;
    return ERR_OK;
}

/* The line a pair's key stands for: the empty set, or the distinct line
 * built for that key (lines[k] for dk[k], dk sorted). */
static Value line_for(uint64_t key, const uint64_t *dk, const Value *lines, size_t nd)
{
    if (key == UINT64_MAX)
        return v_empty_set();
    size_t lo = 0, hi = nd;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (dk[mid] <= key)
            lo = mid;
        else
            hi = mid;
    }
    return lines[lo];
}

/* When recording: the calls the fast path stands for, reported one by one in
 * the slow path's order (for j in b, for i in a), each with its line. The
 * tracer sees the nodes it would see without the fast path, while each
 * distinct line is still built once (results shared by identity also hash
 * once). Their self time is near zero: the work is the prapply's, and this
 * loop, the tracer's (an aside). */
static void trace_connect_calls(Ctx *ctx, Value f, const Seq *a, const Seq *b, const uint64_t *dk,
                                const Value *lines, size_t nd)
{
    const TraceHooks *t = ctx->trace;
    if (t->aside_begin)
        t->aside_begin(ctx->trace_data);
    for (uint32_t y = 0; y < b->n; y++)
        for (uint32_t x = 0; x < a->n; x++) {
            Value args[2] = {a->items[x], b->items[y]};
            Value r = line_for(connect_key(args[0], args[1]), dk, lines, nd);
            if (t->apply_enter(ctx->trace_data, f, 2, args))
                t->apply_leave(ctx->trace_data, f, ERR_OK, r);
        }
    if (t->aside_end)
        t->aside_end(ctx->trace_data);
}

static Err prapply_connect(Ctx *ctx, Value f, const Seq *a, const Seq *b, Value *out)
{
    /* connect(p, q) is connect(q, p): over one set with itself, each
     * unordered pair once gives every line */
    bool same = a == b;
    size_t n = same ? (size_t)a->n * (a->n + 1) / 2 : (size_t)a->n * b->n, m = 0;
    bool empty = false;
    TRY(ctx_check_mem(ctx));
    uint64_t *keys = ctx_alloc(ctx, 2 * n * sizeof *keys);
    for (uint32_t y = 0; y < b->n; y++) {
        TRY(ctx_tick(ctx));
        for (uint32_t x = same ? y : 0; x < a->n; x++) {
            uint64_t key = connect_key(a->items[x], b->items[y]);
            if (key == UINT64_MAX)
                empty = true;
            else
                keys[m++] = key;
        }
    }
    if (m)
        radix_sort_u64(keys, keys + n, m);
    size_t nd = 0; /* distinct keys, compacted in place */
    for (size_t k = 0; k < m; k++)
        if (k == 0 || keys[k] != keys[nd - 1])
            keys[nd++] = keys[k];
    Value *sets = scratch(ctx, nd + 1);
    if (!sets)
        return ERR_MEMORY;
    Value *lines = sets + empty;
    if (empty)
        sets[0] = v_empty_set();
    for (size_t k = 0; k < nd; k++)
        TRY(line_of_key(ctx, keys[k], &lines[k]));
    if (ctx->trace)
        trace_connect_calls(ctx, f, a, b, keys, lines, nd);
    return mk_set_sorted(ctx, nd + empty, sets, out);
}

/* Can prapply take the connect fast path? Only when the calls could not
 * pass the depth limit, and both sets hold pairs with coordinates that fit
 * the keys. (A tracer is told about every call: trace_connect_calls.) */
static bool prapply_connect_ok(Ctx *ctx, const Value *args)
{
    Value f = args[0];
    return ctx->depth + 1 < LIMIT_CALL_DEPTH && f.tag == VT_FUNC &&
           f.u.fn->kind == FN_PRIM && f.u.fn->prim == &prim_table[P_connect] &&
           small_pairs(args[1]) && small_pairs(args[2]) &&
           (uint64_t)args[1].u.seq->n * args[2].u.seq->n <= LIMIT_SEQ_ITEMS;
}

/* frozenset(function(i, j) for j in b for i in a): b is iterated eagerly,
 * a once per j (so a non-iterable a only fails when b is non-empty). */
Err op_prapply(Ctx *ctx, const Value *args, Value *out)
{
    if (prapply_connect_ok(ctx, args))
        return prapply_connect(ctx, args[0], args[1].u.seq, args[2].u.seq, out);
    Items a, b;
    TRY(py_items(args[2], &b));
    VBuf buf;
    vbuf_init(&buf, ctx);
    for (size_t j = 0; j < b.n; j++) {
        TRY(py_items(args[1], &a));
        for (size_t i = 0; i < a.n; i++) {
            Value r;
            TRY(gen_err(call_each(ctx, args[0], 2, (Value[2]){a.v[i], b.v[j]}, &r)));
            TRY(vbuf_push(&buf, r));
        }
    }
    return vbuf_set(&buf, out);
}
