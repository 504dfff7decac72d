/* pyops.c: Python's object protocol over Values (see pyops.h). */
#include "pyops.h"

#include <string.h>

#include "limits.h"

Err py_len(Value v, int64_t *out)
{
    if (!v_is_container(v))
        return ERR_TYPE;
    *out = (int64_t)v_len(v);
    return ERR_OK;
}

Err py_iterable(Value v) { return v_is_container(v) ? ERR_OK : ERR_TYPE; }

Err py_as_int(Value v, int64_t *out)
{
    if (!v_is_int(v))
        return ERR_TYPE;
    *out = v.u.i;
    return ERR_OK;
}

Err py_getitem_i(Value v, int64_t k, Value *out)
{
    if (!v_is_tuple(v))
        return ERR_TYPE;
    int64_t n = (int64_t)v_len(v);
    if (k < 0)
        k += n;
    if (k < 0 || k >= n)
        return ERR_INDEX;
    *out = v_item(v, (size_t)k);
    return ERR_OK;
}

Err py_getitem(Value v, Value k, Value *out)
{
    if (!v_is_tuple(v))
        return ERR_TYPE;
    if (!v_is_int(k))
        return ERR_TYPE;
    return py_getitem_i(v, k.u.i, out);
}

/* Python's slice bound normalisation for step 1. */
static int64_t clamp_bound(int64_t x, int64_t n)
{
    if (x < 0) {
        x += n;
        if (x < 0)
            x = 0;
    }
    return x > n ? n : x;
}

Err py_slice(Ctx *ctx, Value v, Value start, Value stop, Value *out)
{
    if (!v_is_tuple(v))
        return ERR_TYPE;
    if ((start.tag != VT_NONE && !v_is_int(start)) || (stop.tag != VT_NONE && !v_is_int(stop)))
        return ERR_TYPE;
    int64_t n = (int64_t)v_len(v);
    int64_t a = start.tag == VT_NONE ? 0 : clamp_bound(start.u.i, n);
    int64_t b = stop.tag == VT_NONE ? n : clamp_bound(stop.u.i, n);
    if (b <= a) {
        *out = v_empty_tuple();
        return ERR_OK;
    }
    if (a == 0 && b == n) {
        *out = v;
        return ERR_OK;
    }
    if (v.tag == VT_TUPLE) {
        size_t m = (size_t)(b - a);
        uint32_t kind = v.u.seq->flags & (SEQ_ALLINT | SEQ_GRID);
        if (kind == SEQ_GRID || (kind == SEQ_ALLINT && m != 2)) {
            /* a slice of ints is ints, of a grid's rows a grid: the flags
             * need no scan (two ints are a packed pair: mk_tuple) */
            Seq *s = seq_alloc(ctx, m);
            if (!s)
                return ERR_MEMORY;
            memcpy(s->items, v.u.seq->items + a, m * sizeof(Value));
            *out = seq_tuple_flagged(s, kind);
            return ERR_OK;
        }
        return mk_tuple(ctx, m, v.u.seq->items + a, out);
    }
    Value one = v_item(v, (size_t)a);
    return mk_tuple(ctx, 1, &one, out);
}

Err py_reversed(Ctx *ctx, Value v, Value *out)
{
    if (!v_is_tuple(v))
        return ERR_TYPE;
    size_t n = v_len(v);
    Seq *s = seq_alloc(ctx, n);
    if (!s)
        return ERR_MEMORY;
    for (size_t k = 0; k < n; k++)
        s->items[k] = v_item(v, n - 1 - k);
    *out = seq_finish_tuple(s);
    return ERR_OK;
}

Err py_unpack2(Value v, Value *a, Value *b)
{
    if (!v_is_container(v))
        return ERR_TYPE;
    if (v_len(v) != 2)
        return ERR_VALUE;
    *a = v_item(v, 0);
    *b = v_item(v, 1);
    return ERR_OK;
}

/* ---- comparison ---- */

typedef enum { OP_LT, OP_LE, OP_GT, OP_GE } CmpOp;

static bool int_op(int64_t a, int64_t b, CmpOp op)
{
    switch (op) {
    case OP_LT: return a < b;
    case OP_LE: return a <= b;
    case OP_GT: return a > b;
    default: return a >= b;
    }
}

/* Is every member of a in b? */
static bool subset(Value a, Value b)
{
    if (a.u.seq->n > b.u.seq->n)
        return false;
    for (uint32_t k = 0; k < a.u.seq->n; k++)
        if (set_find(b, a.u.seq->items[k]) < 0)
            return false;
    return true;
}

static Err rich_cmp(Value a, Value b, CmpOp op, bool *out)
{
    if (v_is_int(a) && v_is_int(b)) {
        *out = int_op(a.u.i, b.u.i, op);
        return ERR_OK;
    }
    if (v_is_tuple(a) && v_is_tuple(b)) {
        size_t na = v_len(a), nb = v_len(b), n = na < nb ? na : nb;
        for (size_t k = 0; k < n; k++) {
            Value x = v_item(a, k), y = v_item(b, k);
            if (!v_eq(x, y))
                return rich_cmp(x, y, op, out);
        }
        *out = int_op((int64_t)na, (int64_t)nb, op);
        return ERR_OK;
    }
    if (a.tag == VT_SET && b.tag == VT_SET) {
        size_t na = a.u.seq->n, nb = b.u.seq->n;
        switch (op) {
        case OP_LT: *out = na < nb && subset(a, b); break;
        case OP_LE: *out = subset(a, b); break;
        case OP_GT: *out = nb < na && subset(b, a); break;
        default: *out = subset(b, a); break;
        }
        return ERR_OK;
    }
    if (a.tag == VT_STR && b.tag == VT_STR) {
        int c = strcmp(a.u.str, b.u.str);
        *out = int_op(c, 0, op);
        return ERR_OK;
    }
    return ERR_TYPE;
}

Err py_lt(Value a, Value b, bool *out) { return rich_cmp(a, b, OP_LT, out); }
Err py_le(Value a, Value b, bool *out) { return rich_cmp(a, b, OP_LE, out); }
Err py_gt(Value a, Value b, bool *out) { return rich_cmp(a, b, OP_GT, out); }
Err py_ge(Value a, Value b, bool *out) { return rich_cmp(a, b, OP_GE, out); }

/* ---- arithmetic ---- */

static Err concat(Ctx *ctx, Value a, Value b, Value *out)
{
    size_t na = v_len(a), nb = v_len(b);
    if (na == 0) { *out = b; return ERR_OK; }
    if (nb == 0) { *out = a; return ERR_OK; }
    Seq *s = seq_alloc(ctx, na + nb);
    if (!s)
        return ERR_MEMORY;
    for (size_t k = 0; k < na; k++)
        s->items[k] = v_item(a, k);
    for (size_t k = 0; k < nb; k++)
        s->items[na + k] = v_item(b, k);
    *out = seq_finish_tuple(s);
    return ERR_OK;
}

Err py_add(Ctx *ctx, Value a, Value b, Value *out)
{
    if (v_is_int(a) && v_is_int(b)) {
        int64_t r;
        if (__builtin_add_overflow(a.u.i, b.u.i, &r))
            return ERR_OVERFLOW;
        *out = v_int(r);
        return ERR_OK;
    }
    if (v_is_tuple(a) && v_is_tuple(b))
        return concat(ctx, a, b, out);
    return ERR_TYPE;
}

Err py_sub(Value a, Value b, Value *out)
{
    if (!v_is_int(a) || !v_is_int(b))
        return ERR_TYPE;
    int64_t r;
    if (__builtin_sub_overflow(a.u.i, b.u.i, &r))
        return ERR_OVERFLOW;
    *out = v_int(r);
    return ERR_OK;
}

static Err repeat_tuple(Ctx *ctx, Value t, int64_t times, Value *out)
{
    size_t n = v_len(t);
    if (times <= 0 || n == 0) {
        *out = v_empty_tuple();
        return ERR_OK;
    }
    if ((uint64_t)times > LIMIT_SEQ_ITEMS / n)
        return ERR_MEMORY;
    if (times == 1) {
        *out = t;
        return ERR_OK;
    }
    Seq *s = seq_alloc(ctx, n * (size_t)times);
    if (!s)
        return ERR_MEMORY;
    for (int64_t r = 0; r < times; r++)
        for (size_t k = 0; k < n; k++)
            s->items[(size_t)r * n + k] = v_item(t, k);
    *out = seq_finish_tuple(s);
    return ERR_OK;
}

Err py_mul(Ctx *ctx, Value a, Value b, Value *out)
{
    if (v_is_int(a) && v_is_int(b)) {
        int64_t r;
        if (__builtin_mul_overflow(a.u.i, b.u.i, &r))
            return ERR_OVERFLOW;
        *out = v_int(r);
        return ERR_OK;
    }
    if (v_is_tuple(a) && v_is_int(b))
        return repeat_tuple(ctx, a, b.u.i, out);
    if (v_is_int(a) && v_is_tuple(b))
        return repeat_tuple(ctx, b, a.u.i, out);
    return ERR_TYPE;
}

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

Err py_floordiv(Value a, Value b, Value *out)
{
    if (!v_is_int(a) || !v_is_int(b))
        return ERR_TYPE;
    if (b.u.i == 0)
        return ERR_ZERODIV;
    if (a.u.i == INT64_MIN && b.u.i == -1)
        return ERR_OVERFLOW;
    *out = v_int(floordiv(a.u.i, b.u.i));
    return ERR_OK;
}

Err py_mod(Value a, Value b, Value *out)
{
    if (!v_is_int(a) || !v_is_int(b))
        return ERR_TYPE;
    if (b.u.i == 0)
        return ERR_ZERODIV;
    if (b.u.i == -1) {
        *out = v_int(0);
        return ERR_OK;
    }
    int64_t r = a.u.i % b.u.i;
    if (r != 0 && ((r < 0) != (b.u.i < 0)))
        r += b.u.i;
    *out = v_int(r);
    return ERR_OK;
}

Err py_neg(Value a, Value *out)
{
    if (!v_is_int(a))
        return ERR_TYPE;
    if (a.u.i == INT64_MIN)
        return ERR_OVERFLOW;
    *out = v_int(-a.u.i);
    return ERR_OK;
}

Err py_abs(Value a, Value *out)
{
    if (!v_is_int(a))
        return ERR_TYPE;
    if (a.u.i == INT64_MIN)
        return ERR_OVERFLOW;
    *out = v_int(a.u.i < 0 ? -a.u.i : a.u.i);
    return ERR_OK;
}

typedef enum { SET_UNION, SET_INTERSECTION, SET_DIFFERENCE } SetOp;

/* Both sorted in canonical order: a linear merge. Where equal items differ
 * (1 and True), Python keeps the left operand's for union and difference,
 * and for intersection the item of the set it iterates: the smaller one, the
 * right one when sizes tie. */
static Err set_algebra(Ctx *ctx, Value a, Value b, SetOp op, Value *out)
{
    size_t na = a.u.seq->n, nb = b.u.seq->n;
    size_t cap = op == SET_UNION ? na + nb : op == SET_DIFFERENCE ? na : (na < nb ? na : nb);
    Seq *s = seq_alloc(ctx, cap);
    if (!s)
        return ERR_MEMORY;
    const Value *x = a.u.seq->items, *y = b.u.seq->items;
    bool keep_right = op == SET_INTERSECTION && nb <= na;
    size_t i = 0, j = 0, n = 0;
    while (i < na && j < nb) {
        int c = v_cmp(x[i], y[j]);
        if (c == 0) {
            if (op != SET_DIFFERENCE)
                s->items[n++] = keep_right ? y[j] : x[i];
            i++, j++;
        } else if (c < 0) {
            if (op != SET_INTERSECTION) s->items[n++] = x[i];
            i++;
        } else {
            if (op == SET_UNION) s->items[n++] = y[j];
            j++;
        }
    }
    if (op != SET_INTERSECTION)
        while (i < na) s->items[n++] = x[i++];
    if (op == SET_UNION)
        while (j < nb) s->items[n++] = y[j++];
    return mk_set_sorted(ctx, n, s->items, out);
}

Err py_set_difference(Ctx *ctx, Value a, Value b, Value *out)
{
    return set_algebra(ctx, a, b, SET_DIFFERENCE, out);
}

Err py_and(Ctx *ctx, Value a, Value b, Value *out)
{
    if (a.tag == VT_SET && b.tag == VT_SET)
        return set_algebra(ctx, a, b, SET_INTERSECTION, out);
    if (v_is_int(a) && v_is_int(b)) {
        int64_t r = a.u.i & b.u.i;
        *out = (a.tag == VT_BOOL && b.tag == VT_BOOL) ? v_bool(r != 0) : v_int(r);
        return ERR_OK;
    }
    return ERR_TYPE;
}

Err py_or(Ctx *ctx, Value a, Value b, Value *out)
{
    if (a.tag == VT_SET && b.tag == VT_SET)
        return set_algebra(ctx, a, b, SET_UNION, out);
    if (v_is_int(a) && v_is_int(b)) {
        int64_t r = a.u.i | b.u.i;
        *out = (a.tag == VT_BOOL && b.tag == VT_BOOL) ? v_bool(r != 0) : v_int(r);
        return ERR_OK;
    }
    return ERR_TYPE;
}

/* ---- containment ---- */

int64_t set_find(Value set, Value x)
{
    const Seq *s = set.u.seq;
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = v_cmp(s->items[mid], x);
        if (c == 0)
            return (int64_t)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

Err py_contains(Value c, Value x, bool *out)
{
    if (c.tag == VT_SET) {
        *out = set_find(c, x) >= 0;
        return ERR_OK;
    }
    if (!v_is_tuple(c))
        return ERR_TYPE;
    size_t n = v_len(c);
    for (size_t k = 0; k < n; k++)
        if (v_eq(v_item(c, k), x)) {
            *out = true;
            return ERR_OK;
        }
    *out = false;
    return ERR_OK;
}

Err py_count(Value c, Value x, int64_t *out)
{
    if (!v_is_tuple(c))
        return ERR_ATTRIBUTE;
    size_t n = v_len(c);
    int64_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += v_eq(v_item(c, i), x);
    *out = k;
    return ERR_OK;
}

/* ---- min / max ---- */

Err py_max_of(const Value *items, size_t n, Value *out)
{
    if (n == 0)
        return ERR_VALUE;
    Value best = items[0];
    for (size_t k = 1; k < n; k++) {
        bool gt;
        TRY(py_gt(items[k], best, &gt));
        if (gt)
            best = items[k];
    }
    *out = best;
    return ERR_OK;
}

Err py_min_of(const Value *items, size_t n, Value *out)
{
    if (n == 0)
        return ERR_VALUE;
    Value best = items[0];
    for (size_t k = 1; k < n; k++) {
        bool lt;
        TRY(py_lt(items[k], best, &lt));
        if (lt)
            best = items[k];
    }
    *out = best;
    return ERR_OK;
}

/* ---- grids ---- */

Err mk_grid(Ctx *ctx, size_t h, size_t w, const int64_t *cells, Value *out)
{
    if (h == 0) {
        *out = v_empty_tuple();
        return ERR_OK;
    }
    if (w > LIMIT_SEQ_ITEMS || h > LIMIT_SEQ_ITEMS / (w ? w : 1))
        return ERR_MEMORY;
    Seq *g = seq_alloc(ctx, h);
    if (!g)
        return ERR_MEMORY;
    Value row[2];
    for (size_t i = 0; i < h; i++) {
        const int64_t *src = cells + i * w;
        if (w == 2) {
            row[0] = v_int(src[0]);
            row[1] = v_int(src[1]);
            TRY(mk_tuple(ctx, 2, row, &g->items[i]));
            continue;
        }
        if (w == 0) {
            g->items[i] = v_empty_tuple();
            continue;
        }
        Seq *r = seq_alloc(ctx, w);
        if (!r)
            return ERR_MEMORY;
        for (size_t j = 0; j < w; j++)
            r->items[j] = v_int(src[j]);
        g->items[i] = seq_finish_tuple(r);
    }
    *out = seq_finish_tuple(g);
    return ERR_OK;
}

int64_t *grid_cells(Ctx *ctx, Value g)
{
    size_t h = grid_h(g), w = grid_w(g);
    int64_t *c = ctx_alloc(ctx, h * w * sizeof *c);
    for (size_t i = 0; i < h; i++)
        for (size_t j = 0; j < w; j++)
            c[i * w + j] = grid_at(g, i, j);
    return c;
}
