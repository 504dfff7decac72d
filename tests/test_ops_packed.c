/* test_ops_packed.c: set algebra and set building on packed pairs and cells
 * (ops/packed.c), which difference, intersection, combine, contained and the
 * set-building higher-order primitives (merge, mapply, apply) use when both
 * sides are sets of one packed kind.
 *
 * The literal cases are what arc-dsl's dsl.py returns. The random cases hold
 * the packed paths to the generic ones (v_cmp order: mk_set, and pyops's set
 * algebra) over sets that take every branch: dense boxes (bitmap), sparse
 * ones (radix, one to several passes), spans past 64 key bits (mk_set), runs
 * long enough to gallop, disjoint and equal sets. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ops/packed.h"
#include "../runtime/packset.h"
#include "../runtime/pyops.h"

Test(packed, literal_cases)
{
    const char *a = "frozenset({(0, 0), (0, 1), (1, 5), (2, 2), (7, -3)})";
    const char *b = "frozenset({(0, 1), (2, 2), (9, 9)})";
    expect_same("frozenset({(0, 0), (1, 5), (7, -3)})", "difference", a, b);
    expect_same("frozenset({(0, 1), (2, 2)})", "intersection", a, b);
    expect_same("frozenset({(0, 0), (0, 1), (1, 5), (2, 2), (7, -3), (9, 9)})", "combine", a, b);
    expect_same(a, "difference", a, "frozenset({(3, 3)})");
    expect_same("frozenset()", "difference", a, a);
    expect_same(a, "intersection", a, a);
    expect_same(a, "combine", a, a);
    expect_same("frozenset()", "intersection", a, "frozenset({(-5, 0)})");
    expect_same(a, "difference", a, "frozenset({(-5, 0), (99, 0)})");
    const char *c = "frozenset({(1, (0, 0)), (2, (0, 0)), (2, (-1, 4))})";
    const char *d = "frozenset({(2, (0, 0)), (3, (0, 0))})";
    expect_same("frozenset({(1, (0, 0)), (2, (-1, 4))})", "difference", c, d);
    expect_same("frozenset({(2, (0, 0))})", "intersection", c, d);
    expect_same("frozenset({(1, (0, 0)), (2, (-1, 4)), (2, (0, 0)), (3, (0, 0))})", "combine", c, d);
    expect_same("True", "contained", "(2, (-1, 4))", c);
    expect_same("False", "contained", "(2, (-1, 5))", c);
    expect_same("True", "contained", "(7, -3)", a);
    expect_same("False", "contained", "(7, -2)", a);
    /* pairs and cells are never equal */
    expect_same(a, "difference", a, c);
    expect_same("frozenset()", "intersection", a, c);
    expect_same("frozenset({(0, 0), (5, (0, 0))})", "combine", "frozenset({(0, 0)})", "frozenset({(5, (0, 0))})");
    expect_same("frozenset({(-3, 2), (0, 1), (5, 5)})", "merge",
                "frozenset({frozenset({(0, 1), (5, 5)}), frozenset({(0, 1), (-3, 2)})})");
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

/* n items of kind k with colours in [c0, c0 + nc), i in [i0, i0 + h), j in
 * [j0, j0 + w) (spans as int64: up to the whole int32 range). */
static Value *random_items(uint8_t k, size_t n, int64_t c0, uint64_t nc, int64_t i0, uint64_t h, int64_t j0,
                           uint64_t w)
{
    Value *v = ctx_alloc(t_ctx(), n * sizeof *v);
    for (size_t x = 0; x < n; x++) {
        int32_t i = (int32_t)(i0 + (int64_t)(next() % h)), j = (int32_t)(j0 + (int64_t)(next() % w));
        v[x] = k == VT_CELL ? v_cell((int32_t)(c0 + (int64_t)(next() % nc)), i, j) : v_pair(i, j);
    }
    return v;
}

static void check_same(Value got, Value want, const char *what)
{
    cr_assert(v_eq(got, want), "%s: %s, expected %s", what, R(got), R(want));
    cr_assert_eq(got.tag, VT_SET, "%s", what);
    cr_assert_eq(v_flags(got), v_flags(want), "%s: flags %u, expected %u", what, v_flags(got), v_flags(want));
    for (size_t x = 1; x < v_len(got); x++)
        cr_assert(v_cmp(v_item(got, x - 1), v_item(got, x)) < 0, "%s: not ascending", what);
}

typedef struct Shape {
    int64_t c0;
    uint64_t nc;
    int64_t i0;
    uint64_t h;
    int64_t j0;
    uint64_t w;
} Shape;

static const Shape shapes[] = {
    {0, 1, 0, 4, 0, 4},                                   /* tiny box: dense, many repeats */
    {1, 9, -14, 57, -58, 145},                            /* shifted copies (bitmap or radix) */
    {0, 10, 0, 30, 0, 30},                                /* a grid's cells */
    {-3, 7, -1000, 5000, -70000, 300000},                 /* sparse: radix, several passes */
    {0, 1, INT32_MIN, UINT32_MAX, INT32_MIN, UINT32_MAX}, /* pairs over all of int32 */
    {INT32_MIN, UINT32_MAX, -5, 10, -5, 10},              /* cells with huge colours */
    {-100, 300, INT32_MIN, UINT32_MAX, INT32_MIN, UINT32_MAX}, /* cells past 64 key bits: mk_set */
};

Test(packed, set_of_matches_mk_set)
{
    Ctx *ctx = t_ctx();
    static const size_t sizes[] = {2, 3, 17, 64, 300, 5000};
    for (int k = 0; k < 2; k++) {
        uint8_t kind = k ? VT_CELL : VT_PAIR;
        for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++)
            for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
                const Shape *sh = &shapes[s];
                size_t n = sizes[z];
                Value *items = random_items(kind, n, sh->c0, sh->nc, sh->i0, sh->h, sh->j0, sh->w);
                Value got, want;
                cr_assert_eq(pk_items_kind(items, n), kind);
                cr_assert_eq(pk_set_of(ctx, items, n, &got), ERR_OK);
                cr_assert_eq(mk_set(ctx, n, items, &want), ERR_OK);
                char what[96];
                snprintf(what, sizeof what, "kind %d shape %zu n %zu", kind, s, n);
                check_same(got, want, what);
                /* already sorted input, and sorted with repeats */
                Value *twice = ctx_alloc(ctx, 2 * v_len(want) * sizeof *twice);
                for (size_t x = 0; x < v_len(want); x++)
                    twice[2 * x] = twice[2 * x + 1] = v_item(want, x);
                cr_assert_eq(pk_set_of(ctx, want.u.seq->items, v_len(want), &got), ERR_OK);
                check_same(got, want, what);
                cr_assert_eq(pk_set_of(ctx, twice, 2 * v_len(want), &got), ERR_OK);
                check_same(got, want, what);
            }
    }
    Value mixed[2] = {v_pair(0, 0), v_cell(0, 0, 0)};
    cr_assert_eq(pk_items_kind(mixed, 2), 0);
    Value ints[2] = {v_int(1), v_int(2)};
    cr_assert_eq(pk_items_kind(ints, 2), 0);
}

/* The canonical order by definition: v_cmp, in a plain comparison sort. */
static int by_v_cmp(const void *x, const void *y) { return v_cmp(*(const Value *)x, *(const Value *)y); }

/* frozenset(items) by qsort with v_cmp and a scan for repeats: m items
 * written back into items. */
static size_t reference_set(Value *items, size_t n)
{
    qsort(items, n, sizeof *items, by_v_cmp);
    size_t m = 0;
    for (size_t x = 0; x < n; x++)
        if (!m || v_cmp(items[m - 1], items[x]) != 0)
            items[m++] = items[x];
    return m;
}

static void check_reference(Value got, const Value *items, size_t n, const char *what)
{
    Value *want = ctx_alloc(t_ctx(), n * sizeof *want);
    memcpy(want, items, n * sizeof *want);
    size_t m = reference_set(want, n);
    cr_assert_eq(got.tag, VT_SET, "%s", what);
    cr_assert_eq(v_len(got), m, "%s: %zu items, expected %zu", what, v_len(got), m);
    for (size_t x = 0; x < m; x++)
        cr_assert(v_eq(v_item(got, x), want[x]), "%s: item %zu is %s, expected %s", what, x, R(v_item(got, x)),
                  R(want[x]));
}

/* Bits of a key field for n values. */
static unsigned span_bits(uint64_t n) { return n > 1 ? 64u - (unsigned)__builtin_clzll(n - 1) : 0u; }

/* packset_build (bit rows of one and of several words, box-relative radix
 * sort, keys past 64 bits refused) against the definition, from one array
 * in any order and from several sorted parts, as merge gives them. */
Test(packed, packset_matches_comparison_sort)
{
    Ctx *ctx = t_ctx();
    static const Shape wide[] = {
        {0, 1, 0, 3, 0, 200},     /* rows of four words: bitmap */
        {2, 3, -7, 20, 60, 70},   /* rows straddling a word, three colours */
        {0, 1, -40, 80, -40, 80}, /* a shifted patch: bitmap */
    };
    static const size_t sizes[] = {24, 25, 64, 300, 5000};
    for (int k = 0; k < 2; k++) {
        uint8_t kind = k ? VT_CELL : VT_PAIR;
        for (size_t s = 0; s < sizeof shapes / sizeof *shapes + sizeof wide / sizeof *wide; s++)
            for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
                const Shape *sh = s < sizeof shapes / sizeof *shapes ? &shapes[s]
                                                                     : &wide[s - sizeof shapes / sizeof *shapes];
                size_t n = sizes[z];
                char what[96];
                snprintf(what, sizeof what, "kind %d shape %zu n %zu", kind, s, n);
                Value *items = random_items(kind, n, sh->c0, sh->nc, sh->i0, sh->h, sh->j0, sh->w), got;
                PackPart whole = {items, n};
                Err e = ERR_TYPE;
                if (packset_build(ctx, kind, &whole, 1, n, false, &got, &e)) {
                    cr_assert_eq(e, ERR_OK, "%s", what);
                    check_reference(got, items, n, what);
                } else { /* only boxes whose keys pass 64 bits are refused */
                    cr_assert(span_bits(sh->nc) + span_bits(sh->h) + span_bits(sh->w) > 64, "%s refused", what);
                }
                cr_assert_eq(mk_set(ctx, n, items, &got), ERR_OK);
                check_reference(got, items, n, what);
                /* three sorted parts, overlapping */
                PackPart parts[3];
                Value *all = ctx_alloc(ctx, 3 * n * sizeof *all);
                size_t at = 0;
                for (int q = 0; q < 3; q++) {
                    Value part;
                    cr_assert_eq(mk_set(ctx, n, random_items(kind, n, sh->c0, sh->nc, sh->i0, sh->h, sh->j0, sh->w),
                                        &part),
                                 ERR_OK);
                    parts[q] = (PackPart){part.u.seq->items, v_len(part)};
                    memcpy(all + at, part.u.seq->items, v_len(part) * sizeof *all);
                    at += v_len(part);
                }
                if (packset_build(ctx, kind, parts, 3, at, true, &got, &e)) {
                    cr_assert_eq(e, ERR_OK, "%s", what);
                    check_reference(got, all, at, what);
                }
            }
    }
}

/* a random subset-ish pair of sets of one kind from one shape */
static void random_sets(uint8_t kind, const Shape *sh, size_t na, size_t nb, Value *a, Value *b)
{
    Ctx *ctx = t_ctx();
    cr_assert_eq(mk_set(ctx, na, random_items(kind, na, sh->c0, sh->nc, sh->i0, sh->h, sh->j0, sh->w), a), ERR_OK);
    Value *items = random_items(kind, nb, sh->c0, sh->nc, sh->i0, sh->h, sh->j0, sh->w);
    /* share about half of b with a, so that there is something in common */
    for (size_t x = 0; x < nb; x += 2)
        items[x] = v_item(*a, next() % v_len(*a));
    cr_assert_eq(mk_set(ctx, nb, items, b), ERR_OK);
}

Test(packed, algebra_matches_generic)
{
    Ctx *ctx = t_ctx();
    static const size_t sizes[][2] = {{1, 1}, {1, 50}, {50, 1}, {9, 400}, {400, 9}, {200, 250}, {3000, 40}};
    for (int k = 0; k < 2; k++) {
        uint8_t kind = k ? VT_CELL : VT_PAIR;
        for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++)
            for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
                Value a, b, got, want;
                random_sets(kind, &shapes[s], sizes[z][0], sizes[z][1], &a, &b);
                if (!pk_kind(a) || !pk_kind(b))
                    continue;
                char what[96];
                snprintf(what, sizeof what, "kind %d shape %zu sizes %zu %zu", kind, s, sizes[z][0], sizes[z][1]);
                for (int swap = 0; swap < 2; swap++) {
                    Value x = swap ? b : a, y = swap ? a : b;
                    cr_assert_eq(pk_difference(ctx, x, y, &got), ERR_OK);
                    cr_assert_eq(py_set_difference(ctx, x, y, &want), ERR_OK);
                    if (v_len(want))
                        check_same(got, want, what);
                    else
                        cr_assert_eq(v_len(got), 0u, "%s", what);
                    cr_assert_eq(pk_intersection(ctx, x, y, &got), ERR_OK);
                    cr_assert_eq(py_and(ctx, x, y, &want), ERR_OK);
                    if (v_len(want))
                        check_same(got, want, what);
                    else
                        cr_assert_eq(v_len(got), 0u, "%s", what);
                    cr_assert_eq(pk_union(ctx, x, y, &got), ERR_OK);
                    cr_assert_eq(py_or(ctx, x, y, &want), ERR_OK);
                    check_same(got, want, what);
                    for (size_t q = 0; q < v_len(y); q++)
                        cr_assert_eq(pk_find(x, v_item(y, q)) >= 0, set_find(x, v_item(y, q)) >= 0, "%s", what);
                }
                /* a set against itself and against a copy */
                Value copy;
                cr_assert_eq(mk_set(ctx, v_len(a), a.u.seq->items, &copy), ERR_OK);
                cr_assert_eq(pk_difference(ctx, a, copy, &got), ERR_OK);
                cr_assert_eq(v_len(got), 0u);
                cr_assert_eq(pk_intersection(ctx, a, copy, &got), ERR_OK);
                check_same(got, a, what);
                cr_assert_eq(pk_union(ctx, a, copy, &got), ERR_OK);
                check_same(got, a, what);
            }
    }
}

/* shift adds in 32 bits and falls back when a coordinate leaves them */
Test(packed, shift_leaving_32_bits)
{
    expect_same("frozenset({(2147483648, 0), (1, 5)})", "shift", "frozenset({(2147483647, 0), (0, 5)})", "(1, 0)");
    expect_same("frozenset({(1, (-1, 3)), (3, (-2147483649, -2))})", "shift",
                "frozenset({(3, (-2147483648, 0)), (1, (0, 5))})", "(-1, -2)");
    expect_same("frozenset({(4294967295, -4294967296), (4294967296, -4294967291)})", "shift",
                "frozenset({(0, 0), (1, 5)})", "(4294967295, -4294967296)");
    expect_same("frozenset({(2147483647, 2), (4294967296, 7)})", "shift", "frozenset({(-2147483648, 0), (1, 5)})",
                "(4294967295, 2)");
    expect_same("frozenset({(-2147483646, 2147483647), (2147483647, -2147483648)})", "shift",
                "frozenset({(2147483646, -2147483647), (-2147483647, 2147483648)})", "(1, -1)");
}

/* merge of a frozenset of packed sets: the union of their items */
Test(packed, merge_matches_generic)
{
    Ctx *ctx = t_ctx();
    expect_same("frozenset()", "merge", "frozenset({frozenset()})");
    expect_same("frozenset({(1, 2)})", "merge", "frozenset({frozenset(), frozenset({(1, 2)})})");
    expect_same("frozenset({(0, 0), (5, (0, 0))})", "merge", "frozenset({frozenset({(0, 0)}), frozenset({(5, (0, 0))})})");
    expect_same("frozenset({(0, 0), 3})", "merge", "frozenset({frozenset({(0, 0)}), frozenset({3})})");
    expect_same("(0, 1, 2)", "merge", "((0, 1), (2,))");
    for (int k = 0; k < 2; k++) {
        uint8_t kind = k ? VT_CELL : VT_PAIR;
        for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++)
            for (size_t nsets = 2; nsets <= 40; nsets *= 3) {
                const Shape *sh = &shapes[s];
                Value *sets = ctx_alloc(ctx, nsets * sizeof *sets);
                size_t total = 0;
                for (size_t q = 0; q < nsets; q++) {
                    size_t n = 1 + next() % 200;
                    cr_assert_eq(mk_set(ctx, n, random_items(kind, n, sh->c0, sh->nc, sh->i0, sh->h, sh->j0, sh->w),
                                        &sets[q]), ERR_OK);
                    total += v_len(sets[q]);
                }
                sets[nsets - 1] = v_empty_set();
                Value outer, got, want, *all = ctx_alloc(ctx, total * sizeof *all);
                cr_assert_eq(mk_set(ctx, nsets, sets, &outer), ERR_OK);
                size_t at = 0;
                for (size_t q = 0; q < v_len(outer); q++)
                    for (size_t x = 0; x < v_len(v_item(outer, q)); x++)
                        all[at++] = v_item(v_item(outer, q), x);
                cr_assert_eq(mk_set(ctx, at, all, &want), ERR_OK);
                Value arg = outer;
                cr_assert_eq(call_value(ctx, prim_value(prim_lookup("merge")), 1, &arg, &got), ERR_OK);
                char what[64];
                snprintf(what, sizeof what, "kind %d shape %zu sets %zu", kind, s, nsets);
                check_same(got, want, what);
            }
    }
}

/* fill, underfill, cover, paint and underpaint read a tuple of packed pairs
 * or cells (what merge makes of a tuple of patches) in its own order, with
 * repeats and cells outside the grid, as dsl.py's loops do */
Test(packed, grid_tuple_patches)
{
    const char *g = "((0, 0, 0), (0, 1, 0), (2, 0, 0))";
    const char *t = "((3, (0, 0)), (4, (0, 0)), (5, (2, 2)), (6, (9, 9)), (7, (-1, 0)), (8, (1, 1)))";
    const char *p = "((0, 1), (2, 0), (5, 5), (0, 1))";
    expect_same("((4, 0, 0), (0, 8, 0), (2, 0, 5))", "paint", g, t);
    expect_same("((3, 0, 0), (0, 1, 0), (2, 0, 5))", "underpaint", g, t);
    expect_same("((0, 9, 0), (0, 1, 0), (9, 0, 0))", "fill", g, "9", p);
    expect_same("((0, 9, 0), (0, 1, 0), (2, 0, 0))", "underfill", g, "9", p);
    expect_same("((0, 0, 0), (0, 1, 0), (0, 0, 0))", "cover", g, p);
    expect_same("((0, 0, 0), (0, 0, 0), (2, 0, 0))", "cover", g, t);
    expect_same("((7, 0, 0), (0, 7, 0), (2, 0, 7))", "fill", g, "7", t);
    expect_same(g, "paint", g, "()");
    expect_same(g, "fill", g, "3", "()");
    /* not all packed: the generic paths and their errors */
    expect_same("((5, 0, 0), (0, 1, 0), (2, 0, 0))", "paint", g, "((5, (0, 0)), (None, (7, 7)))");
    expect_err(ERR_TYPE, "paint", g, "((5, (0, 0)), 3)");
    expect_err(ERR_TYPE, "fill", g, "1", "((0, 0), 3)");
}

/* asobject of an int grid counts colours when they span at most 1024 values,
 * and sorts otherwise: both give dsl.py's set */
Test(packed, asobject_colour_spans)
{
    expect_same("frozenset({(1018, (0, 1)), (-5, (1, 1)), (3, (1, 0)), (-5, (0, 0))})", "asobject",
                "((-5, 1018), (3, -5))");
    expect_same("frozenset({(1024, (0, 1)), (0, (1, 1)), (0, (0, 0)), (3, (1, 0))})", "asobject", "((0, 1024), (3, 0))");
    expect_same("frozenset({(-2147483648, (0, 1)), (2147483647, (0, 0))})", "asobject", "((2147483647, -2147483648),)");
    expect_same("frozenset({(7, (0, 0))})", "asobject", "((7,),)");
    expect_same("frozenset({(0, (0, 0)), (0, (0, 1)), (0, (1, 0)), (0, (1, 1)), (0, (2, 0)), (0, (2, 1))})", "asobject",
                "((0, 0), (0, 0), (0, 0))");
}


/* toobject, objects and asobject sort cells by colour straight into the
 * set: few cells by insertion, more by counting, colours spanning 1024 or
 * more by a comparison sort */
Test(packed, cells_by_colour)
{
    const char *g = "((3, 1, 3, 2), (1, 1, 0, 5000), (2, 3, 1, 1))";
    const char *h = "((0, 3, 1, 4, 2, 0, 3, 1), (2, 0, 3, 1, 4, 2, 0, 3), (4, 2, 0, 3, 1, 5000, 2, 0), (1, 4, 2, 0, 3, 1, 4, 2), (3, 1, 4, 2, 0, 3, 1, 4), (0, 3, 1, 4, 2, 0, 3, 1))";
    const char *gg = "((0, 3, 1, 4, 2, 0, 3, 1), (2, 0, 3, 1, 4, 2, 0, 3), (4, 2, 0, 3, 1, 4, 2, 0), (1, 4, 2, 0, 3, 1, 4, 2), (3, 1, 4, 2, 0, 3, 1, 4), (0, 3, 1, 4, 2, 0, 3, 1))";
    expect_same("frozenset({(1, (0, 1)), (3, (0, 0)), (5000, (1, 3)), (3, (0, 2)), (1, (1, 0)), (1, (2, 3))})", "toobject", "frozenset({(0, 0), (0, 1), (0, 2), (1, 0), (2, 3), (1, 3), (5, 5)})", g);
    expect_same("frozenset({(3, (3, 4)), (1, (4, 6)), (0, (5, 0)), (4, (3, 1)), (1, (3, 0)), (4, (4, 2)), (0, (4, 4)), (1, (2, 4)), (3, (1, 2)), (2, (3, 7)), (4, (2, 0)), (3, (2, 3)), (4, (4, 7)), (3, (0, 1)), (2, (1, 5)), (0, (3, 3)), (0, (1, 6)), (0, (5, 5)), (4, (1, 4)), (3, (1, 7)), (2, (1, 0)), (1, (0, 7)), (2, (2, 1)), (1, (1, 3)), (2, (0, 4)), (0, (2, 7)), (4, (0, 3)), (2, (2, 6)), (0, (1, 1)), (3, (0, 6)), (0, (2, 2)), (0, (0, 5)), (1, (0, 2)), (0, (0, 0)), (3, (4, 5)), (3, (5, 1)), (1, (4, 1)), (1, (3, 5)), (3, (4, 0)), (2, (5, 4)), (1, (5, 7)), (2, (3, 2)), (4, (5, 3)), (4, (3, 6)), (3, (5, 6)), (5000, (2, 5)), (1, (5, 2)), (2, (4, 3))})", "toobject", "frozenset({(0, 0), (0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (0, 7), (1, 0), (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (2, 0), (2, 1), (2, 2), (2, 3), (2, 4), (2, 5), (2, 6), (2, 7), (3, 0), (3, 1), (3, 2), (3, 3), (3, 4), (3, 5), (3, 6), (3, 7), (4, 0), (4, 1), (4, 2), (4, 3), (4, 4), (4, 5), (4, 6), (4, 7), (5, 0), (5, 1), (5, 2), (5, 3), (5, 4), (5, 5), (5, 6), (5, 7)})", h);
    expect_same("frozenset({(3, (3, 4)), (1, (4, 6)), (0, (5, 0)), (4, (3, 1)), (1, (3, 0)), (4, (4, 2)), (0, (4, 4)), (1, (2, 4)), (3, (1, 2)), (2, (3, 7)), (4, (2, 0)), (3, (2, 3)), (4, (4, 7)), (3, (0, 1)), (2, (1, 5)), (0, (3, 3)), (0, (1, 6)), (0, (5, 5)), (4, (1, 4)), (3, (1, 7)), (2, (1, 0)), (1, (0, 7)), (2, (2, 1)), (1, (1, 3)), (2, (0, 4)), (0, (2, 7)), (4, (0, 3)), (2, (2, 6)), (0, (1, 1)), (3, (0, 6)), (0, (2, 2)), (0, (0, 5)), (1, (0, 2)), (0, (0, 0)), (3, (4, 5)), (3, (5, 1)), (1, (4, 1)), (1, (3, 5)), (3, (4, 0)), (2, (5, 4)), (1, (5, 7)), (2, (3, 2)), (4, (5, 3)), (4, (3, 6)), (3, (5, 6)), (5000, (2, 5)), (1, (5, 2)), (2, (4, 3))})", "asobject", h);
    expect_same("frozenset({(3, (3, 4)), (1, (4, 6)), (0, (5, 0)), (4, (3, 1)), (1, (3, 0)), (4, (4, 2)), (0, (4, 4)), (4, (2, 5)), (1, (2, 4)), (3, (1, 2)), (2, (3, 7)), (4, (2, 0)), (3, (2, 3)), (3, (0, 1)), (2, (1, 5)), (0, (3, 3)), (0, (1, 6)), (0, (5, 5)), (4, (1, 4)), (3, (1, 7)), (2, (1, 0)), (1, (0, 7)), (2, (2, 1)), (1, (1, 3)), (2, (0, 4)), (0, (2, 7)), (4, (0, 3)), (2, (2, 6)), (0, (1, 1)), (3, (0, 6)), (0, (2, 2)), (0, (0, 5)), (1, (0, 2)), (0, (0, 0)), (3, (4, 5)), (3, (5, 1)), (1, (4, 1)), (1, (3, 5)), (3, (4, 0)), (2, (5, 4)), (1, (5, 7)), (2, (3, 2)), (4, (5, 3)), (4, (3, 6)), (3, (5, 6)), (4, (4, 7)), (1, (5, 2)), (2, (4, 3))})", "toobject", "frozenset({(0, 0), (0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (0, 7), (1, 0), (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (2, 0), (2, 1), (2, 2), (2, 3), (2, 4), (2, 5), (2, 6), (2, 7), (3, 0), (3, 1), (3, 2), (3, 3), (3, 4), (3, 5), (3, 6), (3, 7), (4, 0), (4, 1), (4, 2), (4, 3), (4, 4), (4, 5), (4, 6), (4, 7), (5, 0), (5, 1), (5, 2), (5, 3), (5, 4), (5, 5), (5, 6), (5, 7)})", gg);
    expect_same("frozenset({frozenset({(3, (3, 4)), (1, (4, 6)), (0, (5, 0)), (1, (3, 0)), (4, (3, 1)), (4, (4, 2)), (0, (4, 4)), (1, (2, 4)), (3, (1, 2)), (4, (3, 6)), (2, (3, 7)), (4, (2, 0)), (3, (2, 3)), (4, (4, 7)), (3, (0, 1)), (2, (1, 5)), (0, (3, 3)), (0, (5, 5)), (4, (1, 4)), (2, (2, 6)), (0, (1, 6)), (2, (1, 0)), (3, (1, 7)), (2, (2, 1)), (1, (1, 3)), (2, (0, 4)), (0, (2, 7)), (4, (0, 3)), (1, (0, 7)), (0, (1, 1)), (3, (0, 6)), (0, (2, 2)), (1, (0, 2)), (0, (0, 5)), (0, (0, 0)), (3, (4, 5)), (3, (5, 1)), (1, (4, 1)), (3, (4, 0)), (2, (5, 4)), (1, (5, 7)), (2, (3, 2)), (4, (5, 3)), (1, (3, 5)), (3, (5, 6)), (5000, (2, 5)), (1, (5, 2)), (2, (4, 3))})})", "objects", h, "False", "False", "False");
}

/* sets of packed sets (apply over objects): sorted by their items, repeats
 * collapsed, as mk_set orders them; the shapes past the sort keys' ranges
 * (colours outside 0..253, coordinates past 2^27) leave ties to the items */
Test(packed, sets_of_sets_match_mk_set)
{
    Ctx *ctx = t_ctx();
    static const size_t counts[] = {2, 5, 11, 12, 40, 200};
    for (int k = 0; k < 2; k++) {
        uint8_t kind = k ? VT_CELL : VT_PAIR;
        for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++)
            for (size_t z = 0; z < sizeof counts / sizeof *counts; z++) {
                const Shape *sh = &shapes[s];
                size_t n = counts[z];
                Value *sets = ctx_alloc(ctx, n * sizeof *sets);
                for (size_t q = 0; q < n; q++) {
                    if (q % 7 == 3) {
                        sets[q] = v_empty_set();
                        continue;
                    }
                    if (q % 5 == 4) { /* a repeat, and a prefix of another set */
                        sets[q] = sets[q - 1];
                        if (v_len(sets[q - 1]) > 1 && q % 2)
                            cr_assert_eq(mk_set(ctx, v_len(sets[q - 1]) - 1, sets[q - 1].u.seq->items, &sets[q]),
                                         ERR_OK);
                        continue;
                    }
                    size_t m = 1 + next() % 6;
                    cr_assert_eq(mk_set(ctx, m, random_items(kind, m, sh->c0, sh->nc, sh->i0, sh->h, sh->j0, sh->w),
                                        &sets[q]), ERR_OK);
                }
                uint8_t got_kind = pk_sets_kind(sets, n);
                cr_assert_eq(got_kind, kind);
                Value got, want;
                cr_assert_eq(pk_set_of_sets(ctx, got_kind, sets, n, &got), ERR_OK);
                cr_assert_eq(mk_set(ctx, n, sets, &want), ERR_OK);
                cr_assert(v_eq(got, want), "kind %d shape %zu n %zu: %s, expected %s", kind, s, n, R(got), R(want));
                cr_assert_eq(v_len(got), v_len(want));
                for (size_t x = 0; x < v_len(got); x++)
                    cr_assert(v_eq(v_item(got, x), v_item(want, x)));
                cr_assert_eq(v_flags(got), v_flags(want));
            }
    }
    /* first items that the keys cannot tell apart (colours past 253,
     * rows past 2^27): their later fields must not decide the order */
    const char *clamped[][2] = {
        {"frozenset({(300, (5, 5))})", "frozenset({(400, (1, 1))})"},
        {"frozenset({(-7, (9, 9))})", "frozenset({(-2, (0, 0))})"},
        {"frozenset({(1, (200000000, 9))})", "frozenset({(1, (300000000, 0))})"},
        {"frozenset({(2147483647, 0)})", "frozenset({(2147483646, 5)})"},
    };
    for (size_t c = 0; c < sizeof clamped / sizeof *clamped; c++) {
        Value two[2] = {V(clamped[c][0]), V(clamped[c][1])}, got, want;
        cr_assert_eq(pk_set_of_sets(ctx, pk_sets_kind(two, 2), two, 2, &got), ERR_OK);
        cr_assert_eq(mk_set(ctx, 2, two, &want), ERR_OK);
        cr_assert(v_eq(v_item(got, 0), v_item(want, 0)), "case %zu: %s, expected %s", c, R(got), R(want));
    }
    Value mixed[3] = {V("frozenset({(0, 0)})"), V("frozenset({(1, (0, 0))})"), v_empty_set()};
    cr_assert_eq(pk_sets_kind(mixed, 3), 0);
    Value empties[2] = {v_empty_set(), v_empty_set()};
    cr_assert_neq(pk_sets_kind(empties, 2), 0);
    Value not_sets[2] = {V("frozenset({(0, 0)})"), V("((0, 0),)")};
    cr_assert_eq(pk_sets_kind(not_sets, 2), 0);
    expect_same("frozenset({frozenset(), frozenset({(0, 1)}), frozenset({(0, 1), (2, 2)})})", "apply", "first",
                "frozenset({(frozenset({(0, 1), (2, 2)}), 1), (frozenset(), 2), (frozenset({(0, 1)}), 3), (frozenset(), 4)})");
    Value caps[2] = {prim_value(prim_lookup("shift")), v_pair(1, 1)}, by11, args[2], got;
    cr_assert_eq(func_closure(ctx, FN_RBIND, 1, 2, caps, 0, &by11), ERR_OK);
    args[0] = by11;
    args[1] = V("frozenset({frozenset({(3, (0, 1))}), frozenset({(3, (0, 0)), (1, (5, 5))}), frozenset({(3, (1, 1))})})");
    cr_assert_eq(call_value(ctx, prim_value(prim_lookup("apply")), 2, args, &got), ERR_OK);
    cr_assert_str_eq(R(got), R(V("frozenset({frozenset({(3, (1, 2))}), frozenset({(3, (2, 2))}), "
                                 "frozenset({(3, (1, 1)), (1, (6, 6))})})")));
}


/* occurrences of one-colour rectangles: four placements at a time plus the
 * columns left over, on a grid whose width is not a multiple of four;
 * rectangles as tall or as wide as the grid */
Test(packed, occurrences_rectangles)
{
    const char *g = "((0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 5, 5), (0, 0, 0, 5, 0, 0, 0, 0, 5, 0, 0, 0, 0), (0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), (5, 5, 0, 5, 5, 0, 0, 0, 0, 0, 0, 0, 5), (0, 5, 0, 0, 0, 5, 0, 0, 0, 5, 5, 0, 0), (0, 0, 0, 5, 5, 0, 0, 0, 5, 0, 0, 0, 5), (0, 5, 0, 0, 5, 0, 0, 0, 5, 0, 0, 0, 0), (0, 5, 5, 5, 0, 0, 5, 5, 0, 0, 5, 0, 5), (0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0))";
    expect_same("frozenset({(4, 0), (3, 7), (4, 6), (5, 1), (8, 0), (5, 10), (8, 9), (0, 5), (2, 2), (8, 6), (1, 0), (2, 11), (1, 9), (2, 8), (7, 4), (6, 2), (6, 11), (4, 2), (3, 9), (5, 6), (4, 8), (3, 6), (8, 2), (8, 11), (0, 7), (2, 4), (8, 8), (1, 2), (0, 4), (1, 11), (2, 10), (6, 10), (3, 2), (3, 11), (3, 8), (5, 5), (8, 4), (0, 0), (0, 9), (1, 4), (0, 6), (2, 3), (2, 12), (1, 10), (6, 6), (7, 5), (6, 3), (6, 12), (4, 3), (4, 12), (3, 10), (5, 7), (8, 3), (8, 12), (1, 6), (0, 8), (2, 5), (1, 12), (6, 5), (5, 0), (5, 9), (4, 11), (8, 5), (0, 1), (0, 10), (2, 7), (1, 5), (7, 0), (7, 9), (6, 7), (4, 7), (3, 5), (5, 2), (4, 4), (5, 11), (8, 7), (1, 1), (0, 3), (2, 0), (2, 9), (1, 7), (2, 6), (6, 0), (7, 11), (6, 9), (7, 8)})", "occurrences", g, "frozenset({(0, (0, 0))})");
    expect_same("frozenset({(0, 4), (2, 7), (1, 5), (1, 11), (3, 7), (2, 10), (4, 6), (5, 10), (0, 5), (1, 6), (2, 5), (1, 9), (2, 8), (7, 4), (5, 5), (0, 0), (0, 9), (1, 4), (0, 6), (2, 9), (2, 6), (5, 6), (1, 10), (3, 6), (5, 9), (7, 8)})", "occurrences", g, "frozenset({(0, (0, 0)), (0, (0, 1)), (0, (1, 0)), (0, (1, 1))})");
    expect_same("frozenset({(0, 7), (2, 4), (0, 4), (2, 7), (3, 7), (8, 3), (0, 5), (2, 2), (8, 6), (2, 5), (1, 9), (3, 5), (2, 8), (3, 8), (8, 4), (0, 3), (1, 4), (0, 6), (2, 3), (2, 9), (2, 6), (3, 6), (8, 2), (6, 9), (8, 5)})", "occurrences", g, "frozenset({(0, (0, 0)), (0, (0, 1)), (0, (0, 2)), (0, (0, 3))})");
    expect_same("frozenset({(4, 0), (3, 7), (4, 6), (0, 5), (2, 2), (1, 6), (2, 11), (1, 9), (2, 8), (6, 5), (6, 11), (4, 2), (5, 0), (3, 6), (5, 9), (4, 11), (0, 7), (1, 2), (0, 4), (0, 10), (2, 7), (1, 5), (1, 11), (3, 2), (4, 7), (3, 11), (5, 5), (5, 11), (0, 0), (0, 9), (0, 6), (1, 7), (2, 6), (1, 10), (6, 0), (6, 9)})", "occurrences", g, "frozenset({(0, (0, 0)), (0, (1, 0)), (0, (2, 0))})");
    expect_same("frozenset({(7, 1), (4, 9), (3, 0), (3, 3), (7, 6), (7, 2), (5, 3), (0, 11)})", "occurrences", g, "frozenset({(5, (0, 0)), (5, (0, 1))})");
    expect_same("frozenset({(2, 5), (2, 6), (2, 7)})", "occurrences", g, "frozenset({(0, (0, 0)), (0, (0, 1)), (0, (0, 2)), (0, (0, 3)), (0, (0, 4)), (0, (1, 0)), (0, (1, 1)), (0, (1, 2)), (0, (1, 3)), (0, (1, 4))})");
    expect_same("frozenset()", "occurrences", g, "frozenset({(0, (0, 0)), (0, (1, 0)), (0, (2, 0)), (0, (3, 0)), (0, (4, 0)), (0, (5, 0)), (0, (6, 0)), (0, (7, 0)), (0, (8, 0))})");
    expect_same("frozenset()", "occurrences", g, "frozenset({(0, (0, 0)), (0, (0, 1)), (0, (0, 2)), (0, (0, 3)), (0, (0, 4)), (0, (0, 5)), (0, (0, 6)), (0, (0, 7)), (0, (0, 8)), (0, (0, 9)), (0, (0, 10)), (0, (0, 11)), (0, (0, 12))})");
    expect_same("frozenset()", "occurrences", g, "frozenset({(5, (0, 0)), (5, (0, 1)), (5, (0, 2)), (5, (1, 0)), (5, (1, 1)), (5, (1, 2)), (5, (2, 0)), (5, (2, 1)), (5, (2, 2))})");
}
