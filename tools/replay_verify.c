/* replay_verify.c: `battrace replay --verify` (see replay.h). Replay keeps
 * no nodes, so the trace is read again, a unit at a time: first the results
 * of the statements, checked window by window against what the scheduler
 * computed; then every unit is recorded again (tracer/recheck.h) and each
 * node, nested ones included, compared with the trace. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/interp.h"
#include "../runtime/literal.h"
#include "../runtime/xalloc.h"
#include "../tracer/recheck.h"
#include "../tracer/record.h"
#include "cli.h"
#include "replay.h"

/* What each recorded statement binding names, as a value id (-1: an error,
 * or no value). Replay keeps no nodes, and the full cross workload's would
 * take 50 GB: --verify reads the trace once more, a unit at a time, for the
 * results of the statements' nodes. */
typedef struct Bound {
    int64_t *ids;
    size_t *at;    /* per unit-call (unit * 2 + call): its first entry in ids */
    size_t n, cap, nunits;
    Progress progress; /* of the reading */
} Bound;

static void bound_unit(void *data, const Trace *t, const TraceUnit *tu)
{
    Bound *b = data;
    size_t u = t->nunits;
    if (u >= b->nunits) /* the file changed: trace_reread_units refuses it */
        return;
    for (int c = 0; c < 2; c++) {
        const TraceCall *tc = &tu->calls[c];
        uint32_t nbind = c < tu->ncalls ? tc->nbind : 0;
        b->at[u * 2 + c] = b->n;
        b->ids = grow_room(b->ids, &b->cap, b->n + nbind, sizeof *b->ids, 0, 1024);
        for (uint32_t k = 0; k < nbind; k++) {
            uint64_t ref = tc->bind[k];
            int64_t id = -1;
            if (ref_kind(ref) == REF_VALUE) {
                id = (int64_t)ref_index(ref);
            } else if (ref_kind(ref) == REF_NODE) {
                const TraceNode *n = &t->nodes[tu->first_node + ref_index(ref)];
                id = n->err ? -1 : (int64_t)n->result;
            }
            b->ids[b->n++] = id;
        }
    }
    progress_update(&b->progress, u + 1);
}

/* Bound ids of every unit of the trace at path (nunits of them); 0, or 2
 * with the reason printed. */
static int bound_read(Bound *b, const char *path, size_t nunits, int quiet)
{
    char err[1024];
    memset(b, 0, sizeof *b);
    b->nunits = nunits;
    progress_begin(&b->progress, "replay --verify", "units' statement results read", nunits, quiet);
    b->at = xcalloc(2 * nunits + 2, sizeof *b->at);
    Trace t;
    int rc = trace_reread_units(path, nunits, &t, bound_unit, b, err, sizeof err);
    trace_free(&t);
    if (rc)
        fprintf(stderr, "battrace replay: --verify: %s\n", err);
    return rc ? EXIT_USAGE : EXIT_OK;
}

static void bound_free(Bound *b)
{
    free(b->ids);
    free(b->at);
}

struct Verifier {
    ReplayJob *j;
    Sched *s;
    size_t u0;            /* the window's first unit: s knows units u0.. */
    Value *decoded;       /* per value id, NULL tag-none until decoded */
    uint8_t *have;
    uint64_t statements;
    uint64_t skipped;     /* units a budget ended, when recorded or now */
    Bound bound;
};

/* verify_call's third outcome: replay's budget ended a statement. */
#define VERIFY_BUDGET (-1)

static Value vdecode(Verifier *v, uint32_t id)
{
    if (!v->have[id]) {
        v->decoded[id] = replay_decode(v->j, id);
        v->have[id] = 1;
    }
    return v->decoded[id];
}

static int report(Verifier *v, size_t u, int call, size_t stmt, const char *what)
{
    ReplayJob *j = v->j;
    fprintf(stderr, "battrace replay: --verify: difference in unit %zu (%s on %s %s[%u]), call %d, "
                    "statement %zu: %s\n",
            u, j->names[u], j->keys[u], j->splits[u] ? "test" : "train", j->indexes[u], call, stmt, what);
    return EXIT_FAIL;
}

/* Recorded as a whole value, or by content hash and kind (HASH entries). */
static int same_as_recorded(Verifier *v, Value got, int64_t id)
{
    uint64_t hash;
    uint8_t kind;
    if (id < 0)
        return 0;
    if (vt_hash_only(&v->j->trace.values, (uint32_t)id, &hash, &kind))
        return v_hash(got) == hash && got.tag == kind;
    return content_eq(got, vdecode(v, (uint32_t)id));
}

/* Call `call` of unit u against the trace: EXIT_OK (*agreed statements
 * counted), EXIT_FAIL (reported), or VERIFY_BUDGET. */
static int verify_call(Verifier *v, size_t u, int call, uint64_t *agreed)
{
    const TraceUnit *tu = &v->j->trace.units[u];
    const TraceCall *tc = &tu->calls[call];
    const Program *p = v->j->w.programs[tu->program];
    uint32_t b = 0;
    char what[512];
    for (size_t k = 0; k < p->nstmts; k++) {
        if (p->stmts[k].kind != ST_CALL)
            continue;
        Value got;
        Err e = sched_stmt_result(v->s, u - v->u0, call, k, &got);
        if (e == ERR_TIMEOUT || e == ERR_MEMORY)
            return VERIFY_BUDGET;
        if (k < tc->done) {
            if (b >= tc->nbind)
                return report(v, u, call, k, "the trace has fewer bindings than statements");
            int64_t want = v->bound.ids[v->bound.at[2 * u + (size_t)call] + b++];
            ++*agreed;
            int ended = e == ERR__COUNT || (e && !interp_catches(&p->stmts[k], e));
            if (ended || !same_as_recorded(v, got, want)) {
                char a[160], bb[160];
                uint64_t hh;
                uint8_t kk;
                if (want >= 0 && vt_hash_only(&v->j->trace.values, (uint32_t)want, &hh, &kk))
                    snprintf(a, sizeof a, "a value of hash %016llx", (unsigned long long)hh);
                else
                    lit_repr(want >= 0 ? vdecode(v, (uint32_t)want) : v_none(), a, sizeof a);
                lit_repr(got, bb, sizeof bb);
                snprintf(what, sizeof what, "%s: recorded %s, replay gave %s",
                         p->stmts[k].callee_prim ? p->stmts[k].callee_prim->name : "variable callee", a,
                         e == ERR__COUNT ? "nothing (the call had ended)" : ended ? err_name(e) : bb);
                return report(v, u, call, k, what);
            }
        } else if (k == tc->done && tc->err) {
            if (e != (Err)tc->err) {
                snprintf(what, sizeof what, "recorded %s ending the call, replay gave %s",
                         err_name((Err)tc->err), e == ERR_OK ? "a value" : err_name(e));
                return report(v, u, call, k, what);
            }
            ++*agreed;
            return EXIT_OK;
        }
    }
    return EXIT_OK;
}

/* max_nested of the recording (META), to record again alike. */
static uint64_t recorded_max_nested(const Trace *t)
{
    uint64_t n = REC_MAX_NESTED_DEFAULT;
    cJSON *m = t->meta_json ? cJSON_Parse(t->meta_json) : NULL;
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(m, "max_nested");
    if (cJSON_IsNumber(x) && x->valuedouble >= 0)
        n = (uint64_t)x->valuedouble;
    cJSON_Delete(m);
    return n;
}

/* Every node of the trace, nested ones included: record each unit again
 * and compare (tracer/recheck.h). */
static void rechecked(void *data, const Trace *t, const TraceUnit *u)
{
    progress_update(data, t->nunits + 1);
}

static int verify_nodes(ReplayJob *j, double seconds, int quiet, RecheckStats *st)
{
    RecheckUnit *ru = calloc(j->nunits + 1, sizeof *ru);
    for (size_t u = 0; u < j->nunits; u++) {
        const SchedUnit *su = &j->units[u];
        ru[u] = (RecheckUnit){j->w.programs[su->program], su->program, su->I, su->S, su->C, su->task_id};
    }
    char err[600];
    Progress pg;
    progress_begin(&pg, "replay --verify", "units recorded again", j->nunits, quiet);
    int rc = recheck_file(j->trace_path, ru, j->nunits, j->w.pf.is_batt, recorded_max_nested(&j->trace), seconds,
                          st, rechecked, &pg, err, sizeof err);
    free(ru);
    if (rc) {
        fprintf(stderr, "battrace replay: --verify: recording again differs: %s\n", err);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

/* Statement results of the window's units against the trace. */
int verifier_window(Verifier *v, Sched *s, size_t u0, size_t u1)
{
    v->s = s;
    v->u0 = u0;
    int rc = EXIT_OK;
    for (size_t u = u0; u < u1 && rc == EXIT_OK; u++) {
        const TraceUnit *tu = &v->j->trace.units[u];
        uint64_t agreed = 0;
        rc = recheck_budget_ended(tu) ? VERIFY_BUDGET : EXIT_OK;
        for (int c = 0; c < tu->ncalls && rc == EXIT_OK; c++)
            rc = verify_call(v, u, c, &agreed);
        if (rc == VERIFY_BUDGET) {
            v->skipped++;
            rc = EXIT_OK;
        } else {
            v->statements += agreed;
        }
    }
    return rc;
}

/* After the windows: every node, by recording again. */
int verifier_finish(Verifier *v, double seconds, int quiet)
{
    RecheckStats st = {0};
    int rc = verify_nodes(v->j, seconds, quiet, &st);
    if (!rc && !quiet)
        printf("battrace replay: --verify: %llu statement results agree with the trace (%llu units a budget "
               "ended not compared); recorded again, %llu nodes of %llu units agree (%llu units a budget ended "
               "not compared)\n",
               (unsigned long long)v->statements, (unsigned long long)v->skipped, (unsigned long long)st.nodes,
               (unsigned long long)st.units, (unsigned long long)st.skipped);
    return rc;
}

Verifier *verifier_open(ReplayJob *j, int quiet, int *rc)
{
    Verifier *v = xcalloc(1, sizeof *v);
    v->j = j;
    v->decoded = xcalloc(j->trace.values.count + 1, sizeof *v->decoded);
    v->have = xcalloc(j->trace.values.count + 1, 1);
    *rc = bound_read(&v->bound, j->trace_path, j->nunits, quiet);
    return v;
}

void verifier_close(Verifier *v)
{
    if (!v)
        return;
    free(v->decoded);
    free(v->have);
    bound_free(&v->bound);
    free(v);
}
