/* record.h: the tracing mode of the interpreter.
 *
 * A Recorder implements the TraceHooks of runtime/ctx.h. While a unit (one
 * program on one sample; both calls of a batt) runs, it builds the unit's
 * call graph: a node per primitive application, statement-level ones with
 * their arguments' provenance (an earlier node, an input, a constant, a
 * primitive), nested ones (made through closures inside higher-order
 * primitives) with the values they received and a link to the node that
 * made them; a statement applying a closure is a node too. At the end of a
 * unit the nodes are streamed to the TraceWriter and dropped, so memory holds
 * only the value table.
 *
 * Recording runs on two threads: the interpreter's thread only notes values
 * (RecPending); a writer thread interns them into the value table, hashes
 * results and streams the unit, while the interpreter runs the next unit. */
#ifndef BATTRACE_RECORD_H
#define BATTRACE_RECORD_H

#include <pthread.h>

#include "../runtime/ctx.h"
#include "program.h"
#include "trace.h"

typedef struct RecFrame {
    int64_t node;      /* node index in the unit, or -1 for an unrecorded closure call */
    uint64_t t0;       /* when it started (ticks) */
    uint64_t child_ns; /* time of the frames directly inside it, with the
                          hooks' time around them (REC_HOOK_SAMPLE) */
    uint64_t pre;      /* when its enter hook began, for a sampled frame; else 0 */
    uint32_t link;     /* the parent link of nodes made inside it: the
                          nearest recorded node on the stack, index + 1 */
} RecFrame;

/* The hooks' own time around a nested node (making the node, hashing its
 * result) passes between the parent's clock reads but not the node's, so it
 * made the parent's self time: prapply(connect, ...) on the bench's batt
 * showed 122 ms of self time for 1718 calls, where run spends about 17 ms
 * in prapply and its 1.35 million connect calls together. One nested node
 * in REC_HOOK_SAMPLE of each primitive reads the clock twice more, around
 * its hooks; the mean of those samples (per primitive: the result's hashing
 * grows with it) is counted as the parent's child time, as the node's own
 * time is. Tracing overhead then falls on no node. */
#define REC_HOOK_SAMPLE 64u

typedef struct RecHookCost {
    uint64_t sum, n; /* sampled hook time (ticks) and samples */
    uint64_t mean;   /* sum / n, what each node of the primitive is credited */
    uint32_t seen;   /* nested nodes of the primitive, for sampling */
} RecHookCost;

#define REC_SMALL_CACHE 8192u /* entries, a power of two */
#define REC_HASH_CACHE 65536u /* 1 MiB: a quarter of the batt's ~400k distinct
                                 results; 8192 missed 1.1M times in 10M lookups,
                                 this 0.59M (each miss probes the value table) */

typedef struct SmallEntry {
    int64_t bits;
    int32_t c;
    uint8_t tag;
    uint32_t id;  /* value id + 1 of the value; 0 = not known */
    uint32_t hid; /* value id + 1 of its hash entry; 0 = not known */
} SmallEntry;

typedef struct HashEntry {
    uint64_t hash;
    uint8_t tag;
    uint32_t id; /* value id + 1; 0 = empty */
} HashEntry;

/* A value the interpreter's thread met and the writer's thread turns into a
 * value id (RecPendAs says how). */
enum RecPendAs {
    PEND_WHOLE,  /* the value itself */
    PEND_RESULT, /* a node's result: its content hash, unless it holds a function */
    PEND_ARG,    /* a nested node's argument: a tuple or set by its content hash
                    (unless it holds a function), anything else itself */
};

/* A value as Value's fields (tag, c, u), unpacked so that how it is recorded
 * and whether it is resolved fit in Value's padding: 24 bytes instead of 32,
 * for the 18 million the bench's batt makes. */
typedef struct RecPending {
    uint8_t tag;   /* Value.tag */
    uint8_t as;    /* RecPendAs */
    uint8_t done;  /* resolved: word holds the id */
    int32_t c;     /* Value.c */
    uint64_t u;    /* Value.u's bits */
    uint64_t word; /* until done, a result recorded by its content hash: its
                    * v_hash, made by the interpreter's thread (else 0); then
                    * the value id */
} RecPending;

/* One unit's recording. The interpreter's thread fills one while the
 * writer's thread finishes the other (see record.c). Refs with
 * REC_PENDING_BIT name a RecPending of the same unit, resolved by the writer;
 * a node's result is a pending index until then, a call's out one plus 1. */
typedef struct RecUnit {
    TraceUnit unit;
    TraceNode *nodes;
    size_t nnodes, cap_nodes;
    uint64_t *args;
    size_t nargs, cap_args;
    RecPending *pend;
    size_t npend, cap_pend;
    Arena scratch;         /* the calls' binding arrays */
} RecUnit;

#define REC_PENDING_BIT (1ull << 62)

/* The interpreter's memory of the values nested nodes received and the
 * constants statements were given in this unit (direct-mapped, REC_SEEN
 * entries): a value met again is the same pending value, resolved once by
 * the writer. */
#define REC_SEEN 1024u
typedef struct RecSeen {
    uint64_t u;     /* Value.u's bits */
    int32_t c;      /* Value.c */
    uint8_t tag;    /* Value.tag */
    uint8_t as;     /* RecPendAs */
    uint32_t unit;  /* the unit it was seen in (Recorder.unit_no; 0: none) */
    uint64_t pend;  /* its pending index there */
} RecSeen;

/* Where finished units go: tw_unit by default. */
typedef int (*RecSink)(void *data, const TraceUnit *u, const TraceNode *nodes, const uint64_t *args);

/* A unit is written when it ends, on the thread that ran it, unless
 * rec_start_writer moved writing to a thread of its own. Then units are in
 * flight between the two threads: the one being recorded and up to
 * REC_RING - 1 waiting for or being written. Units differ in cost on each
 * side (a unit heavy to run may be light to write), so a longer queue lets
 * the faster thread run ahead instead of waiting unit by unit. Whoever runs
 * units keeps REC_RING arenas and takes them in turn (rec_unit_end's rule).
 *
 * What the second thread buys depends on the machine: the writer reads
 * every node, argument and pending value the interpreter wrote, and the
 * interpreter then writes the same lines again for the unit after next.
 * Where a cache line takes 225 ns between the cores (this project's
 * machines), that traffic costs about what the writing saves: recording the
 * bench's batt, interleaved, took 1.70-2.17 s on two threads and 1.89-2.82 s
 * on one, which spent 1.8-2.1 s of CPU against 2.7 s for the two (the
 * interpreter's thread alone: about 1.0 s writing nothing, 1.5-1.6 s beside
 * the writer). Since the unit arrays keep their room and the threads spin
 * before blocking, two threads lead: `make bench` gave 1.36 s against 1.92 s
 * (2.10 s of CPU against 1.89 s). */
#define REC_RING 2

typedef struct Recorder {
    TraceHooks hooks;
    Trace *trace;          /* programs, samples, value table (the writer's) */
    TraceWriter *writer;
    RecSink sink;
    void *sink_data;
    const Program *prog;
    /* a ring: the unit being recorded is bufs[put % REC_RING]; units
     * [done, put) are handed over, bufs[done % REC_RING] is being written */
    RecUnit bufs[REC_RING];
    RecUnit *cur;
    RecFrame *stack;
    size_t depth, cap_stack;
    /* statement context */
    int call;              /* 0, or 1 for a batt's second call */
    size_t stmt;           /* statement being executed */
    int stmt_open;         /* its own application has not started yet */
    int64_t stmt_node;     /* the node its own application made, or -1 */
    uint64_t *slot_ref;    /* per slot: what the variable is bound to */
    uint64_t *bind0;       /* per statement: call 0's binding (for reuse) */
    uint64_t *bind;        /* bindings of the current call, in order */
    size_t nbind, cap_bind;
    uint64_t start_ns, start_ticks; /* for turning ticks into ns */
    uint64_t tick_cost;    /* one clock read, taken out of each hook sample */
    uint64_t aside_t0, aside_child; /* an aside's start (ticks), and the child time before it */
    size_t aside_depth;    /* the frame an aside began in, + 1; 0: none open */
    RecHookCost *hook_cost; /* per primitive (P__COUNT) */
    RecSeen *seen;         /* REC_SEEN entries */
    uint32_t unit_no;      /* units begun so far: the current one's RecSeen.unit */
    uint64_t max_nested;   /* nested nodes recorded per unit; beyond, only counted */
    int times;             /* measure each node's self time (1, the default); 0:
                              self_ns is 0 and no clock is read (record
                              --no-times: two clock reads a node; recording
                              the bench's batt, 5 pairs taking turns, took
                              1.02-1.10 s without against 1.10-1.36 s) */
    uint64_t unit_nested;
    uint64_t wait_ns;      /* the interpreter's thread waiting for the writer's */
    uint64_t write_ns;     /* writing units on the interpreter's thread (no writer's) */
    /* totals */
    uint64_t total_nodes, nested_nodes, nested_dropped;
    /* The hand-over of units, on cache lines of their own: the writer spins
     * on `done` and takes the mutex once a unit, and when nested_nodes
     * (counted on every nested node) shared a line with them, each count
     * waited for the line to come back from the writer's core. */
    char pad_handover[64];
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t put, done;    /* units handed over, units written (under mu) */
    int started, quit;
    int failed;            /* a write failed: stop */
    char pad_writer[64];
    /* the writer's thread: its caches */
    SmallEntry *small;     /* ids of small values (see record.c) */
    HashEntry *hashes;     /* ids of results' hash entries */
    pthread_t thread;
    uint64_t writer_cpu_ns;  /* CPU time of the writer's thread, once drained */
    char err[512];
} Recorder;

/* Nested nodes recorded per unit by default. A search-like cross workload
 * has runs that make tens of millions of closure calls (d22278a0 on large
 * inputs); past this many, a unit's nested applications are counted but not
 * recorded one by one, so that a trace stays within disk and memory. */
#define REC_MAX_NESTED_DEFAULT 2000000u

/* Attach to a trace and writer; set ctx->trace / ctx->trace_data to use. */
void rec_init(Recorder *r, Trace *t, TraceWriter *w);
/* The same, with units going to sink instead of a writer (replay --verify). */
void rec_init_sink(Recorder *r, Trace *t, RecSink sink, void *data);
/* From now on, units are written on a thread of their own (record
 * --threads 2); the caller then takes REC_RING arenas in turn. */
void rec_start_writer(Recorder *r);
void rec_free(Recorder *r);
/* Around each unit. rec_unit_end writes it, or hands it to the writer's
 * thread and returns once fewer than REC_RING units are unwritten; 0 or -1
 * (r->err).
 * The values of a unit must stay in place until REC_RING - 1 more units
 * were handed over: the caller takes REC_RING arenas in turn (unit k in
 * arena k % REC_RING, reset when the unit begins). */
void rec_unit_begin(Recorder *r, const Program *p, uint32_t program, uint32_t sample);
int rec_unit_end(Recorder *r, uint64_t us);
/* Wait for the writer's thread to finish every unit and stop it (before
 * closing the writer); returns 0 or -1 (r->err). rec_free calls it too. */
int rec_drain(Recorder *r);

#endif
