/* test_sched.c: the scheduler (scheduler/): dedup counts, levels, launches
 * under both policies, signatures, variable callees, guards and errors, and
 * above all that every unit's result equals the sequential interpreter's
 * (runtime/interp.c) for 1 and 2 threads and both policies; with ../shared,
 * the 400 arc-dsl solvers on their own training tasks and mkbatt.py batts. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../runtime/interp.h"
#include "../runtime/tasks.h"
#include "../scheduler/sched.h"
#include "../tracer/program.h"

#define BATT_HEAD "from safe_dsl import _get_safe_default\ndef batt(task_id, S, I, C, log_path):\n    s = []\n    o = []\n"
#define GUARD(t, call, callee) \
    "    try:\n        " t " = " call "\n    except Exception:\n        " t " = _get_safe_default(" callee ")\n"
#define GUARD_ONLY(exc, t, call, callee) \
    "    try:\n        " t " = " call "\n    except " exc ":\n        " t " = _get_safe_default(" callee ")\n"

static const char *const SOLVERS =
    "def solve_a(I):\n"
    "    x1 = rot90(I)\n"
    "    x2 = hmirror(x1)\n"
    "    O = hconcat(I, x2)\n"
    "    return O\n"
    "def solve_b(I):\n"
    "    x1 = rot90(I)\n"
    "    x2 = objects(I, T, F, T)\n"
    "    x3 = size(x2)\n"
    "    O = canvas(x3, UNITY)\n"
    "    return O\n"
    "def solve_c(I):\n"
    "    x1 = objects(I, T, F, F)\n"
    "    x2 = argmax(x1, size)\n"
    "    x3 = rbind(colorcount, ONE)\n"
    "    x4 = x3(x2)\n"
    "    x5 = subgrid(x2, I)\n"
    "    O = upscale(x5, x4)\n"
    "    return O\n"
    "def solve_d(I):\n"
    "    x1 = height(I)\n"
    "    x2 = even(x1)\n"
    "    x3 = branch(x2, vmirror, hmirror)\n"
    "    O = x3(I)\n"
    "    return O\n"
    "def solve_e(I):\n"
    "    x1 = objects(I, T, F, T)\n"
    "    x2 = first(x1)\n"
    "    O = paint(I, x2)\n"
    "    return O\n"
    "def solve_f(I):\n"
    "    x1 = compose(rot90, rot90)\n"
    "    x2 = power(x1, TWO)\n"
    "    x3 = x2(I)\n"
    "    x4 = fork(hconcat, identity, vmirror)\n"
    "    O = x4(x3)\n"
    "    return O\n"
    "def solve_g(I):\n"
    "    x1 = numcolors(I)\n"
    "    x2 = subtract(x1, x1)\n"
    "    x3 = divide(ONE, x2)\n"
    "    O = upscale(I, x3)\n"
    "    return O\n"
    "def solve_h(I):\n"
    "    x1 = partition(I)\n"
    "    x2 = matcher(color, ZERO)\n"
    "    x3 = compose(flip, x2)\n"
    "    x4 = sfilter(x1, x3)\n"
    "    x5 = lbind(recolor, FIVE)\n"
    "    x6 = mapply(x5, x4)\n"
    "    O = paint(I, x6)\n"
    "    return O\n";

/* C-dependent and independent statements, guards of both kinds, a variable callee. */
static const char *const BATT1 =
    BATT_HEAD
    GUARD("t1", "rot90(I)", "rot90")
    "    o.append((1, False, task_id, t1))\n"
    GUARD("t2", "first(C)", "first")
    GUARD_ONLY("(TypeError, AttributeError, ValueError, IndexError, KeyError)", "t3", "shape(C)", "shape")
    GUARD("t4", "equality(t1, C)", "equality")
    "    s.append((4, task_id, 'eq', t4, t3, t2))\n"
    GUARD("t5", "branch(t4, vmirror, hmirror)", "branch")
    GUARD("t6", "t5(I)", "t5")
    "    o.append((6, False, 'x', t6))\n"
    "    t7 = objects(I, T, F, T)\n"
    "    t8 = first(t7)\n"
    "    o.append((8, False, log_path, t8))\n"
    "    return o, s\n";

/* An error the guard does not catch ends the call. */
static const char *const BATT2 =
    BATT_HEAD
    GUARD("t1", "shape(C)", "shape")
    "    s.append((1, t1))\n"
    GUARD_ONLY("IndexError", "t2", "divide(ONE, ZERO)", "divide")
    GUARD("t3", "rot90(I)", "rot90")
    "    o.append((3, False, 'y', t3))\n"
    "    return o, s\n";

/* Safe defaults of closures: a callable default, a non-callable callee. */
static const char *const BATT3 =
    BATT_HEAD
    GUARD("t1", "rbind(C, ONE)", "rbind")
    GUARD("t2", "t1(I)", "t1")
    GUARD("t3", "branch(T, FIVE, vmirror)", "branch")
    GUARD("t4", "t3(I)", "t3")
    GUARD("t5", "divide(ONE, ZERO)", "divide")
    GUARD("t6", "equality(C, I)", "equality")
    GUARD("t7", "branch(t6, hmirror, rot90)", "branch")
    GUARD("t8", "t7(I)", "t7")
    "    s.append((t2, t4, t5, t6))\n"
    "    o.append((8, True, 'z', t8))\n"
    "    return o, s\n";

/* The same statements twice in one call, and a C-derived closure. */
static const char *const BATT4 =
    BATT_HEAD
    GUARD("t1", "objects(I, T, F, T)", "objects")
    GUARD("t2", "objects(I, T, F, T)", "objects")
    GUARD("t3", "size(t1)", "size")
    GUARD("t4", "palette(C)", "palette")
    GUARD("t5", "lbind(contained, t3)", "lbind")
    GUARD("t6", "t5(t4)", "t5")
    GUARD_ONLY("ValueError", "t7", "maximum(t4)", "maximum")
    "    s.append((t6, t7, t2))\n"
    "    o.append((5, False, 'w', t1))\n"
    "    return o, s\n";

static const char *const GRIDS[] = {
    "((0, 1, 0), (1, 1, 0), (0, 0, 2))",
    "((3, 3), (0, 3))",
    "((0, 0), (0, 0))",
    "((0, 1, 0), (1, 1, 0), (0, 0, 2))", /* equal to the first, another tuple */
    "((5, 0, 0, 1), (0, 5, 1, 1))",
};
#define NGRIDS (sizeof GRIDS / sizeof *GRIDS)

/* ---- helpers ---- */

static void parse_ok(ProgramFile *pf, const char *src)
{
    char err[512];
    int rc = program_parse("t.py", src, pf, err, sizeof err);
    cr_assert_eq(rc, 0, "rejected: %s\n--- source:\n%s", err, src);
}

static const Program *find_prog(const ProgramFile *pf, const char *name)
{
    for (size_t k = 0; k < pf->nprograms; k++)
        if (!strcmp(pf->programs[k].name, name))
            return &pf->programs[k];
    cr_assert_fail("no program %s", name);
    return NULL;
}

static SchedUnit unit(uint32_t program, const char *grid, const char *c)
{
    SchedUnit u = {program, V(grid), V("((((1, 2),), ((3, 4),)),)"), c ? V(c) : v_none(), "tsk"};
    return u;
}

/* Build, plan and execute. */
static Sched *run_sched(const Program *const *progs, size_t np, int batt, const SchedUnit *u,
                        size_t nu, SchedPolicy pol, int threads)
{
    Sched *s = sched_build(progs, np, batt, u, nu, 0, 1ull << 30);
    cr_assert_not_null(s);
    sched_plan(s, pol);
    sched_execute(s, threads);
    return s;
}

static Ctx *fresh_ctx(Arena *a, Ctx *c)
{
    arena_init(a);
    ctx_init(c, a);
    return c;
}

/* Same class, and when a value: equal and printed alike (True is not 1). */
static void same_value(Err e1, Value a, Err e2, Value b, const char *what, size_t u)
{
    cr_assert_eq(e1, e2, "unit %zu %s: sched %s, interp %s", u, what, err_name(e1), err_name(e2));
    if (e1)
        return;
    cr_assert(v_eq(a, b), "unit %zu %s: sched %s, interp %s", u, what, R(a), R(b));
    cr_assert_str_eq(R(a), R(b), "unit %zu %s", u, what);
}

/* Every unit's result against interp_solver / interp_batt_pair. */
static void check_units(Sched *s, const Program *const *progs, int batt, const SchedUnit *units,
                        size_t nu)
{
    Arena a1, a2;
    Ctx c1, c2;
    Ctx *cs = fresh_ctx(&a1, &c1), *ci = fresh_ctx(&a2, &c2);
    for (size_t u = 0; u < nu; u++) {
        const Program *p = progs[units[u].program];
        UnitResult r;
        sched_unit_result(s, u, cs, &r);
        Inputs in = {units[u].I, units[u].S, batt ? v_none() : units[u].C, units[u].task_id};
        if (!batt) {
            Value out = v_none();
            ctx_begin_run(ci, 0);
            Err e = interp_solver(ci, p, &in, &out);
            same_value(r.err, r.out, e, out, "out", u);
        } else {
            BattPlan plan;
            interp_batt_plan(p, &plan);
            BattPair bp;
            interp_batt_pair(ci, p, &plan, &in, units[u].C, 0, &bp);
            same_value(r.err, r.o, bp.err, bp.o, "o", u);
            same_value(r.err, r.s, bp.err, bp.s, "s", u);
            same_value(r.err_c, r.s_c, bp.err_c, bp.s_c, "s_c", u);
            interp_batt_plan_free(&plan);
        }
    }
    arena_free(&a1);
    arena_free(&a2);
}

/* Every statement's node runs in a later launch than the nodes of the
 * statements that set its variables (callee included). */
static void check_order(const Sched *s, const Program *const *progs, int batt, const SchedUnit *u,
                        size_t nu)
{
    uint32_t *launch_of = malloc((sched_nnodes(s) + 1) * sizeof *launch_of);
    for (size_t l = 0; l < sched_nlaunches(s); l++) {
        LaunchInfo li;
        sched_launch(s, l, &li);
        for (uint32_t i = 0; i < li.width; i++)
            launch_of[sched_launch_nodes(s, l)[i]] = (uint32_t)l;
    }
    for (size_t k = 0; k < nu; k++)
        for (int call = 0; call <= batt; call++) {
            const Program *p = progs[u[k].program];
            for (size_t j = 0; j < p->nstmts; j++) {
                const Stmt *st = &p->stmts[j];
                if (st->kind != ST_CALL)
                    continue;
                uint32_t me = launch_of[sched_stmt_node(s, k, call, j)];
                for (size_t i = 0; i < j; i++) {
                    const Stmt *pr = &p->stmts[i];
                    int feeds = pr->kind == ST_CALL && !st->callee_prim && st->callee_slot == pr->target;
                    for (unsigned a = 0; a < st->nargs; a++)
                        feeds |= pr->kind == ST_CALL && st->args[a].kind == ARG_VAR &&
                                 st->args[a].slot == pr->target;
                    if (feeds)
                        cr_assert_lt(launch_of[sched_stmt_node(s, k, call, i)], me);
                }
            }
        }
    free(launch_of);
}

/* All four executions (1 and 2 threads, both policies) equal the interpreter. */
static void check_all_ways(const Program *const *progs, size_t np, int batt, const SchedUnit *u,
                           size_t nu)
{
    for (int pol = 0; pol < 2; pol++)
        for (int threads = 1; threads <= 2; threads++) {
            Sched *s = run_sched(progs, np, batt, u, nu, (SchedPolicy)pol, threads);
            check_order(s, progs, batt, u, nu);
            check_units(s, progs, batt, u, nu);
            sched_free(s);
        }
}

/* ---- known answers ---- */

Test(sched, two_solvers_share_their_first_statement)
{
    ProgramFile pf;
    parse_ok(&pf, SOLVERS);
    const Program *progs[2] = {find_prog(&pf, "solve_a"), find_prog(&pf, "solve_b")};
    SchedUnit u[2] = {unit(0, GRIDS[0], NULL), unit(1, GRIDS[0], NULL)};
    Sched *s = run_sched(progs, 2, 0, u, 2, POLICY_DEPTH, 1);
    cr_assert_eq(sched_stats(s)->statements, 7);
    cr_assert_eq(sched_stats(s)->nodes, 6, "rot90(I) is one node");
    cr_assert_eq(sched_stmt_node(s, 0, 0, 0), sched_stmt_node(s, 1, 0, 0));
    check_units(s, progs, 0, u, 2);
    sched_free(s);
    program_free(&pf);
}

Test(sched, equal_input_grids_are_one_node)
{
    ProgramFile pf;
    parse_ok(&pf, SOLVERS);
    const Program *progs[1] = {find_prog(&pf, "solve_a")};
    SchedUnit u[3] = {unit(0, GRIDS[0], NULL), unit(0, GRIDS[3], NULL), unit(0, GRIDS[1], NULL)};
    cr_assert_neq(u[0].I.u.seq, u[1].I.u.seq, "two tuples with equal content");
    Sched *s = run_sched(progs, 1, 0, u, 3, POLICY_DEPTH, 1);
    cr_assert_eq(sched_stats(s)->statements, 9);
    cr_assert_eq(sched_stats(s)->nodes, 6);
    for (size_t k = 0; k < 3; k++)
        cr_assert_eq(sched_stmt_node(s, 0, 0, k), sched_stmt_node(s, 1, 0, k));
    check_units(s, progs, 0, u, 3);
    sched_free(s);
    program_free(&pf);
}

Test(sched, batt_second_call_merges_c_independent_statements)
{
    ProgramFile pf;
    parse_ok(&pf, BATT_HEAD
             GUARD("t1", "rot90(I)", "rot90")
             GUARD("t2", "shape(C)", "shape")
             GUARD("t3", "equality(t1, C)", "equality")
             "    s.append((t2, t3))\n"
             "    return o, s\n");
    const Program *progs[1] = {&pf.programs[0]};
    SchedUnit u[1] = {unit(0, GRIDS[0], GRIDS[1])};
    Sched *s = run_sched(progs, 1, 1, u, 1, POLICY_DEPTH, 1);
    cr_assert_eq(sched_stats(s)->statements, 6);
    cr_assert_eq(sched_stats(s)->nodes, 5, "rot90(I) serves both calls");
    cr_assert_eq(sched_stmt_node(s, 0, 0, 0), sched_stmt_node(s, 0, 1, 0));
    cr_assert_neq(sched_stmt_node(s, 0, 0, 1), sched_stmt_node(s, 0, 1, 1));
    UnitResult r;
    Arena a;
    Ctx c;
    sched_unit_result(s, 0, fresh_ctx(&a, &c), &r);
    cr_assert_eq(r.err, ERR_OK);
    cr_assert_str_eq(R(r.s), "(((), False),)", "shape(None) raised TypeError, caught");
    cr_assert_str_eq(R(r.s_c), "(((2, 2), False),)");
    check_units(s, progs, 1, u, 1);
    arena_free(&a);
    sched_free(s);
    program_free(&pf);
}

Test(sched, levels_and_launches_by_depth)
{
    ProgramFile pf;
    parse_ok(&pf, SOLVERS);
    const Program *progs[1] = {find_prog(&pf, "solve_a")};
    SchedUnit u[3] = {unit(0, GRIDS[0], NULL), unit(0, GRIDS[1], NULL), unit(0, GRIDS[4], NULL)};
    for (int pol = 0; pol < 2; pol++) {
        Sched *s = run_sched(progs, 1, 0, u, 3, (SchedPolicy)pol, 1);
        const SchedStats *st = sched_stats(s);
        cr_assert_eq(st->levels, 3);
        cr_assert_eq(st->launches, 3);
        cr_assert_eq(st->max_width, 3);
        cr_assert_float_eq(st->mean_width, 3.0, 1e-9);
        static const char *const names[] = {"rot90", "hmirror", "hconcat"};
        for (size_t k = 0; k < 3; k++) {
            LaunchInfo li;
            sched_launch(s, k, &li);
            cr_assert_eq(li.level, k);
            cr_assert_eq(li.width, 3);
            cr_assert_str_eq(li.prim->name, names[k]);
            cr_assert_eq(sched_node_level(s, sched_stmt_node(s, 1, 0, k)), k);
        }
        cr_assert_eq(st->nodes_run, 9);
        sched_free(s);
    }
    program_free(&pf);
}

Test(sched, agenda_batches_equal_work_at_different_depths)
{
    ProgramFile pf;
    parse_ok(&pf, "def solve_p(I):\n    x1 = rot90(I)\n    O = hmirror(x1)\n    return O\n"
                  "def solve_q(I):\n    x1 = vmirror(I)\n    x2 = rot90(x1)\n    O = hmirror(x2)\n    return O\n");
    const Program *progs[2] = {&pf.programs[0], &pf.programs[1]};
    SchedUnit u[2] = {unit(0, GRIDS[0], NULL), unit(1, GRIDS[0], NULL)};
    Sched *s = run_sched(progs, 2, 0, u, 2, POLICY_DEPTH, 1);
    cr_assert_eq(sched_stats(s)->levels, 3);
    cr_assert_eq(sched_stats(s)->launches, 5);
    cr_assert_eq(sched_stats(s)->max_width, 1);
    sched_free(s);
    s = run_sched(progs, 2, 0, u, 2, POLICY_AGENDA, 1);
    cr_assert_eq(sched_stats(s)->launches, 4, "hmirror at levels 1 and 2 is one launch");
    cr_assert_eq(sched_stats(s)->max_width, 2);
    LaunchInfo li;
    sched_launch(s, 3, &li);
    cr_assert_str_eq(li.prim->name, "hmirror");
    cr_assert_eq(li.width, 2);
    cr_assert_eq(li.level, 1, "an agenda launch reports its lowest level");
    check_units(s, progs, 0, u, 2);
    sched_free(s);
    program_free(&pf);
}

Test(sched, signatures_split_by_flags_not_by_data)
{
    ProgramFile pf;
    parse_ok(&pf, "def solve_p(I):\n    O = objects(I, T, F, T)\n    return O\n"
                  "def solve_q(I):\n    O = objects(I, T, F, F)\n    return O\n"
                  "def solve_r(I):\n    x1 = rbind(colorcount, ONE)\n    O = apply(x1, I)\n    return O\n"
                  "def solve_s(I):\n    x1 = rbind(colorcount, TWO)\n    O = apply(x1, I)\n    return O\n");
    const Program *progs[4] = {&pf.programs[0], &pf.programs[1], &pf.programs[2], &pf.programs[3]};
    SchedUnit u[6] = {unit(0, GRIDS[0], NULL), unit(0, GRIDS[1], NULL), unit(1, GRIDS[0], NULL),
                      unit(2, GRIDS[0], NULL), unit(2, GRIDS[1], NULL), unit(3, GRIDS[0], NULL)};
    Sched *s = run_sched(progs, 4, 0, u, 6, POLICY_DEPTH, 1);
    uint32_t p0 = sched_stmt_node(s, 0, 0, 0), p1 = sched_stmt_node(s, 1, 0, 0);
    uint32_t q0 = sched_stmt_node(s, 2, 0, 0);
    cr_assert_neq(p0, p1, "two samples, two nodes");
    cr_assert_eq(sched_node_sig(s, p0), sched_node_sig(s, p1), "data does not split");
    cr_assert_neq(sched_node_sig(s, p0), sched_node_sig(s, q0), "T/F flags split");
    uint32_t r0 = sched_stmt_node(s, 3, 0, 1), r1 = sched_stmt_node(s, 4, 0, 1);
    uint32_t s0 = sched_stmt_node(s, 5, 0, 1);
    cr_assert_eq(sched_node_sig(s, r0), sched_node_sig(s, r1), "one closure on two samples");
    cr_assert_neq(sched_node_sig(s, r0), sched_node_sig(s, s0), "another closure splits");
    /* level 0: objects x2 signatures, rbind x2 (ONE / TWO are data) */
    size_t level0 = 0;
    for (size_t l = 0; l < sched_nlaunches(s); l++) {
        LaunchInfo li;
        sched_launch(s, l, &li);
        level0 += li.level == 0;
    }
    cr_assert_eq(level0, 3, "objects TFT, objects TFF, rbind");
    check_units(s, progs, 0, u, 6);
    sched_free(s);
    program_free(&pf);
}

Test(sched, variable_callee_from_branch)
{
    ProgramFile pf;
    parse_ok(&pf, SOLVERS);
    const Program *progs[1] = {find_prog(&pf, "solve_d")};
    SchedUnit u[2] = {unit(0, GRIDS[0], NULL), unit(0, GRIDS[1], NULL)};
    Sched *s = run_sched(progs, 1, 0, u, 2, POLICY_DEPTH, 2);
    LaunchInfo li;
    sched_launch(s, sched_nlaunches(s) - 1, &li);
    cr_assert_null(li.prim, "x3(I): a variable callee");
    cr_assert_eq(li.level, 3);
    cr_assert_eq(li.width, 2);
    Arena a;
    Ctx c;
    UnitResult r;
    sched_unit_result(s, 0, fresh_ctx(&a, &c), &r);
    cr_assert_eq(r.err, ERR_OK);
    cr_assert_str_eq(R(r.out), "((0, 0, 2), (1, 1, 0), (0, 1, 0))", "height 3 is odd: hmirror");
    sched_unit_result(s, 1, &c, &r);
    cr_assert_str_eq(R(r.out), "((3, 3), (3, 0))", "height 2 is even: vmirror");
    arena_free(&a);
    sched_free(s);
    program_free(&pf);
}

Test(sched, guarded_error_takes_the_safe_default)
{
    ProgramFile pf;
    parse_ok(&pf, BATT_HEAD GUARD("t1", "divide(ONE, ZERO)", "divide")
                  GUARD("t2", "first(t1)", "first")
                  "    s.append((t1, t2))\n    return o, s\n");
    const Program *progs[1] = {&pf.programs[0]};
    SchedUnit u[1] = {unit(0, GRIDS[0], GRIDS[1])};
    Sched *s = run_sched(progs, 1, 1, u, 1, POLICY_DEPTH, 1);
    cr_assert_eq(sched_stats(s)->nodes, 2, "no statement depends on C");
    cr_assert_eq(sched_stats(s)->nodes_failed, 2);
    Value v;
    cr_assert_eq(sched_stmt_result(s, 0, 1, 0, &v), ERR_ZERODIV);
    cr_assert_str_eq(R(v), "()", "divide's declared return type is Numerical");
    cr_assert_eq(sched_stmt_result(s, 0, 0, 1, &v), ERR_STOPITER, "first(())");
    cr_assert_str_eq(R(v), "()", "first's declared return type is Any");
    Arena a;
    Ctx c;
    UnitResult r;
    sched_unit_result(s, 0, fresh_ctx(&a, &c), &r);
    cr_assert_eq(r.err, ERR_OK);
    cr_assert_str_eq(R(r.s), "(((), ()),)");
    cr_assert_str_eq(R(r.s_c), "(((), ()),)");
    check_units(s, progs, 1, u, 1);
    arena_free(&a);
    sched_free(s);
    program_free(&pf);
}

Test(sched, uncaught_error_ends_the_call)
{
    ProgramFile pf;
    parse_ok(&pf, BATT2);
    const Program *progs[1] = {&pf.programs[0]};
    SchedUnit u[1] = {unit(0, GRIDS[0], GRIDS[1])};
    Sched *s = run_sched(progs, 1, 1, u, 1, POLICY_DEPTH, 1);
    Value v;
    cr_assert_eq(sched_stmt_result(s, 0, 0, 0, &v), ERR_TYPE, "shape(None), caught");
    cr_assert_eq(sched_stmt_result(s, 0, 0, 2, &v), ERR_ZERODIV);
    cr_assert_eq(sched_stmt_result(s, 0, 0, 3, &v), ERR__COUNT, "after the end of the call");
    cr_assert_eq(sched_stmt_result(s, 0, 1, 3, &v), ERR__COUNT);
    /* shape(None), shape(C), divide ran; rot90(I) was needed by no live call */
    cr_assert_eq(sched_stats(s)->nodes, 4);
    cr_assert_eq(sched_stats(s)->nodes_run, 3);
    Arena a;
    Ctx c;
    UnitResult r;
    sched_unit_result(s, 0, fresh_ctx(&a, &c), &r);
    cr_assert_eq(r.err, ERR_ZERODIV);
    cr_assert_eq(r.err_c, ERR_ZERODIV);
    cr_assert_eq(r.o.tag, VT_NONE);
    cr_assert_eq(r.s_c.tag, VT_NONE);
    check_units(s, progs, 1, u, 1);
    arena_free(&a);
    sched_free(s);
    program_free(&pf);
}

Test(sched, solver_error_ends_the_run)
{
    ProgramFile pf;
    parse_ok(&pf, SOLVERS);
    const Program *progs[1] = {find_prog(&pf, "solve_e")};
    SchedUnit u[2] = {unit(0, GRIDS[2], NULL), unit(0, GRIDS[0], NULL)};
    Sched *s = run_sched(progs, 1, 0, u, 2, POLICY_AGENDA, 1);
    Arena a;
    Ctx c;
    UnitResult r;
    sched_unit_result(s, 0, fresh_ctx(&a, &c), &r);
    cr_assert_eq(r.err, ERR_STOPITER, "no objects on a background grid: %s", err_name(r.err));
    sched_unit_result(s, 1, &c, &r);
    cr_assert_eq(r.err, ERR_OK);
    cr_assert_eq(sched_stats(s)->nodes_run, 5, "paint on the empty grid is not run");
    arena_free(&a);
    sched_free(s);
    program_free(&pf);
}

Test(sched, budget_ends_the_call_whatever_the_guard)
{
    ProgramFile pf;
    parse_ok(&pf, BATT_HEAD GUARD("t1", "rot90(I)", "rot90") "    s.append((t1,))\n    return o, s\n");
    const Program *progs[1] = {&pf.programs[0]};
    SchedUnit u[1] = {unit(0, GRIDS[0], GRIDS[1])};
    Sched *s = sched_build(progs, 1, 1, u, 1, 0, 8);
    sched_plan(s, POLICY_DEPTH);
    sched_execute(s, 1);
    Arena a;
    Ctx c;
    UnitResult r;
    sched_unit_result(s, 0, fresh_ctx(&a, &c), &r);
    cr_assert_eq(r.err, ERR_MEMORY, "%s", err_name(r.err));
    cr_assert_eq(r.err_c, ERR_MEMORY);
    arena_free(&a);
    sched_free(s);
    program_free(&pf);
}

Test(sched, empty_workload)
{
    ProgramFile pf;
    parse_ok(&pf, SOLVERS);
    const Program *progs[1] = {&pf.programs[0]};
    for (int pol = 0; pol < 2; pol++) {
        Sched *s = run_sched(progs, 1, 0, NULL, 0, (SchedPolicy)pol, 2);
        cr_assert_eq(sched_stats(s)->nodes, 0);
        cr_assert_eq(sched_nlaunches(s), 0);
        cr_assert_eq(sched_stats(s)->levels, 0);
        sched_free(s);
    }
    SchedUnit bad = unit(1, GRIDS[0], NULL);
    cr_assert_null(sched_build(progs, 1, 0, &bad, 1, 0, 0), "program index out of range");
    program_free(&pf);
}

/* ---- equality with the interpreter ---- */

Test(sched, solvers_equal_the_interpreter)
{
    ProgramFile pf;
    parse_ok(&pf, SOLVERS);
    const Program *progs[16];
    cr_assert_leq(pf.nprograms, 16);
    for (size_t k = 0; k < pf.nprograms; k++)
        progs[k] = &pf.programs[k];
    SchedUnit u[16 * NGRIDS];
    size_t nu = 0;
    for (size_t p = 0; p < pf.nprograms; p++)
        for (size_t g = 0; g < NGRIDS; g++)
            u[nu++] = unit((uint32_t)p, GRIDS[g], NULL);
    check_all_ways(progs, pf.nprograms, 0, u, nu);
    program_free(&pf);
}

Test(sched, batts_equal_the_interpreter)
{
    const char *const srcs[] = {BATT1, BATT2, BATT3, BATT4};
    ProgramFile pf[4];
    const Program *progs[4];
    for (size_t k = 0; k < 4; k++) {
        parse_ok(&pf[k], srcs[k]);
        progs[k] = &pf[k].programs[0];
    }
    SchedUnit u[4 * NGRIDS * 2];
    size_t nu = 0;
    for (size_t p = 0; p < 4; p++)
        for (size_t g = 0; g < NGRIDS; g++) {
            u[nu++] = unit((uint32_t)p, GRIDS[g], GRIDS[(g + 1) % NGRIDS]);
            u[nu++] = unit((uint32_t)p, GRIDS[g], GRIDS[g]); /* C equal to I */
        }
    check_all_ways(progs, 4, 1, u, nu);
    for (size_t k = 0; k < 4; k++)
        program_free(&pf[k]);
}

/* Nodes whose inner calls each make far more than CTX_RECLAIM_MIN (a grid
 * upscaled 30 times: 100 distinct rows of 300 cells, 480 KB of Values per
 * call, inside apply, valmax and sfilter): the workers keep each call's
 * result and drop the rest (ctx.h), and every unit still equals the
 * interpreter, which keeps everything here. */
Test(sched, inner_calls_drop_their_temporaries)
{
    ProgramFile pf;
    parse_ok(&pf, "def solve_big(I):\n"
                  "    x1 = rbind(upscale, THREE)\n"
                  "    x2 = rbind(upscale, TEN)\n"
                  "    x3 = compose(x1, x2)\n"
                  "    x4 = compose(palette, x3)\n"
                  "    x5 = repeat(I, THREE)\n"
                  "    x6 = apply(x4, x5)\n"
                  "    x7 = compose(size, x4)\n"
                  "    x8 = valmax(x5, x7)\n"
                  "    x9 = compose(positive, x7)\n"
                  "    x10 = sfilter(x5, x9)\n"
                  "    x11 = apply(size, x6)\n"
                  "    x12 = astuple(x8, x8)\n"
                  "    x13 = combine(x11, x12)\n"
                  "    x14 = combine(x13, x10)\n"
                  "    return x14\n");
    const Program *progs[1] = {&pf.programs[0]};
    const char *grid = "((1, 2, 3, 4, 5, 6, 7, 8, 9, 0), (1, 2, 3, 4, 5, 6, 7, 8, 9, 0), "
                       "(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), (1, 2, 3, 4, 5, 6, 7, 8, 9, 0), "
                       "(1, 2, 3, 4, 5, 6, 7, 8, 9, 0), (3, 2, 3, 4, 5, 6, 7, 8, 9, 0), "
                       "(1, 2, 3, 4, 5, 6, 7, 8, 9, 0), (1, 2, 3, 4, 5, 6, 7, 8, 9, 0), "
                       "(1, 2, 3, 4, 5, 6, 7, 8, 9, 0), (1, 2, 3, 4, 5, 6, 7, 8, 9, 9))";
    SchedUnit u[2] = {unit(0, grid, NULL), unit(0, GRIDS[0], NULL)};
    check_all_ways(progs, 1, 0, u, 2);
    program_free(&pf);
}

/* Windows: consecutive Scheds built in one SchedShared (atoms and program
 * info made once) give every unit what one Sched over all units gives, and
 * the same input keys: a window's I meets its atom from an earlier window. */
Test(sched, windows_in_one_shared_equal_one_graph)
{
    ProgramFile pf;
    parse_ok(&pf, SOLVERS);
    const Program *progs[16];
    for (size_t k = 0; k < pf.nprograms; k++)
        progs[k] = &pf.programs[k];
    SchedUnit u[16 * NGRIDS];
    size_t nu = 0;
    for (size_t g = 0; g < NGRIDS; g++)
        for (size_t p = 0; p < pf.nprograms; p++)
            u[nu++] = unit((uint32_t)p, GRIDS[g], NULL);
    SchedShared *sh = sched_shared_new(progs, pf.nprograms, 0);
    SchedArenas arenas;
    sched_arenas_init(&arenas, 2);
    for (size_t u0 = 0; u0 < nu; u0 += pf.nprograms) {
        Sched *s = sched_build_in(sh, u + u0, pf.nprograms, 0, 1ull << 30);
        cr_assert_not_null(s);
        cr_assert_null(sched_build_in(sh, u, 1, 0, 0), "one Sched at a time in a SchedShared");
        /* plans after the first take memory past the window's reserved block */
        sched_plan(s, POLICY_AGENDA);
        sched_plan(s, POLICY_DEPTH);
        sched_plan(s, POLICY_AGENDA);
        sched_plan(s, POLICY_DEPTH);
        sched_execute_in(s, 2, &arenas);
        check_units(s, progs, 0, u + u0, pf.nprograms);
        sched_free(s);
    }
    sched_arenas_free(&arenas);
    sched_shared_free(sh);
    program_free(&pf);
}

/* ---- the shared corpora ---- */

typedef struct Workload {
    ProgramFile pf;
    TaskSet ts;
    const Program **progs;
    SchedUnit *units;
    size_t nprogs, nunits;
} Workload;

static void add_sample(Workload *w, uint32_t p, const Task *t, const Sample *sm, int batt)
{
    w->units = realloc(w->units, (w->nunits + 1) * sizeof *w->units);
    w->units[w->nunits++] = (SchedUnit){p, sm->input, t->S, batt ? sm->output : v_none(), t->key};
}

/* Each solver on every sample of its own task. */
static int load_own(Workload *w, const char *shared)
{
    char path[4096], err[512];
    memset(w, 0, sizeof *w);
    snprintf(path, sizeof path, "%s/reference/arc-dsl/solvers.py", shared);
    cr_assert_eq(program_load(path, &w->pf, err, sizeof err), 0, "%s", err);
    snprintf(path, sizeof path, "%s/arc/training", shared);
    if (taskset_load(path, &w->ts, err, sizeof err) != 0)
        return 0;
    w->progs = calloc(w->pf.nprograms, sizeof *w->progs);
    for (size_t k = 0; k < w->pf.nprograms; k++) {
        long t = taskset_find(&w->ts, w->pf.programs[k].task);
        if (t < 0)
            continue;
        uint32_t p = (uint32_t)w->nprogs;
        w->progs[w->nprogs++] = &w->pf.programs[k];
        const Task *task = &w->ts.tasks[t];
        for (size_t i = 0; i < task->ntrain; i++)
            add_sample(w, p, task, &task->train[i], 0);
        for (size_t i = 0; i < task->ntest; i++)
            add_sample(w, p, task, &task->test[i], 0);
    }
    return 1;
}

static void free_workload(Workload *w)
{
    free(w->progs);
    free(w->units);
    program_free(&w->pf);
    taskset_free(&w->ts);
}

Test(sched, shared_solvers_own_mode_equal_the_interpreter, .timeout = 600)
{
    const char *shared = t_shared();
    if (!shared)
        cr_skip_test("shared folder not found");
    Workload w;
    if (!load_own(&w, shared))
        cr_skip_test("no training tasks");
    cr_assert_geq(w.nprogs, 400);
    Sched *s = sched_build(w.progs, w.nprogs, 0, w.units, w.nunits, 60, 1ull << 31);
    cr_assert_not_null(s);
    sched_plan(s, POLICY_DEPTH);
    sched_execute(s, 4);
    const SchedStats *st = sched_stats(s);
    fprintf(stderr,
            "sched own: %zu units, %llu statements, %llu nodes, %llu levels, %llu launches "
            "(max %llu, mean %.1f); build %.0f + plan %.0f ns/node, exec %.3f s\n",
            w.nunits, (unsigned long long)st->statements, (unsigned long long)st->nodes,
            (unsigned long long)st->levels, (unsigned long long)st->launches,
            (unsigned long long)st->max_width, st->mean_width,
            (double)st->build_ns / (double)st->nodes, (double)st->plan_ns / (double)st->nodes,
            (double)st->exec_ns / 1e9);
    check_units(s, w.progs, 0, w.units, w.nunits);
    sched_free(s);
    /* the agenda plan, on two threads, gives the same; the inputs' hashes
     * are cached by now, so this build measures the graph merge alone */
    s = run_sched(w.progs, w.nprogs, 0, w.units, w.nunits, POLICY_AGENDA, 2);
    fprintf(stderr, "sched own agenda: %llu launches, build %.0f (hashes cached) + plan %.0f ns/node\n",
            (unsigned long long)sched_stats(s)->launches,
            (double)sched_stats(s)->build_ns / (double)sched_stats(s)->nodes,
            (double)sched_stats(s)->plan_ns / (double)sched_stats(s)->nodes);
    check_units(s, w.progs, 0, w.units, w.nunits);
    sched_free(s);
    free_workload(&w);
}

Test(sched, shared_mkbatt_equals_the_interpreter, .timeout = 600)
{
    const char *shared = t_shared();
    if (!shared)
        cr_skip_test("shared folder not found");
    if (system("python3 -c pass >/dev/null 2>&1") != 0)
        cr_skip_test("python3 not found");
    char path[4096], cmd[8192], err[512], tmp[] = "/tmp/battrace-sched-XXXXXX";
    cr_assert_not_null(mkdtemp(tmp));
    Workload w;
    memset(&w, 0, sizeof w);
    snprintf(path, sizeof path, "%s/arc/training", shared);
    cr_assert_eq(taskset_load(path, &w.ts, err, sizeof err), 0, "%s", err);
    static const char *const flags[] = {"--count 24 --seed 1 --mutate 0.1",
                                        "--count 16 --seed 3 --mutate 0.2 --except tuple"};
    for (int f = 0; f < 2; f++) {
        snprintf(path, sizeof path, "%s/b%d.py", tmp, f);
        snprintf(cmd, sizeof cmd, "python3 %s/tools/mkbatt.py %s/reference/arc-dsl/solvers.py %s -o %s >/dev/null 2>&1",
                 shared, shared, flags[f], path);
        cr_assert_eq(system(cmd), 0, "mkbatt.py failed");
        ProgramFile pf;
        cr_assert_eq(program_load(path, &pf, err, sizeof err), 0, "%s", err);
        unlink(path);
        const Program *progs[1] = {&pf.programs[0]};
        w.nunits = 0;
        for (size_t t = 0; t < w.ts.ntasks; t += 8) /* a spread of tasks */
            for (size_t i = 0; i < w.ts.tasks[t].ntrain; i++)
                add_sample(&w, 0, &w.ts.tasks[t], &w.ts.tasks[t].train[i], 1);
        for (int pol = 0; pol < 2; pol++) {
            Sched *s = run_sched(progs, 1, 1, w.units, w.nunits, (SchedPolicy)pol, 1 + pol);
            check_units(s, progs, 1, w.units, w.nunits);
            fprintf(stderr, "sched mkbatt %d/%d: %zu units, %llu statements, %llu nodes, %llu failed\n", f, pol,
                    w.nunits, (unsigned long long)sched_stats(s)->statements,
                    (unsigned long long)sched_stats(s)->nodes,
                    (unsigned long long)sched_stats(s)->nodes_failed);
            sched_free(s);
        }
        program_free(&pf);
    }
    rmdir(tmp);
    free(w.units);
    taskset_free(&w.ts);
}

/* Python compares functions by identity: two statements that build the same
 * closure make two functions. Replay must not merge them into one. */
Test(sched, closures_built_twice_stay_distinct)
{
    ProgramFile pf;
    parse_ok(&pf, "def solve_t(I):\n"
                  "    x1 = compose(rot90, rot90)\n"
                  "    x2 = compose(rot90, rot90)\n"
                  "    x3 = equality(x1, x2)\n"
                  "    x4 = equality(x1, x1)\n"
                  "    x5 = x1(I)\n"
                  "    x6 = x2(I)\n"
                  "    O = astuple(x3, x4)\n"
                  "    return O\n");
    const Program *progs[1] = {&pf.programs[0]};
    SchedUnit u[2] = {unit(0, "((1, 2), (3, 4))", NULL), unit(0, "((1, 2), (3, 4))", NULL)};
    Sched *s = run_sched(progs, 1, 0, u, 2, POLICY_DEPTH, 1);
    Arena a;
    Ctx c;
    UnitResult r;
    sched_unit_result(s, 0, fresh_ctx(&a, &c), &r);
    cr_assert_eq(r.err, ERR_OK);
    cr_assert_str_eq(R(r.out), "(False, True)", "as the interpreter: x1 is not x2");
    /* the same statement on two equal samples still merges: 7 statements, 7 nodes */
    cr_assert_eq(sched_stats(s)->statements, 14);
    cr_assert_eq(sched_stats(s)->nodes, 7);
    check_units(s, progs, 0, u, 2);
    arena_free(&a);
    sched_free(s);
    program_free(&pf);
}
