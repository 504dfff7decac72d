/* func.h: function values, primitives and closures.
 *
 * arc-dsl passes functions around as data: primitives by name, and the
 * closures that compose, chain, fork, matcher, rbind, lbind and power return.
 * A Func records which kind it is, the values it captured and its arity
 * (Python's co_argcount, which rbind and lbind read to choose their closure).
 * Python compares functions by identity, so two closures built from the same
 * parts are still different values; `serial` gives each a stable identity
 * for ordering. The canonical order sorts functions by name, and every
 * closure is named '<lambda>': among closures battrace falls back on
 * creation order, where the oracle (canonical.py's stable sort) keeps
 * CPython's hash order, which follows their addresses. That order is no
 * part of the program: Python builds the same set of 16 composed closures
 * in different orders within one process. A row that depends on it (a
 * totuple of a set of closures, whose order then matters) can differ from
 * pyref.py's, and from one Python run to the next. */
#ifndef BATTRACE_FUNC_H
#define BATTRACE_FUNC_H

#include "ctx.h"
#include "limits.h"
#include "value.h"

struct Prim;

/* A primitive's CPU implementation (see ops/ops.h for the convention). */
typedef Err (*PrimFn)(Ctx *ctx, const Value *args, Value *out);

typedef enum FnKind {
    FN_PRIM,     /* a DSL primitive */
    FN_COMPOSE,  /* x -> cap0(cap1(x)) */
    FN_CHAIN,    /* x -> cap0(cap1(cap2(x))) */
    FN_FORK,     /* x -> cap0(cap1(x), cap2(x)) */
    FN_MATCHER,  /* x -> cap0(x) == cap1 */
    FN_RBIND,    /* (x..) -> cap0(x.., cap1) */
    FN_LBIND,    /* (y..) -> cap0(cap1, y..) */
    FN_POWER,    /* x -> cap0 applied n times */
    FN_SAFE,     /* batt's _safe_callable: any arguments -> () */
} FnKind;

struct Func {
    uint8_t kind;
    uint8_t arity;          /* co_argcount; FN_SAFE takes any number */
    uint32_t serial;        /* creation order, for a stable identity */
    PrimFn fn;              /* FN_PRIM: prim->fn, one load closer to the call */
    const struct Prim *prim; /* FN_PRIM */
    int64_t n;              /* FN_POWER */
    Value cap[3];
};

/* Python's __name__ of the function: the primitive's name, "<lambda>" for the
 * closures, "_safe_callable" for batt's safe default. */
const char *func_name(const Func *f);

/* Build closures (arena-allocated). */
Err func_closure(Ctx *ctx, FnKind kind, int arity, int ncap, const Value *caps, int64_t n,
                 Value *out);
/* batt's _safe_callable, a single static value. */
Value func_safe_callable(void);

/* call_value's path for closures, non-functions and recording (func.c). */
Err call_loop(Ctx *ctx, Value f, int argc, const Value *args, Value *out);

/* One level of a call entered: its step (the time budget) and its depth
 * (RecursionError past LIMIT_CALL_DEPTH), as Python counts frames. */
static inline __attribute__((always_inline)) Err level_enter(Ctx *ctx)
{
    Err e = ctx_tick(ctx);
    if (e)
        return e;
    if (ctx->depth >= LIMIT_CALL_DEPTH)
        return ERR_RECURSION;
    ctx->depth++;
    return ERR_OK;
}
/* ... and left with e: a budget the level crossed ends it, whatever it returned. */
static inline __attribute__((always_inline)) Err level_leave(Ctx *ctx, Err e)
{
    ctx->depth--;
    return !e && ctx->limit_hit ? ctx->limit_hit : e;
}

/* A primitive's implementation fn (of the given arity) applied to argc
 * arguments, untraced: TypeError on a wrong count, then one level. */
static inline __attribute__((always_inline)) Err call_prim(Ctx *ctx, PrimFn fn, int arity, int argc,
                                                           const Value *args, Value *out)
{
    if (argc != arity)
        return ERR_TYPE;
    Err e = level_enter(ctx);
    if (e)
        return e;
    return level_leave(ctx, fn(ctx, args, out));
}

/* Call a function value with argc arguments, as Python's f(*args) would:
 * TypeError when f is not callable or the argument count is wrong. Checks the
 * run's time and depth budgets and reports to the tracer when recording.
 * A primitive applied directly (most applications: inside closures and from
 * the higher-order primitives' loops) is handled here, inline, so that its
 * call costs no extra C frame; everything else goes to call_loop. */
static inline __attribute__((always_inline)) Err call_value(Ctx *ctx, Value fv, int argc, const Value *args, Value *out)
{
    if (__builtin_expect(fv.tag != VT_FUNC || fv.u.fn->kind != FN_PRIM || ctx->trace != NULL, 0))
        return call_loop(ctx, fv, argc, args, out);
    return call_prim(ctx, fv.u.fn->fn, fv.u.fn->arity, argc, args, out);
}
/* call_value from a higher-order primitive's loop, which keeps what each
 * call returns and nothing else it made (see ctx_keep_only). */
static inline Err call_each(Ctx *ctx, Value fv, int argc, const Value *args, Value *out)
{
    CtxMark before = ctx_mark(ctx);
    Err e = call_value(ctx, fv, argc, args, out);
    if (!e)
        ctx_keep_only(ctx, before, out);
    return e;
}
/* The same for a call whose result is only tested for truth (a filter's
 * condition): *truth, and nothing it made is kept. */
static inline Err call_test(Ctx *ctx, Value fv, const Value *arg, bool *truth)
{
    CtxMark before = ctx_mark(ctx);
    Value r;
    Err e = call_value(ctx, fv, 1, arg, &r);
    if (e)
        return e;
    *truth = v_truthy(r);
    if (ctx_made_much(ctx, before))
        ctx_reclaim_all(ctx, before);
    return ERR_OK;
}
static inline Err call1(Ctx *ctx, Value f, Value x, Value *out) { return call_value(ctx, f, 1, &x, out); }
static inline Err call2(Ctx *ctx, Value f, Value x, Value y, Value *out)
{
    Value a[2] = {x, y};
    return call_value(ctx, f, 2, a, out);
}

/* f.__code__.co_argcount, or AttributeError when f is not a function. */
Err func_argcount(Value f, int *out);

#endif
