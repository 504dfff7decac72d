/* record.c: the tracing mode of the interpreter (see record.h).
 *
 * Two threads. The interpreter's thread, in the hooks, builds the unit's
 * nodes and refs and only notes the values it meets (RecPending). At the end
 * of the unit it hands the RecUnit to the writer's thread, which turns every
 * pending value into a value id (interning whole values, hashing results)
 * and streams the unit, while the interpreter runs the next unit into the
 * other RecUnit. The values of a unit live in the run's arena (and its spill
 * arena), so the runner alternates two of each: the one a unit reset was
 * last used two units ago, and its unit is written by then (rec_unit_end
 * waits for that). What a statement or a call inside one made past
 * CTX_RECLAIM_MIN is dropped as in run (ctx.h), once on_may_drop has hashed
 * the values noted in it: the writer then reads none of them. */
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/func.h"
#include "../runtime/xalloc.h"

#define NO_REF UINT64_MAX

/* Node timing reads the CPU's time-stamp counter where there is one: two
 * clock_gettime calls per node were an eighth of recording. Cycles are
 * turned into nanoseconds per unit, with the rate measured against the
 * monotonic clock since recording began. */
#if defined(__x86_64__) || defined(__i386__)
static inline uint64_t ticks(void) { return __builtin_ia32_rdtsc(); }
#else
static inline uint64_t ticks(void) { return now_ns(); }
#endif

/* A unit's nodes, arguments and pending values: room for this many from
 * the start. Address space only: a page is backed when first written. Grown
 * by doubling from 64, the recording of the bench's batt copied its arrays
 * some 35 times into fresh pages and unmapped the old ones, which took 0.15
 * to 0.4 s of system time of its 2 s (0.07 s with the room reserved). A
 * unit holds at most REC_MAX_NESTED_DEFAULT nested nodes unless told
 * otherwise; past the room, the arrays still grow, and where the room cannot
 * be had they grow from 64 as before. */
#define UNIT_ROOM (4u << 20)

static void *grow_unit_slow(void *p, size_t *cap, size_t need, size_t size)
{
    return grow_room(p, cap, need, size, UNIT_ROOM, 64);
}

/* Room for `need` items in a unit's array: a compare on the hooks' path. */
static inline void *grow_unit(void *p, size_t *cap, size_t need, size_t size)
{
    return need <= *cap ? p : grow_unit_slow(p, cap, need, size);
}

static void *grow_slow(void *p, size_t *cap, size_t need, size_t size) { return grow_room(p, cap, need, size, 0, 64); }

static inline void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    return need <= *cap ? p : grow_slow(p, cap, need, size);
}

/* ---- the writer's thread: values into ids ---- */

/* Small values (ints, pairs, cells, bools, None) recur across millions of
 * nested nodes (connect's points, shift's offsets) and results (sizes,
 * bools, locations): a direct-mapped cache of their ids, whole and as hash
 * entries, saves encoding and looking each one up in the value table; half
 * of the batt's results are small, and looking their hash entries up here
 * (192 KiB) rather than in the cache keyed by content hash (1 MiB, shared
 * with the tuples and sets) saves that cache's misses. */
static inline size_t small_slot(Value v)
{
    uint64_t bits = (uint64_t)v.u.i ^ ((uint64_t)(uint32_t)v.c << 20) ^ ((uint64_t)v.tag << 58);
    return (size_t)(v_mix64(bits) & (REC_SMALL_CACHE - 1));
}

static SmallEntry *small_entry(Recorder *r, Value v)
{
    SmallEntry *e = &r->small[small_slot(v)];
    if (e->tag != v.tag || e->c != v.c || e->bits != v.u.i)
        *e = (SmallEntry){v.u.i, v.c, v.tag, 0, 0};
    return e;
}

static uint32_t small_id(Recorder *r, Value v)
{
    SmallEntry *e = small_entry(r, v);
    if (!e->id)
        e->id = vt_intern(&r->trace->values, v) + 1;
    return e->id - 1;
}

static uint32_t small_hash_id(Recorder *r, Value v)
{
    SmallEntry *e = small_entry(r, v);
    if (!e->hid)
        e->hid = vt_intern_hash(&r->trace->values, v) + 1;
    return e->hid - 1;
}

/* The id of the hash entry of a value of kind tag whose v_hash is h,
 * through a cache keyed by the hash: the same results (a point, an empty
 * set) recur across the nodes. */
static uint32_t hash_id(Recorder *r, uint64_t h, uint8_t tag)
{
    HashEntry *e = &r->hashes[v_mix64(h ^ tag) & (REC_HASH_CACHE - 1)];
    if (e->id && e->hash == h && e->tag == tag)
        return e->id - 1;
    uint32_t id = vt_intern_hash_of(&r->trace->values, h, tag);
    *e = (HashEntry){h, tag, id + 1};
    return id;
}

/* Does v hold a function? Functions hash by identity, so a result holding
 * one cannot be recorded by its hash alone. */
static bool holds_function(Value v)
{
    if (v.tag == VT_FUNC)
        return true;
    if (v.tag != VT_TUPLE && v.tag != VT_SET)
        return false;
    if (v.u.seq->flags & (SEQ_ALLINT | SEQ_GRID | SEQ_PAIRS | SEQ_CELLS))
        return false;
    for (uint32_t k = 0; k < v.u.seq->n; k++)
        if (holds_function(v.u.seq->items[k]))
            return true;
    return false;
}

_Static_assert(sizeof(RecPending) == 24, "a pending value is 24 bytes");

static inline RecPending pending_of(Value v, enum RecPendAs as)
{
    RecPending p = {.tag = v.tag, .as = (uint8_t)as, .c = v.c};
    memcpy(&p.u, &v.u, sizeof p.u);
    return p;
}

static inline Value pending_value(const RecPending *p)
{
    Value v = {.tag = p->tag, .c = p->c};
    memcpy(&v.u, &p->u, sizeof v.u);
    return v;
}

/* Results, and the tuples and sets nested nodes receive, by content hash and
 * kind: what --verify compares, and what the profile counts distinct calls
 * by; interning them whole was most of recording's cost. The outputs a row
 * needs are stored whole, at the end of each call, and so is anything that
 * holds a function, since functions hash by identity. */
static uint32_t pending_id(Recorder *r, RecPending *p)
{
    if (!p->done) {
        _Static_assert(VT_NONE < VT_BOOL && VT_BOOL < VT_INT && VT_INT < VT_PAIR && VT_PAIR < VT_CELL &&
                           VT_CELL < VT_TUPLE, "the immediate kinds come first in VTag");
        Value v = pending_value(p);
        uint32_t id;
        if (v.tag <= VT_CELL) /* None, bools, ints, pairs, cells */
            id = p->as == PEND_RESULT ? small_hash_id(r, v) : small_id(r, v);
        else if (p->word) /* a result the interpreter's thread hashed */
            id = hash_id(r, p->word, v.tag);
        else if ((p->as == PEND_RESULT || (p->as == PEND_ARG && (v.tag == VT_TUPLE || v.tag == VT_SET))) &&
                 !holds_function(v))
            id = hash_id(r, v_hash(v), v.tag);
        else
            id = vt_intern(&r->trace->values, v);
        p->word = id;
        p->done = 1;
    }
    return (uint32_t)p->word;
}

/* Fetch the cache lines pending_id will read for p, a few nodes ahead:
 * results' hash entries are looked up at random in a cache of 1 MiB and an
 * index of tens of MB, and waiting on those misses one at a time was most of
 * the writer's time (it is the slower of recording's two threads). */
static inline void prefetch_pending(const Recorder *r, const RecPending *p)
{
    if (p->done || p->tag <= VT_CELL || !p->word)
        return;
    __builtin_prefetch(&r->hashes[v_mix64(p->word ^ p->tag) & (REC_HASH_CACHE - 1)]);
    vt_prefetch_hash(&r->trace->values, p->word, p->tag);
}

#define PREFETCH_AHEAD 8

static uint64_t resolve_ref(Recorder *r, RecUnit *u, uint64_t ref)
{
    if (ref == NO_REF || !(ref & REC_PENDING_BIT))
        return ref;
    return ref_make(REF_VALUE, pending_id(r, &u->pend[ref & ~REC_PENDING_BIT]));
}

/* Every pending value of u into an id, then u into the trace file. */
static int write_unit(Recorder *r, RecUnit *u)
{
    /* the unit's arena was reset before it ran: addresses seen in earlier
     * units may hold other values now */
    vt_forget_pointers(&r->trace->values);
    for (size_t k = 0; k < u->nargs; k++)
        u->args[k] = resolve_ref(r, u, u->args[k]);
    for (size_t k = 0; k < u->nnodes; k++) {
        size_t ahead = k + PREFETCH_AHEAD;
        if (ahead < u->nnodes && !u->nodes[ahead].err)
            prefetch_pending(r, &u->pend[u->nodes[ahead].result]);
        if (!u->nodes[k].err)
            u->nodes[k].result = pending_id(r, &u->pend[u->nodes[k].result]);
    }
    for (int c = 0; c < u->unit.ncalls; c++) {
        TraceCall *tc = &u->unit.calls[c];
        if (tc->out)
            tc->out = pending_id(r, &u->pend[tc->out - 1]) + 1;
        for (uint32_t b = 0; b < tc->nbind; b++)
            tc->bind[b] = resolve_ref(r, u, tc->bind[b]);
    }
    return r->sink(r->sink_data, &u->unit, u->nodes, u->args);
}

static int writer_sink(void *data, const TraceUnit *u, const TraceNode *nodes, const uint64_t *args)
{
    return tw_unit(data, u, nodes, args);
}

/* Before blocking on the condition variable, a thread waits up to SPIN_NS
 * watching the counters: units take about a millisecond each, and a
 * hand-over through the futex costs a wake-up system call, on a virtual
 * machine an interrupt between the cores, on every unit. The counters are
 * written under mu (with atomic stores) and read here without it. */
#define SPIN_NS 200000u

static uint64_t load(const uint64_t *x) { return __atomic_load_n(x, __ATOMIC_ACQUIRE); }
static void bump(uint64_t *x) { __atomic_store_n(x, *x + 1, __ATOMIC_RELEASE); }

/* Spin until done(r, arg) or SPIN_NS pass. */
static void spin_until(const Recorder *r, int (*done)(const Recorder *, uint64_t), uint64_t arg)
{
    uint64_t t0 = 0;
    for (unsigned k = 1; !done(r, arg); k++) {
        __builtin_ia32_pause();
        if (k % 64 == 0) {
            uint64_t t = now_ns();
            if (!t0)
                t0 = t;
            else if (t - t0 > SPIN_NS)
                return;
        }
    }
}

static int work_waiting(const Recorder *r, uint64_t unused)
{
    (void)unused;
    return load(&r->done) != load(&r->put) || __atomic_load_n(&r->quit, __ATOMIC_ACQUIRE);
}

static int written_down_to(const Recorder *r, uint64_t left) { return load(&r->put) - load(&r->done) <= left; }

static void *writer_main(void *arg)
{
    Recorder *r = arg;
    pthread_setname_np(pthread_self(), "bt-writer"); /* tells the threads apart in perf and top */
    for (;;) {
        spin_until(r, work_waiting, 0);
        pthread_mutex_lock(&r->mu);
        while (r->done == r->put && !r->quit)
            pthread_cond_wait(&r->cv, &r->mu);
        if (r->done == r->put)
            break;
        RecUnit *u = &r->bufs[r->done % REC_RING];
        int failed = r->failed;
        pthread_mutex_unlock(&r->mu);
        if (!failed && write_unit(r, u) != 0)
            failed = 1;
        pthread_mutex_lock(&r->mu);
        r->failed |= failed;
        bump(&r->done);
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
    }
    r->writer_cpu_ns = thread_cpu_ns();
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* 0, or -1 with r->err set when a unit failed to be written. */
static int write_status(Recorder *r, int failed)
{
    if (failed) {
        const char *why = r->writer ? tw_error(r->writer) : "";
        snprintf(r->err, sizeof r->err, "writing the trace failed%s%s", *why ? ": " : "", why);
    }
    return failed ? -1 : 0;
}

/* Wait until at most `left` handed-over units are unwritten. */
static int wait_written(Recorder *r, uint64_t left)
{
    spin_until(r, written_down_to, left);
    pthread_mutex_lock(&r->mu);
    while (r->put - r->done > left)
        pthread_cond_wait(&r->cv, &r->mu);
    int failed = r->failed;
    pthread_mutex_unlock(&r->mu);
    return write_status(r, failed);
}

/* ---- the interpreter's thread: nodes, refs, and values to resolve ---- */

/* A value the writer's thread will turn into an id: its RecPending index. */
static uint64_t pend(Recorder *r, Value v, enum RecPendAs as)
{
    RecUnit *u = r->cur;
    u->pend = grow_unit(u->pend, &u->cap_pend, u->npend + 1, sizeof *u->pend);
    u->pend[u->npend] = pending_of(v, as);
    return u->npend++;
}

/* The pending index of v recorded as `as`: the one of the same value met
 * earlier in this unit, or a new one (room made by the caller). Values are
 * compared by their bits (the same number, pair or object: a unit's values
 * stay in place until it is written). Counted in the trace of the bench's
 * batt, 7.1 of the 8.7 million nested arguments are a value met in the 1024
 * before: prapply's connect(a, b) keeps a along a row, fork gives one item
 * to both its functions, rbind's captured value recurs on every item; and
 * the few constants of a program recur on every call. Results are not
 * shared: tried, recording took longer. */
static uint64_t seen_pending(Recorder *r, RecUnit *u, Value v, enum RecPendAs as)
{
    uint64_t bits;
    memcpy(&bits, &v.u, sizeof bits);
    uint64_t key = bits ^ ((uint64_t)(uint32_t)v.c << 32) ^ ((uint64_t)v.tag << 56) ^ ((uint64_t)as << 62);
    RecSeen *e = &r->seen[v_mix64(key) & (REC_SEEN - 1)];
    if (e->unit == r->unit_no && e->u == bits && e->c == v.c && e->tag == v.tag && e->as == as)
        return e->pend;
    u->pend[u->npend] = pending_of(v, as);
    *e = (RecSeen){bits, v.c, v.tag, (uint8_t)as, r->unit_no, u->npend};
    return u->npend++;
}

/* Forget the values seen so far in this unit (their memory may hold others
 * now): a new epoch for the seen entries. */
static void forget_seen(Recorder *r)
{
    if (++r->unit_no == 0) {
        memset(r->seen, 0, REC_SEEN * sizeof *r->seen);
        r->unit_no = 1;
    }
}

/* TraceHooks.may_drop: the pending values noted since `noted` whose memory
 * the arena hands back (made since m) are needed by their content hash only,
 * so they are hashed now, as results already are, and the writer reads none
 * of them; one the writer must intern whole (a function, a value holding
 * one, a call's output) keeps everything. The seen entries go too: a value
 * made later may take a dropped one's address. */
static bool on_may_drop(void *data, const Arena *a, ArenaMark m, size_t noted)
{
    Recorder *r = data;
    RecUnit *u = r->cur;
    for (size_t k = noted; k < u->npend; k++) {
        RecPending *p = &u->pend[k];
        if (p->tag < VT_TUPLE)
            continue; /* None, bools, ints, pairs, cells: no memory */
        Value v = pending_value(p);
        if (!arena_owns_since(a, m, v_box(v)) || p->word)
            continue;
        if (p->as == PEND_WHOLE || (v.tag != VT_TUPLE && v.tag != VT_SET) || holds_function(v))
            return false;
        p->word = v_hash(v);
    }
    forget_seen(r);
    return true;
}

/* A value recorded whole (a program's constant, a safe default, the first
 * call's C): the same pending value wherever it recurs in the unit. */
static uint64_t whole_ref(Recorder *r, Value v)
{
    if (v.tag == VT_FUNC && v.u.fn->kind == FN_PRIM)
        return ref_make(REF_PRIM, (uint64_t)(v.u.fn->prim - prim_table));
    RecUnit *u = r->cur;
    u->pend = grow_unit(u->pend, &u->cap_pend, u->npend + 1, sizeof *u->pend);
    return REC_PENDING_BIT | seen_pending(r, u, v, PEND_WHOLE);
}

/* An input as a ref. A batt's first call always binds C to None, so there C
 * is recorded as that constant; REF_INPUT C always means the expected output. */
static uint64_t input_ref(Recorder *r, int input)
{
    if (input == INPUT_C && r->call == 0)
        return whole_ref(r, v_none());
    return ref_make(REF_INPUT, (uint64_t)input);
}

/* Where a statement argument comes from. */
static uint64_t arg_ref(Recorder *r, const Arg *a)
{
    switch ((ArgKind)a->kind) {
    case ARG_VAR: return r->slot_ref[a->slot];
    case ARG_INPUT: return input_ref(r, a->slot);
    case ARG_CONST: return whole_ref(r, a->value);
    case ARG_PRIM: return ref_make(REF_PRIM, (uint64_t)(a->prim - prim_table));
    }
    return NO_REF;
}

static uint64_t callee_ref(Recorder *r, const Stmt *s)
{
    if (s->callee_prim)
        return ref_make(REF_PRIM, (uint64_t)(s->callee_prim - prim_table));
    if (s->callee_slot >= 0)
        return r->slot_ref[s->callee_slot];
    return input_ref(r, -1 - s->callee_slot);
}

static void push_arg(Recorder *r, uint64_t ref)
{
    RecUnit *u = r->cur;
    u->args = grow_unit(u->args, &u->cap_args, u->nargs + 1, sizeof *u->args);
    u->args[u->nargs++] = ref;
}

/* A nested node: its arguments as the values received. Room for the node,
 * its refs and their pending values is made once (the per-item growth
 * checks and the stack walk for the parent were a fifth of the hook). */
static void new_nested(Recorder *r, RecUnit *u, TraceNode *n, int argc, const Value *args)
{
    u->args = grow_unit(u->args, &u->cap_args, u->nargs + (size_t)argc, sizeof *u->args);
    u->pend = grow_unit(u->pend, &u->cap_pend, u->npend + (size_t)argc, sizeof *u->pend);
    for (int k = 0; k < argc; k++) {
        Value v = args[k];
        uint64_t ref;
        if (v.tag == VT_FUNC && v.u.fn->kind == FN_PRIM)
            ref = ref_make(REF_PRIM, (uint64_t)(v.u.fn->prim - prim_table));
        else
            ref = REC_PENDING_BIT | seen_pending(r, u, v, PEND_ARG);
        u->args[u->nargs++] = ref;
    }
    n->nargs = (uint8_t)argc;
    r->nested_nodes++;
}

static int64_t new_node(Recorder *r, Value f, int argc, const Value *args, int direct)
{
    RecUnit *u = r->cur;
    u->nodes = grow_unit(u->nodes, &u->cap_nodes, u->nnodes + 1, sizeof *u->nodes);
    TraceNode *n = &u->nodes[u->nnodes];
    const Func *fn = f.u.fn;
    *n = (TraceNode){
        .op = fn->kind == FN_PRIM ? (uint16_t)(fn->prim - prim_table) : (uint16_t)TRACE_OP_CLOSURE,
        .parent = r->depth ? r->stack[r->depth - 1].link : 0,
        .stmt = (uint32_t)r->stmt,
        .args_at = u->nargs,
    };
    if (direct) {
        /* a statement's own application: arguments by provenance */
        const Stmt *s = &r->prog->stmts[r->stmt];
        if (fn->kind != FN_PRIM)
            push_arg(r, callee_ref(r, s));
        for (unsigned k = 0; k < s->nargs; k++)
            push_arg(r, arg_ref(r, &s->args[k]));
        n->nargs = (uint8_t)(u->nargs - n->args_at);
    } else {
        new_nested(r, u, n, argc, args);
    }
    return (int64_t)u->nnodes++;
}

/* A frame per application the trace records: a statement's own (a
 * primitive or a closure), and every primitive inside closures up to
 * max_nested a unit. A closure applied inside another application gets
 * none: it is no node, and its glue time falls to the node that applied it;
 * skipping its enter/leave work and clock reads was a tenth of the
 * interpreter thread's recording overhead. Past max_nested the primitives
 * inside a statement's application are only counted, by call_value itself
 * (TraceHooks.count_only, until the statement's application ends), with no
 * frame either: their time falls to the recorded node around them, so that
 * a profile still adds up to the run (with a frame each, that time was
 * taken from the node around and given to none), and the large batts that
 * reach the bound (hundreds of millions of such calls) record in about
 * half the time. */
static int on_apply_enter(void *data, Value f, int argc, const Value *args)
{
    Recorder *r = data;
    int direct = r->stmt_open && r->depth == 0;
    if (!direct) {
        if (f.u.fn->kind != FN_PRIM)
            return 0;
        if (r->unit_nested >= r->max_nested) { /* the bound, reached inside this statement */
            r->nested_dropped++;
            r->hooks.count_only = &r->nested_dropped;
            return 0;
        }
    }
    uint64_t pre = 0;
    if (!direct && r->times && r->hook_cost[f.u.fn->prim - prim_table].seen++ % REC_HOOK_SAMPLE == 0)
        pre = ticks();
    r->stmt_open = 0;
    int64_t node = -1;
    if (!direct || f.u.fn->kind != FN_SAFE) {
        node = new_node(r, f, argc, args, direct);
        r->unit_nested += !direct;
    }
    if (direct) {
        r->stmt_node = node;
        if (r->unit_nested >= r->max_nested) /* the bound, reached before this statement */
            r->hooks.count_only = &r->nested_dropped;
    }
    r->stack = grow(r->stack, &r->cap_stack, r->depth + 1, sizeof *r->stack);
    uint32_t link = node >= 0 ? (uint32_t)node + 1 : r->depth ? r->stack[r->depth - 1].link : 0;
    r->stack[r->depth++] = (RecFrame){node, 0, 0, pre, link};
    if (r->times) /* last: the bookkeeping above is no part of the node's time */
        r->stack[r->depth - 1].t0 = ticks();
    return 1;
}

/* The hooks' time around nested frame fr of primitive f, sampled or
 * estimated (REC_HOOK_SAMPLE); t1 is when the primitive returned. */
static uint64_t hook_ticks(Recorder *r, const RecFrame *fr, Value f, uint64_t t1)
{
    RecHookCost *c = &r->hook_cost[f.u.fn->prim - prim_table];
    if (fr->pre) {
        uint64_t spent = (fr->t0 - fr->pre) + (ticks() - t1);
        spent = spent > r->tick_cost ? spent - r->tick_cost : 0; /* the extra read's own time */
        c->sum += spent;
        c->n++;
        c->mean = c->sum / c->n;
    }
    return c->mean;
}

static void on_apply_leave(void *data, Value f, Err err, Value result)
{
    Recorder *r = data;
    RecFrame fr = r->stack[--r->depth];
    if (!r->depth) /* the statement's application ends: the next one is reported */
        r->hooks.count_only = NULL;
    uint64_t t1 = r->times ? ticks() : 0, total = t1 - fr.t0;
    if (fr.node >= 0) {
        TraceNode *n = &r->cur->nodes[fr.node];
        n->err = (uint8_t)err;
        if (!err) {
            /* a result is recorded by its content hash: made here, hashing
             * reads items the primitive has just written, in this core's
             * cache, and the writer's thread reads none of the value (it
             * read each line from this core's cache, and its v_hash and
             * holds_function were a sixth of its time; it is the slower
             * thread) */
            uint64_t p = pend(r, result, PEND_RESULT);
            if ((result.tag == VT_TUPLE || result.tag == VT_SET) && !holds_function(result))
                r->cur->pend[p].word = v_hash(result);
            n->result = (uint32_t)p;
        }
        n->self_ns = total > fr.child_ns ? total - fr.child_ns : 0;
    }
    if (r->depth && r->times)
        r->stack[r->depth - 1].child_ns += total + (fr.node >= 0 ? hook_ticks(r, &fr, f, t1) : 0);
}

/* An aside (TraceHooks): whatever the nodes inside it were credited, the
 * current frame's child time grows by the aside's whole length, so that the
 * frame's self time is what it would be without a tracer. prapply's connect
 * fast path reports 1.35 million calls on the bench's batt; counting that
 * loop as prapply's own made it the profile's second primitive by estimated
 * saving (56-70 ms of self time, where run spends 17 ms in prapply and its
 * connect calls together). */
static void on_aside_begin(void *data)
{
    Recorder *r = data;
    if (!r->times || !r->depth || r->aside_depth)
        return;
    r->aside_depth = r->depth;
    r->aside_child = r->stack[r->depth - 1].child_ns;
    r->aside_t0 = ticks();
}

static void on_aside_end(void *data)
{
    Recorder *r = data;
    if (!r->aside_depth)
        return;
    if (r->aside_depth == r->depth)
        r->stack[r->depth - 1].child_ns = r->aside_child + (ticks() - r->aside_t0);
    r->aside_depth = 0;
}

static void on_call_begin(void *data, int call)
{
    Recorder *r = data;
    r->call = call;
    r->nbind = 0;
    for (int32_t k = 0; k < r->prog->nslots; k++)
        r->slot_ref[k] = NO_REF;
}

static void bind_stmt(Recorder *r, size_t k, uint64_t ref)
{
    const Stmt *s = &r->prog->stmts[k];
    r->slot_ref[s->target] = ref;
    if (r->call == 0)
        r->bind0[k] = ref;
    r->bind = grow(r->bind, &r->cap_bind, r->nbind + 1, sizeof *r->bind);
    r->bind[r->nbind++] = ref;
}

static void on_stmt_begin(void *data, size_t index)
{
    Recorder *r = data;
    r->stmt = index;
    r->stmt_open = 1;
    r->stmt_node = -1;
}

static void on_stmt_end(void *data, size_t index, bool defaulted, Value bound)
{
    Recorder *r = data;
    r->stmt_open = 0;
    uint64_t ref = (!defaulted && r->stmt_node >= 0) ? ref_make(REF_NODE, (uint64_t)r->stmt_node)
                                                     : whole_ref(r, bound);
    bind_stmt(r, index, ref);
}

static void on_stmt_reused(void *data, size_t index)
{
    Recorder *r = data;
    bind_stmt(r, index, r->bind0[index]);
}

static void on_call_end(void *data, int call, Err err, size_t done, Value out)
{
    Recorder *r = data;
    RecUnit *u = r->cur;
    TraceCall *c = &u->unit.calls[call];
    c->err = (uint8_t)err;
    c->done = (uint32_t)done;
    c->out = err ? 0 : (uint32_t)pend(r, out, PEND_WHOLE) + 1;
    c->nbind = (uint32_t)r->nbind;
    c->bind = arena_alloc(&u->scratch, (r->nbind + 1) * sizeof *c->bind);
    if (r->nbind) /* none when the first statement ended the call: r->bind may be NULL */
        memcpy(c->bind, r->bind, r->nbind * sizeof *c->bind);
    if ((int)u->unit.ncalls < call + 1)
        u->unit.ncalls = (uint8_t)(call + 1);
}

void rec_init(Recorder *r, Trace *t, TraceWriter *w)
{
    rec_init_sink(r, t, writer_sink, w);
    r->writer = w;
}

void rec_init_sink(Recorder *r, Trace *t, RecSink sink, void *data)
{
    memset(r, 0, sizeof *r);
    r->small = xcalloc(REC_SMALL_CACHE, sizeof *r->small);
    r->seen = xcalloc(REC_SEEN, sizeof *r->seen);
    r->hashes = xcalloc(REC_HASH_CACHE, sizeof *r->hashes);
    r->hook_cost = xcalloc(P__COUNT, sizeof *r->hook_cost);
    r->tick_cost = UINT64_MAX;
    for (int k = 0; k < 64; k++) {
        uint64_t a = ticks(), b = ticks();
        if (b - a < r->tick_cost)
            r->tick_cost = b - a;
    }
    r->start_ns = now_ns();
    r->start_ticks = ticks();
    r->max_nested = REC_MAX_NESTED_DEFAULT;
    r->times = 1;
    r->trace = t;
    r->sink = sink;
    r->sink_data = data;
    for (int b = 0; b < REC_RING; b++)
        arena_init(&r->bufs[b].scratch);
    r->cur = &r->bufs[0];
    r->hooks = (TraceHooks){on_call_begin, on_call_end, on_stmt_begin, on_stmt_end,
                            on_stmt_reused, on_apply_enter, on_apply_leave, on_aside_begin, on_aside_end, NULL,
                            &r->cur->npend, on_may_drop};
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
}

void rec_start_writer(Recorder *r)
{
    xthread_create(&r->thread, writer_main, r, "the trace writer's thread");
    r->started = 1;
}

int rec_drain(Recorder *r)
{
    if (!r->started)
        return r->failed ? -1 : 0;
    int rc = wait_written(r, 0);
    pthread_mutex_lock(&r->mu);
    __atomic_store_n(&r->quit, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    r->started = 0;
    return rc;
}

void rec_free(Recorder *r)
{
    rec_drain(r);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    for (int b = 0; b < REC_RING; b++) {
        RecUnit *u = &r->bufs[b];
        free(u->nodes);
        free(u->args);
        free(u->pend);
        arena_free(&u->scratch);
    }
    free(r->stack);
    free(r->slot_ref);
    free(r->bind0);
    free(r->bind);
    free(r->small);
    free(r->seen);
    free(r->hashes);
    free(r->hook_cost);
    memset(r, 0, sizeof *r);
}

void rec_unit_begin(Recorder *r, const Program *p, uint32_t program, uint32_t sample)
{
    if (r->prog != p) {
        r->prog = p;
        free(r->slot_ref);
        free(r->bind0);
        r->slot_ref = xmalloc(((size_t)p->nslots + 1) * sizeof *r->slot_ref);
        r->bind0 = xmalloc((p->nstmts + 1) * sizeof *r->bind0);
    }
    /* cur is free: rec_unit_end waited until its last unit was written */
    RecUnit *u = r->cur;
    memset(&u->unit, 0, sizeof u->unit);
    u->unit.program = program;
    u->unit.sample = sample;
    u->nnodes = u->nargs = u->npend = 0;
    arena_reset(&u->scratch);
    r->depth = 0;
    r->unit_nested = 0;
    r->hooks.count_only = NULL;
    r->hooks.noted = &u->npend;
    forget_seen(r); /* the values of earlier units */
}

/* self_ns was measured in ticks: convert with the rate seen so far. */
static void ticks_to_ns(Recorder *r, RecUnit *u)
{
    if (!r->times)
        return;
    uint64_t dn = now_ns() - r->start_ns, dt = ticks() - r->start_ticks;
    double rate = dt ? (double)dn / (double)dt : 1.0;
    for (size_t k = 0; k < u->nnodes; k++)
        u->nodes[k].self_ns = (uint64_t)((double)u->nodes[k].self_ns * rate);
}

/* Without a writer's thread: u is written now, on this thread, which has
 * every line of it in its cache, and the next unit reuses it (a second
 * buffer would only be more fresh memory: the largest unit's arrays take
 * tens of megabytes). */
static int write_here(Recorder *r, RecUnit *u)
{
    uint64_t t0 = now_ns();
    if (!r->failed && write_unit(r, u) != 0)
        r->failed = 1;
    r->write_ns += now_ns() - t0;
    r->put++;
    r->done++;
    return write_status(r, r->failed);
}

int rec_unit_end(Recorder *r, uint64_t us)
{
    RecUnit *u = r->cur;
    ticks_to_ns(r, u);
    u->unit.us = us;
    u->unit.nnodes = (uint32_t)u->nnodes;
    r->total_nodes += u->nnodes;
    if (!r->started)
        return write_here(r, u);
    pthread_mutex_lock(&r->mu);
    bump(&r->put);
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    /* the next unit reuses the buffer (and the caller its arena) of the
     * unit REC_RING - 1 before this one: that one must be written */
    uint64_t t0 = now_ns();
    int rc = wait_written(r, REC_RING - 1);
    r->wait_ns += now_ns() - t0;
    r->cur = &r->bufs[r->put % REC_RING];
    return rc;
}
