/* grid_kernels.h: the per-item logic of the batched grid kernels, written
 * once and compiled twice: by nvcc for the device (kernels.cu, where BT_HD is
 * __host__ __device__) and by gcc for the host backend (host.c, where BT_HD is
 * empty). The CPU tests therefore check the very functions the GPU runs.
 *
 * Data layout (a flat grid store, see docs in cuda/README.md):
 *   cells   int32 cells of every input grid, row-major, one after another;
 *           a grid is (off, h, w) into it (BtGrid)
 *   items   one BtItem per application: its input grids a (and b), its
 *           output grid (off into the output store, h, w), two int parameters
 *           and its range of patch entries
 *   patch   (i, j, colour, item) entries of fill / paint / cover patches,
 *           each item's in canonical (sorted) order
 *   out     int32 output cells; items are laid out in order, so the item of
 *           output cell t is the last item whose out.off <= t
 * Grid kinds compute ONE output cell per call (bt_cell); the colour
 * reductions compute one histogram per grid (bt_hist_*: the value type and
 * operator of the CUB segmented reduction) and one result per item
 * (bt_reduce). Patch kinds first mark, per output cell, the index of the last
 * patch entry that hits it (bt_mark, an atomic max on the device), so that
 * paint's "last write wins in canonical order" holds without ordering the
 * threads. Every function assumes what the packer (batch.c) checked: proper
 * grids, parameters in range, sizes within BT_MAX_CELLS. */
#ifndef BATTRACE_CUDA_GRID_KERNELS_H
#define BATTRACE_CUDA_GRID_KERNELS_H

#include <stdbool.h>
#include <stdint.h>

#if defined(__CUDACC__)
#define BT_HD __host__ __device__
#else
#define BT_HD
#endif

/* Colours the reductions count: ARC's 0..9 (other cells fall back to the CPU). */
#define BT_COLOURS 10
/* Largest grid (input or output) a kernel takes, in cells, and largest side. */
#define BT_MAX_CELLS (1 << 22)

typedef enum BtKind {
    /* grid -> grid, one output cell per call */
    BK_ROT90, BK_ROT180, BK_ROT270,
    BK_HMIRROR, BK_VMIRROR, BK_DMIRROR, BK_CMIRROR,
    BK_REPLACE, BK_SWITCH, BK_CELLWISE,
    BK_CROP, BK_UPSCALE, BK_DOWNSCALE, BK_HCONCAT, BK_VCONCAT,
    BK_TOPHALF, BK_BOTTOMHALF, BK_LEFTHALF, BK_RIGHTHALF, BK_TRIM, BK_CANVAS, BK_SUBGRID,
    /* grid + patch -> grid (marks first) */
    BK_FILL, BK_UNDERFILL, BK_COVER, BK_PAINT,
    /* grid -> int or colour set (histogram, then one result per item) */
    BK_COLORCOUNT, BK_PALETTE, BK_MOSTCOLOR, BK_LEASTCOLOR, BK_NUMCOLORS,
    /* grid -> one label per cell (a copy of the cell, -1 for fgpartition's
     * background), grouped into objects when unpacked */
    BK_PARTITION, BK_FGPARTITION,
    /* grid -> per-item block work (one thread block per grid on the device):
     * objects labels every cell with its component's root (union-find),
     * ofcolor compacts the matching positions (a block scan), compress
     * compacts the kept rows and columns (block scans), then gathers */
    BK_OBJECTS, BK_OFCOLOR, BK_COMPRESS,
    /* grid shape -> indices: nothing to compute, built when unpacked */
    BK_ASINDICES,
    /* patch -> patch: output (n x 2) = each entry's shifted (i, j), in the
     * patch's canonical order (a shift keeps it) */
    BK_SHIFT, BK_NORMALIZE,
    BK__COUNT
} BtKind;

typedef struct BtGrid {
    int64_t off; /* first cell in its store */
    int32_t h, w;
} BtGrid;

typedef struct BtItem {
    BtGrid a, b;       /* inputs; b only for cellwise, hconcat, vconcat */
    BtGrid out;        /* output cells (grid kinds); h == 0 gives () */
    int32_t p[2];      /* parameters, per kind (see bt_cell) */
    int64_t patch_off; /* first patch entry */
    int32_t patch_n;   /* patch entries */
    int32_t flags;     /* shift / normalize: 1 when the patch holds cells */
} BtItem;

/* The store is uploaded byte for byte: host and device must agree on it. */
#ifdef __cplusplus
static_assert(sizeof(BtItem) == 72, "BtItem layout");
#else
_Static_assert(sizeof(BtItem) == 72, "BtItem layout");
#endif

typedef struct BtPatch {
    int32_t i, j, c; /* position and colour (paint) */
    int32_t item;    /* the item it belongs to */
} BtPatch;

typedef struct BtHist {
    int32_t n[BT_COLOURS];
} BtHist;

/* What a cell function reads besides its item. */
typedef struct BtView {
    const int32_t *cells; /* input store */
    const BtPatch *patch; /* patch store */
    const int32_t *mark;  /* per output cell: last patch entry hitting it, or -1 */
    const BtHist *hist;   /* per item: counts of its grid a's colours */
} BtView;

/* One batch: n applications of one kind (plain pointers: host memory for the
 * host backend, uploaded by kernels.cu for the device). */
typedef struct BtBatch {
    int kind; /* BtKind */
    int64_t nitems;
    const BtItem *items;
    int64_t ncells;
    const int32_t *cells;
    int64_t npatch;
    const BtPatch *patch;
    int64_t nout;
    int32_t *out; /* nout cells (grid kinds) */
    int64_t *res; /* nitems results (reductions) */
} BtBatch;

/* ---- kinds ---- */

static inline BT_HD bool bt_kind_reduces(int k) { return k >= BK_COLORCOUNT && k <= BK_NUMCOLORS; }
/* Kinds computed one item at a time (one thread block per item). */
static inline BT_HD bool bt_kind_blocks(int k)
{
    return k == BK_OBJECTS || k == BK_OFCOLOR || k == BK_COMPRESS;
}
static inline BT_HD bool bt_kind_marks(int k) { return k >= BK_FILL && k <= BK_PAINT; }
/* Kinds whose per-item result (res) the host reads: the reductions,
 * ofcolor's count, compress's shape. */
static inline BT_HD bool bt_kind_res(int k)
{
    return bt_kind_reduces(k) || k == BK_OFCOLOR || k == BK_COMPRESS;
}
/* Kinds that need the per-item colour histogram (mostcolor as background). */
static inline BT_HD bool bt_kind_counts(int k)
{
    return bt_kind_reduces(k) || k == BK_UNDERFILL || k == BK_COVER || k == BK_FGPARTITION || k == BK_OBJECTS;
}

/* ---- cells ---- */

static inline BT_HD int32_t bt_at(const int32_t *cells, BtGrid g, int64_t i, int64_t j)
{
    return cells[g.off + i * g.w + j];
}

/* Python's slice seq[start:stop] over n items: first index and length. */
static inline BT_HD void bt_slice(int64_t n, int64_t start, int64_t stop, int64_t *first, int64_t *len)
{
    if (start < 0)
        start = start + n < 0 ? 0 : start + n;
    if (start > n)
        start = n;
    if (stop < 0)
        stop = stop + n < 0 ? 0 : stop + n;
    if (stop > n)
        stop = n;
    *first = start;
    *len = stop > start ? stop - start : 0;
}

/* ---- histograms: the CUB reduction's value, transform and operator ---- */

static inline BT_HD BtHist bt_hist_zero(void)
{
    BtHist h;
    for (int c = 0; c < BT_COLOURS; c++)
        h.n[c] = 0;
    return h;
}

static inline BT_HD BtHist bt_hist_one(int32_t cell)
{
    BtHist h = bt_hist_zero();
    if (cell >= 0 && cell < BT_COLOURS)
        h.n[cell] = 1;
    return h;
}

static inline BT_HD BtHist bt_hist_add(BtHist a, BtHist b)
{
    for (int c = 0; c < BT_COLOURS; c++)
        a.n[c] += b.n[c];
    return a;
}

/* Most (or least) frequent colour present; ties to the smallest, as the CPU
 * ops' ascending scans with strict comparisons. -1 for an empty histogram. */
static inline BT_HD int32_t bt_hist_pick(BtHist h, bool most)
{
    int32_t best = -1;
    for (int32_t c = 0; c < BT_COLOURS; c++)
        if (h.n[c] && (best < 0 || (most ? h.n[c] > h.n[best] : h.n[c] < h.n[best])))
            best = c;
    return best;
}

static inline BT_HD int64_t bt_hist_mask(BtHist h)
{
    int64_t m = 0;
    for (int c = 0; c < BT_COLOURS; c++)
        if (h.n[c])
            m |= (int64_t)1 << c;
    return m;
}

static inline BT_HD int64_t bt_hist_distinct(BtHist h)
{
    int64_t m = 0;
    for (int c = 0; c < BT_COLOURS; c++)
        m += h.n[c] != 0;
    return m;
}

/* ---- one output cell (i, j) of item k, per primitive ---- */

/* rot90: out[i][j] = g[h-1-j][i] (w x h) */
static inline BT_HD int32_t bt_rot90_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_at(v->cells, it->a, it->a.h - 1 - j, i);
}
/* rot180: g[h-1-i][w-1-j] */
static inline BT_HD int32_t bt_rot180_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_at(v->cells, it->a, it->a.h - 1 - i, it->a.w - 1 - j);
}
/* rot270: out[i][j] = g[j][w-1-i] (w x h) */
static inline BT_HD int32_t bt_rot270_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_at(v->cells, it->a, j, it->a.w - 1 - i);
}
/* hmirror of a grid: its rows reversed */
static inline BT_HD int32_t bt_hmirror_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_at(v->cells, it->a, it->a.h - 1 - i, j);
}
static inline BT_HD int32_t bt_vmirror_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_at(v->cells, it->a, i, it->a.w - 1 - j);
}
/* dmirror: the transpose (w x h) */
static inline BT_HD int32_t bt_dmirror_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_at(v->cells, it->a, j, i);
}
/* cmirror: the anti-transpose g[h-1-j][w-1-i] (w x h) */
static inline BT_HD int32_t bt_cmirror_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_at(v->cells, it->a, it->a.h - 1 - j, it->a.w - 1 - i);
}
/* replace: p0 -> p1 */
static inline BT_HD int32_t bt_replace_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    int32_t x = bt_at(v->cells, it->a, i, j);
    return x == it->p[0] ? it->p[1] : x;
}
/* switch: p1 -> p0 first (so a == b leaves a), then p0 -> p1 */
static inline BT_HD int32_t bt_switch_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    int32_t x = bt_at(v->cells, it->a, i, j);
    return x == it->p[1] ? it->p[0] : x == it->p[0] ? it->p[1] : x;
}
/* cellwise: a's cell where b agrees, else the fallback p0 (a's shape) */
static inline BT_HD int32_t bt_cellwise_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    int32_t x = bt_at(v->cells, it->a, i, j);
    return x == bt_at(v->cells, it->b, i, j) ? x : it->p[0];
}
/* A window of grid a at row p0, column p1 (slices already clamped). */
static inline BT_HD int32_t bt_window_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_at(v->cells, it->a, (int64_t)it->p[0] + i, (int64_t)it->p[1] + j);
}
static inline BT_HD int32_t bt_crop_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_window_cell(v, it, i, j);
}
static inline BT_HD int32_t bt_tophalf_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_window_cell(v, it, i, j);
}
static inline BT_HD int32_t bt_bottomhalf_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_window_cell(v, it, i, j);
}
static inline BT_HD int32_t bt_lefthalf_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_window_cell(v, it, i, j);
}
static inline BT_HD int32_t bt_righthalf_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_window_cell(v, it, i, j);
}
static inline BT_HD int32_t bt_trim_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_window_cell(v, it, i, j);
}
/* subgrid: crop to the patch's bounding box (window found when planning) */
static inline BT_HD int32_t bt_subgrid_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_window_cell(v, it, i, j);
}
/* upscale by p0 >= 1 */
static inline BT_HD int32_t bt_upscale_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_at(v->cells, it->a, i / it->p[0], j / it->p[0]);
}
/* downscale by p0 >= 1 (|factor|, clamped to the grid's larger side) */
static inline BT_HD int32_t bt_downscale_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_at(v->cells, it->a, (int64_t)i * it->p[0], (int64_t)j * it->p[0]);
}
/* hconcat: a's row then b's row (height: the smaller) */
static inline BT_HD int32_t bt_hconcat_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return j < it->a.w ? bt_at(v->cells, it->a, i, j) : bt_at(v->cells, it->b, i, j - it->a.w);
}
/* vconcat of equally wide grids: a's rows then b's */
static inline BT_HD int32_t bt_vconcat_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return i < it->a.h ? bt_at(v->cells, it->a, i, j) : bt_at(v->cells, it->b, i - it->a.h, j);
}
static inline BT_HD int32_t bt_canvas_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return it->p[0];
}

/* The last patch entry marking output cell t, or -1. */
static inline BT_HD int32_t bt_mark_at(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return v->mark[it->out.off + (int64_t)i * it->out.w + j];
}
/* fill: p0 where the patch hits */
static inline BT_HD int32_t bt_fill_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_mark_at(v, it, i, j) >= 0 ? it->p[0] : bt_at(v->cells, it->a, i, j);
}
/* underfill: p0 where the patch hits a background (mostcolor) cell */
static inline BT_HD int32_t bt_underfill_cell(const BtView *v, const BtItem *it, int64_t k, int32_t i,
                                              int32_t j)
{
    int32_t x = bt_at(v->cells, it->a, i, j);
    return bt_mark_at(v, it, i, j) >= 0 && x == bt_hist_pick(v->hist[k], true) ? it->p[0] : x;
}
/* cover: the background where the patch hits */
static inline BT_HD int32_t bt_cover_cell(const BtView *v, const BtItem *it, int64_t k, int32_t i, int32_t j)
{
    return bt_mark_at(v, it, i, j) >= 0 ? bt_hist_pick(v->hist[k], true) : bt_at(v->cells, it->a, i, j);
}
/* paint: the colour of the last cell (canonical order) at this position */
static inline BT_HD int32_t bt_paint_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    int32_t m = bt_mark_at(v, it, i, j);
    return m >= 0 ? v->patch[m].c : bt_at(v->cells, it->a, i, j);
}

/* partition: every cell labelled with itself (the colour is the group) */
static inline BT_HD int32_t bt_partition_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    return bt_at(v->cells, it->a, i, j);
}
/* fgpartition: the same, background (mostcolor) cells -1 (cells are 0..9) */
static inline BT_HD int32_t bt_fgpartition_cell(const BtView *v, const BtItem *it, int64_t k, int32_t i,
                                                int32_t j)
{
    int32_t x = bt_at(v->cells, it->a, i, j);
    return x == bt_hist_pick(v->hist[k], true) ? -1 : x;
}

/* shift / normalize: coordinate j (0: i, 1: j) of patch entry i moved by
 * (p0, p1) (the packer checked that the results fit int32) */
static inline BT_HD int32_t bt_shift_cell(const BtView *v, const BtItem *it, int32_t i, int32_t j)
{
    BtPatch q = v->patch[it->patch_off + i];
    return (int32_t)(j ? (int64_t)q.j + it->p[1] : (int64_t)q.i + it->p[0]);
}

/* Output cell (i, j) of item k of a grid kind. */
static inline BT_HD int32_t bt_cell(int kind, const BtView *v, const BtItem *it, int64_t k, int32_t i,
                                    int32_t j)
{
    switch (kind) {
    case BK_ROT90: return bt_rot90_cell(v, it, i, j);
    case BK_ROT180: return bt_rot180_cell(v, it, i, j);
    case BK_ROT270: return bt_rot270_cell(v, it, i, j);
    case BK_HMIRROR: return bt_hmirror_cell(v, it, i, j);
    case BK_VMIRROR: return bt_vmirror_cell(v, it, i, j);
    case BK_DMIRROR: return bt_dmirror_cell(v, it, i, j);
    case BK_CMIRROR: return bt_cmirror_cell(v, it, i, j);
    case BK_REPLACE: return bt_replace_cell(v, it, i, j);
    case BK_SWITCH: return bt_switch_cell(v, it, i, j);
    case BK_CELLWISE: return bt_cellwise_cell(v, it, i, j);
    case BK_CROP: return bt_crop_cell(v, it, i, j);
    case BK_UPSCALE: return bt_upscale_cell(v, it, i, j);
    case BK_DOWNSCALE: return bt_downscale_cell(v, it, i, j);
    case BK_HCONCAT: return bt_hconcat_cell(v, it, i, j);
    case BK_VCONCAT: return bt_vconcat_cell(v, it, i, j);
    case BK_TOPHALF: return bt_tophalf_cell(v, it, i, j);
    case BK_BOTTOMHALF: return bt_bottomhalf_cell(v, it, i, j);
    case BK_LEFTHALF: return bt_lefthalf_cell(v, it, i, j);
    case BK_RIGHTHALF: return bt_righthalf_cell(v, it, i, j);
    case BK_TRIM: return bt_trim_cell(v, it, i, j);
    case BK_CANVAS: return bt_canvas_cell(v, it, i, j);
    case BK_SUBGRID: return bt_subgrid_cell(v, it, i, j);
    case BK_FILL: return bt_fill_cell(v, it, i, j);
    case BK_UNDERFILL: return bt_underfill_cell(v, it, k, i, j);
    case BK_COVER: return bt_cover_cell(v, it, k, i, j);
    case BK_PAINT: return bt_paint_cell(v, it, i, j);
    case BK_PARTITION: return bt_partition_cell(v, it, i, j);
    case BK_FGPARTITION: return bt_fgpartition_cell(v, it, k, i, j);
    case BK_SHIFT:
    case BK_NORMALIZE: return bt_shift_cell(v, it, i, j);
    default: return 0;
    }
}

/* The last item in [lo, hi) whose output starts at or before cell t (items
 * are in output order; empty items share their successor's offset). */
static inline BT_HD int64_t bt_find_item(const BtItem *items, int64_t lo, int64_t hi, int64_t t)
{
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (items[mid].out.off <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Output cell t of the batch, its item searched in [lo, hi). */
static inline BT_HD int32_t bt_map_one(int kind, const BtView *v, const BtItem *items, int64_t lo,
                                       int64_t hi, int64_t t)
{
    int64_t k = bt_find_item(items, lo, hi, t);
    const BtItem *it = &items[k];
    int64_t r = t - it->out.off;
    return bt_cell(kind, v, it, k, (int32_t)(r / it->out.w), (int32_t)(r % it->out.w));
}

/* ---- patches ---- */

static inline BT_HD void bt_atomic_max(int32_t *p, int32_t x)
{
#if defined(__CUDA_ARCH__)
    atomicMax(p, x);
#else
    if (*p < x)
        *p = x;
#endif
}

/* Patch entry e marks its output cell when inside the grid (clipping). */
static inline BT_HD void bt_mark(int32_t *mark, const BtItem *items, const BtPatch *patch, int64_t e)
{
    BtPatch q = patch[e];
    const BtItem *it = &items[q.item];
    if (q.i < 0 || q.j < 0 || q.i >= it->out.h || q.j >= it->out.w)
        return;
    bt_atomic_max(&mark[it->out.off + (int64_t)q.i * it->out.w + q.j], (int32_t)e);
}

/* ---- reductions: one result per item from its histogram ---- */

/* colorcount: p0 is the colour (or -1 when it can match no cell) */
static inline BT_HD int64_t bt_colorcount_of(BtHist h, int32_t p0)
{
    return p0 >= 0 && p0 < BT_COLOURS ? h.n[p0] : 0;
}

static inline BT_HD int64_t bt_reduce(int kind, BtHist h, int32_t p0)
{
    switch (kind) {
    case BK_COLORCOUNT: return bt_colorcount_of(h, p0);
    case BK_PALETTE: return bt_hist_mask(h);
    case BK_MOSTCOLOR: return bt_hist_pick(h, true);
    case BK_LEASTCOLOR: return bt_hist_pick(h, false);
    case BK_NUMCOLORS: return bt_hist_distinct(h);
    default: return 0;
    }
}

/* ---- objects: connected components by union-find ----
 *
 * Item parameters: p0 = flags (BT_OBJ_*). The labels (parent array) of an
 * item's h * w cells live in shared memory on the device when the grid has
 * at most BT_CCL_SHARED cells, else in the item's output cells in global
 * memory (same code, another pointer). Three phases, a barrier between each:
 *   init     parent[p] = p, or -1 for a background cell (without_bg)
 *   unite    each cell joins its forward neighbours (right, down, and for
 *            diagonal the two lower diagonals) that may join it: both not
 *            background, and equal values when univalued
 *   flatten  parent[p] = root(p)
 * Links always go from the larger root to the smaller (an atomic min), so a
 * component's root is its first cell in row-major order, whatever the order
 * the threads run in. The output label of a cell is that root, or -1; the
 * item's output holds the h * w labels, then a copy of the h * w cells
 * (bt_ccl_colour), so that the host builds the objects from the output alone
 * (the input may be a grid that only the device holds). */

#define BT_OBJ_UNI 1
#define BT_OBJ_DIAG 2
#define BT_OBJ_BG 4
#define BT_CCL_SHARED 4096

/* *p = min(*p, x), returning the old value (an atomic on the device). */
static inline BT_HD int32_t bt_atomic_min(int32_t *p, int32_t x)
{
#if defined(__CUDA_ARCH__)
    return atomicMin(p, x);
#else
    int32_t old = *p;
    if (x < old)
        *p = x;
    return old;
#endif
}

static inline BT_HD int32_t bt_ccl_root(int32_t *parent, int32_t p)
{
    volatile int32_t *vp = parent; /* other threads relink while we walk */
    int32_t q = vp[p];
    while (q != p) {
        p = q;
        q = vp[p];
    }
    return p;
}

/* Join the components of a and b (both labelled, not background). */
static inline BT_HD void bt_ccl_union(int32_t *parent, int32_t a, int32_t b)
{
    for (;;) {
        a = bt_ccl_root(parent, a);
        b = bt_ccl_root(parent, b);
        if (a == b)
            return;
        if (a > b) {
            int32_t t = a;
            a = b;
            b = t;
        }
        /* link root b under a, unless b stopped being a root meanwhile */
        int32_t old = bt_atomic_min(&parent[b], a);
        if (old == b)
            return;
        b = old; /* b was relinked: retry from where it points */
    }
}

/* The background of item k (mostcolor) when it has one, and whether it does. */
static inline BT_HD bool bt_obj_bg(const BtView *v, const BtItem *it, int64_t k, int32_t *bg)
{
    *bg = (it->p[0] & BT_OBJ_BG) ? bt_hist_pick(v->hist[k], true) : 0;
    return (it->p[0] & BT_OBJ_BG) != 0;
}

static inline BT_HD void bt_ccl_init(int32_t *parent, const BtView *v, const BtItem *it, bool has_bg,
                                     int32_t bg, int32_t p)
{
    parent[p] = has_bg && v->cells[it->a.off + p] == bg ? -1 : p;
}

static inline BT_HD void bt_ccl_unite(int32_t *parent, const BtView *v, const BtItem *it, bool has_bg,
                                      int32_t bg, int32_t p)
{
    int32_t w = it->a.w, h = it->a.h, i = p / w, j = p % w;
    const int32_t *c = v->cells + it->a.off;
    int32_t x = c[p];
    if (has_bg && x == bg)
        return;
    bool uni = (it->p[0] & BT_OBJ_UNI) != 0, diag = (it->p[0] & BT_OBJ_DIAG) != 0;
    /* forward neighbours: (0, 1), (1, 0), (1, -1), (1, 1) */
    const int di[4] = {0, 1, 1, 1}, dj[4] = {1, 0, -1, 1};
    for (int d = 0; d < (diag ? 4 : 2); d++) {
        int32_t ni = i + di[d], nj = j + dj[d];
        if (ni >= h || nj < 0 || nj >= w)
            continue;
        int32_t q = ni * w + nj, y = c[q];
        if ((has_bg && y == bg) || (uni && y != x))
            continue;
        bt_ccl_union(parent, p, q);
    }
}

static inline BT_HD void bt_ccl_flatten(int32_t *parent, int32_t p)
{
    if (parent[p] >= 0)
        parent[p] = bt_ccl_root(parent, p);
}

/* The colour of cell p, after the labels (out: the item's output cells). */
static inline BT_HD void bt_ccl_colour(int32_t *out, const BtView *v, const BtItem *it, int32_t p)
{
    out[it->a.h * it->a.w + p] = v->cells[it->a.off + p];
}

/* ---- ofcolor: positions of cells equal to p0 (when p1: the value is an
 * int that can match) ---- */

static inline BT_HD bool bt_ofcolor_hit(const BtView *v, const BtItem *it, int64_t p)
{
    return it->p[1] && v->cells[it->a.off + p] == it->p[0];
}

/* ---- compress: grid a without its uniform rows and columns (frontiers) ----
 *
 * The output shape depends on the cells, so the packer reserves the most an
 * item can need and the kernel says what it used. The item's output region
 * holds h * w + h + w cells:
 *   [0, h * w)              the kept cells, nh x nw row-major
 *   [h * w, h * w + h)      the kept row indices, ascending (nh of them)
 *   [h * w + h, ... + w)    the kept column indices, ascending (nw)
 * and res[k] = bt_compress_shape(nh, nw). The cells never overlap the lists
 * (nh * nw <= h * w), so the gather reads the lists while writing cells. */

/* Is line x of grid a uniform (all its cells equal)? side 0: row x, side 1:
 * column x. A line of one cell is. */
static inline BT_HD bool bt_line_uniform(const BtView *v, const BtItem *it, int side, int32_t x)
{
    int32_t n = side ? it->a.h : it->a.w;
    int32_t first = side ? bt_at(v->cells, it->a, 0, x) : bt_at(v->cells, it->a, x, 0);
    for (int32_t y = 1; y < n; y++)
        if ((side ? bt_at(v->cells, it->a, y, x) : bt_at(v->cells, it->a, x, y)) != first)
            return false;
    return true;
}

/* The lists of kept row / column indices in item it's output region. */
static inline BT_HD int32_t *bt_compress_lists(int32_t *out, const BtItem *it, int side)
{
    return out + it->out.off + (int64_t)it->a.h * it->a.w + (side ? it->a.h : 0);
}

/* Kept cell t (row-major in nh x nw) of the compressed grid. */
static inline BT_HD int32_t bt_compress_cell(const BtView *v, const BtItem *it, const int32_t *rows,
                                             const int32_t *cols, int32_t nw, int64_t t)
{
    return bt_at(v->cells, it->a, rows[t / nw], cols[t % nw]);
}

/* The output shape in one result (both sides are at most BT_MAX_CELLS). */
static inline BT_HD int64_t bt_compress_shape(int32_t nh, int32_t nw)
{
    return (int64_t)nh << 32 | (int64_t)(uint32_t)nw;
}

#endif
