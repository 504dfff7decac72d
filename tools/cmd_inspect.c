/* cmd_inspect.c: `battrace inspect`: what a trace holds.
 *
 * A summary (always), and on request the rows `battrace run --json` wrote
 * for the same selection (from the recorded results), a full JSON export of
 * the trace, and a Graphviz drawing of every unit on one sample. The trace
 * is read a unit at a time (trace_read_units), keeping counts and the drawn
 * sample's nodes; the export reads it a second time for the nodes. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "../ops/ops.h"
#include "../runtime/encode.h"
#include "../runtime/xalloc.h"
#include "../tracer/trace.h"
#include "cli.h"
#include "commands.h"
#include "rows.h"

static const char inspect_help[] =
    "usage: battrace inspect TRACE [--rows FILE] [--json FILE] [--dot SAMPLE]\n"
    "\n"
    "Show what a trace written by 'battrace record' holds. A summary always goes\n"
    "to stdout (to stderr when one of the outputs below goes to stdout): programs,\n"
    "samples, units, calls (a batt unit is 2 calls), nodes (statement-level and\n"
    "inside closures), the applications counted past record's --max-nested,\n"
    "distinct values, errors by class, the 10 most called primitives, and the\n"
    "file's size per node.\n"
    "\n"
    "options:\n"
    "  --rows FILE     write the rows 'battrace run --json' writes for the same\n"
    "                  selection, rebuilt from the recorded results ('-': stdout)\n"
    "  --json FILE     write the whole trace as JSON ('-': stdout):\n"
    "                  {\"meta\", \"programs\", \"samples\": [{\"key\",\"split\",\"index\"}],\n"
    "                   \"values\": [value id -> value, encoded as in the rows],\n"
    "                   \"units\": [{\"program\",\"sample\",\"us\",\n"
    "                     \"calls\": [{\"error\",\"done\",\"out\",\"bind\"}],\n"
    "                     \"nodes\": [{\"op\",\"error\",\"parent\",\"stmt\",\"args\",\"result\",\"self_ns\"}]}]}\n"
    "                  op is a primitive name or \"<closure call>\"; parent is the index\n"
    "                  (in the unit) of the node that applied it, or null for a\n"
    "                  statement; args are {\"node\":k}, {\"input\":\"I\"|\"S\"|\"C\"|\n"
    "                  \"task_id\"|\"log_path\"}, {\"value\":id} or {\"prim\":name};\n"
    "                  error is a class name or null; result and out are value ids\n"
    "                  or null\n"
    "  --dot SAMPLE    write a Graphviz digraph of every unit on one sample to\n"
    "                  stdout: SAMPLE is an index in the trace's sample order\n"
    "                  (0-based) or KEY:SPLIT:INDEX (e.g. 007bbfc7:train:0). One\n"
    "                  cluster per unit; a box per node (red when it raised, with\n"
    "                  the class), solid edges from arguments, dashed edges from\n"
    "                  a node to the nodes applied inside it, ellipses for inputs\n"
    "\n"
    "Exit status: 0 done, 1 an output could not be written, 2 bad usage or a\n"
    "trace that was refused (the message names the file and the problem).\n";

static const char *const input_names[] = {"I", "S", "C", "task_id", "log_path"};

/* What the summary counts of the nodes. */
typedef struct NodeCounts {
    uint64_t nodes, stmt_nodes, inner_nodes, closure_calls;
    uint64_t err[ERR__COUNT + 1];
    uint64_t ops[P__COUNT];
} NodeCounts;

/* The units on the --dot sample, their nodes copied out as they are read. */
typedef struct DotUnit {
    uint64_t unit;  /* index in the trace */
    uint64_t first; /* its first node in DotUnits.kept */
} DotUnit;

typedef struct DotUnits {
    const char *spec;
    bool looked;       /* spec was looked up (dot_sample) */
    long sample;       /* its index, or -1 */
    DotUnit *units;
    size_t n, cap;
    TraceNodes kept;
} DotUnits;

typedef struct Insp {
    const char *path;
    Trace t;
    Arena arena;
    Ctx ctx;
    StrBuf sb;
    NodeCounts counts;
    DotUnits dot;
    Progress progress; /* of a reading, unit by unit */
    size_t units;
} Insp;

static const char *op_name(unsigned op)
{
    if (op == TRACE_OP_CLOSURE)
        return "<closure call>";
    return op < P__COUNT ? prim_table[op].name : "<unknown>";
}

static const char *input_name(uint64_t index)
{
    return index < sizeof input_names / sizeof *input_names ? input_names[index] : "<unknown>";
}

/* Decode value id into the arena; a failure means the trace is malformed. */
static int decode(Insp *in, uint32_t id, Value *out)
{
    if (id >= in->t.values.count || vt_decode(&in->t.values, &in->ctx, id, out) != 0) {
        fprintf(stderr, "battrace inspect: %s: value %u cannot be decoded\n", in->path, id);
        return -1;
    }
    return 0;
}

static void fresh_arena(Insp *in)
{
    arena_reset(&in->arena);
    ctx_begin_run(&in->ctx, 0);
    in->ctx.mem_limit = SIZE_MAX;
}

/* ---- summary ---- */

typedef struct OpCount {
    unsigned op;
    uint64_t n;
} OpCount;

static int cmp_opcount(const void *a, const void *b)
{
    const OpCount *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(op_name(x->op), op_name(y->op));
}

static void put_errors(FILE *to, const uint64_t *counts)
{
    int any = 0;
    for (int e = 1; e < ERR__COUNT; e++)
        if (counts[e]) {
            fprintf(to, "%s %s %llu", any ? "," : "", err_name((Err)e), (unsigned long long)counts[e]);
            any = 1;
        }
    if (counts[ERR__COUNT]) {
        fprintf(to, "%s other %llu", any ? "," : "", (unsigned long long)counts[ERR__COUNT]);
        any = 1;
    }
    if (!any)
        fputs(" none", to);
}

static void count_nodes(NodeCounts *nc, const TraceNode *nodes, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        const TraceNode *nd = &nodes[k];
        if (nd->parent)
            nc->inner_nodes++;
        else
            nc->stmt_nodes++;
        if (nd->op == TRACE_OP_CLOSURE)
            nc->closure_calls++;
        else if (nd->op < P__COUNT)
            nc->ops[nd->op]++;
        if (nd->err)
            nc->err[nd->err < ERR__COUNT ? nd->err : ERR__COUNT]++;
    }
    nc->nodes += n;
}

/* Unit ui, whose nodes are at nodes (refs in args), kept for --dot. */
static void keep_dot_unit(DotUnits *d, uint64_t ui, const TraceUnit *u, const TraceNode *nodes, const uint64_t *args)
{
    d->units = grow_room(d->units, &d->cap, d->n + 1, sizeof *d->units, 0, 64);
    d->units[d->n++] = (DotUnit){ui, d->kept.n};
    trace_nodes_append(&d->kept, nodes, u->nnodes, args);
}

static long find_sample(const Trace *t, const char *spec);

/* The index of the --dot sample, or -1; looked up once, from the first unit
 * on (the samples are read before the units) or after a trace without any. */
static long dot_sample(DotUnits *d, const Trace *t)
{
    if (!d->looked) {
        d->looked = true;
        d->sample = find_sample(t, d->spec);
    }
    return d->sample;
}

/* A unit as trace_read_units gives it: counted, and kept when drawn. */
static void on_unit(void *data, const Trace *t, const TraceUnit *u)
{
    Insp *in = data;
    if (!in->units)
        progress_begin(&in->progress, "inspect", "units read", trace_meta_units(t), 0);
    progress_update(&in->progress, ++in->units);
    count_nodes(&in->counts, t->nodes, u->nnodes);
    DotUnits *d = &in->dot;
    if (d->spec && dot_sample(d, t) >= 0 && u->sample == (uint32_t)d->sample)
        keep_dot_unit(d, (uint64_t)(u - t->units), u, t->nodes, t->args);
}

static void dot_free(DotUnits *d)
{
    free(d->units);
    trace_nodes_free(&d->kept);
}

static void summary(Insp *in, FILE *to)
{
    const Trace *t = &in->t;
    const NodeCounts *nc = &in->counts;
    uint64_t calls = 0;
    uint64_t call_err[ERR__COUNT + 1] = {0};
    OpCount ops[P__COUNT];
    for (unsigned k = 0; k < P__COUNT; k++)
        ops[k] = (OpCount){k, nc->ops[k]};
    for (uint64_t ui = 0; ui < t->nunits; ui++) {
        const TraceUnit *u = &t->units[ui];
        calls += u->ncalls;
        for (unsigned c = 0; c < u->ncalls && c < 2; c++)
            if (u->calls[c].err)
                call_err[u->calls[c].err < ERR__COUNT ? u->calls[c].err : ERR__COUNT]++;
    }
    struct stat st;
    long long size = stat(in->path, &st) == 0 ? (long long)st.st_size : -1;

    fprintf(to, "battrace inspect: %s\n", in->path);
    cJSON *meta = t->meta_json ? cJSON_Parse(t->meta_json) : NULL;
    if (meta) {
        const cJSON *pp = cJSON_GetObjectItemCaseSensitive(meta, "programs_path");
        const cJSON *tp = cJSON_GetObjectItemCaseSensitive(meta, "tasks_path");
        const cJSON *mode = cJSON_GetObjectItemCaseSensitive(meta, "mode");
        const cJSON *split = cJSON_GetObjectItemCaseSensitive(meta, "split");
        const cJSON *rns = cJSON_GetObjectItemCaseSensitive(meta, "record_ns");
        fprintf(to, "  recorded    %s on %s, mode %s, split %s",
                cJSON_IsString(pp) ? pp->valuestring : "?", cJSON_IsString(tp) ? tp->valuestring : "?",
                cJSON_IsString(mode) ? mode->valuestring : "?",
                cJSON_IsString(split) ? split->valuestring : "?");
        if (cJSON_IsNumber(rns)) {
            double sec = rns->valuedouble / 1e9;
            fprintf(to, sec < 1 ? ", in %.1f ms" : ", in %.3f s", sec < 1 ? sec * 1e3 : sec);
        }
        if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(meta, "times")))
            fputs(", without self times (--no-times)", to);
        fputc('\n', to);
        cJSON_Delete(meta);
    }
    fprintf(to, "  programs    %u%s\n", t->nprograms, t->is_batt ? " (batt)" : "");
    fprintf(to, "  samples     %u\n", t->nsamples);
    fprintf(to, "  units       %llu\n", (unsigned long long)t->nunits);
    fprintf(to, "  calls       %llu%s\n", (unsigned long long)calls, t->is_batt ? " (2 per unit)" : "");
    fprintf(to, "  nodes       %llu: %llu statement-level, %llu inside closures (%llu closure calls)\n",
            (unsigned long long)nc->nodes, (unsigned long long)nc->stmt_nodes,
            (unsigned long long)nc->inner_nodes, (unsigned long long)nc->closure_calls);
    uint64_t counted = trace_meta_count(t, "nested_dropped");
    if (counted)
        fprintf(to, "  counted     %llu more inside closures, past --max-nested %llu a unit: not recorded\n",
                (unsigned long long)counted, (unsigned long long)trace_meta_count(t, "max_nested"));
    fprintf(to, "  values      %u distinct\n", t->values.count);
    fputs("  errors      nodes:", to);
    put_errors(to, nc->err);
    fputs("; calls:", to);
    put_errors(to, call_err);
    fputc('\n', to);
    if (size >= 0)
        fprintf(to, "  file        %lld bytes, %.1f bytes per node\n", size,
                nc->nodes ? (double)size / (double)nc->nodes : 0.0);
    qsort(ops, P__COUNT, sizeof *ops, cmp_opcount);
    fputs("  most called primitives:\n", to);
    for (unsigned k = 0; k < 10 && ops[k].n; k++)
        fprintf(to, "    %-14s %10llu  %5.1f%%\n", op_name(ops[k].op), (unsigned long long)ops[k].n,
                100.0 * (double)ops[k].n / (double)nc->nodes);
    if (!ops[0].n)
        fputs("    (none)\n", to);
}

/* ---- --rows ---- */

static int write_rows(Insp *in, FILE *f)
{
    const Trace *t = &in->t;
    for (uint64_t ui = 0; ui < t->nunits; ui++) {
        const TraceUnit *u = &t->units[ui];
        const TraceSample *s = &t->samples[u->sample];
        Split split = s->split ? SPLIT_TEST : SPLIT_TRAIN;
        fresh_arena(in);
        sb_clear(&in->sb);
        if (!t->is_batt) {
            Err e = (Err)u->calls[0].err;
            Value out = v_none(), expect;
            if (!e && u->calls[0].out && decode(in, u->calls[0].out - 1, &out))
                return EXIT_USAGE;
            int match = 0;
            if (!e && s->has_output) {
                if (decode(in, s->output, &expect))
                    return EXIT_USAGE;
                match = v_eq(out, expect);
            }
            row_solver(&in->sb, t->programs[u->program], s->key, split, s->index, u->us, e, out,
                       match);
        } else {
            Err e1 = (Err)u->calls[0].err, e2 = u->ncalls > 1 ? (Err)u->calls[1].err : ERR_OK;
            Value o = v_none(), sv = v_none(), s_c = v_none(), pair;
            if (!e1 && u->calls[0].out) {
                if (decode(in, u->calls[0].out - 1, &pair))
                    return EXIT_USAGE;
                if (v_is_tuple(pair) && v_len(pair) == 2) {
                    o = v_item(pair, 0);
                    sv = v_item(pair, 1);
                } else {
                    o = pair;
                }
            }
            if (u->ncalls > 1 && !e2 && u->calls[1].out &&
                decode(in, u->calls[1].out - 1, &s_c))
                return EXIT_USAGE;
            row_batt(&in->sb, s->key, split, s->index, u->us, e1, o, sv, e2, s_c);
        }
        if (fwrite(in->sb.data, 1, in->sb.len, f) != in->sb.len)
            return EXIT_FAIL; /* cli_close_out says so */
    }
    return EXIT_OK;
}

/* ---- --json ---- */

/* A number as cJSON_PrintUnformatted writes it (cJSON 1.7: "%d" when it is
 * an int, else "%1.15g", or "%1.17g" when that does not read back), so that
 * the units, written here without a cJSON tree, read as the rest of the
 * export. */
static void put_number(StrBuf *b, double d)
{
    char buf[32];
    if (d > (double)INT_MIN && d <= (double)INT_MAX && d == (double)(int)d) {
        snprintf(buf, sizeof buf, "%d", (int)d);
    } else {
        snprintf(buf, sizeof buf, "%1.15g", d);
        double back = strtod(buf, NULL), most = fabs(back) > fabs(d) ? fabs(back) : fabs(d);
        if (!(fabs(back - d) <= most * DBL_EPSILON))
            snprintf(buf, sizeof buf, "%1.17g", d);
    }
    sb_puts(b, buf);
}

/* index, or null when the index is absent. */
static void put_index(StrBuf *b, bool present, uint64_t index)
{
    if (present)
        put_number(b, (double)index);
    else
        sb_puts(b, "null");
}

/* A name, or null. Every string of a unit is an ASCII name (programs,
 * primitives, error classes, inputs), which sb_json_str and cJSON write
 * alike. */
static void put_name(StrBuf *b, const char *name)
{
    if (name)
        sb_json_str(b, name);
    else
        sb_puts(b, "null");
}

static void put_ref(StrBuf *b, uint64_t ref)
{
    uint64_t ix = ref_index(ref);
    switch (ref_kind(ref)) {
    case REF_NODE: sb_puts(b, "{\"node\":"); put_number(b, (double)ix); break;
    case REF_INPUT: sb_puts(b, "{\"input\":"); put_name(b, input_name(ix)); break;
    case REF_VALUE: sb_puts(b, "{\"value\":"); put_number(b, (double)ix); break;
    default: sb_puts(b, "{\"prim\":"); put_name(b, ix < P__COUNT ? prim_table[ix].name : "<unknown>");
    }
    sb_putc(b, '}');
}

static void put_refs(StrBuf *b, const uint64_t *refs, size_t n)
{
    sb_putc(b, '[');
    for (size_t k = 0; k < n; k++) {
        if (k)
            sb_putc(b, ',');
        put_ref(b, refs[k]);
    }
    sb_putc(b, ']');
}

static void put_node(StrBuf *b, const Trace *t, const TraceNode *n)
{
    sb_puts(b, "{\"op\":");
    put_name(b, op_name(n->op));
    sb_puts(b, ",\"error\":");
    put_name(b, n->err ? err_name((Err)n->err) : NULL);
    sb_puts(b, ",\"parent\":");
    put_index(b, n->parent, n->parent - 1);
    sb_puts(b, ",\"stmt\":");
    put_number(b, n->stmt);
    sb_puts(b, ",\"args\":");
    put_refs(b, t->args + n->args_at, n->nargs);
    sb_puts(b, ",\"result\":");
    put_index(b, !n->err, n->result);
    sb_puts(b, ",\"self_ns\":");
    put_number(b, (double)n->self_ns);
    sb_putc(b, '}');
}

/* One unit of the export, written to f a node at a time (a unit holds up
 * to 2 million nested nodes: as one cJSON tree, a few GB). */
static void put_unit(StrBuf *b, FILE *f, const Trace *t, const TraceUnit *u)
{
    sb_clear(b);
    sb_puts(b, "{\"program\":");
    put_name(b, t->programs[u->program]);
    sb_puts(b, ",\"sample\":");
    put_number(b, u->sample);
    sb_puts(b, ",\"us\":");
    put_number(b, (double)u->us);
    sb_puts(b, ",\"calls\":[");
    for (unsigned c = 0; c < u->ncalls && c < 2; c++) {
        const TraceCall *tc = &u->calls[c];
        sb_puts(b, c ? ",{\"error\":" : "{\"error\":");
        put_name(b, tc->err ? err_name((Err)tc->err) : NULL);
        sb_puts(b, ",\"done\":");
        put_number(b, tc->done);
        sb_puts(b, ",\"out\":");
        put_index(b, tc->out, tc->out - 1);
        sb_puts(b, ",\"bind\":");
        put_refs(b, tc->bind, tc->nbind);
        sb_putc(b, '}');
    }
    sb_puts(b, "],\"nodes\":[");
    for (uint32_t k = 0; k < u->nnodes; k++) {
        if (k)
            sb_putc(b, ',');
        put_node(b, t, &t->nodes[u->first_node + k]);
        if (b->len > (1u << 20)) {
            fwrite(b->data, 1, b->len, f);
            sb_clear(b);
        }
    }
    sb_puts(b, "]}");
    fwrite(b->data, 1, b->len, f);
}

/* Print item (then delete it) to f. */
static void put_json(FILE *f, cJSON *item)
{
    char *s = cJSON_PrintUnformatted(item);
    if (s) {
        fputs(s, f);
        cJSON_free(s);
    } else {
        fputs("null", f);
    }
    cJSON_Delete(item);
}

/* The units of the export, as the second reading hands them over. */
typedef struct JsonUnits {
    FILE *f;
    StrBuf *sb;
    uint64_t n;
    Progress progress;
} JsonUnits;

static void json_unit(void *data, const Trace *t, const TraceUnit *u)
{
    JsonUnits *ju = data;
    if (ju->n++)
        fputs(",\n", ju->f);
    put_unit(ju->sb, ju->f, t, u);
    progress_update(&ju->progress, ju->n);
}

/* Written piece by piece, so that a large trace never has to be held as
 * one JSON tree: the header and the values through cJSON, the units node
 * by node (put_unit). The nodes come from reading the trace again a unit at
 * a time, so that they never are all in memory either (the full cross
 * workload's would take 50 GB). */
static int write_json(Insp *in, FILE *f)
{
    const Trace *t = &in->t;
    fputs("{\"meta\":", f);
    cJSON *meta = t->meta_json ? cJSON_Parse(t->meta_json) : NULL;
    put_json(f, meta ? meta : cJSON_CreateNull());
    cJSON *progs = cJSON_CreateArray();
    for (uint32_t p = 0; p < t->nprograms; p++)
        cJSON_AddItemToArray(progs, cJSON_CreateString(t->programs[p]));
    fputs(",\n\"programs\":", f);
    put_json(f, progs);
    fputs(",\n\"samples\":[", f);
    for (uint32_t k = 0; k < t->nsamples; k++) {
        const TraceSample *s = &t->samples[k];
        cJSON *so = cJSON_CreateObject();
        cJSON_AddStringToObject(so, "key", s->key);
        cJSON_AddStringToObject(so, "split", s->split ? "test" : "train");
        cJSON_AddNumberToObject(so, "index", s->index);
        if (k)
            fputc(',', f);
        put_json(f, so);
    }
    fputs("],\n\"values\":[", f);
    for (uint32_t id = 0; id < t->values.count; id++) {
        Value v;
        if ((id & 255) == 0)
            fresh_arena(in);
        uint64_t hash;
        uint8_t kind;
        sb_clear(&in->sb);
        if (vt_hash_only(&t->values, id, &hash, &kind)) {
            /* a nested node's result, recorded by its content hash */
            sb_printf(&in->sb, "{\"hash\":\"%016llx\"}", (unsigned long long)hash);
        } else {
            if (decode(in, id, &v))
                return EXIT_USAGE;
            sb_json_value(&in->sb, v);
        }
        if (id)
            fputs(",\n", f);
        fwrite(in->sb.data, 1, in->sb.len, f);
    }
    fputs("],\n\"units\":[", f);
    JsonUnits ju = {f, &in->sb, 0, {0}};
    progress_begin(&ju.progress, "inspect", "units written", t->nunits, 0);
    Trace again;
    char err[1024];
    int read = trace_reread_units(in->path, t->nunits, &again, json_unit, &ju, err, sizeof err);
    trace_free(&again);
    if (read) {
        fprintf(stderr, "battrace inspect: %s\n", err);
        return EXIT_USAGE;
    }
    fputs("]}\n", f);
    return EXIT_OK;
}

/* ---- --dot ---- */

/* The sample SPEC names: an index, or KEY:SPLIT:INDEX. -1 when none. */
static long find_sample(const Trace *t, const char *spec)
{
    char *end;
    long v = strtol(spec, &end, 10);
    if (*spec && !*end)
        return v >= 0 && (uint64_t)v < t->nsamples ? v : -1;
    const char *c2 = strrchr(spec, ':');
    if (!c2 || c2 == spec)
        return -1;
    const char *c1 = c2 - 1;
    while (c1 > spec && *c1 != ':')
        c1--;
    if (*c1 != ':')
        return -1;
    size_t keylen = (size_t)(c1 - spec);
    size_t splitlen = (size_t)(c2 - c1 - 1);
    int split;
    if (splitlen == 5 && !strncmp(c1 + 1, "train", 5))
        split = 0;
    else if (splitlen == 4 && !strncmp(c1 + 1, "test", 4))
        split = 1;
    else
        return -1;
    long index = strtol(c2 + 1, &end, 10);
    if (!c2[1] || *end || index < 0)
        return -1;
    for (uint32_t k = 0; k < t->nsamples; k++) {
        const TraceSample *s = &t->samples[k];
        if (strlen(s->key) == keylen && !strncmp(s->key, spec, keylen) && s->split == split &&
            s->index == (uint32_t)index)
            return k;
    }
    return -1;
}

static void dot_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* Every unit on the sample d holds (their nodes copied out as read). */
static void write_dot(const Trace *t, const DotUnits *d, FILE *f)
{
    uint32_t sample = (uint32_t)d->sample;
    const TraceSample *s = &t->samples[sample];
    fputs("digraph battrace {\n", f);
    fprintf(f, "  label=\"sample %u: %s %s %u\";\n  labelloc=t;\n", sample, s->key,
            s->split ? "test" : "train", s->index);
    fputs("  compound=true;\n  node [fontname=\"Helvetica\", fontsize=10];\n"
          "  edge [arrowsize=0.6];\n", f);
    for (uint64_t du = 0; du < d->n; du++) {
        uint64_t ui = d->units[du].unit;
        const TraceUnit *u = &t->units[ui];
        const TraceNode *nodes = d->kept.nodes + d->units[du].first;
        fprintf(f, "  subgraph cluster_u%llu {\n    label=", (unsigned long long)ui);
        dot_str(f, t->programs[u->program]);
        fputs(";\n    color=gray50;\n", f);
        unsigned char used[5] = {0};
        for (uint32_t k = 0; k < u->nnodes; k++) {
            const TraceNode *n = &nodes[k];
            for (unsigned a = 0; a < n->nargs; a++) {
                uint64_t r = d->kept.args[n->args_at + a];
                if (ref_kind(r) == REF_INPUT && ref_index(r) < 5)
                    used[ref_index(r)] = 1;
            }
        }
        for (unsigned i = 0; i < 5; i++)
            if (used[i])
                fprintf(f, "    u%llu_in%u [shape=ellipse, style=filled, fillcolor=lightyellow, label=\"%s\"];\n",
                        (unsigned long long)ui, i, input_names[i]);
        for (uint32_t k = 0; k < u->nnodes; k++) {
            const TraceNode *n = &nodes[k];
            fprintf(f, "    u%llu_n%u [shape=box, label=\"%s", (unsigned long long)ui, k, op_name(n->op));
            if (n->err)
                fprintf(f, "\\n%s\", color=red, penwidth=2, fontcolor=red];\n", err_name((Err)n->err));
            else
                fputs("\"];\n", f);
        }
        for (uint32_t k = 0; k < u->nnodes; k++) {
            const TraceNode *n = &nodes[k];
            for (unsigned a = 0; a < n->nargs; a++) {
                uint64_t r = d->kept.args[n->args_at + a];
                if (ref_kind(r) == REF_NODE && ref_index(r) < u->nnodes)
                    fprintf(f, "    u%llu_n%llu -> u%llu_n%u;\n", (unsigned long long)ui,
                            (unsigned long long)ref_index(r), (unsigned long long)ui, k);
                else if (ref_kind(r) == REF_INPUT && ref_index(r) < 5)
                    fprintf(f, "    u%llu_in%llu -> u%llu_n%u;\n", (unsigned long long)ui,
                            (unsigned long long)ref_index(r), (unsigned long long)ui, k);
            }
            if (n->parent && n->parent <= u->nnodes)
                fprintf(f, "    u%llu_n%u -> u%llu_n%u [style=dashed, color=gray40];\n",
                        (unsigned long long)ui, n->parent - 1, (unsigned long long)ui, k);
        }
        fputs("  }\n", f);
    }
    fputs("}\n", f);
}

int cmd_inspect(int argc, char **argv)
{
    Insp in;
    memset(&in, 0, sizeof in);
    const char *rows_path = NULL, *json_path = NULL, *dot_spec = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(inspect_help, stdout);
            return EXIT_OK;
        }
        if (!strcmp(a, "--rows") || !strcmp(a, "--json") || !strcmp(a, "--dot")) {
            const char *v = cli_need_value(argc, argv, &i, "inspect");
            if (!strcmp(a, "--rows"))
                rows_path = v;
            else if (!strcmp(a, "--json"))
                json_path = v;
            else
                dot_spec = v;
        } else if (a[0] == '-' && a[1]) {
            die_usage("inspect", "unknown option '%s'", a);
        } else if (!in.path) {
            in.path = a;
        } else {
            die_usage("inspect", "unexpected argument '%s'", a);
        }
    }
    if (!in.path)
        die_usage("inspect", "missing TRACE");
    int to_stdout = (rows_path && !strcmp(rows_path, "-")) + (json_path && !strcmp(json_path, "-")) +
                    (dot_spec != NULL);
    if (to_stdout > 1)
        die_usage("inspect", "only one of --rows -, --json - and --dot can write to stdout");

    char err[1024];
    in.dot.spec = dot_spec;
    /* a unit at a time: the export (--json) reads the nodes again */
    int read = trace_read_units(in.path, &in.t, on_unit, &in, err, sizeof err);
    if (read != 0) {
        fprintf(stderr, "battrace inspect: %s\n", err);
        dot_free(&in.dot);
        return EXIT_USAGE;
    }
    if (dot_spec && dot_sample(&in.dot, &in.t) < 0) {
        fprintf(stderr, "battrace inspect: %s: no sample '%s' (give an index below %u or KEY:SPLIT:INDEX)\n",
                in.path, dot_spec, in.t.nsamples);
        dot_free(&in.dot);
        trace_free(&in.t);
        return EXIT_USAGE;
    }
    arena_init(&in.arena);
    ctx_init(&in.ctx, &in.arena);
    sb_init(&in.sb);
    int rc = EXIT_OK;
    if (rows_path) {
        FILE *f = cli_open_out("inspect", rows_path);
        if (!f) {
            rc = EXIT_FAIL;
        } else {
            rc = write_rows(&in, f);
            int c = cli_close_out("inspect", f, rows_path);
            rc = rc ? rc : c;
        }
    }
    if (!rc && json_path) {
        FILE *f = cli_open_out("inspect", json_path);
        if (!f) {
            rc = EXIT_FAIL;
        } else {
            rc = write_json(&in, f);
            int c = cli_close_out("inspect", f, json_path);
            rc = rc ? rc : c;
        }
    }
    if (!rc && dot_spec) {
        write_dot(&in.t, &in.dot, stdout);
        rc = cli_close_out("inspect", stdout, "stdout");
    }
    if (!rc)
        summary(&in, to_stdout ? stderr : stdout);
    sb_free(&in.sb);
    arena_free(&in.arena);
    dot_free(&in.dot);
    trace_free(&in.t);
    return rc;
}
