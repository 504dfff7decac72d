/* cost.h: the cost model of the GPU backend (issue 5): for one launch of
 * the scheduler, is the kernel backend cheaper than the CPU ops?
 *
 *   CPU time = sum over the launch's applications of the primitive's time
 *              per call (from a profile written by `battrace profile --json`:
 *              self_ns / calls; else per call + per argument cell defaults)
 *              + bringing down the arguments only the value store holds
 *   GPU time = kernel launches * launch cost + transfers * their latency
 *              + bytes of arguments the store does not hold / bandwidth
 *              + cells * device time per cell
 *              + applications * host time per application (plan, pack, unpack)
 *
 * The constants model a device (an H100 over PCIe, pageable copies) whatever
 * backend runs, so the host backend takes the decisions a device would. */
#ifndef BATTRACE_CUDA_COST_H
#define BATTRACE_CUDA_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../ops/ops.h"

typedef struct GpuCost {
    double cpu_ns[P__COUNT];  /* per call on the CPU, from a profile; 0: not profiled */
    double cpu_call_ns;       /* default per call of an unprofiled primitive */
    double cpu_cell_ns;       /* ... plus per grid cell of its arguments */
    double launch_ns;         /* one kernel launch */
    double copy_ns;           /* one transfer's fixed cost (latency, synchronization) */
    double h2d_bytes_per_ns, d2h_bytes_per_ns;
    double cell_ns;           /* device work per argument cell */
    double node_ns;           /* host work per application on the kernel path */
} GpuCost;

/* One launch as the model sees it. */
typedef struct GpuLaunchEst {
    const Prim *prim;
    uint64_t nodes;      /* applications */
    uint64_t cells;      /* grid cells of their arguments */
    uint64_t up_bytes;   /* arguments the store does not hold: uploaded on the kernel path */
    uint64_t down_bytes; /* arguments only the store holds: downloaded on the CPU path */
} GpuLaunchEst;

void gpu_cost_defaults(GpuCost *c);
/* Per-call CPU times from `battrace profile TRACE --json` output: for each
 * entry of "primitives" with a known primitive name and calls > 0,
 * cpu_ns = self_ns / calls. 0, or -1 with a message. */
int gpu_cost_load_profile(GpuCost *c, const char *path, char *err, size_t errlen);
double gpu_cost_cpu_ns(const GpuCost *c, const GpuLaunchEst *e);
double gpu_cost_gpu_ns(const GpuCost *c, const GpuLaunchEst *e);
/* The kernel backend is cheaper. */
bool gpu_cost_prefers_gpu(const GpuCost *c, const GpuLaunchEst *e);

#endif
