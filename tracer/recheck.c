/* recheck.c: every recorded node checked by recording again (see recheck.h). */
#include "recheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/func.h"
#include "../runtime/interp.h"
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

/* The comparing sink; it runs on the recorder's writer thread. */
typedef struct Check {
    const Trace *t;
    Trace fresh;           /* the fresh recording's value table */
    size_t *which;         /* per unit handed over: the recorded unit */
    uint8_t *skip;         /* per unit handed over: a budget ended it now */
    size_t next;           /* units handed over and compared so far */
    Arena arena;           /* decoded values of one unit */
    Ctx ctx;
    uint64_t nodes;
    char err[512];
} Check;

static int differ(Check *c, size_t u, const char *fmt, ...)
{
    const TraceUnit *tu = &c->t->units[u];
    int n = snprintf(c->err, sizeof c->err, "unit %zu (%s on %s): ", u, c->t->programs[tu->program],
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

static int compare_calls(Check *c, size_t u, const TraceUnit *fu, const TraceUnit *tu)
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

static int compare_node(Check *c, size_t u, uint32_t k, const TraceNode *f, const uint64_t *fargs)
{
    const Trace *t = c->t;
    const TraceNode *r = &t->nodes[t->units[u].first_node + k];
    const char *name = r->op < P__COUNT ? prim_table[r->op].name : "<closure call>";
    if (f->op != r->op || f->parent != r->parent || f->stmt != r->stmt || f->nargs != r->nargs)
        return differ(c, u, "node %u (%s): recording again made another node (%s)", k, name,
                      f->op < P__COUNT ? prim_table[f->op].name : "<closure call>");
    for (unsigned a = 0; a < r->nargs; a++)
        if (!ref_same(c, fargs[f->args_at + a], t->args[r->args_at + a]))
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
    size_t u = c->which[c->next];
    int skip = c->skip[c->next];
    c->next++;
    if (skip)
        return 0;
    const TraceUnit *tu = &c->t->units[u];
    arena_reset(&c->arena);
    ctx_begin_run(&c->ctx, 0);
    if (fu->nnodes != tu->nnodes)
        return differ(c, u, "recorded %u nodes, recording again gave %u", tu->nnodes, fu->nnodes);
    if (compare_calls(c, u, fu, tu))
        return -1;
    for (uint32_t k = 0; k < tu->nnodes; k++)
        if (compare_node(c, u, k, &nodes[k], args))
            return -1;
    c->nodes += tu->nnodes;
    return 0;
}

static bool budget_ended(const TraceUnit *tu)
{
    for (int k = 0; k < tu->ncalls; k++)
        if (tu->calls[k].err == ERR_TIMEOUT || tu->calls[k].err == ERR_MEMORY)
            return true;
    return false;
}

static void run_unit(Ctx *ctx, const RecheckUnit *ru, int is_batt, double seconds)
{
    Inputs in = {ru->I, ru->S, v_none(), ru->task_id};
    ctx_begin_run(ctx, seconds);
    if (is_batt) {
        uint8_t *taint = xmalloc(ru->program->nstmts + 1);
        interp_c_taint(ru->program, taint);
        BattPair res;
        interp_batt_pair(ctx, ru->program, taint, &in, ru->C, seconds, &res);
        free(taint);
    } else {
        Value out;
        (void)interp_solver(ctx, ru->program, &in, &out);
    }
}

int recheck_units(const Trace *t, const RecheckUnit *units, size_t nunits, int is_batt, uint64_t max_nested,
                  double seconds, RecheckStats *st, char *err, size_t errlen)
{
    Check *c = xcalloc(1, sizeof *c);
    c->t = t;
    trace_init(&c->fresh);
    arena_init(&c->arena);
    ctx_init(&c->ctx, &c->arena);
    c->ctx.mem_limit = SIZE_MAX;
    c->which = xcalloc(nunits + 1, sizeof *c->which);
    c->skip = xcalloc(nunits + 1, 1);
    Recorder *r = xcalloc(1, sizeof *r);
    rec_init_sink(r, &c->fresh, check_sink, c);
    rec_start_writer(r);
    r->max_nested = max_nested;
    /* a unit's values stay in place while the writer's thread compares
     * them: REC_RING arenas in turn, as the runner does when recording */
    Arena ar[REC_RING];
    for (int a = 0; a < REC_RING; a++)
        arena_init(&ar[a]);
    Ctx ctx;
    ctx_init(&ctx, &ar[0]);
    ctx.trace = &r->hooks;
    ctx.trace_data = r;
    memset(st, 0, sizeof *st);
    size_t handed = 0;
    int rc = 0;
    for (size_t k = 0; k < nunits && !rc; k++) {
        const TraceUnit *tu = &t->units[k];
        if (budget_ended(tu)) {
            st->skipped++;
            continue;
        }
        ctx.arena = &ar[handed % REC_RING];
        arena_reset(ctx.arena);
        rec_unit_begin(r, units[k].program, units[k].program_index, tu->sample);
        run_unit(&ctx, &units[k], is_batt, seconds);
        c->which[handed] = k;
        c->skip[handed] = ctx.limit_hit == ERR_TIMEOUT || ctx.limit_hit == ERR_MEMORY;
        st->skipped += c->skip[handed];
        st->units += !c->skip[handed];
        handed++;
        rc = rec_unit_end(r, 0);
    }
    if (rec_drain(r) != 0)
        rc = -1;
    if (rc)
        snprintf(err, errlen, "%s", c->err[0] ? c->err : r->err);
    st->nodes = c->nodes;
    rec_free(r);
    free(r);
    for (int a = 0; a < REC_RING; a++)
        arena_free(&ar[a]);
    arena_free(&c->arena);
    trace_free(&c->fresh);
    free(c->which);
    free(c->skip);
    free(c);
    return rc ? -1 : 0;
}
