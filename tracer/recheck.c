/* recheck.c: every recorded node checked by recording again (see recheck.h). */
#include "recheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/func.h"
#include "../runtime/interp.h"
#include "../runtime/limits.h"
#include "../runtime/xalloc.h"
#include "record.h"

bool content_eq(Value a, Value b)
{
    if (a.tag == VT_FUNC && b.tag == VT_FUNC) {
        const Func *f = a.u.fn, *g = b.u.fn;
        if (f == g)
            return true;
        if (f->kind != g->kind || f->arity != g->arity || f->n != g->n || f->prim != g->prim)
            return false;
        for (int k = 0; k < 3; k++)
            if (!content_eq(f->cap[k], g->cap[k]))
                return false;
        return true;
    }
    if ((a.tag == VT_TUPLE || a.tag == VT_SET) && a.tag == b.tag && v_len(a) == v_len(b)) {
        for (size_t k = 0; k < v_len(a); k++)
            if (!content_eq(v_item(a, k), v_item(b, k)))
                return false;
        return true;
    }
    return v_eq(a, b);
}

/* A recorded unit, copied for the writer's thread to compare against: a
 * trace read a unit at a time drops a unit's nodes (and may move its array
 * of units) once the next unit is read. */
typedef struct Recorded {
    size_t index;          /* in the trace */
    uint8_t skip;          /* a budget ended it now: not compared */
    TraceUnit unit;
    TraceNodes kept;       /* its nodes */
} Recorded;

/* The comparing sink; it runs on the recorder's writer thread. A unit is
 * handed over in slot[handed % REC_RING], which the recorder's ring keeps
 * from being refilled before the writer is done with it. */
typedef struct Check {
    const Trace *t;        /* the recorded programs, samples and values */
    Trace fresh;           /* the fresh recording's value table */
    Recorded slot[REC_RING];
    size_t next;           /* units handed over and compared so far */
    Arena arena;           /* decoded values of one unit */
    Ctx ctx;
    uint64_t nodes;
    char err[512];
} Check;

static int differ(Check *c, const Recorded *rec, const char *fmt, ...)
{
    const TraceUnit *tu = &rec->unit;
    int n = snprintf(c->err, sizeof c->err, "unit %zu (%s on %s): ", rec->index, c->t->programs[tu->program],
                     c->t->samples[tu->sample].key);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof c->err)
        vsnprintf(c->err + n, sizeof c->err - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* A value's content hash and kind: the entry's own, or the decoded value's. */
static bool hash_of(Check *c, const ValueTable *vt, uint32_t id, uint64_t *hash, uint8_t *kind, Value *v,
                    bool *whole)
{
    *whole = false;
    if (id >= vt->count)
        return false;
    if (vt_hash_only(vt, id, hash, kind))
        return true;
    if (vt_decode(vt, &c->ctx, id, v) != 0)
        return false;
    *hash = v_hash(*v);
    *kind = (uint8_t)v->tag;
    *whole = true;
    return true;
}

static bool value_same(Check *c, uint32_t fresh_id, uint32_t rec_id)
{
    uint64_t hf, hr;
    uint8_t kf, kr;
    Value vf, vr;
    bool wf, wr;
    if (!hash_of(c, &c->fresh.values, fresh_id, &hf, &kf, &vf, &wf) ||
        !hash_of(c, &c->t->values, rec_id, &hr, &kr, &vr, &wr))
        return false;
    if (wf && wr) /* closures hash by identity: compare them by their parts */
        return content_eq(vf, vr);
    return hf == hr && kf == kr;
}

static bool ref_same(Check *c, uint64_t fresh, uint64_t rec)
{
    if (ref_kind(fresh) != ref_kind(rec) || fresh == UINT64_MAX || rec == UINT64_MAX)
        return fresh == rec;
    if (ref_kind(fresh) == REF_VALUE)
        return value_same(c, (uint32_t)ref_index(fresh), (uint32_t)ref_index(rec));
    return fresh == rec;
}

static int compare_calls(Check *c, const Recorded *u, const TraceUnit *fu, const TraceUnit *tu)
{
    if (fu->ncalls != tu->ncalls)
        return differ(c, u, "recorded %u calls, recording again gave %u", tu->ncalls, fu->ncalls);
    for (int k = 0; k < tu->ncalls; k++) {
        const TraceCall *f = &fu->calls[k], *r = &tu->calls[k];
        if (f->err != r->err || f->done != r->done || f->nbind != r->nbind || !f->out != !r->out)
            return differ(c, u, "call %d ended otherwise: recorded %s after %u statements, now %s after %u", k,
                          r->err ? err_name((Err)r->err) : "a return", r->done,
                          f->err ? err_name((Err)f->err) : "a return", f->done);
        if (r->out && !value_same(c, f->out - 1, r->out - 1))
            return differ(c, u, "call %d returned another value", k);
        for (uint32_t b = 0; b < r->nbind; b++)
            if (!ref_same(c, f->bind[b], r->bind[b]))
                return differ(c, u, "call %d: binding %u differs", k, b);
    }
    return 0;
}

static int compare_node(Check *c, const Recorded *u, uint32_t k, const TraceNode *f, const uint64_t *fargs)
{
    const TraceNode *r = &u->kept.nodes[k];
    const char *name = r->op < P__COUNT ? prim_table[r->op].name : "<closure call>";
    if (f->op != r->op || f->parent != r->parent || f->stmt != r->stmt || f->nargs != r->nargs)
        return differ(c, u, "node %u (%s): recording again made another node (%s)", k, name,
                      f->op < P__COUNT ? prim_table[f->op].name : "<closure call>");
    for (unsigned a = 0; a < r->nargs; a++)
        if (!ref_same(c, fargs[f->args_at + a], u->kept.args[r->args_at + a]))
            return differ(c, u, "node %u (%s): argument %u differs", k, name, a + 1);
    if (f->err != r->err)
        return differ(c, u, "node %u (%s): recorded %s, recording again gave %s", k, name,
                      r->err ? err_name((Err)r->err) : "a value", f->err ? err_name((Err)f->err) : "a value");
    if (!r->err && !value_same(c, f->result, r->result))
        return differ(c, u, "node %u (%s): another result", k, name);
    return 0;
}

static int check_sink(void *data, const TraceUnit *fu, const TraceNode *nodes, const uint64_t *args)
{
    Check *c = data;
    const Recorded *rec = &c->slot[c->next++ % REC_RING];
    if (rec->skip)
        return 0;
    const TraceUnit *tu = &rec->unit;
    arena_reset(&c->arena);
    ctx_begin_run(&c->ctx, 0);
    if (fu->nnodes != tu->nnodes)
        return differ(c, rec, "recorded %u nodes, recording again gave %u", tu->nnodes, fu->nnodes);
    if (compare_calls(c, rec, fu, tu))
        return -1;
    for (uint32_t k = 0; k < tu->nnodes; k++)
        if (compare_node(c, rec, k, &nodes[k], args))
            return -1;
    c->nodes += tu->nnodes;
    return 0;
}

/* Unit tu (index u), whose nodes are nodes[0..tu->nnodes) with arguments in
 * args, into rec. */
static void keep_recorded(Recorded *rec, size_t u, const TraceUnit *tu, const TraceNode *nodes, const uint64_t *args)
{
    rec->index = u;
    rec->unit = *tu;
    rec->unit.first_node = 0;
    rec->kept.n = rec->kept.nargs = 0;
    trace_nodes_append(&rec->kept, nodes, tu->nnodes, args);
}

bool recheck_budget_ended(const TraceUnit *tu)
{
    for (int k = 0; k < tu->ncalls; k++)
        if (tu->calls[k].err == ERR_TIMEOUT || tu->calls[k].err == ERR_MEMORY)
            return true;
    return false;
}

/* plan: the batt's (NULL for solvers) */
static void run_unit(Ctx *ctx, const RecheckUnit *ru, const BattPlan *plan, double seconds)
{
    Inputs in = {ru->I, ru->S, v_none(), ru->task_id};
    ctx_begin_run(ctx, seconds);
    if (plan) {
        BattPair res;
        interp_batt_pair(ctx, ru->program, plan, &in, ru->C, seconds, &res);
    } else {
        Value out;
        (void)interp_solver(ctx, ru->program, &in, &out);
    }
}

/* Recording again, unit by unit, with the comparison on the writer's thread. */
typedef struct Rechecker {
    Check *c;
    Recorder *r;
    Arena ar[REC_RING]; /* a unit's values stay in place while the writer's thread compares them */
    Arena sp[REC_RING]; /* and the results whose temporaries were dropped (ctx.h), as record drops them */
    Ctx ctx;
    const RecheckUnit *units;
    size_t nunits;
    int is_batt;
    BattPlan plan;               /* a batt's: made once, for the program of plan_of */
    const Program *plan_of;
    double seconds;
    RecheckStats *st;
    size_t handed;
    int rc;
} Rechecker;

/* The plan of a batt unit's program, made the first time it is met (a batt
 * trace has one program; made for each unit, it cost a pass over the
 * program and two allocations per unit). */
static const BattPlan *rk_plan(Rechecker *k, const Program *p)
{
    if (k->plan_of != p) {
        if (k->plan_of)
            interp_batt_plan_free(&k->plan);
        interp_batt_plan(p, &k->plan);
        k->plan_of = p;
    }
    return &k->plan;
}

static void rk_start(Rechecker *k, const Trace *t, const RecheckUnit *units, size_t nunits, int is_batt,
                     uint64_t max_nested, double seconds, RecheckStats *st)
{
    memset(k, 0, sizeof *k);
    k->units = units;
    k->nunits = nunits;
    k->is_batt = is_batt;
    k->seconds = seconds;
    k->st = st;
    memset(st, 0, sizeof *st);
    Check *c = k->c = xcalloc(1, sizeof *c);
    c->t = t;
    trace_init(&c->fresh);
    arena_init(&c->arena);
    ctx_init(&c->ctx, &c->arena);
    c->ctx.mem_limit = SIZE_MAX;
    k->r = xcalloc(1, sizeof *k->r);
    rec_init_sink(k->r, &c->fresh, check_sink, c);
    rec_start_writer(k->r);
    k->r->max_nested = max_nested;
    for (int a = 0; a < REC_RING; a++) {
        arena_init(&k->ar[a]);
        arena_init(&k->sp[a]);
    }
    ctx_init(&k->ctx, &k->ar[0]);
    k->ctx.trace = &k->r->hooks;
    k->ctx.trace_data = k->r;
}

/* Recorded unit u (tu, its nodes and their args) against a fresh recording. */
static void rk_unit(Rechecker *k, size_t u, const TraceUnit *tu, const TraceNode *nodes, const uint64_t *args)
{
    if (k->rc || u >= k->nunits) /* past nunits the file changed: trace_reread_units refuses it */
        return;
    if (recheck_budget_ended(tu)) {
        k->st->skipped++;
        return;
    }
    const RecheckUnit *ru = &k->units[u];
    Recorded *rec = &k->c->slot[k->handed % REC_RING]; /* free: see Check */
    keep_recorded(rec, u, tu, nodes, args);
    ctx_begin_unit(&k->ctx, &k->ar[k->handed % REC_RING], &k->sp[k->handed % REC_RING], LIMIT_RUN_BYTES_DEFAULT);
    rec_unit_begin(k->r, ru->program, ru->program_index, tu->sample);
    run_unit(&k->ctx, ru, k->is_batt ? rk_plan(k, ru->program) : NULL, k->seconds);
    rec->skip = k->ctx.limit_hit == ERR_TIMEOUT || k->ctx.limit_hit == ERR_MEMORY;
    k->st->skipped += rec->skip;
    k->st->units += !rec->skip;
    k->handed++;
    k->rc = rec_unit_end(k->r, 0);
}

static int rk_finish(Rechecker *k, char *err, size_t errlen)
{
    Check *c = k->c;
    if (rec_drain(k->r) != 0)
        k->rc = -1;
    if (k->rc)
        snprintf(err, errlen, "%s", c->err[0] ? c->err : k->r->err);
    k->st->nodes = c->nodes;
    rec_free(k->r);
    free(k->r);
    if (k->plan_of)
        interp_batt_plan_free(&k->plan);
    for (int a = 0; a < REC_RING; a++) {
        arena_free(&k->ar[a]);
        arena_free(&k->sp[a]);
    }
    for (int a = 0; a < REC_RING; a++)
        trace_nodes_free(&c->slot[a].kept);
    arena_free(&c->arena);
    trace_free(&c->fresh);
    free(c);
    return k->rc ? -1 : 0;
}

int recheck_units(const Trace *t, const RecheckUnit *units, size_t nunits, int is_batt, uint64_t max_nested,
                  double seconds, RecheckStats *st, char *err, size_t errlen)
{
    Rechecker k;
    rk_start(&k, t, units, nunits, is_batt, max_nested, seconds, st);
    for (size_t u = 0; u < nunits && u < t->nunits; u++)
        rk_unit(&k, u, &t->units[u], t->nodes + t->units[u].first_node, t->args);
    return rk_finish(&k, err, errlen);
}

typedef struct FileRecheck {
    Rechecker k;
    TraceUnitFn on_unit;
    void *unit_data;
} FileRecheck;

/* trace_read_units hands over each unit with its nodes, then drops them. */
static void recheck_read_unit(void *data, const Trace *t, const TraceUnit *u)
{
    FileRecheck *f = data;
    rk_unit(&f->k, t->nunits, u, t->nodes + u->first_node, t->args);
    if (f->on_unit)
        f->on_unit(f->unit_data, t, u);
}

int recheck_file(const char *path, const RecheckUnit *units, size_t nunits, int is_batt, uint64_t max_nested,
                 double seconds, RecheckStats *st, TraceUnitFn on_unit, void *unit_data, char *err, size_t errlen)
{
    Trace t; /* filled as it is read: programs, samples and values before the first unit */
    trace_init(&t);
    FileRecheck f = {.on_unit = on_unit, .unit_data = unit_data};
    Rechecker *k = &f.k;
    rk_start(k, &t, units, nunits, is_batt, max_nested, seconds, st);
    char rerr[512];
    int read = trace_reread_units(path, nunits, &t, recheck_read_unit, &f, rerr, sizeof rerr);
    int rc = rk_finish(k, err, errlen);
    if (read) {
        snprintf(err, errlen, "%s", rerr);
        rc = -1;
    }
    trace_free(&t);
    return rc;
}
