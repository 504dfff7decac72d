/* ctx.c: run budgets, and dropping a run's temporaries (see ctx.h). */
#include "ctx.h"

#include <string.h>
#include <time.h>

#include "limits.h"

uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void ctx_init(Ctx *ctx, Arena *arena)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->arena = arena;
    ctx->mem_limit = LIMIT_RUN_BYTES_DEFAULT;
}

void ctx_begin_run(Ctx *ctx, double seconds)
{
    ctx->steps = 0;
    ctx->depth = 0;
    ctx->limit_hit = ERR_OK;
    /* the clock is read at the first check, 1024 steps in, not here: replay
     * begins a run per node, and one clock read per node was 4% of its
     * execution. The steps before the first check are microseconds against
     * a budget of seconds. */
    ctx->budget_ns = seconds > 0 ? (uint64_t)(seconds * 1e9) : 0;
    ctx->deadline_ns = 0;
}

void ctx_begin_unit(Ctx *ctx, Arena *arena, Arena *spill, size_t mem_limit)
{
    ctx->arena = arena;
    ctx->spill = spill;
    arena_reset(arena);
    if (spill)
        arena_reset(spill);
    ctx->mem_limit = mem_limit;
}

Err ctx_tick_slow(Ctx *ctx)
{
    if (!ctx->budget_ns)
        return ERR_OK;
    uint64_t now = now_ns();
    if (!ctx->deadline_ns) {
        ctx->deadline_ns = now + ctx->budget_ns;
        return ERR_OK;
    }
    if (now > ctx->deadline_ns) {
        ctx->limit_hit = ERR_TIMEOUT;
        return ERR_TIMEOUT;
    }
    return ERR_OK;
}

/* Drop what was made since m; it stays budgeted (see ctx.h). */
static void drop_since(Ctx *ctx, ArenaMark m)
{
    size_t made = ctx->arena->used - m.used;
    arena_rollback(ctx->arena, m);
    ctx->mem_limit = ctx->mem_limit > made ? ctx->mem_limit - made : 0;
}

/* May what was made since m go, as far as a tracer is concerned? */
static bool tracer_lets_go(Ctx *ctx, ArenaMark m, CtxMark before)
{
    return !ctx->trace || ctx->trace->may_drop(ctx->trace_data, ctx->arena, m, before.noted);
}

void ctx_reclaim(Ctx *ctx, CtxMark before, Value *result)
{
    size_t made = ctx->arena->used - before.used;
    ArenaMark m = arena_mark_at(ctx->arena, before.used);
    /* a result that is most of what was made stays: copying it would only
     * touch as much new memory; one holding a new function stays too */
    if (v_owned_bytes(ctx->arena, m, *result, made / 2) < made / 2 && tracer_lets_go(ctx, m, before) &&
        v_relocate(ctx->spill, ctx->arena, m, result))
        drop_since(ctx, m);
}

void ctx_reclaim_all(Ctx *ctx, CtxMark before)
{
    ArenaMark m = arena_mark_at(ctx->arena, before.used);
    if (tracer_lets_go(ctx, m, before))
        drop_since(ctx, m);
}
