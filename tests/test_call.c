/* test_call.c: call_value's two paths agree.
 *
 * Without a tracer, call_value runs the last application of compose, chain,
 * fork, rbind and lbind closures in its own loop instead of a nested call,
 * keeping one step and one level of depth per closure. With a tracer it
 * nests every application, as Python does. Closures nested around the
 * depth limit (990 frames) must give the same values and the same
 * RecursionError at the same nesting on both paths, and leave the depth
 * where it was. */
#include "support.h"

#include "../runtime/limits.h"

static int enter(void *data, Value f, int argc, const Value *args)
{
    (void)f, (void)argc, (void)args;
    (*(long *)data)++;
    return 1;
}

static void leave(void *data, Value f, Err err, Value result)
{
    (void)f, (void)err, (void)result;
    (*(long *)data)--;
}

static Value prim(const char *name)
{
    const Prim *p = prim_lookup(name);
    cr_assert_not_null(p);
    return prim_value(p);
}

static Value closure(FnKind kind, int arity, Value a, Value b, Value c)
{
    Value caps[3] = {a, b, c}, out;
    cr_assert_eq(func_closure(t_ctx(), kind, arity, 3, caps, 0, &out), ERR_OK);
    return out;
}

/* Nest `levels` closures of one shape around increment. */
static Value nest(int shape, int levels)
{
    Value inc = prim("increment"), id = prim("identity"), add = prim("add"), g = inc;
    for (int k = 0; k < levels; k++) {
        switch (shape) {
        case 0: g = closure(FN_COMPOSE, 1, g, id, v_none()); break;   /* outer: a tail call */
        case 1: g = closure(FN_COMPOSE, 1, inc, g, v_none()); break;  /* inner: nested */
        case 2: g = closure(FN_CHAIN, 1, g, id, inc); break;
        case 3: /* fork(add, g, identity): add(g(x), x) */
            g = closure(FN_FORK, 1, add, g, id);
            break;
        case 4: /* compose(rbind(add, 1), g): g(x) + 1 */
            g = closure(FN_COMPOSE, 1, closure(FN_RBIND, 1, add, v_int(1), v_none()), g, v_none());
            break;
        default: /* compose(lbind(add, 1), g): 1 + g(x) */
            g = closure(FN_COMPOSE, 1, closure(FN_LBIND, 1, add, v_int(1), v_none()), g, v_none());
            break;
        }
    }
    return g;
}

Test(call, tail_loop_matches_nested_calls)
{
    Ctx *ctx = t_ctx();
    long open = 0;
    TraceHooks hooks = {0};
    hooks.apply_enter = enter;
    hooks.apply_leave = leave;
    for (int shape = 0; shape < 6; shape++) {
        int last_ok[2] = {-1, -1};
        for (int levels = 300; levels <= 1000; levels += levels < 970 ? 100 : 1) {
            Value g = nest(shape, levels), res[2];
            Err e[2];
            for (int traced = 0; traced < 2; traced++) {
                ctx_begin_run(ctx, 0);
                ctx->trace = traced ? &hooks : NULL;
                ctx->trace_data = &open;
                res[traced] = v_none();
                e[traced] = call1(ctx, g, v_int(5), &res[traced]);
                ctx->trace = NULL;
                cr_assert_eq(ctx->depth, 0, "shape %d levels %d traced %d: depth left at %d", shape, levels,
                             traced, ctx->depth);
                cr_assert_eq(open, 0, "shape %d levels %d: unbalanced trace", shape, levels);
                if (!e[traced])
                    last_ok[traced] = levels;
            }
            cr_assert_eq(e[0], e[1], "shape %d levels %d: %s without a tracer, %s with one", shape, levels,
                         err_name(e[0]), err_name(e[1]));
            cr_assert(e[0] == ERR_OK || e[0] == ERR_RECURSION, "shape %d: %s", shape, err_name(e[0]));
            if (!e[0])
                cr_assert(v_eq(res[0], res[1]), "shape %d levels %d: %s vs %s", shape, levels, R(res[0]),
                          R(res[1]));
        }
        cr_assert_eq(last_ok[0], last_ok[1]);
        cr_assert_lt(last_ok[0], 1000, "shape %d never reached the depth limit", shape);
    }
}

/* Not callable and wrong argument counts at any level: TypeError. */
Test(call, type_errors_inside_closures)
{
    Ctx *ctx = t_ctx();
    Value id = prim("identity"), add = prim("add"), out;
    Value bad_outer = closure(FN_COMPOSE, 1, v_int(3), id, v_none());
    cr_assert_eq(call1(ctx, bad_outer, v_int(1), &out), ERR_TYPE);
    Value wrong_arity = closure(FN_COMPOSE, 1, add, id, v_none()); /* add(x) */
    cr_assert_eq(call1(ctx, wrong_arity, v_int(1), &out), ERR_TYPE);
    Value bound = closure(FN_RBIND, 1, add, v_int(4), v_none());
    cr_assert_eq(call1(ctx, bound, v_int(1), &out), ERR_OK);
    cr_assert(v_eq(out, v_int(5)));
    Value left = closure(FN_LBIND, 1, prim("subtract"), v_int(10), v_none());
    cr_assert_eq(call1(ctx, left, v_int(1), &out), ERR_OK);
    cr_assert(v_eq(out, v_int(9)));
    cr_assert_eq(ctx->depth, 0);
}
