/* interp.c: the sequential interpreter (see interp.h). */
#include "interp.h"

#include "func.h"

/* Frame of one call: the variables, by slot. */
typedef struct Frame {
    Value *slots;
    const Inputs *in;
    Value log_path;
} Frame;

static Value input_value(const Frame *f, int id)
{
    switch ((InputId)id) {
    case INPUT_I: return f->in->I;
    case INPUT_S: return f->in->S;
    case INPUT_C: return f->in->C;
    case INPUT_TASK_ID: return v_str(f->in->task_id ? f->in->task_id : "");
    case INPUT_LOG_PATH: return f->log_path;
    }
    return v_none();
}

static Value arg_value(const Frame *f, const Arg *a)
{
    switch ((ArgKind)a->kind) {
    case ARG_VAR: return f->slots[a->slot];
    case ARG_INPUT: return input_value(f, a->slot);
    case ARG_CONST: return a->value;
    case ARG_PRIM: return prim_value(a->prim);
    }
    return v_none();
}

static Value callee_value(const Frame *f, const Stmt *s)
{
    if (s->callee_prim)
        return prim_value(s->callee_prim);
    if (s->callee_slot >= 0)
        return f->slots[s->callee_slot];
    return input_value(f, -1 - s->callee_slot);
}

static bool caught(const Stmt *s, Err e)
{
    if (s->catch_all)
        return true;
    for (unsigned k = 0; k < s->ncatch; k++)
        if (err_caught_by(e, s->catch_names[k]) == 1)
            return true;
    return false;
}

/* Execute one call statement; an error it does not absorb is returned. */
static Err exec_call(Ctx *ctx, Frame *f, const Stmt *s)
{
    Value args[PROGRAM_MAX_ARGS], fn = callee_value(f, s), result;
    for (unsigned k = 0; k < s->nargs; k++)
        args[k] = arg_value(f, &s->args[k]);
    Err e = call_value(ctx, fn, s->nargs, args, &result);
    if (ctx->limit_hit)
        return ctx->limit_hit; /* budgets end the run, whatever the guard */
    if (e) {
        if (!s->guarded || !caught(s, e))
            return e;
        result = safe_default_of(fn);
    }
    f->slots[s->target] = result;
    return ERR_OK;
}

static Err append_item(Ctx *ctx, Frame *f, const Stmt *s, VBuf *list)
{
    Value items[PROGRAM_MAX_ARGS], t;
    for (unsigned k = 0; k < s->nargs; k++)
        items[k] = arg_value(f, &s->args[k]);
    TRY(mk_tuple(ctx, s->nargs, items, &t));
    return vbuf_push(list, t);
}

static Value *new_slots(Ctx *ctx, const Program *p)
{
    size_t n = p->nslots ? (size_t)p->nslots : 1;
    Value *slots = ctx_alloc(ctx, n * sizeof *slots);
    for (size_t k = 0; k < n; k++)
        slots[k] = v_none();
    return slots;
}

Err interp_solver(Ctx *ctx, const Program *p, const Inputs *in, Value *out)
{
    Frame f = {new_slots(ctx, p), in, v_none()};
    for (size_t k = 0; k < p->nstmts; k++)
        if (p->stmts[k].kind == ST_CALL)
            TRY(exec_call(ctx, &f, &p->stmts[k]));
    *out = f.slots[p->ret_slot];
    return ERR_OK;
}

Err interp_batt(Ctx *ctx, const Program *p, const Inputs *in, Value *o, Value *s)
{
    Frame f = {new_slots(ctx, p), in, v_str("/dev/null")};
    VBuf ob, sb;
    vbuf_init(&ob, ctx);
    vbuf_init(&sb, ctx);
    for (size_t k = 0; k < p->nstmts; k++) {
        const Stmt *st = &p->stmts[k];
        switch ((StmtKind)st->kind) {
        case ST_CALL: TRY(exec_call(ctx, &f, st)); break;
        case ST_APPEND_O: TRY(append_item(ctx, &f, st, &ob)); break;
        case ST_APPEND_S: TRY(append_item(ctx, &f, st, &sb)); break;
        }
    }
    TRY(vbuf_tuple(&ob, o));
    return vbuf_tuple(&sb, s);
}
