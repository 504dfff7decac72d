/* batch.h: the host-side batch API of the GPU backend (issue 5).
 *
 * The scheduler hands over a launch: n applications of one primitive.
 * gpu_store_run packs the eligible ones into a batch (GridBatch: one BtItem
 * per application, patch entries, and the cells of the grids that must be
 * uploaded) against a value store (store.h): a grid argument already in the
 * store is packed by reference, any other is uploaded once per batch (and
 * its new handle handed back, so that it is not uploaded again). The batch
 * runs on the store's backend: the CUDA device (device.h) or the host
 * backend (the same BT_HD kernel functions compiled for the CPU, host.h),
 * writing its output cells into the store. A grid result stays there (its
 * handle returned, its Value not built); other results (numbers, sets) come
 * down and are built as Values. Applications the kernels cannot compute
 * exactly (plan.h: ragged or empty grids, non-int cells, error cases, ...)
 * are left for the CPU op and reported as such.
 *
 * gpu_run_batch(_on) is the one-shot form: a store for the call, every
 * result built on the host.
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
#include "store.h"

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

/* Kernel launches one batch of p takes on the device (for the cost model). */
int gpu_launches_per_batch(const Prim *p);

/* ---- against a value store ---- */

/* One application: its arguments, and per argument the store handle of the
 * grid it is (or -1). A resident grid's Value may be VT_NONE when the host
 * has no copy. A grid argument uploaded by the run gets its new handle
 * written into refs[a]. */
typedef struct GpuApp {
    const Value *args;
    int32_t *refs;
} GpuApp;

/* What became of one application. */
typedef struct GpuOut {
    Err err;     /* ERR_OK; the Err of building the result (e.g. ERR_MEMORY);
                    ERR__COUNT: not eligible, left to the CPU op */
    Value v;     /* the result, when built on the host (ref < 0) */
    int32_t ref; /* >= 0: a grid result left in the store (v not built;
                    gpu_store_materialize builds it) */
} GpuOut;

/* Run n applications of p against store st; results (and Values built) in
 * ctx's arena. Returns the number computed, or -1 when the run failed (a
 * device error, or no room in the store: c->store_full): then every err is
 * ERR__COUNT, no handle was written and the store is as it was. */
int gpu_store_run(GpuStore *st, Ctx *ctx, const Prim *p, size_t n, const GpuApp *apps, GpuOut *out,
                  GpuCounters *c);

#endif
