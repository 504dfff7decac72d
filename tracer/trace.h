/* trace.h: a recorded trace in memory (see docs/trace-format.md).
 *
 * The recorder (record.c) fills a Trace while the interpreter runs; the
 * writer streams it to disk; the reader loads a file back, checking every
 * length, index and checksum so that a truncated or corrupted file is
 * refused with a message, never a crash. Values live in a ValueTable: each
 * distinct value once, in the encoding of the file, decoded on demand. */
#ifndef BATTRACE_TRACE_H
#define BATTRACE_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "../runtime/arena.h"
#include "../runtime/ctx.h"
#include "../runtime/value.h"

#define TRACE_VERSION 4
#define TRACE_HEADER_SIZE 64
#define TRACE_OP_CLOSURE 65535u /* a statement applying a closure */

enum TraceSection { SEC_META = 1, SEC_SOURCE, SEC_PROGRAMS, SEC_SAMPLES, SEC_VALUES, SEC_UNITS };
enum RefKind { REF_NODE = 0, REF_INPUT = 1, REF_VALUE = 2, REF_PRIM = 3 };
static inline uint64_t ref_make(unsigned kind, uint64_t index) { return index << 2 | kind; }
static inline unsigned ref_kind(uint64_t ref) { return (unsigned)(ref & 3u); }
static inline uint64_t ref_index(uint64_t ref) { return ref >> 2; }

/* ---- values: each distinct value once, as encoded bytes ---- */
typedef struct ValueTable {
    uint8_t *bytes;     /* all encodings, back to back */
    size_t len, cap;
    uint64_t *offset;   /* value id -> start in bytes */
    uint64_t *hash;     /* value id -> the hash of its encoding; 0 = not indexed
                           (a table read from a file) */
    uint32_t count, cap_ids;
    struct VtSlot *slots; /* open-addressing index: hash -> id, offset (values.c) */
    size_t nslots;
    struct VtPtr *ptrs; /* pointer cache: Seq* / Func* -> id (vt_forget_pointers) */
    size_t nptrs, ptr_used;
    uint32_t ptr_gen;
    uint32_t *stack;    /* ids of the parts of values being interned */
    size_t stack_len, stack_cap;
} ValueTable;

void vt_init(ValueTable *vt);
void vt_free(ValueTable *vt);
/* The id of v, adding it (and its parts) when new. For a table being
 * recorded into (a table read from a file is for vt_decode only). */
uint32_t vt_intern(ValueTable *vt, Value v);
/* Turn on (first call) and clear the cache that maps heap values (Seq*,
 * Func*) to their ids, so a value seen again costs one probe. Call it before
 * every run whose arena may reuse addresses (after arena_reset). Without a
 * call the cache stays off and interning goes by content alone. */
void vt_forget_pointers(ValueTable *vt);
/* Build vt from a VALUES payload of n encodings, checking every tag, length,
 * range and REF (a REF names a lower id). Returns 0, or -1 with *bad_at the
 * offset in data of the first malformed byte and vt left empty. */
int vt_load(ValueTable *vt, const uint8_t *data, size_t len, uint64_t n, size_t *bad_at);
/* The id of an entry holding only v's content hash and kind (no value). */
uint32_t vt_intern_hash(ValueTable *vt, Value v);
/* The same for a value of kind `tag` (a VTag) whose v_hash is h. */
uint32_t vt_intern_hash_of(ValueTable *vt, uint64_t h, uint8_t tag);
/* Fetch into the caches the index slot vt_intern_hash_of(vt, h, tag) will
 * probe first: a hint, with no effect on the table. */
void vt_prefetch_hash(const ValueTable *vt, uint64_t h, uint8_t tag);
/* Is id such an entry? Then its hash and kind. */
int vt_hash_only(const ValueTable *vt, uint32_t id, uint64_t *hash, uint8_t *kind);
/* Decode value id into ctx's arena. Returns 0, or -1 on a malformed entry
 * (or a hash-only one). */
int vt_decode(const ValueTable *vt, Ctx *ctx, uint32_t id, Value *out);

/* ---- the graph ---- */
typedef struct TraceNode {
    uint16_t op;        /* primitive table index, or TRACE_OP_CLOSURE */
    uint8_t err;        /* Err; 0 = returned */
    uint8_t nargs;
    uint32_t parent;    /* 0: applied by a statement; k: inside node k-1 of the unit */
    uint32_t stmt;      /* statement index */
    uint32_t result;    /* value id when err == 0 */
    uint64_t self_ns;
    uint64_t args_at;   /* index of its first ref in Trace.args; a closure
                           call's first ref is the callee */
} TraceNode;

typedef struct TraceCall {
    uint8_t err;
    uint32_t done;
    uint32_t out;       /* value id + 1; 0 = none */
    uint32_t nbind;
    uint64_t *bind;     /* refs */
} TraceCall;

typedef struct TraceUnit {
    uint32_t program, sample;
    uint64_t us;
    uint8_t ncalls;
    TraceCall calls[2];
    uint64_t first_node; /* index into Trace.nodes */
    uint32_t nnodes;
} TraceUnit;

typedef struct TraceSample {
    char *key;
    uint8_t split;
    uint32_t index;
    uint32_t input, output, S; /* value ids */
    uint8_t has_output;
} TraceSample;

typedef struct Trace {
    char *meta_json;      /* META section */
    char *source;         /* SOURCE section */
    size_t source_len;
    char **programs;      /* names, run order */
    uint32_t nprograms;
    TraceSample *samples;
    uint32_t nsamples;
    ValueTable values;
    TraceUnit *units;
    uint64_t nunits, cap_units;
    TraceNode *nodes;
    uint64_t nnodes, cap_nodes;
    uint64_t *args;       /* argument refs of all nodes */
    uint64_t nargs, cap_args;
    int is_batt;
    Arena arena;          /* strings and binding arrays */
} Trace;

void trace_init(Trace *t);
/* Frees the value table, units, nodes and args (malloc'd, growable) and
 * t->arena, which holds everything else the reader makes (names, samples,
 * keys, binding arrays, META and SOURCE copies); leaves t as trace_init does. */
void trace_free(Trace *t);

/* Streaming writer: units go to disk as they are recorded, so recording a
 * large workload keeps only the value table in memory. */
typedef struct TraceWriter TraceWriter;
/* Create path.tmp.<pid> and write the sections known up front (SOURCE,
 * PROGRAMS, SAMPLES: t's programs, samples and source). NULL + message on
 * failure. */
TraceWriter *tw_open(const char *path, const Trace *t, char *err, size_t errlen);
/* Append one unit with its nodes (refs in args, as TraceNode.args_at says). */
int tw_unit(TraceWriter *w, const TraceUnit *u, const TraceNode *nodes, const uint64_t *args);
/* Write VALUES (t->values) and META (meta_json), the header and checksum,
 * then rename into place. Returns 0, or -1 with a message (the temporary
 * file is removed). Frees w either way. */
int tw_close(TraceWriter *w, const Trace *t, const char *meta_json, char *err, size_t errlen);
/* Drop a writer without producing a file. */
void tw_abort(TraceWriter *w);
/* The writer tw_open opens next has its temporary file removed by SIGINT,
 * SIGTERM and SIGHUP before they end the process, from before the file is
 * created until the writer is closed or dropped (one writer at a time). */
void tw_remove_on_signal(void);
/* Bytes written so far. */
uint64_t tw_bytes(const TraceWriter *w);
/* Why the last write failed ("" while none has): the file and the system's
 * reason. */
const char *tw_error(const TraceWriter *w);
/* Read path into t. Returns 0, or 2 with `path: message` in err (bad magic,
 * version, size, checksum, or any malformed section); t is left empty. */
int trace_read(const char *path, Trace *t, char *err, size_t errlen);
/* Same from memory (the fuzz target's entry point). */
int trace_read_mem(const uint8_t *data, size_t size, const char *name, Trace *t, char *err,
                   size_t errlen);
/* With flags: TRACE_READ_NO_NODES steps over every unit's nodes (checked
 * for length only; the checksum still covers them) and keeps none: units
 * have nnodes 0 and t has no nodes, and the calls' bindings (which name
 * nodes) are checked and not kept: nbind counts them, bind is NULL. That is
 * all a replay without --verify needs (the scheduler works from the
 * programs and the units' samples). */
#define TRACE_READ_NO_NODES 1u
int trace_read_ex(const char *path, unsigned flags, Trace *t, char *err, size_t errlen);
/* Read path as trace_read does, one unit's nodes at a time: once a unit is
 * read, on_unit(data, t, u) sees its nodes at t->nodes[0 .. u->nnodes) and
 * their refs in t->args; then they are dropped (t ends with no nodes; units
 * keep their nnodes). Memory holds the values, the units and the largest
 * unit's nodes, not every node: a trace of the full cross workload has a
 * billion nodes, 50 GB or more once read whole. The checksum is checked
 * before the first call; META is read before the units (that its count
 * matches them, after). A malformed unit stops the reading: the units before it were
 * seen, and the return is as trace_read's. */
typedef void (*TraceUnitFn)(void *data, const Trace *t, const TraceUnit *u);
int trace_read_units(const char *path, Trace *t, TraceUnitFn on_unit, void *data, char *err, size_t errlen);
/* trace_read_units again, for a second pass over a trace read before with
 * nunits units: a file whose count differs is refused (2, "changed while it
 * was read"), as a damaged one is. */
int trace_reread_units(const char *path, uint64_t nunits, Trace *t, TraceUnitFn on_unit, void *data, char *err,
                       size_t errlen);
/* A count META gives (a non-negative number), or 0 when it gives none. */
uint64_t trace_meta_count(const Trace *t, const char *key);
/* The unit count META gives (known before the first unit is handed over,
 * for a progress line), or 0 when it gives none. */
uint64_t trace_meta_units(const Trace *t);
/* Nodes copied out of what trace_read_units hands over (which it drops once
 * the next unit is read), their args_at counted in args. */
typedef struct TraceNodes {
    TraceNode *nodes;
    uint64_t *args;
    size_t n, nargs, cap, cap_args;
} TraceNodes;
/* Append n nodes whose refs are in args (as a Trace's: args_at indexes it). */
void trace_nodes_append(TraceNodes *to, const TraceNode *nodes, size_t n, const uint64_t *args);
void trace_nodes_free(TraceNodes *to);
/* The same from memory (the fuzz target reads both ways). */
int trace_read_mem_units(const uint8_t *bytes, size_t size, const char *name, Trace *t, TraceUnitFn on_unit,
                         void *data, char *err, size_t errlen);
int trace_read_mem_ex(const uint8_t *data, size_t size, const char *name, unsigned flags, Trace *t, char *err,
                      size_t errlen);

#endif
