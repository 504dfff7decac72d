/* test_ops_higher.c: the higher-order primitives (ops/higher.c).
 *
 * Every expected value comes from the Python arc-dsl with the canonical set
 * order (tools/canonical.py). Closures are tested by calling them through
 * call_value, the path the interpreter takes. Callbacks come from the
 * arithmetic and container families (identity, even, increment, size,
 * first, ...). */
#include "support.h"

#include <stdio.h>

#include "../runtime/limits.h"

/* ---- helpers ---- */

/* Call a primitive by name with values (closures included). */
static Err callp(const char *prim, int argc, const Value *args, Value *out)
{
    const Prim *p = prim_lookup(prim);
    cr_assert_not_null(p, "no primitive %s", prim);
    return call_value(t_ctx(), prim_value(p), argc, args, out);
}

#define NARGS(...) ((int)(sizeof((Value[]){__VA_ARGS__}) / sizeof(Value)))
/* CALL(&out, "prim", values...) */
#define CALL(out, prim, ...) callp(prim, NARGS(__VA_ARGS__), (Value[]){__VA_ARGS__}, out)
/* APPLY(&out, f, values...): f(values...) through call_value */
#define APPLY(out, f, ...) call_value(t_ctx(), f, NARGS(__VA_ARGS__), (Value[]){__VA_ARGS__}, out)

/* The call succeeded with a value printing as `expected` (kinds included). */
static void is(Err e, Value got, const char *expected)
{
    cr_assert_eq(e, ERR_OK, "raised %s, expected %s", err_name(e), expected);
    cr_assert_str_eq(R(got), R(V(expected)));
}

static void fails(Err e, Err want, Value got)
{
    cr_assert_eq(e, want, "gave %s, expected %s", e ? err_name(e) : R(got), err_name(want));
}

/* Build a closure with a constructor primitive; it must succeed. */
static Value mk(const char *prim, int argc, const Value *args)
{
    Value out;
    Err e = callp(prim, argc, args, &out);
    cr_assert_eq(e, ERR_OK, "%s raised %s", prim, err_name(e));
    return out;
}
#define MK(prim, ...) mk(prim, NARGS(__VA_ARGS__), (Value[]){__VA_ARGS__})

static int arity_of(Value f)
{
    int n = -1;
    cr_assert_eq(func_argcount(f, &n), ERR_OK);
    return n;
}

/* ---- order ---- */

Test(higher, order)
{
    expect_same("(1, 2, 3)", "order", "frozenset({3, 1, 2})", "identity");
    expect_same("(3, 2, 1)", "order", "(3, 1, 2)", "invert");
    expect_same("((2, 0), (3, 1), (1, 2))", "order", "((3, 1), (1, 2), (2, 0))", "last");
    expect_same("((2, 0), (3, 1), (1, 2))", "order", "frozenset({(3, 1), (1, 2), (2, 0)})", "last");
    /* stable: equal keys keep iteration order, bools are ints */
    expect_same("(0, False, True, 1)", "order", "(True, 0, False, 1)", "identity");
    /* tuples of any length and cells: lexicographic, prefixes first */
    expect_same("((), (1, 2), (1, 2, 3))", "order", "((1, 2, 3), (1, 2), ())", "identity");
    expect_same("((1,), (1, 2))", "order", "((1, 2), (1,))", "identity");
    expect_same("((0, (0, 0)), (0, (0, 1)))", "order", "((0, (0, 1)), (0, (0, 0)))", "identity");
    expect_same("((0, (1, 1)), (1, 2))", "order", "((1, 2), (0, (1, 1)))", "identity");
}

Test(higher, order_empty_and_mismatched)
{
    expect_same("()", "order", "()", "5");      /* the key is never called */
    expect_same("()", "order", "frozenset()", "identity");
    expect_same("(identity,)", "order", "(identity,)", "identity"); /* one item: no comparison */
    expect_err(ERR_TYPE, "order", "5", "identity");
    expect_err(ERR_TYPE, "order", "(1, 2)", "5");
    expect_err(ERR_TYPE, "order", "((1, 2), 1)", "identity");
    expect_err(ERR_TYPE, "order", "(2, 1, (1, 2))", "identity");
    expect_err(ERR_TYPE, "order", "(3, 2, 1, frozenset())", "identity");
    expect_err(ERR_TYPE, "order", "(identity, identity)", "identity"); /* functions have no < */
    expect_err(ERR_TYPE, "order", "(identity, flip)", "identity");
    expect_err(ERR_TYPE, "order", "frozenset({(0, (0, 0)), (1, (0, 1))})", "invert");
    /* sorted() calls the key itself: StopIteration is not turned into RuntimeError */
    expect_err(ERR_STOPITER, "order", "((1,), ())", "first");
}

/* sorted, max and min take key=None as no key: the items compare
 * themselves and nothing is called (a batt's first call passes C = None
 * wherever C stands); valmax and valmin then call None: TypeError.
 * Expected values: dsl.py run on the same arguments. */
Test(higher, key_none_is_no_key)
{
    expect_same("(1, 2, 3)", "order", "(3, 1, 2)", "None");
    expect_same("(2, 5)", "order", "frozenset({5, 2})", "None");
    expect_same("3", "argmax", "(1, 3, 2)", "None");
    expect_same("1", "argmin", "(1, 3, 2)", "None");
    expect_same("(1, 0)", "argmax", "frozenset({(0, 1), (1, 0)})", "None");
    expect_same("frozenset({1, 2})", "argmax", "(frozenset({1}), frozenset({1, 2}), frozenset({3}))", "None");
    expect_err(ERR_VALUE, "argmax", "()", "None");
    expect_err(ERR_TYPE, "argmax", "(1, (2,))", "None");
    expect_err(ERR_TYPE, "order", "(1, (2,))", "None");
    expect_err(ERR_TYPE, "valmax", "(1, 2)", "None");
    expect_err(ERR_TYPE, "valmin", "()", "None");
}

/* frozenset keys compare by subset: CPython's count_run + binary insertion
 * decide where incomparable keys land. */
Test(higher, order_partial_order_keys)
{
    expect_same("(frozenset({1}), frozenset({2}), frozenset({1, 2}))", "order",
                "(frozenset({1}), frozenset({2}), frozenset({1, 2}))", "identity");
    expect_same("(frozenset({2}), frozenset({1}), frozenset({1, 2}))", "order",
                "(frozenset({1, 2}), frozenset({2}), frozenset({1}))", "identity");
    expect_same("(frozenset({2}), frozenset({1}))", "order", "(frozenset({2}), frozenset({1}))",
                "identity");
    expect_same("(frozenset({1}), frozenset({2}), frozenset({1, 2}), frozenset({3}))", "order",
                "(frozenset({1}), frozenset({2}), frozenset({1, 2}), frozenset({3}))", "identity");
}

/* Random tuples (2 to 63 items) of small frozensets, and a few mixed-kind
 * ones, sorted by identity in Python. */
static const char *const order_cases[][2] = {
    {"(3, frozenset({1}), 0, (3,), 0, frozenset({1}), frozenset({1}), 0, frozenset({1}), (2,), frozenset({1}), 2, 1, frozenset({1}), frozenset({1}), (2,), (2,), frozenset({1}), frozenset({1}), (3,))",
     "TypeError"},
    {"(frozenset(), frozenset(), frozenset({1, 2, 3}), frozenset({1, 3, 4}), frozenset(), frozenset({3, 5}), frozenset({1, 4, 5}), frozenset(), frozenset({1, 4}), frozenset(), frozenset({4, 5}), frozenset({3, 4}), frozenset(), frozenset({2, 3, 5}), frozenset(), frozenset({1, 2, 4}), frozenset({2}), frozenset({1, 4, 5}), frozenset({4}), frozenset({1, 3, 5}), frozenset({3, 4, 5}), frozenset({1, 3, 4}), frozenset({1}), frozenset({2}), frozenset({2}), frozenset(), frozenset({2, 4, 5}), frozenset({1, 2}), frozenset({3, 4, 5}), frozenset({1, 2}), frozenset({2, 4, 5}), frozenset({1, 2, 4}), frozenset({1, 2, 5}), frozenset({4}), frozenset({1}), frozenset({1, 5}), frozenset(), frozenset(), frozenset({5}), frozenset(), frozenset({1, 5}), frozenset(), frozenset({5}), frozenset({2, 3, 5}), frozenset({1, 4}), frozenset(), frozenset({2, 4, 5}), frozenset({1, 2}), frozenset(), frozenset({3, 4}), frozenset({5}), frozenset(), frozenset({5}), frozenset({1, 2}), frozenset({1, 3}), frozenset({2, 3}), frozenset({5}), frozenset({2, 5}), frozenset({4}), frozenset({2}), frozenset({1, 3, 4}), frozenset({3, 4}), frozenset({5}))",
     "(frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset({1, 2, 3}), frozenset({1, 3, 4}), frozenset({5}), frozenset({3, 5}), frozenset({1, 4}), frozenset({4, 5}), frozenset({1, 4, 5}), frozenset({3, 4}), frozenset({2}), frozenset({2}), frozenset({2, 3, 5}), frozenset({4}), frozenset({1}), frozenset({1}), frozenset({2}), frozenset({1, 2}), frozenset({4}), frozenset({1, 2, 4}), frozenset({5}), frozenset({5}), frozenset({1, 4, 5}), frozenset({1, 3, 5}), frozenset({4}), frozenset({3, 4, 5}), frozenset({1, 3, 4}), frozenset({2}), frozenset({5}), frozenset({2, 5}), frozenset({2, 4, 5}), frozenset({3, 4, 5}), frozenset({1, 2}), frozenset({2, 4, 5}), frozenset({1, 4}), frozenset({1, 2}), frozenset({1, 2, 4}), frozenset({5}), frozenset({5}), frozenset({1, 5}), frozenset({1, 5}), frozenset({1, 2, 5}), frozenset({2, 3, 5}), frozenset({2, 4, 5}), frozenset({3, 4}), frozenset({1, 2}), frozenset({1, 3}), frozenset({2, 3}), frozenset({3, 4}), frozenset({1, 3, 4}))"},
    {"(frozenset({1, 3}), frozenset({1}), frozenset({4}), frozenset({3}), frozenset({4}), frozenset(), frozenset({1, 3, 5}), frozenset(), frozenset({1, 2, 4}), frozenset({1, 3, 5}), frozenset({3, 4, 5}), frozenset(), frozenset({2}), frozenset({1}), frozenset({5}), frozenset({2, 3, 4}), frozenset({2, 5}), frozenset(), frozenset(), frozenset())",
     "(frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset({1}), frozenset({3}), frozenset({1, 3}), frozenset({4}), frozenset({4}), frozenset({1}), frozenset({1, 3, 5}), frozenset({2}), frozenset({1, 2, 4}), frozenset({5}), frozenset({1, 3, 5}), frozenset({3, 4, 5}), frozenset({2, 3, 4}), frozenset({2, 5}))"},
    {"(frozenset({2}), frozenset(), frozenset({2, 3}), frozenset({5}), frozenset({3, 4}))",
     "(frozenset(), frozenset({2}), frozenset({2, 3}), frozenset({5}), frozenset({3, 4}))"},
    {"(frozenset({4, 5}), frozenset({5}), frozenset({5}), frozenset(), frozenset({1, 2, 4}))",
     "(frozenset(), frozenset({5}), frozenset({5}), frozenset({4, 5}), frozenset({1, 2, 4}))"},
    {"(frozenset(), frozenset(), frozenset({4, 5}), frozenset(), frozenset())",
     "(frozenset(), frozenset(), frozenset(), frozenset(), frozenset({4, 5}))"},
    {"(frozenset(), frozenset(), frozenset({1, 4, 5}), frozenset({2, 3, 5}), frozenset({4, 5}), frozenset({5}), frozenset({2, 5}), frozenset({1, 2, 4}))",
     "(frozenset(), frozenset(), frozenset({5}), frozenset({1, 4, 5}), frozenset({2, 3, 5}), frozenset({4, 5}), frozenset({2, 5}), frozenset({1, 2, 4}))"},
    {"(frozenset(), frozenset({4}), frozenset(), frozenset({3}), frozenset(), frozenset({3}), frozenset({3}), frozenset({4}), frozenset({1}), frozenset({2, 3, 4}), frozenset({2}), frozenset({2, 4, 5}), frozenset({2, 3, 5}), frozenset(), frozenset({1, 3}), frozenset({1, 2, 4}), frozenset({3, 5}), frozenset(), frozenset(), frozenset({1}), frozenset(), frozenset({1, 3}), frozenset({3}), frozenset({4}), frozenset({2, 4}), frozenset({1, 2, 3}), frozenset(), frozenset({4}), frozenset(), frozenset({1, 5}), frozenset({1, 2}), frozenset(), frozenset({1, 4}), frozenset(), frozenset({4, 5}), frozenset({2, 5}), frozenset(), frozenset({1}), frozenset({3}), frozenset())",
     "(frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset({4}), frozenset({3}), frozenset({3}), frozenset({3}), frozenset({4}), frozenset({1}), frozenset({2}), frozenset({3}), frozenset({2, 3, 4}), frozenset({2, 4, 5}), frozenset({2, 3, 5}), frozenset({1}), frozenset({1}), frozenset({1, 3}), frozenset({4}), frozenset({1, 2, 4}), frozenset({3}), frozenset({3, 5}), frozenset({1, 3}), frozenset({4}), frozenset({2, 4}), frozenset({1, 2, 3}), frozenset({1, 5}), frozenset({1, 2}), frozenset({1, 4}), frozenset({4, 5}), frozenset({2, 5}))"},
    {"(frozenset({2, 3}), frozenset({2, 4}), frozenset({1, 3}), frozenset({1, 5}), frozenset())",
     "(frozenset(), frozenset({2, 3}), frozenset({2, 4}), frozenset({1, 3}), frozenset({1, 5}))"},
    {"(frozenset({4}), frozenset(), frozenset({3, 4, 5}), frozenset({2, 5}), frozenset({2, 5}), frozenset({1, 3, 4}), frozenset(), frozenset())",
     "(frozenset(), frozenset(), frozenset(), frozenset({4}), frozenset({3, 4, 5}), frozenset({2, 5}), frozenset({2, 5}), frozenset({1, 3, 4}))"},
    {"(frozenset(), frozenset(), frozenset({3, 4, 5}), frozenset({3}), frozenset(), frozenset({2, 4, 5}), frozenset({1, 2, 3}), frozenset({3, 5}), frozenset({1}), frozenset({2, 3}), frozenset({1}), frozenset({1, 4}), frozenset({1, 2, 3}))",
     "(frozenset(), frozenset(), frozenset(), frozenset({3}), frozenset({3, 4, 5}), frozenset({2, 4, 5}), frozenset({1}), frozenset({2, 3}), frozenset({1}), frozenset({1, 2, 3}), frozenset({3, 5}), frozenset({1, 4}), frozenset({1, 2, 3}))"},
    {"(frozenset(), frozenset({4}))",
     "(frozenset(), frozenset({4}))"},
    {"(frozenset({2, 3}), frozenset())",
     "(frozenset(), frozenset({2, 3}))"},
    {"(frozenset({1, 3, 4}), frozenset({2, 5}), frozenset(), frozenset({2, 3, 5}), frozenset())",
     "(frozenset(), frozenset(), frozenset({1, 3, 4}), frozenset({2, 5}), frozenset({2, 3, 5}))"},
    {"(frozenset(), frozenset({3}), frozenset(), frozenset({1, 3, 4}), frozenset(), frozenset({4}), frozenset({1, 4}), frozenset())",
     "(frozenset(), frozenset(), frozenset(), frozenset(), frozenset({3}), frozenset({4}), frozenset({1, 4}), frozenset({1, 3, 4}))"},
    {"(frozenset(), frozenset({1, 2, 3}), frozenset({2}))",
     "(frozenset(), frozenset({2}), frozenset({1, 2, 3}))"},
    {"((3,), frozenset({1}), frozenset({1}), frozenset({1}), (2,), 2, (0,), frozenset({1}))",
     "TypeError"},
    {"(frozenset({3, 5}), frozenset({1, 4, 5}), frozenset({3}), frozenset(), frozenset({1, 2, 3}), frozenset(), frozenset({1, 3, 4}), frozenset({1}))",
     "(frozenset(), frozenset(), frozenset({3, 5}), frozenset({1}), frozenset({1, 4, 5}), frozenset({3}), frozenset({1, 2, 3}), frozenset({1, 3, 4}))"},
    {"(frozenset({2, 3}), frozenset({1, 3}), frozenset({4}))",
     "(frozenset({2, 3}), frozenset({1, 3}), frozenset({4}))"},
    {"(frozenset({1}), frozenset({2, 4, 5}), frozenset({4}), frozenset({3, 4}), frozenset(), frozenset({1, 3}), frozenset({1, 4}), frozenset({1}), frozenset({3, 5}), frozenset(), frozenset({1, 2, 4}), frozenset({1, 2, 3}), frozenset(), frozenset(), frozenset({2, 5}), frozenset({3, 4}), frozenset({3}), frozenset({1, 3, 4}), frozenset({1}), frozenset(), frozenset({2, 3, 4}), frozenset({1, 4}), frozenset({2}), frozenset({2, 3, 4}), frozenset({3, 5}), frozenset({2, 3, 5}), frozenset({1, 2, 3}), frozenset({1}), frozenset({5}), frozenset({2, 4, 5}), frozenset({4, 5}), frozenset({5}), frozenset({2}), frozenset(), frozenset({3}), frozenset(), frozenset({2, 3}), frozenset({2, 5}), frozenset(), frozenset({3, 4, 5}), frozenset({4}), frozenset({1, 3}), frozenset({1, 3, 5}), frozenset({1}), frozenset({2, 4}), frozenset({2, 4, 5}), frozenset(), frozenset({1}), frozenset({1, 4, 5}), frozenset(), frozenset({2, 4, 5}), frozenset({1}), frozenset({2}), frozenset({5}), frozenset(), frozenset({1, 4, 5}), frozenset({2}), frozenset(), frozenset({2, 3}), frozenset({1, 4, 5}), frozenset({2, 5}), frozenset({2, 3, 5}), frozenset())",
     "(frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset({1}), frozenset({4}), frozenset({2, 4, 5}), frozenset({3, 4}), frozenset({1}), frozenset({1}), frozenset({1, 3}), frozenset({1, 4}), frozenset({3, 5}), frozenset({2}), frozenset({2}), frozenset({1, 2, 4}), frozenset({3}), frozenset({1}), frozenset({1}), frozenset({1}), frozenset({1, 3}), frozenset({2}), frozenset({1, 2, 3}), frozenset({2, 5}), frozenset({3}), frozenset({4}), frozenset({3, 4}), frozenset({1}), frozenset({1, 4}), frozenset({1, 3, 4}), frozenset({2}), frozenset({2, 3}), frozenset({2, 4}), frozenset({2, 3, 4}), frozenset({2, 3, 4}), frozenset({5}), frozenset({5}), frozenset({5}), frozenset({3, 5}), frozenset({2, 5}), frozenset({2, 3, 5}), frozenset({1, 2, 3}), frozenset({4, 5}), frozenset({2, 4, 5}), frozenset({3, 4, 5}), frozenset({1, 3, 5}), frozenset({2, 4, 5}), frozenset({1, 4, 5}), frozenset({2, 4, 5}), frozenset({1, 4, 5}), frozenset({2, 3}), frozenset({1, 4, 5}), frozenset({2, 5}), frozenset({2, 3, 5}))"},
    {"(frozenset({3, 4, 5}), frozenset({4}))",
     "(frozenset({4}), frozenset({3, 4, 5}))"},
    {"(frozenset(), frozenset({1, 3, 4}), frozenset({4}), frozenset({1, 3, 5}), frozenset({2, 3, 4}), frozenset(), frozenset({3, 4}), frozenset({1, 2, 5}))",
     "(frozenset(), frozenset(), frozenset({4}), frozenset({3, 4}), frozenset({1, 3, 4}), frozenset({1, 3, 5}), frozenset({2, 3, 4}), frozenset({1, 2, 5}))"},
    {"(frozenset({3}), frozenset({2}), frozenset({2, 3, 5}))",
     "(frozenset({3}), frozenset({2}), frozenset({2, 3, 5}))"},
    {"(3, frozenset({1}), (1,))",
     "TypeError"},
};

Test(higher, order_matches_cpython_sort)
{
    for (size_t k = 0; k < sizeof order_cases / sizeof order_cases[0]; k++) {
        Value out;
        Err e = CALL(&out, "order", V(order_cases[k][0]), V("identity"));
        if (order_cases[k][1][0] == 'T') {
            cr_assert_eq(e, ERR_TYPE, "case %zu gave %s", k, e ? err_name(e) : R(out));
            continue;
        }
        cr_assert_eq(e, ERR_OK, "case %zu raised %s", k, err_name(e));
        cr_assert_str_eq(R(out), R(V(order_cases[k][1])), "case %zu", k);
    }
}

/* 64 or more items: sorted() is stable (checked as a property). */
Test(higher, order_long_is_stable)
{
    Ctx *ctx = t_ctx();
    Value items[200], out;
    for (int i = 0; i < 200; i++)
        cr_assert_eq(mk_pair(ctx, (i * 7) % 5, i, &items[i]), ERR_OK);
    Value tup;
    cr_assert_eq(mk_tuple(ctx, 200, items, &tup), ERR_OK);
    cr_assert_eq(CALL(&out, "order", tup, V("first")), ERR_OK);
    for (int i = 1; i < 200; i++) {
        Value a = v_item(out, i - 1), b = v_item(out, i);
        cr_assert(a.u.p.a < b.u.p.a || (a.u.p.a == b.u.p.a && a.u.p.b < b.u.p.b), "at %d", i);
    }
    /* frozenset keys forming a chain go through Python's `<` */
    Value sets[100];
    for (int i = 0; i < 100; i++) {
        Value mem[5];
        for (int j = 0; j < (i * 3) % 5; j++)
            mem[j] = v_int(j);
        cr_assert_eq(mk_set(ctx, (size_t)((i * 3) % 5), mem, &sets[i]), ERR_OK);
    }
    cr_assert_eq(mk_tuple(ctx, 100, sets, &tup), ERR_OK);
    cr_assert_eq(CALL(&out, "order", tup, V("identity")), ERR_OK);
    for (int i = 1; i < 100; i++)
        cr_assert_leq(v_len(v_item(out, i - 1)), v_len(v_item(out, i)));
    /* and a mismatch anywhere is still a TypeError */
    items[150] = V("(1, 2, 3)");
    cr_assert_eq(mk_tuple(ctx, 200, items, &tup), ERR_OK);
    cr_assert_eq(CALL(&out, "order", tup, V("identity")), ERR_OK);
    items[150] = V("frozenset()");
    cr_assert_eq(mk_tuple(ctx, 200, items, &tup), ERR_OK);
    cr_assert_eq(CALL(&out, "order", tup, V("identity")), ERR_TYPE);
}

/* ---- valmax, valmin ---- */

Test(higher, valmax)
{
    expect_same("-1", "valmax", "frozenset({1, 2, 3})", "invert");
    expect_same("2", "valmax", "((1, 2), (3,))", "size");
    expect_same("frozenset({1})", "valmax", "(frozenset({1}), frozenset({2}))", "identity");
    /* empty: compfunc(0) */
    expect_same("0", "valmax", "()", "invert");
    expect_err(ERR_TYPE, "valmax", "()", "size");
    expect_err(ERR_TYPE, "valmax", "()", "5");
    expect_err(ERR_TYPE, "valmax", "5", "identity");
    expect_err(ERR_TYPE, "valmax", "(1,)", "5");
    expect_err(ERR_TYPE, "valmax", "(1, (1,))", "identity");
    expect_err(ERR_STOPITER, "valmax", "((1,), ())", "first");
}

Test(higher, valmin)
{
    expect_same("1", "valmin", "((1, 2), (3,))", "size");
    expect_same("-3", "valmin", "(1, 3, 2)", "invert");
    expect_same("0", "valmin", "frozenset()", "identity");
    expect_err(ERR_TYPE, "valmin", "frozenset()", "size");
    expect_err(ERR_TYPE, "valmin", "None", "identity");
    expect_err(ERR_TYPE, "valmin", "((1,), 1)", "identity");
}

/* ---- argmax, argmin ---- */

Test(higher, argmax)
{
    expect_same("(1, 2)", "argmax", "((1, 2), (3,), (4, 5))", "size"); /* first of the ties */
    expect_same("True", "argmax", "(True, 1)", "identity");
    expect_same("frozenset({1, 2})", "argmax",
                "(frozenset({1}), frozenset({2}), frozenset({1, 2}))", "identity");
    /* subset order: {1, 3} is not > {2}, so the first stays */
    expect_same("frozenset({2})", "argmax",
                "(frozenset({2}), frozenset({1}), frozenset({1, 3}))", "identity");
    expect_err(ERR_VALUE, "argmax", "()", "size");
    expect_err(ERR_TYPE, "argmax", "5", "size");
    expect_err(ERR_TYPE, "argmax", "(1, (2,))", "identity");
    expect_err(ERR_TYPE, "argmax", "(1,)", "5");
    expect_err(ERR_TYPE, "argmax", "(1, 2)", "5");
}

Test(higher, argmin)
{
    expect_same("(3,)", "argmin", "((1, 2), (3,), (4, 5))", "size");
    expect_same("frozenset({1})", "argmin",
                "(frozenset({1}), frozenset({2}), frozenset({1, 2}))", "identity");
    expect_same("(0, 1)", "argmin", "frozenset({(0, 1), (2, 0), (1, 1)})", "first");
    expect_err(ERR_VALUE, "argmin", "frozenset()", "size");
    expect_err(ERR_TYPE, "argmin", "None", "size");
    expect_err(ERR_STOPITER, "argmin", "((), (1,))", "first"); /* min() calls the key itself */
    expect_err(ERR_TYPE, "argmin", "((1, 2), 1)", "identity");
}

/* ---- sfilter, mfilter, extract ---- */

Test(higher, sfilter)
{
    expect_same("(2, 4)", "sfilter", "(1, 2, 3, 4)", "even");
    expect_same("frozenset({2, 4})", "sfilter", "frozenset({1, 2, 3, 4})", "even");
    expect_same("(2,)", "sfilter", "(0, 2, 0)", "identity");
    expect_same("(1, 2, 3)", "sfilter", "(1, 2, 3)", "identity");
    expect_same("frozenset({(0, 0), (0, 1), (1, 1)})", "sfilter", "frozenset({(0, 0), (1, 1), (0, 1)})",
                "identity");
    expect_same("((1, (1, 1)),)", "sfilter", "((0, (0, 0)), (1, (1, 1)))", "first");
    expect_same("((2, (0, 0)), (1, (1, 1)))", "sfilter", "((2, (0, 0)), (1, (1, 1)))", "last");
    expect_same("()", "sfilter", "()", "5");
    expect_same("frozenset()", "sfilter", "frozenset()", "even");
    expect_err(ERR_TYPE, "sfilter", "5", "even");
    expect_err(ERR_TYPE, "sfilter", "(1, 2)", "5");
    expect_err(ERR_TYPE, "sfilter", "(1, 2)", "size");
    expect_err(ERR_TYPE, "sfilter", "frozenset({(0, 0), (1, 1)})", "positive");
    expect_err(ERR_RUNTIME, "sfilter", "((), (1,))", "first"); /* PEP 479 */
}

Test(higher, sfilter_with_matcher)
{
    Value m = MK("matcher", V("even"), V("False")), out;
    is(CALL(&out, "sfilter", V("(1, 2, 3, 4)"), m), out, "(1, 3)");
    m = MK("matcher", V("first"), V("0"));
    is(CALL(&out, "sfilter", V("frozenset({(0, 0), (1, 2)})"), m), out, "frozenset({(0, 0)})");
}

Test(higher, mfilter)
{
    expect_same("frozenset({1, 2, 3})", "mfilter", "frozenset({frozenset({1, 2}), frozenset({3}), frozenset()})",
                "size");
    expect_same("(1, 2, 3, 1)", "mfilter", "((1, 2), (3,), (), (1,))", "size");
    /* a tuple of sets merges into a tuple, each set in canonical order */
    expect_same("(1, 3, 2)", "mfilter", "(frozenset({3, 1}), frozenset({2}))", "size");
    expect_same("(1, 2)", "mfilter", "(0, (1, 2))", "identity");
    expect_same("frozenset({(0, (0, 0)), (1, (0, 0)), (2, (1, 1))})", "mfilter",
                "frozenset({frozenset({(0, (0, 0))}), frozenset({(1, (0, 0)), (2, (1, 1))})})", "size");
    expect_same("()", "mfilter", "()", "size");
    expect_same("frozenset()", "mfilter", "frozenset()", "5");
    expect_err(ERR_TYPE, "mfilter", "5", "size");
    expect_err(ERR_TYPE, "mfilter", "(1, 2)", "identity"); /* merge iterates the ints */
    expect_err(ERR_RUNTIME, "mfilter", "((), (1,))", "first");
}

Test(higher, extract)
{
    expect_same("2", "extract", "(1, 2, 3, 4)", "even");
    expect_same("4", "extract", "frozenset({3, 4, 5, 6})", "even");
    expect_same("(1,)", "extract", "((1,), ())", "first"); /* stops before () */
    expect_err(ERR_STOPITER, "extract", "(1, 3)", "even");
    expect_err(ERR_STOPITER, "extract", "()", "5");
    expect_err(ERR_TYPE, "extract", "5", "even");
    expect_err(ERR_TYPE, "extract", "(1,)", "5");
    expect_err(ERR_TYPE, "extract", "frozenset({(1, 2), (0, 0)})", "positive");
    expect_err(ERR_RUNTIME, "extract", "((), (1,))", "first");
}

/* ---- closure constructors ---- */

Test(higher, compose)
{
    Value f = MK("compose", V("increment"), V("double")), out;
    cr_assert_str_eq(func_name(f.u.fn), "<lambda>");
    cr_assert_eq(arity_of(f), 1);
    is(APPLY(&out, f, V("3")), out, "7");
    Value g = MK("compose", V("double"), V("increment"));
    is(APPLY(&out, g, V("3")), out, "8");
    is(APPLY(&out, MK("compose", f, g), V("1")), out, "9"); /* compose of closures */
    /* parts are not checked until called */
    Value bad = MK("compose", V("5"), V("6"));
    fails(APPLY(&out, bad, V("1")), ERR_TYPE, out);
    fails(APPLY(&out, MK("compose", V("increment"), V("6")), V("1")), ERR_TYPE, out);
    fails(APPLY(&out, MK("compose", V("5"), V("increment")), V("1")), ERR_TYPE, out);
    fails(APPLY(&out, f, V("1"), V("2")), ERR_TYPE, out); /* one argument only */
}

Test(higher, chain)
{
    Value f = MK("chain", V("increment"), V("double"), V("invert")), out;
    cr_assert_str_eq(func_name(f.u.fn), "<lambda>");
    cr_assert_eq(arity_of(f), 1);
    is(APPLY(&out, f, V("3")), out, "-5");
}

Test(higher, chain_errors)
{
    Value out;
    fails(APPLY(&out, MK("chain", V("1"), V("2"), V("3")), V("1")), ERR_TYPE, out);
    /* a closure is a lambda, not a generator: StopIteration stays */
    fails(APPLY(&out, MK("chain", V("increment"), V("double"), V("first")), V("()")), ERR_STOPITER, out);
}

Test(higher, fork)
{
    Value out;
    Value f = MK("fork", V("add"), V("increment"), V("double"));
    cr_assert_str_eq(func_name(f.u.fn), "<lambda>");
    is(APPLY(&out, f, V("3")), out, "10");
    is(APPLY(&out, MK("fork", V("astuple"), V("identity"), V("invert")), V("(1, 2)")), out,
       "((1, 2), (-1, -2))");
    is(APPLY(&out, MK("fork", V("add"), V("first"), V("first")), V("(1,)")), out, "2");
    /* the outer function must take two arguments */
    fails(APPLY(&out, MK("fork", V("increment"), V("identity"), V("identity")), V("1")), ERR_TYPE, out);
}

Test(higher, matcher)
{
    Value out;
    Value m = MK("matcher", V("even"), V("True"));
    cr_assert_str_eq(func_name(m.u.fn), "<lambda>");
    is(APPLY(&out, m, V("2")), out, "True");
    is(APPLY(&out, m, V("3")), out, "False");
    is(APPLY(&out, MK("matcher", V("even"), V("1")), V("2")), out, "True"); /* True == 1 */
    is(APPLY(&out, MK("matcher", V("identity"), V("(1, 2)")), V("(1, 2)")), out, "True");
    fails(APPLY(&out, MK("matcher", V("5"), V("1")), V("1")), ERR_TYPE, out);
}

Test(higher, rbind_lbind_two_arguments)
{
    Value out;
    Value r = MK("rbind", V("add"), V("1"));
    cr_assert_str_eq(func_name(r.u.fn), "<lambda>");
    cr_assert_eq(arity_of(r), 1);
    is(APPLY(&out, r, V("5")), out, "6");
    is(APPLY(&out, MK("rbind", V("add"), V("(1, 2)")), V("5")), out, "(6, 7)");
    is(APPLY(&out, MK("rbind", V("astuple"), V("1")), V("5")), out, "(5, 1)");
    is(APPLY(&out, MK("lbind", V("astuple"), V("1")), V("5")), out, "(1, 5)");
    is(APPLY(&out, MK("lbind", V("add"), V("1")), V("(1, 2)")), out, "(2, 3)");
    fails(APPLY(&out, r, V("1"), V("2")), ERR_TYPE, out);
}

Test(higher, rbind_lbind_three_arguments)
{
    Value out;
    Value r = MK("rbind", V("papply"), V("(1, 2)"));
    cr_assert_eq(arity_of(r), 2);
    is(APPLY(&out, r, V("add"), V("(10, 20)")), out, "(11, 22)");
    Value l = MK("lbind", V("papply"), V("add"));
    cr_assert_eq(arity_of(l), 2);
    is(APPLY(&out, l, V("(1, 2)"), V("(10, 20)")), out, "(11, 22)");
    is(APPLY(&out, MK("lbind", V("branch"), V("True")), V("1"), V("2")), out, "1");
    is(APPLY(&out, MK("rbind", V("branch"), V("2")), V("False"), V("1")), out, "2");
    /* binding a 2-argument closure again gives a 1-argument one */
    Value rr = MK("rbind", r, V("2"));
    cr_assert_eq(arity_of(rr), 1);
    fails(APPLY(&out, rr, V("add")), ERR_TYPE, out); /* papply(add, 2, (1, 2)): zip(2, ...) */
}

Test(higher, rbind_lbind_other_arities)
{
    Value out;
    /* 4 arguments (objects) and 1 argument (identity, closures) take Python's
     * `else`: a 3-argument lambda */
    cr_assert_eq(arity_of(MK("rbind", V("objects"), V("True"))), 3);
    cr_assert_eq(arity_of(MK("lbind", V("objects"), V("1"))), 3);
    Value r = MK("rbind", V("identity"), V("1"));
    cr_assert_eq(arity_of(r), 3);
    fails(APPLY(&out, r, V("1"), V("2"), V("3")), ERR_TYPE, out); /* identity(1, 2, 3, 1) */
    fails(APPLY(&out, r, V("1")), ERR_TYPE, out);
    Value c = MK("compose", V("increment"), V("double"));
    cr_assert_eq(arity_of(MK("rbind", c, V("1"))), 3);
    cr_assert_eq(arity_of(MK("rbind", MK("rbind", V("add"), V("1")), V("2"))), 3);
    cr_assert_str_eq(func_name(MK("lbind", V("objects"), V("1")).u.fn), "<lambda>");
    /* no __code__ on a non-function */
    fails(CALL(&out, "rbind", V("5"), V("1")), ERR_ATTRIBUTE, out);
    fails(CALL(&out, "lbind", V("(1, 2)"), V("1")), ERR_ATTRIBUTE, out);
}

Test(higher, power)
{
    Value out;
    Value p = MK("power", V("increment"), V("3"));
    cr_assert_str_eq(func_name(p.u.fn), "<lambda>");
    cr_assert_eq(arity_of(p), 1);
    is(APPLY(&out, p, V("0")), out, "3");
    is(APPLY(&out, MK("power", V("first"), V("2")), V("(((1,),),)")), out, "(1,)");
    is(APPLY(&out, MK("power", V("increment"), V("990")), V("0")), out, "990");
    /* n == 1 returns the function itself, True included, callable or not */
    is(CALL(&out, "power", V("increment"), V("1")), out, "increment");
    is(CALL(&out, "power", V("increment"), V("True")), out, "increment");
    is(CALL(&out, "power", V("5"), V("1")), out, "5");
    Value p5 = MK("power", V("5"), V("2"));
    fails(APPLY(&out, p5, V("1")), ERR_TYPE, out);
}

Test(higher, power_errors)
{
    Value out;
    fails(CALL(&out, "power", V("increment"), V("0")), ERR_RECURSION, out);
    fails(CALL(&out, "power", V("increment"), V("-1")), ERR_RECURSION, out);
    fails(CALL(&out, "power", V("increment"), V("False")), ERR_RECURSION, out);
    fails(CALL(&out, "power", V("increment"), V("5000")), ERR_RECURSION, out);
    fails(CALL(&out, "power", V("increment"), V("(1,)")), ERR_TYPE, out);
    fails(CALL(&out, "power", V("increment"), V("None")), ERR_TYPE, out);
    fails(CALL(&out, "power", V("increment"), V("frozenset({1})")), ERR_TYPE, out);
    fails(CALL(&out, "power", V("increment"), V("identity")), ERR_TYPE, out);
}

/* ---- apply, rapply, mapply ---- */

Test(higher, apply)
{
    expect_same("(2, 3, 4)", "apply", "increment", "(1, 2, 3)");
    expect_same("frozenset({2, 3, 4})", "apply", "increment", "frozenset({1, 2, 3})");
    expect_same("frozenset({False, True})", "apply", "even", "frozenset({1, 2, 3})");
    expect_same("(False, True, False)", "apply", "even", "(1, 2, 3)");
    expect_same("(2, 1)", "apply", "size", "((1, 2), (3,))");
    expect_same("(1, 3)", "apply", "first", "((1, 2), (3, 4))");
    expect_same("(0, (1, 2))", "apply", "identity", "(0, (1, 2))");
    expect_same("frozenset({(-2, -3), (0, -1)})", "apply", "invert", "frozenset({(0, 1), (2, 3)})");
    expect_same("()", "apply", "5", "()");
    expect_same("frozenset()", "apply", "5", "frozenset()");
    expect_err(ERR_TYPE, "apply", "5", "(1,)");
    expect_err(ERR_TYPE, "apply", "increment", "5");
    expect_err(ERR_TYPE, "apply", "5", "5");
    expect_err(ERR_RUNTIME, "apply", "first", "((1,), ())");
}

Test(higher, apply_closures)
{
    Value out;
    Value f = MK("rbind", V("add"), V("(1, 1)"));
    is(CALL(&out, "apply", f, V("frozenset({(0, 0), (1, 2)})")), out, "frozenset({(1, 1), (2, 3)})");
    Value g = MK("power", V("double"), V("3"));
    is(CALL(&out, "apply", g, V("(1, 2)")), out, "(8, 16)");
}

Test(higher, rapply)
{
    expect_same("(2, -1)", "rapply", "(increment, invert)", "1");
    expect_same("frozenset({-1, 2})", "rapply", "frozenset({increment, invert})", "1");
    expect_same("frozenset({0, 1})", "rapply", "frozenset({increment, invert, double})", "0");
    /* even(0) is True, increment(0) is 1: the first one built is kept */
    expect_same("frozenset({True})", "rapply", "frozenset({even, increment})", "0");
    expect_same("(1, True)", "rapply", "(increment, even)", "0");
    expect_same("(2, 1)", "rapply", "(size, first)", "(1, 2)");
    expect_same("()", "rapply", "()", "5");
    expect_same("frozenset()", "rapply", "frozenset()", "5");
    expect_err(ERR_TYPE, "rapply", "5", "1");
    expect_err(ERR_TYPE, "rapply", "(1,)", "1");
    expect_err(ERR_RUNTIME, "rapply", "(first,)", "()");
}

Test(higher, mapply)
{
    expect_same("(1, 2, 1)", "mapply", "initset", "(1, 2, 1)");
    expect_same("(1, 2, 3)", "mapply", "identity", "((1, 2), (3,))");
    expect_same("frozenset({1, 2, 3})", "mapply", "identity", "frozenset({frozenset({1, 2}), frozenset({2, 3})})");
    expect_same("(1, 2, 1)", "mapply", "identity", "(frozenset({2, 1}), frozenset({1}))");
    expect_same("(2, 3, 4, 5)", "mapply", "increment", "((1, 2), (3, 4))");
    expect_same("()", "mapply", "identity", "()");
    expect_same("frozenset()", "mapply", "5", "frozenset()");
    expect_err(ERR_TYPE, "mapply", "identity", "5");
    expect_err(ERR_TYPE, "mapply", "identity", "(1, 2)");
    expect_err(ERR_RUNTIME, "mapply", "first", "((),)");
    /* over a frozenset whose results are packed sets: their union, taken
     * without sorting the results (expected values from dsl.py) */
    expect_same("frozenset({(0, 1), (1, 2), (0, 3), (-1, 0), (1, 0), (-1, 2), (0, -1)})", "mapply", "dneighbors",
                "frozenset({(0, 0), (0, 2)})");
    expect_same("frozenset({(0, 0), (1, 1), (2, 2)})", "mapply", "identity",
                "frozenset({frozenset({(0, 0), (2, 2)}), frozenset(), frozenset({(0, 0), (1, 1)})})");
    expect_same("frozenset({(4, 4), (0, 1), (-1, -1), (6, 5), (-1, 1), (5, 4), (4, 6), (1, 1), (6, 4), (1, -1), "
                "(-1, 0), (1, 0), (4, 5), (5, 6), (6, 6), (0, -1)})",
                "mapply", "outbox", "frozenset({frozenset({(5, 5)}), frozenset({(0, 0)})})");
    /* results of two kinds, and results that are not sets: the generic path */
    expect_same("frozenset({(1, (0, 0)), (0, 0)})", "mapply", "identity",
                "frozenset({frozenset({(0, 0)}), frozenset({(1, (0, 0))})})");
    expect_err(ERR_TYPE, "mapply", "size", "frozenset({frozenset({1}), frozenset({1, 2})})");
}

/* ---- papply, mpapply, prapply ---- */

Test(higher, papply)
{
    expect_same("(11, 22)", "papply", "add", "(1, 2, 3)", "(10, 20)");
    expect_same("((1, 3), (2, 4))", "papply", "astuple", "(1, 2)", "(3, 4)");
    expect_same("((0, 3), ((1, 2), 4))", "papply", "astuple", "(0, (1, 2))", "(3, 4)");
    expect_same("(11, 22)", "papply", "add", "frozenset({1, 2})", "(10, 20)");
    expect_same("()", "papply", "add", "(1,)", "frozenset()");
    expect_same("()", "papply", "5", "()", "()");
    expect_err(ERR_TYPE, "papply", "add", "()", "5");
    expect_err(ERR_TYPE, "papply", "add", "5", "()");
    expect_err(ERR_TYPE, "papply", "5", "(1,)", "(1,)");
    expect_err(ERR_TYPE, "papply", "first", "(1,)", "(2,)");
}

Test(higher, papply_stopiteration)
{
    /* extract((), even) raises StopIteration inside papply's generator */
    expect_err(ERR_RUNTIME, "papply", "extract", "((),)", "(even,)");
    expect_same("(2,)", "papply", "extract", "((1, 2),)", "(even,)");
}

Test(higher, mpapply)
{
    expect_same("(1, 3, 2, 4)", "mpapply", "astuple", "(1, 2)", "(3, 4)");
    expect_same("(1, 3, 2, 4)", "mpapply", "combine", "((1,), (2,))", "((3,), (4,))");
    expect_same("(1, 2)", "mpapply", "combine", "(frozenset({1}),)", "(frozenset({2}),)");
    expect_same("()", "mpapply", "add", "()", "()");
    expect_err(ERR_TYPE, "mpapply", "add", "(1, 2)", "(3, 4)"); /* merge of ints */
    expect_err(ERR_TYPE, "mpapply", "add", "5", "()");
    expect_err(ERR_RUNTIME, "mpapply", "extract", "((),)", "(even,)");
}

Test(higher, prapply)
{
    expect_same("frozenset({11, 12, 21, 22})", "prapply", "add", "(1, 2)", "(10, 20)");
    expect_same("frozenset({(1, 3), (2, 3)})", "prapply", "astuple", "frozenset({1, 2})", "frozenset({3})");
    expect_same("frozenset({1, 2, 3})", "prapply", "add", "(1, 2, 3)", "(0, 0)");
    expect_same("frozenset({False, True})", "prapply", "equality", "(1, 2)", "(1, 2)");
    /* b is iterated eagerly, a only once b yields something */
    expect_same("frozenset()", "prapply", "add", "5", "()");
    expect_same("frozenset()", "prapply", "5", "()", "(1,)");
    expect_err(ERR_TYPE, "prapply", "add", "5", "(1,)");
    expect_err(ERR_TYPE, "prapply", "add", "()", "5");
    expect_err(ERR_TYPE, "prapply", "5", "(1,)", "(1,)");
    expect_err(ERR_RUNTIME, "prapply", "extract", "((),)", "(even,)");
}

/* prapply(connect, a, b) by its definition, frozenset(connect(i, j) for j
 * in b for i in a), each connect called on its own. */
static Value connect_by_definition(Value a, Value b)
{
    size_t n = v_len(a) * v_len(b), k = 0;
    Value *lines = ctx_alloc(t_ctx(), (n ? n : 1) * sizeof *lines), out;
    for (size_t y = 0; y < v_len(b); y++)
        for (size_t x = 0; x < v_len(a); x++)
            cr_assert_eq(CALL(&lines[k++], "connect", v_item(a, x), v_item(b, y)), ERR_OK);
    cr_assert_eq(mk_set(t_ctx(), n, lines, &out), ERR_OK);
    return out;
}

/* The fast path of prapply(connect, ...) (keys per line; a set with itself
 * takes each unordered pair once) against the definition, on sets of
 * points in a small box: the same set twice, an equal copy, and another. */
Test(higher, prapply_connect_matches_definition)
{
    uint64_t rng = 12345;
    for (int round = 0; round < 40; round++) {
        Value pts[2][24];
        size_t n[2];
        for (int s = 0; s < 2; s++) {
            n[s] = 1 + (size_t)(round % 23);
            for (size_t k = 0; k < n[s]; k++) {
                rng = rng * 6364136223846793005ull + 1442695040888963407ull;
                pts[s][k] = v_pair((int32_t)(rng >> 33) % 7 - 2, (int32_t)(rng >> 45) % 7 - 2);
            }
        }
        Value a, copy, b, got;
        cr_assert_eq(mk_set(t_ctx(), n[0], pts[0], &a), ERR_OK);
        cr_assert_eq(mk_set(t_ctx(), n[0], pts[0], &copy), ERR_OK);
        cr_assert_eq(mk_set(t_ctx(), n[1], pts[1], &b), ERR_OK);
        Value pairs[3][2] = {{a, a}, {a, copy}, {a, b}};
        for (int c = 0; c < 3; c++) {
            Value want = connect_by_definition(pairs[c][0], pairs[c][1]);
            cr_assert_eq(CALL(&got, "prapply", V("connect"), pairs[c][0], pairs[c][1]), ERR_OK);
            cr_assert(v_eq(got, want), "round %d case %d: %s, expected %s", round, c, R(got), R(want));
        }
    }
}

Test(higher, closures_in_consumers)
{
    Value out;
    /* fork(astuple, size, first) over a set of tuples */
    Value f = MK("fork", V("astuple"), V("size"), V("first"));
    is(CALL(&out, "order", V("((3, 1), (1,), (2, 2, 2))"), f), out, "((1,), (3, 1), (2, 2, 2))");
    is(CALL(&out, "argmax", V("((3, 1), (1,), (2, 2, 2))"), f), out, "(2, 2, 2)");
    is(CALL(&out, "valmin", V("((3, 1), (1,), (2, 2, 2))"), f), out, "(1, 1)");
    Value m = MK("matcher", MK("compose", V("size"), V("identity")), V("2"));
    is(CALL(&out, "extract", V("frozenset({(1,), (1, 2), (0, 0)})"), m), out, "(0, 0)");
    is(CALL(&out, "mfilter", V("frozenset({(1,), (1, 2), (0, 0)})"), m), out, "frozenset({0, 1, 2})");
    /* lbind of a 2-argument function takes one argument: papply gives it two */
    fails(CALL(&out, "papply", MK("lbind", V("astuple"), V("7")), V("(1, 2)"), V("(3, 4)")), ERR_TYPE, out);
}
