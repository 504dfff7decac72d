/* cmd_profile.c: `battrace profile`: where a trace's time goes, per
 * primitive, and how much batching each primitive could save.
 *
 * For every primitive (and closure calls, as "<closure call>"):
 *   calls      nodes applying it
 *   distinct   distinct (op, argument value ids) tuples, told apart by a
 *              64-bit hash of the tuple (a billion nodes would otherwise
 *              keep tens of GB of tuples; two of 200 million distinct
 *              tuples share a hash with odds of 1 in 1000): a REF_NODE
 *              argument is that node's result id, I and S the sample's ids,
 *              C (an input only in a batt's second call) the sample's
 *              output id or None's id, REF_VALUE its id; task_id (one per
 *              key), log_path, primitives and failed nodes' results get
 *              pseudo ids (PSEUDO)
 *   self_ns    time inside its nodes less their children; share of the total
 *   repeat_ns  self time of the calls whose tuple an earlier node of the trace
 *              had: what deduplicating every call, nested ones included, could
 *              save at most (each node weighed by its own time: the distinct
 *              count weighs repeats by the mean, and cheap repeats, apply on an
 *              empty set say, made it promise several times what was there)
 *   groups     breadth-first groups: nodes of the whole trace with the same
 *              (level, op), where level(node) = 1 + the largest level among
 *              its REF_NODE arguments and its parent (0 when it has none);
 *              mean_width = calls / groups, max_width = the largest group
 *   est_saving_ns  the batching model below.
 *
 * Batching model: a group runs as one batched launch costing PROF_LAUNCH_NS
 * plus, per item, the primitive's mean sequential time divided by
 * PROF_SPEEDUP. So
 *     est_saving_ns = max(0, self_ns - (groups * PROF_LAUNCH_NS
 *                                       + calls * (self_ns / calls) / PROF_SPEEDUP)).
 * Distinct calls are reported but not used by the model (dedup would be a
 * further saving). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../ops/ops.h"
#include "../tracer/trace.h"
#include "cli.h"
#include "commands.h"

#define PROF_LAUNCH_NS 5000.0 /* fixed cost of one batched launch */
#define PROF_SPEEDUP 20.0     /* per-item speedup of a batched primitive */

static const char profile_help[] =
    "usage: battrace profile TRACE [--json FILE] [--html FILE]\n"
    "\n"
    "Per primitive of a trace written by 'battrace record': calls, distinct calls,\n"
    "self time and its share, the self time of repeated calls, breadth-first group\n"
    "widths and the estimated saving of batching, sorted by estimated saving. A\n"
    "table goes to stdout (to stderr when --json - writes to stdout). The trace is\n"
    "read a unit at a time: memory holds its values and units and 16 bytes per\n"
    "distinct call, so a trace of any size recording could write is read.\n"
    "\n"
    "options:\n"
    "  --json FILE   write {\"primitives\": [{\"name\",\"calls\",\"distinct\",\"self_ns\",\n"
    "                \"share\",\"repeat_ns\",\"groups\",\"mean_width\",\"max_width\",\n"
    "                \"est_saving_ns\"}], \"repeat_ns\": the total, \"times\": false for a\n"
    "                trace recorded with --no-times, \"nested_dropped\": the\n"
    "                applications past record's --max-nested, counted, in no row}\n"
    "                ('-': stdout)\n"
    "  --html FILE   write one self-contained HTML page: bar charts of the top 25\n"
    "                primitives by estimated saving and by self time, and the table\n"
    "\n"
    "Columns:\n"
    "  calls      nodes applying the primitive (closure calls: \"<closure call>\")\n"
    "  distinct   distinct (primitive, argument value ids) tuples, told apart by a\n"
    "             64-bit hash of the tuple. Arguments resolve to value ids: a node's\n"
    "             result -> its result id; I and S -> the sample's ids; C -> the\n"
    "             sample's output id in a batt's second call (None's id when the\n"
    "             sample has no output; the first call's C is recorded as the value\n"
    "             None); task_id -> one id per task key; log_path -> one id; a\n"
    "             primitive -> one id per primitive; a failed node's result -> an id\n"
    "             of its own.\n"

    "  self       time inside the nodes less their recorded children (and less\n"
    "             the recorder's own time around them, and the loops in\n"
    "             which a fast path reports the calls it stands for), and its\n"
    "             share (0 for a trace recorded with --no-times: the table\n"
    "             says so)\n"
    "  repeated   self time of the calls whose (primitive, argument value ids) an\n"
    "             earlier node of the trace had: the most that deduplicating every\n"
    "             call, nested ones included, could save (replay deduplicates\n"
    "             statements within a window, so it saves less)\n"
    "  groups     breadth-first groups: all nodes of the trace with the same\n"
    "             (level, primitive); level = 1 + the largest level among a node's\n"
    "             node arguments and the node that applied it (1 without any);\n"
    "             width = nodes in a group (mean and max)\n"
    "  est saving batching model: each group is one launch costing 5000 ns plus,\n"
    "             per item, the mean sequential time / 20:\n"
    "             est_saving_ns = max(0, self_ns - (groups * 5000 + self_ns / 20))\n"
    "\n"
    "Exit status: 0 done, 1 an output could not be written, 2 bad usage or a\n"
    "trace that was refused (the message names the file and the problem).\n";

/* Rows: the primitives, then closure calls, then anything unknown. */
#define SLOT_CLOSURE P__COUNT
#define SLOT_UNKNOWN (P__COUNT + 1)
#define NSLOTS (P__COUNT + 2)

/* Pseudo value ids (bits 56..63 say the kind), beyond any real id. */
#define PSEUDO(kind, x) ((uint64_t)(kind) << 56 | (uint64_t)(x))
enum { PS_NONE = 1, PS_TASK, PS_LOG, PS_PRIM, PS_FAILED, PS_BAD };

typedef struct PrimStat {
    const char *name;
    uint64_t calls, distinct, self_ns, repeat_ns, groups, max_width;
    double share, mean_width, est_saving_ns;
} PrimStat;

static unsigned slot_of(unsigned op)
{
    if (op == TRACE_OP_CLOSURE)
        return SLOT_CLOSURE;
    return op < P__COUNT ? op : SLOT_UNKNOWN;
}

static const char *slot_name(unsigned slot)
{
    if (slot < P__COUNT)
        return prim_table[slot].name;
    return slot == SLOT_CLOSURE ? "<closure call>" : "<unknown>";
}

static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 33);
}

/* Memory for the tables, or the process ends (exit status 1). */
static void out_of_memory(void)
{
    fputs("battrace profile: out of memory\n", stderr);
    exit(EXIT_FAIL);
}

static void *xrealloc(void *p, size_t size)
{
    p = realloc(p, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

static void *zeroed(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        out_of_memory();
    return p;
}

/* ---- (level, slot) -> group size ---- */
typedef struct CountMap {
    uint64_t *keys; /* key + 1; 0 = empty */
    uint64_t *vals;
    size_t n, cap;
} CountMap;

static void cm_grow(CountMap *m)
{
    CountMap old = *m;
    m->cap = old.cap ? old.cap * 2 : 1024;
    m->keys = zeroed(m->cap, sizeof *m->keys);
    m->vals = zeroed(m->cap, sizeof *m->vals);
    m->n = 0;
    for (size_t k = 0; k < old.cap; k++)
        if (old.keys[k]) {
            size_t i = mix(0, old.keys[k]) & (m->cap - 1);
            while (m->keys[i])
                i = (i + 1) & (m->cap - 1);
            m->keys[i] = old.keys[k];
            m->vals[i] = old.vals[k];
            m->n++;
        }
    free(old.keys);
    free(old.vals);
}

static void cm_add(CountMap *m, uint64_t key)
{
    if ((m->n + 1) * 2 > m->cap)
        cm_grow(m);
    size_t i = mix(0, key + 1) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != key + 1)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) {
        m->keys[i] = key + 1;
        m->n++;
    }
    m->vals[i]++;
}

/* ---- set of 64-bit tuple hashes ---- */
typedef struct HashSet {
    uint64_t *slots; /* 0 = empty */
    size_t n, cap;
} HashSet;

static void hs_grow(HashSet *s)
{
    HashSet old = *s;
    s->cap = old.cap ? old.cap * 2 : 4096;
    s->slots = zeroed(s->cap, sizeof *s->slots);
    for (size_t k = 0; k < old.cap; k++)
        if (old.slots[k]) {
            size_t i = old.slots[k] & (s->cap - 1);
            while (s->slots[i])
                i = (i + 1) & (s->cap - 1);
            s->slots[i] = old.slots[k];
        }
    free(old.slots);
}

/* Add h (not 0); returns 1 when it was new. */
static int hs_add(HashSet *s, uint64_t h)
{
    if ((s->n + 1) * 2 > s->cap)
        hs_grow(s);
    size_t i = h & (s->cap - 1);
    while (s->slots[i]) {
        if (s->slots[i] == h)
            return 0;
        i = (i + 1) & (s->cap - 1);
    }
    s->slots[i] = h;
    s->n++;
    return 1;
}

/* The hash a tuple (header, ids[0..n)) is counted by: never 0. */
static uint64_t tuple_hash(uint64_t header, const uint64_t *ids, unsigned n)
{
    uint64_t h = mix(0, header);
    for (unsigned k = 0; k < n; k++)
        h = mix(h, ids[k]);
    h = mix(h, 0x7475706c65ull); /* a last round: every id reaches every bit */
    return h ? h : 1;
}

/* ---- the analysis ---- */

typedef struct Profile {
    PrimStat st[NSLOTS];
    unsigned order[NSLOTS]; /* slots with calls, by est_saving_ns descending */
    unsigned nrows;
    uint64_t total_ns, repeat_ns, nodes;
    bool untimed; /* recorded with --no-times (META times false): self_ns all 0 */
    uint64_t counted, max_nested; /* META nested_dropped: applications past --max-nested */
} Profile;

/* ns as a fraction of the trace's self time (0 when it has none). */
static double share_of(const Profile *p, double ns) { return p->total_ns ? ns / (double)p->total_ns : 0.0; }

static int cmp_task_key(const void *a, const void *b, void *tp);

/* The id of None in the value table, or a pseudo id when it is not there. */
static uint64_t none_id(const Trace *t)
{
    for (uint32_t id = 0; id < t->values.count; id++) {
        uint64_t at = t->values.offset[id];
        uint64_t end = id + 1 < t->values.count ? t->values.offset[id + 1] : t->values.len;
        if (end == at + 1 && t->values.bytes[at] == 0)
            return id;
    }
    return PSEUDO(PS_NONE, 0);
}

/* task group of each sample: the first sample with the same key */
static uint32_t *task_groups(const Trace *t)
{
    uint32_t *group = xrealloc(NULL, (t->nsamples + 1) * sizeof *group);
    uint32_t *ix = xrealloc(NULL, (t->nsamples + 1) * sizeof *ix);
    for (uint32_t k = 0; k < t->nsamples; k++)
        ix[k] = k;
    qsort_r(ix, t->nsamples, sizeof *ix, cmp_task_key, (void *)t);
    for (uint32_t k = 0; k < t->nsamples; k++) {
        uint32_t first = ix[k];
        if (k && !strcmp(t->samples[ix[k]].key, t->samples[ix[k - 1]].key))
            first = group[ix[k - 1]];
        group[ix[k]] = first;
    }
    free(ix);
    return group;
}

static int cmp_task_key(const void *a, const void *b, void *tp)
{
    const Trace *t = tp;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int c = strcmp(t->samples[x].key, t->samples[y].key);
    return c ? c : (x > y) - (x < y);
}

/* Was the trace recorded without self times (META "times": false)? */
static bool recorded_untimed(const Trace *t)
{
    cJSON *meta = t->meta_json ? cJSON_Parse(t->meta_json) : NULL;
    bool untimed = cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(meta, "times"));
    cJSON_Delete(meta);
    return untimed;
}

static const char untimed_note[] =
    "self times were not recorded (record --no-times): self, share and est saving are 0";

/* What a trace recorded past --max-nested means for the table, or "". */
static const char *counted_note(const Profile *p, char *buf, size_t size)
{
    if (!p->counted)
        return "";
    snprintf(buf, size,
             "%llu applications inside closures, past --max-nested %llu a unit, were counted, not recorded: "
             "they are in no row, and their self time is that of the nodes that made them (apply, mapply, ...)",
             (unsigned long long)p->counted, (unsigned long long)p->max_nested);
    return buf;
}

/* What the analysis keeps between units (trace_read_units gives one unit's
 * nodes at a time). */
typedef struct Analysis {
    Profile *p;
    bool started;     /* none and group are made at the first unit */
    uint64_t none;    /* None's value id */
    uint32_t *group;  /* task group of each sample */
    CountMap groups;  /* (level, slot) -> group size */
    HashSet seen;     /* tuples met so far */
    uint64_t first;   /* the unit's first node, numbered across the trace */
    uint64_t *level;  /* per node of the unit: its breadth-first level */
    size_t cap_level;
    Progress progress;
    size_t units;     /* analysed so far */
} Analysis;

/* The value id argument a of node n stands for (see the top of the file),
 * and the level it gives n (*lv, raised). */
static uint64_t arg_id(const Analysis *an, const Trace *t, const TraceUnit *u, const TraceNode *n, uint32_t k,
                       unsigned a, uint64_t *lv)
{
    const TraceSample *smp = &t->samples[u->sample];
    uint64_t r = t->args[n->args_at + a], ix = ref_index(r);
    switch (ref_kind(r)) {
    case REF_NODE:
        if (ix >= k)
            return PSEUDO(PS_BAD, 0);
        *lv = an->level[ix] > *lv ? an->level[ix] : *lv;
        return t->nodes[ix].err ? PSEUDO(PS_FAILED, an->first + ix) : t->nodes[ix].result;
    case REF_INPUT:
        switch (ix) {
        case 0: return smp->input;
        case 1: return smp->S;
        /* C is an input only in a batt's second call (the first call's C
         * is recorded as the value None): there it is the expected output */
        case 2: return smp->has_output ? smp->output : an->none;
        case 3: return PSEUDO(PS_TASK, an->group[u->sample]);
        case 4: return PSEUDO(PS_LOG, 0);
        default: return PSEUDO(PS_BAD, ix);
        }
    case REF_VALUE: return ix;
    default: return PSEUDO(PS_PRIM, ix);
    }
}

/* One unit's nodes (at t->nodes[0 ..]) into the counts. A failed node's
 * pseudo id is its number in the whole trace: a failed result is equal to
 * nothing else. */
static void analyse_unit(void *data, const Trace *t, const TraceUnit *u)
{
    Analysis *an = data;
    Profile *p = an->p;
    if (!an->started) {
        an->started = true;
        an->none = none_id(t);
        an->group = task_groups(t);
        progress_begin(&an->progress, "profile", "units", trace_meta_units(t), 0);
    }
    if (u->nnodes + 1 > an->cap_level) {
        an->cap_level = u->nnodes + 1;
        an->level = xrealloc(an->level, an->cap_level * sizeof *an->level);
    }
    uint64_t ids[256];
    an->first = p->nodes;
    for (uint32_t k = 0; k < u->nnodes; k++) {
        const TraceNode *n = &t->nodes[k];
        unsigned slot = slot_of(n->op);
        PrimStat *ps = &p->st[slot];
        uint64_t lv = 0;
        if (n->parent && n->parent - 1 < k)
            lv = an->level[n->parent - 1];
        for (unsigned a = 0; a < n->nargs; a++)
            ids[a] = arg_id(an, t, u, n, k, a, &lv);
        an->level[k] = lv + 1;
        ps->calls++;
        ps->self_ns += n->self_ns;
        p->total_ns += n->self_ns;
        int fresh = hs_add(&an->seen, tuple_hash((uint64_t)slot << 8 | n->nargs, ids, n->nargs));
        ps->distinct += (uint64_t)fresh;
        if (!fresh) {
            ps->repeat_ns += n->self_ns;
            p->repeat_ns += n->self_ns;
        }
        cm_add(&an->groups, an->level[k] * NSLOTS + slot);
        p->nodes++;
    }
    progress_update(&an->progress, ++an->units);
}

/* After the last unit: groups, shares, widths and the batching model. */
static void analyse_finish(Analysis *an, const Trace *t)
{
    Profile *p = an->p;
    p->untimed = recorded_untimed(t);
    p->counted = trace_meta_count(t, "nested_dropped");
    p->max_nested = trace_meta_count(t, "max_nested");
    for (size_t k = 0; k < an->groups.cap; k++)
        if (an->groups.keys[k]) {
            PrimStat *ps = &p->st[(an->groups.keys[k] - 1) % NSLOTS];
            ps->groups++;
            if (an->groups.vals[k] > ps->max_width)
                ps->max_width = an->groups.vals[k];
        }
    for (unsigned s = 0; s < NSLOTS; s++) {
        PrimStat *ps = &p->st[s];
        if (!ps->calls)
            continue;
        ps->share = share_of(p, (double)ps->self_ns);
        ps->mean_width = (double)ps->calls / (double)ps->groups;
        double self = (double)ps->self_ns;
        double batched = (double)ps->groups * PROF_LAUNCH_NS +
                         (double)ps->calls * (self / (double)ps->calls) / PROF_SPEEDUP;
        ps->est_saving_ns = self > batched ? floor(self - batched) : 0.0;
        p->order[p->nrows++] = s;
    }
}

static void analysis_init(Analysis *an, Profile *p)
{
    memset(an, 0, sizeof *an);
    memset(p, 0, sizeof *p);
    an->p = p;
    for (unsigned s = 0; s < NSLOTS; s++)
        p->st[s].name = slot_name(s);
}

static void analysis_free(Analysis *an)
{
    free(an->level);
    free(an->group);
    free(an->groups.keys);
    free(an->groups.vals);
    free(an->seen.slots);
}

static int cmp_rows(const void *a, const void *b, void *pp)
{
    const Profile *p = pp;
    const PrimStat *x = &p->st[*(const unsigned *)a], *y = &p->st[*(const unsigned *)b];
    if (x->est_saving_ns != y->est_saving_ns)
        return x->est_saving_ns < y->est_saving_ns ? 1 : -1;
    if (x->self_ns != y->self_ns)
        return x->self_ns < y->self_ns ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* ---- output ---- */

/* A duration in a readable unit. */
static const char *fmt_ns(double ns, char *buf, size_t size)
{
    if (ns < 1e3)
        snprintf(buf, size, "%.0f ns", ns);
    else if (ns < 1e6)
        snprintf(buf, size, "%.1f us", ns / 1e3);
    else if (ns < 1e9)
        snprintf(buf, size, "%.1f ms", ns / 1e6);
    else
        snprintf(buf, size, "%.2f s", ns / 1e9);
    return buf;
}

static void write_table(const Profile *p, const char *path, FILE *f)
{
    char b1[32], b2[32], b3[32];
    fprintf(f, "battrace profile: %s: %llu nodes, %s self time in all\n", path,
            (unsigned long long)p->nodes, fmt_ns((double)p->total_ns, b1, sizeof b1));
    fprintf(f, "%-16s %10s %10s %11s %6s %11s %8s %10s %9s %12s\n", "primitive", "calls", "distinct",
            "self", "share", "repeated", "groups", "mean width", "max width", "est saving");
    double saving = 0;
    for (unsigned r = 0; r < p->nrows; r++) {
        const PrimStat *ps = &p->st[p->order[r]];
        saving += ps->est_saving_ns;
        fprintf(f, "%-16s %10llu %10llu %11s %5.1f%% %11s %8llu %10.1f %9llu %12s\n", ps->name,
                (unsigned long long)ps->calls, (unsigned long long)ps->distinct,
                fmt_ns((double)ps->self_ns, b1, sizeof b1), 100.0 * ps->share,
                fmt_ns((double)ps->repeat_ns, b3, sizeof b3), (unsigned long long)ps->groups, ps->mean_width,
                (unsigned long long)ps->max_width, fmt_ns(ps->est_saving_ns, b2, sizeof b2));
    }
    fprintf(f, "estimated saving of batching: %s of %s (model: %.0f ns per launch, %.0fx per item)\n",
            fmt_ns(saving, b1, sizeof b1), fmt_ns((double)p->total_ns, b2, sizeof b2),
            PROF_LAUNCH_NS, PROF_SPEEDUP);
    fprintf(f, "repeated calls (same primitive, same argument values): %s of %s (%.1f%%), the most "
               "deduplication could save\n",
            fmt_ns((double)p->repeat_ns, b1, sizeof b1), fmt_ns((double)p->total_ns, b2, sizeof b2),
            100.0 * share_of(p, (double)p->repeat_ns));
    if (p->untimed)
        fprintf(f, "battrace profile: %s\n", untimed_note);
    char note[320];
    if (*counted_note(p, note, sizeof note))
        fprintf(f, "battrace profile: %s\n", note);
}

static int write_json(const Profile *p, FILE *f)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "primitives");
    cJSON_AddBoolToObject(root, "times", !p->untimed);
    cJSON_AddNumberToObject(root, "nested_dropped", (double)p->counted);
    cJSON_AddNumberToObject(root, "repeat_ns", (double)p->repeat_ns);
    for (unsigned r = 0; r < p->nrows; r++) {
        const PrimStat *ps = &p->st[p->order[r]];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", ps->name);
        cJSON_AddNumberToObject(o, "calls", (double)ps->calls);
        cJSON_AddNumberToObject(o, "distinct", (double)ps->distinct);
        cJSON_AddNumberToObject(o, "self_ns", (double)ps->self_ns);
        cJSON_AddNumberToObject(o, "share", ps->share);
        cJSON_AddNumberToObject(o, "repeat_ns", (double)ps->repeat_ns);
        cJSON_AddNumberToObject(o, "groups", (double)ps->groups);
        cJSON_AddNumberToObject(o, "mean_width", ps->mean_width);
        cJSON_AddNumberToObject(o, "max_width", (double)ps->max_width);
        cJSON_AddNumberToObject(o, "est_saving_ns", ps->est_saving_ns);
        cJSON_AddItemToArray(arr, o);
    }
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    if (!s)
        return EXIT_FAIL;
    fputs(s, f);
    fputc('\n', f);
    cJSON_free(s);
    return EXIT_OK;
}

static void html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else
            fputc(*s, f);
    }
}

static int cmp_by_self(const void *a, const void *b, void *pp)
{
    const Profile *p = pp;
    const PrimStat *x = &p->st[*(const unsigned *)a], *y = &p->st[*(const unsigned *)b];
    if (x->self_ns != y->self_ns)
        return x->self_ns < y->self_ns ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* A horizontal bar chart of up to 25 rows (slots in order), value by field. */
static void html_chart(FILE *f, const Profile *p, const unsigned *order, unsigned n, int by_self,
                       const char *title, const char *color)
{
    const double label_w = 130, bar_w = 560, value_w = 90, row_h = 22, top = 8;
    unsigned rows = 0;
    double max = 0;
    for (unsigned r = 0; r < n && rows < 25; r++) {
        const PrimStat *ps = &p->st[order[r]];
        double v = by_self ? (double)ps->self_ns : ps->est_saving_ns;
        if (v <= 0)
            break;
        max = v > max ? v : max;
        rows++;
    }
    fprintf(f, "<section class=\"chart\"><h2>");
    html_text(f, title);
    fprintf(f, "</h2>\n");
    if (!rows) {
        fputs("<p class=\"empty\">nothing to show</p></section>\n", f);
        return;
    }
    double h = top * 2 + rows * row_h;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
               "viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n",
            label_w + bar_w + value_w, h, label_w + bar_w + value_w, h);
    for (unsigned r = 0; r < rows; r++) {
        const PrimStat *ps = &p->st[order[r]];
        double v = by_self ? (double)ps->self_ns : ps->est_saving_ns;
        double y = top + r * row_h, w = max > 0 ? bar_w * v / max : 0;
        char buf[32];
        if (w < 1)
            w = 1;
        fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\" class=\"lbl\">", label_w - 8,
                y + row_h * 0.68);
        html_text(f, ps->name);
        fprintf(f, "</text><rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" rx=\"2\">"
                   "<title>",
                label_w, y + 3, w, row_h - 6, color);
        html_text(f, ps->name);
        fprintf(f, ": %s (%.1f%% of self time)</title></rect>", fmt_ns(v, buf, sizeof buf),
                100.0 * (by_self ? ps->share : share_of(p, v)));
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"val\">%s</text>\n", label_w + w + 6,
                y + row_h * 0.68, fmt_ns(v, buf, sizeof buf));
    }
    fputs("</svg></section>\n", f);
}

static void write_html(const Profile *p, const char *trace_path, FILE *f)
{
    char b1[32], b2[32], b3[32];
    double saving = 0;
    for (unsigned r = 0; r < p->nrows; r++)
        saving += p->st[p->order[r]].est_saving_ns;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>battrace profile: ", f);
    html_text(f, trace_path);
    fputs("</title>\n<style>\n"
          "body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
          "margin:24px;color:#1d2329;background:#fff;max-width:1200px}\n"
          "h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:18px 0 6px}\n"
          ".sub{color:#555;margin:0 0 12px;font-size:14px}\n"
          ".charts{display:flex;flex-wrap:wrap;gap:8px 32px}\n"
          "svg .lbl{font:12px monospace;fill:#1d2329}svg .val{font:12px sans-serif;fill:#444}\n"
          "table{border-collapse:collapse;font-size:13px;margin-top:16px}\n"
          "th,td{padding:3px 10px;border-bottom:1px solid #e3e6e8;text-align:right}\n"
          "th{background:#f3f5f7;position:sticky;top:0}\n"
          "td:first-child,th:first-child{text-align:left;font-family:monospace}\n"
          "tr:hover td{background:#f8fafb}.note{color:#555;font-size:13px;max-width:900px}\n"
          "</style></head><body>\n<h1>battrace profile</h1>\n<p class=\"sub\">", f);
    html_text(f, trace_path);
    fprintf(f, ": %llu nodes, %s self time; estimated saving of batching %s (%.1f%%); repeated calls "
               "(the most deduplication could save) %s (%.1f%%)</p>\n",
            (unsigned long long)p->nodes, fmt_ns((double)p->total_ns, b1, sizeof b1),
            fmt_ns(saving, b2, sizeof b2), 100.0 * share_of(p, saving),
            fmt_ns((double)p->repeat_ns, b3, sizeof b3),
            100.0 * share_of(p, (double)p->repeat_ns));
    if (p->untimed)
        fprintf(f, "<p class=\"note\"><b>%s.</b></p>\n", untimed_note);
    char note[320];
    if (*counted_note(p, note, sizeof note))
        fprintf(f, "<p class=\"note\">%s.</p>\n", note);
    unsigned by_self[NSLOTS];
    memcpy(by_self, p->order, p->nrows * sizeof *by_self);
    qsort_r(by_self, p->nrows, sizeof *by_self, cmp_by_self, (void *)p);
    fputs("<div class=\"charts\">\n", f);
    html_chart(f, p, p->order, p->nrows, 0, "Top 25 by estimated saving of batching", "#2b7bb9");
    html_chart(f, p, by_self, p->nrows, 1, "Top 25 by self time", "#d9822b");
    fputs("</div>\n", f);
    fprintf(f, "<p class=\"note\">Batching model: each breadth-first group (nodes of the trace "
               "with the same level and primitive) runs as one launch costing %.0f ns plus, per "
               "item, the primitive's mean sequential time / %.0f. est_saving = max(0, self - "
               "(groups &times; %.0f ns + self / %.0f)).</p>\n",
            PROF_LAUNCH_NS, PROF_SPEEDUP, PROF_LAUNCH_NS, PROF_SPEEDUP);
    fputs("<table><thead><tr><th>primitive</th><th>calls</th><th>distinct</th><th>self</th>"
          "<th>share</th><th>repeated</th><th>groups</th><th>mean width</th><th>max width</th>"
          "<th>est. saving</th></tr></thead><tbody>\n", f);
    for (unsigned r = 0; r < p->nrows; r++) {
        const PrimStat *ps = &p->st[p->order[r]];
        fputs("<tr><td>", f);
        html_text(f, ps->name);
        fprintf(f, "</td><td>%llu</td><td>%llu</td><td>%s</td><td>%.1f%%</td><td>%s</td><td>%llu</td>"
                   "<td>%.1f</td><td>%llu</td><td>%s</td></tr>\n",
                (unsigned long long)ps->calls, (unsigned long long)ps->distinct,
                fmt_ns((double)ps->self_ns, b1, sizeof b1), 100.0 * ps->share,
                fmt_ns((double)ps->repeat_ns, b3, sizeof b3), (unsigned long long)ps->groups, ps->mean_width,
                (unsigned long long)ps->max_width, fmt_ns(ps->est_saving_ns, b2, sizeof b2));
    }
    fputs("</tbody></table>\n</body></html>\n", f);
}


int cmd_profile(int argc, char **argv)
{
    const char *path = NULL, *json_path = NULL, *html_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(profile_help, stdout);
            return EXIT_OK;
        }
        if (!strcmp(a, "--json") || !strcmp(a, "--html")) {
            *(strcmp(a, "--json") ? &html_path : &json_path) = cli_need_value(argc, argv, &i, "profile");
        } else if (a[0] == '-' && a[1]) {
            die_usage("profile", "unknown option '%s'", a);
        } else if (!path) {
            path = a;
        } else {
            die_usage("profile", "unexpected argument '%s'", a);
        }
    }
    if (!path)
        die_usage("profile", "missing TRACE");
    int to_stdout = (json_path && !strcmp(json_path, "-")) + (html_path && !strcmp(html_path, "-"));
    if (to_stdout > 1)
        die_usage("profile", "only one of --json - and --html - can write to stdout");

    Profile *p = malloc(sizeof *p);
    if (!p)
        return EXIT_FAIL;
    Analysis an;
    analysis_init(&an, p);
    Trace t;
    char err[1024];
    if (trace_read_units(path, &t, analyse_unit, &an, err, sizeof err) != 0) {
        fprintf(stderr, "battrace profile: %s\n", err);
        analysis_free(&an);
        free(p);
        return EXIT_USAGE;
    }
    analyse_finish(&an, &t);
    analysis_free(&an);
    qsort_r(p->order, p->nrows, sizeof *p->order, cmp_rows, p);
    int rc = EXIT_OK;
    if (json_path) {
        FILE *f = cli_open_out("profile", json_path);
        rc = f ? write_json(p, f) : EXIT_FAIL;
        if (f) {
            int c = cli_close_out("profile", f, json_path);
            rc = rc ? rc : c;
        }
    }
    if (!rc && html_path) {
        FILE *f = cli_open_out("profile", html_path);
        if (f)
            write_html(p, path, f);
        rc = f ? cli_close_out("profile", f, html_path) : EXIT_FAIL;
    }
    if (!rc)
        write_table(p, path, to_stdout ? stderr : stdout);
    free(p);
    trace_free(&t);
    return rc;
}
