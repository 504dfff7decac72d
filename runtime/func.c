/* func.c: function values and calling them (see func.h).
 *
 * call_value is the one place every application through a function value
 * passes: the interpreter's statements, and the calls higher-order
 * primitives make through closures. So it is where the run's budgets are
 * checked, and where the tracer will see every application. */
#include "func.h"

#include <stdatomic.h>

#include "../ops/ops.h"
#include "ctx.h"
#include "limits.h"

/* Serials go to threads in blocks: one atomic add per SERIAL_BLOCK
 * closures instead of one each (replay's workers make closures on every
 * core, and a shared counter moved its cache line between them each time);
 * within a thread they follow creation order, as before. */
#define SERIAL_BLOCK 4096u
static atomic_uint next_serial_block = P__COUNT + 1;
static _Thread_local uint32_t serial_next, serial_end;

static uint32_t new_serial(void)
{
    if (serial_next == serial_end) {
        serial_next = atomic_fetch_add_explicit(&next_serial_block, SERIAL_BLOCK, memory_order_relaxed);
        serial_end = serial_next + SERIAL_BLOCK;
    }
    return serial_next++;
}

static Func safe_callable = {FN_SAFE, 0, P__COUNT, NULL, NULL, 0, {{0}}};

Value func_safe_callable(void) { return v_func(&safe_callable); }

const char *func_name(const Func *f)
{
    switch ((FnKind)f->kind) {
    case FN_PRIM: return f->prim->name;
    case FN_SAFE: return "_safe_callable";
    default: return "<lambda>";
    }
}

Err func_closure(Ctx *ctx, FnKind kind, int arity, int ncap, const Value *caps, int64_t n,
                 Value *out)
{
    TRY(ctx_check_mem(ctx));
    Func *f = ctx_alloc(ctx, sizeof *f);
    f->kind = (uint8_t)kind;
    f->arity = (uint8_t)arity;
    f->serial = new_serial();
    f->fn = NULL;
    f->prim = NULL;
    f->n = n;
    for (int k = 0; k < 3; k++)
        f->cap[k] = k < ncap ? caps[k] : v_none();
    *out = v_func(f);
    return ERR_OK;
}

Err func_argcount(Value f, int *out)
{
    if (f.tag != VT_FUNC)
        return ERR_ATTRIBUTE;
    *out = f.u.fn->arity;
    return ERR_OK;
}

/* Apply a closure's body; the arity was checked by call_value. */
static Err call_closure(Ctx *ctx, const Func *f, int argc, const Value *args, Value *out)
{
    Value t, u, a[4];
    switch ((FnKind)f->kind) {
    case FN_COMPOSE:
        TRY(call1(ctx, f->cap[1], args[0], &t));
        return call1(ctx, f->cap[0], t, out);
    case FN_CHAIN:
        TRY(call1(ctx, f->cap[2], args[0], &t));
        TRY(call1(ctx, f->cap[1], t, &u));
        return call1(ctx, f->cap[0], u, out);
    case FN_FORK:
        TRY(call1(ctx, f->cap[1], args[0], &t));
        TRY(call1(ctx, f->cap[2], args[0], &u));
        return call2(ctx, f->cap[0], t, u, out);
    case FN_MATCHER:
        TRY(call1(ctx, f->cap[0], args[0], &t));
        *out = v_bool(v_eq(t, f->cap[1]));
        return ERR_OK;
    case FN_RBIND:
        for (int k = 0; k < argc; k++)
            a[k] = args[k];
        a[argc] = f->cap[1];
        return call_value(ctx, f->cap[0], argc + 1, a, out);
    case FN_LBIND:
        a[0] = f->cap[1];
        for (int k = 0; k < argc; k++)
            a[k + 1] = args[k];
        return call_value(ctx, f->cap[0], argc + 1, a, out);
    case FN_POWER:
        t = args[0];
        for (int64_t k = 0; k < f->n; k++)
            TRY(call1(ctx, f->cap[0], t, &t));
        *out = t;
        return ERR_OK;
    case FN_SAFE:
        *out = v_empty_tuple();
        return ERR_OK;
    case FN_PRIM:
        break;
    }
    return ERR_TYPE;
}

/* rbind or lbind of a primitive, called with its arity (argc <= 3): call_loop's two
 * levels unrolled, with the same checks in the same order (the closure's
 * step and depth, then the primitive's arity, step and depth), in a frame
 * of its own: most closures applied inside apply, sfilter and the like are
 * these, and call_loop's frame and loop cost more than their work. */
static Err call_bound_prim(Ctx *ctx, const Func *f, int argc, const Value *args, Value *out)
{
    const Func *g = f->cap[0].u.fn;
    Value a[4];
    Err e = level_enter(ctx);
    if (e)
        return e;
    if (f->kind == FN_RBIND) { /* cap0(x.., cap1) */
        for (int k = 0; k < argc; k++)
            v_copy(&a[k], &args[k]);
        a[argc] = f->cap[1];
    } else { /* cap0(cap1, y..) */
        a[0] = f->cap[1];
        for (int k = 0; k < argc; k++)
            v_copy(&a[k + 1], &args[k]);
    }
    return level_leave(ctx, call_prim(ctx, g->fn, g->arity, argc + 1, a, out));
}

/* compose and fork applied to one argument, in frames of their own: the
 * closure's level, its inner calls (made one level deeper, as call_loop
 * makes them), then the outer function through call_value, which checks it
 * as call_loop's next level would. */
static Err call_compose(Ctx *ctx, const Func *f, const Value *x, Value *out)
{
    Err e = level_enter(ctx);
    if (e)
        return e;
    Value t;
    e = call_value(ctx, f->cap[1], 1, x, &t);
    if (!e)
        e = call_value(ctx, f->cap[0], 1, &t, out);
    return level_leave(ctx, e);
}

static Err call_fork(Ctx *ctx, const Func *f, const Value *x, Value *out)
{
    Err e = level_enter(ctx);
    if (e)
        return e;
    Value ab[2];
    if (!(e = call_value(ctx, f->cap[1], 1, x, &ab[0])) && !(e = call_value(ctx, f->cap[2], 1, x, &ab[1])))
        e = call_value(ctx, f->cap[0], 2, ab, out);
    return level_leave(ctx, e);
}

/* The levels of a call, one after another in this frame (see call_loop).
 * `prims`, where not NULL, counts the primitives applied: recording past
 * --max-nested, where the tracer is told of nothing but needs the count
 * (TraceHooks.count_only). call_loop passes NULL, which the compiler folds
 * away. */
static inline __attribute__((always_inline)) Err run_levels(Ctx *ctx, Value fv, int argc, const Value *args,
                                                            Value *out, uint64_t *prims)
{
    Value buf[2][4], t; /* the arguments of the next level, alternately */
    int which = 0, entered = 0;
    Err e;
    for (;;) {
        if (fv.tag != VT_FUNC) {
            e = ERR_TYPE; /* 'x' object is not callable */
            break;
        }
        const Func *f = fv.u.fn;
        if (f->kind != FN_SAFE && argc != f->arity) {
            e = ERR_TYPE;
            break;
        }
        if ((e = ctx_tick(ctx)))
            break;
        if (ctx->depth >= LIMIT_CALL_DEPTH) {
            e = ERR_RECURSION;
            break;
        }
        ctx->depth++;
        entered++;
        Value *next = buf[which];
        which ^= 1;
        /* Results go straight where the next level reads them, and values
         * are passed by address or moved with v_copy (see value.h). The
         * kinds are told apart by conditional branches, not a switch
         * (no-jump-tables keeps GCC from turning them back into one),
         * whose one indirect jump, shared by every level of every closure,
         * was mispredicted often. */
        uint8_t kind = f->kind;
        if (kind == FN_PRIM) {
            if (prims)
                ++*prims;
            e = f->fn(ctx, args, out);
            goto done;
        } else if (kind == FN_FORK) { /* cap0(cap1(x), cap2(x)) */
            if ((e = call_value(ctx, f->cap[1], 1, args, &next[0])) ||
                (e = call_value(ctx, f->cap[2], 1, args, &next[1])))
                goto done;
            fv = f->cap[0], argc = 2;
        } else if (kind == FN_COMPOSE) { /* cap0(cap1(x)) */
            if ((e = call_value(ctx, f->cap[1], 1, args, &next[0])))
                goto done;
            fv = f->cap[0], argc = 1;
        } else if (kind == FN_LBIND) { /* cap0(cap1, y..) */
            next[0] = f->cap[1];
            for (int k = 0; k < argc; k++)
                v_copy(&next[k + 1], &args[k]);
            fv = f->cap[0], argc++;
        } else if (kind == FN_RBIND) { /* cap0(x.., cap1) */
            for (int k = 0; k < argc; k++)
                v_copy(&next[k], &args[k]);
            next[argc] = f->cap[1];
            fv = f->cap[0], argc++;
        } else if (kind == FN_CHAIN) { /* cap0(cap1(cap2(x))) */
            if ((e = call_value(ctx, f->cap[2], 1, args, &t)) ||
                (e = call_value(ctx, f->cap[1], 1, &t, &next[0])))
                goto done;
            fv = f->cap[0], argc = 1;
        } else { /* matcher, power, the safe default */
            e = call_closure(ctx, f, argc, args, out);
            goto done;
        }
        args = next;
    }
done:
    ctx->depth -= entered;
    if (!e && ctx->limit_hit)
        e = ctx->limit_hit;
    return e;
}

/* call_value while recording: every application is reported to the tracer,
 * nested as Python nests them; or, where the tracer records no more inside
 * a statement's application (TraceHooks.count_only), the levels run as
 * call_loop runs them untraced, and its primitives are only counted. */
static __attribute__((optimize("no-jump-tables"))) Err call_traced(Ctx *ctx, Value fv, int argc, const Value *args,
                                                                 Value *out)
{
    if (ctx->trace->count_only)
        return run_levels(ctx, fv, argc, args, out, ctx->trace->count_only);
    if (fv.tag != VT_FUNC)
        return ERR_TYPE; /* 'x' object is not callable */
    const Func *f = fv.u.fn;
    if (f->kind != FN_SAFE && argc != f->arity)
        return ERR_TYPE;
    Err e = level_enter(ctx);
    if (e)
        return e;
    int leave = ctx->trace->apply_enter(ctx->trace_data, fv, argc, args);
    e = f->kind == FN_PRIM ? f->fn(ctx, args, out) : call_closure(ctx, f, argc, args, out);
    if (leave)
        ctx->trace->apply_leave(ctx->trace_data, fv, e ? e : ctx->limit_hit, e ? v_none() : *out);
    return level_leave(ctx, e);
}

/* call_value for closures and while recording. Without a tracer, the last
 * application a closure makes (compose's outer function, chain's and fork's
 * first capture, the function rbind and lbind bind) is its result as it
 * stands, so it runs in this frame's loop instead of a nested call: each level still counts one step and one level of depth
 * (released when the whole chain returns, as the nested frames would be), so
 * the budgets and RecursionError fall where they did; only the C frames and
 * the repeated checks on the way back out are saved. Closures calling
 * closures are most of what solvers apply. */
__attribute__((optimize("no-jump-tables"))) Err call_loop(Ctx *ctx, Value fv, int argc, const Value *args, Value *out)
{
    if (__builtin_expect(ctx->trace != NULL, 0))
        return call_traced(ctx, fv, argc, args, out);
    if (fv.tag == VT_FUNC) {
        const Func *f = fv.u.fn;
        if ((f->kind == FN_RBIND || f->kind == FN_LBIND) && argc == f->arity && argc <= 3 &&
            f->cap[0].tag == VT_FUNC && f->cap[0].u.fn->kind == FN_PRIM)
            return call_bound_prim(ctx, f, argc, args, out);
        if (f->kind == FN_COMPOSE && argc == 1 && f->arity == 1)
            return call_compose(ctx, f, args, out);
        if (f->kind == FN_FORK && argc == 1 && f->arity == 1)
            return call_fork(ctx, f, args, out);
    }
    return run_levels(ctx, fv, argc, args, out, NULL);
}
