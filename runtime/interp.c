/* interp.c: the sequential interpreter (see interp.h). */
#include "interp.h"

#include <stdlib.h>
#include <string.h>

#include "func.h"
#include "xalloc.h"

void stmt_env_init(StmtEnv *env, Ctx *ctx, const Program *p, const Inputs *in)
{
    env->in[INPUT_I] = in->I;
    env->in[INPUT_S] = in->S;
    env->in[INPUT_C] = in->C;
    env->in[INPUT_TASK_ID] = v_str(in->task_id ? in->task_id : "");
    env->in[INPUT_LOG_PATH] = v_str("/dev/null"); /* what pyref.py passes */
    env->frame = ctx_alloc(ctx, (size_t)frame_size(p) * sizeof *env->frame);
    memcpy(env->frame, env->in, sizeof env->in);
    env->slots = env->frame + frame_slot(0);
    for (int32_t k = 0; k < p->nslots; k++)
        env->slots[k] = v_none();
    if (p->npool)
        memcpy(env->frame + frame_pool(p), p->pool, (size_t)p->npool * sizeof *p->pool);
}

Value stmt_arg(const StmtEnv *env, const Arg *a)
{
    switch ((ArgKind)a->kind) {
    case ARG_VAR: return env->slots[a->slot];
    case ARG_INPUT: return env->in[a->slot];
    case ARG_CONST: return a->value;
    case ARG_PRIM: return prim_value(a->prim);
    }
    return v_none();
}

Value stmt_callee(const StmtEnv *env, const Stmt *s)
{
    if (s->callee_prim)
        return prim_value(s->callee_prim);
    if (s->callee_slot >= 0)
        return env->slots[s->callee_slot];
    return env->in[-1 - s->callee_slot];
}

Err stmt_append(Ctx *ctx, const StmtEnv *env, const Stmt *s, VBuf *list)
{
    Seq *items = seq_alloc(ctx, s->nargs); /* in place: no copy, and nothing for GCC to think unset */
    if (!items)
        return ERR_MEMORY;
    if (s->fast)
        for (unsigned k = 0; k < s->nargs; k++)
            v_copy(&items->items[k], &env->frame[s->at[k]]);
    else
        for (unsigned k = 0; k < s->nargs; k++)
            items->items[k] = stmt_arg(env, &s->args[k]);
    return vbuf_push(list, s->flagless ? seq_tuple_flagged(items, 0) : seq_finish_tuple(items));
}

bool interp_catches(const Stmt *s, Err e)
{
    if (!s->guarded)
        return false;
    if (s->catch_all)
        return true;
    for (unsigned k = 0; k < s->ncatch; k++)
        if (err_caught_by(e, s->catch_names[k]) == 1)
            return true;
    return false;
}

/* Execute statement index k (a call); an error it does not absorb is returned.
 * The result goes straight to its slot: a primitive stores a value as two
 * 8-byte halves, and copying it on from a local at once read it back with
 * one 16-byte load that the stores could not forward to (see v_copy; a
 * fifth of this function's time). The arguments were copied out first, so the slot may
 * be one of them; a statement that raises leaves its slot to the safe
 * default, or ends the call. */
static inline __attribute__((always_inline)) Err exec_call(Ctx *ctx, StmtEnv *f, const Stmt *s, size_t k)
{
    Value args[PROGRAM_MAX_ARGS], fn;
    Value *result = &f->slots[s->target];
    if (s->fast) { /* by frame index, all four: see FRAME_INPUTS */
        const Value *fr = f->frame;
        _Static_assert(STMT_FAST_ARGS == 4, "the copies below");
        /* by halves: an argument is often the slot the statement before just wrote (see v_copy) */
        v_copy(&args[0], &fr[s->at[0]]);
        v_copy(&args[1], &fr[s->at[1]]);
        v_copy(&args[2], &fr[s->at[2]]);
        v_copy(&args[3], &fr[s->at[3]]);
        v_copy(&fn, &fr[s->callee_at]);
    } else {
        fn = stmt_callee(f, s);
        for (unsigned a = 0; a < s->nargs; a++)
            args[a] = stmt_arg(f, &s->args[a]);
    }
    if (ctx->trace)
        ctx->trace->stmt_begin(ctx->trace_data, k);
    /* a primitive callee through the Prim the parser resolved, not through
     * its function value: one dependent load less on every call */
    const Prim *pr = s->callee_prim;
    CtxMark before = ctx_mark(ctx);
    Err e = pr && !ctx->trace ? call_prim(ctx, pr->fn, pr->arity, s->nargs, args, result)
                              : call_value(ctx, fn, s->nargs, args, result);
    if (ctx->limit_hit)
        return ctx->limit_hit; /* budgets end the run, whatever the guard */
    if (e) {
        if (!interp_catches(s, e))
            return e;
        *result = safe_default_of(fn);
    }
    ctx_keep_only(ctx, before, result); /* see ctx.h */
    if (ctx->trace)
        ctx->trace->stmt_end(ctx->trace_data, k, e != ERR_OK, *result);
    return ERR_OK;
}

static Err solver_body(Ctx *ctx, const Program *p, StmtEnv *f, size_t *done)
{
    for (*done = 0; *done < p->nstmts; ++*done)
        if (p->stmts[*done].kind == ST_CALL)
            TRY(exec_call(ctx, f, &p->stmts[*done], *done));
    return ERR_OK;
}

Err interp_solver(Ctx *ctx, const Program *p, const Inputs *in, Value *out)
{
    StmtEnv f;
    stmt_env_init(&f, ctx, p, in);
    size_t done;
    if (ctx->trace)
        ctx->trace->call_begin(ctx->trace_data, 0);
    Err e = solver_body(ctx, p, &f, &done);
    if (!e)
        *out = f.slots[p->ret_slot];
    if (ctx->trace)
        ctx->trace->call_end(ctx->trace_data, 0, e, done, e ? v_none() : *out);
    return e;
}

/* What a second batt call may take from the first (see interp_batt_pair). */
typedef struct Reuse {
    const uint8_t *c_taint; /* per statement */
    const Value *bound;     /* per statement: what the first call bound its target to */
    size_t done;            /* statements the first call completed */
} Reuse;

/* Run the statements of one batt call. `bound`, when given, receives each
 * call statement's value (for a later call to reuse). */
static Err batt_body(Ctx *ctx, const Program *p, const Reuse *reuse, StmtEnv *f, size_t *done,
                     Value *bound, VBuf *ob, VBuf *sb)
{
    for (*done = 0; *done < p->nstmts; ++*done) {
        size_t k = *done;
        const Stmt *st = &p->stmts[k];
        switch ((StmtKind)st->kind) {
        case ST_CALL:
            if (reuse && k < reuse->done && !reuse->c_taint[k]) {
                f->slots[st->target] = reuse->bound[k];
                if (ctx->trace)
                    ctx->trace->stmt_reused(ctx->trace_data, k);
            } else {
                TRY(exec_call(ctx, f, st, k));
            }
            if (bound) /* just stored by halves: see v_copy */
                v_copy(&bound[k], &f->slots[st->target]);
            break;
        case ST_APPEND_O:
            if (!reuse) /* the second call's o is not reported */
                TRY(stmt_append(ctx, f, st, ob));
            break;
        case ST_APPEND_S: TRY(stmt_append(ctx, f, st, sb)); break;
        }
    }
    return ERR_OK;
}

static Err batt_call(Ctx *ctx, const Program *p, const Inputs *in, const Reuse *reuse,
                     StmtEnv *f, size_t *done, Value *bound, Value *o, Value *s)
{
    VBuf ob, sb;
    vbuf_init(&ob, ctx);
    vbuf_init(&sb, ctx);
    stmt_env_init(f, ctx, p, in);
    int which = reuse != NULL;
    if (ctx->trace)
        ctx->trace->call_begin(ctx->trace_data, which);
    Err e = batt_body(ctx, p, reuse, f, done, bound, &ob, &sb);
    if (!e)
        e = vbuf_tuple(&ob, o);
    if (!e)
        e = vbuf_tuple(&sb, s);
    if (ctx->trace) {
        Value out = v_none();
        if (!e && which)
            out = *s;
        else if (!e) {
            Value both[2] = {*o, *s};
            if (mk_tuple(ctx, 2, both, &out))
                out = v_none();
        }
        ctx->trace->call_end(ctx->trace_data, which, e, *done, out);
    }
    return e;
}

/* The second call in the first one's frame (BattPlan.in_place), after the
 * first completed every statement: C bound to expected, the plan's
 * statements run, every other variable kept as the first call bound it. */
static Err batt_second_in_place(Ctx *ctx, const Program *p, const BattPlan *plan, StmtEnv *f,
                                Value expected, Value *s)
{
    VBuf sb;
    vbuf_init(&sb, ctx);
    f->in[INPUT_C] = f->frame[INPUT_C] = expected;
    for (size_t i = 0; i < plan->nsecond; i++) {
        const Stmt *st = &p->stmts[plan->second[i]];
        if (st->kind == ST_CALL)
            TRY(exec_call(ctx, f, st, plan->second[i]));
        else
            TRY(stmt_append(ctx, f, st, &sb));
    }
    return vbuf_tuple(&sb, s);
}

void interp_batt_pair(Ctx *ctx, const Program *p, const BattPlan *plan, const Inputs *first,
                      Value expected, double seconds, BattPair *out)
{
    StmtEnv f1, f2;
    size_t done1, done2;
    Value o2;
    bool in_place = plan->in_place && !ctx->trace; /* the tracer hears of every reused statement */
    Value *bound = in_place ? NULL : ctx_alloc(ctx, (p->nstmts + 1) * sizeof *bound);
    out->o = out->s = out->s_c = v_none();
    ctx_begin_run(ctx, seconds);
    out->err = batt_call(ctx, p, first, NULL, &f1, &done1, bound, &out->o, &out->s);
    bool completed = !ctx->limit_hit && done1 == p->nstmts;
    ctx_begin_run(ctx, seconds);
    if (in_place && completed) {
        out->err_c = batt_second_in_place(ctx, p, plan, &f1, expected, &out->s_c);
        return;
    }
    if (in_place) { /* each variable still holds its one statement's value */
        bound = ctx_alloc(ctx, (p->nstmts + 1) * sizeof *bound);
        for (size_t k = 0; k < done1; k++)
            if (p->stmts[k].kind == ST_CALL)
                bound[k] = f1.slots[p->stmts[k].target];
    }
    Inputs second = *first;
    second.C = expected;
    /* statements the first call could not finish (a budget, an uncaught
     * error) are not reused; a budget crossed there taints nothing else */
    Reuse reuse = {plan->c_taint, bound, ctx->limit_hit ? 0 : done1};
    out->err_c = batt_call(ctx, p, &second, &reuse, &f2, &done2, NULL, &o2, &out->s_c);
}

static bool arg_tainted(const Arg *a, const uint8_t *slot_taint)
{
    if (a->kind == ARG_INPUT)
        return a->slot == INPUT_C;
    return a->kind == ARG_VAR && slot_taint[a->slot];
}

void interp_c_taint(const Program *p, uint8_t *taint)
{
    uint8_t *slot_taint = calloc((size_t)p->nslots + 1, 1);
    for (size_t k = 0; k < p->nstmts; k++) {
        const Stmt *st = &p->stmts[k];
        bool t = false;
        if (st->kind == ST_CALL && !st->callee_prim)
            t = st->callee_slot >= 0 ? slot_taint[st->callee_slot] : -1 - st->callee_slot == INPUT_C;
        for (unsigned a = 0; a < st->nargs; a++)
            t = t || arg_tainted(&st->args[a], slot_taint);
        taint[k] = t;
        if (st->kind == ST_CALL)
            slot_taint[st->target] = t; /* a reassignment replaces the taint */
    }
    free(slot_taint);
}

/* Each variable assigned by one statement, and every variable a statement
 * reads (its callee, its arguments) assigned by an earlier one. */
static bool single_assignment(const Program *p)
{
    uint8_t *set = calloc((size_t)p->nslots + 1, 1);
    bool ok = set != NULL;
    for (size_t k = 0; ok && k < p->nstmts; k++) {
        const Stmt *st = &p->stmts[k];
        if (st->kind == ST_CALL && !st->callee_prim && st->callee_slot >= 0)
            ok = set[st->callee_slot];
        for (unsigned a = 0; ok && a < st->nargs; a++)
            ok = st->args[a].kind != ARG_VAR || set[st->args[a].slot];
        if (ok && st->kind == ST_CALL) {
            ok = !set[st->target];
            set[st->target] = 1;
        }
    }
    free(set);
    return ok;
}

void interp_batt_plan(const Program *p, BattPlan *plan)
{
    memset(plan, 0, sizeof *plan);
    plan->c_taint = xmalloc(p->nstmts + 1);
    interp_c_taint(p, plan->c_taint);
    plan->in_place = single_assignment(p);
    if (!plan->in_place)
        return;
    plan->second = xmalloc((p->nstmts + 1) * sizeof *plan->second);
    for (size_t k = 0; k < p->nstmts; k++) {
        const Stmt *st = &p->stmts[k];
        if ((st->kind == ST_CALL && plan->c_taint[k]) || st->kind == ST_APPEND_S)
            plan->second[plan->nsecond++] = (uint32_t)k;
    }
}

void interp_batt_plan_free(BattPlan *plan)
{
    free(plan->c_taint);
    free(plan->second);
    memset(plan, 0, sizeof *plan);
}
