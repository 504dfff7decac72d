/* store.h: the value store of the GPU backend (issue 5): grids that stay in
 * device memory between launches.
 *
 * One flat int32 cell buffer in device memory (cudaMalloc'd, GPU_DEVICE) or,
 * for the host backend (GPU_HOST), in a separate host buffer that is only
 * ever reached through the same upload / download calls, so that the whole
 * protocol runs, and is counted, on machines without a GPU. A batch
 * (batch.h) uploads the grids it takes from the host into the buffer once,
 * reads grids already there by reference, and writes its output cells into
 * the buffer; a grid result stays there, named by a handle (GpuRef), until
 * something on the CPU needs it as a Value (gpu_store_materialize: its cells
 * come down and mk_grid builds it). Handles live as long as the store: the
 * buffer only grows (a bump allocator; the outputs of a batch whose results
 * all come down are taken back), up to max_cells, past which batches are
 * refused and left to the CPU.
 *
 * Not thread-safe: one thread at a time (the scheduler's GPU thread, or the
 * replay after execution). */
#ifndef BATTRACE_CUDA_STORE_H
#define BATTRACE_CUDA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../runtime/ctx.h"
#include "../runtime/value.h"

typedef struct GpuCounters {
    uint64_t launches;          /* kernel launches on the device (CUB's included) */
    uint64_t device_runs;       /* batches run on the device */
    uint64_t host_runs;         /* batches run by the host backend */
    uint64_t items_gpu;         /* applications computed on the device */
    uint64_t items_host;        /* applications computed by the host backend */
    uint64_t items_ineligible;  /* applications left for the CPU op */
    /* the transfer protocol, counted alike by both backends (the host
     * backend copies to and from its stand-in buffer): items, patches and
     * uploaded grids up; results, output cells and materialized grids down */
    uint64_t bytes_to_device, bytes_from_device;
    uint64_t args_resident;     /* grid arguments packed by reference to the store */
    uint64_t args_uploaded;     /* grid arguments whose cells were uploaded */
    uint64_t results_resident;  /* grid results left in the store (not built on the host) */
    uint64_t materialized;      /* store grids built as host Values */
    uint64_t store_full;        /* batches refused: the store had no room */
    uint64_t device_errors;     /* device runs that failed (then run on the host) */
} GpuCounters;

typedef enum GpuBackend {
    GPU_AUTO,   /* the device when there is one, else (or when it fails) the host backend */
    GPU_HOST,   /* the host backend only */
    GPU_DEVICE, /* the device only: -1 when there is none or it fails */
} GpuBackend;

/* A grid in the store: cells [off, off + h * w) row-major, all in lo..hi
 * (bounds known without reading the cells: exact for uploaded grids,
 * propagated through the kernels for results). h, w > 0. */
typedef struct GpuRef {
    int64_t off;
    int32_t h, w;
    int32_t lo, hi;
} GpuRef;

typedef struct GpuStore GpuStore;

/* The default bound of a store: 2^28 cells (1 GiB). */
#define GPU_STORE_MAX_CELLS ((size_t)1 << 28)

/* A store on the device (GPU_DEVICE) or the host stand-in (GPU_HOST; AUTO:
 * the device when there is one). NULL, with a message, when the device is
 * missing or its memory cannot be had. */
GpuStore *gpu_store_new(GpuBackend be, size_t max_cells, char *msg, size_t msglen);
void gpu_store_free(GpuStore *st);
/* GPU_HOST or GPU_DEVICE. */
GpuBackend gpu_store_backend(const GpuStore *st);
/* The grid of handle ref (0 <= ref < gpu_store_nrefs). */
const GpuRef *gpu_store_ref(const GpuStore *st, int32_t ref);
size_t gpu_store_nrefs(const GpuStore *st);
/* Cells in use, and the most ever in use. */
size_t gpu_store_used(const GpuStore *st);
size_t gpu_store_peak(const GpuStore *st);

/* The n grids refs[k] as host Values out[k], built in ctx's arena: their
 * cells come down in as few copies as their places allow. ERR_OK, the Err
 * of building one (ERR_MEMORY), or ERR_RUNTIME when a download failed (the
 * message in msg). */
Err gpu_store_materialize(GpuStore *st, Ctx *ctx, size_t n, const int32_t *refs, Value *out, GpuCounters *c,
                          char *msg, size_t msglen);

/* ---- for batch.c ---- */

/* Room for n more cells: their offset, or -1 past max_cells or when memory
 * cannot be had. */
int64_t gpu_store_reserve(GpuStore *st, size_t n);
/* Give back every cell from off on (no handle may point there). */
void gpu_store_release(GpuStore *st, int64_t off);
/* Copy n cells up to off / down from off: 0, or -1 with a message. On the
 * host stand-in, BATTRACE_FAULT_DOWNLOADS=N (read when the store is made)
 * fails every N-th download, for the tests of the recovery paths. */
int gpu_store_upload(GpuStore *st, int64_t off, const int32_t *src, size_t n, char *msg, size_t msglen);
int gpu_store_download(GpuStore *st, int32_t *dst, int64_t off, size_t n, char *msg, size_t msglen);
/* A handle for grid r (its cells already in the store); -1 when out of memory. */
int32_t gpu_store_add_ref(GpuStore *st, GpuRef r);
/* The buffer's first cell: a device pointer (GPU_DEVICE) or the stand-in's
 * host pointer; valid until the next gpu_store_reserve. */
int32_t *gpu_store_cells(GpuStore *st);

#endif
