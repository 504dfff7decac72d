/* store.c: the value store (see store.h): a growing cell buffer on the device
 * or in a host stand-in, the handles of the grids in it, and their
 * materialization as host Values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

#include "../runtime/pyops.h"
#include "device.h"

struct GpuStore {
    GpuBackend be;         /* GPU_HOST or GPU_DEVICE */
    int32_t *mem;          /* the buffer: device memory, or the host stand-in */
    size_t used, cap, max; /* cells */
    size_t peak;
    GpuRef *refs;
    size_t nrefs, cap_refs;
    /* fault injection (host stand-in only): every fail_every-th download
     * fails as a device's would, so the recovery paths run in tests */
    unsigned fail_every, downloads;
};

/* Cells the buffer starts with (4 MiB). */
#define STORE_FIRST_CELLS ((size_t)1 << 20)
/* Materialization merges two grids' downloads when at most this many cells
 * lie between them: one copy of a few KiB more costs less than a second
 * copy's latency on a device. */
#define STORE_MERGE_GAP 1024

static int buffer_alloc(GpuStore *st, int32_t **p, size_t cells, char *msg, size_t msglen)
{
    if (st->be == GPU_DEVICE)
        return bt_dev_alloc((void **)p, cells * sizeof **p, msg, msglen);
    *p = malloc(cells * sizeof **p);
    if (!*p)
        snprintf(msg, msglen, "out of host memory for the store's %zu cells", cells);
    return *p ? 0 : -1;
}

static void buffer_free(GpuStore *st, int32_t *p)
{
    if (st->be == GPU_DEVICE)
        bt_dev_free(p);
    else
        free(p);
}

GpuStore *gpu_store_new(GpuBackend be, size_t max_cells, char *msg, size_t msglen)
{
    if (be == GPU_AUTO)
        be = bt_device_count() > 0 ? GPU_DEVICE : GPU_HOST;
    if (be == GPU_DEVICE && bt_device_count() == 0) {
        snprintf(msg, msglen, "no CUDA device");
        return NULL;
    }
    GpuStore *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(msg, msglen, "out of host memory");
        return NULL;
    }
    st->be = be;
    const char *fault = be == GPU_HOST ? getenv("BATTRACE_FAULT_DOWNLOADS") : NULL;
    st->fail_every = fault ? (unsigned)strtoul(fault, NULL, 10) : 0;
    st->max = max_cells ? max_cells : GPU_STORE_MAX_CELLS;
    st->cap = st->max < STORE_FIRST_CELLS ? st->max : STORE_FIRST_CELLS;
    if (buffer_alloc(st, &st->mem, st->cap, msg, msglen) != 0) {
        free(st);
        return NULL;
    }
    return st;
}

void gpu_store_free(GpuStore *st)
{
    if (!st)
        return;
    buffer_free(st, st->mem);
    free(st->refs);
    free(st);
}

GpuBackend gpu_store_backend(const GpuStore *st) { return st->be; }
const GpuRef *gpu_store_ref(const GpuStore *st, int32_t ref) { return &st->refs[ref]; }
size_t gpu_store_nrefs(const GpuStore *st) { return st->nrefs; }
size_t gpu_store_used(const GpuStore *st) { return st->used; }
size_t gpu_store_peak(const GpuStore *st) { return st->peak; }
int32_t *gpu_store_cells(GpuStore *st) { return st->mem; }

/* A larger buffer with the cells in use copied over (on the device: a
 * device-to-device copy; handles are offsets, so they stay valid). */
static int grow_buffer(GpuStore *st, size_t need)
{
    size_t cap = st->cap;
    while (cap < need)
        cap = cap > st->max / 2 ? st->max : cap * 2;
    int32_t *p;
    char msg[256];
    if (buffer_alloc(st, &p, cap, msg, sizeof msg) != 0)
        return -1;
    int rc = 0;
    if (st->be == GPU_DEVICE)
        rc = bt_dev_copy(p, st->mem, st->used * sizeof *p, BT_ON_DEVICE, msg, sizeof msg);
    else if (st->used)
        memcpy(p, st->mem, st->used * sizeof *p);
    if (rc != 0) {
        buffer_free(st, p);
        return -1;
    }
    buffer_free(st, st->mem);
    st->mem = p;
    st->cap = cap;
    return 0;
}

int64_t gpu_store_reserve(GpuStore *st, size_t n)
{
    if (n > st->max - st->used)
        return -1;
    if (st->used + n > st->cap && grow_buffer(st, st->used + n) != 0)
        return -1;
    int64_t off = (int64_t)st->used;
    st->used += n;
    st->peak = st->used > st->peak ? st->used : st->peak;
    return off;
}

void gpu_store_release(GpuStore *st, int64_t off)
{
    if (off >= 0 && (size_t)off < st->used)
        st->used = (size_t)off;
}

int gpu_store_upload(GpuStore *st, int64_t off, const int32_t *src, size_t n, char *msg, size_t msglen)
{
    if (!n)
        return 0;
    if (st->be == GPU_DEVICE)
        return bt_dev_copy(st->mem + off, src, n * sizeof *src, BT_TO_DEVICE, msg, msglen);
    memcpy(st->mem + off, src, n * sizeof *src);
    return 0;
}

int gpu_store_download(GpuStore *st, int32_t *dst, int64_t off, size_t n, char *msg, size_t msglen)
{
    if (!n)
        return 0;
    if (st->be == GPU_DEVICE)
        return bt_dev_copy(dst, st->mem + off, n * sizeof *dst, BT_FROM_DEVICE, msg, msglen);
    if (st->fail_every && ++st->downloads % st->fail_every == 0) {
        snprintf(msg, msglen, "injected download failure (BATTRACE_FAULT_DOWNLOADS)");
        return -1;
    }
    memcpy(dst, st->mem + off, n * sizeof *dst);
    return 0;
}

int32_t gpu_store_add_ref(GpuStore *st, GpuRef r)
{
    if (st->nrefs >= INT32_MAX)
        return -1;
    if (st->nrefs == st->cap_refs) {
        size_t n = st->cap_refs ? st->cap_refs * 2 : 1024;
        GpuRef *q = realloc(st->refs, n * sizeof *q);
        if (!q)
            return -1;
        st->refs = q;
        st->cap_refs = n;
    }
    st->refs[st->nrefs] = r;
    return (int32_t)st->nrefs++;
}

/* ---- materialization ---- */

typedef struct Want {
    int64_t off;
    size_t k; /* index into refs / out */
} Want;

static int cmp_want(const void *a, const void *b)
{
    const Want *x = a, *y = b;
    return (x->off > y->off) - (x->off < y->off);
}

static size_t ref_cells(const GpuRef *r) { return (size_t)r->h * (size_t)r->w; }

/* Download the cells of wants [i, j) (sorted by place) as one span into buf;
 * their grids built into out. */
static Err build_span(GpuStore *st, Ctx *ctx, const Want *want, size_t i, size_t j, const int32_t *refs,
                      Value *out, GpuCounters *c, char *msg, size_t msglen)
{
    int64_t lo = want[i].off, hi = lo;
    for (size_t t = i; t < j; t++) {
        int64_t end = want[t].off + (int64_t)ref_cells(&st->refs[refs[want[t].k]]);
        hi = end > hi ? end : hi;
    }
    size_t n = (size_t)(hi - lo), most = 0;
    for (size_t t = i; t < j; t++)
        most = ref_cells(&st->refs[refs[want[t].k]]) > most ? ref_cells(&st->refs[refs[want[t].k]]) : most;
    int32_t *buf = malloc((n ? n : 1) * sizeof *buf);
    int64_t *cells = malloc((most ? most : 1) * sizeof *cells);
    Err e = ERR_MEMORY;
    if (!buf || !cells)
        goto done;
    e = ERR_RUNTIME;
    if (gpu_store_download(st, buf, lo, n, msg, msglen) != 0)
        goto done;
    c->bytes_from_device += n * sizeof *buf;
    e = ERR_OK;
    for (size_t t = i; t < j && e == ERR_OK; t++) {
        const GpuRef *r = &st->refs[refs[want[t].k]];
        const int32_t *src = buf + (want[t].off - lo);
        for (size_t q = 0; q < ref_cells(r); q++)
            cells[q] = src[q];
        e = mk_grid(ctx, (size_t)r->h, (size_t)r->w, cells, &out[want[t].k]);
        c->materialized += e == ERR_OK;
    }
done:
    free(buf);
    free(cells);
    return e;
}

Err gpu_store_materialize(GpuStore *st, Ctx *ctx, size_t n, const int32_t *refs, Value *out, GpuCounters *c,
                          char *msg, size_t msglen)
{
    GpuCounters dummy = {0};
    if (!c)
        c = &dummy;
    if (!n)
        return ERR_OK;
    Want *want = malloc(n * sizeof *want);
    if (!want)
        return ERR_MEMORY;
    for (size_t k = 0; k < n; k++)
        want[k] = (Want){st->refs[refs[k]].off, k};
    qsort(want, n, sizeof *want, cmp_want);
    Err e = ERR_OK;
    for (size_t i = 0; i < n && e == ERR_OK;) {
        int64_t end = want[i].off + (int64_t)ref_cells(&st->refs[refs[want[i].k]]);
        size_t j = i + 1;
        for (; j < n && want[j].off <= end + STORE_MERGE_GAP; j++) {
            int64_t e2 = want[j].off + (int64_t)ref_cells(&st->refs[refs[want[j].k]]);
            end = e2 > end ? e2 : end;
        }
        e = build_span(st, ctx, want, i, j, refs, out, c, msg, msglen);
        i = j;
    }
    free(want);
    return e;
}
