/* test_kernels.c: the batched grid kernels (cuda/) against the CPU ops.
 *
 * For every primitive with a kernel, random proper grids (1x1, 1xN, Nx1,
 * two-wide rows that pack as pairs, 30x30, 200x37, ...) and random
 * parameters, including out-of-range ones, go through gpu_run_batch on the
 * host backend (the kernels' BT_HD functions compiled for the CPU); every
 * application it computes must equal the CPU op's result (called as a
 * function value, the way the interpreter calls it), kind and row packing
 * included, and every one it declines must be one gpu_eligible rejects.
 * Then: inputs the kernels must decline, the counters, and (when a CUDA
 * device is present) the device's results against the host backend's. */
#include "support.h"

#include "../cuda/batch.h"
#include "../runtime/func.h"
#include "../runtime/literal.h"
#include "../runtime/pyops.h"

/* ---- random values ---- */

static uint64_t rng = 88172645463325252ull;

static void seed(const char *name)
{
    rng = 1469598103934665603ull;
    for (const char *s = name; *s; s++)
        rng = (rng ^ (uint8_t)*s) * 1099511628211ull;
    rng |= 1;
}

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Uniform in [lo, hi]. */
static int64_t rin(int64_t lo, int64_t hi) { return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1)); }
static bool chance(int percent) { return rin(0, 99) < percent; }

static const int SIZES[][2] = {{1, 1}, {1, 9}, {7, 1}, {2, 2}, {3, 2}, {2, 5}, {4, 4},
                               {5, 3}, {30, 30}, {200, 37}, {13, 29}, {1, 30}, {30, 1}};
#define NSIZES (sizeof SIZES / sizeof SIZES[0])

/* A cell: a colour, or (wide) now and then another int32. */
static int64_t rand_cell(bool wide)
{
    static const int64_t odd[] = {-7, 10, 11, 255, 256, 1000, INT32_MAX, INT32_MIN, -1};
    if (wide && chance(15))
        return odd[rin(0, sizeof odd / sizeof odd[0] - 1)];
    return rin(0, 9);
}

static Value grid_hw(int64_t h, int64_t w, bool wide)
{
    int64_t *c = malloc((size_t)(h * w) * sizeof *c);
    int ncol = (int)rin(1, 10); /* few colours make ties and repeats likely */
    for (int64_t k = 0; k < h * w; k++)
        c[k] = wide ? rand_cell(true) : rin(0, ncol - 1);
    Value g;
    cr_assert_eq(mk_grid(t_ctx(), (size_t)h, (size_t)w, c, &g), ERR_OK);
    free(c);
    return g;
}

/* A random proper grid; one in five holds ints other than colours. */
static Value rand_grid(void)
{
    size_t s = (size_t)rin(0, NSIZES - 1);
    return grid_hw(SIZES[s][0], SIZES[s][1], chance(20));
}

static int64_t H(Value g) { return (int64_t)grid_h(g); }
static int64_t W(Value g) { return (int64_t)grid_w(g); }

/* A random small int parameter, often a colour. */
static Value rand_param(void) { return v_int(chance(80) ? rin(0, 9) : rin(-3, 12)); }

static Value pair(int64_t a, int64_t b)
{
    Value p;
    cr_assert_eq(mk_pair(t_ctx(), a, b, &p), ERR_OK);
    return p;
}

/* Positions (or cells, coloured) around grid g, some outside it; with
 * repeats of a position under other colours for cells. */
static Value rand_patch(Value g, bool cells)
{
    int64_t h = H(g), w = W(g), n = rin(0, h * w < 60 ? h * w + 4 : 60);
    Value *it = malloc((size_t)(n ? n : 1) * sizeof *it);
    for (int64_t k = 0; k < n; k++) {
        int32_t i = (int32_t)rin(-2, h + 1), j = (int32_t)rin(-2, w + 1);
        if (k && chance(20)) /* the same position again */
            i = it[k - 1].u.p.a, j = it[k - 1].u.p.b;
        it[k] = cells ? v_cell((int32_t)rin(0, 9), i, j) : v_pair(i, j);
    }
    Value s;
    cr_assert_eq(mk_set(t_ctx(), (size_t)n, it, &s), ERR_OK);
    free(it);
    return s;
}

/* ---- argument generators, one per primitive shape ---- */

typedef void (*Gen)(Value *a);

static void gen_grid(Value *a) { a[0] = rand_grid(); }

static void gen_recolour(Value *a)
{
    a[0] = rand_grid();
    a[1] = rand_param();
    a[2] = chance(15) ? a[1] : rand_param();
}

static void gen_cellwise(Value *a)
{
    a[0] = rand_grid();
    int64_t h = H(a[0]), w = W(a[0]);
    int64_t hb = h + (chance(50) ? 0 : rin(-1, 3)), wb = w + (chance(50) ? 0 : rin(-1, 3));
    hb = hb < 1 ? 1 : hb, wb = wb < 1 ? 1 : wb;
    int64_t *c = malloc((size_t)(hb * wb) * sizeof *c);
    for (int64_t i = 0; i < hb; i++)
        for (int64_t j = 0; j < wb; j++)
            c[i * wb + j] = i < h && j < w && chance(70) ? grid_at(a[0], (size_t)i, (size_t)j) : rin(0, 9);
    cr_assert_eq(mk_grid(t_ctx(), (size_t)hb, (size_t)wb, c, &a[1]), ERR_OK);
    free(c);
    a[2] = rand_param();
}

static void gen_crop(Value *a)
{
    a[0] = rand_grid();
    int64_t h = H(a[0]), w = W(a[0]);
    a[1] = pair(rin(-h - 2, h + 2), rin(-w - 2, w + 2));
    a[2] = pair(rin(-2, h + 3), rin(-2, w + 3));
    if (chance(5))
        a[2] = pair(INT64_MAX, INT64_MAX); /* a saturated stop */
}

static void gen_upscale(Value *a)
{
    a[0] = rand_grid();
    a[1] = v_int(rin(-1, H(a[0]) * W(a[0]) > 1000 ? 2 : 4));
}

static void gen_downscale(Value *a)
{
    a[0] = rand_grid();
    int64_t f = rin(-6, 6);
    a[1] = v_int(chance(5) ? (int64_t)1 << 40 : f); /* 0 raises: not eligible */
}

static void gen_two(Value *a)
{
    a[0] = rand_grid();
    a[1] = rand_grid();
}

static void gen_vconcat(Value *a)
{
    a[0] = rand_grid();
    a[1] = chance(80) ? grid_hw(rin(1, 40), W(a[0]), chance(20)) : rand_grid();
}

static void gen_canvas(Value *a)
{
    a[0] = rand_param();
    a[1] = chance(10) ? pair(200, 37) : pair(rin(-2, 40), rin(-2, 40));
}

static void gen_fill(Value *a)
{
    a[0] = rand_grid();
    a[1] = rand_param();
    a[2] = rand_patch(a[0], chance(50));
}

static void gen_cover(Value *a)
{
    a[0] = rand_grid();
    a[1] = rand_patch(a[0], chance(50));
}

static void gen_paint(Value *a)
{
    a[0] = rand_grid();
    a[1] = rand_patch(a[0], true);
}

static void gen_colorcount(Value *a)
{
    a[0] = rand_grid();
    a[1] = chance(90) ? rand_param() : chance(50) ? v_bool(chance(50)) : pair(1, 2);
}

/* Grids for the extractions (objects, partition, ofcolor, asindices):
 * sizes around the shared-memory bound of the objects kernel (64x64 = 4096
 * cells; 65x63 and the tall ones take the global-memory variant), and
 * shapes that matter: one colour (all background), checkerboards (single
 * cells, diagonal joins), sparse marks on a background, stripes, few colours
 * (ties for mostcolor), ints beyond colours. */
static const int XSIZES[][2] = {{1, 1}, {1, 9}, {7, 1}, {2, 2}, {3, 2}, {2, 5}, {4, 4}, {5, 3},
                                {30, 30}, {48, 48}, {64, 64}, {65, 63}, {200, 37}, {300, 5},
                                {13, 29}, {1, 30}, {30, 1}};
#define NXSIZES (sizeof XSIZES / sizeof XSIZES[0])

static Value extract_grid(void)
{
    size_t s = (size_t)rin(0, NXSIZES - 1);
    int64_t h = XSIZES[s][0], w = XSIZES[s][1];
    int64_t *c = malloc((size_t)(h * w) * sizeof *c);
    int shape = (int)rin(0, 9), ncol = (int)rin(1, 4);
    int64_t a = rin(0, 9), b = rin(0, 9);
    for (int64_t i = 0; i < h; i++)
        for (int64_t j = 0; j < w; j++) {
            int64_t *x = &c[i * w + j];
            switch (shape) {
            case 0: *x = a; break;                                        /* one colour */
            case 1: *x = (i + j) % 2 ? a : b; break;                      /* checkerboard */
            case 2: *x = chance(10) ? rin(0, 9) : a; break;               /* sparse */
            case 3: *x = (chance(50) ? i : j) % 3 ? a : b; break;         /* stripes, crosses */
            case 4: *x = rand_cell(true); break;                          /* wide ints */
            default: *x = rin(0, ncol - 1); break;                        /* few colours */
            }
        }
    Value g;
    cr_assert_eq(mk_grid(t_ctx(), (size_t)h, (size_t)w, c, &g), ERR_OK);
    free(c);
    return g;
}

/* A truthy or falsy flag, mostly a bool. */
static Value rand_flag(void)
{
    switch (rin(0, 9)) {
    case 0: return v_int(rin(0, 2));
    case 1: return v_none();
    default: return v_bool(chance(50));
    }
}

static void gen_extract(Value *a) { a[0] = extract_grid(); }

static void gen_objects(Value *a)
{
    a[0] = extract_grid();
    a[1] = rand_flag();
    a[2] = rand_flag();
    a[3] = rand_flag();
}

static void gen_ofcolor(Value *a)
{
    a[0] = extract_grid();
    switch (rin(0, 9)) {
    case 0: a[1] = v_bool(chance(50)); break;           /* True == 1 */
    case 1: a[1] = pair(1, 2); break;                    /* matches nothing */
    case 2: a[1] = v_int((int64_t)1 << 40); break;       /* beyond int32: nothing */
    case 3: a[1] = v_int(INT32_MIN); break;
    default: a[1] = rand_param(); break;
    }
}

/* A set of positions or cells for shift / normalize: up to 60 entries,
 * sometimes empty, sometimes near the int32 bounds (beyond the fast path
 * once moved). */
static Value move_patch(void)
{
    int64_t n = chance(5) ? 0 : rin(1, 60), base = chance(5) ? INT32_MAX - 3 : chance(5) ? INT32_MIN + 2 : 0;
    bool cells = chance(50);
    Value *it = malloc((size_t)(n ? n : 1) * sizeof *it);
    for (int64_t k = 0; k < n; k++) {
        int32_t i = (int32_t)(base + rin(-2, 2) * (base != 0) + (base ? 0 : rin(-3, 30)));
        int32_t j = (int32_t)rin(-3, 30);
        it[k] = cells ? v_cell((int32_t)rand_cell(true), i, j) : v_pair(i, j);
    }
    Value s;
    cr_assert_eq(mk_set(t_ctx(), (size_t)n, it, &s), ERR_OK);
    free(it);
    return s;
}

static void gen_shift(Value *a)
{
    a[0] = move_patch();
    switch (rin(0, 9)) {
    case 0: a[1] = V("(True, -1)"); break;
    case 1: a[1] = V("(1, 2, 3)"); break;      /* ValueError on the CPU */
    case 2: a[1] = pair((int64_t)1 << 40, 0); break;
    case 3: a[1] = pair(INT32_MAX, INT32_MIN); break;
    default: a[1] = pair(rin(-6, 6), rin(-6, 6)); break;
    }
}

static void gen_normalize(Value *a) { a[0] = move_patch(); }

/* subgrid(patch, grid): a box of rows [t, t + ph) and columns [l, l + pw)
 * placed around the grid (inside it, across its edges, beyond them, at
 * negative corners that count from the end), filled with random positions
 * or cells; now and then a corner at an int32 bound, the empty set (not
 * eligible) or a tuple of positions (not eligible). */
static Value subgrid_patch(Value g)
{
    int64_t h = H(g), w = W(g), t = rin(-h - 3, h + 2), l = rin(-w - 3, w + 2);
    int64_t ph = rin(1, h + 3), pw = rin(1, w + 3), n = chance(4) ? 0 : rin(1, 24);
    bool cells = chance(50);
    Value *it = malloc((size_t)(n + 2) * sizeof *it);
    for (int64_t k = 0; k < n; k++) {
        int32_t i = (int32_t)rin(t, t + ph - 1), j = (int32_t)rin(l, l + pw - 1);
        if (k == 0 && chance(5))
            i = chance(50) ? INT32_MIN : INT32_MAX;
        if (k == 1 && chance(5))
            j = chance(50) ? INT32_MIN : INT32_MAX;
        it[k] = cells ? v_cell((int32_t)rand_cell(true), i, j) : v_pair(i, j);
    }
    Value s;
    if (n && chance(3))
        cr_assert_eq(mk_tuple(t_ctx(), (size_t)n, it, &s), ERR_OK);
    else
        cr_assert_eq(mk_set(t_ctx(), (size_t)n, it, &s), ERR_OK);
    free(it);
    return s;
}

static void gen_subgrid(Value *a)
{
    a[1] = chance(30) ? extract_grid() : rand_grid();
    a[0] = subgrid_patch(a[1]);
}

/* compress(grid): random cells from few colours (or wide ints), then some
 * rows and some columns made uniform: in half the grids all of one value
 * (ARC's separator lines: rows and columns both stay uniform), otherwise
 * each of its own value (a column written over the rows, so crossings break
 * row uniformity); sometimes all of them: () when every row is uniform,
 * rows of () when every column is and some row is not; one grid in twenty
 * has a cell beyond int32 (not eligible). Sizes include 1x1, one row, one
 * column, tall and wide. */
static const int CSIZES[][2] = {{1, 1}, {1, 7}, {6, 1}, {2, 2}, {3, 4}, {5, 5}, {10, 3},
                                {30, 30}, {31, 45}, {64, 2}, {200, 37}, {1, 30}, {30, 1}};
#define NCSIZES (sizeof CSIZES / sizeof CSIZES[0])

static void gen_compress(Value *a)
{
    size_t s = (size_t)rin(0, NCSIZES - 1);
    int64_t h = CSIZES[s][0], w = CSIZES[s][1], ncol = chance(5) ? 1 : rin(2, 4);
    bool wide = chance(20), one = chance(50);
    int rows_pct = chance(8) ? 100 : (int)rin(0, 40), cols_pct = chance(8) ? 100 : (int)rin(0, 40);
    int64_t *c = malloc((size_t)(h * w) * sizeof *c), line = wide ? rand_cell(true) : rin(0, 9);
    for (int64_t k = 0; k < h * w; k++)
        c[k] = wide ? rand_cell(true) : rin(0, ncol - 1);
    for (int64_t i = 0; i < h; i++)
        if (chance(rows_pct)) {
            int64_t x = one ? line : wide ? rand_cell(true) : rin(0, ncol - 1);
            for (int64_t j = 0; j < w; j++)
                c[i * w + j] = x;
        }
    for (int64_t j = 0; j < w; j++)
        if (chance(cols_pct)) {
            int64_t x = one ? line : wide ? rand_cell(true) : rin(0, ncol - 1);
            for (int64_t i = 0; i < h; i++)
                c[i * w + j] = x;
        }
    if (chance(5))
        c[rin(0, h * w - 1)] = (int64_t)1 << 40;
    cr_assert_eq(mk_grid(t_ctx(), (size_t)h, (size_t)w, c, &a[0]), ERR_OK);
    free(c);
}

/* ---- checking ---- */

/* The full literal of v (sets print in storage order, so equal strings
 * mean the same canonical order); buf is a big static buffer. */
static const char *full_repr(Value v, int which)
{
    static char bufs[2][1 << 21];
    lit_repr(v, bufs[which], sizeof bufs[which]);
    cr_assert_lt(strlen(bufs[which]), sizeof bufs[which] - 1, "repr truncated");
    return bufs[which];
}

/* Same value and same representation (tags, rows packed alike). */
static bool same_kind(Value a, Value b)
{
    if (a.tag != b.tag)
        return false;
    if (a.tag != VT_TUPLE && a.tag != VT_SET)
        return true;
    for (size_t k = 0; k < v_len(a); k++)
        if (v_item(a, k).tag != v_item(b, k).tag)
            return false;
    return true;
}

#define NCASES 240

/* The CPU op's result of application k. */
static Err cpu_call(const Prim *p, const Value *args, Value *out)
{
    return call_value(t_ctx(), prim_value(p), p->arity, args, out);
}

/* Random applications of prim through the host backend against the CPU op;
 * at least min_pct percent must be eligible. */
static void check_prim(const char *name, Gen gen, int min_pct)
{
    const Prim *p = prim_lookup(name);
    cr_assert(p && gpu_has_kernel(p), "%s has no kernel", name);
    seed(name);
    static Value argv[NCASES][4], out[NCASES];
    static const Value *ptr[NCASES];
    static Err err[NCASES];
    for (int k = 0; k < NCASES; k++) {
        gen(argv[k]);
        ptr[k] = argv[k];
    }
    GpuCounters c = {0};
    int ran = gpu_run_batch_on(GPU_HOST, t_ctx(), p, NCASES, ptr, out, err, &c);
    int eligible = 0;
    for (int k = 0; k < NCASES; k++) {
        bool el = gpu_eligible(p, argv[k]);
        cr_assert_eq(el, err[k] != ERR__COUNT, "%s case %d (%s, %s): eligible %d but %s", name, k,
                     R(argv[k][0]), p->arity > 1 ? R(argv[k][1]) : "", el, err_name(err[k]));
        if (!el)
            continue;
        eligible++;
        Value want;
        Err ce = cpu_call(p, argv[k], &want);
        cr_assert_eq(err[k], ERR_OK, "%s case %d: building the result: %s", name, k, err_name(err[k]));
        cr_assert_eq(ce, ERR_OK, "%s case %d (%s, %s): eligible, but the CPU op raises %s", name, k,
                     R(argv[k][0]), p->arity > 1 ? R(argv[k][1]) : "", err_name(ce));
        cr_assert(v_eq(out[k], want) && same_kind(out[k], want),
                  "%s case %d (%s, %s, %s):\n kernel %s\n cpu    %s", name, k, R(argv[k][0]),
                  p->arity > 1 ? R(argv[k][1]) : "", p->arity > 2 ? R(argv[k][2]) : "", R(out[k]), R(want));
        cr_assert_str_eq(full_repr(out[k], 0), full_repr(want, 1), "%s case %d: storage order differs", name, k);
        cr_assert_eq(v_cmp(out[k], want), 0);
    }
    cr_log_info("%s: %d of %d cases eligible", name, eligible, NCASES);
    cr_assert_eq(ran, eligible);
    cr_assert_eq(c.items_host, (uint64_t)eligible);
    cr_assert_eq(c.items_ineligible, (uint64_t)(NCASES - eligible));
    cr_assert_eq(c.host_runs, eligible ? 1u : 0u);
    cr_assert_eq(c.launches, 0u);
    cr_assert_geq(eligible * 100, min_pct * NCASES, "%s: only %d of %d cases eligible", name, eligible, NCASES);
}

#define KERNEL_TEST(name, gen, min_pct) \
    Test(kernels, name) { check_prim(#name, gen, min_pct); }

/* wide grids (ints beyond colours) stay eligible for the grid kinds */
KERNEL_TEST(rot90, gen_grid, 95)
KERNEL_TEST(rot180, gen_grid, 95)
KERNEL_TEST(rot270, gen_grid, 95)
KERNEL_TEST(hmirror, gen_grid, 95)
KERNEL_TEST(vmirror, gen_grid, 95)
KERNEL_TEST(dmirror, gen_grid, 95)
KERNEL_TEST(cmirror, gen_grid, 95)
KERNEL_TEST(replace, gen_recolour, 95)
KERNEL_TEST(switch, gen_recolour, 95)
KERNEL_TEST(cellwise, gen_cellwise, 50)
KERNEL_TEST(crop, gen_crop, 95)
KERNEL_TEST(upscale, gen_upscale, 95)
KERNEL_TEST(downscale, gen_downscale, 80)
KERNEL_TEST(hconcat, gen_two, 95)
KERNEL_TEST(vconcat, gen_vconcat, 70)
KERNEL_TEST(tophalf, gen_grid, 95)
KERNEL_TEST(bottomhalf, gen_grid, 95)
KERNEL_TEST(lefthalf, gen_grid, 95)
KERNEL_TEST(righthalf, gen_grid, 95)
KERNEL_TEST(trim, gen_grid, 95)
KERNEL_TEST(canvas, gen_canvas, 95)
/* subgrid: not the empty set, nor tuples */
KERNEL_TEST(subgrid, gen_subgrid, 85)
/* compress: any int32 cells */
KERNEL_TEST(compress, gen_compress, 85)
KERNEL_TEST(fill, gen_fill, 95)
/* colour kinds: grids with other ints are left to the CPU */
KERNEL_TEST(underfill, gen_fill, 60)
KERNEL_TEST(cover, gen_cover, 60)
KERNEL_TEST(paint, gen_paint, 95)
KERNEL_TEST(colorcount, gen_colorcount, 60)
KERNEL_TEST(palette, gen_grid, 60)
KERNEL_TEST(mostcolor, gen_grid, 60)
KERNEL_TEST(leastcolor, gen_grid, 60)
KERNEL_TEST(numcolors, gen_grid, 60)
/* extractions: grids of any int32 cells, except where mostcolor is the
 * background (fgpartition, objects without_bg: cells 0..9) */
KERNEL_TEST(objects, gen_objects, 80)
KERNEL_TEST(partition, gen_extract, 95)
KERNEL_TEST(fgpartition, gen_extract, 80)
KERNEL_TEST(ofcolor, gen_ofcolor, 95)
KERNEL_TEST(asindices, gen_extract, 95)
/* patches: non-empty packed sets whose moved coordinates fit int32 */
KERNEL_TEST(shift, gen_shift, 60)
KERNEL_TEST(normalize, gen_normalize, 85)

/* Hand-picked edge cases, with the CPU op's literal results. */
Test(kernels, edges)
{
    static const char *const cases[][5] = {
        {"crop", "((1, 2, 3), (4, 5, 6))", "(-1, -2)", "(5, 5)"},   /* negative starts */
        {"crop", "((1, 2, 3), (4, 5, 6))", "(0, 3)", "(2, 2)"},     /* rows of () */
        {"crop", "((1, 2, 3), (4, 5, 6))", "(2, 0)", "(2, 2)"},     /* () */
        {"trim", "((1, 2), (3, 4), (5, 6))", NULL, NULL},           /* ((),) */
        {"trim", "((1, 2, 3),)", NULL, NULL},                       /* () */
        {"lefthalf", "((1,), (2,))", NULL, NULL},                   /* () */
        {"tophalf", "((1, 2, 3),)", NULL, NULL},                    /* () */
        {"upscale", "((1, 2),)", "0", NULL},                        /* () */
        {"downscale", "((1, 2, 3), (4, 5, 6))", "-2", NULL},        /* |factor| */
        {"canvas", "3", "(2, -1)", NULL},                           /* ((), ()) */
        {"canvas", "3", "(0, 5)", NULL},                            /* () */
        {"switch", "((1, 2), (2, 1))", "2", "2"},                   /* a == b */
        {"hconcat", "((1,), (2,), (3,))", "((4, 5),)", NULL},       /* shorter height */
        {"paint", "((0, 0),)", "frozenset({(1, (0, 0)), (2, (0, 0))})", NULL}, /* last wins */
        {"mostcolor", "((1, 2), (2, 1))", NULL, NULL},              /* tie: smallest */
        {"leastcolor", "((1, 2, 3), (3, 2, 1))", NULL, NULL},
        /* objects: a tie for the background (1 and 2 twice: 1), diagonal
         * joins, single cells, all background, a colour ring around another */
        {"objects", "((1, 2), (2, 1))", "True", "False", "True"},
        {"objects", "((1, 2), (2, 1))", "True", "True", "True"},
        {"objects", "((1, 2), (2, 1))", "False", "True", "False"},
        {"objects", "((1, 2), (2, 1))", "False", "False", "False"},
        {"objects", "((3, 3), (3, 3))", "True", "False", "True"},
        {"objects", "((0, 0, 0, 0), (0, 5, 5, 0), (0, 5, 0, 0), (0, 0, 0, 7))", "False", "True", "True"},
        {"objects", "((1, 1, 1), (1, 2, 1), (1, 1, 1))", "True", "False", "False"},
        {"objects", "((1, 1, 1), (1, 2, 1), (1, 1, 1))", "False", "False", "False"},
        {"objects", "((9, 0, 9), (0, 9, 0), (9, 0, 9))", "True", "True", "False"},
        {"objects", "((-1, 7), (2147483647, -1))", "True", "True", "False"},
        {"objects", "((1, 0), (0, 4))", "1", "None", "()"},
        {"partition", "((1, 2), (2, 1))", NULL, NULL},
        {"partition", "((-5, 2147483647), (-2147483648, -5))", NULL, NULL},
        {"fgpartition", "((1, 2), (2, 1))", NULL, NULL},           /* tie: 1 left out */
        {"fgpartition", "((4, 4), (4, 4))", NULL, NULL},           /* frozenset() */
        {"ofcolor", "((1, 2), (2, 1))", "True", NULL},             /* True == 1 */
        {"ofcolor", "((1, 2), (2, 1))", "(1, 2)", NULL},
        {"ofcolor", "((1, 2), (2, 1))", "3", NULL},
        {"asindices", "((1, 2, 3),)", NULL, NULL},
        {"asindices", "((1099511627776,),)", NULL, NULL},          /* cells are not read */
        {"shift", "frozenset({(3, (0, 0)), (1, (2, -1))})", "(-2, 5)", NULL},
        {"shift", "frozenset({(0, 0), (5, 7)})", "(True, False)", NULL},
        {"normalize", "frozenset({(3, (4, 9)), (1, (2, 7)), (1, (5, 2))})", NULL, NULL},
        {"normalize", "frozenset({(-4, -9)})", NULL, NULL},
        /* subgrid: the bounding box, clipped; negative corners count from
         * the end (rows [-1:2] of 2 rows: row 1; of 3 rows: none, ()) */
        {"subgrid", "frozenset({(0, 1), (1, 2)})", "((1, 2, 3), (4, 5, 6), (7, 8, 9))", NULL},
        {"subgrid", "frozenset({(3, (1, 1)), (4, (5, 7))})", "((1, 2, 3), (4, 5, 6), (7, 8, 9))", NULL},
        {"subgrid", "frozenset({(-1, 0), (1, 1)})", "((1, 2, 3), (4, 5, 6))", NULL},
        {"subgrid", "frozenset({(-1, 0), (1, 1)})", "((1, 2, 3), (4, 5, 6), (7, 8, 9))", NULL},
        {"subgrid", "frozenset({(0, 5), (1, 6)})", "((1, 2, 3), (4, 5, 6))", NULL},   /* rows of () */
        {"subgrid", "frozenset({(5, 0)})", "((1, 2, 3), (4, 5, 6))", NULL},           /* () */
        {"subgrid", "frozenset({(0, -2)})", "((1, 2, 3), (4, 5, 6))", NULL},          /* [-2:-1] */
        {"subgrid", "frozenset({(-2147483648, 0), (2147483647, 1)})", "((1, 2), (3, 4))", NULL},
        /* compress: uniform rows and columns go; all rows: (); all columns
         * but not all rows: rows of () */
        {"compress", "((1, 1, 1), (1, 2, 3), (1, 4, 5))", NULL, NULL},
        {"compress", "((1, 2), (1, 2))", NULL, NULL},
        {"compress", "((1, 2, 3),)", NULL, NULL},
        {"compress", "((7,),)", NULL, NULL},
        {"compress", "((1, 1), (2, 2))", NULL, NULL},
        {"compress", "((0, 5, 0), (0, 5, 1), (3, 5, 0), (0, 5, 0))", NULL, NULL},
        {"compress", "((-2147483648, 2147483647), (2147483647, 2147483647))", NULL, NULL},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const Prim *p = prim_lookup(cases[k][0]);
        Value a[4] = {V(cases[k][1])}, got, want;
        for (int q = 1; q < p->arity; q++)
            a[q] = V(cases[k][q + 1]);
        const Value *ptr = a;
        Err e;
        cr_assert_eq(gpu_run_batch_on(GPU_HOST, t_ctx(), p, 1, &ptr, &got, &e, NULL), 1, "%s %s", cases[k][0],
                     cases[k][1]);
        cr_assert_eq(cpu_call(p, a, &want), ERR_OK);
        cr_assert(e == ERR_OK && v_eq(got, want) && same_kind(got, want), "%s(%s, ...) = %s, cpu %s",
                  cases[k][0], cases[k][1], R(got), R(want));
        cr_assert_str_eq(R(got), R(want));
    }
}

/* Inputs the kernels must leave to the CPU op. */
Test(kernels, not_eligible)
{
    static const char *const cases[][5] = {
        {"rot90", "((1, 2), (3,))", NULL, NULL},                     /* ragged */
        {"rot90", "()", NULL, NULL},                                 /* empty */
        {"rot90", "((),)", NULL, NULL},                              /* empty rows */
        {"vmirror", "((True, 0), (1, 1))", NULL, NULL},              /* bool cells */
        {"dmirror", "((1, None), (2, 3))", NULL, NULL},              /* non-int cells */
        {"rot180", "frozenset({(1, (0, 0))})", NULL, NULL},          /* a frozenset as a grid */
        {"hmirror", "5", NULL, NULL},
        {"cmirror", "((1099511627776, 0),)", NULL, NULL},            /* beyond int32 */
        {"replace", "((1, 2),)", "True", "3"},                       /* bool parameter */
        {"replace", "((1, 2),)", "1", "4294967296"},
        {"cellwise", "((1, 2), (3, 4))", "((1, 2),)", "0"},          /* b too small: IndexError */
        {"crop", "((1, 2),)", "(True, 0)", "(1, 1)"},
        {"crop", "((1, 2),)", "5", "(1, 1)"},
        {"upscale", "((1, 2),)", "True", NULL},
        {"upscale", "frozenset({(1, (0, 0))})", "2", NULL},
        {"upscale", "((1, 2),)", "100000", NULL},                    /* beyond BT_MAX_CELLS */
        {"downscale", "((1, 2),)", "0", NULL},                       /* ZeroDivisionError */
        {"downscale", "((1, 2),)", "(2,)", NULL},
        {"vconcat", "((1, 2),)", "((1, 2, 3),)", NULL},              /* ragged result */
        {"hconcat", "((1, 2),)", "()", NULL},
        {"canvas", "True", "(2, 2)", NULL},
        {"canvas", "1", "(1099511627776, 1)", NULL},
        {"canvas", "1", "(2,)", NULL},
        {"fill", "((1, 2),)", "3", "((0, 0),)"},                     /* a tuple patch */
        {"fill", "((1, 2),)", "False", "frozenset({(0, 0)})"},
        {"fill", "((1, 2),)", "3", "frozenset({(0, 0), (1, (0, 0))})"}, /* mixed set */
        {"paint", "((1, 2),)", "frozenset({(0, 0)})", NULL},         /* positions: TypeError */
        {"underfill", "((1, 12),)", "3", "frozenset({(0, 0)})"},     /* a colour past 9 */
        {"cover", "((1, 2), (3,))", "frozenset({(0, 0)})", NULL},
        {"palette", "((12, 1),)", NULL, NULL},
        {"mostcolor", "((-1, 1),)", NULL, NULL},
        {"numcolors", "frozenset({(1, (0, 0))})", NULL, NULL},
        {"colorcount", "((1, 2), (2,))", "2", NULL},
        {"objects", "((1, 2), (2,))", "True", "False", "True"},      /* ragged */
        {"objects", "((12, 1),)", "True", "False", "True"},          /* background past 9 */
        {"objects", "((1099511627776, 1),)", "True", "False", "False"}, /* beyond int32 */
        {"objects", "frozenset({(1, (0, 0))})", "True", "False", "False"},
        {"partition", "((1, 2), (3,))", NULL, NULL},
        {"partition", "((4294967296, 2),)", NULL, NULL},
        {"fgpartition", "((10, 2),)", NULL, NULL},
        {"ofcolor", "((1, 2), (3,))", "1", NULL},
        {"ofcolor", "((4294967296, 2),)", "2", NULL},
        {"asindices", "((1, 2), (3,))", NULL, NULL},
        {"asindices", "()", NULL, NULL},
        {"shift", "frozenset()", "(1, 1)", NULL},                      /* empty */
        {"shift", "((0, 0), (1, 1))", "(1, 1)", NULL},                 /* a tuple patch */
        {"shift", "frozenset({(0, 0)})", "(1, 2, 3)", NULL},           /* ValueError */
        {"shift", "frozenset({(0, 0)})", "(1, None)", NULL},
        {"shift", "frozenset({(2147483647, 0)})", "(1, 0)", NULL},     /* leaves int32 */
        {"shift", "frozenset({(0, 0), (1, (0, 0))})", "(1, 0)", NULL}, /* mixed */
        {"normalize", "frozenset()", NULL, NULL},
        {"normalize", "frozenset({(2147483647, 0), (-2147483648, 0)})", NULL, NULL},
        {"subgrid", "frozenset()", "((1, 2),)", NULL},                 /* IndexError */
        {"subgrid", "((0, 0), (1, 1))", "((1, 2), (3, 4))", NULL},     /* a tuple: shape is its length */
        {"subgrid", "frozenset({(0, 0), (1, (1, 1))})", "((1, 2), (3, 4))", NULL}, /* mixed */
        {"subgrid", "frozenset({(0, 4294967296)})", "((1, 2),)", NULL}, /* unpacked */
        {"subgrid", "frozenset({frozenset({(0, 0)})})", "((1, 2),)", NULL},
        {"subgrid", "frozenset({(0, 0)})", "((1, 2), (3,))", NULL},    /* ragged */
        {"subgrid", "frozenset({(0, 0)})", "((4294967296, 2),)", NULL},
        {"subgrid", "frozenset({(0, 0)})", "()", NULL},
        {"compress", "((1, 2), (3,))", NULL, NULL},
        {"compress", "()", NULL, NULL},
        {"compress", "((),)", NULL, NULL},
        {"compress", "((True, 1), (0, 1))", NULL, NULL},
        {"compress", "((4294967296, 1), (0, 1))", NULL, NULL},
        {"compress", "frozenset({(1, (0, 0))})", NULL, NULL},
    };
    size_t n = sizeof cases / sizeof cases[0];
    for (size_t k = 0; k < n; k++) {
        const Prim *p = prim_lookup(cases[k][0]);
        Value a[4] = {V(cases[k][1])}, got = v_none();
        for (int q = 1; q < p->arity; q++)
            a[q] = V(cases[k][q + 1]);
        cr_assert(!gpu_eligible(p, a), "%s(%s, ...) should not be eligible", cases[k][0], cases[k][1]);
        const Value *ptr = a;
        Err e = ERR_OK;
        GpuCounters c = {0};
        cr_assert_eq(gpu_run_batch(t_ctx(), p, 1, &ptr, &got, &e, &c), 0);
        cr_assert(e == ERR__COUNT && got.tag == VT_NONE && c.items_ineligible == 1 && c.host_runs == 0);
    }
    const Prim *occ = prim_lookup("occurrences");
    cr_assert(!gpu_has_kernel(occ) && !gpu_has_kernel(NULL));
}

/* What gpu_run_batch counts, and which results land where. */
Test(kernels, counters)
{
    const Prim *p = prim_lookup("rot90");
    Value a[5] = {V("((1, 2), (3, 4))"), V("((1, 2), (3,))"), V("((5, 6, 7),)"), V("()"), V("((8,),)")};
    const Value *ptr[5] = {&a[0], &a[1], &a[2], &a[3], &a[4]};
    Value out[5] = {v_none(), v_none(), v_none(), v_none(), v_none()};
    Err err[5];
    GpuCounters c = {0};
    cr_assert_eq(gpu_run_batch_on(GPU_HOST, t_ctx(), p, 5, ptr, out, err, &c), 3);
    cr_assert(err[0] == ERR_OK && err[1] == ERR__COUNT && err[2] == ERR_OK && err[3] == ERR__COUNT &&
              err[4] == ERR_OK);
    cr_assert(v_eq(out[0], V("((3, 1), (4, 2))")) && v_eq(out[2], V("((5,), (6,), (7,))")) &&
              v_eq(out[4], V("((8,),)")) && out[1].tag == VT_NONE && out[3].tag == VT_NONE);
    cr_assert(c.items_host == 3 && c.items_ineligible == 2 && c.host_runs == 1 && c.items_gpu == 0 &&
              c.launches == 0);
    /* the host backend counts the protocol as the device would move it:
     * three items and 4 + 3 + 1 cells up, the three grids (one span) down */
    cr_assert_eq(c.bytes_to_device, 3 * sizeof(BtItem) + 8 * sizeof(int32_t));
    cr_assert_eq(c.bytes_from_device, 8 * sizeof(int32_t));
    cr_assert(c.args_uploaded == 3 && c.args_resident == 0 && c.results_resident == 3 && c.materialized == 3);
    /* one grid given to two items goes up once; the second reads it there */
    GpuCounters twice = {0};
    const Value *same[2] = {&a[0], &a[0]};
    cr_assert_eq(gpu_run_batch_on(GPU_HOST, t_ctx(), p, 2, same, out, err, &twice), 2);
    cr_assert(v_eq(out[0], V("((3, 1), (4, 2))")) && v_eq(out[1], out[0]));
    cr_assert(twice.args_uploaded == 1 && twice.args_resident == 1, "uploaded %llu, resident %llu",
              (unsigned long long)twice.args_uploaded, (unsigned long long)twice.args_resident);
    cr_assert_eq(twice.bytes_to_device, 2 * sizeof(BtItem) + 4 * sizeof(int32_t));
    /* counters accumulate; a batch with nothing eligible runs nothing */
    cr_assert_eq(gpu_run_batch_on(GPU_HOST, t_ctx(), p, 1, &ptr[1], out, err, &c), 0);
    cr_assert(c.items_host == 3 && c.items_ineligible == 3 && c.host_runs == 1);
    /* AUTO: the device when there is one, else the host backend */
    GpuCounters d = {0};
    cr_assert_eq(gpu_run_batch(t_ctx(), p, 5, ptr, out, err, &d), 3);
    if (gpu_device_count() == 0) {
        cr_assert(d.items_host == 3 && d.items_gpu == 0 && d.launches == 0);
        /* DEVICE without one fails cleanly, computing nothing */
        cr_assert_eq(gpu_run_batch_on(GPU_DEVICE, t_ctx(), p, 5, ptr, out, err, &d), -1);
        for (int k = 0; k < 5; k++)
            cr_assert_eq(err[k], ERR__COUNT);
    } else {
        cr_assert(d.items_gpu == 3 && d.items_host == 0 && d.launches == 1 && d.device_runs == 1);
        cr_assert(d.bytes_to_device == 3 * sizeof(BtItem) + 8 * sizeof(int32_t) &&
                  d.bytes_from_device == (2 * 2 + 3 + 1) * sizeof(int32_t));
    }
}

/* The value store itself (host stand-in): cells kept where they were put
 * when the buffer grows past its first 2^20 cells, handles that stay valid,
 * a grid built back from its cells, room refused past the bound, cells
 * given back by release while the peak stays. */
Test(kernels, store_grows_keeps_cells_and_refuses_past_its_bound)
{
    char msg[256];
    size_t max = (size_t)3 << 20;
    GpuStore *st = gpu_store_new(GPU_HOST, max, msg, sizeof msg);
    cr_assert_not_null(st, "%s", msg);
    cr_assert_eq(gpu_store_backend(st), GPU_HOST);
    int32_t cells[6] = {1, 2, 3, 4, 5, 6};
    int64_t a = gpu_store_reserve(st, 6);
    cr_assert_eq(a, 0);
    cr_assert_eq(gpu_store_upload(st, a, cells, 6, msg, sizeof msg), 0, "%s", msg);
    int32_t ra = gpu_store_add_ref(st, (GpuRef){a, 2, 3, 1, 6});
    /* two million cells more: past the first buffer, which grows */
    size_t big = (size_t)2 << 20;
    int64_t b = gpu_store_reserve(st, big);
    cr_assert_eq(b, 6);
    int32_t *fill = malloc(big * sizeof *fill);
    for (size_t k = 0; k < big; k++)
        fill[k] = (int32_t)(k % 10);
    cr_assert_eq(gpu_store_upload(st, b, fill, big, msg, sizeof msg), 0, "%s", msg);
    int32_t back[6];
    cr_assert_eq(gpu_store_download(st, back, a, 6, msg, sizeof msg), 0, "%s", msg);
    cr_assert_arr_eq(back, cells, sizeof cells, "the first cells survive the growth");
    cr_assert_eq(gpu_store_download(st, fill, b + (int64_t)big - 3, 3, msg, sizeof msg), 0, "%s", msg);
    cr_assert(fill[0] == (int32_t)((big - 3) % 10) && fill[2] == (int32_t)((big - 1) % 10));
    free(fill);
    cr_assert_eq(gpu_store_nrefs(st), 1);
    const GpuRef *r = gpu_store_ref(st, ra);
    cr_assert(r->off == 0 && r->h == 2 && r->w == 3);
    Value grid;
    GpuCounters c = {0};
    cr_assert_eq(gpu_store_materialize(st, t_ctx(), 1, &ra, &grid, &c, msg, sizeof msg), ERR_OK, "%s", msg);
    cr_assert_str_eq(R(grid), "((1, 2, 3), (4, 5, 6))");
    cr_assert_eq(c.materialized, 1);
    /* the bound: a million cells more do not fit in 3 * 2^20 */
    cr_assert_eq(gpu_store_reserve(st, (size_t)1 << 20), -1);
    cr_assert_eq(gpu_store_used(st), 6 + big);
    gpu_store_release(st, b);
    cr_assert_eq(gpu_store_used(st), 6);
    cr_assert_eq(gpu_store_peak(st), 6 + big);
    cr_assert_eq(gpu_store_reserve(st, (size_t)1 << 20), 6, "room again after the release");
    gpu_store_free(st);
    /* a device store where there is none: refused with a message */
    if (gpu_device_count() == 0) {
        cr_assert_null(gpu_store_new(GPU_DEVICE, 0, msg, sizeof msg));
        cr_assert_str_eq(msg, "no CUDA device");
    }
}

/* The device's results equal the host backend's, kind by kind. */
Test(kernels, device_matches_host)
{
    if (gpu_device_count() == 0)
        cr_skip_test("no CUDA device: GPU tests skipped");
    static const struct {
        const char *name;
        Gen gen;
    } kinds[] = {
        {"rot90", gen_grid}, {"rot180", gen_grid}, {"rot270", gen_grid}, {"hmirror", gen_grid},
        {"vmirror", gen_grid}, {"dmirror", gen_grid}, {"cmirror", gen_grid}, {"replace", gen_recolour},
        {"switch", gen_recolour}, {"cellwise", gen_cellwise}, {"crop", gen_crop}, {"upscale", gen_upscale},
        {"downscale", gen_downscale}, {"hconcat", gen_two}, {"vconcat", gen_vconcat}, {"tophalf", gen_grid},
        {"bottomhalf", gen_grid}, {"lefthalf", gen_grid}, {"righthalf", gen_grid}, {"trim", gen_grid},
        {"canvas", gen_canvas}, {"fill", gen_fill}, {"underfill", gen_fill}, {"cover", gen_cover},
        {"paint", gen_paint}, {"colorcount", gen_colorcount}, {"palette", gen_grid},
        {"mostcolor", gen_grid}, {"leastcolor", gen_grid}, {"numcolors", gen_grid},
        {"objects", gen_objects}, {"partition", gen_extract}, {"fgpartition", gen_extract},
        {"ofcolor", gen_ofcolor}, {"asindices", gen_extract}, {"shift", gen_shift},
        {"normalize", gen_normalize}, {"subgrid", gen_subgrid}, {"compress", gen_compress},
    };
    static Value argv[NCASES][4], host[NCASES], dev[NCASES];
    static const Value *ptr[NCASES];
    static Err eh[NCASES], ed[NCASES];
    for (size_t q = 0; q < sizeof kinds / sizeof kinds[0]; q++) {
        const Prim *p = prim_lookup(kinds[q].name);
        seed(kinds[q].name);
        for (int k = 0; k < NCASES; k++) {
            kinds[q].gen(argv[k]);
            ptr[k] = argv[k];
        }
        GpuCounters c = {0};
        int nh = gpu_run_batch_on(GPU_HOST, t_ctx(), p, NCASES, ptr, host, eh, &c);
        int nd = gpu_run_batch_on(GPU_DEVICE, t_ctx(), p, NCASES, ptr, dev, ed, &c);
        cr_assert(nd == nh && c.items_gpu == (uint64_t)nh && c.device_errors == 0, "%s: device ran %d of %d",
                  kinds[q].name, nd, nh);
        cr_assert(c.launches >= 1 && c.bytes_to_device > 0 && c.bytes_from_device > 0);
        for (int k = 0; k < NCASES; k++) {
            cr_assert_eq(eh[k], ed[k], "%s case %d", kinds[q].name, k);
            if (eh[k] == ERR_OK)
                cr_assert(v_eq(host[k], dev[k]) && same_kind(host[k], dev[k]), "%s case %d: device %s, host %s",
                          kinds[q].name, k, R(dev[k]), R(host[k]));
        }
    }
}
