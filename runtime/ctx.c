/* ctx.c: run budgets (see ctx.h). */
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
