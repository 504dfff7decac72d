/* sched_internal.h: the Sched's data, shared by the scheduler's parts:
 * build.c (graph merge and dedup), plan.c (launches), exec.c (threads),
 * replay.c (unit results, stats, inspection). Not for other modules.
 *
 * Keys are 64-bit words so that a node's key is a short array compared
 * with memcmp-like loops and hashed in O(arity):
 *   atom key    = KEY_ATOM | atom id        (a value keyed by content)
 *   binding key = node id << 16 | guard mask (the binding of a statement)
 * The guard mask has bit e set when the statement's except clause catches
 * Err e; it stands for the guard class of docs/scheduler.md. */
#ifndef BATTRACE_SCHED_INTERNAL_H
#define BATTRACE_SCHED_INTERNAL_H

#include <stdint.h>

#include "../runtime/arena.h"
#include "../runtime/xalloc.h"
#include "../cuda/cost.h"
#include "sched.h"

#define SCHED_NONE UINT32_MAX
#define KEY_ATOM (1ull << 63)
#define SCHED_MAXKEYS (1 + PROGRAM_MAX_ARGS) /* callee + arguments */

static inline uint64_t key_atom(uint32_t id) { return KEY_ATOM | id; }
static inline uint64_t key_bind(uint32_t node, uint16_t mask) { return ((uint64_t)node << 16) | mask; }
static inline int key_is_atom(uint64_t k) { return (k & KEY_ATOM) != 0; }
static inline uint32_t key_id(uint64_t k) { return (uint32_t)(k & 0xffffffffu); } /* atoms */
static inline uint32_t key_node(uint64_t k) { return (uint32_t)(k >> 16); }       /* bindings */
static inline uint16_t key_mask(uint64_t k) { return (uint16_t)k; }

/* NS_RESIDENT: done by a kernel, the grid result in the GPU value store and
 * not yet built on the host (scheduler/gpu.c builds it before any CPU
 * reader runs); NS_DOWNLOADING: a moment's mark while listing those. */
enum { NS_PENDING, NS_DONE, NS_SKIPPED, NS_RESIDENT, NS_DOWNLOADING };

typedef struct Node {
    uint64_t hash;
    Value result;      /* NS_DONE: the value; on error the callee's safe default */
    const Prim *prim;  /* primitive callee; NULL for a variable callee */
    uint32_t key_off;  /* into Sched.keys: the callee key, then the argument keys */
    uint32_t level;
    uint32_t sig;      /* launch signature */
    uint32_t uses;     /* occurrences in unit-calls that have not ended before them */
    uint32_t occ_head; /* first occurrence (a global statement index), chained by occ_next */
    uint32_t salt;     /* 0, or the statement index + 1 for applications that may build
                          a function (see identity_salt in build.c) */
    uint8_t nkeys, state, err, budget; /* budget: err is a crossed budget (ends any call) */
} Node;
_Static_assert(sizeof(Node) == 64, "a node is one cache line (see sched_window_alloc)");

/* Open-addressing hash set of ids, each id's hash in the same slot: a probe
 * is one cache miss in a table of millions (two arrays were two). */
typedef struct HSlot {
    uint64_t hash;
    uint32_t id; /* SCHED_NONE = empty */
} HSlot;

typedef struct HTab {
    HSlot *slots;
    size_t cap, n;
    int lent; /* slots from a window's arena: not freed (a grown table is malloc'd) */
} HTab;

/* Per program, computed once: what does not depend on the unit. */
typedef struct ProgInfo {
    uint64_t *fixed; /* nstmts * SCHED_MAXKEYS: atom keys of primitive callees, constants, primitives */
    uint16_t *mask;  /* per statement: the guard mask */
    uint8_t *c_taint; /* batt: per statement, 1 when it depends on C (interp_c_taint) */
    uint8_t *feeds_rows; /* per statement: its value is read by an append or returned */
} ProgInfo;

typedef struct Sig {
    uint64_t hash;
    uint32_t key_off, nkeys; /* into Sched.sig_keys */
    const Prim *prim;
} Sig;

#define SCHED_SEQ_CACHE 16384u /* input objects whose atom key is remembered */

typedef struct SeqKey {
    const void *ptr; /* a Seq, or a string's characters */
    uint8_t tag;
    uint64_t key;
} SeqKey;

/* What the Scheds of one replay share, window after window (sched.h):
 * atoms and each program's ProgInfo depend on the programs and on values
 * that outlive every window, not on the units; made once, they are not
 * hashed, compared and allocated again per window. */
struct SchedShared {
    const Program *const *programs;
    size_t nprograms;
    int is_batt, busy; /* busy: a Sched built in it is not freed yet */
    int32_t maxslots;  /* the most variable slots of a program */
    SeqKey seq_cache[SCHED_SEQ_CACHE]; /* see atom_key */
    Value *atoms; /* values keyed by content: inputs, constants, primitives */
    size_t natoms, atoms_cap;
    HTab atom_tab;
    ProgInfo *pinfo; /* per program; fixed is NULL until a window first meets it */
    uint32_t *call_keys; /* per program: keys of one call's statements, at most */
    uint64_t none_key, log_key;
    /* the window's tables (units, statements, nodes, keys, the node table,
     * launches): reset, not freed, between windows, so that their pages
     * fault in once (allocated per window, they took a new piece of the heap
     * each time, half of merging on the cross trace) */
    Arena mem;
    unsigned char *win; /* the block reserved in mem for the window's tables */
    size_t win_cap, win_used;
};

struct Sched {
    SchedShared *sh;
    int own_shared;           /* made by sched_build, freed with the Sched */
    int gpu_mode;             /* SCHED_GPU_* */
    uint32_t gpu_min_width;   /* without a cost model: narrower launches stay on the CPU */
    const GpuCost *gpu_cost;  /* the cost model (cuda/cost.h), or NULL */
    struct GpuStore *gpu_store; /* during execution with a GPU mode (gpu.c) */
    int32_t *node_ref, *atom_ref; /* per node, per atom: its grid's store handle, or -1 */
    int gpu_download_all;     /* bring every resident result down (for --verify) */
    int ncalls; /* 2 for batt programs (sh->is_batt), else 1 */
    SchedUnit *units;
    size_t nunits, nuc; /* units, unit-calls (unit * ncalls + call) */
    double time_limit;
    size_t mem_limit;

    Node *nodes;
    size_t nnodes, nodes_cap; /* nodes_cap: statements (a node per statement at most) */
    HTab node_tab;
    uint64_t *keys;
    size_t nkeys, keys_cap;   /* keys_cap: their callee and argument keys */

    Sig *sigs;
    size_t nsigs, sigs_cap;
    HTab sig_tab;
    uint64_t *sig_keys;
    size_t nsig_keys, sig_keys_cap;

    uint32_t *uc_off;   /* nuc + 1: each unit-call's first global statement index */
    uint32_t *alive;    /* per unit-call: the statement that ended it, or its nstmts */
    uint32_t *stmt_node; /* per global statement: its node, SCHED_NONE for appends */
    uint32_t *occ_next, *occ_uc; /* per global statement: occurrence chain, its unit-call */
    size_t nstmts;

    uint32_t *launch_off; /* nlaunches + 1, into launch_nodes */
    uint32_t *launch_nodes, *launch_level, *launch_sig;
    size_t nlaunches;

    int executed;
    SchedArenas *own_arenas; /* sched_execute's, freed with the Sched (else lent) */
    SchedStats st;
};

/* Allocation that exits on out-of-memory, as the arena does. */
#define SCHED_GROW(arr, n, cap, need) do { \
        if ((need) > (cap)) { \
            size_t c_ = (cap) ? (cap) * 2 : 64; \
            while (c_ < (need)) c_ *= 2; \
            (arr) = xrealloc((arr), c_ * sizeof *(arr)); \
            (cap) = c_; \
        } \
    } while (0)

uint64_t sched_mix(uint64_t h, uint64_t x);
/* n items of `size` bytes in the window's arena (SchedShared.mem): gone
 * when the next window is built, never freed one by one. */
void *sched_window_alloc(Sched *s, size_t n, size_t size);

/* The binding a statement with guard mask `mask` gets from node n:
 * ERR_OK and *v (the result, or the safe default when the guard caught the
 * error), or the Err that ends the call there. ERR__COUNT when the node did
 * not run (its arguments were dead, or no live unit-call needed it). */
static inline Err sched_binding(const Sched *s, uint32_t n, uint16_t mask, Value *v)
{
    const Node *nd = &s->nodes[n];
    if (nd->state == NS_RESIDENT) {
        /* a kernel's grid left on the device, read by no CPU node and no
         * row (gpu.c brings those down): it returned, its value unneeded */
        *v = v_none();
        return ERR_OK;
    }
    if (nd->state != NS_DONE)
        return ERR__COUNT;
    if (nd->err && (nd->budget || !((mask >> nd->err) & 1u)))
        return (Err)nd->err;
    *v = nd->result;
    return ERR_OK;
}

static inline const Program *sched_uc_program(const Sched *s, size_t uc)
{
    return s->sh->programs[s->units[uc / (size_t)s->ncalls].program];
}

static inline const ProgInfo *sched_uc_pinfo(const Sched *s, size_t uc)
{
    return &s->sh->pinfo[s->units[uc / (size_t)s->ncalls].program];
}

/* The value of atom key or live binding key k (ERR_OK), else why not. */
static inline Err sched_key_value(const Sched *s, uint64_t k, Value *v)
{
    if (key_is_atom(k)) {
        *v = s->sh->atoms[key_id(k)];
        return ERR_OK;
    }
    return sched_binding(s, key_node(k), key_mask(k), v);
}

/* The kernel backend's side of execution (gpu.c), on one thread. cpu_run
 * computes a node on the CPU (after a failed download). */
typedef void (*GpuCpuRun)(void *data, uint32_t node);
void gpu_begin(Sched *s);
void gpu_launch(Sched *s, Arena *results, size_t l, uint64_t *run, uint64_t *failed);
/* Build the resident results the CPU nodes of launches [l0, l1) read. */
void gpu_prepare_wave(Sched *s, Arena *results, size_t l0, size_t l1, GpuCpuRun cpu_run, void *data);
/* Build every resident result left; free the store. */
void gpu_end(Sched *s, Arena *results, GpuCpuRun cpu_run, void *data);

void sched_plan_depth(Sched *s);
void sched_plan_agenda(Sched *s);

#endif
