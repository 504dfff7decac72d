/* sched.h: the scheduler and CPU execution engine of `battrace replay`.
 *
 * Given programs and units (a program on one sample), it merges the
 * statement graphs of every unit-call into one graph of distinct nodes (one
 * node per distinct application: callee key and argument keys, see
 * docs/scheduler.md), levels it, plans launches of identical operations
 * (by depth, or DyNet-style agenda), executes the launches on worker threads,
 * and replays each unit's statements with the node results. The results are
 * exactly the sequential interpreter's (runtime/interp.h), except that the
 * time and memory budgets apply per node instead of per run.
 *
 * Lifecycle: sched_build -> sched_plan -> sched_execute (once) ->
 * sched_unit_result / sched_stmt_result as often as wanted -> sched_free. */
#ifndef BATTRACE_SCHED_H
#define BATTRACE_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "../ops/ops.h"
#include "../runtime/ctx.h"
#include "../runtime/value.h"
#include "../tracer/program.h"

typedef struct SchedUnit {
    uint32_t program;      /* index into the programs array */
    Value I, S, C;         /* C: the expected output (batt second call); None if none */
    const char *task_id;   /* batt's task_id; must outlive the Sched */
} SchedUnit;               /* a solver unit = one call; a batt unit = two calls: C=None, then C */

typedef enum { POLICY_DEPTH, POLICY_AGENDA } SchedPolicy;

/* GPU backend counters (replay --gpu), see cuda/batch.h. */
typedef struct SchedGpuStats {
    uint64_t batches;        /* launches handed to the kernel backend */
    uint64_t kernel_launches;/* CUDA kernel launches (CUB's included) */
    uint64_t nodes_device;   /* nodes computed on the device */
    uint64_t nodes_host;     /* nodes computed by the host backend (the kernels' logic on the CPU) */
    uint64_t nodes_cpu_nokernel, nodes_cpu_costmodel, nodes_cpu_ineligible;
    uint64_t bytes_to_device, bytes_from_device;
    uint64_t args_resident;  /* grid arguments read in the value store (no transfer) */
    uint64_t args_uploaded;  /* grid arguments that went up (once each) */
    uint64_t results_resident; /* grid results left in the store */
    uint64_t materialized;   /* store grids brought down for the CPU or the rows */
    uint64_t store_full;     /* batches refused: the store had no room */
    uint64_t device_errors;
    uint64_t gpu_ns;         /* time in the kernel backend, packing and unpacking included */
} SchedGpuStats;

typedef struct SchedStats {
    uint64_t statements;   /* statement applications over all unit-calls */
    uint64_t nodes;        /* distinct nodes after dedup */
    uint64_t levels, launches, max_width;
    double mean_width;
    uint64_t build_ns, plan_ns, exec_ns, replay_ns;
    uint64_t nodes_run, nodes_failed;
    uint64_t result_bytes; /* kept in the results arenas after execution */
    SchedGpuStats gpu;
} SchedStats;

typedef struct Sched Sched;

/* Merge the statement graphs of all units. The programs, the units' values
 * and task ids must outlive the Sched (the units array itself is copied).
 * time_limit (seconds, 0 = none) and mem_limit (bytes, 0 = the default of
 * runtime/limits.h) apply to each node.
 * Returns NULL when a unit names a program out of range or the graph is
 * beyond 32-bit indexes. */
Sched *sched_build(const Program *const *programs, size_t nprograms, int is_batt,
                   const SchedUnit *units, size_t nunits, double time_limit, size_t mem_limit);
/* What consecutive Scheds over the same programs share (replay's windows):
 * the atoms (inputs, constants and primitives keyed by content) and each
 * program's statement keys, guard masks and liveness, made when a window
 * first meets them instead of once per window. The programs and every unit
 * value given to Scheds built in it must outlive it. One Sched at a time:
 * free it before building the next (sched_build_in returns NULL otherwise). */
typedef struct SchedShared SchedShared;
SchedShared *sched_shared_new(const Program *const *programs, size_t nprograms, int is_batt);
void sched_shared_free(SchedShared *sh);
/* sched_build's merge, with the programs and atoms of sh. */
Sched *sched_build_in(SchedShared *sh, const SchedUnit *units, size_t nunits, double time_limit,
                      size_t mem_limit);
/* Group the nodes into launches; may be called again with another policy
 * before sched_execute. */
void sched_plan(Sched *s, SchedPolicy policy);
/* Run the planned launches on `threads` pthreads (1 = the calling thread).
 * Call once, after sched_plan. */
void sched_execute(Sched *s, int threads);

/* Memory and threads lent to consecutive Scheds (replay's windows): each
 * worker's results arena (where its nodes run) and spill arena (results
 * copied out of nodes whose temporaries were dropped), reset instead of
 * freed between them, so that their pages fault in once, not once per
 * window; and the worker threads past the caller's, started once. */
typedef struct SchedWorkerArenas SchedWorkerArenas; /* one worker's two (exec.c) */
typedef struct SchedPool SchedPool;                 /* the worker threads (exec.c) */
typedef struct SchedArenas {
    int n;
    SchedWorkerArenas *w;
    SchedPool *pool; /* NULL with one worker */
} SchedArenas;
void sched_arenas_init(SchedArenas *a, int threads);
void sched_arenas_free(SchedArenas *a);
/* sched_execute with lent arenas (a->n >= threads): they are reset first,
 * so the results of a Sched executed in them before are gone. The results
 * stay valid until the next reset; sched_free leaves the arenas alone. */
void sched_execute_in(Sched *s, int threads, SchedArenas *a);

/* Hand launches to the batched-kernel backend (cuda/batch.h) before the CPU
 * workers see them: mode SCHED_GPU_DEVICE runs them on the CUDA device,
 * SCHED_GPU_HOST on the host backend (the kernels' logic compiled for the
 * CPU: the same path, for machines without a device and for tests). A launch
 * goes to the kernels when its primitive has one and the cost model chooses
 * them (below); nodes the kernels cannot compute exactly stay with the CPU
 * workers. Call before sched_execute. */
enum { SCHED_GPU_OFF, SCHED_GPU_DEVICE, SCHED_GPU_HOST };
typedef struct GpuCost GpuCost;
/* With cost non-NULL, a launch goes to the kernels when the cost model
 * (cuda/cost.h: widths and argument cells, per-call CPU times from a
 * profile) finds them cheaper, whatever min_width; cost must outlive s. */
void sched_set_gpu(Sched *s, int mode, uint32_t min_width, const GpuCost *cost);
/* After execution, grid results left on the device come down only where
 * the rows read them (appends, a solver's return); with all set, every one
 * (sched_stmt_result reads every statement: --verify). */
void sched_gpu_download_all(Sched *s, int all);

/* What one unit returned. Solver: err and out (None on error). Batt: err, o,
 * s of the first call, err_c and s_c of the second (None where the call
 * ended with an error). */
typedef struct UnitResult {
    Err err, err_c;
    Value out, o, s, s_c;
} UnitResult;
/* Replay the unit's statements with the node results; values the replay
 * builds (append tuples, o and s) go to ctx's arena. */
void sched_unit_result(Sched *s, size_t unit, Ctx *ctx, UnitResult *out);
/* For --verify: the outcome of statement `stmt` of the unit's call `call`:
 * ERR_OK with *v; the Err the node raised (with *v the safe default bound
 * when the except clause caught it, None when it ended the call); ERR__COUNT
 * when the call ended before it. Append statements give ERR_OK and None. An
 * append that fails (a budget) is only seen by sched_unit_result. */
Err sched_stmt_result(const Sched *s, size_t unit, int call, size_t stmt, Value *v);
const SchedStats *sched_stats(const Sched *s);
void sched_free(Sched *s);

/* Launch inspection, for tests and for the GPU backend. */
size_t sched_nlaunches(const Sched *s);
typedef struct LaunchInfo {
    uint32_t level;   /* depth policy: the level; agenda: the lowest level in it */
    const Prim *prim; /* NULL for closure/variable callees */
    uint32_t width;   /* nodes */
} LaunchInfo;
void sched_launch(const Sched *s, size_t k, LaunchInfo *out);
/* The node ids of launch k (width of them), and the number of nodes. */
const uint32_t *sched_launch_nodes(const Sched *s, size_t k);
size_t sched_nnodes(const Sched *s);
/* The node statement `stmt` of a unit-call applies (UINT32_MAX for appends). */
uint32_t sched_stmt_node(const Sched *s, size_t unit, int call, size_t stmt);
/* A node's level and launch signature id (equal ids: same operation). */
uint32_t sched_node_level(const Sched *s, uint32_t node);
uint32_t sched_node_sig(const Sched *s, uint32_t node);

#endif
