/* pyops.h: Python's object protocol over Values, with Python's error classes.
 *
 * arc-dsl relies on duck typing: primitives receive every kind of value in
 * program search, and must succeed where Python succeeds (a tuple + a tuple
 * concatenates) and fail with Python's exception class where it fails
 * (len(5) is a TypeError, ()[0] an IndexError). The primitives are written
 * as close readings of dsl.py over these helpers, with fast paths for the
 * common shapes. */
#ifndef BATTRACE_PYOPS_H
#define BATTRACE_PYOPS_H

#include "ctx.h"
#include "value.h"

/* len(v): TypeError unless v is a tuple or frozenset. */
Err py_len(Value v, int64_t *out);
/* iter(v) would succeed: ERR_OK for tuples and frozensets, else TypeError. */
Err py_iterable(Value v);
/* The int value of an int or bool (Python's __index__), else TypeError. */
Err py_as_int(Value v, int64_t *out);

/* v[k]: tuples by int (negative counts from the end; IndexError out of
 * range; TypeError for a non-int index); anything else TypeError. */
Err py_getitem(Value v, Value k, Value *out);
Err py_getitem_i(Value v, int64_t k, Value *out);
/* v[start:stop] (step 1) and v[::-1]; start/stop may be None. TypeError for
 * non-tuples and non-int bounds. */
Err py_slice(Ctx *ctx, Value v, Value start, Value stop, Value *out);
Err py_reversed(Ctx *ctx, Value v, Value *out); /* v[::-1] */

/* a, b = v: TypeError when v is not iterable, ValueError when it does not hold
 * exactly two items. */
Err py_unpack2(Value v, Value *a, Value *b);

/* Rich comparison: ints numerically, tuples lexicographically, frozensets
 * by subset; TypeError between other kinds. */
Err py_lt(Value a, Value b, bool *out);
Err py_le(Value a, Value b, bool *out);
Err py_gt(Value a, Value b, bool *out);
Err py_ge(Value a, Value b, bool *out);

/* Arithmetic. Ints (bools count as ints) give ints; OverflowError past 64
 * bits. + concatenates tuples, * repeats a tuple; everything else is TypeError. */
Err py_add(Ctx *ctx, Value a, Value b, Value *out);
Err py_sub(Value a, Value b, Value *out); /* ints only: set difference is op_difference's */
Err py_mul(Ctx *ctx, Value a, Value b, Value *out);
Err py_floordiv(Value a, Value b, Value *out); /* ZeroDivisionError on 0 */
Err py_mod(Value a, Value b, Value *out);      /* ZeroDivisionError on 0 */
Err py_neg(Value a, Value *out);
Err py_abs(Value a, Value *out);
/* a & b and a | b: frozenset algebra, or bitwise on ints (bool & bool is bool). */
Err py_and(Ctx *ctx, Value a, Value b, Value *out);
Err py_or(Ctx *ctx, Value a, Value b, Value *out);
/* a - b for two frozensets. */
Err py_set_difference(Ctx *ctx, Value a, Value b, Value *out);

/* x in c: tuples by ==, frozensets by lookup; TypeError for non-containers. */
Err py_contains(Value c, Value x, bool *out);
/* Position of x in a set (binary search), or -1. */
int64_t set_find(Value set, Value x);
/* tup.count(x) / tup.index(x) for tuples; AttributeError for other kinds
 * (frozensets have neither method). */
Err py_count(Value c, Value x, int64_t *out);

/* max(items) / min(items) over n values as Python's builtins do: the first
 * extreme wins; ValueError on empty; TypeError on incomparable items. */
Err py_max_of(const Value *items, size_t n, Value *out);
Err py_min_of(const Value *items, size_t n, Value *out);

/* Canonical items of a container into a buffer the caller may keep (the
 * container's own storage for Seqs, a 2-item scratch for packed tuples). */
typedef struct Items {
    const Value *v;
    size_t n;
    Value scratch[2];
} Items;
/* TypeError unless v is iterable. Inline: most primitives start with it. */
static inline Err py_items(Value v, Items *it)
{
    if (v.tag == VT_PAIR || v.tag == VT_CELL) {
        v_put(&it->scratch[0], v_item(v, 0));
        v_put(&it->scratch[1], v_item(v, 1));
        it->v = it->scratch;
        it->n = 2;
        return ERR_OK;
    }
    if (v.tag == VT_TUPLE || v.tag == VT_SET) {
        it->v = v.u.seq->items;
        it->n = v.u.seq->n;
        return ERR_OK;
    }
    return ERR_TYPE;
}

/* ---- grid helpers for fast paths (v_is_grid(g) checked by the caller) ---- */
static inline size_t grid_h(Value g) { return g.u.seq->n; }
static inline size_t grid_w(Value g) { return v_len(g.u.seq->items[0]); }
static inline int64_t grid_at(Value g, size_t i, size_t j)
{
    Value r = g.u.seq->items[i];
    if (r.tag == VT_PAIR)
        return j ? r.u.p.b : r.u.p.a;
    return r.u.seq->items[j].u.i;
}
/* A tuple of h rows, each a tuple of w ints (row-major cells); h == 0 gives (). */
Err mk_grid(Ctx *ctx, size_t h, size_t w, const int64_t *cells, Value *out);
/* Copy a grid's cells row-major into a new arena buffer. */
int64_t *grid_cells(Ctx *ctx, Value g);

#endif
