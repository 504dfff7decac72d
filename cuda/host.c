/* host.c: the host backend: a batch computed on the CPU by the same BT_HD
 * functions the kernels call (grid_kernels.h), step for step as kernels.cu
 * does them: per-item histograms (the fold CUB's segmented reduction does),
 * patch marks (bt_mark, whose atomic max is a plain max here), then every
 * output cell through bt_map_one (the item found by the same search) or one
 * bt_reduce per item. It is the reference the device results are checked
 * against, and the fallback when there is no device. */
#include <stdlib.h>

#include "host.h"

/* The colour histogram of each item's grid a. */
static void host_histograms(const BtBatch *b, BtHist *hist)
{
    for (int64_t k = 0; k < b->nitems; k++) {
        BtGrid g = b->items[k].a;
        BtHist h = bt_hist_zero();
        for (int64_t t = g.off; t < g.off + (int64_t)g.h * g.w; t++)
            h = bt_hist_add(h, bt_hist_one(b->cells[t]));
        hist[k] = h;
    }
}

static void host_marks(const BtBatch *b, int32_t *mark)
{
    for (int64_t t = 0; t < b->nout; t++)
        mark[t] = -1;
    for (int64_t e = 0; e < b->npatch; e++)
        bt_mark(mark, b->items, b->patch, e);
}

static void host_map(const BtBatch *b, const BtView *v)
{
    for (int64_t t = 0; t < b->nout; t++)
        b->out[t] = bt_map_one(b->kind, v, b->items, 0, b->nitems, t);
}

static void host_reduce(const BtBatch *b, const BtHist *hist)
{
    for (int64_t k = 0; k < b->nitems; k++)
        b->res[k] = bt_reduce(b->kind, hist[k], b->items[k].p[0]);
}

/* compress of item k: the kept rows, then the kept columns, compacted into
 * their lists in order (the device's block scans), then the gather. */
static void host_compress(const BtBatch *b, const BtView *v, int64_t k)
{
    const BtItem *it = &b->items[k];
    int32_t *rows = bt_compress_lists(b->out, it, 0), *cols = bt_compress_lists(b->out, it, 1);
    int32_t nh = 0, nw = 0;
    for (int32_t i = 0; i < it->a.h; i++)
        if (!bt_line_uniform(v, it, 0, i))
            rows[nh++] = i;
    for (int32_t j = 0; j < it->a.w; j++)
        if (!bt_line_uniform(v, it, 1, j))
            cols[nw++] = j;
    for (int64_t t = 0; t < (int64_t)nh * nw; t++)
        b->out[it->out.off + t] = bt_compress_cell(v, it, rows, cols, nw, t);
    b->res[k] = bt_compress_shape(nh, nw);
}

/* objects: the three phases of bt_ccl_* over each item's cells, run to the
 * end one after another (the device's barriers between them), the labels
 * built in place in the output, then the colours after them; ofcolor: the
 * block scan's compaction;
 * compress: host_compress. */
static void host_blocks(const BtBatch *b, const BtView *v)
{
    for (int64_t k = 0; k < b->nitems; k++) {
        const BtItem *it = &b->items[k];
        if (b->kind == BK_COMPRESS) {
            host_compress(b, v, k);
            continue;
        }
        int32_t n = it->a.h * it->a.w;
        int32_t *out = b->out + it->out.off;
        if (b->kind == BK_OFCOLOR) {
            int64_t m = 0;
            for (int32_t p = 0; p < n; p++)
                if (bt_ofcolor_hit(v, it, p))
                    out[m++] = p;
            b->res[k] = m;
            continue;
        }
        int32_t bg;
        bool has_bg = bt_obj_bg(v, it, k, &bg);
        for (int32_t p = 0; p < n; p++)
            bt_ccl_init(out, v, it, has_bg, bg, p);
        for (int32_t p = 0; p < n; p++)
            bt_ccl_unite(out, v, it, has_bg, bg, p);
        for (int32_t p = 0; p < n; p++)
            bt_ccl_flatten(out, p);
        for (int32_t p = 0; p < n; p++)
            bt_ccl_colour(out, v, it, p);
        b->res[k] = bg;
    }
}

int bt_host_run(const BtBatch *b)
{
    BtHist *hist = NULL;
    int32_t *mark = NULL;
    if (bt_kind_counts(b->kind) && !(hist = malloc((size_t)(b->nitems ? b->nitems : 1) * sizeof *hist)))
        return -1;
    if (bt_kind_marks(b->kind) && !(mark = malloc((size_t)(b->nout ? b->nout : 1) * sizeof *mark))) {
        free(hist);
        return -1;
    }
    if (hist)
        host_histograms(b, hist);
    if (mark)
        host_marks(b, mark);
    BtView v = {b->cells, b->patch, mark, hist};
    if (bt_kind_reduces(b->kind))
        host_reduce(b, hist);
    else if (bt_kind_blocks(b->kind))
        host_blocks(b, &v);
    else
        host_map(b, &v);
    free(hist);
    free(mark);
    return 0;
}
