/* replay.c: units' results from the executed graph (docs/scheduler.md,
 * "Replay of the units"), per-statement outcomes for --verify, stats and
 * launch inspection.
 *
 * A unit-call walks its program's statements as interp.c does, but every
 * call statement takes its node's binding instead of calling: the result,
 * the safe default when the guard caught the error, or the error that ends
 * the call. Appends build their tuples here, in the caller's context. */
#include "../runtime/interp.h"
#include "sched_internal.h"

/* One unit-call being replayed: its statements read the same environment
 * the interpreter's would (runtime/interp.h). */
typedef struct Walk {
    const Sched *s;
    size_t uc;
    const Program *p;
    const ProgInfo *pi;
    StmtEnv env;
} Walk;

static void walk_init(Walk *w, const Sched *s, size_t unit, int call, Ctx *ctx)
{
    const SchedUnit *u = &s->units[unit];
    w->s = s;
    w->uc = unit * (size_t)s->ncalls + (size_t)call;
    w->p = s->sh->programs[u->program];
    w->pi = &s->sh->pinfo[u->program];
    Inputs in = {u->I, u->S, s->sh->is_batt && call == 0 ? v_none() : u->C, u->task_id};
    stmt_env_init(&w->env, ctx, w->p, &in);
}

/* Call statement k: bind its target from the node, or the error ending the call. */
static Err walk_call(Walk *w, size_t k)
{
    uint32_t n = w->s->stmt_node[w->s->uc_off[w->uc] + k];
    Value v;
    Err e = sched_binding(w->s, n, w->pi->mask[k], &v);
    if (e == ERR__COUNT)
        return ERR_RUNTIME; /* unreachable: a live call's nodes always run */
    if (!e)
        w->env.slots[w->p->stmts[k].target] = v;
    return e;
}

/* The statements of a unit-call; ob NULL when o is not wanted. */
static Err walk_body(Walk *w, Ctx *ctx, VBuf *ob, VBuf *sb)
{
    for (size_t k = 0; k < w->p->nstmts; k++) {
        const Stmt *st = &w->p->stmts[k];
        switch ((StmtKind)st->kind) {
        case ST_CALL: TRY(walk_call(w, k)); break;
        case ST_APPEND_O:
            if (ob)
                TRY(stmt_append(ctx, &w->env, st, ob));
            break;
        case ST_APPEND_S: TRY(stmt_append(ctx, &w->env, st, sb)); break;
        }
    }
    return ERR_OK;
}

static Err solver_result(const Sched *s, size_t unit, Ctx *ctx, Value *out)
{
    Walk w;
    ctx_begin_run(ctx, s->time_limit);
    walk_init(&w, s, unit, 0, ctx);
    Err e = walk_body(&w, ctx, NULL, NULL);
    *out = e ? v_none() : w.env.slots[w.p->ret_slot];
    return e;
}

/* One batt call, as interp.c's batt_call: o (when wanted) and s tuples. */
static Err batt_result(const Sched *s, size_t unit, int call, Ctx *ctx, Value *o, Value *sv)
{
    Walk w;
    VBuf ob, sb;
    ctx_begin_run(ctx, s->time_limit);
    walk_init(&w, s, unit, call, ctx);
    vbuf_init(&ob, ctx);
    vbuf_init(&sb, ctx);
    Err e = walk_body(&w, ctx, o ? &ob : NULL, &sb);
    if (!e && o)
        e = vbuf_tuple(&ob, o);
    if (!e)
        e = vbuf_tuple(&sb, sv);
    return e;
}

void sched_unit_result(Sched *s, size_t unit, Ctx *ctx, UnitResult *out)
{
    uint64_t t0 = now_ns();
    out->err = out->err_c = ERR_OK;
    out->out = out->o = out->s = out->s_c = v_none();
    if (!s->sh->is_batt) {
        out->err = solver_result(s, unit, ctx, &out->out);
    } else {
        out->err = batt_result(s, unit, 0, ctx, &out->o, &out->s);
        if (out->err)
            out->o = out->s = v_none();
        out->err_c = batt_result(s, unit, 1, ctx, NULL, &out->s_c);
        if (out->err_c)
            out->s_c = v_none();
    }
    s->st.replay_ns += now_ns() - t0;
}

Err sched_stmt_result(const Sched *s, size_t unit, int call, size_t stmt, Value *v)
{
    size_t uc = unit * (size_t)s->ncalls + (size_t)call;
    *v = v_none();
    if (stmt > s->alive[uc])
        return ERR__COUNT;
    uint32_t n = s->stmt_node[s->uc_off[uc] + stmt];
    if (n == SCHED_NONE)
        return stmt == s->alive[uc] ? ERR__COUNT : ERR_OK;
    const Node *nd = &s->nodes[n];
    if (nd->state != NS_DONE)
        return ERR__COUNT;
    if (stmt < s->alive[uc])
        *v = nd->result; /* the value, or the safe default the guard bound */
    return (Err)nd->err;
}

const SchedStats *sched_stats(const Sched *s) { return &s->st; }

size_t sched_nlaunches(const Sched *s) { return s->nlaunches; }

void sched_launch(const Sched *s, size_t k, LaunchInfo *out)
{
    out->level = s->launch_level[k];
    out->prim = s->sigs[s->launch_sig[k]].prim;
    out->width = s->launch_off[k + 1] - s->launch_off[k];
}

const uint32_t *sched_launch_nodes(const Sched *s, size_t k) { return s->launch_nodes + s->launch_off[k]; }

size_t sched_nnodes(const Sched *s) { return s->nnodes; }

uint32_t sched_stmt_node(const Sched *s, size_t unit, int call, size_t stmt)
{
    return s->stmt_node[s->uc_off[unit * (size_t)s->ncalls + (size_t)call] + stmt];
}

uint32_t sched_node_level(const Sched *s, uint32_t node) { return s->nodes[node].level; }

uint32_t sched_node_sig(const Sched *s, uint32_t node) { return s->nodes[node].sig; }
