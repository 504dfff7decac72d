/* interp.h: the sequential interpreter: one program on one sample.
 *
 * This is `battrace run`'s engine and the reference every other executor
 * (trace replay, the GPU) must agree with. It walks a parsed Program's
 * statements, resolving arguments to values and applying callees through
 * call_value, so closures, budgets and (later) tracing all go one way. */
#ifndef BATTRACE_INTERP_H
#define BATTRACE_INTERP_H

#include "../tracer/program.h"
#include "ctx.h"
#include "value.h"

#include <stdint.h>

/* The values a program's parameters are bound to. */
typedef struct Inputs {
    Value I, S, C;       /* S and C are only read by batt programs */
    const char *task_id; /* batt's task_id */
} Inputs;

/* Run a solver: ERR_OK and the returned value, or the class of the first
 * failure. A crossed budget (ctx->limit_hit) ends the run with that class. */
Err interp_solver(Ctx *ctx, const Program *p, const Inputs *in, Value *out);

/* How a batt's second call runs (interp_batt_plan): which statements depend
 * on C, and whether it can run in the first call's frame. That needs each
 * variable assigned by one statement and read only after it (mkbatt's
 * files are written so): then every variable the first call bound still
 * holds that statement's value, the second call runs only the statements
 * in `second` (the calls that depend on C and the s appends) and takes the
 * rest as they stand, instead of walking every statement and copying each
 * value it reuses. */
typedef struct BattPlan {
    uint8_t *c_taint;  /* per statement: 1 when its value depends on C */
    uint32_t *second;  /* in place: the statements the second call runs, in order */
    size_t nsecond;
    bool in_place;
} BattPlan;
void interp_batt_plan(const Program *p, BattPlan *plan);
void interp_batt_plan_free(BattPlan *plan);

/* Both calls of a batt sample (SPEC 5): first with C = None, then with C =
 * the expected output. On each call, an error the statement's except clause
 * does not catch ends that call (no o, no s), as does a crossed budget. The second call returns only s (as s_c): statements
 * that do not depend on C are taken from the first call instead of being run
 * again, which is exact because primitives are pure and deterministic.
 * plan comes from interp_batt_plan. Results go to the out-parameters; the
 * two Errs are the classes that ended each call (ERR_OK when they returned). */
typedef struct BattPair {
    Err err, err_c;
    Value o, s, s_c;
} BattPair;
void interp_batt_pair(Ctx *ctx, const Program *p, const BattPlan *plan, const Inputs *first,
                      Value expected, double seconds, BattPair *out);
/* The values a call's statements read: its variables, by slot, and its
 * parameters, by InputId (I, S, C, task_id, log_path). Shared with the
 * scheduler's replay of units, which walks the same statements. */
typedef struct StmtEnv {
    Value *frame; /* the call's frame (see FRAME_INPUTS): in, slots, the pool */
    Value *slots; /* its variables */
    Value in[FRAME_INPUTS];
} StmtEnv;
/* Bind a call's parameters (C as given: None in a batt's first call). */
void stmt_env_init(StmtEnv *env, Ctx *ctx, const Program *p, const Inputs *in);
/* An argument's value, and a statement's callee. */
Value stmt_arg(const StmtEnv *env, const Arg *a);
Value stmt_callee(const StmtEnv *env, const Stmt *s);
/* An append statement: the tuple of its items, pushed onto list. */
Err stmt_append(Ctx *ctx, const StmtEnv *env, const Stmt *s, VBuf *list);

/* Does statement s's except clause catch e? (false for unguarded ones) */
bool interp_catches(const Stmt *s, Err e);

/* Per statement of a batt: 1 when its value depends on C. nstmts bytes. */
void interp_c_taint(const Program *p, uint8_t *taint);

#endif
