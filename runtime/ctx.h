/* ctx.h: the state of one run, passed to every primitive.
 *
 * It owns the arena the run allocates from and enforces the run's budgets:
 * memory (checked where values are built), time and call depth (checked on
 * every call through a function value, see call.c). The tracer hooks in
 * here too: when `trace` is set, call.c reports every application to it. */
#ifndef BATTRACE_CTX_H
#define BATTRACE_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "value.h"

/* What the tracer is told while a program runs (tracer/record.c implements
 * them). The interpreter reports calls of a program and its statements;
 * call_value reports every application through a function value, nested
 * ones included. */
typedef struct TraceHooks {
    void (*call_begin)(void *data, int call);  /* a solver run, or batt call 0 / 1 */
    void (*call_end)(void *data, int call, Err err, size_t done, Value out);
    void (*stmt_begin)(void *data, size_t index);
    /* the statement's target was bound to `bound` (the result, or the safe
     * default when `defaulted`); not called when the statement ended the call */
    void (*stmt_end)(void *data, size_t index, bool defaulted, Value bound);
    void (*stmt_reused)(void *data, size_t index); /* batt call 1 took call 0's value */
    /* an application of f begins; nonzero: call apply_leave when it ends
     * (a tracer that keeps no frame for f says 0, and saves the call) */
    int (*apply_enter)(void *data, Value f, int argc, const Value *args);
    void (*apply_leave)(void *data, Value f, Err err, Value result);
    /* work done only because a tracer is there (the calls a fast path
     * stands for, reported one by one): from aside_begin to aside_end it is
     * no part of the current application's own time. Either may be NULL. */
    void (*aside_begin)(void *data);
    void (*aside_end)(void *data);
    /* NULL, or while the tracer records no more applications inside the
     * current statement's (its bound on them reached): each primitive
     * applied inside is only counted here, with no hook called */
    uint64_t *count_only;
    /* the values the tracer has noted in the current unit, so far (a count
     * that only grows: see ctx_mark) */
    const size_t *noted;
    /* Everything made in a since m is about to be dropped (see "dropping
     * temporaries" below): true when the tracer, having taken what it needs
     * from the values it noted since its count was `noted`, reads none of
     * them again; false keeps them all. */
    bool (*may_drop)(void *data, const Arena *a, ArenaMark m, size_t noted);
} TraceHooks;

struct Ctx {
    Arena *arena;          /* where this run's values live */
    Arena *spill;          /* NULL, or where a kept result goes when its
                              temporaries are dropped (see below) */
    size_t mem_limit;      /* bytes this run may allocate (less what was dropped) */
    uint64_t budget_ns;    /* the run's time budget; 0 = none */
    uint64_t deadline_ns;  /* monotonic time the run must end by; 0 = not yet read */
    uint64_t steps;        /* calls made, for cheap periodic clock checks */
    int depth;             /* current nesting of function calls */
    Err limit_hit;         /* first budget crossed in this run, sticky */
    TraceHooks *trace;     /* NULL unless recording */
    void *trace_data;
};

/* Set up a context on an arena with the default budgets. */
void ctx_init(Ctx *ctx, Arena *arena);
/* Start a run: reset the budgets (not the arena) with a time budget in seconds. */
void ctx_begin_run(Ctx *ctx, double seconds);
/* A unit (a program on a sample) begins in these arenas, emptied (spill:
 * NULL, or where kept results go when temporaries are dropped), with
 * mem_limit bytes to allocate: dropping lowers the budget (see below), so
 * each unit starts with the whole of it. */
void ctx_begin_unit(Ctx *ctx, Arena *arena, Arena *spill, size_t mem_limit);
/* Monotonic clock in nanoseconds. */
uint64_t now_ns(void);
/* CPU time of the calling thread in nanoseconds. */
uint64_t thread_cpu_ns(void);

/* The clock check behind ctx_tick, every 1024 steps. */
Err ctx_tick_slow(Ctx *ctx);
/* Checks the time budget every thousand steps; long loops inside
 * primitives call it too. Returns ERR_TIMEOUT once the deadline passed.
 * Inline: every call through a function value pays it. */
static inline Err ctx_tick(Ctx *ctx)
{
    if (__builtin_expect(ctx->limit_hit != ERR_OK, 0))
        return ctx->limit_hit;
    if (__builtin_expect((++ctx->steps & 1023u) == 0, 0))
        return ctx_tick_slow(ctx);
    return ERR_OK;
}
/* ERR_MEMORY once the arena holds more than the run's budget. */
static inline Err ctx_check_mem(Ctx *ctx)
{
    if (ctx->arena->used > ctx->mem_limit) {
        if (!ctx->limit_hit)
            ctx->limit_hit = ERR_MEMORY;
        return ERR_MEMORY;
    }
    return ERR_OK;
}
static inline void *ctx_alloc(Ctx *ctx, size_t size) { return arena_alloc(ctx->arena, size); }

/* ---- dropping temporaries ----
 * Python frees a value when its last reference goes; a run's arena keeps
 * everything until the unit ends. Where a statement, or one call in a
 * higher-order primitive's loop, made more than CTX_RECLAIM_MIN bytes since
 * `before` (ctx_mark), most of them can go: a batt of all 400 solvers made
 * up to 739 MB in one mapply statement (1.3 KB of it the result) and held
 * 983 MB in one unit. Only where ctx->spill is set (run, record, replay's
 * workers). While recording, the tracer first takes what it needs from the
 * values it noted since then (TraceHooks.may_drop: content hashes) or keeps
 * them all. The memory budget still counts what was dropped, as if it were
 * held (mem_limit falls by it), so a unit ends with MemoryError where it
 * would without dropping, give or take what a rollback's emptied grid
 * caches convert again. A smaller call pays one comparison. */
#ifndef CTX_RECLAIM_MIN /* a build may lower it to drop nearly everywhere (a stress check) */
#define CTX_RECLAIM_MIN (256u * 1024u)
#endif

/* Where a run stands: its arena's count, and the tracer's (0 untraced). */
typedef struct CtxMark {
    size_t used, noted;
} CtxMark;
static inline CtxMark ctx_mark(const Ctx *ctx)
{
    return (CtxMark){ctx->arena->used, __builtin_expect(ctx->trace != NULL, 0) ? *ctx->trace->noted : 0};
}

/* Keep *result (copied to ctx->spill when it holds under half of what was
 * made, see v_relocate) and drop the rest. */
__attribute__((cold)) void ctx_reclaim(Ctx *ctx, CtxMark before, Value *result);
/* Drop everything made since `before` (a value only tested, not kept). */
__attribute__((cold)) void ctx_reclaim_all(Ctx *ctx, CtxMark before);

static inline bool ctx_made_much(const Ctx *ctx, CtxMark before)
{
    return __builtin_expect(ctx->arena->used > before.used + CTX_RECLAIM_MIN, 0) && ctx->spill;
}
static inline void ctx_keep_only(Ctx *ctx, CtxMark before, Value *result)
{
    if (ctx_made_much(ctx, before))
        ctx_reclaim(ctx, before, result);
}

#endif
