/* batch.c: the grid store and gpu_run_batch (see batch.h).
 *
 * Packing appends an application's grids to the cell store (checking the
 * cells as they are copied, and taking them back when one does not fit),
 * its patch to the patch store and its output to the output layout; then a
 * backend fills the outputs, and results are rebuilt as Values with
 * mk_grid, v_int or mk_set_sorted. Host memory is plain malloc, freed with
 * the batch. */
#include <stdio.h>
#include <stdlib.h>

#include "batch.h"

#include "../ops/grid_common.h"
#include "../runtime/pyops.h"
#include "device.h"
#include "host.h"
#include "plan.h"

/* ---- growth ---- */

/* Make room for `more` items of size sz in *p (capacity *cap). */
static bool grow(void **p, size_t *cap, size_t used, size_t more, size_t sz)
{
    if (used + more <= *cap)
        return true;
    size_t n = *cap ? *cap : 64;
    while (n < used + more)
        n *= 2;
    void *q = realloc(*p, n * sz);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

/* Room for one more item and its tag. */
static bool grow_items(GridBatch *b)
{
    if (b->n < b->cap)
        return true;
    size_t n = b->cap ? b->cap * 2 : 64;
    BtItem *it = realloc(b->items, n * sizeof *it);
    if (!it)
        return false;
    b->items = it;
    size_t *tg = realloc(b->tag, n * sizeof *tg);
    if (!tg)
        return false;
    b->tag = tg;
    b->cap = n;
    return true;
}

/* ---- packing ---- */

/* Append grid g's cells (checked: int32, or 0..9 when small). */
static bool pack_grid(GridBatch *b, Value g, bool small, BtGrid *out)
{
    *out = (BtGrid){0};
    if (g.tag == VT_NONE)
        return true;
    size_t h = grid_h(g), w = grid_w(g);
    if (!grow((void **)&b->cells, &b->cap_cells, b->ncells, h * w, sizeof *b->cells) ||
        !plan_cells(g, small, b->cells + b->ncells))
        return false;
    *out = (BtGrid){.off = (int64_t)b->ncells, .h = (int32_t)h, .w = (int32_t)w};
    b->ncells += h * w;
    return true;
}

/* Append the patch's entries for item `item`, in canonical order. */
static bool pack_patch(GridBatch *b, Value p, int32_t item, BtItem *it)
{
    it->patch_off = (int64_t)b->npatch;
    if (p.tag == VT_NONE)
        return true;
    size_t n = p.u.seq->n;
    if (b->npatch + n > INT32_MAX || !grow((void **)&b->patch, &b->cap_patch, b->npatch, n, sizeof *b->patch))
        return false;
    for (size_t k = 0; k < n; k++) {
        Value e = p.u.seq->items[k]; /* VT_PAIR or VT_CELL: position in u.p */
        b->patch[b->npatch + k] = (BtPatch){e.u.p.a, e.u.p.b, e.tag == VT_CELL ? e.c : 0, item};
    }
    b->npatch += n;
    it->patch_n = (int32_t)n;
    return true;
}

void grid_batch_init(GridBatch *b, const Prim *p)
{
    *b = (GridBatch){.kind = plan_kind(p)};
}

bool grid_batch_add(GridBatch *b, const Value *args, size_t tag)
{
    Plan pl;
    if (b->n >= INT32_MAX || !plan_make(b->kind, args, &pl) || !grow_items(b))
        return false;
    BtItem it = {.p = {pl.p[0], pl.p[1]}, .flags = pl.flags};
    size_t ncells = b->ncells;
    if (!pack_grid(b, pl.ga, pl.small, &it.a) || !pack_grid(b, pl.gb, pl.small, &it.b) ||
        !pack_patch(b, pl.patch, (int32_t)b->n, &it)) {
        b->ncells = ncells; /* take the item's cells back */
        return false;
    }
    it.out = (BtGrid){.off = (int64_t)b->nout, .h = pl.oh, .w = pl.ow};
    b->nout += (size_t)pl.oh * (size_t)pl.ow;
    b->items[b->n] = it;
    b->tag[b->n++] = tag;
    return true;
}

void grid_batch_free(GridBatch *b)
{
    free(b->tag);
    free(b->items);
    free(b->cells);
    free(b->patch);
    free(b->out);
    free(b->res);
    *b = (GridBatch){.kind = b->kind};
}

/* ---- running ---- */

/* The output buffers and the plain view the backends take. */
static bool batch_view(GridBatch *b, BtBatch *v)
{
    free(b->out);
    free(b->res);
    b->out = malloc((b->nout ? b->nout : 1) * sizeof *b->out);
    b->res = malloc((b->n ? b->n : 1) * sizeof *b->res);
    if (!b->out || !b->res)
        return false;
    *v = (BtBatch){.kind = b->kind, .nitems = (int64_t)b->n, .items = b->items,
                   .ncells = (int64_t)b->ncells, .cells = b->cells, .npatch = (int64_t)b->npatch,
                   .patch = b->patch, .nout = (int64_t)b->nout, .out = b->out, .res = b->res};
    return true;
}

int grid_batch_run_host(GridBatch *b)
{
    BtBatch v;
    if (!batch_view(b, &v))
        return -1;
    return bt_host_run(&v);
}

int grid_batch_run_device(GridBatch *b, GpuCounters *c, char *msg, size_t msglen)
{
    BtBatch v;
    BtDeviceStats st = {0};
    if (!batch_view(b, &v)) {
        snprintf(msg, msglen, "out of host memory");
        return -1;
    }
    int rc = bt_device_run(&v, &st, msg, msglen);
    c->launches += st.launches;
    c->bytes_to_device += st.bytes_to;
    c->bytes_from_device += st.bytes_from;
    return rc;
}

/* ---- results ---- */

/* The h x w output cells from out[off] as a grid (h == 0: (), w == 0:
 * rows of ()). */
static Err cells_result(const GridBatch *b, Ctx *ctx, size_t off, size_t h, size_t w, Value *out)
{
    size_t n = h * w;
    int64_t *c = malloc((n ? n : 1) * sizeof *c);
    if (!c)
        return ERR_MEMORY;
    for (size_t t = 0; t < n; t++)
        c[t] = b->out[off + t];
    Err e = mk_grid(ctx, h, w, c, out);
    free(c);
    return e;
}

static Err grid_result(const GridBatch *b, Ctx *ctx, const BtItem *it, Value *out)
{
    return cells_result(b, ctx, (size_t)it->out.off, (size_t)it->out.h, (size_t)it->out.w, out);
}

/* compress: the kernel's shape (res[k]) over the start of the item's region. */
static Err compressed_result(const GridBatch *b, Ctx *ctx, size_t k, Value *out)
{
    int64_t r = b->res[k];
    size_t nh = (size_t)(r >> 32), nw = (size_t)(uint32_t)r;
    return cells_result(b, ctx, (size_t)b->items[k].out.off, nh, nw, out);
}

/* A palette mask as the frozenset of its colours. */
static Err colours_result(Ctx *ctx, int64_t mask, Value *out)
{
    Value v[BT_COLOURS];
    size_t m = 0;
    for (int c = 0; c < BT_COLOURS; c++)
        if ((mask >> c) & 1)
            v[m++] = v_int(c);
    return mk_set_sorted(ctx, m, v, out);
}

/* A component's place in canonical order: its smallest cell (the first
 * cell, row-major, of its smallest value). */
typedef struct ObjKey {
    int64_t colour;
    size_t pos, id;
} ObjKey;

static int cmp_objkey(const void *a, const void *b)
{
    const ObjKey *x = a, *y = b;
    if (x->colour != y->colour)
        return x->colour < y->colour ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* objects from the labels (each cell's component root, the component's
 * first cell row-major; -1 for background): cells bucketed by component in
 * row-major order, components sorted by their smallest cell, each object's
 * cells in canonical order (row-major is, when univalued; else a stable
 * bucketing by colour). Disjoint objects differ in their smallest cells, so
 * that order is the canonical order of the objects. */
static Err objects_result(const GridBatch *b, Ctx *ctx, const BtItem *it, Value *out)
{
    size_t w = (size_t)it->a.w, n = (size_t)it->a.h * w, nc = 0;
    const int32_t *lab = b->out + it->out.off, *c = b->cells + it->a.off;
    bool uni = (it->p[0] & BT_OBJ_UNI) != 0;
    for (size_t p = 0; p < n; p++)
        nc += lab[p] == (int32_t)p;
    if (!nc) {
        *out = v_empty_set();
        return ERR_OK;
    }
    int32_t *id = malloc(n * sizeof *id);
    size_t *start = calloc(nc + 1, sizeof *start), *fill = malloc(nc * sizeof *fill);
    ObjKey *key = malloc(nc * sizeof *key);
    Value *cells = malloc(n * sizeof *cells), *objs = malloc(nc * sizeof *objs);
    Err e = ERR_MEMORY;
    if (!id || !start || !fill || !key || !cells || !objs)
        goto done;
    for (size_t p = 0, k = 0; p < n; p++)
        if (lab[p] == (int32_t)p) {
            key[k] = (ObjKey){INT64_MAX, p, k};
            id[p] = (int32_t)k++;
        }
    for (size_t p = 0; p < n; p++) {
        if (lab[p] < 0)
            continue;
        ObjKey *kk = &key[id[lab[p]]];
        start[kk->id + 1]++;
        if (c[p] < kk->colour)
            kk->colour = c[p], kk->pos = p;
    }
    for (size_t k = 0; k < nc; k++)
        start[k + 1] += start[k], fill[k] = start[k];
    for (size_t p = 0; p < n; p++)
        if (lab[p] >= 0)
            cells[fill[id[lab[p]]]++] = v_cell(c[p], (int32_t)(p / w), (int32_t)(p % w));
    qsort(key, nc, sizeof *key, cmp_objkey);
    for (size_t k = 0; k < nc; k++) {
        size_t s = start[key[k].id], len = start[key[k].id + 1] - s;
        e = uni ? mk_set_sorted(ctx, len, cells + s, &objs[k]) : gc_cells_by_colour(ctx, cells + s, len, &objs[k]);
        if (e != ERR_OK)
            goto done;
    }
    e = mk_set_sorted(ctx, nc, objs, out);
done:
    free(id), free(start), free(fill), free(key), free(cells), free(objs);
    return e;
}

/* partition / fgpartition from the labels (the cell's colour; -1 for
 * fgpartition's background): the cells bucketed stably by colour, one object
 * per run, in ascending colour (the canonical order of the objects). */
static Err partition_result(const GridBatch *b, Ctx *ctx, const BtItem *it, Value *out)
{
    size_t w = (size_t)it->a.w, n = (size_t)it->a.h * w, m = 0;
    const int32_t *lab = b->out + it->out.off;
    bool fg = b->kind == BK_FGPARTITION;
    Value *cells = malloc((n ? n : 1) * sizeof *cells), *objs = malloc((n ? n : 1) * sizeof *objs), *sorted;
    size_t no = 0;
    Err e = ERR_MEMORY;
    if (!cells || !objs)
        goto done;
    for (size_t p = 0; p < n; p++)
        if (!fg || lab[p] != -1)
            cells[m++] = v_cell(lab[p], (int32_t)(p / w), (int32_t)(p % w));
    if ((e = gc_sort_by_colour(ctx, cells, m, &sorted)) != ERR_OK)
        goto done;
    for (size_t k = 0; k < m;) {
        size_t r = k;
        while (r < m && sorted[r].c == sorted[k].c)
            r++;
        if ((e = mk_set_sorted(ctx, r - k, sorted + k, &objs[no++])) != ERR_OK)
            goto done;
        k = r;
    }
    e = mk_set_sorted(ctx, no, objs, out);
done:
    free(cells), free(objs);
    return e;
}

/* The first res[k] output cells, row-major positions of grid a, as pairs
 * (ofcolor); or every position of a p0 x p1 shape (asindices). */
static Err indices_result(const GridBatch *b, Ctx *ctx, size_t k, Value *out)
{
    const BtItem *it = &b->items[k];
    bool all = b->kind == BK_ASINDICES;
    size_t w = all ? (size_t)it->p[1] : (size_t)it->a.w;
    size_t n = all ? (size_t)it->p[0] * w : (size_t)b->res[k];
    Value *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return ERR_MEMORY;
    for (size_t t = 0; t < n; t++) {
        size_t p = all ? t : (size_t)b->out[(size_t)it->out.off + t];
        v[t] = v_pair((int32_t)(p / w), (int32_t)(p % w));
    }
    Err e = mk_set_sorted(ctx, n, v, out);
    free(v);
    return e;
}

/* shift / normalize: the patch's entries (colours kept for cells) at the
 * output's positions; a shift keeps the canonical order. */
static Err patch_result(const GridBatch *b, Ctx *ctx, const BtItem *it, Value *out)
{
    size_t n = (size_t)it->patch_n;
    Value *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return ERR_MEMORY;
    for (size_t t = 0; t < n; t++) {
        const BtPatch *q = &b->patch[(size_t)it->patch_off + t];
        int32_t i = b->out[(size_t)it->out.off + 2 * t], j = b->out[(size_t)it->out.off + 2 * t + 1];
        v[t] = it->flags ? v_cell(q->c, i, j) : v_pair(i, j);
    }
    Err e = mk_set_sorted(ctx, n, v, out);
    free(v);
    return e;
}

Err grid_batch_result(const GridBatch *b, Ctx *ctx, size_t k, Value *out)
{
    switch (plan_result(b->kind)) {
    case PR_PARTITION:
        return partition_result(b, ctx, &b->items[k], out);
    case PR_OBJECTS:
        return objects_result(b, ctx, &b->items[k], out);
    case PR_INDICES:
    case PR_ALLINDICES:
        return indices_result(b, ctx, k, out);
    case PR_PATCH:
        return patch_result(b, ctx, &b->items[k], out);
    case PR_COMPRESSED:
        return compressed_result(b, ctx, k, out);
    case PR_INT:
        *out = v_int(b->res[k]);
        return ERR_OK;
    case PR_COLOURS:
        return colours_result(ctx, b->res[k], out);
    default:
        return grid_result(b, ctx, &b->items[k], out);
    }
}

/* ---- the entry points ---- */

bool gpu_has_kernel(const Prim *p) { return plan_kind(p) >= 0; }

bool gpu_eligible(const Prim *p, const Value *args)
{
    Plan pl;
    if (!plan_make(plan_kind(p), args, &pl))
        return false;
    return (pl.ga.tag == VT_NONE || plan_cells(pl.ga, pl.small, NULL)) &&
           (pl.gb.tag == VT_NONE || plan_cells(pl.gb, pl.small, NULL));
}

int gpu_device_count(void) { return bt_device_count(); }

/* Run the packed batch on the chosen backend; counts what ran where. */
static int run_packed(GpuBackend be, GridBatch *b, GpuCounters *c)
{
    char msg[256];
    if (be != GPU_HOST && gpu_device_count() > 0) {
        if (grid_batch_run_device(b, c, msg, sizeof msg) == 0) {
            c->device_runs++;
            c->items_gpu += b->n;
            return 0;
        }
        c->device_errors++;
    }
    if (be == GPU_DEVICE || grid_batch_run_host(b) != 0)
        return -1;
    c->host_runs++;
    c->items_host += b->n;
    return 0;
}

int gpu_run_batch_on(GpuBackend be, Ctx *ctx, const Prim *p, size_t n, const Value *const *args,
                     Value *out, Err *err, GpuCounters *c)
{
    GpuCounters dummy = {0};
    if (!c)
        c = &dummy;
    for (size_t k = 0; k < n; k++)
        err[k] = ERR__COUNT;
    if (!gpu_has_kernel(p)) {
        c->items_ineligible += n;
        return 0;
    }
    GridBatch b;
    grid_batch_init(&b, p);
    for (size_t k = 0; k < n; k++)
        if (!grid_batch_add(&b, args[k], k))
            c->items_ineligible++;
    int rc = b.n ? run_packed(be, &b, c) : 0;
    if (rc == 0)
        for (size_t k = 0; k < b.n; k++)
            err[b.tag[k]] = grid_batch_result(&b, ctx, k, &out[b.tag[k]]);
    rc = rc == 0 ? (int)b.n : -1;
    grid_batch_free(&b);
    return rc;
}

int gpu_run_batch(Ctx *ctx, const Prim *p, size_t n, const Value *const *args, Value *out, Err *err,
                  GpuCounters *c)
{
    return gpu_run_batch_on(GPU_AUTO, ctx, p, n, args, out, err, c);
}
