/* test_fastpaths.c: the paths added to make `battrace run` faster.
 *
 * - slices and crops: the flags set without a scan are those mk_tuple
 *   derives from the items;
 * - v_make: every immediate constructor lays a Value out as the fields say,
 *   padding zeroed (values are compared and hashed by their fields, but a
 *   packed value must still read back what was put in);
 * - arena_shrink_last / seq_shrink: the latest allocation gives its tail
 *   back, anything else is left alone;
 * - occurrences of one-colour rectangles (one pass into a shrunk Seq) and
 *   asobject of grids (one colour skips the count) against the definitions
 *   in dsl.py, evaluated here cell by cell on generated grids;
 * - a batt's appends: items read by frame index, and the flags a str, bool
 *   or None item settles: the tuples mk_tuple builds from the same items;
 * - grid primitives that give their grid back when no cell changes, and
 *   toobject's cells written in order when their colours ascend: the
 *   generic path's values, on the same grids without SEQ_GRID. */
#include "support.h"

#include <stdio.h>
#include <string.h>

#include "../runtime/interp.h"
#include "../runtime/pyops.h"

/* A Value built field by field over zeroed bytes, as the constructors used to. */
static Value by_fields(uint8_t tag, int32_t c, int64_t i)
{
    Value v;
    memset(&v, 0, sizeof v);
    v.tag = tag;
    v.c = c;
    v.u.i = i;
    return v;
}

Test(fastpaths, constructors_lay_out_fields)
{
    Value p = v_pair(-3, 7), c = v_cell(9, 2147483647, -2147483647 - 1);
    cr_assert(p.tag == VT_PAIR && p.c == 0 && p.u.p.a == -3 && p.u.p.b == 7);
    cr_assert(c.tag == VT_CELL && c.c == 9 && c.u.p.a == 2147483647 && c.u.p.b == -2147483647 - 1);
    Value i = v_int(-5), want = by_fields(VT_INT, 0, -5);
    cr_assert(memcmp(&i, &want, sizeof i) == 0);
    Value b = v_bool(true), wantb = by_fields(VT_BOOL, 0, 1);
    cr_assert(memcmp(&b, &wantb, sizeof b) == 0);
    Value n = v_none(), wantn = by_fields(VT_NONE, 0, 0);
    cr_assert(memcmp(&n, &wantn, sizeof n) == 0);
    Value x, y;
    v_put(&x, c);
    v_copy(&y, &x);
    cr_assert(memcmp(&y, &c, sizeof c) == 0);
    cr_assert(v_eq(p, V("(-3, 7)")));
}

Test(fastpaths, mk_tuple2_matches_mk_tuple)
{
    Ctx *ctx = t_ctx();
    const char *pairs[][2] = {{"1", "2"}, {"3", "(4, 5)"}, {"True", "1"}, {"(1, 2)", "frozenset({1})"},
                              {"4294967296", "0"}, {"None", "()"}};
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++) {
        Value a = V(pairs[k][0]), b = V(pairs[k][1]), it[2] = {a, b}, t1, t2;
        cr_assert_eq(mk_tuple(ctx, 2, it, &t1), ERR_OK);
        cr_assert_eq(mk_tuple2(ctx, a, b, &t2), ERR_OK);
        cr_assert_str_eq(R(t1), R(t2));
        cr_assert_eq(t1.tag, t2.tag, "(%s, %s)", pairs[k][0], pairs[k][1]);
    }
}

Test(fastpaths, arena_shrink_last)
{
    Arena a;
    arena_init(&a);
    unsigned char *p = arena_alloc(&a, 1000);
    size_t used = a.used;
    arena_shrink_last(&a, p, 1000, 100);
    cr_assert_eq(a.used, used - (1008 - 112));
    unsigned char *q = arena_alloc(&a, 16);
    cr_assert_eq(q, p + 112, "the next allocation takes the given-back tail");
    arena_shrink_last(&a, p, 112, 16); /* p is no longer the latest */
    cr_assert_eq(arena_alloc(&a, 16), q + 16);
    arena_free(&a);
}

Test(fastpaths, seq_shrink_keeps_items)
{
    Ctx *ctx = t_ctx();
    Seq *s = seq_alloc(ctx, 64);
    for (int k = 0; k < 64; k++)
        s->items[k] = v_int(k);
    seq_shrink(ctx, s, 64, 5);
    Value *after = ctx_alloc(ctx, sizeof(Value));
    *after = v_int(99);
    cr_assert_eq(s->n, 5u);
    for (int k = 0; k < 5; k++)
        cr_assert_eq(s->items[k].u.i, k);
    cr_assert_eq((unsigned char *)after, (unsigned char *)&s->items[5]);
}

/* A deterministic grid of colours 0..ncol-1 (xorshift). */
static Value gen_grid(Ctx *ctx, size_t h, size_t w, int ncol, uint64_t *seed)
{
    int64_t *cells = ctx_alloc(ctx, h * w * sizeof *cells);
    for (size_t k = 0; k < h * w; k++) {
        *seed ^= *seed << 13, *seed ^= *seed >> 7, *seed ^= *seed << 17;
        cells[k] = (int64_t)(*seed % 7 < 5 ? 0 : *seed % (uint64_t)ncol);
    }
    Value g;
    cr_assert_eq(mk_grid(ctx, h, w, cells, &g), ERR_OK);
    return g;
}

/* dsl.py's occurrences for a one-colour oh x ow rectangle, cell by cell:
 * the placements (i, j), row-major, where every cell of the rectangle lies
 * in the grid and has the colour. */
static size_t occurrences_by_definition(Value g, int64_t colour, size_t oh, size_t ow, Value *hits)
{
    size_t h = grid_h(g), w = grid_w(g), n = 0;
    for (size_t i = 0; i + oh <= h; i++)
        for (size_t j = 0; j + ow <= w; j++) {
            bool all = true;
            for (size_t a = 0; a < oh && all; a++)
                for (size_t b = 0; b < ow && all; b++)
                    all = grid_at(g, i + a, j + b) == colour;
            if (all)
                hits[n++] = v_pair((int32_t)i, (int32_t)j);
        }
    return n;
}

Test(fastpaths, occurrences_of_rectangles)
{
    Ctx *ctx = t_ctx();
    const Prim *occ = prim_lookup("occurrences"), *canvas = prim_lookup("canvas"),
               *asobject = prim_lookup("asobject");
    uint64_t seed = 88172645463325252ull;
    Value hits[30 * 30];
    for (int round = 0; round < 40; round++) {
        size_t h = 1 + (size_t)round % 13, w = 1 + (size_t)(round * 7) % 17;
        Value g = gen_grid(ctx, h, w, 3, &seed);
        for (size_t oh = 1; oh <= 4; oh++)
            for (size_t ow = 1; ow <= 5; ow++)
                for (int64_t colour = 0; colour < 2; colour++) {
                    /* the object as solvers make it: asobject(canvas(c, (oh, ow))) */
                    Value dims, cv, obj, got, a2[2];
                    cr_assert_eq(mk_pair(ctx, (int64_t)oh, (int64_t)ow, &dims), ERR_OK);
                    a2[0] = v_int(colour), a2[1] = dims;
                    cr_assert_eq(canvas->fn(ctx, a2, &cv), ERR_OK);
                    cr_assert_eq(asobject->fn(ctx, &cv, &obj), ERR_OK);
                    a2[0] = g, a2[1] = obj;
                    cr_assert_eq(occ->fn(ctx, a2, &got), ERR_OK);
                    size_t n = occurrences_by_definition(g, colour, oh, ow, hits);
                    Value want;
                    cr_assert_eq(mk_set(ctx, n, hits, &want), ERR_OK);
                    cr_assert(v_eq(got, want), "%zux%zu of %lld in %s: %s, expected %s", oh, ow,
                              (long long)colour, R(g), R(got), R(want));
                    Value *next = ctx_alloc(ctx, sizeof(Value)); /* the shrunk tail is reused */
                    *next = v_int(-1);
                    cr_assert(v_eq(got, want), "a later allocation overwrote the result");
                }
    }
}

Test(fastpaths, asobject_of_grids)
{
    Ctx *ctx = t_ctx();
    const Prim *asobject = prim_lookup("asobject");
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (int round = 0; round < 30; round++) {
        size_t h = 1 + (size_t)round % 9, w = 1 + (size_t)(round * 5) % 11;
        int ncol = round % 3 == 0 ? 1 : 4; /* one colour: a canvas */
        Value g = gen_grid(ctx, h, w, ncol, &seed), got;
        cr_assert_eq(asobject->fn(ctx, &g, &got), ERR_OK);
        /* dsl.py: frozenset((grid[i][j], (i, j)) for every cell) */
        Value *cells = ctx_alloc(ctx, h * w * sizeof *cells);
        for (size_t i = 0; i < h; i++)
            for (size_t j = 0; j < w; j++)
                cells[i * w + j] = v_cell((int32_t)grid_at(g, i, j), (int32_t)i, (int32_t)j);
        Value want;
        cr_assert_eq(mk_set(ctx, h * w, cells, &want), ERR_OK);
        cr_assert_str_eq(R(got), R(want), "asobject(%s)", R(g));
    }
}

/* A value as mk_tuple builds it from its items: the flags tuple_flags
 * derives item by item, and a packed pair for two ints. */
static Value rebuilt(Value t)
{
    Value r;
    cr_assert_eq(mk_tuple(t_ctx(), v_len(t), t.u.seq->items, &r), ERR_OK);
    return r;
}

static void check_flags_as_built(Value got, const char *what)
{
    if (got.tag != VT_TUPLE || !v_len(got))
        return;
    Value want = rebuilt(got);
    cr_assert_eq(got.tag, want.tag, "%s: %s", what, R(got));
    cr_assert_eq(v_flags(got), v_flags(want), "%s: flags %u, built %u", what, v_flags(got), v_flags(want));
}

/* Slices and crops set their flags without a scan (a slice of ints is ints,
 * of a grid's rows a grid): the same flags mk_tuple derives, and two ints
 * still a packed pair, over every slice of an int tuple, a grid and a mixed
 * tuple, and crops of every size. */
Test(fastpaths, slices_keep_the_flags_items_give)
{
    Ctx *ctx = t_ctx();
    const char *tuples[] = {"(1, 2, 3, 4, 5)", "((1, 2, 3), (4, 5, 6), (7, 8, 9), (1, 1, 1))",
                            "((1, 2), (3, 4), (5, 6))", "(1, (2, 3), 4, 5)", "(True, 1, 2, 3)"};
    for (size_t t = 0; t < sizeof tuples / sizeof *tuples; t++) {
        Value v = V(tuples[t]);
        int64_t n = (int64_t)v_len(v);
        for (int64_t a = 0; a <= n; a++)
            for (int64_t b = a; b <= n; b++) {
                Value got;
                cr_assert_eq(py_slice(ctx, v, v_int(a), v_int(b), &got), ERR_OK);
                char what[96];
                snprintf(what, sizeof what, "%s[%lld:%lld]", tuples[t], (long long)a, (long long)b);
                cr_assert_eq(v_len(got), (size_t)(b - a), "%s", what);
                check_flags_as_built(got, what);
                if (b - a == 2 && v_item(v, (size_t)a).tag == VT_INT && v_item(v, (size_t)a + 1).tag == VT_INT)
                    cr_assert_eq(got.tag, VT_PAIR, "%s: two ints pack", what);
            }
    }
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            for (int h = 0; h <= 4; h++)
                for (int w = 0; w <= 5; w++) {
                    char start[32], dims[32], what[96];
                    snprintf(start, sizeof start, "(%d, %d)", i, j);
                    snprintf(dims, sizeof dims, "(%d, %d)", h, w);
                    snprintf(what, sizeof what, "crop at %s of %s", start, dims);
                    Value got;
                    cr_assert_eq(t_call("crop", &got, T_ARGS("((1, 2, 3, 4), (5, 6, 7, 8), (9, 0, 1, 2))", start, dims)),
                                 ERR_OK, "%s", what);
                    check_flags_as_built(got, what);
                }
}

/* Every shape of append item: constants of each kind (pooled in the frame
 * with the callee primitives), inputs and variables, two items that pack
 * into a pair or a cell, more than four (no frame indices), and a variable
 * holding a pair, a grid or a set. Each tuple in o and s must be what
 * mk_tuple makes of its items: the same kind and flags. */
Test(fastpaths, appends_build_what_mk_tuple_builds)
{
    static const char source[] =
        "from safe_dsl import _get_safe_default\n"
        "def batt(task_id, S, I, C, log_path):\n"
        "    s = []\n"
        "    o = []\n"
        "    try:\n"
        "        t1 = astuple(ONE, TWO)\n"
        "    except Exception:\n"
        "        t1 = _get_safe_default(astuple)\n"
        "    try:\n"
        "        t2 = asindices(I)\n"
        "    except Exception:\n"
        "        t2 = _get_safe_default(asindices)\n"
        "    o.append((1, False, 'abc', I))\n"
        "    o.append((2, 'x', 'y', t1))\n"
        "    s.append((3, None, t2))\n"
        "    s.append((4, t1))\n"
        "    s.append((5, 6))\n"
        "    s.append((7, 8, 9))\n"
        "    s.append((t1, t1, t1))\n"
        "    s.append((I, I))\n"
        "    s.append((1, 2, 3, 4, 5))\n"
        "    s.append((1, 'a', 2, 'b', t2))\n"
        "    s.append((task_id, C, S))\n"
        "    s.append((True, 1, 2))\n"
        "    return o, s\n";
    char err[512];
    ProgramFile pf;
    cr_assert_eq(program_parse("appends.py", source, &pf, err, sizeof err), 0, "%s", err);
    const Program *p = &pf.programs[0];
    Ctx *ctx = t_ctx();
    BattPlan plan;
    interp_batt_plan(p, &plan);
    Inputs in = {V("((1, 2, 3), (4, 5, 6))"), v_empty_tuple(), v_none(), "t"};
    BattPair res;
    interp_batt_pair(ctx, p, &plan, &in, V("((7, 8), (9, 0))"), 0, &res);
    interp_batt_plan_free(&plan);
    cr_assert_eq(res.err, ERR_OK);
    cr_assert_eq(res.err_c, ERR_OK);
    const Value lists[] = {res.o, res.s, res.s_c};
    const size_t sizes[] = {2, 10, 10};
    for (int l = 0; l < 3; l++) {
        cr_assert_eq(v_len(lists[l]), sizes[l], "list %d: %s", l, R(lists[l]));
        for (size_t k = 0; k < v_len(lists[l]); k++) {
            Value got = v_item(lists[l], k), want = got;
            if (got.tag == VT_TUPLE)
                want = rebuilt(got);
            char what[64];
            snprintf(what, sizeof what, "list %d item %zu", l, k);
            cr_assert_eq(got.tag, want.tag, "%s: %s", what, R(got));
            if (got.tag == VT_TUPLE)
                cr_assert_eq(v_flags(got), v_flags(want), "%s: flags %u, built %u", what, v_flags(got),
                             v_flags(want));
        }
    }
    /* the packed ones, spelled out */
    cr_assert_eq(v_item(res.s, 1).tag, VT_CELL, "(4, t1): %s", R(v_item(res.s, 1)));
    cr_assert_eq(v_item(res.s, 2).tag, VT_PAIR, "(5, 6): %s", R(v_item(res.s, 2)));
    cr_assert_str_eq(R(v_item(res.s, 5)), "(((1, 2, 3), (4, 5, 6)), ((1, 2, 3), (4, 5, 6)))");
    cr_assert_str_eq(R(v_item(res.s_c, 8)), "('t', ((7, 8), (9, 0)), ())");
    cr_assert_str_eq(R(v_item(res.s, 8)), "('t', None, ())");
    program_free(&pf);
}

/* A call of five to eight arguments has no frame indices (STMT_FAST_ARGS)
 * and takes the interpreter's other path: callee and arguments read by
 * their kinds. No DSL function takes five, so Python raises TypeError, and
 * in a batt the except clause gives the safe default and the run goes on. */
Test(fastpaths, calls_of_five_or_more_arguments)
{
    static const char *sources[] = {
        "def solve_t(I):\n    x1 = rbind(rot90, I)\n    x2 = x1(I, I, ONE, I, rot90)\n    return x2\n",
        "def solve_t(I):\n    x1 = I(I, T, ONE, I, rot90, I)\n    return x1\n",
    };
    Inputs in = {V("((1, 2), (3, 4))"), v_empty_tuple(), v_none(), "t"};
    for (size_t k = 0; k < 2; k++) {
        char err[512];
        ProgramFile pf;
        cr_assert_eq(program_parse("five.py", sources[k], &pf, err, sizeof err), 0, "%s", err);
        cr_assert(!pf.programs[0].stmts[pf.programs[0].nstmts - 1].fast, "the call has no frame indices");
        Value out;
        ctx_begin_run(t_ctx(), 0);
        cr_assert_eq(interp_solver(t_ctx(), &pf.programs[0], &in, &out), ERR_TYPE, "program %zu", k);
        program_free(&pf);
    }
    static const char batt[] = "from safe_dsl import _get_safe_default\n"
                               "def batt(task_id, S, I, C, log_path):\n"
                               "    s = []\n"
                               "    o = []\n"
                               "    try:\n"
                               "        t1 = rbind(rot90, I)\n"
                               "    except Exception:\n"
                               "        t1 = _get_safe_default(rbind)\n"
                               "    try:\n"
                               "        t2 = t1(I, C, ONE, I, rot90)\n"
                               "    except TypeError:\n"
                               "        t2 = _get_safe_default(t1)\n"
                               "    s.append((1, t2, rot90, I, C, 'x'))\n"
                               "    return o, s\n";
    char err[512];
    ProgramFile pf;
    cr_assert_eq(program_parse("five.py", batt, &pf, err, sizeof err), 0, "%s", err);
    BattPlan plan;
    interp_batt_plan(&pf.programs[0], &plan);
    BattPair res;
    interp_batt_pair(t_ctx(), &pf.programs[0], &plan, &in, V("((5,),)"), 0, &res);
    interp_batt_plan_free(&plan);
    cr_assert(res.err == ERR_OK && res.err_c == ERR_OK);
    /* t1's safe default is (), whatever t1 holds (safe_dsl's for a non-DSL name) */
    cr_assert_eq(v_len(res.s), 1);
    Value item = v_item(res.s, 0);
    cr_assert_eq(v_len(item), 6);
    cr_assert_str_eq(R(v_item(item, 1)), "()");
    cr_assert(v_item(item, 2).tag == VT_FUNC && v_item(item, 2).u.fn->prim == prim_lookup("rot90"));
    cr_assert_str_eq(R(v_item(item, 3)), "((1, 2), (3, 4))");
    cr_assert_str_eq(R(v_item(item, 4)), "None");
    cr_assert_str_eq(R(v_item(v_item(res.s_c, 0), 4)), "((5,),)");
    program_free(&pf);
}

/* Program `source`'s batt on each sample (I, C) with its plan and with the
 * statement-by-statement walk: o, s, s_c and both classes the same. Counts
 * the second calls that ended with an error and those that returned. */
static void in_place_against_walk(const char *source, const char *samples[][2], size_t n, int *ended,
                                  int *returned)
{
    char err[512];
    ProgramFile pf;
    cr_assert_eq(program_parse("inplace.py", source, &pf, err, sizeof err), 0, "%s", err);
    const Program *p = &pf.programs[0];
    BattPlan plan, walk;
    interp_batt_plan(p, &plan);
    cr_assert(plan.in_place);
    walk = plan;
    walk.in_place = false;
    for (size_t k = 0; k < n; k++) {
        Inputs in = {V(samples[k][0]), v_empty_tuple(), v_none(), "t"};
        Value C = V(samples[k][1]);
        BattPair a, b;
        interp_batt_pair(t_ctx(), p, &plan, &in, C, 0, &a);
        interp_batt_pair(t_ctx(), p, &walk, &in, C, 0, &b);
        cr_assert_eq(a.err, b.err, "sample %zu", k);
        cr_assert_eq(a.err_c, b.err_c, "sample %zu: %d against %d", k, a.err_c, b.err_c);
        cr_assert_str_eq(R(a.o), R(b.o), "sample %zu", k);
        cr_assert_str_eq(R(a.s), R(b.s), "sample %zu", k);
        cr_assert_str_eq(R(a.s_c), R(b.s_c), "sample %zu", k);
        *ended += a.err_c != ERR_OK, *returned += a.err_c == ERR_OK;
    }
    interp_batt_plan_free(&plan);
    program_free(&pf);
}

/* A batt's second call in the first one's frame (BattPlan.in_place) gives
 * what the statement-by-statement walk gives: on samples where C-tainted
 * statements fail and are caught, where one the clause does not catch ends
 * the second call, where an unguarded statement ends the first at once, and
 * where the first ends after statements the second reuses (the walk then
 * takes their values from the first call's variables). A variable assigned
 * twice keeps the walk. */
Test(fastpaths, second_call_in_place_matches_the_walk)
{
    static const char source[] =
        "from safe_dsl import _get_safe_default\n"
        "def batt(task_id, S, I, C, log_path):\n"
        "    s = []\n"
        "    o = []\n"
        "    t0 = first(I)\n"
        "    try:\n"
        "        t1 = height(I)\n"
        "    except Exception:\n"
        "        t1 = _get_safe_default(height)\n"
        "    try:\n"
        "        t2 = add(t1, C)\n"
        "    except Exception:\n"
        "        t2 = _get_safe_default(add)\n"
        "    try:\n"
        "        t3 = shape(C)\n"
        "    except (TypeError, IndexError):\n"
        "        t3 = _get_safe_default(shape)\n"
        "    try:\n"
        "        t4 = multiply(t1, TWO)\n"
        "    except Exception:\n"
        "        t4 = _get_safe_default(multiply)\n"
        "    o.append((1, t1, t4, t0))\n"
        "    s.append((2, t2, t3))\n"
        "    try:\n"
        "        t5 = last(C)\n"
        "    except TypeError:\n"
        "        t5 = _get_safe_default(last)\n"
        "    s.append((3, t4, t5))\n"
        "    try:\n"
        "        t6 = first(t5)\n"
        "    except Exception:\n"
        "        t6 = _get_safe_default(first)\n"
        "    s.append((4, t6, t1))\n"
        "    return o, s\n";
    const char *samples[][2] = {
        {"((1, 2), (3, 4))", "((5, 6, 7), (8, 9, 0))"},
        {"((1, 2), (3, 4))", "()"},   /* last(()): ValueError, uncaught: s_c ends */
        {"((1, 2, 3), (4, 5, 6), (7, 8, 9))", "((1,),)"},
        {"((1,),)", "()"},
        {"()", "((1,),)"},            /* first(()) ends the first call */
        {"((1, 2),)", "None"},
        {"((1, 2),)", "3"},           /* shape(3), last(3): TypeError, caught */
    };
    int ended = 0, returned = 0;
    in_place_against_walk(source, samples, sizeof samples / sizeof *samples, &ended, &returned);
    cr_assert(ended >= 2 && returned >= 2, "%d second calls ended, %d returned", ended, returned);

    static const char late_end[] = /* the first call ends at t3 (C is None), the second goes on */
        "from safe_dsl import _get_safe_default\n"
        "def batt(task_id, S, I, C, log_path):\n"
        "    s = []\n"
        "    o = []\n"
        "    try:\n"
        "        t1 = height(I)\n"
        "    except Exception:\n"
        "        t1 = _get_safe_default(height)\n"
        "    try:\n"
        "        t2 = multiply(t1, TWO)\n"
        "    except Exception:\n"
        "        t2 = _get_safe_default(multiply)\n"
        "    s.append((0, t1, t2))\n"
        "    t3 = add(t2, C)\n"
        "    s.append((1, t3, t1))\n"
        "    return o, s\n";
    const char *late_samples[][2] = {{"((1, 2), (3, 4))", "3"}, {"((1,),)", "((1,),)"}, {"((1, 2),)", "-2"}};
    ended = returned = 0;
    in_place_against_walk(late_end, late_samples, 3, &ended, &returned);
    cr_assert(ended >= 1 && returned >= 2, "%d second calls ended, %d returned", ended, returned);

    static const char reassigned[] =
        "from safe_dsl import _get_safe_default\n"
        "def batt(task_id, S, I, C, log_path):\n"
        "    s = []\n"
        "    o = []\n"
        "    t1 = height(I)\n"
        "    t1 = add(t1, C)\n"
        "    s.append((1, t1))\n"
        "    return o, s\n";
    char err[512];
    ProgramFile twice;
    BattPlan plan;
    cr_assert_eq(program_parse("twice.py", reassigned, &twice, err, sizeof err), 0, "%s", err);
    interp_batt_plan(&twice.programs[0], &plan);
    cr_assert_not(plan.in_place);
    interp_batt_plan_free(&plan);
    program_free(&twice);
}

/* The same grid as a tuple without SEQ_GRID: the primitives' generic paths,
 * dsl.py's loops value by value, take it. */
static Value unflagged(Value g)
{
    Seq *s = seq_alloc(t_ctx(), v_len(g));
    cr_assert_not_null(s);
    memcpy(s->items, g.u.seq->items, v_len(g) * sizeof(Value));
    return seq_tuple_flagged(s, 0);
}

/* A grid of h x w cells drawn from colours 0 .. ncol-1 (a linear
 * congruential sequence: the same grids every run). */
static Value drawn_grid(uint64_t *seed, int h, int w, int ncol)
{
    char buf[4096];
    size_t n = 0;
    n += (size_t)snprintf(buf + n, sizeof buf - n, "(");
    for (int i = 0; i < h; i++) {
        n += (size_t)snprintf(buf + n, sizeof buf - n, "(");
        for (int j = 0; j < w; j++) {
            *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%d, ", (int)((*seed >> 33) % (uint64_t)ncol));
        }
        n += (size_t)snprintf(buf + n, sizeof buf - n, "), ");
    }
    snprintf(buf + n, sizeof buf - n, ")");
    return V(buf);
}

/* prim(g, arg1[, arg2]) on an int grid, checked against the generic path
 * (the same call on g without SEQ_GRID); the fast path's value. */
static Value against_generic(const char *prim, Value g, const char *arg1, const char *arg2)
{
    const Prim *p = prim_lookup(prim);
    Value a[3] = {g, V(arg1), arg2 ? V(arg2) : v_none()}, fast, slow;
    cr_assert_eq(call_value(t_ctx(), prim_value(p), p->arity, a, &fast), ERR_OK);
    a[0] = unflagged(g);
    cr_assert_eq(call_value(t_ctx(), prim_value(p), p->arity, a, &slow), ERR_OK);
    cr_assert_str_eq(R(fast), R(slow), "%s(%s, %s, %s)", prim, R(g), arg1, arg2 ? arg2 : "");
    return fast;
}

/* cellwise(g, b, fb) the same way, both grids without SEQ_GRID for the generic path. */
static Value cellwise_against_generic(Value g, Value b, Value fb)
{
    Value a[3] = {g, b, fb}, fast, slow;
    cr_assert_eq(call_value(t_ctx(), prim_value(prim_lookup("cellwise")), 3, a, &fast), ERR_OK);
    a[0] = unflagged(g);
    a[1] = unflagged(b);
    cr_assert_eq(call_value(t_ctx(), prim_value(prim_lookup("cellwise")), 3, a, &slow), ERR_OK);
    cr_assert_str_eq(R(fast), R(slow), "cellwise(%s, %s, %s)", R(g), R(b), R(fb));
    return fast;
}

/* fill, underfill, cover, paint, underpaint, replace, switch and cellwise
 * on int grids give the grid itself back when no cell changes (same_or_new
 * in ops/grid.c) and a new one otherwise: either way the value of the
 * generic path (dsl.py's loops, on the same grid without SEQ_GRID), over
 * drawn grids of few colours, where most calls change nothing or one cell. */
Test(fastpaths, unchanged_grids_come_back_equal)
{
    uint64_t seed = 7;
    int same = 0, changed = 0;
    struct { const char *prim, *arg1, *arg2; } calls[] = {
        {"fill", "1", "frozenset({(0, 0), (1, 2)})"},
        {"fill", "0", "frozenset({(2, 1)})"},
        {"underfill", "1", "frozenset({(0, 1), (2, 2), (5, 5)})"},
        {"cover", "frozenset({(1, 1)})", NULL},
        {"paint", "frozenset({(1, (0, 0)), (0, (2, 2))})", NULL},
        {"underpaint", "frozenset({(1, (1, 0)), (1, (0, 2))})", NULL},
        {"replace", "1", "1"},
        {"replace", "1", "0"},
        {"replace", "5", "0"},
        {"switch", "0", "1"},
        {"switch", "2", "5"},
    };
    for (int round = 0; round < 40; round++) {
        int h = 1 + round % 3, w = 1 + (round / 3) % 4;
        Value g = drawn_grid(&seed, h, w, 2 + round % 2);
        for (size_t k = 0; k < sizeof calls / sizeof *calls; k++) {
            Value fast = against_generic(calls[k].prim, g, calls[k].arg1, calls[k].arg2);
            if (fast.tag == VT_TUPLE && fast.u.seq == g.u.seq)
                same++;
            else
                changed++;
        }
        Value b = drawn_grid(&seed, h, w, 2), fb = v_int(round % 3);
        for (int other = 0; other < 2; other++) { /* a drawn grid, and g itself (nothing changes) */
            Value fast = cellwise_against_generic(g, other ? g : b, fb);
            if (fast.tag == VT_TUPLE && fast.u.seq == g.u.seq)
                same++;
            else
                changed++;
        }
    }
    /* both kinds of call were met */
    cr_assert_gt(same, 50, "%d calls gave their grid back", same);
    cr_assert_gt(changed, 50, "%d calls made a new grid", changed);
}

/* A grid made from another where only some rows changed shares the others
 * (gc_mk_grid_from): fill, paint, cover, move, replace, switch and cellwise
 * on drawn grids give the generic path's value (the same grid without
 * SEQ_GRID), and each result row that equals the input's row at that
 * index is that row itself when the primitive could only have touched
 * some rows. */
Test(fastpaths, changed_grids_share_unchanged_rows)
{
    uint64_t seed = 3;
    int shared = 0, made = 0;
    struct { const char *prim, *arg1, *arg2; } calls[] = {
        {"fill", "7", "frozenset({(1, 1)})"},
        {"fill", "7", "frozenset({(0, 0), (3, 2)})"},
        {"paint", "frozenset({(8, (2, 0)), (9, (2, 1))})", NULL},
        {"cover", "frozenset({(1, 0), (1, 1)})", NULL},
        {"move", "frozenset({(6, (0, 0)), (6, (0, 1))})", "(2, 0)"},
        {"move", "frozenset({(6, (1, 1))})", "(0, 0)"},
        {"replace", "1", "9"},
        {"switch", "0", "2"},
    };
    for (int round = 0; round < 24; round++) {
        int h = 2 + round % 4, w = 1 + (round / 4) % 5;
        Value g = drawn_grid(&seed, h, w, 2 + round % 3);
        for (size_t k = 0; k < sizeof calls / sizeof *calls; k++) {
            Value fast = against_generic(calls[k].prim, g, calls[k].arg1, calls[k].arg2);
            if (fast.tag != VT_TUPLE || fast.u.seq == g.u.seq || w == 2)
                continue;
            for (int i = 0; i < h; i++) {
                Value row = fast.u.seq->items[i], old = g.u.seq->items[i];
                if (!v_eq(row, old))
                    continue;
                shared += row.u.seq == old.u.seq;
                made += row.u.seq != old.u.seq;
            }
        }
        (void)cellwise_against_generic(g, drawn_grid(&seed, h, w, 2), v_int(5));
    }
    /* equal rows are shared, but for rows a write left as they were (a
     * fill of a cell with its own colour, a move that puts back what it
     * covered): the bit says "touched", not "changed" */
    cr_assert_gt(shared, 100, "%d rows shared", shared);
    cr_assert_lt(made, shared / 4, "%d equal rows made anew, %d shared", made, shared);
}

/* toobject of an index set on an int grid: the cells in canonical order
 * whether their colours ascend in position order (written as they come) or
 * not (sorted by colour), and positions off the grid left out: the generic
 * path's set, on the same grid without SEQ_GRID, over drawn grids and the
 * neighbourhoods of every cell, inside and on the border. */
Test(fastpaths, toobject_against_generic)
{
    uint64_t seed = 11;
    const Prim *toobject = prim_lookup("toobject"), *neighbors = prim_lookup("neighbors");
    int ascending = 0, mixed = 0;
    for (int round = 0; round < 12; round++) {
        int h = 1 + round % 4, w = 2 + round % 3;
        Value g = drawn_grid(&seed, h, w, 1 + round % 3), plain = unflagged(g);
        for (int i = -1; i <= h; i++)
            for (int j = -1; j <= w; j++) {
                Value idx, fast, slow, a[2];
                Value p = v_pair(i, j);
                cr_assert_eq(call_value(t_ctx(), prim_value(neighbors), 1, &p, &idx), ERR_OK);
                a[0] = idx, a[1] = g;
                cr_assert_eq(call_value(t_ctx(), prim_value(toobject), 2, a, &fast), ERR_OK);
                a[1] = plain;
                cr_assert_eq(call_value(t_ctx(), prim_value(toobject), 2, a, &slow), ERR_OK);
                cr_assert_str_eq(R(fast), R(slow), "toobject(%s, %s)", R(idx), R(g));
                if (fast.tag == VT_SET && v_len(fast) > 1) {
                    const Seq *s = fast.u.seq;
                    bool one = true;
                    for (uint32_t k = 1; k < s->n; k++)
                        one = one && s->items[k].u.p.a * 100 + s->items[k].u.p.b >
                                         s->items[k - 1].u.p.a * 100 + s->items[k - 1].u.p.b;
                    ascending += one, mixed += !one;
                }
            }
    }
    cr_assert_gt(ascending, 20, "%d objects in position order", ascending);
    cr_assert_gt(mixed, 20, "%d objects sorted by colour", mixed);
}

/* objects on int grids (runs of a row found by a bit per cell where rows
 * are narrower than 64, cell by cell otherwise) against the generic path
 * on the same grid without SEQ_GRID: every set of flags, widths on both
 * sides of 64, few colours (long runs) and many (short ones). */
Test(fastpaths, objects_against_generic)
{
    uint64_t seed = 5;
    const Prim *objects = prim_lookup("objects");
    int wide = 0;
    for (int round = 0; round < 36; round++) {
        int w = round < 24 ? 1 + round * 3 % 70 : 60 + round % 12, h = 1 + round % 4;
        Value g = drawn_grid(&seed, h, w, round % 2 ? 2 : 5), plain = unflagged(g);
        wide += w >= 64;
        for (int flags = 0; flags < 8; flags++) {
            Value a[4] = {g, v_bool(flags & 1), v_bool(flags & 2), v_bool(flags & 4)}, fast, slow;
            cr_assert_eq(call_value(t_ctx(), prim_value(objects), 4, a, &fast), ERR_OK);
            a[0] = plain;
            cr_assert_eq(call_value(t_ctx(), prim_value(objects), 4, a, &slow), ERR_OK);
            cr_assert_str_eq(R(fast), R(slow), "objects(%s, %d)", R(g), flags);
        }
    }
    cr_assert_gt(wide, 4, "%d grids of 64 columns or more", wide);
}

/* shift by (0, 0) gives its patch back (an equal set: dsl.py builds a new
 * one), and so does normalize of a normalized patch; other offsets still
 * move every item. */
Test(fastpaths, zero_shift_gives_the_patch)
{
    const char *patches[] = {"frozenset({(0, 0), (0, 2), (3, 1)})", "frozenset({(5, (0, 1)), (2, (1, 0))})",
                             "frozenset({(1, 1)})"};
    for (size_t k = 0; k < sizeof patches / sizeof *patches; k++) {
        Value p = V(patches[k]), got, norm, again;
        cr_assert_eq(t_call("shift", &got, (const char *[]){patches[k], "(0, 0)", NULL}), ERR_OK);
        cr_assert_str_eq(R(got), R(p));
        cr_assert_eq(call_value(t_ctx(), prim_value(prim_lookup("normalize")), 1, &p, &norm), ERR_OK);
        cr_assert_eq(call_value(t_ctx(), prim_value(prim_lookup("normalize")), 1, &norm, &again), ERR_OK);
        cr_assert_str_eq(R(again), R(norm));
        cr_assert_eq(t_call("shift", &got, (const char *[]){patches[k], "(1, -2)", NULL}), ERR_OK);
        cr_assert_eq(v_len(got), v_len(p));
        cr_assert_str_neq(R(got), R(p));
    }
}
