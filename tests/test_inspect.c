/* test_inspect.c: `battrace inspect` and `battrace profile` on small traces
 * built by hand (two solvers on four samples, with closure-internal nodes
 * and errors; a batt on two samples), written with the trace writer and
 * read back by the built command. Expectations are worked out by hand in
 * the comments. */
#include "support.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tracer/trace.h"


static const char *tmp(const char *name)
{
    static char paths[4][256];
    static int k;
    k = (k + 1) & 3;
    snprintf(paths[k], sizeof paths[k], "/tmp/battrace-insp-%d-%s", (int)getpid(), name);
    return paths[k];
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = 0;
    fclose(f);
    return s;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* ---- building traces ---- */

typedef struct UB {
    TraceUnit u;
    TraceNode nodes[16];
    uint64_t args[64];
    uint64_t bind[2][16];
    unsigned na;
} UB;

#define NODE(k) ref_make(REF_NODE, (k))
#define INPUT(k) ref_make(REF_INPUT, (k))
#define VAL(id) ref_make(REF_VALUE, (id))
#define PRIM(p) ref_make(REF_PRIM, (p))

static void ub_begin(UB *b, uint32_t program, uint32_t sample, uint64_t us)
{
    memset(b, 0, sizeof *b);
    b->u.program = program;
    b->u.sample = sample;
    b->u.us = us;
}

/* Append a node: parent is the node index it was applied inside, or -1. */
static uint32_t ub_node(UB *b, unsigned op, Err err, int parent, uint32_t stmt, uint32_t result,
                        uint64_t self_ns, unsigned nargs, ...)
{
    uint32_t k = b->u.nnodes++;
    TraceNode *n = &b->nodes[k];
    memset(n, 0, sizeof *n);
    n->op = (uint16_t)op;
    n->err = (uint8_t)err;
    n->nargs = (uint8_t)nargs;
    n->parent = parent < 0 ? 0 : (uint32_t)parent + 1;
    n->stmt = stmt;
    n->result = err ? 0 : result;
    n->self_ns = self_ns;
    n->args_at = b->na;
    va_list ap;
    va_start(ap, nargs);
    for (unsigned a = 0; a < nargs; a++)
        b->args[b->na++] = va_arg(ap, uint64_t);
    va_end(ap);
    return k;
}

/* Set call c: its error, statements done, output id (-1: none), bindings. */
static void ub_call(UB *b, unsigned c, Err err, uint32_t done, int64_t out, unsigned nbind, ...)
{
    TraceCall *tc = &b->u.calls[c];
    tc->err = (uint8_t)err;
    tc->done = done;
    tc->out = out < 0 ? 0 : (uint32_t)out + 1;
    tc->nbind = nbind;
    tc->bind = b->bind[c];
    va_list ap;
    va_start(ap, nbind);
    for (unsigned k = 0; k < nbind; k++)
        b->bind[c][k] = va_arg(ap, uint64_t);
    va_end(ap);
    if (b->u.ncalls < c + 1)
        b->u.ncalls = (uint8_t)(c + 1);
}

static uint32_t id_of(Trace *t, const char *literal) { return vt_intern(&t->values, V(literal)); }

static void add_sample(Trace *t, const char *key, int split, uint32_t index, const char *input,
                       const char *output, const char *S)
{
    TraceSample *s = &t->samples[t->nsamples++];
    memset(s, 0, sizeof *s);
    s->key = (char *)key;
    s->split = (uint8_t)split;
    s->index = index;
    s->input = id_of(t, input);
    s->has_output = output != NULL;
    s->output = output ? id_of(t, output) : 0;
    s->S = id_of(t, S);
}

static const char *meta_for(const Trace *t, size_t units, size_t nodes)
{
    static char meta[1024];
    snprintf(meta, sizeof meta,
             "{\"tool\":\"battrace test\",\"programs_path\":\"p.py\",\"tasks_path\":\"tasks\","
             "\"mode\":\"own\",\"split\":\"all\",\"max_programs\":0,\"max_samples\":0,"
             "\"is_batt\":%s,\"units\":%zu,\"nodes\":%zu,\"values\":%u,\"record_ns\":1000}",
             t->is_batt ? "true" : "false", units, nodes, t->values.count);
    return meta;
}

static void write_trace(const char *path, Trace *t, UB *units, size_t nunits)
{
    char err[512];
    size_t nodes = 0;
    for (size_t k = 0; k < nunits; k++)
        nodes += units[k].u.nnodes;
    TraceWriter *w = tw_open(path, t, err, sizeof err);
    cr_assert_not_null(w, "tw_open: %s", err);
    for (size_t k = 0; k < nunits; k++)
        cr_assert_eq(tw_unit(w, &units[k].u, units[k].nodes, units[k].args), 0);
    cr_assert_eq(tw_close(w, t, meta_for(t, nunits, nodes), err, sizeof err), 0, "tw_close: %s", err);
}

static char *const solver_programs[] = {"solve_aaa", "solve_bbb"};
static TraceSample sample_store[8];

/* The solver trace, value ids of interest in ids (vm0, vm1, row0, row1, row2, row3).
 *
 * samples: 0 aaa:train:0  I0 = ((1, 2), (3, 4)) -> ((2, 1), (4, 3))
 *          1 aaa:test:0   I1 = ((5, 6), (7, 8)) -> ((6, 5), (8, 7))
 *          2 bbb:train:0  I0 again                -> ((0,),)
 *          3 bbb:test:0   I0 again, no output
 * solve_aaa: x1 = vmirror(I); x2 = apply(first, x1) [first on each row,
 *            inside apply]; O = identity(x1)   (on sample 1 identity raises
 *            TypeError, which ends the call)
 * solve_bbb: x1 = vmirror(I); O = size(x1)
 *
 * Levels: vmirror 1, apply 2, first 3 (inside apply), identity 2, size 2.
 * Groups (level, op): vmirror x4, apply x2, first x4, identity x2, size x2.
 * Distinct (op, arg ids): vmirror {I0, I1} = 2; apply {(first, vm0), (first,
 * vm1)} = 2; first {(2,1), (4,3), (6,5), (8,7)} = 4; identity {vm0, vm1} = 2;
 * size {vm0} = 1 (both bbb samples have input I0). */
/* A solver trace's header: the first nprograms of solver_programs, and
 * sample 0 of task aaa. */
static void solver_header(Trace *t, uint32_t nprograms)
{
    trace_init(t);
    t->programs = (char **)solver_programs;
    t->nprograms = nprograms;
    t->samples = sample_store;
    t->source = (char *)"def solve_aaa(I):\n    ...\n";
    t->source_len = strlen(t->source);
    add_sample(t, "aaa", 0, 0, "((1, 2), (3, 4))", "((2, 1), (4, 3))", "()");
}

static void solver_trace(const char *path, uint32_t *ids)
{
    Trace t;
    solver_header(&t, 2);
    add_sample(&t, "aaa", 1, 0, "((5, 6), (7, 8))", "((6, 5), (8, 7))", "()");
    add_sample(&t, "bbb", 0, 0, "((1, 2), (3, 4))", "((0,),)", "()");
    add_sample(&t, "bbb", 1, 0, "((1, 2), (3, 4))", NULL, "()");
    uint32_t vm0 = id_of(&t, "((2, 1), (4, 3))"), vm1 = id_of(&t, "((6, 5), (8, 7))");
    uint32_t r0 = id_of(&t, "(2, 1)"), r1 = id_of(&t, "(4, 3)");
    uint32_t r2 = id_of(&t, "(6, 5)"), r3 = id_of(&t, "(8, 7)");
    uint32_t f0 = id_of(&t, "(2, 4)"), f1 = id_of(&t, "(6, 8)");
    uint32_t two = id_of(&t, "2"), i2 = id_of(&t, "2"), i4 = id_of(&t, "4");
    uint32_t i6 = id_of(&t, "6"), i8 = id_of(&t, "8");
    if (ids) {
        uint32_t v[] = {vm0, vm1, r0, r1, r2, r3};
        memcpy(ids, v, sizeof v);
    }
    UB u[4];
    /* unit 0: solve_aaa on sample 0, returns vm0 (matches) */
    ub_begin(&u[0], 0, 0, 120);
    ub_node(&u[0], P_vmirror, 0, -1, 0, vm0, 100000, 1, INPUT(0));
    ub_node(&u[0], P_apply, 0, -1, 1, f0, 3000, 2, PRIM(P_first), NODE(0));
    ub_node(&u[0], P_first, 0, 1, 1, i2, 1000, 1, VAL(r0));
    ub_node(&u[0], P_first, 0, 1, 1, i4, 1000, 1, VAL(r1));
    ub_node(&u[0], P_identity, 0, -1, 2, vm0, 500, 1, NODE(0));
    ub_call(&u[0], 0, 0, 3, vm0, 3, NODE(0), NODE(1), NODE(4));
    /* unit 1: solve_aaa on sample 1, identity raises TypeError */
    ub_begin(&u[1], 0, 1, 80);
    ub_node(&u[1], P_vmirror, 0, -1, 0, vm1, 100000, 1, INPUT(0));
    ub_node(&u[1], P_apply, 0, -1, 1, f1, 3000, 2, PRIM(P_first), NODE(0));
    ub_node(&u[1], P_first, 0, 1, 1, i6, 1000, 1, VAL(r2));
    ub_node(&u[1], P_first, 0, 1, 1, i8, 1000, 1, VAL(r3));
    ub_node(&u[1], P_identity, ERR_TYPE, -1, 2, 0, 500, 1, NODE(0));
    ub_call(&u[1], 0, ERR_TYPE, 2, -1, 2, NODE(0), NODE(1));
    /* units 2 and 3: solve_bbb on samples 2 and 3, return 2 */
    for (int k = 2; k < 4; k++) {
        ub_begin(&u[k], 1, (uint32_t)k, k == 2 ? 30 : 25);
        ub_node(&u[k], P_vmirror, 0, -1, 0, vm0, 100000, 1, INPUT(0));
        ub_node(&u[k], P_size, 0, -1, 1, two, 700, 1, NODE(0));
        ub_call(&u[k], 0, 0, 2, two, 2, NODE(0), NODE(1));
    }
    write_trace(path, &t, u, 4);
    vt_free(&t.values);
}

static char *const batt_programs[] = {"batt"};

/* A batt on two samples of task aaa (same input I0; the second has no
 * output). Call 0 (C = None, recorded as the value None): x1 = equality(C,
 * I); x2 = vmirror(I); returns (o, s). Call 1 (C = the output, an input
 * ref): x1 = equality(C, I) again; x2 reused; returns s_c. On sample 1 the
 * second call raises ValueError. equality's distinct calls: (None, I0),
 * (out0, I0) on sample 0, and (None, I0) twice on sample 1 (no output: C
 * resolves to None's id) = 2. */
static void batt_trace(const char *path)
{
    Trace t;
    trace_init(&t);
    t.programs = (char **)batt_programs;
    t.nprograms = 1;
    t.samples = sample_store;
    t.is_batt = 1;
    t.source = (char *)"def batt(task_id, S, I, C, log_path):\n    ...\n";
    t.source_len = strlen(t.source);
    add_sample(&t, "aaa", 0, 0, "((1, 2), (3, 4))", "((2, 1), (4, 3))", "()");
    add_sample(&t, "aaa", 1, 0, "((1, 2), (3, 4))", NULL, "()");
    uint32_t none = id_of(&t, "None"), f = id_of(&t, "False"), vm0 = id_of(&t, "((2, 1), (4, 3))");
    uint32_t os = id_of(&t, "(((0, 1, 2, 3),), (5,))"), sc = id_of(&t, "(6,)");
    UB u[2];
    for (int k = 0; k < 2; k++) {
        ub_begin(&u[k], 0, (uint32_t)k, 40 + k);
        ub_node(&u[k], P_equality, 0, -1, 0, f, 200, 2, VAL(none), INPUT(0));
        ub_node(&u[k], P_vmirror, 0, -1, 1, vm0, 900, 1, INPUT(0));
        ub_call(&u[k], 0, 0, 3, os, 2, NODE(0), NODE(1));
        ub_node(&u[k], P_equality, 0, -1, 0, f, 200, 2, INPUT(2), INPUT(0));
        if (k == 0)
            ub_call(&u[k], 1, 0, 3, sc, 2, NODE(2), NODE(1));
        else
            ub_call(&u[k], 1, ERR_VALUE, 1, -1, 1, NODE(2));
    }
    write_trace(path, &t, u, 2);
    vt_free(&t.values);
}

/* ---- inspect ---- */

Test(inspect, summary_counts)
{
    const char *tr = tmp("sum.trace");
    solver_trace(tr, NULL);
    char out[8192];
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s", t_bin(), tr), 0, "%s", out);
    cr_assert(strstr(out, "programs    2\n"), "%s", out);
    cr_assert(strstr(out, "samples     4\n"), "%s", out);
    cr_assert(strstr(out, "units       4\n"), "%s", out);
    cr_assert(strstr(out, "calls       4\n"), "%s", out);
    cr_assert(strstr(out, "nodes       14: 10 statement-level, 4 inside closures"), "%s", out);
    cr_assert(strstr(out, "nodes: TypeError 1; calls: TypeError 1"), "%s", out);
    cr_assert(strstr(out, "bytes per node"), "%s", out);
    /* most called: vmirror 4, first 4, then apply, identity, size 2 each */
    const char *vm = strstr(out, "vmirror"), *fi = strstr(out, "first"), *sz = strstr(out, "size ");
    cr_assert(vm && fi && sz && fi < vm && vm < sz, "%s", out);
    unlink(tr);
}

Test(inspect, rows_are_runs_rows)
{
    const char *tr = tmp("rows.trace"), *rows = tmp("rows.jsonl");
    solver_trace(tr, NULL);
    char out[8192];
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s --rows %s", t_bin(), tr, rows), 0, "%s", out);
    char *got = slurp(rows);
    cr_assert_str_eq(got,
        "{\"program\":\"solve_aaa\",\"task\":\"aaa\",\"split\":\"train\",\"index\":0,\"us\":120,"
        "\"ok\":true,\"match\":true,\"output\":[[2,1],[4,3]]}\n"
        "{\"program\":\"solve_aaa\",\"task\":\"aaa\",\"split\":\"test\",\"index\":0,\"us\":80,"
        "\"ok\":false,\"match\":false,\"error\":\"TypeError\"}\n"
        "{\"program\":\"solve_bbb\",\"task\":\"bbb\",\"split\":\"train\",\"index\":0,\"us\":30,"
        "\"ok\":true,\"match\":false,\"output\":2}\n"
        "{\"program\":\"solve_bbb\",\"task\":\"bbb\",\"split\":\"test\",\"index\":0,\"us\":25,"
        "\"ok\":true,\"match\":false,\"output\":2}\n");
    /* to stdout: the rows alone there, the summary on stderr */
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s --rows - 2>/dev/null", t_bin(), tr), 0);
    cr_assert_str_eq(out, got);
    free(got);
    unlink(rows);
    unlink(tr);
}

Test(inspect, batt_rows)
{
    const char *tr = tmp("batt.trace"), *rows = tmp("batt.jsonl");
    batt_trace(tr);
    char out[8192];
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s --rows %s", t_bin(), tr, rows), 0, "%s", out);
    cr_assert(strstr(out, "calls       4 (2 per unit)"), "%s", out);
    char *got = slurp(rows);
    cr_assert_str_eq(got,
        "{\"program\":\"batt\",\"task\":\"aaa\",\"split\":\"train\",\"index\":0,\"us\":40,"
        "\"o\":[[0,1,2,3]],\"s\":[5],\"s_c\":[6]}\n"
        "{\"program\":\"batt\",\"task\":\"aaa\",\"split\":\"test\",\"index\":0,"
        "\"error_c\":\"ValueError\",\"us\":41,\"o\":[[0,1,2,3]],\"s\":[5],\"s_c\":null}\n");
    free(got);
    unlink(rows);
    unlink(tr);
}

static const cJSON *get(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    cr_assert_not_null(v, "no key %s", key);
    return v;
}

static const cJSON *at(const cJSON *a, int k)
{
    const cJSON *v = cJSON_GetArrayItem(a, k);
    cr_assert_not_null(v, "no item %d", k);
    return v;
}

Test(inspect, json_export)
{
    const char *tr = tmp("json.trace"), *js = tmp("export.json");
    uint32_t ids[6];
    solver_trace(tr, ids);
    char out[8192];
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s --json %s", t_bin(), tr, js), 0, "%s", out);
    char *text = slurp(js);
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root, "not JSON: %.300s", text);
    cr_assert(cJSON_IsFalse(get(get(root, "meta"), "is_batt")));
    cr_assert_str_eq(get(get(root, "meta"), "mode")->valuestring, "own");
    const cJSON *progs = get(root, "programs");
    cr_assert_eq(cJSON_GetArraySize(progs), 2);
    cr_assert_str_eq(at(progs, 1)->valuestring, "solve_bbb");
    const cJSON *samples = get(root, "samples");
    cr_assert_eq(cJSON_GetArraySize(samples), 4);
    cr_assert_str_eq(get(at(samples, 1), "key")->valuestring, "aaa");
    cr_assert_str_eq(get(at(samples, 1), "split")->valuestring, "test");
    cr_assert_eq(get(at(samples, 3), "index")->valueint, 0);
    /* values: each id decoded, encoded as in the rows */
    const cJSON *values = get(root, "values");
    char *vm0 = cJSON_PrintUnformatted(at(values, (int)ids[0]));
    cr_assert_str_eq(vm0, "[[2,1],[4,3]]");
    free(vm0);
    const cJSON *units = get(root, "units");
    cr_assert_eq(cJSON_GetArraySize(units), 4);
    const cJSON *u0 = at(units, 0), *u1 = at(units, 1);
    cr_assert_str_eq(get(u0, "program")->valuestring, "solve_aaa");
    cr_assert_eq(get(u1, "sample")->valueint, 1);
    cr_assert_eq(get(u0, "us")->valueint, 120);
    const cJSON *c0 = at(get(u0, "calls"), 0);
    cr_assert(cJSON_IsNull(get(c0, "error")));
    cr_assert_eq(get(c0, "done")->valueint, 3);
    cr_assert_eq(get(c0, "out")->valueint, (int)ids[0]);
    const cJSON *c1 = at(get(u1, "calls"), 0);
    cr_assert_str_eq(get(c1, "error")->valuestring, "TypeError");
    cr_assert(cJSON_IsNull(get(c1, "out")));
    const cJSON *nodes = get(u0, "nodes");
    cr_assert_eq(cJSON_GetArraySize(nodes), 5);
    const cJSON *n0 = at(nodes, 0), *n1 = at(nodes, 1), *n2 = at(nodes, 2);
    cr_assert_str_eq(get(n0, "op")->valuestring, "vmirror");
    cr_assert(cJSON_IsNull(get(n0, "parent")));
    cr_assert_str_eq(get(at(get(n0, "args"), 0), "input")->valuestring, "I");
    cr_assert_eq(get(n0, "result")->valueint, (int)ids[0]);
    cr_assert_str_eq(get(at(get(n1, "args"), 0), "prim")->valuestring, "first");
    cr_assert_eq(get(at(get(n1, "args"), 1), "node")->valueint, 0);
    cr_assert_eq(get(n1, "stmt")->valueint, 1);
    cr_assert_str_eq(get(n2, "op")->valuestring, "first");
    cr_assert_eq(get(n2, "parent")->valueint, 1);
    cr_assert_eq(get(at(get(n2, "args"), 0), "value")->valueint, (int)ids[2]);
    const cJSON *bad = at(get(u1, "nodes"), 4);
    cr_assert_str_eq(get(bad, "error")->valuestring, "TypeError");
    cr_assert(cJSON_IsNull(get(bad, "result")));
    cJSON_Delete(root);
    free(text);
    unlink(js);
    unlink(tr);
}

/* Numbers past an int (a node of 5 s, a unit of 50 min, a self time of 17
 * digits) are written as cJSON writes them: the units are written without
 * a cJSON tree, the rest of the export with one. */
Test(inspect, json_export_writes_large_numbers_as_cjson_does)
{
    const char *tr = tmp("big.trace"), *js = tmp("big.json");
    Trace t;
    solver_header(&t, 1);
    uint32_t vm0 = id_of(&t, "((2, 1), (4, 3))");
    const double big[] = {5e9, 123456789012345678.0, 3e9};
    UB u;
    ub_begin(&u, 0, 0, (uint64_t)big[2]);
    ub_node(&u, P_vmirror, 0, -1, 0, vm0, (uint64_t)big[0], 1, INPUT(0));
    ub_node(&u, P_identity, 0, -1, 1, vm0, (uint64_t)big[1], 1, NODE(0));
    ub_call(&u, 0, 0, 2, vm0, 2, NODE(0), NODE(1));
    write_trace(tr, &t, &u, 1);
    vt_free(&t.values);
    char out[8192];
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s --json %s", t_bin(), tr, js), 0, "%s", out);
    char *text = slurp(js);
    const char *keys[] = {"\"self_ns\":", "\"self_ns\":", "\"us\":"};
    for (int k = 0; k < 3; k++) {
        cJSON *n = cJSON_CreateNumber((double)(uint64_t)big[k]);
        char *want = cJSON_PrintUnformatted(n), field[96];
        snprintf(field, sizeof field, "%s%s%s", keys[k], want, k == 2 ? ",\"calls\"" : "}");
        cr_assert(strstr(text, field), "no %s in %.600s", field, text);
        cJSON_free(want);
        cJSON_Delete(n);
    }
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root, "not JSON: %.300s", text);
    cJSON_Delete(root);
    free(text);
    unlink(js);
    unlink(tr);
}

Test(inspect, dot_of_one_sample)
{
    const char *tr = tmp("dot.trace"), *dot = tmp("g.dot");
    solver_trace(tr, NULL);
    char out[16384];
    /* sample 0: unit 0 only: 5 boxes, the input I; edges I->vmirror,
     * vmirror->apply, vmirror->identity (solid), apply->first x2 (dashed) */
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s --dot 0 2>/dev/null", t_bin(), tr), 0, "%s", out);
    cr_assert(strstr(out, "digraph"), "%s", out);
    cr_assert_eq(count(out, "subgraph cluster_"), 1, "%s", out);
    cr_assert(strstr(out, "label=\"solve_aaa\""), "%s", out);
    cr_assert_eq(count(out, "shape=box"), 5, "%s", out);
    cr_assert_eq(count(out, "shape=ellipse"), 1, "%s", out);
    cr_assert_eq(count(out, " -> "), 5, "%s", out);
    cr_assert_eq(count(out, "style=dashed"), 2, "%s", out);
    cr_assert_eq(count(out, ", color=red"), 0, "%s", out);
    /* by key: aaa:test:0 is unit 1, whose identity raised */
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s --dot aaa:test:0 2>/dev/null", t_bin(), tr), 0);
    cr_assert_eq(count(out, ", color=red"), 1, "%s", out);
    cr_assert(strstr(out, "identity\\nTypeError"), "%s", out);
    FILE *f = fopen(dot, "w");
    fputs(out, f);
    fclose(f);
    if (system("command -v dot >/dev/null 2>&1") == 0)
        cr_assert_eq(t_sh(out, sizeof out, "dot -Tsvg %s -o /dev/null", dot), 0, "dot: %s", out);
    /* unknown samples are refused */
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s --dot 9", t_bin(), tr), 2);
    cr_assert(strstr(out, "no sample '9'"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s --dot zzz:train:0", t_bin(), tr), 2);
    unlink(dot);
    unlink(tr);
}

Test(inspect, usage_and_refused_traces)
{
    char out[8192];
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect", t_bin()), 2);
    cr_assert(strstr(out, "missing TRACE"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect x --bogus", t_bin()), 2);
    cr_assert(strstr(out, "unknown option '--bogus'"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect --help", t_bin()), 0);
    cr_assert(strstr(out, "--dot SAMPLE"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s profile --help", t_bin()), 0);
    cr_assert(strstr(out, "est_saving_ns"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect /nonexistent/t.trace", t_bin()), 2);
    cr_assert(strstr(out, "/nonexistent/t.trace"), "%s", out);

    /* flip one byte of the body: the checksum no longer matches */
    const char *tr = tmp("bad.trace");
    solver_trace(tr, NULL);
    FILE *f = fopen(tr, "r+b");
    cr_assert_not_null(f);
    fseek(f, 80, SEEK_SET);
    int c = fgetc(f);
    fseek(f, 80, SEEK_SET);
    fputc(c ^ 0x5a, f);
    fclose(f);
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s", t_bin(), tr), 2);
    cr_assert(strstr(out, tr), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s profile %s", t_bin(), tr), 2);
    cr_assert(strstr(out, tr), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s replay %s", t_bin(), tr), 2);
    cr_assert(strstr(out, tr) && strstr(out, "checksum"), "%s", out);
    /* cut short anywhere (here: at a third, and one byte short): every
     * command refuses it, naming the file, and none crashes */
    for (int cut = 0; cut < 2; cut++) {
        solver_trace(tr, NULL);
        struct stat st;
        cr_assert_eq(stat(tr, &st), 0);
        cr_assert_eq(truncate(tr, cut ? st.st_size - 1 : st.st_size / 3), 0);
        const char *cmds[] = {"inspect %s", "inspect %s --rows /dev/null", "profile %s", "replay %s",
                              "replay %s --verify"};
        for (size_t k = 0; k < sizeof cmds / sizeof *cmds; k++) {
            char cmd[512];
            snprintf(cmd, sizeof cmd, cmds[k], tr);
            cr_assert_eq(t_sh(out, sizeof out, "%s %s", t_bin(), cmd), 2, "%s: %s", cmd, out);
            cr_assert(strstr(out, tr), "%s: %s", cmd, out);
        }
    }
    /* a file that is not a trace */
    f = fopen(tr, "w");
    fputs("hello\n", f);
    fclose(f);
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s --rows -", t_bin(), tr), 2);
    cr_assert(strstr(out, tr), "%s", out);
    unlink(tr);
}

Test(inspect, unwritable_output_exits_1)
{
    const char *tr = tmp("unw.trace");
    solver_trace(tr, NULL);
    char out[8192];
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s --rows /nonexistent/dir/r.jsonl", t_bin(), tr), 1);
    cr_assert(strstr(out, "/nonexistent/dir/r.jsonl"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s profile %s --html /nonexistent/dir/p.html", t_bin(), tr), 1);
    unlink(tr);
}

/* ---- profile ---- */

static const cJSON *prim_row(const cJSON *prims, const char *name)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, prims)
        if (!strcmp(get(p, "name")->valuestring, name))
            return p;
    cr_assert_fail("no row for %s", name);
    return NULL;
}

static double num(const cJSON *o, const char *key) { return get(o, key)->valuedouble; }

Test(profile, per_primitive_json)
{
    const char *tr = tmp("prof.trace"), *js = tmp("prof.json"), *html = tmp("prof.html");
    solver_trace(tr, NULL);
    char out[16384];
    cr_assert_eq(t_sh(out, sizeof out, "%s profile %s --json %s --html %s", t_bin(), tr, js, html), 0,
                 "%s", out);
    cr_assert(strstr(out, "vmirror"), "%s", out);
    char *text = slurp(js);
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root, "%s", text);
    const cJSON *prims = get(root, "primitives");
    cr_assert_eq(cJSON_GetArraySize(prims), 5);
    /* sorted by estimated saving: vmirror first */
    cr_assert_str_eq(get(at(prims, 0), "name")->valuestring, "vmirror");
    /* repeats: vmirror on samples 2 and 3 (the input of sample 0 again),
     * size of that vmirror's result on sample 3 */
    struct { const char *name; double calls, distinct, groups, max_width, self_ns, repeat_ns; } want[] = {
        {"vmirror", 4, 2, 1, 4, 400000, 200000},
        {"apply", 2, 2, 1, 2, 6000, 0},
        {"first", 4, 4, 1, 4, 4000, 0},
        {"identity", 2, 2, 1, 2, 1000, 0},
        {"size", 2, 1, 1, 2, 1400, 700},
    };
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        const cJSON *p = prim_row(prims, want[k].name);
        cr_assert_eq(num(p, "calls"), want[k].calls, "%s calls", want[k].name);
        cr_assert_eq(num(p, "distinct"), want[k].distinct, "%s distinct", want[k].name);
        cr_assert_eq(num(p, "groups"), want[k].groups, "%s groups", want[k].name);
        cr_assert_eq(num(p, "max_width"), want[k].max_width, "%s max_width", want[k].name);
        cr_assert_eq(num(p, "mean_width"), want[k].calls / want[k].groups, "%s", want[k].name);
        cr_assert_eq(num(p, "self_ns"), want[k].self_ns, "%s self_ns", want[k].name);
        cr_assert_eq(num(p, "repeat_ns"), want[k].repeat_ns, "%s repeat_ns", want[k].name);
    }
    cr_assert_eq(num(root, "repeat_ns"), 200700);
    cr_assert(strstr(out, "repeated calls (same primitive, same argument values): 200.7 us of 412.4 us (48.7%)"),
              "%s", out);
    /* vmirror: 400000 - (1 * 5000 + 400000 / 20) = 375000; first: negative -> 0 */
    cr_assert_eq(num(prim_row(prims, "vmirror"), "est_saving_ns"), 375000);
    cr_assert_eq(num(prim_row(prims, "first"), "est_saving_ns"), 0);
    double share = num(prim_row(prims, "vmirror"), "share");
    cr_assert(share > 0.9699 && share < 0.9700, "share %f", share); /* 400000 / 412400 */
    cJSON_Delete(root);
    free(text);
    char *page = slurp(html);
    cr_assert(strstr(page, "<svg"), "no chart");
    cr_assert(!strstr(page, "<script"), "scripts in the page");
    cr_assert(strstr(page, "<table"), "no table");
    free(page);
    unlink(js);
    unlink(html);
    unlink(tr);
}

Test(profile, batt_c_resolves_per_call)
{
    const char *tr = tmp("bprof.trace");
    batt_trace(tr);
    char out[16384];
    cr_assert_eq(t_sh(out, sizeof out, "%s profile %s --json - 2>/dev/null", t_bin(), tr), 0, "%s", out);
    cJSON *root = cJSON_Parse(out);
    cr_assert_not_null(root, "%s", out);
    const cJSON *eq = prim_row(get(root, "primitives"), "equality");
    cr_assert_eq(num(eq, "calls"), 4);
    cr_assert_eq(num(eq, "distinct"), 2);
    cr_assert_eq(num(eq, "max_width"), 4);
    const cJSON *vm = prim_row(get(root, "primitives"), "vmirror");
    cr_assert_eq(num(vm, "calls"), 2);
    cr_assert_eq(num(vm, "distinct"), 1);
    cJSON_Delete(root);
    unlink(tr);
}

/* A trace large enough to grow profile's tables (the set of distinct calls
 * starts at 4096 slots, the (level, primitive) group counts at 1024): two
 * programs on 200 samples, each unit a chain of 16 statements, statement k
 * on sample s applying primitive 37 s + 11 k (mod the table's size) to the
 * result of statement k - 1 (to a value of its own sample for k = 0), every
 * result a value of its own. Program 1 repeats program 0 exactly (the units
 * in sample order, so that the tables grow holding counts of 2), so each
 * primitive has half its calls distinct; its groups are the (level k + 1,
 * primitive) pairs met, counted here by the same rule. */
#define GROW_SAMPLES 200
#define GROW_CHAIN 16

static unsigned grow_op(unsigned s, unsigned k) { return (37u * s + 11u * k) % P__COUNT; }

static void grow_trace(const char *path)
{
    static TraceSample samples[GROW_SAMPLES];
    static char keys[GROW_SAMPLES][8];
    static UB u[2 * GROW_SAMPLES];
    Trace t;
    solver_header(&t, 2);
    t.samples = samples;
    t.nsamples = 0;
    for (unsigned s = 0; s < GROW_SAMPLES; s++) {
        snprintf(keys[s], sizeof keys[s], "t%03u", s);
        add_sample(&t, keys[s], 0, 0, "((1,),)", NULL, "()");
    }
    for (unsigned s = 0; s < GROW_SAMPLES; s++)
        for (unsigned p = 0; p < 2; p++) {
            UB *b = &u[2 * s + p];
            char lit[32];
            snprintf(lit, sizeof lit, "%u", 1000000 + s);
            ub_begin(b, p, s, 10);
            uint64_t arg = VAL(id_of(&t, lit));
            for (unsigned k = 0; k < GROW_CHAIN; k++) {
                snprintf(lit, sizeof lit, "%u", s * GROW_CHAIN + k);
                ub_node(b, grow_op(s, k), 0, -1, k, id_of(&t, lit), 1000, 1, arg);
                arg = NODE(k);
            }
            ub_call(b, 0, 0, GROW_CHAIN, (int64_t)id_of(&t, lit), 1, NODE(GROW_CHAIN - 1));
        }
    write_trace(path, &t, u, 2 * GROW_SAMPLES);
    vt_free(&t.values);
}

Test(profile, tables_grow_past_their_first_size)
{
    const char *tr = tmp("gprof.trace");
    grow_trace(tr);
    static unsigned calls[P__COUNT], width[GROW_CHAIN][P__COUNT];
    for (unsigned s = 0; s < GROW_SAMPLES; s++)
        for (unsigned k = 0; k < GROW_CHAIN; k++) {
            calls[grow_op(s, k)] += 2;
            width[k][grow_op(s, k)] += 2;
        }
    size_t out_size = 1 << 20, ngroups = 0;
    char *out = malloc(out_size);
    cr_assert_eq(t_sh(out, out_size, "%s profile %s --json - 2>/dev/null", t_bin(), tr), 0, "%s", out);
    cJSON *root = cJSON_Parse(out);
    cr_assert_not_null(root, "%.2000s", out);
    const cJSON *prims = get(root, "primitives");
    int rows = 0;
    for (unsigned op = 0; op < P__COUNT; op++) {
        unsigned groups = 0, max_width = 0;
        for (unsigned k = 0; k < GROW_CHAIN; k++) {
            groups += width[k][op] > 0;
            max_width = width[k][op] > max_width ? width[k][op] : max_width;
        }
        ngroups += groups;
        if (!calls[op])
            continue;
        rows++;
        const cJSON *row = prim_row(prims, prim_table[op].name);
        cr_assert_eq(num(row, "calls"), calls[op], "%s calls", prim_table[op].name);
        cr_assert_eq(num(row, "distinct"), calls[op] / 2, "%s distinct", prim_table[op].name);
        cr_assert_eq(num(row, "groups"), groups, "%s groups", prim_table[op].name);
        cr_assert_eq(num(row, "max_width"), max_width, "%s max_width", prim_table[op].name);
        cr_assert_eq(num(row, "repeat_ns"), calls[op] / 2 * 1000, "%s repeat_ns", prim_table[op].name);
    }
    cr_assert_eq(cJSON_GetArraySize(prims), rows);
    /* the group counts grow twice (at 512 and 1024 keys), the set of
     * distinct calls once (3200 of them: at 2048) */
    cr_assert_gt(ngroups, 1024, "%zu groups", ngroups);
    cr_assert_eq(num(root, "repeat_ns"), GROW_SAMPLES * GROW_CHAIN * 1000.0);
    cJSON_Delete(root);
    free(out);
    unlink(tr);
}

/* Inner applications of a trace (inspect's "inside closures") and those
 * counted past --max-nested (its "counted" line; 0 without one). */
static void inner_counts(const char *trace, unsigned long *inner, unsigned long *counted)
{
    char out[8192];
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s", t_bin(), trace), 0, "%s", out);
    const char *n = strstr(out, "statement-level, "), *c = strstr(out, "  counted     ");
    cr_assert(n && sscanf(n, "statement-level, %lu inside closures", inner) == 1, "%s", out);
    *counted = 0;
    if (c)
        cr_assert_eq(sscanf(c, "  counted     %lu more inside closures, past --max-nested 1 a unit", counted), 1,
                     "%s", out);
}

/* A recording bounded by --max-nested says what it left out: inspect and
 * profile (table, --json) give the count, which with the nodes recorded
 * makes the applications an unbounded recording has. */
Test(profile, applications_past_max_nested_are_reported_as_counted)
{
    char out[16384], all[256], capped[256], json[256];
    snprintf(all, sizeof all, "/tmp/battrace-insp-%d-all.trace", (int)getpid());
    snprintf(capped, sizeof capped, "/tmp/battrace-insp-%d-cap.trace", (int)getpid());
    snprintf(json, sizeof json, "/tmp/battrace-insp-%d-cap.json", (int)getpid());
    const char *rec = "%s record traces/example_solvers.py --tasks traces/tasks -o %s --quiet%s";
    cr_assert_eq(t_sh(out, sizeof out, rec, t_bin(), all, ""), 0, "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, rec, t_bin(), capped, " --max-nested 1"), 0, "%s", out);
    unsigned long inner_all, counted_all, inner, counted;
    inner_counts(all, &inner_all, &counted_all);
    inner_counts(capped, &inner, &counted);
    cr_assert_eq(counted_all, 0, "nothing counted without a bound");
    cr_assert_gt(counted, 0);
    cr_assert_eq(inner + counted, inner_all, "%lu recorded + %lu counted, of %lu", inner, counted, inner_all);

    char note[128];
    snprintf(note, sizeof note, "%lu applications inside closures, past --max-nested 1 a unit, were counted", counted);
    cr_assert_eq(t_sh(out, sizeof out, "%s profile %s --json %s", t_bin(), capped, json), 0, "%s", out);
    cr_assert(strstr(out, note), "%s", out);
    char *text = slurp(json);
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root, "%s", text);
    cr_assert_eq(num(root, "nested_dropped"), (double)counted);
    cJSON_Delete(root);
    free(text);
    cr_assert_eq(t_sh(out, sizeof out, "%s profile %s", t_bin(), all), 0, "%s", out);
    cr_assert_null(strstr(out, "were counted"), "%s", out);
    unlink(all);
    unlink(capped);
    unlink(json);
}
