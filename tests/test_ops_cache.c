/* test_ops_cache.c: the per-thread grid cache of ops/grid_common.c.
 *
 * Primitives read a grid's cells through a cache keyed by the grid and its
 * arena's epoch, and grids the fast paths build enter it with their cells.
 * These tests hand the same grid value to several primitives in a row (the
 * case the cache serves), check that a primitive changing its copy of the
 * cells leaves the cached ones alone, and that an arena reset (which lets a
 * new grid take an old one's address) never serves stale cells, nor stale
 * objects (kept with the cells). Expected
 * values are what arc-dsl's dsl.py returns for the same calls. */
#include "support.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../runtime/pyops.h"

static Value call(Ctx *ctx, const char *prim, int n, Value a0, Value a1, Value a2)
{
    const Prim *p = prim_lookup(prim);
    cr_assert_not_null(p);
    Value a[3] = {a0, a1, a2}, out;
    Err e = call_value(ctx, prim_value(p), n, a, &out);
    cr_assert_eq(e, ERR_OK, "%s raised %s", prim, err_name(e));
    return out;
}

#define expect_value(expected, got) \
    cr_assert_str_eq(R(got), R(V(expected)), "got %s", R(got))

/* literal parsed into ctx's arena */
static Value parsed(Ctx *ctx, const char *literal)
{
    Value v;
    size_t pos = 0;
    cr_assert_eq(lit_parse(ctx, literal, &v, &pos), 0, "bad literal at offset %zu: %s", pos, literal);
    return v;
}

/* A new run on arena a (reset: the next values take the last run's
 * addresses), and literal parsed in it. */
static Value in_new_run(Arena *a, Ctx *ctx, const char *literal)
{
    arena_reset(a);
    ctx_begin_run(ctx, 0);
    return parsed(ctx, literal);
}

Test(grid_cache, one_grid_many_calls)
{
    Ctx *ctx = t_ctx();
    const char *gs = "((1, 1, 0, 0), (1, 1, 0, 2), (0, 0, 0, 2))";
    Value g = V(gs), none = v_none();
    /* fills copy the cells: neither changes g nor what the next call reads */
    expect_value("((5, 1, 0, 0), (1, 1, 0, 2), (0, 0, 0, 2))",
                 call(ctx, "fill", 3, g, v_int(5), V("frozenset({(0, 0)})")));
    expect_value("((1, 1, 0, 0), (1, 7, 0, 2), (0, 0, 0, 7))",
                 call(ctx, "fill", 3, g, v_int(7), V("frozenset({(2, 3), (1, 1)})")));
    expect_value(gs, g);
    /* one-colour rectangles of several colours and shapes on one grid */
    expect_value("frozenset({(0, 0)})",
                 call(ctx, "occurrences", 2, g, V("frozenset({(1, (0, 0)), (1, (0, 1)), (1, (1, 0)), (1, (1, 1))})"), none));
    expect_value("frozenset({(0, 2), (1, 2)})",
                 call(ctx, "occurrences", 2, g, V("frozenset({(0, (0, 0)), (0, (1, 0))})"), none));
    expect_value("frozenset({(0, 2), (2, 0), (2, 1)})",
                 call(ctx, "occurrences", 2, g, V("frozenset({(0, (5, 5)), (0, (5, 6))})"), none));
    expect_value("frozenset({(1, 3)})",
                 call(ctx, "occurrences", 2, g, V("frozenset({(2, (0, 0)), (2, (1, 0))})"), none));
    expect_value("frozenset({(0, 0), (1, 0)})",
                 call(ctx, "occurrences", 2, g, V("frozenset({(1, (0, 0)), (1, (0, 1))})"), none));
    expect_value("0", call(ctx, "mostcolor", 1, g, none, none));
    expect_value("2", call(ctx, "leastcolor", 1, g, none, none));
    expect_value(gs, g);
}

Test(grid_cache, built_grids)
{
    Ctx *ctx = t_ctx();
    Value g = V("((1, 1, 0, 0), (1, 1, 0, 2), (0, 0, 0, 2))"), none = v_none();
    /* a grid a fast path built enters the cache with its cells */
    Value f = call(ctx, "fill", 3, g, v_int(0), V("frozenset({(0, 0), (0, 1), (1, 0), (1, 1)})"));
    expect_value("((0, 0, 0, 0), (0, 0, 0, 2), (0, 0, 0, 2))", f);
    expect_value("frozenset({(0, 0), (0, 1), (1, 0), (1, 1)})",
                 call(ctx, "occurrences", 2, f, V("frozenset({(0, (0, 0)), (0, (0, 1)), (0, (1, 0)), (0, (1, 1))})"), none));
    expect_value("0", call(ctx, "mostcolor", 1, f, none, none));
    Value h = call(ctx, "replace", 3, g, v_int(0), v_int(3));
    expect_value("((1, 1, 3, 3), (1, 1, 3, 2), (3, 3, 3, 2))", h);
    expect_value("frozenset({(0, 2), (2, 0), (2, 1)})",
                 call(ctx, "occurrences", 2, h, V("frozenset({(3, (0, 0)), (3, (0, 1))})"), none));
    expect_value("3", call(ctx, "mostcolor", 1, h, none, none));
    expect_value("((3, 1, 1), (3, 1, 1), (3, 3, 3), (2, 2, 3))", call(ctx, "rot90", 1, h, none, none));
    expect_value("((1, 1, 3, 3, 1, 1, 0, 0), (1, 1, 3, 2, 1, 1, 0, 2), (3, 3, 3, 2, 0, 0, 0, 2))",
                 call(ctx, "hconcat", 2, h, g, none));
    /* changing a copy of a built grid's cells leaves the built grid alone */
    expect_value("((9, 1, 3, 3), (1, 1, 3, 2), (3, 3, 3, 2))",
                 call(ctx, "fill", 3, h, v_int(9), V("frozenset({(0, 0)})")));
    expect_value("3", call(ctx, "mostcolor", 1, h, none, none));
    expect_value("((1, 1, 3, 3), (1, 1, 3, 2), (3, 3, 3, 2))", h);
}

/* After a reset, the next run's grids reuse the old addresses: the cache must
 * see new cells, though the grid (and even its rows) sit where old ones did. */
Test(grid_cache, arena_reset)
{
    Arena a;
    Ctx ctx;
    arena_init(&a);
    ctx_init(&ctx, &a);
    Value none = v_none();
    const char *inputs[2] = {"((1, 1, 2), (1, 3, 3))", "((4, 4, 4), (5, 4, 6))"};
    const char *replaced[2] = {"((1, 1, 2), (1, 8, 8))", "((4, 4, 4), (5, 4, 6))"};
    const char *most[2] = {"1", "4"};
    const char *occ[2] = {"frozenset({(0, 0)})", "frozenset({(0, 0), (0, 1)})"};
    const void *addr[2];
    for (int run = 0; run < 2; run++) {
        Value g = in_new_run(&a, &ctx, inputs[run]);
        Value r = call(&ctx, "replace", 3, g, v_int(3), v_int(8)); /* built: cached */
        addr[run] = r.u.seq;
        cr_assert_str_eq(R(r), replaced[run]);
        cr_assert_str_eq(R(call(&ctx, "mostcolor", 1, r, none, none)), most[run]);
        Value rect = parsed(&ctx, run ? "frozenset({(4, (0, 0)), (4, (0, 1))})" : "frozenset({(1, (0, 0)), (1, (0, 1))})");
        cr_assert_str_eq(R(call(&ctx, "occurrences", 2, r, rect, none)), occ[run]);
    }
    cr_log_info("built grids at %p and %p", addr[0], addr[1]);
    arena_free(&a);
}

/* the background (mostcolor) of a grid is cached with its cells: primitives
 * after the first reuse it, and a changed copy never feeds it back */
Test(grid_cache, background)
{
    Ctx *ctx = t_ctx();
    const char *gs = "((1, 1, 0, 0), (1, 1, 0, 2), (0, 0, 0, 2))";
    Value g = V(gs), none = v_none();
    expect_value("((1, 1, 5, 0), (1, 1, 0, 2), (0, 0, 0, 2))",
                 call(ctx, "underfill", 3, g, v_int(5), V("frozenset({(0, 0), (0, 2), (2, 3)})")));
    expect_value("((1, 1, 0, 0), (1, 1, 0, 2), (7, 0, 0, 2))",
                 call(ctx, "underpaint", 2, g, V("frozenset({(7, (0, 0)), (7, (2, 0))})"), none));
    expect_value("((0, 1, 0, 0), (1, 1, 0, 2), (0, 0, 0, 2))", call(ctx, "cover", 2, g, V("frozenset({(0, 0)})"), none));
    Value objs = V("frozenset({frozenset({(1, (0, 1)), (1, (1, 1)), (1, (0, 0)), (1, (1, 0))}), "
                   "frozenset({(2, (2, 3)), (2, (1, 3))})})");
    const Prim *p = prim_lookup("objects");
    Value a[4] = {g, v_bool(true), v_bool(false), v_bool(true)}, got;
    cr_assert_eq(call_value(ctx, prim_value(p), 4, a, &got), ERR_OK);
    expect_value(R(objs), got);
    expect_value(R(objs), call(ctx, "fgpartition", 1, g, none, none));
    expect_value("((1, 1, 0, 0), (1, 1, 2, 0), (0, 0, 2, 0))",
                 call(ctx, "move", 3, g, V("frozenset({(2, (1, 3)), (2, (2, 3))})"), V("(0, -1)")));
    expect_value("0", call(ctx, "mostcolor", 1, g, none, none));
    /* a grid built with a new background: its own entry */
    Value f = call(ctx, "fill", 3, g, v_int(1), V("frozenset({(2, 0), (2, 1), (2, 2)})"));
    expect_value("1", call(ctx, "mostcolor", 1, f, none, none));
    expect_value("((9, 1, 0, 0), (1, 1, 0, 2), (1, 1, 9, 2))",
                 call(ctx, "underfill", 3, f, v_int(9), V("frozenset({(0, 2), (0, 3), (1, 2), (2, 2), (0, 0)})")));
    expect_value("0", call(ctx, "mostcolor", 1, g, none, none));
}

/* whether a grid's cells fit 32 bits is cached with them: objects,
 * partition and frontiers take their fast paths only when they do, asked
 * again of the same grid they get the same answer, and a grid with a cell
 * past 32 bits goes the generic way with dsl.py's results (worked by hand:
 * 2^40 is a colour of its own, row 1 and column 0 are uniform) */
Test(grid_cache, cells_past_32_bits)
{
    Ctx *ctx = t_ctx();
    Value none = v_none(), t = v_bool(true), f = v_bool(false), got;
    const Prim *objects = prim_lookup("objects");
    struct { const char *grid, *objs; } cases[] = {
        {"((1, 1099511627776), (1, 1))", "frozenset({frozenset({(1, (0, 0)), (1, (1, 0)), (1, (1, 1))}), "
                                         "frozenset({(1099511627776, (0, 1))})})"},
        {"((1, 2), (1, 1))", "frozenset({frozenset({(1, (0, 0)), (1, (1, 0)), (1, (1, 1))}), "
                             "frozenset({(2, (0, 1))})})"},
    };
    for (size_t k = 0; k < 2; k++) {
        Value g = V(cases[k].grid);
        for (int again = 0; again < 2; again++) {
            Value a[4] = {g, t, f, f};
            cr_assert_eq(call_value(ctx, prim_value(objects), 4, a, &got), ERR_OK);
            expect_value(cases[k].objs, got);
            expect_value(cases[k].objs, call(ctx, "partition", 1, g, none, none));
        }
    }
    expect_value("frozenset({frozenset({(1, (1, 0)), (1, (1, 1))}), frozenset({(1, (0, 0)), (1, (1, 0))})})",
                 call(ctx, "frontiers", 1, V(cases[0].grid), none, none));
    /* without the background, whose count (of colours 0-15 only) also
     * settles the fits test: past 32 bits, past 15 within 32 bits, and ARC's
     * colours, asked before and after mostcolor (dsl.py's results) */
    struct { const char *grid, *objs; } wbg[] = {
        {"((1, 1099511627776), (1, 1))", "frozenset({frozenset({(1099511627776, (0, 1))})})"},
        {"((20, 20, 3), (3, 20, 20))", "frozenset({frozenset({(3, (0, 2))}), frozenset({(3, (1, 0))})})"},
        {"((5, 5, 3), (3, 5, 5))", "frozenset({frozenset({(3, (0, 2))}), frozenset({(3, (1, 0))})})"},
    };
    for (size_t k = 0; k < 3; k++)
        for (int first = 0; first < 2; first++) {
            Value g = V(wbg[k].grid), a[4] = {g, t, f, t};
            if (first)
                call(ctx, "mostcolor", 1, g, none, none);
            for (int again = 0; again < 2; again++) {
                cr_assert_eq(call_value(ctx, prim_value(objects), 4, a, &got), ERR_OK);
                expect_value(wbg[k].objs, got);
            }
        }
}

/* objects(g, T/F, T/F, T/F) on one arena, then again: R of each result as
 * a context of its own computes it (a fresh arena: no entry to find). */
static const char *objects_alone(const char *grid, int flags)
{
    Arena a;
    Ctx ctx;
    arena_init(&a);
    ctx_init(&ctx, &a);
    Value g = in_new_run(&a, &ctx, grid), got;
    Value args[4] = {g, v_bool(flags & 1), v_bool(flags & 2), v_bool(flags & 4)};
    cr_assert_eq(call_value(&ctx, prim_value(prim_lookup("objects")), 4, args, &got), ERR_OK);
    static char buf[8][4096];
    static int k;
    k = (k + 1) & 7;
    snprintf(buf[k], sizeof buf[k], "%s", R(got));
    arena_free(&a);
    return buf[k];
}

/* objects of a grid is kept with the grid's cells, one value per set of
 * flags: asked again, the same value comes back, equal to what a context of
 * its own computes; a grid with other flags, or another grid at the same
 * address after an arena reset, never gets a kept one. */
Test(grid_cache, objects_kept_with_the_grid)
{
    Arena a;
    Ctx ctx;
    arena_init(&a);
    ctx_init(&ctx, &a);
    const Prim *objects = prim_lookup("objects");
    const char *grids[2] = {"((1, 1, 0, 2), (0, 1, 0, 2), (3, 0, 0, 2), (3, 3, 1, 0))",
                            "((4, 0, 4, 0), (0, 4, 0, 5), (5, 5, 0, 5), (0, 0, 0, 4))"};
    const void *addr[2];
    for (int run = 0; run < 2; run++) {
        Value g = in_new_run(&a, &ctx, grids[run]);
        addr[run] = g.u.seq;
        for (int flags = 0; flags < 8; flags++) {
            Value args[4] = {g, v_bool(flags & 1), v_bool(flags & 2), v_bool(flags & 4)}, first, again;
            cr_assert_eq(call_value(&ctx, prim_value(objects), 4, args, &first), ERR_OK);
            cr_assert_eq(call_value(&ctx, prim_value(objects), 4, args, &again), ERR_OK);
            cr_assert_eq(first.tag, VT_SET);
            cr_assert_eq(again.u.seq, first.u.seq, "grid %d flags %d: kept", run, flags);
            const char *want = objects_alone(grids[run], flags);
            cr_assert_str_eq(R(first), want, "grid %d flags %d", run, flags);
        }
    }
    /* the case the epoch is for: the same address, another grid */
    cr_assert_eq(addr[1], addr[0], "grids at %p and %p", addr[0], addr[1]);
    arena_free(&a);
}

/* The colour counts of a grid are taken once and kept with its cells:
 * mostcolor, leastcolor, palette and numcolors, asked in turn and again,
 * and then ofcolor of every colour (and True),
 * each time what the generic path (dsl.py's loops, on the same grid without
 * SEQ_GRID) gives; a grid with a colour outside 0-15 goes the generic way
 * itself; objects without background, asked first or after, still takes the
 * same background. */
Test(grid_cache, colour_counts_kept_with_the_grid)
{
    Ctx *ctx = t_ctx();
    Value none = v_none();
    const char *grids[] = {"((1, 1, 0, 0), (1, 1, 0, 2), (0, 0, 0, 2))", "((3, 3), (3, 5), (5, 5))",
                           "((7,),)", "((0, 16, 16), (2, 2, 16))", "((-1, 4, 4), (4, -1, -1))",
                           "((9, 9, 9), (9, 9, 9))"};
    const char *prims[] = {"mostcolor", "leastcolor", "palette", "numcolors"};
    for (size_t k = 0; k < sizeof grids / sizeof *grids; k++)
        for (int order = 0; order < 2; order++) {
            Value g = V(grids[k]);
            Seq *s = seq_alloc(ctx, v_len(g));
            cr_assert_not_null(s);
            memcpy(s->items, g.u.seq->items, v_len(g) * sizeof(Value));
            Value plain = seq_tuple_flagged(s, 0); /* the generic path's */
            if (order) { /* objects' background first */
                const Prim *p = prim_lookup("objects");
                Value a[4] = {g, v_bool(true), v_bool(false), v_bool(true)}, fast, slow;
                cr_assert_eq(call_value(ctx, prim_value(p), 4, a, &fast), ERR_OK);
                a[0] = plain;
                cr_assert_eq(call_value(ctx, prim_value(p), 4, a, &slow), ERR_OK);
                cr_assert_str_eq(R(fast), R(slow), "objects(%s)", grids[k]);
            }
            for (int again = 0; again < 2; again++)
                for (size_t q = 0; q < 4; q++) {
                    size_t pq = order ? 3 - q : q;
                    Value want = call(ctx, prims[pq], 1, plain, none, none);
                    expect_value(R(want), call(ctx, prims[pq], 1, g, none, none));
                }
            /* ofcolor takes a colour the counts lack as none of its cells */
            for (int c = -1; c <= 17; c++) {
                Value colour = c == 17 ? v_bool(true) : v_int(c);
                Value want = call(ctx, "ofcolor", 2, plain, colour, none);
                expect_value(R(want), call(ctx, "ofcolor", 2, g, colour, none));
            }
        }
    /* both paths share the counting: a tie, by hand (dsl.py's max and min
     * over the set keep its first colour, the smallest) */
    Value tie = V("((3, 3), (3, 5), (5, 5))");
    expect_value("3", call(ctx, "mostcolor", 1, tie, none, none));
    expect_value("3", call(ctx, "leastcolor", 1, tie, none, none));
    const Prim *p = prim_lookup("objects");
    Value a[4] = {tie, v_bool(true), v_bool(false), v_bool(true)}, got;
    cr_assert_eq(call_value(ctx, prim_value(p), 4, a, &got), ERR_OK);
    expect_value("frozenset({frozenset({(5, (1, 1)), (5, (2, 0)), (5, (2, 1))})})", got);
}

/* A set of n pairs or cells on a diagonal band from (i0, j0), as a literal
 * (cells coloured by position), and the same items as a tuple. */
static void band(char *set, char *tup, size_t cap, int n, int i0, int j0, bool cells, int box[4])
{
    box[0] = box[1] = INT32_MAX, box[2] = box[3] = INT32_MIN; /* top, left, bottom, right */
    size_t a = (size_t)snprintf(set, cap, "frozenset({"), b = (size_t)snprintf(tup, cap, "(");
    for (int k = 0; k < n; k++) {
        char item[48];
        int i = i0 + k / 3, j = j0 + k % 5 + k / 7;
        box[0] = i < box[0] ? i : box[0], box[1] = j < box[1] ? j : box[1];
        box[2] = i > box[2] ? i : box[2], box[3] = j > box[3] ? j : box[3];
        if (cells)
            snprintf(item, sizeof item, "(%d, (%d, %d))", k % 4, i, j);
        else
            snprintf(item, sizeof item, "(%d, %d)", i, j);
        a += (size_t)snprintf(set + a, cap - a, "%s%s", k ? ", " : "", item);
        b += (size_t)snprintf(tup + b, cap - b, "%s%s", k ? ", " : "", item);
    }
    snprintf(set + a, cap - a, "})");
    snprintf(tup + b, cap - b, ")");
}

/* The boxes of large pair and cell sets are kept per set (ops/patch.c,
 * bbox_kept): the corners, box and outbox, asked twice, give what the
 * generic path gives for the same items as a tuple (dsl.py's zips and
 * min/max over toindices), height, width and shape what the items' extremes
 * give (for a tuple they are a grid's), and a set made at the same address
 * after an arena reset gets its own box. */
Test(grid_cache, boxes_kept_with_the_set)
{
    Arena a;
    Ctx ctx;
    arena_init(&a);
    ctx_init(&ctx, &a);
    Value none = v_none();
    const char *prims[] = {"ulcorner", "lrcorner", "urcorner", "llcorner", "box", "outbox"};
    static char set[8192], tup[8192];
    for (int cells = 0; cells < 2; cells++) {
        const void *addr[2];
        for (int run = 0; run < 2; run++) {
            int bb[4];
            band(set, tup, sizeof set, 48, run ? 7 : 0, run ? 3 : 11, cells, bb);
            Value s = in_new_run(&a, &ctx, set), t = parsed(&ctx, tup);
            addr[run] = s.u.seq;
            cr_assert(v_flags(s) & (cells ? SEQ_CELLS : SEQ_PAIRS));
            char h[16], w[16], hw[40];
            snprintf(h, sizeof h, "%d", bb[2] - bb[0] + 1);
            snprintf(w, sizeof w, "%d", bb[3] - bb[1] + 1);
            snprintf(hw, sizeof hw, "(%s, %s)", h, w);
            for (int again = 0; again < 2; again++) {
                for (size_t q = 0; q < sizeof prims / sizeof *prims; q++) {
                    Value want = call(&ctx, prims[q], 1, t, none, none);
                    cr_assert_str_eq(R(call(&ctx, prims[q], 1, s, none, none)), R(want), "%s, run %d, cells %d",
                                     prims[q], run, cells);
                }
                expect_value(h, call(&ctx, "height", 1, s, none, none));
                expect_value(w, call(&ctx, "width", 1, s, none, none));
                expect_value(hw, call(&ctx, "shape", 1, s, none, none));
            }
        }
        cr_assert_eq(addr[1], addr[0], "sets at %p and %p", addr[0], addr[1]);
    }
    arena_free(&a);
}
