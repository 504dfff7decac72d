/* plan.c: one eligibility function per primitive with a kernel (see plan.h).
 *
 * Each is a reading of the CPU op's fast path in ops/grid.c and ops/patch.c:
 * it accepts exactly the argument shapes for which the kernel computes the
 * same value (v_is_grid grids, VT_INT parameters fitting int32, packed patch
 * sets), and computes the output shape and parameters there. Everything else
 * is declined and left to the CPU op, which also raises the errors.
 *
 * Grid arguments are PlanArgs: a host Value or a grid resident in the value
 * store, of which the shape is all an eligibility function reads; the cells
 * are checked when packed (host grids) or by their bounds (resident ones). */
#include "plan.h"

#include "../runtime/pyops.h"

/* ---- argument readers ---- */

/* A proper grid within the kernels' size bound (a resident grid is one: the
 * store keeps only non-empty grids within the bound). */
static bool grid_ok(const PlanArg *g)
{
    if (g->ref >= 0)
        return true;
    if (!v_is_grid(g->v))
        return false;
    size_t h = grid_h(g->v), w = grid_w(g->v);
    return h <= BT_MAX_CELLS && w <= BT_MAX_CELLS && h * w <= BT_MAX_CELLS;
}

/* A plain int (not a bool) fitting int32. */
static bool int32_arg(Value v, int32_t *out)
{
    if (v.tag != VT_INT || !fits32(v.u.i))
        return false;
    *out = (int32_t)v.u.i;
    return true;
}

/* v[0], v[1] of a tuple whose first two items are plain ints. */
static bool pair_arg(Value v, int64_t *a, int64_t *b)
{
    if (v.tag == VT_PAIR) {
        *a = v.u.p.a, *b = v.u.p.b;
        return true;
    }
    if (v.tag != VT_TUPLE || v.u.seq->n < 2)
        return false;
    Value x = v.u.seq->items[0], y = v.u.seq->items[1];
    if (x.tag != VT_INT || y.tag != VT_INT)
        return false;
    *a = x.u.i, *b = y.u.i;
    return true;
}

/* A set of packed positions or cells (or the empty set); cells only when
 * cells_only. */
static bool patch_ok(Value p, bool cells_only)
{
    if (p.tag != VT_SET)
        return false;
    uint32_t f = p.u.seq->flags;
    return p.u.seq->n == 0 || (f & SEQ_CELLS) || (!cells_only && (f & SEQ_PAIRS));
}

/* Record an output shape within the size bound; h == 0 is (). */
static bool out_shape(Plan *pl, int64_t h, int64_t w)
{
    if (h <= 0)
        h = w = 0;
    if (w < 0 || h > BT_MAX_CELLS || w > BT_MAX_CELLS || h * w > BT_MAX_CELLS)
        return false;
    pl->oh = (int32_t)h, pl->ow = (int32_t)w;
    return true;
}

/* x + y saturated, as crop's start + dims (a slice clamps a huge bound). */
static int64_t sat_add(int64_t x, int64_t y)
{
    int64_t r;
    if (__builtin_add_overflow(x, y, &r))
        r = x > 0 ? INT64_MAX : INT64_MIN;
    return r;
}

static int64_t gh(const PlanArg *g) { return g->ref >= 0 ? g->h : (int64_t)grid_h(g->v); }
static int64_t gw(const PlanArg *g) { return g->ref >= 0 ? g->w : (int64_t)grid_w(g->v); }

/* The kernel may write value x into the output besides the input cells. */
static void adds(Plan *pl, int32_t x)
{
    pl->xlo = x < pl->xlo ? x : pl->xlo;
    pl->xhi = x > pl->xhi ? x : pl->xhi;
}

/* A one-grid plan of the grid's shape (or transposed). */
static bool one_grid(Plan *pl, const PlanArg *g, bool transpose)
{
    if (!grid_ok(g))
        return false;
    pl->ga = g;
    return transpose ? out_shape(pl, gw(g), gh(g)) : out_shape(pl, gh(g), gw(g));
}

/* A window of g: rows [r0, r0 + nr), columns [c0, c0 + nc). */
static bool window(Plan *pl, const PlanArg *g, int64_t r0, int64_t nr, int64_t c0, int64_t nc)
{
    pl->ga = g;
    pl->p[0] = (int32_t)r0, pl->p[1] = (int32_t)c0;
    return out_shape(pl, nr, nc);
}

/* ---- one eligibility function per primitive ---- */

static bool el_rot90(const PlanArg *a, Plan *pl) { return one_grid(pl, &a[0], true); }
static bool el_rot180(const PlanArg *a, Plan *pl) { return one_grid(pl, &a[0], false); }
static bool el_rot270(const PlanArg *a, Plan *pl) { return one_grid(pl, &a[0], true); }
static bool el_hmirror(const PlanArg *a, Plan *pl) { return one_grid(pl, &a[0], false); }
static bool el_vmirror(const PlanArg *a, Plan *pl) { return one_grid(pl, &a[0], false); }
static bool el_dmirror(const PlanArg *a, Plan *pl) { return one_grid(pl, &a[0], true); }
static bool el_cmirror(const PlanArg *a, Plan *pl) { return one_grid(pl, &a[0], true); }

/* replace(grid, replacee, replacer) and switch(grid, a, b): int parameters */
static bool el_replace(const PlanArg *a, Plan *pl)
{
    if (!int32_arg(a[1].v, &pl->p[0]) || !int32_arg(a[2].v, &pl->p[1]) || !one_grid(pl, &a[0], false))
        return false;
    adds(pl, pl->p[1]);
    return true;
}
static bool el_switch(const PlanArg *a, Plan *pl)
{
    if (!el_replace(a, pl))
        return false;
    adds(pl, pl->p[0]);
    return true;
}

/* cellwise(a, b, fallback): b at least as large as a (else IndexError) */
static bool el_cellwise(const PlanArg *a, Plan *pl)
{
    if (!grid_ok(&a[1]) || !int32_arg(a[2].v, &pl->p[0]) || !one_grid(pl, &a[0], false))
        return false;
    pl->gb = &a[1];
    adds(pl, pl->p[0]);
    return gh(&a[1]) >= gh(&a[0]) && gw(&a[1]) >= gw(&a[0]);
}

/* The window crop(g, (s0, s1), (d0, d1)) reads: g[s0:s0+d0], then each row
 * [s1:s1+d1] (no rows: (), whatever the columns) */
static bool crop_window(Plan *pl, const PlanArg *g, int64_t s0, int64_t s1, int64_t d0, int64_t d1)
{
    int64_t r0, nr, c0, nc;
    bt_slice(gh(g), s0, sat_add(s0, d0), &r0, &nr);
    bt_slice(gw(g), s1, sat_add(s1, d1), &c0, &nc);
    return window(pl, g, r0, nr, c0, nc);
}

/* crop(grid, start, dims) */
static bool el_crop(const PlanArg *a, Plan *pl)
{
    int64_t s0, s1, d0, d1;
    if (!grid_ok(&a[0]) || !pair_arg(a[1].v, &s0, &s1) || !pair_arg(a[2].v, &d0, &d1))
        return false;
    return crop_window(pl, &a[0], s0, s1, d0, d1);
}

/* upscale(grid, factor): factor <= 0 gives () */
static bool el_upscale(const PlanArg *a, Plan *pl)
{
    if (!grid_ok(&a[0]) || a[1].v.tag != VT_INT || a[1].v.u.i > BT_MAX_CELLS)
        return false;
    int64_t f = a[1].v.u.i;
    pl->ga = &a[0];
    pl->p[0] = f > 0 ? (int32_t)f : 1;
    return f > 0 ? out_shape(pl, gh(&a[0]) * f, gw(&a[0]) * f) : out_shape(pl, 0, 0);
}

/* downscale(grid, factor): every |factor|-th row and column; 0 raises */
static bool el_downscale(const PlanArg *a, Plan *pl)
{
    if (!grid_ok(&a[0]) || a[1].v.tag != VT_INT || a[1].v.u.i == 0 || a[1].v.u.i == INT64_MIN)
        return false;
    int64_t f = a[1].v.u.i, h = gh(&a[0]), w = gw(&a[0]), m = h > w ? h : w;
    f = f < 0 ? -f : f;
    pl->ga = &a[0];
    pl->p[0] = (int32_t)(f < m ? f : m); /* past the larger side only index 0 is read */
    return out_shape(pl, (h - 1) / f + 1, (w - 1) / f + 1);
}

/* hconcat(a, b): rows joined, as many as the shorter has */
static bool el_hconcat(const PlanArg *a, Plan *pl)
{
    if (!grid_ok(&a[0]) || !grid_ok(&a[1]))
        return false;
    pl->ga = &a[0], pl->gb = &a[1];
    int64_t h = gh(&a[0]) < gh(&a[1]) ? gh(&a[0]) : gh(&a[1]);
    return out_shape(pl, h, gw(&a[0]) + gw(&a[1]));
}

/* vconcat(a, b): a + b; only equal widths make a proper grid */
static bool el_vconcat(const PlanArg *a, Plan *pl)
{
    if (!grid_ok(&a[0]) || !grid_ok(&a[1]) || gw(&a[0]) != gw(&a[1]))
        return false;
    pl->ga = &a[0], pl->gb = &a[1];
    return out_shape(pl, gh(&a[0]) + gh(&a[1]), gw(&a[0]));
}

/* tophalf: grid[:h // 2]; bottomhalf: grid[h // 2 + h % 2:] */
static bool el_tophalf(const PlanArg *a, Plan *pl)
{
    return grid_ok(&a[0]) && window(pl, &a[0], 0, gh(&a[0]) / 2, 0, gw(&a[0]));
}
static bool el_bottomhalf(const PlanArg *a, Plan *pl)
{
    int64_t h = grid_ok(&a[0]) ? gh(&a[0]) : 0;
    return h && window(pl, &a[0], h - h / 2, h / 2, 0, gw(&a[0]));
}

/* lefthalf / righthalf: the first / last w // 2 columns, () when none */
static bool el_lefthalf(const PlanArg *a, Plan *pl)
{
    if (!grid_ok(&a[0]))
        return false;
    int64_t k = gw(&a[0]) / 2;
    return window(pl, &a[0], 0, k ? gh(&a[0]) : 0, 0, k);
}
static bool el_righthalf(const PlanArg *a, Plan *pl)
{
    if (!grid_ok(&a[0]))
        return false;
    int64_t w = gw(&a[0]), k = w / 2;
    return window(pl, &a[0], 0, k ? gh(&a[0]) : 0, w - k, k);
}

/* trim: tuple(r[1:-1] for r in grid[1:-1]) */
static bool el_trim(const PlanArg *a, Plan *pl)
{
    int64_t r0, nr, c0, nc;
    if (!grid_ok(&a[0]))
        return false;
    bt_slice(gh(&a[0]), 1, -1, &r0, &nr);
    bt_slice(gw(&a[0]), 1, -1, &c0, &nc);
    return window(pl, &a[0], r0, nr, c0, nc);
}

/* subgrid(patch, grid) = crop(grid, ulcorner(patch), shape(patch)): for a
 * non-empty set of packed positions or cells, the window of the bounding box
 * (top, left) .. (bottom, right) with crop's slicing, so parts outside the
 * grid are clipped and negative corners count from the end as in Python.
 * Not eligible: the empty set (ulcorner is (), crop raises IndexError),
 * tuples (shape is then their length), mixed or unpacked sets. */
static bool el_subgrid(const PlanArg *a, Plan *pl)
{
    Value p = a[0].v;
    if (!grid_ok(&a[1]) || p.tag != VT_SET || !p.u.seq->n || !(p.u.seq->flags & (SEQ_PAIRS | SEQ_CELLS)))
        return false;
    const Seq *s = p.u.seq;
    int64_t t = INT64_MAX, l = INT64_MAX, b = INT64_MIN, r = INT64_MIN;
    for (uint32_t k = 0; k < s->n; k++) {
        int64_t i = s->items[k].u.p.a, j = s->items[k].u.p.b;
        t = i < t ? i : t, b = i > b ? i : b;
        l = j < l ? j : l, r = j > r ? j : r;
    }
    return crop_window(pl, &a[1], t, l, b - t + 1, r - l + 1);
}

/* canvas(value, (h, w)): h <= 0 gives (), w < 0 rows of () */
static bool el_canvas(const PlanArg *a, Plan *pl)
{
    int64_t h, w;
    if (!int32_arg(a[0].v, &pl->p[0]) || !pair_arg(a[1].v, &h, &w))
        return false;
    adds(pl, pl->p[0]);
    return out_shape(pl, h, w < 0 ? 0 : w);
}

/* fill(grid, value, patch), underfill: positions or cells; underfill takes
 * its background from the colour counts */
static bool el_fill(const PlanArg *a, Plan *pl)
{
    if (!int32_arg(a[1].v, &pl->p[0]) || !patch_ok(a[2].v, false) || !one_grid(pl, &a[0], false))
        return false;
    pl->patch = a[2].v;
    adds(pl, pl->p[0]);
    return true;
}
static bool el_underfill(const PlanArg *a, Plan *pl)
{
    pl->small = true;
    return el_fill(a, pl);
}

/* cover(grid, patch): fill with mostcolor(grid) */
static bool el_cover(const PlanArg *a, Plan *pl)
{
    if (!patch_ok(a[1].v, false) || !one_grid(pl, &a[0], false))
        return false;
    pl->patch = a[1].v;
    pl->small = true;
    return true;
}

/* paint(grid, obj): cells only (a set of positions raises on the CPU); the
 * packer adds the patch's colours to the output's bounds */
static bool el_paint(const PlanArg *a, Plan *pl)
{
    if (!patch_ok(a[1].v, true) || !one_grid(pl, &a[0], false))
        return false;
    pl->patch = a[1].v;
    pl->cells = true;
    return true;
}

/* colour reductions of a grid of colours 0..9 */
static bool el_colours(const PlanArg *a, Plan *pl)
{
    pl->small = true;
    return one_grid(pl, &a[0], false);
}
static bool el_palette(const PlanArg *a, Plan *pl) { return el_colours(a, pl); }
static bool el_mostcolor(const PlanArg *a, Plan *pl) { return el_colours(a, pl); }
static bool el_leastcolor(const PlanArg *a, Plan *pl) { return el_colours(a, pl); }
static bool el_numcolors(const PlanArg *a, Plan *pl) { return el_colours(a, pl); }

/* colorcount(grid, value): any value; only an int 0..9 can match a cell */
static bool el_colorcount(const PlanArg *a, Plan *pl)
{
    Value v = a[1].v;
    pl->p[0] = v_is_int(v) && v.u.i >= 0 && v.u.i < BT_COLOURS ? (int32_t)v.u.i : -1;
    return el_colours(a, pl);
}

/* partition(grid): any int32 cells; fgpartition leaves out mostcolor, taken
 * from the colour counts (cells 0..9) */
static bool el_partition(const PlanArg *a, Plan *pl) { return one_grid(pl, &a[0], false); }
static bool el_fgpartition(const PlanArg *a, Plan *pl)
{
    pl->small = true;
    return one_grid(pl, &a[0], false);
}

/* objects(grid, univalued, diagonal, without_bg): the flags by truthiness;
 * the output holds the labels, then the cells (2h x w); without_bg takes
 * mostcolor from the colour counts (cells 0..9), otherwise any int32 cells */
static bool el_objects(const PlanArg *a, Plan *pl)
{
    bool uni = v_truthy(a[1].v), diag = v_truthy(a[2].v), wbg = v_truthy(a[3].v);
    pl->p[0] = (uni ? BT_OBJ_UNI : 0) | (diag ? BT_OBJ_DIAG : 0) | (wbg ? BT_OBJ_BG : 0);
    pl->small = wbg;
    return one_grid(pl, &a[0], false) && out_shape(pl, 2 * gh(&a[0]), gw(&a[0]));
}

/* ofcolor(grid, value): an int (bools as 0/1) fitting int32 can match a
 * cell; any other value matches none (p1 = 0); output: up to h * w positions */
static bool el_ofcolor(const PlanArg *a, Plan *pl)
{
    Value v = a[1].v;
    bool can = v_is_int(v) && fits32(v.u.i);
    pl->p[0] = can ? (int32_t)v.u.i : 0;
    pl->p[1] = can;
    return one_grid(pl, &a[0], false);
}

/* compress(grid): any int32 cells (uniformity is equality). The output
 * shape is known only once the rows and columns are scanned, on the device:
 * the item reserves h * w cells plus room for the kept row and column lists
 * (see bt_compress_lists), laid out as one (h * w + h + w) x 1 region. */
static bool el_compress(const PlanArg *a, Plan *pl)
{
    if (!grid_ok(&a[0]))
        return false;
    pl->ga = &a[0];
    return out_shape(pl, gh(&a[0]) * gw(&a[0]) + gh(&a[0]) + gw(&a[0]), 1);
}

/* asindices(grid): only the shape (p0, p1); no cells packed, no output */
static bool el_asindices(const PlanArg *a, Plan *pl)
{
    if (!grid_ok(&a[0]))
        return false;
    pl->shape = &a[0];
    pl->p[0] = (int32_t)gh(&a[0]), pl->p[1] = (int32_t)gw(&a[0]);
    return true;
}

/* A non-empty set of packed pairs or cells moved by (di, dj): eligible when
 * the offsets fit int32 and every moved coordinate does (the CPU op's fast
 * path; past it, it builds unpacked tuples). Output: n rows of (i, j). */
static bool moved_patch(Plan *pl, Value p, int64_t di, int64_t dj)
{
    if (p.tag != VT_SET || !p.u.seq->n || !(p.u.seq->flags & (SEQ_PAIRS | SEQ_CELLS)) || !fits32(di) ||
        !fits32(dj))
        return false;
    const Seq *s = p.u.seq;
    for (uint32_t k = 0; k < s->n; k++)
        if (!fits32(s->items[k].u.p.a + di) || !fits32(s->items[k].u.p.b + dj))
            return false;
    pl->patch = p;
    pl->flags = (s->flags & SEQ_CELLS) != 0;
    pl->p[0] = (int32_t)di, pl->p[1] = (int32_t)dj;
    return out_shape(pl, s->n, 2);
}

/* shift(patch, directions): directions a pair of ints (bools as 0/1) */
static bool el_shift(const PlanArg *a, Plan *pl)
{
    Value d = a[1].v;
    if (d.tag == VT_PAIR)
        return moved_patch(pl, a[0].v, d.u.p.a, d.u.p.b);
    if (d.tag != VT_TUPLE || d.u.seq->n != 2 || !v_is_int(d.u.seq->items[0]) || !v_is_int(d.u.seq->items[1]))
        return false;
    return moved_patch(pl, a[0].v, d.u.seq->items[0].u.i, d.u.seq->items[1].u.i);
}

/* normalize(patch): shift by (-top, -left) of its bounding box */
static bool el_normalize(const PlanArg *a, Plan *pl)
{
    Value p = a[0].v;
    if (p.tag != VT_SET || !p.u.seq->n || !(p.u.seq->flags & (SEQ_PAIRS | SEQ_CELLS)))
        return false;
    const Seq *s = p.u.seq;
    int64_t t = s->items[0].u.p.a, l = s->items[0].u.p.b;
    for (uint32_t k = 1; k < s->n; k++) {
        t = s->items[k].u.p.a < t ? s->items[k].u.p.a : t;
        l = s->items[k].u.p.b < l ? s->items[k].u.p.b : l;
    }
    return moved_patch(pl, p, -t, -l);
}

/* ---- the table ---- */

typedef bool (*Eligible)(const PlanArg *args, Plan *pl);

static const struct {
    PrimId prim;
    Eligible fn;
} kinds[BK__COUNT] = {
    [BK_ROT90] = {P_rot90, el_rot90},
    [BK_ROT180] = {P_rot180, el_rot180},
    [BK_ROT270] = {P_rot270, el_rot270},
    [BK_HMIRROR] = {P_hmirror, el_hmirror},
    [BK_VMIRROR] = {P_vmirror, el_vmirror},
    [BK_DMIRROR] = {P_dmirror, el_dmirror},
    [BK_CMIRROR] = {P_cmirror, el_cmirror},
    [BK_REPLACE] = {P_replace, el_replace},
    [BK_SWITCH] = {P_switch, el_switch},
    [BK_CELLWISE] = {P_cellwise, el_cellwise},
    [BK_CROP] = {P_crop, el_crop},
    [BK_UPSCALE] = {P_upscale, el_upscale},
    [BK_DOWNSCALE] = {P_downscale, el_downscale},
    [BK_HCONCAT] = {P_hconcat, el_hconcat},
    [BK_VCONCAT] = {P_vconcat, el_vconcat},
    [BK_TOPHALF] = {P_tophalf, el_tophalf},
    [BK_BOTTOMHALF] = {P_bottomhalf, el_bottomhalf},
    [BK_LEFTHALF] = {P_lefthalf, el_lefthalf},
    [BK_RIGHTHALF] = {P_righthalf, el_righthalf},
    [BK_TRIM] = {P_trim, el_trim},
    [BK_CANVAS] = {P_canvas, el_canvas},
    [BK_SUBGRID] = {P_subgrid, el_subgrid},
    [BK_FILL] = {P_fill, el_fill},
    [BK_UNDERFILL] = {P_underfill, el_underfill},
    [BK_COVER] = {P_cover, el_cover},
    [BK_PAINT] = {P_paint, el_paint},
    [BK_COLORCOUNT] = {P_colorcount, el_colorcount},
    [BK_PALETTE] = {P_palette, el_palette},
    [BK_MOSTCOLOR] = {P_mostcolor, el_mostcolor},
    [BK_LEASTCOLOR] = {P_leastcolor, el_leastcolor},
    [BK_NUMCOLORS] = {P_numcolors, el_numcolors},
    [BK_PARTITION] = {P_partition, el_partition},
    [BK_FGPARTITION] = {P_fgpartition, el_fgpartition},
    [BK_OBJECTS] = {P_objects, el_objects},
    [BK_OFCOLOR] = {P_ofcolor, el_ofcolor},
    [BK_COMPRESS] = {P_compress, el_compress},
    [BK_ASINDICES] = {P_asindices, el_asindices},
    [BK_SHIFT] = {P_shift, el_shift},
    [BK_NORMALIZE] = {P_normalize, el_normalize},
};

int plan_kind(const Prim *p)
{
    if (!p || p < prim_table || p >= prim_table + P__COUNT)
        return -1;
    for (int k = 0; k < BK__COUNT; k++)
        if (&prim_table[kinds[k].prim] == p)
            return k;
    return -1;
}

PlanResult plan_result(int kind)
{
    switch (kind) {
    case BK_PALETTE: return PR_COLOURS;
    case BK_PARTITION:
    case BK_FGPARTITION: return PR_PARTITION;
    case BK_OBJECTS: return PR_OBJECTS;
    case BK_OFCOLOR: return PR_INDICES;
    case BK_COMPRESS: return PR_COMPRESSED;
    case BK_ASINDICES: return PR_ALLINDICES;
    case BK_SHIFT:
    case BK_NORMALIZE: return PR_PATCH;
    default: break;
    }
    return bt_kind_reduces(kind) ? PR_INT : PR_GRID;
}

/* A resident grid the plan reads only as a grid: with bounds in 0..9 when
 * the kind needs colours; with a host copy, or as a grid argument, when it
 * reads it otherwise (its v is VT_NONE without one). */
static bool resident_ok(const Plan *pl, const PlanArg *a)
{
    if (a->ref < 0)
        return true;
    if (pl->small && (a == pl->ga || a == pl->gb) && (a->lo < 0 || a->hi >= BT_COLOURS))
        return false;
    return a->v.tag != VT_NONE || a == pl->ga || a == pl->gb || a == pl->shape;
}

bool plan_make(int kind, const PlanArg *args, Plan *pl)
{
    *pl = (Plan){.patch = v_none(), .xlo = INT32_MAX, .xhi = INT32_MIN};
    if (kind < 0 || kind >= BK__COUNT || !kinds[kind].fn(args, pl))
        return false;
    const Prim *p = &prim_table[kinds[kind].prim];
    for (int k = 0; k < p->arity; k++)
        if (!resident_ok(pl, &args[k]))
            return false;
    return true;
}

/* One row of w cells: a packed pair or a tuple of VT_INTs (v_is_grid);
 * r[0], r[1] widened to its smallest and largest. */
static bool row_cells(Value row, size_t w, bool small, int32_t *dst, int32_t r[2])
{
    for (size_t j = 0; j < w; j++) {
        int64_t c = row.tag == VT_PAIR ? (j ? row.u.p.b : row.u.p.a) : row.u.seq->items[j].u.i;
        if (small ? (uint64_t)c >= BT_COLOURS : !fits32(c))
            return false;
        if (dst)
            dst[j] = (int32_t)c;
        r[0] = (int32_t)c < r[0] ? (int32_t)c : r[0];
        r[1] = (int32_t)c > r[1] ? (int32_t)c : r[1];
    }
    return true;
}

bool plan_cells(Value g, bool small, int32_t *dst, int32_t *lo, int32_t *hi)
{
    size_t h = grid_h(g), w = grid_w(g);
    int32_t r[2] = {INT32_MAX, INT32_MIN};
    for (size_t i = 0; i < h; i++)
        if (!row_cells(g.u.seq->items[i], w, small, dst ? dst + i * w : NULL, r))
            return false;
    if (lo)
        *lo = r[0];
    if (hi)
        *hi = r[1];
    return true;
}
