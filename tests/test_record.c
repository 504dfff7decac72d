/* test_record.c: the tracing mode, with hand-checked graphs: which nodes a
 * small program makes, their arguments' provenance, the nodes applied inside
 * closures (mapply/apply, sfilter, argmax) and their parent links, variable
 * callees, errors and safe defaults, and the bindings of a batt's calls. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../runtime/interp.h"
#include "../tracer/recheck.h"
#include "../tracer/record.h"

/* Record one program of `source` on input I (and for a batt, C = expected)
 * into a trace file, and read it back into *t. With `spill`, temporaries are
 * dropped as run and record drop them (ctx.h); *held: the run arena's bytes
 * at the end. */
static void record_source_with(const char *source, const char *input, const char *expected, bool spill, Trace *t,
                               size_t *held)
{
    char err[512], path[128];
    ProgramFile pf;
    cr_assert_eq(program_parse("test.py", source, &pf, err, sizeof err), 0, "%s", err);
    Arena arena;
    arena_init(&arena);
    Arena spilled;
    arena_init(&spilled);
    Ctx ctx;
    ctx_init(&ctx, &arena);
    ctx.spill = spill ? &spilled : NULL;
    Value I, C = v_none();
    size_t pos;
    cr_assert_eq(lit_parse(&ctx, input, &I, &pos), 0);
    if (expected)
        cr_assert_eq(lit_parse(&ctx, expected, &C, &pos), 0);

    Trace w;
    trace_init(&w);
    w.is_batt = pf.is_batt;
    w.nprograms = 1;
    w.programs = arena_alloc(&w.arena, sizeof *w.programs);
    w.programs[0] = arena_strdup(&w.arena, pf.programs[0].name);
    w.nsamples = 1;
    w.samples = arena_alloc(&w.arena, sizeof *w.samples);
    memset(w.samples, 0, sizeof *w.samples);
    w.samples[0].key = arena_strdup(&w.arena, "t");
    w.samples[0].input = vt_intern(&w.values, I);
    w.samples[0].output = vt_intern(&w.values, C);
    w.samples[0].has_output = expected != NULL;
    w.samples[0].S = vt_intern(&w.values, v_empty_tuple());
    w.source = (char *)source;
    w.source_len = strlen(source);
    snprintf(path, sizeof path, "/tmp/battrace-rec-%d.trace", (int)getpid());
    TraceWriter *tw = tw_open(path, &w, err, sizeof err);
    cr_assert_not_null(tw, "%s", err);
    Recorder rec;
    rec_init(&rec, &w, tw);
    ctx.trace = &rec.hooks;
    ctx.trace_data = &rec;
    const Program *p = &pf.programs[0];
    rec_unit_begin(&rec, p, 0, 0);
    Inputs in = {I, v_empty_tuple(), v_none(), "t"};
    if (pf.is_batt) {
        BattPlan plan;
        interp_batt_plan(p, &plan);
        BattPair res;
        interp_batt_pair(&ctx, p, &plan, &in, C, 0, &res);
        interp_batt_plan_free(&plan);
    } else {
        Value out;
        ctx_begin_run(&ctx, 0);
        (void)interp_solver(&ctx, p, &in, &out);
    }
    cr_assert_eq(rec_unit_end(&rec, 1), 0);
    cr_assert_eq(rec_drain(&rec), 0);
    cr_assert_eq(tw_close(tw, &w, "{}", err, sizeof err), 0, "%s", err);
    rec_free(&rec);
    w.source = NULL;
    trace_free(&w);
    if (held)
        *held = arena.used;
    arena_free(&arena);
    arena_free(&spilled);
    program_free(&pf);
    cr_assert_eq(trace_read(path, t, err, sizeof err), 0, "%s", err);
    unlink(path);
    cr_assert_eq(t->nunits, 1);
}

static void record_source(const char *source, const char *input, const char *expected, Trace *t)
{
    record_source_with(source, input, expected, false, t, NULL);
}

static const TraceNode *node(const Trace *t, uint32_t k)
{
    cr_assert_lt(k, t->units[0].nnodes);
    return &t->nodes[t->units[0].first_node + k];
}

static const char *op_name(const TraceNode *n)
{
    return n->op == TRACE_OP_CLOSURE ? "<closure>" : prim_table[n->op].name;
}

static uint64_t arg(const Trace *t, const TraceNode *n, unsigned a)
{
    cr_assert_lt(a, n->nargs);
    return t->args[n->args_at + a];
}

/* Is value id recorded as `literal`? Results are kept by content hash and
 * kind (HASH entries); other values whole. */
static bool recorded_as(const Trace *t, uint32_t id, const char *literal)
{
    uint64_t hash;
    uint8_t kind;
    Value want = V(literal);
    if (vt_hash_only(&t->values, id, &hash, &kind))
        return hash == v_hash(want) && kind == want.tag;
    Value v;
    return vt_decode(&t->values, t_ctx(), id, &v) == 0 && v_eq(v, want) && v.tag == want.tag;
}

/* The value a ref names (REF_VALUE) or a node's result, as a repr. */
static const char *value_repr(const Trace *t, uint32_t id)
{
    Value v;
    cr_assert_eq(vt_decode(&t->values, t_ctx(), id, &v), 0);
    return R(v);
}

Test(record, statements_chain_through_node_refs)
{
    Trace t;
    record_source("def solve_t(I):\n    x1 = rot90(I)\n    x2 = hmirror(x1)\n    O = astuple(x2, ONE)\n    return O\n",
                  "((1, 2), (3, 4))", NULL, &t);
    cr_assert_eq(t.units[0].nnodes, 3);
    cr_assert_str_eq(op_name(node(&t, 0)), "rot90");
    cr_assert_str_eq(op_name(node(&t, 1)), "hmirror");
    cr_assert_str_eq(op_name(node(&t, 2)), "astuple");
    cr_assert_eq(arg(&t, node(&t, 0), 0), ref_make(REF_INPUT, INPUT_I));
    cr_assert_eq(arg(&t, node(&t, 1), 0), ref_make(REF_NODE, 0));
    cr_assert_eq(arg(&t, node(&t, 2), 0), ref_make(REF_NODE, 1));
    cr_assert_eq(ref_kind(arg(&t, node(&t, 2), 1)), REF_VALUE);
    cr_assert_str_eq(value_repr(&t, (uint32_t)ref_index(arg(&t, node(&t, 2), 1))), "1");
    for (uint32_t k = 0; k < 3; k++) {
        cr_assert_eq(node(&t, k)->parent, 0);
        cr_assert_eq(node(&t, k)->stmt, k);
    }
    /* rot90 of ((1,2),(3,4)) is ((3,1),(4,2)); hmirror flips it */
    cr_assert(recorded_as(&t, node(&t, 0)->result, "((3, 1), (4, 2))"));
    cr_assert(recorded_as(&t, node(&t, 1)->result, "((4, 2), (3, 1))"));
    const TraceCall *c = &t.units[0].calls[0];
    cr_assert_eq(c->err, 0);
    cr_assert_eq(c->done, 3);
    cr_assert_eq(c->nbind, 3);
    cr_assert_eq(c->bind[2], ref_make(REF_NODE, 2));
    cr_assert_str_eq(value_repr(&t, c->out - 1), "(((4, 2), (3, 1)), 1)");
    trace_free(&t);
}

Test(record, closure_calls_inside_apply_are_nested_nodes)
{
    Trace t;
    record_source("def solve_t(I):\n"
                  "    x1 = ofcolor(I, ONE)\n"
                  "    x2 = lbind(add, UNITY)\n"
                  "    O = apply(x2, x1)\n"
                  "    return O\n",
                  "((1, 0), (0, 1))", NULL, &t);
    /* ofcolor, lbind, apply, and add applied to each of the 2 indices */
    cr_assert_eq(t.units[0].nnodes, 5);
    cr_assert_str_eq(op_name(node(&t, 2)), "apply");
    cr_assert_eq(arg(&t, node(&t, 2), 0), ref_make(REF_NODE, 1), "apply's function is lbind's result");
    cr_assert_eq(arg(&t, node(&t, 2), 1), ref_make(REF_NODE, 0));
    for (uint32_t k = 3; k < 5; k++) {
        const TraceNode *n = node(&t, k);
        cr_assert_str_eq(op_name(n), "add", "the closure resolves to the primitive applied");
        cr_assert_eq(n->parent, 3, "made inside node 2 (apply)");
        cr_assert_eq(n->stmt, 2);
        cr_assert_eq(n->nargs, 2);
        cr_assert_str_eq(value_repr(&t, (uint32_t)ref_index(arg(&t, n, 0))), "(1, 1)");
    }
    /* the captured UNITY recurs in both (one pending value for both), each
     * item is its own */
    cr_assert_str_eq(value_repr(&t, (uint32_t)ref_index(arg(&t, node(&t, 3), 1))), "(0, 0)");
    cr_assert_str_eq(value_repr(&t, (uint32_t)ref_index(arg(&t, node(&t, 4), 1))), "(1, 1)");
    /* results of nested nodes are kept by content hash and kind */
    uint64_t hash;
    uint8_t kind;
    cr_assert(vt_hash_only(&t.values, node(&t, 4)->result, &hash, &kind));
    cr_assert_eq(hash, v_hash(V("(2, 2)")));
    cr_assert_eq(kind, VT_PAIR);
    cr_assert(recorded_as(&t, node(&t, 2)->result, "frozenset({(1, 1), (2, 2)})"));
    trace_free(&t);
}

Test(record, sfilter_and_argmax_callbacks)
{
    Trace t;
    record_source("def solve_t(I):\n"
                  "    x1 = ofcolor(I, ONE)\n"
                  "    x2 = matcher(first, ONE)\n"
                  "    x3 = sfilter(x1, x2)\n"
                  "    x4 = compose(last, identity)\n"
                  "    O = argmax(x1, x4)\n"
                  "    return O\n",
                  "((1, 0), (0, 1))", NULL, &t);
    /* 5 statements; sfilter calls first on 2 items; argmax calls identity then
     * last on each of 2 items: 5 + 2 + 4 nodes */
    cr_assert_eq(t.units[0].nnodes, 11);
    cr_assert_str_eq(op_name(node(&t, 2)), "sfilter");
    cr_assert_str_eq(op_name(node(&t, 3)), "first");
    cr_assert_str_eq(op_name(node(&t, 4)), "first");
    cr_assert_eq(node(&t, 3)->parent, 3);
    cr_assert_str_eq(op_name(node(&t, 6)), "argmax");
    const char *expect[] = {"identity", "last", "identity", "last"};
    for (uint32_t k = 7; k < 11; k++) {
        cr_assert_str_eq(op_name(node(&t, k)), expect[k - 7]);
        cr_assert_eq(node(&t, k)->parent, 7, "inside argmax (node 6)");
    }
    cr_assert(recorded_as(&t, node(&t, 2)->result, "frozenset({(1, 1)})"));
    cr_assert(recorded_as(&t, node(&t, 6)->result, "(1, 1)"));
    trace_free(&t);
}

/* prapply(connect, a, b) builds each distinct line once (ops/higher.c's
 * fast path), and still reports every call it stands for, in Python's
 * order (for j in b, for i in a), with its line; the lines below are
 * worked out by hand from dsl.py's connect. */
Test(record, prapply_of_connect_reports_every_call)
{
    Trace t;
    record_source("def solve_t(I):\n"
                  "    x1 = ofcolor(I, ONE)\n"
                  "    x2 = ofcolor(I, TWO)\n"
                  "    O = prapply(connect, x1, x2)\n"
                  "    return O\n",
                  "((1, 0, 2), (0, 1, 0), (0, 2, 0))", NULL, &t);
    /* x1 = {(0, 0), (1, 1)}, x2 = {(0, 2), (2, 1)}: 3 statements, 4 calls */
    cr_assert_eq(t.units[0].nnodes, 7);
    cr_assert_str_eq(op_name(node(&t, 2)), "prapply");
    static const struct {
        const char *i, *j, *line;
    } calls[] = {
        {"(0, 0)", "(0, 2)", "frozenset({(0, 0), (0, 1), (0, 2)})"}, /* a row */
        {"(1, 1)", "(0, 2)", "frozenset({(0, 2), (1, 1)})"},         /* an antidiagonal */
        {"(0, 0)", "(2, 1)", "frozenset()"},                         /* no line */
        {"(1, 1)", "(2, 1)", "frozenset({(1, 1), (2, 1)})"},         /* a column */
    };
    for (uint32_t k = 0; k < 4; k++) {
        const TraceNode *n = node(&t, 3 + k);
        cr_assert_str_eq(op_name(n), "connect", "call %u", k);
        cr_assert_eq(n->parent, 3, "call %u made inside node 2 (prapply)", k);
        cr_assert_eq(n->stmt, 2);
        cr_assert_eq(n->err, ERR_OK);
        cr_assert_eq(n->nargs, 2);
        cr_assert_str_eq(value_repr(&t, (uint32_t)ref_index(arg(&t, n, 0))), calls[k].i, "call %u", k);
        cr_assert_str_eq(value_repr(&t, (uint32_t)ref_index(arg(&t, n, 1))), calls[k].j, "call %u", k);
        cr_assert(recorded_as(&t, n->result, calls[k].line), "call %u: not %s", k, calls[k].line);
    }
    cr_assert(recorded_as(&t, node(&t, 2)->result,
                          "frozenset({frozenset(), frozenset({(0, 0), (0, 1), (0, 2)}), "
                          "frozenset({(0, 2), (1, 1)}), frozenset({(1, 1), (2, 1)})})"));
    trace_free(&t);
}

Test(record, variable_callees_resolve)
{
    Trace t;
    record_source("def solve_t(I):\n"
                  "    x1 = branch(T, vmirror, hmirror)\n"
                  "    x2 = x1(I)\n"
                  "    x3 = lbind(add, UNITY)\n"
                  "    O = x3(ORIGIN)\n"
                  "    return O\n",
                  "((1, 2),)", NULL, &t);
    /* branch; vmirror applied through x1; lbind; the closure call, and the add inside it */
    cr_assert_eq(t.units[0].nnodes, 5);
    cr_assert_str_eq(op_name(node(&t, 1)), "vmirror", "a primitive held in a variable is named");
    cr_assert_eq(node(&t, 1)->nargs, 1);
    cr_assert_eq(arg(&t, node(&t, 1), 0), ref_make(REF_INPUT, INPUT_I));
    cr_assert_str_eq(op_name(node(&t, 3)), "<closure>");
    cr_assert_eq(arg(&t, node(&t, 3), 0), ref_make(REF_NODE, 2), "the callee comes first");
    cr_assert_str_eq(op_name(node(&t, 4)), "add");
    cr_assert_eq(node(&t, 4)->parent, 4);
    cr_assert(recorded_as(&t, node(&t, 3)->result, "(1, 1)"));
    trace_free(&t);
}

Test(record, errors_and_safe_defaults_in_a_batt)
{
    Trace t;
    record_source("from safe_dsl import _get_safe_default\n"
                  "def batt(task_id, S, I, C, log_path):\n"
                  "    s = []\n"
                  "    o = []\n"
                  "    try:\n"
                  "        t1 = first(C)\n"
                  "    except Exception:\n"
                  "        t1 = _get_safe_default(first)\n"
                  "    try:\n"
                  "        t2 = rot90(I)\n"
                  "    except Exception:\n"
                  "        t2 = _get_safe_default(rot90)\n"
                  "    o.append((2, False, 't', t2))\n"
                  "    s.append((1, 't', 'first_row', t1))\n"
                  "    return o, s\n",
                  "((1, 2), (3, 4))", "((5, 6),)", &t);
    const TraceUnit *u = &t.units[0];
    cr_assert_eq(u->ncalls, 2);
    /* call 0: first(None) raises TypeError, caught: t1 is first's default ();
     * rot90(I). call 1: first(C) returns; rot90(I) is reused from call 0. */
    cr_assert_eq(u->nnodes, 3);
    cr_assert_str_eq(op_name(node(&t, 0)), "first");
    cr_assert_eq(node(&t, 0)->err, ERR_TYPE);
    cr_assert_eq(ref_kind(arg(&t, node(&t, 0), 0)), REF_VALUE, "C is None in the first call");
    cr_assert_str_eq(value_repr(&t, (uint32_t)ref_index(arg(&t, node(&t, 0), 0))), "None");
    cr_assert_str_eq(op_name(node(&t, 2)), "first");
    cr_assert_eq(arg(&t, node(&t, 2), 0), ref_make(REF_INPUT, INPUT_C));
    const TraceCall *c0 = &u->calls[0], *c1 = &u->calls[1];
    cr_assert_eq(c0->nbind, 2);
    cr_assert_eq(ref_kind(c0->bind[0]), REF_VALUE, "the safe default");
    cr_assert_str_eq(value_repr(&t, (uint32_t)ref_index(c0->bind[0])), "()");
    cr_assert_eq(c0->bind[1], ref_make(REF_NODE, 1));
    cr_assert_eq(c1->nbind, 2);
    cr_assert_eq(c1->bind[0], ref_make(REF_NODE, 2));
    cr_assert_eq(c1->bind[1], ref_make(REF_NODE, 1), "rot90(I) reused from the first call");
    cr_assert_str_eq(value_repr(&t, c0->out - 1),
                     "(((2, False, 't', ((3, 1), (4, 2))),), ((1, 't', 'first_row', ()),))");
    cr_assert_str_eq(value_repr(&t, c1->out - 1), "((1, 't', 'first_row', (5, 6)),)");
    trace_free(&t);
}

Test(record, an_uncaught_error_ends_the_call)
{
    Trace t;
    record_source("def solve_t(I):\n    x1 = first(I)\n    x2 = first(x1)\n    O = first(x2)\n    return O\n",
                  "((1, 2),)", NULL, &t);
    /* first(first(I)) is 1; first(1) raises TypeError and ends the run */
    cr_assert_eq(t.units[0].nnodes, 3);
    cr_assert_eq(node(&t, 2)->err, ERR_TYPE);
    cr_assert_eq(t.units[0].calls[0].err, ERR_TYPE);
    cr_assert_eq(t.units[0].calls[0].done, 2);
    cr_assert_eq(t.units[0].calls[0].out, 0);
    trace_free(&t);
}

static const char sizes_program[] = "def solve_t(I):\n"
                                    "    x1 = objects(I, T, F, T)\n"
                                    "    O = apply(size, x1)\n"
                                    "    return O\n";

Test(record, sets_given_to_nested_nodes_are_kept_by_hash)
{
    Trace t;
    record_source(sizes_program, "((1, 0, 2), (1, 0, 0))", NULL, &t);
    /* objects, apply, and size applied to each of the 2 objects */
    cr_assert_eq(t.units[0].nnodes, 4);
    for (uint32_t k = 2; k < 4; k++) {
        cr_assert_str_eq(op_name(node(&t, k)), "size");
        cr_assert_eq(ref_kind(arg(&t, node(&t, k), 0)), REF_VALUE);
    }
    /* the two objects, in the order apply visits them */
    uint32_t a0 = (uint32_t)ref_index(arg(&t, node(&t, 2), 0)), a1 = (uint32_t)ref_index(arg(&t, node(&t, 3), 0));
    const char *one = "frozenset({(2, (0, 2))})", *two = "frozenset({(1, (0, 0)), (1, (1, 0))})";
    cr_assert((recorded_as(&t, a0, one) && recorded_as(&t, a1, two)) ||
              (recorded_as(&t, a0, two) && recorded_as(&t, a1, one)));
    uint64_t hash;
    uint8_t kind;
    cr_assert(vt_hash_only(&t.values, a0, &hash, &kind), "a set a nested node received is a hash entry");
    cr_assert(vt_hash_only(&t.values, a1, &hash, &kind));
    cr_assert(recorded_as(&t, node(&t, 2)->result, recorded_as(&t, a0, one) ? "1" : "2"));
    trace_free(&t);
}

/* recheck_units on the trace of sizes_program; 0 or -1 with err. */
static int recheck(const Trace *t, const char *input, RecheckStats *st, char *err, size_t errlen)
{
    ProgramFile pf;
    char perr[256];
    cr_assert_eq(program_parse("test.py", sizes_program, &pf, perr, sizeof perr), 0, "%s", perr);
    RecheckUnit u = {&pf.programs[0], 0, V(input), V("()"), v_none(), "t"};
    int rc = recheck_units(t, &u, 1, 0, REC_MAX_NESTED_DEFAULT, 0, st, err, errlen);
    program_free(&pf);
    return rc;
}

Test(record, recording_again_checks_every_node)
{
    Trace t;
    const char *input = "((1, 0, 2), (1, 0, 0))";
    record_source(sizes_program, input, NULL, &t);
    RecheckStats st;
    char err[600] = "";
    cr_assert_eq(recheck(&t, input, &st, err, sizeof err), 0, "%s", err);
    cr_assert_eq(st.units, 1);
    cr_assert_eq(st.nodes, 4);
    cr_assert_eq(st.skipped, 0);
    /* a nested node's result changed to the other size's */
    TraceNode *n = &t.nodes[t.units[0].first_node + 2];
    uint32_t was = n->result;
    n->result = t.nodes[t.units[0].first_node + 3].result;
    cr_assert_eq(recheck(&t, input, &st, err, sizeof err), -1);
    cr_assert(strstr(err, "node 2 (size): another result"), "message: %s", err);
    n->result = was;
    /* another input: objects already differ */
    cr_assert_eq(recheck(&t, "((1, 1, 2), (1, 0, 0))", &st, err, sizeof err), -1);
    cr_assert(strstr(err, "unit 0 ("), "message: %s", err);
    trace_free(&t);
}

/* A sink that only counts the nodes it is given. */
static int count_nodes(void *data, const TraceUnit *u, const TraceNode *nodes, const uint64_t *args)
{
    (void)nodes, (void)args;
    *(uint32_t *)data += u->nnodes;
    return 0;
}

/* The hooks' time around nested nodes is sampled on one node in
 * REC_HOOK_SAMPLE of each primitive, the first included, and never on a
 * statement's own application (it has no parent to credit). */
Test(record, hook_time_is_sampled_per_primitive_on_nested_nodes)
{
    ProgramFile pf;
    char err[256];
    const char *src = "def solve_t(I):\n"
                      "    x1 = asindices(I)\n"
                      "    x2 = lbind(add, UNITY)\n"
                      "    O = apply(x2, x1)\n"
                      "    return O\n";
    cr_assert_eq(program_parse("test.py", src, &pf, err, sizeof err), 0, "%s", err);
    Arena arena;
    arena_init(&arena);
    Ctx ctx;
    ctx_init(&ctx, &arena);
    /* a 10 x 13 grid: 130 indices, so 130 nested applications of add */
    Value row[13], rows[10];
    for (int j = 0; j < 13; j++)
        row[j] = v_int(0);
    for (int i = 0; i < 10; i++)
        cr_assert_eq(mk_tuple(&ctx, 13, row, &rows[i]), ERR_OK);
    Value I;
    cr_assert_eq(mk_tuple(&ctx, 10, rows, &I), ERR_OK);
    Trace w;
    trace_init(&w);
    uint32_t nodes = 0;
    Recorder rec;
    rec_init_sink(&rec, &w, count_nodes, &nodes);
    ctx.trace = &rec.hooks;
    ctx.trace_data = &rec;
    rec_unit_begin(&rec, &pf.programs[0], 0, 0);
    Inputs in = {I, v_empty_tuple(), v_none(), "t"};
    Value out;
    ctx_begin_run(&ctx, 0);
    cr_assert_eq(interp_solver(&ctx, &pf.programs[0], &in, &out), ERR_OK);
    cr_assert_eq(rec_unit_end(&rec, 1), 0);
    cr_assert_eq(nodes, 3 + 130, "asindices, lbind, apply and the adds");
    const RecHookCost *add = &rec.hook_cost[P_add];
    cr_assert_eq(add->seen, 130);
    cr_assert_eq(add->n, 3, "the adds numbered 0, 64 and 128");
    cr_assert_eq(add->mean, add->sum / add->n);
    cr_assert_eq(rec.hook_cost[P_asindices].seen, 0, "statements' own applications are not counted");
    cr_assert_eq(rec.hook_cost[P_apply].seen, 0);
    /* without times no clock is read, so nothing is sampled */
    rec.times = 0;
    rec_unit_begin(&rec, &pf.programs[0], 0, 0);
    cr_assert_eq(interp_solver(&ctx, &pf.programs[0], &in, &out), ERR_OK);
    cr_assert_eq(rec_unit_end(&rec, 1), 0);
    cr_assert_eq(add->seen, 130);
    cr_assert_eq(add->n, 3);
    rec_free(&rec);
    trace_free(&w);
    arena_free(&arena);
    program_free(&pf);
}

/* The first node's self time, as the sink is given it. */
static int first_self(void *data, const TraceUnit *u, const TraceNode *nodes, const uint64_t *args)
{
    (void)args;
    *(uint64_t *)data = u->nnodes ? nodes[0].self_ns : UINT64_MAX;
    return 0;
}

/* A recorder of a one-statement solver whose units give their first node's
 * self time, for tests that drive the hooks themselves. */
typedef struct SelfProbe {
    ProgramFile pf;
    Trace w;
    Recorder rec;
    uint64_t self;
} SelfProbe;

static void probe_open(SelfProbe *p)
{
    char err[256];
    cr_assert_eq(program_parse("test.py", "def solve_t(I):\n    O = identity(I)\n    return O\n", &p->pf, err,
                               sizeof err), 0, "%s", err);
    trace_init(&p->w);
    p->self = 0;
    rec_init_sink(&p->rec, &p->w, first_self, &p->self);
}

static void probe_close(SelfProbe *p)
{
    rec_free(&p->rec);
    trace_free(&p->w);
    program_free(&p->pf);
}

/* An application whose 20 ms pass inside an aside (work only a tracer
 * causes, such as the calls prapply's connect fast path reports) keeps none
 * of them as its self time; the same 20 ms outside an aside are its own. */
Test(record, an_aside_is_no_part_of_an_applications_self_time)
{
    SelfProbe p;
    probe_open(&p);
    Recorder *rec = &p.rec;
    Value prapply = prim_value(&prim_table[P_prapply]), connect = prim_value(&prim_table[P_connect]);
    Value args[3] = {connect, v_empty_set(), v_empty_set()}, pair[2] = {v_pair(0, 0), v_pair(0, 1)};
    for (int aside = 1; aside >= 0; aside--) {
        rec_unit_begin(rec, &p.pf.programs[0], 0, 0);
        cr_assert(rec->hooks.apply_enter(rec, prapply, 3, args));
        if (aside)
            rec->hooks.aside_begin(rec);
        uint64_t t0 = now_ns();
        for (int k = 0; now_ns() - t0 < 20000000u; k++) /* a nested call now and then */
            if (k % 1000 == 0 && rec->hooks.apply_enter(rec, connect, 2, pair))
                rec->hooks.apply_leave(rec, connect, ERR_OK, v_empty_set());
        if (aside)
            rec->hooks.aside_end(rec);
        rec->hooks.apply_leave(rec, prapply, ERR_OK, v_empty_set());
        cr_assert_eq(rec_unit_end(rec, 1), 0);
        if (aside)
            cr_assert_lt(p.self, 10000000u, "self time %llu ns of the 20 ms aside", (unsigned long long)p.self);
        else
            cr_assert_geq(p.self, 15000000u, "self time %llu ns of 20 ms", (unsigned long long)p.self);
    }
    probe_close(&p);
}

/* apply_enter, counted: how often the tracer is told of an application. */
static int (*real_enter)(void *, Value, int, const Value *);
static unsigned enters;

static int counting_enter(void *data, Value f, int argc, const Value *args)
{
    enters++;
    return real_enter(data, f, argc, args);
}

/* Past --max-nested a unit's primitives inside closures are counted, not
 * recorded: the first max_nested of them are nodes, the rest only add to
 * nested_dropped, and the statements' own nodes are all there. Once the
 * bound is reached inside a statement, call_value counts the rest of its
 * applications itself, without telling the tracer of each. */
Test(record, past_max_nested_calls_are_only_counted)
{
    ProgramFile pf;
    char err[256];
    cr_assert_eq(program_parse("test.py",
                               "def solve_t(I):\n"
                               "    x1 = asindices(I)\n"
                               "    x2 = lbind(add, UNITY)\n"
                               "    x3 = apply(x2, x1)\n"
                               "    O = apply(x2, x3)\n"
                               "    return O\n",
                               &pf, err, sizeof err), 0, "%s", err);
    Trace w;
    trace_init(&w);
    uint32_t nodes = 0;
    Recorder rec;
    rec_init_sink(&rec, &w, count_nodes, &nodes);
    rec.max_nested = 5;
    Ctx ctx;
    Arena arena;
    arena_init(&arena);
    ctx_init(&ctx, &arena);
    real_enter = rec.hooks.apply_enter;
    rec.hooks.apply_enter = counting_enter;
    ctx.trace = &rec.hooks;
    ctx.trace_data = &rec;
    Inputs in = {V("((0, 0, 0), (0, 0, 0))"), v_empty_tuple(), v_none(), "t"}; /* 6 indices */
    for (int unit = 0; unit < 2; unit++) { /* the bound is per unit */
        nodes = 0;
        enters = 0;
        rec_unit_begin(&rec, &pf.programs[0], 0, 0);
        Value out;
        ctx_begin_run(&ctx, 0);
        cr_assert_eq(interp_solver(&ctx, &pf.programs[0], &in, &out), ERR_OK);
        cr_assert_str_eq(R(out), "frozenset({(2, 2), (2, 3), (2, 4), (3, 2), (3, 3), (3, 4)})",
                         "counting changes nothing the program computes");
        cr_assert_eq(rec_unit_end(&rec, 1), 0);
        cr_assert_eq(nodes, 4 + 5, "the four statements and the first 5 of the 12 adds");
        cr_assert_eq(rec.nested_nodes, 5u * (unit + 1));
        cr_assert_eq(rec.nested_dropped, 7u * (unit + 1));
        /* the four statements; in x3, each item's closure and add (the 6th
         * add past the bound); in O, nothing inside (12 more without
         * count_only) */
        cr_assert_eq(enters, 4 + 2 * 6, "%u applications reported", enters);
        cr_assert_null(rec.hooks.count_only, "the next statement is reported again");
    }
    rec_free(&rec);
    trace_free(&w);
    arena_free(&arena);
    program_free(&pf);
}

/* A counted call's time stays with the node around it: 20 ms inside one
 * are the statement's own, where a recorded call would have taken them. */
Test(record, a_counted_calls_time_stays_with_the_node_around_it)
{
    SelfProbe p;
    probe_open(&p);
    Recorder *rec = &p.rec;
    Value apply = prim_value(&prim_table[P_apply]), add = prim_value(&prim_table[P_add]);
    Value args[2] = {add, v_empty_set()}, pair[2] = {v_pair(0, 0), v_pair(0, 1)};
    for (int counted = 1; counted >= 0; counted--) {
        rec->max_nested = counted ? 0 : 1;
        rec_unit_begin(rec, &p.pf.programs[0], 0, 0);
        rec->hooks.stmt_begin(rec, 0); /* apply is the statement's own application */
        cr_assert(rec->hooks.apply_enter(rec, apply, 2, args));
        int framed = rec->hooks.apply_enter(rec, add, 2, pair);
        cr_assert_eq(framed, !counted, "a counted call has no frame");
        for (uint64_t t0 = now_ns(); now_ns() - t0 < 20000000u;)
            ;
        if (framed)
            rec->hooks.apply_leave(rec, add, ERR_OK, v_pair(0, 1));
        rec->hooks.apply_leave(rec, apply, ERR_OK, v_empty_set());
        cr_assert_eq(rec_unit_end(rec, 1), 0);
        if (counted)
            cr_assert_geq(p.self, 15000000u, "self time %llu ns of 20 ms", (unsigned long long)p.self);
        else
            cr_assert_lt(p.self, 10000000u, "self time %llu ns, the 20 ms being add's",
                         (unsigned long long)p.self);
    }
    probe_close(&p);
}

/* Recording drops temporaries as run does (the recorder hashes the values it
 * noted in them first): the same trace, node for node and value for value,
 * as keeping everything, in far less memory (t_temporaries_solver makes
 * 320 KB inside each of apply's, valmax's and sfilter's calls). */
Test(record, dropping_temporaries_changes_no_node)
{
    char literal[512] = "("; /* a 10 x 10 grid */
    for (int k = 0; k < 10; k++)
        strcat(literal, "(1, 2, 3, 4, 5, 6, 7, 8, 9, 0), ");
    strcat(literal, ")");
    Trace kept, dropped;
    size_t held_kept, held_dropped;
    record_source_with(t_temporaries_solver, literal, NULL, false, &kept, &held_kept);
    record_source_with(t_temporaries_solver, literal, NULL, true, &dropped, &held_dropped);
    cr_assert_gt(held_kept, (size_t)1 << 20, "%zu bytes held keeping everything", held_kept);
    cr_assert_lt(held_dropped * 4, held_kept, "%zu bytes held dropping, %zu keeping", held_dropped, held_kept);
    cr_assert_eq(dropped.units[0].nnodes, kept.units[0].nnodes);
    cr_assert_gt(kept.units[0].nnodes, 20, "the nodes inside apply, valmax and sfilter are there");
    cr_assert_eq(dropped.values.count, kept.values.count);
    for (uint32_t k = 0; k < kept.units[0].nnodes; k++) {
        const TraceNode *a = node(&kept, k), *b = node(&dropped, k);
        cr_assert(a->op == b->op && a->err == b->err && a->nargs == b->nargs && a->parent == b->parent &&
                      a->stmt == b->stmt && (a->err || a->result == b->result),
                  "node %u", k);
        for (unsigned j = 0; j < a->nargs; j++)
            cr_assert_eq(arg(&kept, a, j), arg(&dropped, b, j), "node %u, argument %u", k, j);
    }
    cr_assert_eq(dropped.units[0].calls[0].err, ERR_OK);
    cr_assert_eq(dropped.units[0].calls[0].out, kept.units[0].calls[0].out, "the same output");
    trace_free(&kept);
    trace_free(&dropped);
}

/* may_drop: a value noted in what is dropped is taken by its content hash;
 * one the writer must read whole (here a tuple holding a function) keeps
 * everything. */
Test(record, a_drop_keeps_what_the_writer_reads_whole)
{
    ProgramFile pf;
    char err[256];
    cr_assert_eq(program_parse("test.py", "def solve_t(I):\n    O = identity(I)\n    return O\n", &pf, err,
                               sizeof err), 0, "%s", err);
    Trace w;
    trace_init(&w);
    uint32_t nodes = 0;
    Recorder rec;
    rec_init_sink(&rec, &w, count_nodes, &nodes);
    Arena a;
    arena_init(&a);
    Ctx ctx;
    ctx_init(&ctx, &a);
    Value apply = prim_value(&prim_table[P_apply]), size = prim_value(&prim_table[P_size]);
    Value args[2] = {size, v_empty_set()};
    rec_unit_begin(&rec, &pf.programs[0], 0, 0);
    rec.hooks.stmt_begin(&rec, 0);
    cr_assert(rec.hooks.apply_enter(&rec, apply, 2, args));
    ArenaMark m = arena_mark(&a);
    size_t noted = *rec.hooks.noted;
    Value items[3] = {v_int(1), v_int(2), v_int(3)}, t, holder;
    cr_assert_eq(mk_tuple(&ctx, 3, items, &t), ERR_OK);
    cr_assert_eq(t.tag, VT_TUPLE);
    cr_assert(rec.hooks.apply_enter(&rec, size, 1, &t));
    rec.hooks.apply_leave(&rec, size, ERR_OK, v_int(3));
    cr_assert_eq(*rec.hooks.noted, noted + 2, "the argument and the result");
    const RecPending *p = &rec.cur->pend[noted];
    cr_assert_eq(p->word, 0, "an argument is hashed by the writer");
    cr_assert(rec.hooks.may_drop(&rec, &a, m, noted));
    cr_assert_eq(p->word, v_hash(t), "hashed before its memory goes");
    cr_assert_eq(mk_tuple(&ctx, 1, &size, &holder), ERR_OK);
    cr_assert(rec.hooks.apply_enter(&rec, size, 1, &holder));
    rec.hooks.apply_leave(&rec, size, ERR_OK, v_int(1));
    cr_assert_not(rec.hooks.may_drop(&rec, &a, m, noted), "a function is recorded whole");
    rec.hooks.apply_leave(&rec, apply, ERR_OK, v_empty_set());
    cr_assert_eq(rec_unit_end(&rec, 1), 0);
    rec_free(&rec);
    trace_free(&w);
    arena_free(&a);
    program_free(&pf);
}
