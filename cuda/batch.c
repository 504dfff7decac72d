/* batch.c: batches against the value store, and gpu_run_batch (see batch.h).
 *
 * Packing plans an application (plan.c), then packs its grids: one resident
 * in the store by reference (its offset), one from the host by copying its
 * cells (checked as they are copied) into the batch's upload area, once per
 * batch (a second use of the same grid refers to the first copy); its patch
 * goes to the patch store and its output to the output layout. Running
 * reserves the upload area and the outputs in the store, uploads, and runs
 * the backend; grid results then get handles in the store, the uploaded
 * grids too (handed back to the caller), and the other results come down
 * and are rebuilt as Values with v_int or mk_set_sorted. Transfers are
 * counted here, the same way for both backends. Host memory is plain
 * malloc, freed with the batch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

#include "../ops/grid_common.h"
#include "../runtime/pyops.h"
#include "device.h"
#include "host.h"
#include "plan.h"

/* A grid of the host copied into the upload area. */
typedef struct Upload {
    const Seq *seq; /* the Value's rows: the same Seq is uploaded once per batch */
    size_t off;     /* in the upload area */
    int32_t h, w, lo, hi;
    int32_t ref;    /* its handle, once registered */
} Upload;

/* Where an uploaded grid's handle goes back to: an application's refs[a]. */
typedef struct WriteBack {
    int32_t *dst;
    size_t up;
} WriteBack;

/* Per item: the caller's index, and the bounds of its output cells. */
typedef struct ItemInfo {
    size_t tag;
    int32_t lo, hi;
} ItemInfo;

typedef struct GridBatch {
    GpuStore *st;
    int kind;      /* BtKind */
    int64_t base;  /* where the upload area will be in the store */
    size_t n, cap; /* items packed */
    ItemInfo *info;
    BtItem *items; /* grid offsets are store offsets */
    int32_t *cells; /* the upload area */
    size_t ncells, cap_cells;
    Upload *up;
    size_t nup, cap_up;
    uint32_t *up_tab; /* open addressing: Seq -> index into up + 1 (0 = empty) */
    size_t cap_tab;
    WriteBack *wb;
    size_t nwb, cap_wb;
    BtPatch *patch;
    size_t npatch, cap_patch;
    size_t nout;   /* output cells */
    int32_t *out;  /* the output cells brought down (results built on the host) */
    int64_t *res;  /* per item: the kernel's result */
    uint64_t resident, uploaded; /* grid arguments packed by reference / by upload */
} GridBatch;

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

/* Room for one more item and its info. */
static bool grow_items(GridBatch *b)
{
    if (b->n < b->cap)
        return true;
    size_t n = b->cap ? b->cap * 2 : 64;
    BtItem *it = realloc(b->items, n * sizeof *it);
    if (!it)
        return false;
    b->items = it;
    ItemInfo *in = realloc(b->info, n * sizeof *in);
    if (!in)
        return false;
    b->info = in;
    b->cap = n;
    return true;
}

/* ---- the uploads of a batch, found by their Seq ---- */

static size_t seq_slot(const Seq *s, size_t cap)
{
    return (size_t)(v_mix64((uint64_t)(uintptr_t)s) & (cap - 1));
}

static bool tab_put(GridBatch *b, size_t up);

/* A table twice the uploads' count or more, every upload in it. */
static bool tab_room(GridBatch *b)
{
    if (2 * (b->nup + 1) <= b->cap_tab)
        return true;
    size_t cap = b->cap_tab ? b->cap_tab * 2 : 64;
    while (cap < 2 * (b->nup + 1))
        cap *= 2;
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t)
        return false;
    free(b->up_tab);
    b->up_tab = t;
    b->cap_tab = cap;
    for (size_t u = 0; u < b->nup; u++)
        tab_put(b, u);
    return true;
}

static bool tab_put(GridBatch *b, size_t up)
{
    size_t k = seq_slot(b->up[up].seq, b->cap_tab);
    while (b->up_tab[k])
        k = (k + 1) & (b->cap_tab - 1);
    b->up_tab[k] = (uint32_t)up + 1;
    return true;
}

/* The upload of seq in this batch, or -1. */
static long tab_find(const GridBatch *b, const Seq *seq)
{
    if (!b->cap_tab)
        return -1;
    for (size_t k = seq_slot(seq, b->cap_tab); b->up_tab[k]; k = (k + 1) & (b->cap_tab - 1))
        if (b->up[b->up_tab[k] - 1].seq == seq)
            return (long)b->up_tab[k] - 1;
    return -1;
}

/* ---- packing ---- */

/* r widened to lo..hi. */
static void widen(int32_t r[2], int32_t lo, int32_t hi)
{
    r[0] = lo < r[0] ? lo : r[0];
    r[1] = hi > r[1] ? hi : r[1];
}

/* Hand upload u's handle back to *dst (when the caller keeps handles). */
static bool write_back(GridBatch *b, int32_t *dst, size_t u)
{
    if (!dst)
        return true;
    if (!grow((void **)&b->wb, &b->cap_wb, b->nwb, 1, sizeof *b->wb))
        return false;
    b->wb[b->nwb++] = (WriteBack){dst, u};
    return true;
}

/* Copy host grid g's cells (checked: int32, or 0..9 when small) to the
 * upload area, as upload number b->nup (not yet in the table). */
static bool stage_grid(GridBatch *b, const PlanArg *g, bool small)
{
    size_t h = grid_h(g->v), w = grid_w(g->v);
    int32_t lo, hi;
    if (!grow((void **)&b->cells, &b->cap_cells, b->ncells, h * w, sizeof *b->cells) ||
        !grow((void **)&b->up, &b->cap_up, b->nup, 1, sizeof *b->up) ||
        !plan_cells(g->v, small, b->cells + b->ncells, &lo, &hi))
        return false;
    b->up[b->nup++] = (Upload){g->v.u.seq, b->ncells, (int32_t)h, (int32_t)w, lo, hi, -1};
    b->ncells += h * w;
    return true;
}

/* Pack grid argument g (NULL: none) of an application whose handles are
 * refs (NULL: not kept; g's index among the arguments is g - args): by
 * reference when the store or this batch already holds it, else uploaded.
 * r: the output's bounds, widened by g's. */
static bool pack_grid(GridBatch *b, const PlanArg *g, const PlanArg *args, int32_t *refs, bool small,
                      BtGrid *out, int32_t r[2])
{
    *out = (BtGrid){0};
    if (!g)
        return true;
    if (g->ref >= 0) { /* the planner checked its bounds */
        *out = (BtGrid){.off = gpu_store_ref(b->st, g->ref)->off, .h = g->h, .w = g->w};
        widen(r, g->lo, g->hi);
        b->resident++;
        return true;
    }
    long u = tab_find(b, g->v.u.seq);
    if (u >= 0) {
        const Upload *p = &b->up[u];
        if (small && (p->lo < 0 || p->hi >= BT_COLOURS))
            return false;
        b->resident++;
    } else {
        if (!stage_grid(b, g, small))
            return false;
        u = (long)b->nup - 1;
        b->uploaded++;
    }
    const Upload *p = &b->up[u];
    *out = (BtGrid){.off = b->base + (int64_t)p->off, .h = p->h, .w = p->w};
    widen(r, p->lo, p->hi);
    return write_back(b, refs ? &refs[g - args] : NULL, (size_t)u);
}

/* Append the patch's entries for item `item`, in canonical order; r widened
 * by their colours when they are painted (colours). */
static bool pack_patch(GridBatch *b, Value p, int32_t item, bool colours, BtItem *it, int32_t r[2])
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
        if (colours)
            widen(r, e.c, e.c);
    }
    b->npatch += n;
    it->patch_n = (int32_t)n;
    return true;
}

static void batch_init(GridBatch *b, GpuStore *st, const Prim *p)
{
    *b = (GridBatch){.st = st, .kind = plan_kind(p), .base = (int64_t)gpu_store_used(st)};
}

/* Application app's arguments as the planner sees them. */
static void plan_args(const GridBatch *b, const Prim *p, const GpuApp *app, PlanArg *pa)
{
    for (int a = 0; a < p->arity; a++) {
        int32_t ref = app->refs ? app->refs[a] : -1;
        pa[a] = plan_arg(app->args[a]);
        if (ref >= 0) {
            const GpuRef *r = gpu_store_ref(b->st, ref);
            pa[a] = (PlanArg){app->args[a], ref, r->h, r->w, r->lo, r->hi};
        }
    }
}

/* Pack one application with the caller's tag; false when it is not eligible
 * (or host memory ran out), and then nothing was packed. */
static bool batch_add(GridBatch *b, const Prim *p, const GpuApp *app, size_t tag)
{
    PlanArg pa[PLAN_MAX_ARGS];
    Plan pl;
    plan_args(b, p, app, pa);
    if (b->n >= INT32_MAX || !plan_make(b->kind, pa, &pl) || !grow_items(b))
        return false;
    BtItem it = {.p = {pl.p[0], pl.p[1]}, .flags = pl.flags};
    size_t ncells = b->ncells, nup = b->nup, nwb = b->nwb;
    uint64_t resident = b->resident, uploaded = b->uploaded;
    int32_t r[2] = {pl.xlo, pl.xhi};
    if (!pack_grid(b, pl.ga, pa, app->refs, pl.small, &it.a, r) ||
        !pack_grid(b, pl.gb, pa, app->refs, pl.small, &it.b, r) ||
        !pack_patch(b, pl.patch, (int32_t)b->n, pl.cells, &it, r)) {
        b->ncells = ncells, b->nup = nup, b->nwb = nwb; /* take the item's parts back */
        b->resident = resident, b->uploaded = uploaded;
        return false;
    }
    for (size_t u = nup; u < b->nup; u++)
        if (!tab_room(b) || !tab_put(b, u))
            return false; /* out of memory: the batch will fail */
    it.out = (BtGrid){.off = (int64_t)b->nout, .h = pl.oh, .w = pl.ow};
    b->nout += (size_t)pl.oh * (size_t)pl.ow;
    b->items[b->n] = it;
    b->info[b->n++] = (ItemInfo){tag, r[0], r[1]};
    return true;
}

static void batch_free(GridBatch *b)
{
    free(b->info);
    free(b->items);
    free(b->cells);
    free(b->up);
    free(b->up_tab);
    free(b->wb);
    free(b->patch);
    free(b->out);
    free(b->res);
}

/* ---- running ---- */

/* Kinds whose results are built on the host from their output cells: those
 * cells come down, and their place in the store is given back. */
static bool kind_outputs_down(int kind)
{
    PlanResult r = plan_result(kind);
    return r == PR_PARTITION || r == PR_OBJECTS || r == PR_INDICES || r == PR_PATCH;
}

/* The batch on the store's backend: items and patch up, outputs into the
 * store at out (a store offset), res filled. */
static int run_backend(GridBatch *b, int64_t out, GpuCounters *c)
{
    int32_t *cells = gpu_store_cells(b->st);
    BtBatch v = {.kind = b->kind, .nitems = (int64_t)b->n, .items = b->items,
                 .ncells = (int64_t)gpu_store_used(b->st), .cells = cells, .npatch = (int64_t)b->npatch,
                 .patch = b->patch, .nout = (int64_t)b->nout, .out = cells + out, .res = b->res};
    c->bytes_to_device += b->n * sizeof *b->items + b->npatch * sizeof *b->patch;
    if (gpu_store_backend(b->st) == GPU_HOST) {
        if (bt_host_run(&v) != 0)
            return -1;
        c->host_runs++;
        c->items_host += b->n;
        return 0;
    }
    BtDeviceStats ds = {0};
    char msg[256];
    int rc = bt_device_run(&v, &ds, msg, sizeof msg);
    c->launches += ds.launches;
    if (rc != 0) {
        c->device_errors++;
        return -1;
    }
    c->device_runs++;
    c->items_gpu += b->n;
    return 0;
}

/* What comes down after a run: the kind's results, and the output cells of
 * kinds built from them (then given back to the store). */
static int bring_down(GridBatch *b, int64_t out, GpuCounters *c)
{
    char msg[256];
    if (bt_kind_res(b->kind))
        c->bytes_from_device += b->n * sizeof *b->res;
    if (!kind_outputs_down(b->kind))
        return 0;
    if (!(b->out = malloc((b->nout ? b->nout : 1) * sizeof *b->out)) ||
        gpu_store_download(b->st, b->out, out, b->nout, msg, sizeof msg) != 0)
        return -1;
    c->bytes_from_device += b->nout * sizeof *b->out;
    gpu_store_release(b->st, out);
    return 0;
}

/* Handles for the uploaded grids, handed back to the applications. */
static int register_uploads(GridBatch *b)
{
    for (size_t u = 0; u < b->nup; u++) {
        const Upload *p = &b->up[u];
        b->up[u].ref = gpu_store_add_ref(b->st, (GpuRef){b->base + (int64_t)p->off, p->h, p->w, p->lo, p->hi});
        if (b->up[u].ref < 0)
            return -1;
    }
    for (size_t k = 0; k < b->nwb; k++)
        *b->wb[k].dst = b->up[b->wb[k].up].ref;
    return 0;
}

/* Reserve, upload, run, bring down: 0, or -1 with the store as it was. */
static int batch_run(GridBatch *b, GpuCounters *c)
{
    char msg[256];
    int64_t at = gpu_store_reserve(b->st, b->ncells + b->nout);
    if (at < 0) {
        c->store_full++;
        return -1;
    }
    /* nothing else uses the store between packing and running */
    int64_t out = at + (int64_t)b->ncells;
    if (at != b->base || !(b->res = malloc((b->n ? b->n : 1) * sizeof *b->res))) {
        gpu_store_release(b->st, at);
        return -1;
    }
    int up = gpu_store_upload(b->st, at, b->cells, b->ncells, msg, sizeof msg);
    int ran = up ? -1 : run_backend(b, out, c); /* counts a failed device run itself */
    int down = ran ? -1 : bring_down(b, out, c);
    if (up || ran || down || register_uploads(b) != 0) {
        c->device_errors += up != 0 || (ran == 0 && down != 0); /* a transfer failed */
        gpu_store_release(b->st, at);
        return -1;
    }
    c->bytes_to_device += b->ncells * sizeof *b->cells;
    c->args_resident += b->resident;
    c->args_uploaded += b->uploaded;
    return 0;
}

/* ---- results ---- */

/* An h x w grid result: left in the store at out + off when it has cells
 * (its handle in o->ref), else built: () when h == 0, rows of () when w == 0. */
static Err grid_result(GridBatch *b, Ctx *ctx, size_t k, int64_t off, size_t h, size_t w, GpuOut *o)
{
    if (h && w) {
        GpuRef r = {off, (int32_t)h, (int32_t)w, b->info[k].lo, b->info[k].hi};
        o->ref = gpu_store_add_ref(b->st, r);
        return o->ref >= 0 ? ERR_OK : ERR_MEMORY;
    }
    int64_t none = 0; /* no cell is read */
    return mk_grid(ctx, h, w, &none, &o->v);
}

/* compress: the kernel's shape (res[k]) over the start of the item's region. */
static Err compressed_result(GridBatch *b, Ctx *ctx, size_t k, int64_t out, GpuOut *o)
{
    int64_t r = b->res[k];
    size_t nh = (size_t)(r >> 32), nw = (size_t)(uint32_t)r;
    return grid_result(b, ctx, k, out + b->items[k].out.off, nh, nw, o);
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
 * first cell row-major; -1 for background) and the cells after them (the
 * kernel's copy, see bt_ccl_colour): cells bucketed by component in
 * row-major order, components sorted by their smallest cell, each object's
 * cells in canonical order (row-major is, when univalued; else a stable
 * bucketing by colour). Disjoint objects differ in their smallest cells, so
 * that order is the canonical order of the objects. */
static Err objects_result(const GridBatch *b, Ctx *ctx, const BtItem *it, Value *out)
{
    size_t w = (size_t)it->a.w, n = (size_t)it->a.h * w, nc = 0;
    const int32_t *lab = b->out + it->out.off, *c = lab + n;
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

/* The result of packed item k after a run whose outputs are at store
 * offset out: a grid left in the store, or a Value built. */
static Err item_result(GridBatch *b, Ctx *ctx, size_t k, int64_t out, GpuOut *o)
{
    const BtItem *it = &b->items[k];
    o->ref = -1;
    switch (plan_result(b->kind)) {
    case PR_PARTITION:
        return partition_result(b, ctx, it, &o->v);
    case PR_OBJECTS:
        return objects_result(b, ctx, it, &o->v);
    case PR_INDICES:
    case PR_ALLINDICES:
        return indices_result(b, ctx, k, &o->v);
    case PR_PATCH:
        return patch_result(b, ctx, it, &o->v);
    case PR_COMPRESSED:
        return compressed_result(b, ctx, k, out, o);
    case PR_INT:
        o->v = v_int(b->res[k]);
        return ERR_OK;
    case PR_COLOURS:
        return colours_result(ctx, b->res[k], &o->v);
    default:
        return grid_result(b, ctx, k, out + it->out.off, (size_t)it->out.h, (size_t)it->out.w, o);
    }
}

/* ---- the entry points ---- */

bool gpu_has_kernel(const Prim *p) { return plan_kind(p) >= 0; }

bool gpu_eligible(const Prim *p, const Value *args)
{
    PlanArg pa[PLAN_MAX_ARGS];
    Plan pl;
    for (int a = 0; a < p->arity; a++)
        pa[a] = plan_arg(args[a]);
    if (!plan_make(plan_kind(p), pa, &pl))
        return false;
    return (!pl.ga || plan_cells(pl.ga->v, pl.small, NULL, NULL, NULL)) &&
           (!pl.gb || plan_cells(pl.gb->v, pl.small, NULL, NULL, NULL));
}

int gpu_device_count(void) { return bt_device_count(); }

int gpu_launches_per_batch(const Prim *p)
{
    int k = plan_kind(p);
    if (k < 0 || k == BK_ASINDICES)
        return 0;
    return 1 + bt_kind_counts(k) + bt_kind_marks(k);
}

int gpu_store_run(GpuStore *st, Ctx *ctx, const Prim *p, size_t n, const GpuApp *apps, GpuOut *out,
                  GpuCounters *c)
{
    GpuCounters dummy = {0};
    if (!c)
        c = &dummy;
    for (size_t k = 0; k < n; k++)
        out[k] = (GpuOut){ERR__COUNT, v_none(), -1};
    if (!gpu_has_kernel(p)) {
        c->items_ineligible += n;
        return 0;
    }
    GridBatch b;
    batch_init(&b, st, p);
    for (size_t k = 0; k < n; k++)
        if (!batch_add(&b, p, &apps[k], k))
            c->items_ineligible++;
    int rc = b.n ? batch_run(&b, c) : 0;
    if (rc == 0) {
        int64_t outs = b.base + (int64_t)b.ncells;
        for (size_t k = 0; k < b.n; k++) {
            GpuOut *o = &out[b.info[k].tag];
            o->err = item_result(&b, ctx, k, outs, o);
            c->results_resident += o->err == ERR_OK && o->ref >= 0;
        }
    }
    rc = rc == 0 ? (int)b.n : -1;
    batch_free(&b);
    return rc;
}

/* The results left in the store built on the host, each with its own Err
 * (ERR_RUNTIME: a download failed). */
static void materialize_all(GpuStore *st, Ctx *ctx, size_t n, GpuOut *o, GpuCounters *c)
{
    char msg[256];
    int32_t *refs = malloc((n ? n : 1) * sizeof *refs);
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    Value *v = malloc((n ? n : 1) * sizeof *v);
    size_t m = 0;
    for (size_t k = 0; refs && idx && v && k < n; k++)
        if (o[k].err == ERR_OK && o[k].ref >= 0)
            refs[m] = o[k].ref, idx[m++] = k;
    Err e = refs && idx && v ? gpu_store_materialize(st, ctx, m, refs, v, c, msg, sizeof msg) : ERR_MEMORY;
    for (size_t t = 0; t < m; t++) {
        GpuOut *q = &o[idx[t]];
        /* after a failure, one at a time: each gets its own outcome */
        q->err = e == ERR_OK ? ERR_OK : gpu_store_materialize(st, ctx, 1, &q->ref, &v[t], c, msg, sizeof msg);
        q->v = q->err == ERR_OK ? v[t] : v_none();
    }
    free(refs), free(idx), free(v);
}

/* One batch in a store of its own, every result built on the host. */
static int run_once(GpuBackend be, Ctx *ctx, const Prim *p, size_t n, const Value *const *args, Value *out,
                    Err *err, GpuCounters *c)
{
    char msg[256];
    GpuStore *st = gpu_store_new(be, 0, msg, sizeof msg);
    GpuApp *apps = calloc(n ? n : 1, sizeof *apps);
    GpuOut *o = malloc((n ? n : 1) * sizeof *o);
    int rc = -1;
    if (st && apps && o) {
        for (size_t k = 0; k < n; k++)
            apps[k] = (GpuApp){args[k], NULL};
        rc = gpu_store_run(st, ctx, p, n, apps, o, c);
    }
    if (rc > 0)
        materialize_all(st, ctx, n, o, c);
    for (size_t k = 0; rc >= 0 && k < n; k++) {
        if (o[k].err == ERR_RUNTIME && o[k].ref >= 0)
            rc = -1; /* a download failed: the backend failed */
        err[k] = o[k].err;
        if (o[k].err == ERR_OK)
            out[k] = o[k].v;
    }
    if (rc < 0)
        for (size_t k = 0; k < n; k++)
            err[k] = ERR__COUNT;
    gpu_store_free(st);
    free(apps);
    free(o);
    return rc;
}

static void counters_add(GpuCounters *to, const GpuCounters *c)
{
    uint64_t *t = (uint64_t *)to;
    const uint64_t *f = (const uint64_t *)c;
    for (size_t k = 0; k < sizeof *c / sizeof(uint64_t); k++)
        t[k] += f[k];
}

int gpu_run_batch_on(GpuBackend be, Ctx *ctx, const Prim *p, size_t n, const Value *const *args,
                     Value *out, Err *err, GpuCounters *c)
{
    GpuCounters dummy = {0}, dev = {0};
    if (!c)
        c = &dummy;
    if (be == GPU_HOST || (be == GPU_AUTO && gpu_device_count() == 0))
        return run_once(GPU_HOST, ctx, p, n, args, out, err, c);
    int rc = gpu_device_count() > 0 ? run_once(GPU_DEVICE, ctx, p, n, args, out, err, &dev) : -1;
    if (rc >= 0 || be == GPU_DEVICE) {
        counters_add(c, &dev);
        if (rc < 0)
            for (size_t k = 0; k < n; k++)
                err[k] = ERR__COUNT;
        return rc;
    }
    c->device_errors++; /* AUTO: the host backend instead */
    return run_once(GPU_HOST, ctx, p, n, args, out, err, c);
}

int gpu_run_batch(Ctx *ctx, const Prim *p, size_t n, const Value *const *args, Value *out, Err *err,
                  GpuCounters *c)
{
    return gpu_run_batch_on(GPU_AUTO, ctx, p, n, args, out, err, c);
}
