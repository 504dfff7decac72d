/* trace_read.c: loading a trace file (docs/trace-format.md) into a Trace.
 *
 * The file is untrusted: the header (magic, version, sizes, CRC) is checked,
 * then the section table, then each section is decoded with every varint,
 * count, index and reference checked against what it may name. Counts are
 * bounded by the bytes left before anything is allocated from them. Any
 * problem gives `name: what is wrong (offset N)` and an empty Trace. */
#include "trace.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../ops/ops.h"
#include "../runtime/xalloc.h"
#include "crc.h"
#include "varint.h"

#define MIN_NODE_BYTES 6 /* op, err, nargs, parent, stmt, self_ns */
#define MAX_NARGS 9
#define NSECTIONS (SEC_UNITS + 1)

void trace_init(Trace *t)
{
    memset(t, 0, sizeof *t);
    vt_init(&t->values);
    arena_init(&t->arena);
}

void trace_free(Trace *t)
{
    vt_free(&t->values);
    free(t->units);
    free(t->nodes);
    free(t->args);
    arena_free(&t->arena);
    trace_init(t);
}

/* A reader over [base, end) of the whole file; `at` is the current position. */
typedef struct Rd {
    const uint8_t *base, *p, *end;
    const char *name;
    char *err;
    size_t errlen;
    unsigned flags;     /* TRACE_READ_* */
    TraceUnitFn on_unit; /* trace_read_units: called per unit, nodes dropped after */
    void *unit_data;
    uint64_t mem_budget; /* bytes every node kept in memory may take; 0: no limit */
    /* TRACE_READ_NO_NODES: a unit's bindings, until checked (they name
     * nodes that are not kept, so none are: the batt's 1718 units held 30
     * MB of them, faulted in fresh while loading a replay); the UNITS
     * section's reader (a copy, see sub) frees it when done */
    uint64_t *binds;
    size_t nbinds, cap_binds;
} Rd;

static int fail(Rd *r, const uint8_t *at, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (r->err && r->errlen)
        snprintf(r->err, r->errlen, "%s: %s (offset %zu)", r->name, what, (size_t)(at - r->base));
    return 2;
}

static size_t left(const Rd *r) { return (size_t)(r->end - r->p); }

static int get_varint(Rd *r, uint64_t *out, const char *what)
{
    const uint8_t *at = r->p;
    if (varint_get(&r->p, r->end, out))
        return fail(r, at, "bad varint in %s", what);
    return 0;
}

/* A varint that must be below limit. */
static int get_index(Rd *r, uint64_t limit, uint64_t *out, const char *what)
{
    const uint8_t *at = r->p;
    if (get_varint(r, out, what))
        return 2;
    if (*out >= limit)
        return fail(r, at, "%s %llu out of range (limit %llu)", what, (unsigned long long)*out,
                    (unsigned long long)limit);
    return 0;
}

static int get_u8(Rd *r, uint8_t *out, const char *what)
{
    if (r->p >= r->end)
        return fail(r, r->p, "truncated %s", what);
    *out = *r->p++;
    return 0;
}

/* A length-prefixed string copied into the arena, NUL-terminated. */
static int get_str(Rd *r, Arena *a, char **out, const char *what)
{
    uint64_t n;
    const uint8_t *at = r->p;
    if (get_varint(r, &n, what))
        return 2;
    if (n > left(r))
        return fail(r, at, "%s length %llu past the section end", what, (unsigned long long)n);
    char *s = arena_alloc(a, (size_t)n + 1);
    memcpy(s, r->p, (size_t)n);
    s[n] = 0;
    r->p += n;
    *out = s;
    return 0;
}

/* ---- sections ---- */

typedef struct Section {
    const uint8_t *p;
    uint64_t len;
    int present;
} Section;

static Rd sub(const Rd *r, const Section *s)
{
    Rd q = *r;
    q.p = s->p;
    q.end = s->p + s->len;
    return q;
}

static const char *sec_name(int kind)
{
    static const char *names[] = {"?", "META", "SOURCE", "PROGRAMS", "SAMPLES", "VALUES", "UNITS"};
    return names[kind];
}

static int read_header(Rd *r, size_t size, uint32_t *nsec)
{
    const uint8_t *b = r->base;
    if (size == 0)
        return fail(r, b, "empty file");
    if (size < TRACE_HEADER_SIZE)
        return fail(r, b, "file too short for the header (%zu bytes)", size);
    if (memcmp(b, "BATTRACE", 8))
        return fail(r, b, "not a battrace trace (bad magic)");
    if (rd_u32le(b + 8) != TRACE_VERSION)
        return fail(r, b + 8, "unsupported version %u (this battrace reads version %u: record the trace again)",
                    rd_u32le(b + 8), TRACE_VERSION);
    if (rd_u32le(b + 12) != TRACE_HEADER_SIZE)
        return fail(r, b + 12, "bad header size %u", rd_u32le(b + 12));
    uint64_t body = rd_u64le(b + 16);
    if (body != size - TRACE_HEADER_SIZE)
        return fail(r, b + 16, "file size %zu is not 64 + body size %llu (truncated?)", size,
                    (unsigned long long)body);
    uint32_t crc = crc32c_update(0, b + TRACE_HEADER_SIZE, (size_t)body);
    if (crc != rd_u32le(b + 24))
        return fail(r, b + 24, "checksum mismatch (stored %08x, computed %08x)", rd_u32le(b + 24),
                    crc);
    for (int k = 32; k < TRACE_HEADER_SIZE; k++)
        if (b[k])
            return fail(r, b + k, "header reserved bytes are not zero");
    *nsec = rd_u32le(b + 28);
    return 0;
}

static int read_sections(Rd *r, uint32_t nsec, Section *secs)
{
    uint32_t seen = 0;
    r->p = r->base + TRACE_HEADER_SIZE;
    while (r->p < r->end) {
        const uint8_t *at = r->p;
        if (left(r) < 16)
            return fail(r, at, "truncated section header");
        uint32_t kind = rd_u32le(at), zero = rd_u32le(at + 4);
        uint64_t len = rd_u64le(at + 8);
        r->p += 16;
        if (zero)
            return fail(r, at + 4, "section reserved field is not zero");
        if (len > left(r))
            return fail(r, at + 8, "section %u overruns the body", kind);
        if (kind >= SEC_META && kind <= SEC_UNITS) {
            if (secs[kind].present)
                return fail(r, at, "duplicate %s section", sec_name((int)kind));
            secs[kind] = (Section){r->p, len, 1};
        }
        r->p += len;
        seen++;
    }
    if (seen != nsec)
        return fail(r, r->base + 28, "header says %u sections, body has %u", nsec, seen);
    for (int k = SEC_META; k <= SEC_UNITS; k++)
        if (!secs[k].present)
            return fail(r, r->end, "missing %s section", sec_name(k));
    return 0;
}

static int read_values(Rd *r, Trace *t)
{
    uint64_t n;
    const uint8_t *at = r->p;
    if (get_varint(r, &n, "value count"))
        return 2;
    if (n > left(r))
        return fail(r, at, "value count %llu larger than the section", (unsigned long long)n);
    size_t bad = 0;
    if (vt_load(&t->values, r->p, left(r), n, &bad))
        return fail(r, r->p + bad, "malformed value");
    return 0;
}

static int read_programs(Rd *r, Trace *t)
{
    uint64_t n;
    const uint8_t *at = r->p;
    if (get_varint(r, &n, "program count"))
        return 2;
    if (n > left(r) || n >= UINT32_MAX)
        return fail(r, at, "program count %llu larger than the section", (unsigned long long)n);
    t->programs = arena_alloc(&t->arena, (size_t)(n ? n : 1) * sizeof *t->programs);
    for (uint64_t k = 0; k < n; k++)
        if (get_str(r, &t->arena, &t->programs[k], "program name"))
            return 2;
    t->nprograms = (uint32_t)n;
    if (r->p != r->end)
        return fail(r, r->p, "trailing bytes in PROGRAMS");
    return 0;
}

static int read_flag(Rd *r, uint8_t *out, const char *what)
{
    const uint8_t *at = r->p;
    if (get_u8(r, out, what))
        return 2;
    if (*out > 1)
        return fail(r, at, "bad %s %u", what, *out);
    return 0;
}

static int read_sample(Rd *r, Trace *t, TraceSample *s)
{
    uint64_t x, nv = t->values.count;
    if (get_str(r, &t->arena, &s->key, "sample key") || read_flag(r, &s->split, "split") ||
        get_index(r, UINT32_MAX, &x, "sample index"))
        return 2;
    s->index = (uint32_t)x;
    if (get_index(r, nv, &x, "input value id"))
        return 2;
    s->input = (uint32_t)x;
    if (read_flag(r, &s->has_output, "has_output"))
        return 2;
    if (s->has_output) {
        if (get_index(r, nv, &x, "output value id"))
            return 2;
        s->output = (uint32_t)x;
    }
    if (get_index(r, nv, &x, "S value id"))
        return 2;
    s->S = (uint32_t)x;
    return 0;
}

static int read_samples(Rd *r, Trace *t)
{
    uint64_t n;
    const uint8_t *at = r->p;
    if (get_varint(r, &n, "sample count"))
        return 2;
    if (n > left(r) / 5 || n >= UINT32_MAX)
        return fail(r, at, "sample count %llu larger than the section", (unsigned long long)n);
    t->samples = arena_alloc(&t->arena, (size_t)(n ? n : 1) * sizeof *t->samples);
    memset(t->samples, 0, (size_t)(n ? n : 1) * sizeof *t->samples);
    for (uint64_t k = 0; k < n; k++)
        if (read_sample(r, t, &t->samples[k]))
            return 2;
    t->nsamples = (uint32_t)n;
    if (r->p != r->end)
        return fail(r, r->p, "trailing bytes in SAMPLES");
    return 0;
}

/* ---- units ---- */

/* Grow *arr (of size elements) to hold need, doubling. */
static void reserve(void **arr, uint64_t *cap, uint64_t need, size_t size)
{
    if (need <= *cap)
        return;
    uint64_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *p = realloc(*arr, (size_t)c * size);
    if (!p) {
        fprintf(stderr, "battrace: out of memory reading a trace\n");
        exit(3);
    }
    *arr = p;
    *cap = c;
}

static int check_ref(Rd *r, const uint8_t *at, uint64_t ref, uint64_t nnodes, uint64_t nvalues)
{
    uint64_t i = ref_index(ref);
    static const uint64_t inputs = 5, prims = P__COUNT;
    uint64_t limit = ref_kind(ref) == REF_NODE    ? nnodes
                     : ref_kind(ref) == REF_INPUT ? inputs
                     : ref_kind(ref) == REF_VALUE ? nvalues
                                                  : prims;
    static const char *kinds[] = {"node", "input", "value", "primitive"};
    if (i >= limit)
        return fail(r, at, "%s ref %llu out of range (limit %llu)", kinds[ref_kind(ref)],
                    (unsigned long long)i, (unsigned long long)limit);
    return 0;
}

/* Room for a call's x bindings: in the trace's arena, or without nodes in
 * the reader's buffer for the unit's bindings (x is bounded by the bytes
 * left, which the caller checked). */
static uint64_t *bind_room(Rd *r, Trace *t, uint64_t x)
{
    if (!(r->flags & TRACE_READ_NO_NODES))
        return arena_alloc(&t->arena, (size_t)(x ? x : 1) * sizeof(uint64_t));
    r->binds = grow_room(r->binds, &r->cap_binds, r->nbinds + (size_t)x + 1, sizeof *r->binds, 0, 1024);
    uint64_t *at = r->binds + r->nbinds;
    r->nbinds += (size_t)x;
    return at;
}

static int read_call(Rd *r, Trace *t, TraceCall *c)
{
    uint64_t x;
    const uint8_t *at = r->p;
    if (get_u8(r, &c->err, "call err"))
        return 2;
    if (c->err >= ERR__COUNT)
        return fail(r, at, "bad call err %u", c->err);
    if (get_index(r, UINT32_MAX, &x, "statements done"))
        return 2;
    c->done = (uint32_t)x;
    if (get_index(r, (uint64_t)t->values.count + 1, &x, "call output"))
        return 2;
    c->out = (uint32_t)x;
    at = r->p;
    if (get_varint(r, &x, "binding count"))
        return 2;
    if (x > left(r))
        return fail(r, at, "binding count %llu larger than the section", (unsigned long long)x);
    c->nbind = (uint32_t)x;
    uint64_t *bind = bind_room(r, t, x);
    for (uint64_t k = 0; k < x; k++)
        if (get_varint(r, &bind[k], "binding"))
            return 2;
    c->bind = bind; /* without nodes read_unit_head points it again: the buffer may move */
    return 0;
}

/* A binding names a node of its unit: checked once nnodes is known. */
static int check_bindings(Rd *r, const uint8_t *at, const TraceUnit *u, uint64_t nvalues)
{
    for (int c = 0; c < u->ncalls; c++)
        for (uint32_t k = 0; k < u->calls[c].nbind; k++)
            if (check_ref(r, at, u->calls[c].bind[k], u->nnodes, nvalues))
                return 2;
    return 0;
}

static int read_node_head(Rd *r, TraceNode *nd, uint64_t index)
{
    uint64_t x;
    const uint8_t *at = r->p;
    if (get_varint(r, &x, "op"))
        return 2;
    if (x >= P__COUNT && x != TRACE_OP_CLOSURE)
        return fail(r, at, "bad op %llu", (unsigned long long)x);
    nd->op = (uint16_t)x;
    at = r->p;
    if (get_u8(r, &nd->err, "node err"))
        return 2;
    if (nd->err >= ERR__COUNT)
        return fail(r, at, "bad node err %u", nd->err);
    at = r->p;
    if (get_u8(r, &nd->nargs, "nargs"))
        return 2;
    if (nd->nargs > MAX_NARGS)
        return fail(r, at, "node with %u arguments", nd->nargs);
    if (get_index(r, index + 1, &x, "parent"))
        return 2;
    nd->parent = (uint32_t)x;
    if (get_index(r, UINT32_MAX, &x, "statement index"))
        return 2;
    nd->stmt = (uint32_t)x;
    return 0;
}

static int read_node(Rd *r, Trace *t, uint64_t index, uint64_t nnodes)
{
    TraceNode *nd = &t->nodes[t->nnodes];
    uint64_t x, nv = t->values.count;
    memset(nd, 0, sizeof *nd);
    if (read_node_head(r, nd, index))
        return 2;
    reserve((void **)&t->args, &t->cap_args, t->nargs + nd->nargs, sizeof *t->args);
    nd->args_at = t->nargs;
    for (unsigned k = 0; k < nd->nargs; k++) {
        const uint8_t *at = r->p;
        if (get_varint(r, &x, "argument") || check_ref(r, at, x, nnodes, nv))
            return 2;
        t->args[t->nargs++] = x;
    }
    if (!nd->err) {
        if (get_index(r, nv, &x, "result value id"))
            return 2;
        nd->result = (uint32_t)x;
    }
    if (get_varint(r, &nd->self_ns, "self_ns"))
        return 2;
    t->nnodes++;
    return 0;
}

static int read_unit_head(Rd *r, Trace *t, TraceUnit *u)
{
    uint64_t x;
    if (get_index(r, t->nprograms, &x, "program"))
        return 2;
    u->program = (uint32_t)x;
    if (get_index(r, t->nsamples, &x, "sample"))
        return 2;
    u->sample = (uint32_t)x;
    if (get_varint(r, &u->us, "us"))
        return 2;
    const uint8_t *at = r->p;
    if (get_u8(r, &u->ncalls, "ncalls"))
        return 2;
    if (u->ncalls < 1 || u->ncalls > 2)
        return fail(r, at, "unit with %u calls", u->ncalls);
    r->nbinds = 0;
    for (int c = 0; c < u->ncalls; c++)
        if (read_call(r, t, &u->calls[c]))
            return 2;
    if (r->flags & TRACE_READ_NO_NODES) /* in the buffer until checked (the buffer may have moved) */
        for (int c = 0, off = 0; c < u->ncalls; off += (int)u->calls[c].nbind, c++)
            u->calls[c].bind = r->binds + off;
    return 0;
}

/* Would keeping n more nodes (and their arguments, two each on average)
 * pass the memory budget? A trace's nodes take about three times their
 * bytes on disk in memory: the full cross workload's 15 GB trace would need
 * 50 GB, and without this check a reader on a 24 GB machine grew until the
 * kernel killed it. */
static bool over_budget(const Rd *r, const Trace *t, uint64_t n)
{
    if (!r->mem_budget) /* only set where every node is kept (READ_BUDGETED) */
        return false;
    uint64_t nodes = t->nnodes + n;
    return nodes * sizeof *t->nodes + (t->nargs + 2 * n) * sizeof *t->args > r->mem_budget;
}

static int read_unit(Rd *r, Trace *t)
{
    reserve((void **)&t->units, &t->cap_units, t->nunits + 1, sizeof *t->units);
    TraceUnit *u = &t->units[t->nunits];
    memset(u, 0, sizeof *u);
    if (read_unit_head(r, t, u))
        return 2;
    uint64_t n;
    const uint8_t *at = r->p;
    if (get_varint(r, &n, "node count"))
        return 2;
    if (n > left(r) / MIN_NODE_BYTES || n >= UINT32_MAX)
        return fail(r, at, "node count %llu larger than the section", (unsigned long long)n);
    u->nnodes = (uint32_t)n;
    u->first_node = t->nnodes;
    if (check_bindings(r, at, u, t->values.count))
        return 2;
    if (r->flags & TRACE_READ_NO_NODES)
        for (int c = 0; c < u->ncalls; c++)
            u->calls[c].bind = NULL; /* checked; not kept (Rd.binds) */
    uint64_t bytes;
    at = r->p;
    if (get_varint(r, &bytes, "nodes' byte length"))
        return 2;
    if (bytes > left(r) || bytes < n * MIN_NODE_BYTES)
        return fail(r, at, "nodes' byte length %llu does not fit %llu nodes in the section", (unsigned long long)bytes,
                    (unsigned long long)n);
    const uint8_t *end = r->p + bytes;
    if (over_budget(r, t, n))
        return fail(r, at, "reading every node into memory takes more than the %.1f GB available here "
                           "(%llu nodes read, unit %llu); the battrace commands read a trace a unit "
                           "at a time",
                    (double)r->mem_budget / 1e9, (unsigned long long)t->nnodes, (unsigned long long)t->nunits);
    if (r->flags & TRACE_READ_NO_NODES) {
        r->p = end;
        u->nnodes = 0; /* none kept: a node ref has nothing to name */
    } else {
        reserve((void **)&t->nodes, &t->cap_nodes, t->nnodes + n, sizeof *t->nodes);
        for (uint64_t k = 0; k < n; k++)
            if (read_node(r, t, k, n))
                return 2;
        if (r->p != end)
            return fail(r, at, "nodes' byte length %llu, but the nodes take %llu", (unsigned long long)bytes,
                        (unsigned long long)(r->p - (end - bytes)));
        if (r->on_unit) { /* this unit's nodes are all there are */
            r->on_unit(r->unit_data, t, u);
            t->nnodes = t->nargs = 0;
        }
    }
    t->nunits++;
    return 0;
}

static int read_units(Rd *r, Trace *t)
{
    int rc = 0;
    while (!rc && r->p < r->end)
        rc = read_unit(r, t);
    free(r->binds); /* the buffer of a reader of this section (see Rd) */
    r->binds = NULL;
    r->nbinds = r->cap_binds = 0;
    return rc;
}

/* META must be a JSON object; is_batt comes from it, and the unit count it
 * gives (NAN: none) into *units. Read before the units, so that a
 * unit-at-a-time reader's callbacks see it (the count, for a progress
 * line); check_meta_units compares the count with them after. */
static int read_meta(Rd *r, Trace *t, double *units)
{
    size_t n = left(r);
    if (memchr(r->p, 0, n))
        return fail(r, r->p, "NUL byte in META");
    t->meta_json = arena_alloc(&t->arena, n + 1);
    memcpy(t->meta_json, r->p, n);
    t->meta_json[n] = 0;
    cJSON *j = cJSON_ParseWithLength(t->meta_json, n);
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return fail(r, r->p, "META is not a JSON object");
    }
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "is_batt");
    t->is_batt = cJSON_IsTrue(b) || (cJSON_IsNumber(b) && b->valuedouble != 0);
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(j, "units");
    *units = cJSON_IsNumber(u) ? u->valuedouble : NAN;
    cJSON_Delete(j);
    return 0;
}

/* META's units, when it gives them, must be the units read. */
static int check_meta_units(Rd *r, const Trace *t, double units)
{
    if (!isnan(units) && units != (double)t->nunits)
        return fail(r, r->p, "META gives a unit count that differs from UNITS (%llu)",
                    (unsigned long long)t->nunits);
    return 0;
}

static void read_source(const Rd *r, Trace *t)
{
    size_t n = left(r);
    t->source = arena_alloc(&t->arena, n + 1);
    memcpy(t->source, r->p, n);
    t->source[n] = 0;
    t->source_len = n;
}

static int read_body(Rd *r, Trace *t, const Section *secs)
{
    Rd q = sub(r, &secs[SEC_VALUES]);
    if (read_values(&q, t))
        return 2;
    q = sub(r, &secs[SEC_PROGRAMS]);
    if (read_programs(&q, t))
        return 2;
    q = sub(r, &secs[SEC_SAMPLES]);
    if (read_samples(&q, t))
        return 2;
    Rd meta = sub(r, &secs[SEC_META]);
    double units = NAN;
    if (read_meta(&meta, t, &units))
        return 2;
    q = sub(r, &secs[SEC_UNITS]);
    if (read_units(&q, t))
        return 2;
    if (check_meta_units(&meta, t, units))
        return 2;
    q = sub(r, &secs[SEC_SOURCE]);
    read_source(&q, t);
    return 0;
}

int trace_read_mem(const uint8_t *data, size_t size, const char *name, Trace *t, char *err,
                   size_t errlen)
{
    return trace_read_mem_ex(data, size, name, 0, t, err, errlen);
}

/* read_path's own flag: every node is kept, within the memory there is. */
#define READ_BUDGETED (1u << 16)

/* What a reader may keep in memory: nine tenths of what the kernel says is
 * available (MemAvailable; BATTRACE_MEM_AVAILABLE, in bytes, stands in for
 * it in tests), or 0 when neither says. */
static uint64_t memory_budget(void)
{
    const char *forced = getenv("BATTRACE_MEM_AVAILABLE");
    if (forced && *forced)
        return strtoull(forced, NULL, 10);
    FILE *f = fopen("/proc/meminfo", "r");
    unsigned long long kb = 0;
    char line[128];
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return (uint64_t)kb * 1024 / 10 * 9;
}

static int read_mem(const uint8_t *data, size_t size, const char *name, unsigned flags, TraceUnitFn on_unit,
                    void *unit_data, Trace *t, char *err, size_t errlen)
{
    Rd r = {.base = data, .p = data, .end = data + size, .name = name, .err = err, .errlen = errlen,
            .flags = flags, .on_unit = on_unit, .unit_data = unit_data};
    if (flags & READ_BUDGETED)
        r.mem_budget = memory_budget();
    Section secs[NSECTIONS] = {{0}};
    uint32_t nsec = 0;
    trace_init(t);
    if (!data && size)
        return fail(&r, data, "no data");
    if (read_header(&r, size, &nsec) || read_sections(&r, nsec, secs) || read_body(&r, t, secs)) {
        trace_free(t);
        return 2;
    }
    return 0;
}

int trace_read_mem_ex(const uint8_t *data, size_t size, const char *name, unsigned flags, Trace *t, char *err,
                      size_t errlen)
{
    return read_mem(data, size, name, flags, NULL, NULL, t, err, errlen);
}

int trace_read_mem_units(const uint8_t *bytes, size_t size, const char *name, Trace *t, TraceUnitFn on_unit,
                         void *data, char *err, size_t errlen)
{
    return read_mem(bytes, size, name, 0, on_unit, data, t, err, errlen);
}

/* Populate a mapping of n bytes at once? Not for a trace of more than a
 * quarter of the memory: its first pages would be dropped before the
 * checksum read them, and come from disk twice. */
static bool populate_fits(size_t n)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 && (uint64_t)n <= (uint64_t)pages * (uint64_t)page / 4;
}

/* The file's bytes: mapped where it is a regular file (no copy, and pages
 * come from the page cache, where reading into a fresh buffer copied 150 MB
 * and faulted in every page of it: a fifth of loading), read otherwise.
 * The checksum reads every byte anyway, so the mapping is populated at once
 * (MAP_POPULATE) rather than page fault by page fault: on a 370 MB trace,
 * 5600 faults, system time 0.10-0.46 s -> 0.04-0.05 s.
 * *mapped says which, for release_file. */
static int read_file(const char *path, uint8_t **out, size_t *size, int *mapped, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return 2;
    }
    size_t n = (size_t)st.st_size, got = 0;
    *mapped = 0;
    if (S_ISREG(st.st_mode) && n > 0) {
        void *m = mmap(NULL, n, PROT_READ, MAP_PRIVATE | (populate_fits(n) ? MAP_POPULATE : 0), fd, 0);
        if (m != MAP_FAILED) {
            /* one advice a call: the values are not flags (2 | 3 is 3) */
            madvise(m, n, MADV_SEQUENTIAL);
            madvise(m, n, MADV_WILLNEED);
            close(fd);
            *out = m;
            *size = n;
            *mapped = 1;
            return 0;
        }
    }
    uint8_t *buf = malloc(n ? n : 1);
    while (buf && got < n) {
        ssize_t k = read(fd, buf + got, n - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    if (!buf || got != n) {
        snprintf(err, errlen, "%s: cannot read: %s", path, buf ? strerror(errno) : "out of memory");
        free(buf);
        return 2;
    }
    *out = buf;
    *size = n;
    return 0;
}

static void release_file(uint8_t *data, size_t size, int mapped)
{
    if (mapped)
        munmap(data, size);
    else
        free(data);
}

int trace_read(const char *path, Trace *t, char *err, size_t errlen)
{
    return trace_read_ex(path, 0, t, err, errlen);
}

static int read_path(const char *path, unsigned flags, TraceUnitFn on_unit, void *unit_data, Trace *t, char *err,
                     size_t errlen)
{
    uint8_t *data;
    size_t size;
    int mapped;
    trace_init(t);
    if (read_file(path, &data, &size, &mapped, err, errlen))
        return 2;
    /* the Trace keeps copies of what it needs: the file is let go here */
    if (!on_unit && !(flags & TRACE_READ_NO_NODES))
        flags |= READ_BUDGETED;
    int rc = read_mem(data, size, path, flags, on_unit, unit_data, t, err, errlen);
    release_file(data, size, mapped);
    return rc;
}

int trace_read_ex(const char *path, unsigned flags, Trace *t, char *err, size_t errlen)
{
    return read_path(path, flags, NULL, NULL, t, err, errlen);
}

int trace_read_units(const char *path, Trace *t, TraceUnitFn on_unit, void *data, char *err, size_t errlen)
{
    return read_path(path, 0, on_unit, data, t, err, errlen);
}

int trace_reread_units(const char *path, uint64_t nunits, Trace *t, TraceUnitFn on_unit, void *data, char *err,
                       size_t errlen)
{
    int rc = trace_read_units(path, t, on_unit, data, err, errlen);
    if (!rc && t->nunits != nunits) {
        snprintf(err, errlen, "%s: changed while it was read (%llu units, then %llu)", path,
                 (unsigned long long)nunits, (unsigned long long)t->nunits);
        rc = 2;
    }
    return rc;
}

void trace_nodes_append(TraceNodes *to, const TraceNode *nodes, size_t n, const uint64_t *args)
{
    to->nodes = grow_room(to->nodes, &to->cap, to->n + n, sizeof *to->nodes, 0, 64);
    for (size_t k = 0; k < n; k++) {
        TraceNode nd = nodes[k];
        to->args = grow_room(to->args, &to->cap_args, to->nargs + nd.nargs, sizeof *to->args, 0, 64);
        memcpy(to->args + to->nargs, args + nd.args_at, nd.nargs * sizeof *args);
        nd.args_at = to->nargs;
        to->nargs += nd.nargs;
        to->nodes[to->n++] = nd;
    }
}

void trace_nodes_free(TraceNodes *to)
{
    free(to->nodes);
    free(to->args);
    memset(to, 0, sizeof *to);
}

uint64_t trace_meta_count(const Trace *t, const char *key)
{
    cJSON *j = t->meta_json ? cJSON_Parse(t->meta_json) : NULL;
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(j, key);
    uint64_t n = cJSON_IsNumber(u) && u->valuedouble >= 0 ? (uint64_t)u->valuedouble : 0;
    cJSON_Delete(j);
    return n;
}

uint64_t trace_meta_units(const Trace *t) { return trace_meta_count(t, "units"); }
