/* arith.c: the scalar half of the "basic" family: arithmetic on ints and
 * (i, j) vectors, logic, comparisons and the small tuple builders.
 *
 * dsl.py writes the arithmetic as isinstance branches, e.g. for add:
 *     int, int      -> a + b
 *     tuple, tuple  -> (a[0] + b[0], a[1] + b[1])
 *     int, tuple    -> (a + b[0], a + b[1])
 *     anything else -> (a[0] + b, a[1] + b)
 * A bool is an int there, items of a tuple may be tuples themselves (so
 * `+` can concatenate and `*` repeat), a 1-tuple fails with IndexError on
 * a[1] only after a[0] + b[0] was computed, and a frozenset fails with
 * TypeError on a[0]. The packed VT_PAIR case (the common one) takes a fast
 * path on plain int64s; everything else goes through a generic path that
 * evaluates in Python's order over the pyops.h protocol. */
#include "ops.h"

#include "../runtime/pyops.h"

/* The operators the numerical primitives apply. */
typedef enum { A_ADD, A_SUB, A_MUL, A_DIV, A_NEG } ArithOp;

/* x op y on plain ints, with Python's floor division and our 64-bit bound. */
static Err int_arith(ArithOp op, int64_t x, int64_t y, int64_t *r)
{
    switch (op) {
    case A_ADD: return __builtin_add_overflow(x, y, r) ? ERR_OVERFLOW : ERR_OK;
    case A_SUB: return __builtin_sub_overflow(x, y, r) ? ERR_OVERFLOW : ERR_OK;
    case A_MUL: return __builtin_mul_overflow(x, y, r) ? ERR_OVERFLOW : ERR_OK;
    case A_NEG: return __builtin_sub_overflow((int64_t)0, x, r) ? ERR_OVERFLOW : ERR_OK;
    default:
        if (y == 0)
            return ERR_ZERODIV;
        if (x == INT64_MIN && y == -1)
            return ERR_OVERFLOW;
        *r = x / y;
        if (x % y != 0 && ((x < 0) != (y < 0)))
            (*r)--;
        return ERR_OK;
    }
}

/* x op y on any values, as Python's operator would (tuple + tuple
 * concatenates, tuple * int repeats, frozenset - frozenset is the set
 * difference, the rest TypeError). */
static Err value_arith(Ctx *ctx, ArithOp op, Value x, Value y, Value *out)
{
    switch (op) {
    case A_ADD: return py_add(ctx, x, y, out);
    case A_SUB:
        /* py_sub knows ints only; sets reach here as tuple items, e.g.
         * subtract((s, t), (u, v)) == (s - u, t - v) */
        if (x.tag == VT_SET && y.tag == VT_SET)
            return op_difference(ctx, (const Value[]){x, y}, out);
        return py_sub(x, y, out);
    case A_MUL: return py_mul(ctx, x, y, out);
    case A_NEG: return py_neg(x, out);
    default: return py_floordiv(x, y, out);
    }
}

/* (r0, r1) from two int results; packs when they fit. */
static Err int_pair(Ctx *ctx, ArithOp op, int64_t x0, int64_t y0, int64_t x1, int64_t y1, Value *out)
{
    int64_t r0, r1;
    TRY(int_arith(op, x0, y0, &r0));
    TRY(int_arith(op, x1, y1, &r1));
    return mk_pair(ctx, r0, r1, out);
}

/* One component x[k] op y (or x op y[k]), fetched and computed in order. */
static Err component(Ctx *ctx, ArithOp op, Value x, bool index_x, Value y, bool index_y, size_t k,
                     Value *out)
{
    Value xa = x, ya = y;
    if (index_x)
        TRY(py_getitem_i(x, (int64_t)k, &xa));
    if (index_y)
        TRY(py_getitem_i(y, (int64_t)k, &ya));
    return value_arith(ctx, op, xa, ya, out);
}

/* add, subtract, multiply, divide: dsl.py's four isinstance branches. */
static Err numerical(Ctx *ctx, ArithOp op, Value a, Value b, Value *out)
{
    bool ai = v_is_int(a), bi = v_is_int(b);
    if (ai && bi) {
        int64_t r;
        TRY(int_arith(op, a.u.i, b.u.i, &r));
        *out = v_int(r);
        return ERR_OK;
    }
    if (a.tag == VT_PAIR && b.tag == VT_PAIR)
        return int_pair(ctx, op, a.u.p.a, b.u.p.a, a.u.p.b, b.u.p.b, out);
    if (ai && b.tag == VT_PAIR)
        return int_pair(ctx, op, a.u.i, b.u.p.a, a.u.i, b.u.p.b, out);
    if (a.tag == VT_PAIR && bi)
        return int_pair(ctx, op, a.u.p.a, b.u.i, a.u.p.b, b.u.i, out);
    /* Generic: which operand is indexed follows the branch dsl.py takes;
     * the final branch indexes a whatever it is (TypeError for ints,
     * frozensets, None, functions). */
    bool ix, iy;
    if (v_is_tuple(a) && v_is_tuple(b))
        ix = true, iy = true;
    else if (ai && v_is_tuple(b))
        ix = false, iy = true;
    else
        ix = true, iy = false;
    Value r[2];
    TRY(component(ctx, op, a, ix, b, iy, 0, &r[0]));
    TRY(component(ctx, op, a, ix, b, iy, 1, &r[1]));
    return mk_tuple(ctx, 2, r, out);
}

Err op_add(Ctx *ctx, const Value *args, Value *out) { return numerical(ctx, A_ADD, args[0], args[1], out); }
Err op_subtract(Ctx *ctx, const Value *args, Value *out) { return numerical(ctx, A_SUB, args[0], args[1], out); }
Err op_multiply(Ctx *ctx, const Value *args, Value *out) { return numerical(ctx, A_MUL, args[0], args[1], out); }
Err op_divide(Ctx *ctx, const Value *args, Value *out) { return numerical(ctx, A_DIV, args[0], args[1], out); }

/* `n op k if isinstance(n, int) else (n[0] op k, n[1] op k)`: invert, double,
 * halve, increment, decrement. Anything that is not an int takes the tuple
 * branch, so a frozenset is a TypeError and a 3-tuple uses items 0 and 1. */
static Err unary(Ctx *ctx, ArithOp op, int64_t k, Value n, Value *out)
{
    if (v_is_int(n)) {
        int64_t r;
        TRY(int_arith(op, n.u.i, k, &r));
        *out = v_int(r);
        return ERR_OK;
    }
    if (n.tag == VT_PAIR)
        return int_pair(ctx, op, n.u.p.a, k, n.u.p.b, k, out);
    Value r[2];
    TRY(component(ctx, op, n, true, v_int(k), false, 0, &r[0]));
    TRY(component(ctx, op, n, true, v_int(k), false, 1, &r[1]));
    return mk_tuple(ctx, 2, r, out);
}

Err op_invert(Ctx *ctx, const Value *args, Value *out) { return unary(ctx, A_NEG, 0, args[0], out); }
Err op_double(Ctx *ctx, const Value *args, Value *out) { return unary(ctx, A_MUL, 2, args[0], out); }
Err op_halve(Ctx *ctx, const Value *args, Value *out) { return unary(ctx, A_DIV, 2, args[0], out); }
Err op_increment(Ctx *ctx, const Value *args, Value *out) { return unary(ctx, A_ADD, 1, args[0], out); }
Err op_decrement(Ctx *ctx, const Value *args, Value *out) { return unary(ctx, A_SUB, 1, args[0], out); }

/* ---- crement and sign: `0 if x == 0 else (.. if x > 0 else ..)` ---- */

/* One component; `away` selects crement (x +/- 1) over sign (+/- 1).
 * dsl.py tests x == 0, then x > 0: for anything but an int (ints and bools)
 * the first is False and the second a TypeError. */
static Err step_away(Value x, bool away, Value *out)
{
    if (!v_is_int(x))
        return ERR_TYPE;
    int64_t r = x.u.i;
    if (r != 0 && !away)
        r = r > 0 ? 1 : -1;
    else if (r != 0)
        TRY(int_arith(r > 0 ? A_ADD : A_SUB, x.u.i, 1, &r));
    *out = v_int(r);
    return ERR_OK;
}

static Err crement_sign(Ctx *ctx, Value x, bool away, Value *out)
{
    if (v_is_int(x))
        return step_away(x, away, out);
    Value r[2], xk;
    for (size_t k = 0; k < 2; k++) {
        TRY(py_getitem_i(x, (int64_t)k, &xk)); /* also the fast path for pairs */
        TRY(step_away(xk, away, &r[k]));
    }
    return mk_tuple(ctx, 2, r, out);
}

Err op_crement(Ctx *ctx, const Value *args, Value *out) { return crement_sign(ctx, args[0], true, out); }
Err op_sign(Ctx *ctx, const Value *args, Value *out) { return crement_sign(ctx, args[0], false, out); }

/* ---- predicates ---- */

/* n % 2 == 0: TypeError for anything but an int. */
Err op_even(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx;
    Value m;
    TRY(py_mod(args[0], v_int(2), &m));
    *out = v_bool(m.u.i == 0);
    return ERR_OK;
}

/* x > 0: only ints compare with 0. */
Err op_positive(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx;
    bool gt;
    TRY(py_gt(args[0], v_int(0), &gt));
    *out = v_bool(gt);
    return ERR_OK;
}

/* a > b: ints, tuples lexicographically, frozensets by proper superset. */
Err op_greater(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx;
    bool gt;
    TRY(py_gt(args[0], args[1], &gt));
    *out = v_bool(gt);
    return ERR_OK;
}

Err op_equality(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx;
    *out = v_bool(v_eq(args[0], args[1]));
    return ERR_OK;
}

/* ---- logic: operands are returned as they are (`a and b`, `a or b`) ---- */

Err op_identity(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx;
    *out = args[0];
    return ERR_OK;
}

Err op_flip(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx;
    *out = v_bool(!v_truthy(args[0]));
    return ERR_OK;
}

Err op_both(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx;
    *out = v_truthy(args[0]) ? args[1] : args[0];
    return ERR_OK;
}

Err op_either(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx;
    *out = v_truthy(args[0]) ? args[0] : args[1];
    return ERR_OK;
}

Err op_branch(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx;
    *out = v_truthy(args[0]) ? args[1] : args[2];
    return ERR_OK;
}

/* ---- tuple builders: any values, e.g. toivec(frozenset()) ---- */

static Err two(Ctx *ctx, Value a, Value b, Value *out) { return mk_tuple2(ctx, a, b, out); }

Err op_toivec(Ctx *ctx, const Value *args, Value *out) { return two(ctx, args[0], v_int(0), out); }
Err op_tojvec(Ctx *ctx, const Value *args, Value *out) { return two(ctx, v_int(0), args[0], out); }
Err op_astuple(Ctx *ctx, const Value *args, Value *out) { return two(ctx, args[0], args[1], out); }
