/* test_reclaim.c: run drops what a statement, or one call of a higher-order
 * primitive, made besides its result (ctx.h, "dropping temporaries"): the
 * same values as keeping everything, far less memory held, and the memory
 * budget still counting what was dropped. */
#include "support.h"

#include "../runtime/interp.h"
#include "../tracer/program.h"

#include <stdio.h>

typedef struct Outcome {
    Err err;
    char repr[256];
    size_t used;       /* the run arena's bytes at the end */
    size_t limit_drop; /* how far the budget fell */
} Outcome;

static Value grid10(void)
{
    Value row = V("(1, 2, 3, 4, 5, 6, 7, 8, 9, 0)"), rows[10];
    for (int k = 0; k < 10; k++)
        rows[k] = row;
    Value g;
    cr_assert_eq(mk_tuple(t_ctx(), 10, rows, &g), ERR_OK);
    return g;
}

/* A run arena and a spill arena (set in the context only when `spill`, as
 * run and record do; without it, everything is kept). */
typedef struct Run {
    Arena a, sp;
    Ctx ctx;
} Run;

static void run_open(Run *r, bool spill, size_t mem_limit)
{
    arena_init(&r->a);
    arena_init(&r->sp);
    ctx_init(&r->ctx, &r->a);
    r->ctx.spill = spill ? &r->sp : NULL;
    r->ctx.mem_limit = mem_limit;
    ctx_begin_run(&r->ctx, 0);
}

static void run_close(Run *r)
{
    arena_free(&r->a);
    arena_free(&r->sp);
}

/* The solver on a fresh arena, with a spill arena (as run) or without (as
 * before). */
static Outcome run_solver(bool spill, size_t mem_limit)
{
    ProgramFile pf;
    char err[512];
    cr_assert_eq(program_parse("r.py", t_temporaries_solver, &pf, err, sizeof err), 0, "%s", err);
    Run r;
    run_open(&r, spill, mem_limit);
    Inputs in = {grid10(), v_empty_tuple(), v_none(), "t"};
    Value out;
    Outcome o = {0};
    o.err = interp_solver(&r.ctx, &pf.programs[0], &in, &out);
    if (!o.err)
        snprintf(o.repr, sizeof o.repr, "%s", R(out));
    o.used = r.a.used;
    o.limit_drop = mem_limit - r.ctx.mem_limit;
    run_close(&r);
    program_free(&pf);
    return o;
}

Test(reclaim, same_values_in_far_less_memory)
{
    Outcome kept = run_solver(false, SIZE_MAX), dropped = run_solver(true, SIZE_MAX);
    cr_assert_eq(kept.err, ERR_OK);
    cr_assert_eq(dropped.err, ERR_OK);
    /* by dsl.py: the halves' palettes; each size is 400 rows, so valmax is
     * 400; sfilter keeps both halves */
    cr_assert_str_eq(kept.repr, "(frozenset({1, 2, 3, 4, 5}), frozenset({0, 6, 7, 8, 9}), 400, 2)");
    cr_assert_str_eq(dropped.repr, kept.repr);
    cr_assert_eq(kept.limit_drop, 0, "nothing dropped without a spill arena");
    /* 2 (apply) + 3 (valmax) + 2 (sfilter) grids of 100 distinct rows of
     * 200 cells at the least: 16 bytes a cell */
    cr_assert_gt(kept.used, (size_t)7 * 100 * 200 * 16, "kept: %zu bytes", kept.used);
    cr_assert_lt(dropped.used, (size_t)1 << 20, "dropped: %zu bytes held", dropped.used);
    cr_assert_geq(dropped.limit_drop, kept.used - dropped.used, "the budget counts what was dropped");
}

/* A budget the run would cross keeping everything is crossed dropping too. */
Test(reclaim, the_budget_counts_what_was_dropped)
{
    Outcome kept = run_solver(false, SIZE_MAX);
    Outcome a = run_solver(false, kept.used / 2), b = run_solver(true, kept.used / 2);
    cr_assert_eq(a.err, ERR_MEMORY);
    cr_assert_eq(b.err, ERR_MEMORY);
    cr_assert_eq(run_solver(true, kept.used + kept.used / 4).err, ERR_OK);
}

/* A batt: the first call's values, some dropped around, are reused by the
 * second call, which drops its own (C-dependent) temporaries too. */
Test(reclaim, batt_calls_reuse_what_survived)
{
    static const char batt[] = "from safe_dsl import _get_safe_default\n"
                               "def batt(task_id, S, I, C, log_path):\n"
                               "    s = []\n"
                               "    o = []\n"
                               "    t1 = rbind(upscale, FOUR)\n"
                               "    t2 = rbind(upscale, TEN)\n"
                               "    t3 = compose(t1, t2)\n"
                               "    t4 = compose(palette, t3)\n"
                               "    t5 = hsplit(I, TWO)\n"
                               "    t6 = apply(t4, t5)\n"
                               "    try:\n"
                               "        t7 = t4(C)\n"
                               "    except Exception:\n"
                               "        t7 = _get_safe_default(t4)\n"
                               "    s.append((1, t6, t7))\n"
                               "    return o, s\n";
    char err[512], s1[2][256], s2[2][256];
    size_t used[2];
    for (int spill = 0; spill < 2; spill++) {
        ProgramFile pf;
        cr_assert_eq(program_parse("b.py", batt, &pf, err, sizeof err), 0, "%s", err);
        BattPlan plan;
        interp_batt_plan(&pf.programs[0], &plan);
        Run r;
        run_open(&r, spill, SIZE_MAX);
        Inputs in = {grid10(), v_empty_tuple(), v_none(), "t"};
        BattPair res;
        interp_batt_pair(&r.ctx, &pf.programs[0], &plan, &in, grid10(), 0, &res);
        cr_assert_eq(res.err, ERR_OK);
        cr_assert_eq(res.err_c, ERR_OK);
        snprintf(s1[spill], sizeof s1[spill], "%s", R(res.s));
        snprintf(s2[spill], sizeof s2[spill], "%s", R(res.s_c));
        used[spill] = r.a.used;
        interp_batt_plan_free(&plan);
        run_close(&r);
        program_free(&pf);
    }
    /* the halves' palettes, then C's; the first call's C is None, and
     * t4(None) fails: the safe default of a variable callee, () */
    cr_assert_str_eq(s1[0], "((1, (frozenset({1, 2, 3, 4, 5}), frozenset({0, 6, 7, 8, 9})), ()),)");
    cr_assert_str_eq(s2[0], "((1, (frozenset({1, 2, 3, 4, 5}), frozenset({0, 6, 7, 8, 9})), "
                            "frozenset({0, 1, 2, 3, 4, 5, 6, 7, 8, 9})),)");
    cr_assert_str_eq(s1[1], s1[0]);
    cr_assert_str_eq(s2[1], s2[0]);
    cr_assert_lt(used[1], used[0] / 2, "held %zu bytes, %zu keeping everything", used[1], used[0]);
}
