/* batch.h: the host-side batch API of the GPU backend (issue 5).
 *
 * The scheduler hands over a launch: n applications of one primitive.
 * gpu_run_batch packs the eligible ones into a flat grid store (GridBatch:
 * int32 cells, one BtItem per application, patch entries), runs them on the
 * CUDA device when there is one (device.h) and otherwise on the host backend
 * (the same BT_HD kernel functions compiled for the CPU, host.h), and
 * unpacks the results into Values. Applications the kernels cannot compute
 * exactly (plan.h: ragged or empty grids, non-int cells, error cases, ...)
 * are left for the CPU op and reported as such.
 *
 * Counters accumulate over calls (zero them once). */
#ifndef BATTRACE_CUDA_BATCH_H
#define BATTRACE_CUDA_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../ops/ops.h"
#include "../runtime/ctx.h"
#include "../runtime/value.h"
#include "grid_kernels.h"

typedef struct GpuCounters {
    uint64_t launches;          /* kernel launches on the device (CUB's included) */
    uint64_t device_runs;       /* batches run on the device */
    uint64_t host_runs;         /* batches run by the host backend */
    uint64_t items_gpu;         /* applications computed on the device */
    uint64_t items_host;        /* applications computed by the host backend */
    uint64_t items_ineligible;  /* applications left for the CPU op */
    uint64_t bytes_to_device, bytes_from_device;
    uint64_t device_errors;     /* device runs that failed (then run on the host) */
} GpuCounters;

typedef enum GpuBackend {
    GPU_AUTO,   /* the device when there is one, else (or when it fails) the host backend */
    GPU_HOST,   /* the host backend only */
    GPU_DEVICE, /* the device only: -1 when there is none or it fails */
} GpuBackend;

/* Does primitive p have a batched kernel? */
bool gpu_has_kernel(const Prim *p);
/* Would the kernel compute p(args) exactly? args holds p's arity values. */
bool gpu_eligible(const Prim *p, const Value *args);
/* CUDA devices usable now (0 without a driver, a GPU, or nvcc at build time). */
int gpu_device_count(void);

/* Run n applications of p: args[k] points to application k's arguments.
 * For each k computed, err[k] is ERR_OK with out[k] the result (or the
 * Err of building it in ctx's arena, e.g. ERR_MEMORY past the run's budget);
 * for each k not eligible, err[k] = ERR__COUNT and out[k] is left alone.
 * Returns the number of applications computed, or -1 when the backend failed
 * (GPU_DEVICE without a device, host memory exhausted): then every err[k]
 * is ERR__COUNT. c may be NULL. */
int gpu_run_batch(Ctx *ctx, const Prim *p, size_t n, const Value *const *args, Value *out, Err *err,
                  GpuCounters *c);
int gpu_run_batch_on(GpuBackend be, Ctx *ctx, const Prim *p, size_t n, const Value *const *args,
                     Value *out, Err *err, GpuCounters *c);

/* ---- the grid store, for callers that pack and run in steps ---- */

typedef struct GridBatch {
    int kind;      /* BtKind */
    size_t n, cap; /* items packed */
    size_t *tag;   /* the caller's index of each item */
    BtItem *items;
    int32_t *cells; /* input cells */
    size_t ncells, cap_cells;
    BtPatch *patch;
    size_t npatch, cap_patch;
    size_t nout;  /* output cells */
    int32_t *out; /* after a run: nout cells (grid kinds) */
    int64_t *res; /* after a run: n results (reductions) */
} GridBatch;

/* An empty batch for primitive p, which must have a kernel. */
void grid_batch_init(GridBatch *b, const Prim *p);
/* Pack one application with the caller's tag; false when it is not eligible
 * (or host memory ran out), and then nothing was packed. */
bool grid_batch_add(GridBatch *b, const Value *args, size_t tag);
/* Compute the packed items: 0 on success, -1 on failure. */
int grid_batch_run_host(GridBatch *b);
int grid_batch_run_device(GridBatch *b, GpuCounters *c, char *msg, size_t msglen);
/* The result of packed item k (0 <= k < b->n) after a run. */
Err grid_batch_result(const GridBatch *b, Ctx *ctx, size_t k, Value *out);
void grid_batch_free(GridBatch *b);

#endif
