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
    BtItem it = {.p = {pl.p[0], pl.p[1]}};
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

static Err grid_result(const GridBatch *b, Ctx *ctx, const BtItem *it, Value *out)
{
    size_t n = (size_t)it->out.h * (size_t)it->out.w;
    int64_t *c = malloc((n ? n : 1) * sizeof *c);
    if (!c)
        return ERR_MEMORY;
    for (size_t t = 0; t < n; t++)
        c[t] = b->out[(size_t)it->out.off + t];
    Err e = mk_grid(ctx, (size_t)it->out.h, (size_t)it->out.w, c, out);
    free(c);
    return e;
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

Err grid_batch_result(const GridBatch *b, Ctx *ctx, size_t k, Value *out)
{
    switch (plan_result(b->kind)) {
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
