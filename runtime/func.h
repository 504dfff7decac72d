/* func.h: function values, primitives and closures.
 *
 * arc-dsl passes functions around as data: primitives by name, and the
 * closures that compose, chain, fork, matcher, rbind, lbind and power return.
 * A Func records which kind it is, the values it captured and its arity
 * (Python's co_argcount, which rbind and lbind read to choose their closure).
 * Python compares functions by identity, so two closures built from the same
 * parts are still different values; `serial` gives each a stable identity
 * for ordering. */
#ifndef BATTRACE_FUNC_H
#define BATTRACE_FUNC_H

#include "value.h"

struct Prim;

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

/* Call a function value with argc arguments, as Python's f(*args) would:
 * TypeError when f is not callable or the argument count is wrong. Checks the
 * run's time and depth budgets and reports to the tracer when recording. */
Err call_value(Ctx *ctx, Value f, int argc, const Value *args, Value *out);
static inline Err call1(Ctx *ctx, Value f, Value x, Value *out) { return call_value(ctx, f, 1, &x, out); }
static inline Err call2(Ctx *ctx, Value f, Value x, Value y, Value *out)
{
    Value a[2] = {x, y};
    return call_value(ctx, f, 2, a, out);
}

/* f.__code__.co_argcount, or AttributeError when f is not a function. */
Err func_argcount(Value f, int *out);

#endif
