/* test_trace.c: the trace file layer: varints and CRC, the value table,
 * write/read round trips, and every way a file can be refused (truncated,
 * corrupted, CRC-correct but malformed sections), plus the atomic write. */
#include "support.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../runtime/func.h"
#include "../tracer/trace.h"
#include "../tracer/crc.h"
#include "../tracer/varint.h"

/* ---- helpers ---- */

/* A fresh directory under /tmp for this test. */
static const char *tmpdir(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/battrace-trace-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

/* Remove dir, its files and its empty subdirectories. */
static void cleanup(const char *dir)
{
    DIR *d = opendir(dir);
    char path[512];
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path))
            rmdir(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

static int count_tmp_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strstr(e->d_name, ".tmp.") != NULL;
    if (d)
        closedir(d);
    return n;
}

static void fix_crc(uint8_t *buf, size_t size)
{
    wr_u32le(buf + 24, crc32c_update(0, buf + TRACE_HEADER_SIZE, size - TRACE_HEADER_SIZE));
}

static Value closure(FnKind kind, int arity, Value a, Value b, Value c, int64_t n)
{
    Value caps[3] = {a, b, c}, out;
    cr_assert_eq(func_closure(t_ctx(), kind, arity, 3, caps, n, &out), ERR_OK);
    return out;
}

/* Structural sameness: kinds and contents; closures by their parts. */
static bool same(Value a, Value b)
{
    if (a.tag != b.tag)
        return false;
    if (a.tag == VT_FUNC) {
        const Func *f = a.u.fn, *g = b.u.fn;
        if (f->kind != g->kind || f->arity != g->arity || f->n != g->n || f->prim != g->prim)
            return false;
        if (f->kind == FN_PRIM || f->kind == FN_SAFE)
            return true;
        for (int k = 0; k < 3; k++)
            if (!same(f->cap[k], g->cap[k]))
                return false;
        return true;
    }
    if (a.tag == VT_TUPLE || a.tag == VT_SET) {
        if (v_len(a) != v_len(b))
            return false;
        for (size_t k = 0; k < v_len(a); k++)
            if (!same(v_item(a, k), v_item(b, k)))
                return false;
        return true;
    }
    return v_eq(a, b) && strcmp(R(a), R(b)) == 0;
}

/* ---- a small trace built by hand ---- */

#define NV 64
typedef struct Built {
    Trace t;
    Value vals[NV];
    uint32_t ids[NV];
    int n;
} Built;

static uint32_t add(Built *b, Value v)
{
    cr_assert_lt(b->n, NV);
    b->vals[b->n] = v;
    return b->ids[b->n++] = vt_intern(&b->t.values, v);
}

static const char *const literals[] = {
    "None", "True", "False", "0", "1", "-5", "9223372036854775807", "-9223372036854775808",
    "(1, 2)", "(3, (1, 2))", "(True, 2)", "(1, True)", "(2147483648, 1)", "()", "frozenset()",
    "((1, 2), (3, 4))", "((0, 0, 0), (0, 5, 0))", "frozenset({(0, 0), (1, 1)})",
    "frozenset({(1, (0, 0)), (2, (0, 1))})",
    "frozenset({frozenset({1}), frozenset({1, 2}), frozenset({(3, (4, 5))})})",
    "(frozenset({1}), (2, (3, 4)), None, True)", "identity", "flip", "'hello'", "('a', 1, '')",
    /* grids (one TAG_GRID entry each) and tuples of rows that are not */
    "((1, 2, 3), (4, 5, 6))", "((7,), (-8,))", "((2147483648, 1), (0, 9223372036854775807))",
    "((1, 2), (2147483648, 1))", "((1, 2, 3), (4, 5))", "((1, True, 3),)", "(((1, 2, 3),),)",
    "((300, -300, 0), (1, 2, 3), (1, 2, 3))", "((), (), ())", "((1, 2, 3), ())",
};

static void add_values(Built *b)
{
    for (size_t k = 0; k < sizeof literals / sizeof *literals; k++)
        add(b, V(literals[k]));
    Value c1 = closure(FN_COMPOSE, 1, V("identity"), V("flip"), v_none(), 0);
    Value rb = closure(FN_RBIND, 2, V("add"), V("(1, 2)"), v_none(), 0);
    Value fk = closure(FN_FORK, 1, V("combine"), c1, rb, 0);
    add(b, c1);
    add(b, rb);
    add(b, fk);
    add(b, closure(FN_POWER, 1, fk, v_none(), v_none(), 3));
    add(b, closure(FN_MATCHER, 1, V("size"), V("frozenset({(0, 0)})"), v_none(), 0));
    add(b, func_safe_callable());
    Value items[4] = {c1, v_str("x"), func_safe_callable(), v_none()}, tup, set;
    cr_assert_eq(mk_tuple(t_ctx(), 4, items, &tup), ERR_OK);
    add(b, tup);
    Value two[2] = {c1, rb};
    cr_assert_eq(mk_set(t_ctx(), 2, two, &set), ERR_OK);
    add(b, set);
}

static char *dupstr(Trace *t, const char *s) { return arena_strdup(&t->arena, s); }

static void add_samples(Built *b)
{
    Trace *t = &b->t;
    t->nprograms = 2;
    t->programs = arena_alloc(&t->arena, 2 * sizeof *t->programs);
    t->programs[0] = dupstr(t, "solve_a");
    t->programs[1] = dupstr(t, "solve_\xc3\xa9");
    t->nsamples = 2;
    t->samples = arena_alloc(&t->arena, 2 * sizeof *t->samples);
    t->samples[0] = (TraceSample){dupstr(t, "007bbfb7"), 0, 3, b->ids[15], b->ids[16], b->ids[0], 1};
    t->samples[1] = (TraceSample){dupstr(t, "007bbfb7"), 1, 0, b->ids[16], 0, b->ids[1], 0};
    t->source = dupstr(t, "def solve_a(I):\n    return I\n");
    t->source_len = strlen(t->source);
}

static uint64_t *binds(Trace *t, int n, const uint64_t *refs)
{
    uint64_t *p = arena_alloc(&t->arena, (size_t)(n ? n : 1) * sizeof *p);
    if (n)
        memcpy(p, refs, (size_t)n * sizeof *p);
    return p;
}

/* Two units: a solver run with a closure application inside, and a batt
 * unit with two calls and no nodes. */
static void add_units(Built *b)
{
    Trace *t = &b->t;
    uint16_t ident = (uint16_t)(prim_lookup("identity") - prim_table);
    t->nodes = malloc(3 * sizeof *t->nodes);
    t->args = malloc(4 * sizeof *t->args);
    t->units = malloc(2 * sizeof *t->units);
    t->nodes[0] = (TraceNode){ident, 0, 1, 0, 0, b->ids[15], 1000, 0};
    t->nodes[1] = (TraceNode){TRACE_OP_CLOSURE, 0, 2, 0, 1, b->ids[21], 1ull << 40, 1};
    t->nodes[2] = (TraceNode){ident, ERR_TYPE, 1, 2, 1, 0, 7, 3};
    t->args[0] = ref_make(REF_INPUT, 0);
    t->args[1] = ref_make(REF_VALUE, b->ids[25]);
    t->args[2] = ref_make(REF_NODE, 0);
    t->args[3] = ref_make(REF_PRIM, ident);
    t->nnodes = t->cap_nodes = 3;
    t->nargs = t->cap_args = 4;
    TraceUnit u = {0};
    u.program = 0, u.sample = 0, u.us = 123456, u.ncalls = 1, u.nnodes = 3, u.first_node = 0;
    u.calls[0] = (TraceCall){0, 2, b->ids[15] + 1, 2,
                             binds(t, 2, (uint64_t[]){ref_make(REF_NODE, 0), ref_make(REF_NODE, 1)})};
    t->units[0] = u;
    TraceUnit v = {0};
    v.program = 1, v.sample = 1, v.us = 0, v.ncalls = 2, v.nnodes = 0, v.first_node = 3;
    v.calls[0] = (TraceCall){0, 1, b->ids[3] + 1, 1, binds(t, 1, (uint64_t[]){ref_make(REF_VALUE, 2)})};
    v.calls[1] = (TraceCall){ERR_VALUE, 0, 0, 0, binds(t, 0, NULL)};
    t->units[1] = v;
    t->nunits = t->cap_units = 2;
    t->is_batt = 1;
}

static void build(Built *b)
{
    memset(b, 0, sizeof *b);
    trace_init(&b->t);
    add_values(b);
    add_samples(b);
    add_units(b);
}

static const char *meta_override; /* a META that disagrees with the units */

static const char *meta_of(const Trace *t)
{
    static char meta[256];
    if (meta_override)
        return meta_override;
    snprintf(meta, sizeof meta, "{\"tool\": \"test\", \"is_batt\": %s, \"units\": %llu}",
             t->is_batt ? "true" : "false", (unsigned long long)t->nunits);
    return meta;
}

static int write_built(const Trace *t, const char *path, char *err, size_t errlen)
{
    TraceWriter *w = tw_open(path, t, err, errlen);
    if (!w)
        return -1;
    for (uint64_t k = 0; k < t->nunits; k++) {
        const TraceUnit *u = &t->units[k];
        if (tw_unit(w, u, &t->nodes[u->first_node], t->args))
            break;
    }
    cr_assert_gt(tw_bytes(w), TRACE_HEADER_SIZE);
    return tw_close(w, t, meta_of(t), err, errlen);
}

/* The hand-built trace in b, written to path (n bytes) in a new temporary
 * directory, which is returned for cleanup. */
static const char *built_file(Built *b, char *path, size_t n)
{
    char err[256];
    build(b);
    const char *dir = tmpdir();
    snprintf(path, n, "%s/t.trace", dir);
    cr_assert_eq(write_built(&b->t, path, err, sizeof err), 0, "%s", err);
    return dir;
}

/* The bytes of the hand-built trace. */
static uint8_t *built_bytes(size_t *size)
{
    Built b;
    char path[128];
    const char *dir = built_file(&b, path, sizeof path);
    trace_free(&b.t);
    uint8_t *data = slurp(path, size);
    cleanup(dir);
    return data;
}

static void expect_empty(const Trace *t)
{
    cr_assert_eq(t->nunits, 0);
    cr_assert_eq(t->nnodes, 0);
    cr_assert_eq(t->values.count, 0);
    cr_assert_null(t->programs);
    cr_assert_null(t->meta_json);
}

/* trace_read_mem must refuse with a message containing want (when given). */
static void expect_refused(const uint8_t *data, size_t size, const char *want)
{
    Trace t;
    char err[512] = "";
    int rc = trace_read_mem(data, size, "f.trace", &t, err, sizeof err);
    cr_assert_eq(rc, 2, "accepted a bad file (want %s)", want ? want : "refusal");
    expect_empty(&t);
    cr_assert(strncmp(err, "f.trace: ", 9) == 0 && strstr(err, "(offset "), "message: %s", err);
    if (want)
        cr_assert(strstr(err, want), "message '%s' lacks '%s'", err, want);
    trace_free(&t);
}

/* ---- varints and CRC ---- */

/* CRC-32C's check value (RFC 3720, "123456789" -> E3069283) and a bitwise
 * reference; both paths (instruction and tables) agree; combine equals
 * checksumming the concatenation, at every split. */
static uint32_t crc32c_bitwise(const uint8_t *p, size_t n)
{
    uint32_t c = ~0u;
    for (size_t k = 0; k < n; k++) {
        c ^= p[k];
        for (int j = 0; j < 8; j++)
            c = c & 1 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
    }
    return ~c;
}

Test(trace, crc32c_matches_its_definition)
{
    cr_assert_eq(crc32c_update(0, "123456789", 9), 0xE3069283u);
    cr_assert_eq(crc32c_update_tables(0, "123456789", 9), 0xE3069283u);
    cr_assert_eq(crc32c_update(0, "", 0), 0u);
    uint32_t c = crc32c_update(0, "12345", 5);
    cr_assert_eq(crc32c_update(c, "6789", 4), 0xE3069283u, "pieces chain");
    uint8_t big[1000];
    for (int k = 0; k < 1000; k++)
        big[k] = (uint8_t)(k * 7 + (k >> 3));
    for (size_t n = 0; n <= 1000; n += 37) {
        uint32_t want = crc32c_bitwise(big, n);
        cr_assert_eq(crc32c_update(0, big, n), want, "n=%zu", n);
        cr_assert_eq(crc32c_update_tables(0, big, n), want, "tables, n=%zu", n);
    }
    for (size_t a = 0; a <= 1000; a += 111) {
        uint32_t ca = crc32c_update(0, big, a), cb = crc32c_update(0, big + a, 1000 - a);
        cr_assert_eq(crc32c_combine(ca, cb, 1000 - a), crc32c_bitwise(big, 1000), "split at %zu", a);
    }
}

/* Combining past 2^29 bytes (where the length's bits pass x^(2^32)): the
 * CRC of "123456789" followed by 2^30 + 5 zero bytes, computed straight
 * through and from the two parts' CRCs. */
Test(trace, crc32c_combines_parts_longer_than_512_MB)
{
    static const uint8_t zeros[1 << 20];
    const uint64_t len = (1ull << 30) + 5;
    uint32_t a = crc32c_update(0, "123456789", 9), whole = a, b = 0;
    for (uint64_t done = 0; done < len;) {
        size_t k = len - done < sizeof zeros ? (size_t)(len - done) : sizeof zeros;
        whole = crc32c_update(whole, zeros, k);
        b = crc32c_update(b, zeros, k);
        done += k;
    }
    cr_assert_eq(crc32c_combine(a, b, len), whole);
    cr_assert_eq(crc32c_combine(a, crc32c_update(0, zeros, 5), 5), crc32c_update(a, zeros, 5));
}

Test(trace, varints_round_trip_and_reject_bad_forms)
{
    const uint64_t xs[] = {0, 1, 127, 128, 300, 1ull << 32, UINT64_MAX};
    for (size_t k = 0; k < sizeof xs / sizeof *xs; k++) {
        uint8_t buf[10];
        size_t n = varint_put(buf, xs[k]);
        const uint8_t *p = buf;
        uint64_t got;
        cr_assert_eq(varint_get(&p, buf + n, &got), 0);
        cr_assert_eq(got, xs[k]);
        cr_assert_eq(p, buf + n);
        p = buf;
        cr_assert_eq(varint_get(&p, buf + n - 1, &got), -1, "truncated");
    }
    const int64_t zs[] = {0, -1, 1, INT64_MIN, INT64_MAX};
    for (size_t k = 0; k < 5; k++)
        cr_assert_eq(zz_dec(zz_enc(zs[k])), zs[k]);
    cr_assert_eq(zz_enc(-1), 1u);
    const uint8_t overlong[] = {0x81, 0x00}, eleven[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                                         0x80, 0x80, 0x80, 0x80, 0x01};
    const uint8_t too_big[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
    const uint8_t *p = overlong;
    uint64_t got;
    cr_assert_eq(varint_get(&p, overlong + 2, &got), -1);
    p = eleven;
    cr_assert_eq(varint_get(&p, eleven + 11, &got), -1);
    p = too_big;
    cr_assert_eq(varint_get(&p, too_big + 10, &got), -1);
}

/* ---- the value table ---- */

Test(trace, intern_dedups_by_content_and_kind)
{
    ValueTable vt;
    vt_init(&vt);
    uint32_t a = vt_intern(&vt, V("((1, 2), (3, 4))"));
    cr_assert_eq(vt_intern(&vt, V("((1, 2), (3, 4))")), a, "same content, new pointers");
    cr_assert_eq(vt_intern(&vt, V("1")), vt_intern(&vt, V("1")));
    cr_assert_neq(vt_intern(&vt, V("True")), vt_intern(&vt, V("1")), "bools are not ints here");
    cr_assert_neq(vt_intern(&vt, V("(True, 2)")), vt_intern(&vt, V("(1, 2)")));
    cr_assert_neq(vt_intern(&vt, V("((True, 2),)")), vt_intern(&vt, V("((1, 2),)")));
    cr_assert_neq(vt_intern(&vt, V("frozenset({1})")), vt_intern(&vt, V("(1,)")));
    cr_assert_eq(vt_intern(&vt, V("'ab'")), vt_intern(&vt, V("'ab'")));
    Value c1 = closure(FN_COMPOSE, 1, V("identity"), V("flip"), v_none(), 0);
    Value c2 = closure(FN_COMPOSE, 1, V("identity"), V("flip"), v_none(), 0);
    cr_assert_eq(vt_intern(&vt, c1), vt_intern(&vt, c2), "closures by content");
    Value c3 = closure(FN_COMPOSE, 1, V("flip"), V("identity"), v_none(), 0);
    cr_assert_neq(vt_intern(&vt, c1), vt_intern(&vt, c3));
    /* a row shared by two tuples is stored once */
    vt_intern(&vt, V("((1, 2, 3), (4, 5, 6, 7))"));
    uint32_t before = vt.count;
    vt_intern(&vt, V("((9, 9, 9), (4, 5, 6, 7))"));
    cr_assert_eq(vt.count, before + 2, "one new row and the tuple");
    vt_free(&vt);
}

Test(trace, a_grid_is_one_entry)
{
    ValueTable vt;
    vt_init(&vt);
    uint32_t g = vt_intern(&vt, V("((1, 2, 3), (4, 5, 6))"));
    cr_assert_eq(vt.count, 1, "the rows are not entries of their own");
    cr_assert_eq(vt.bytes[vt.offset[g]], 14, "TAG_GRID");
    cr_assert_eq(vt_intern(&vt, V("((1, 2, 3), (4, 5, 6))")), g);
    cr_assert_neq(vt_intern(&vt, V("((1, 2, 3), (4, 5, 7))")), g);
    cr_assert_neq(vt_intern(&vt, V("((1, 2, 3),)")), g);
    uint32_t row = vt_intern(&vt, V("(1, 2, 3)"));
    cr_assert_eq(vt.bytes[vt.offset[row]], 6, "a row on its own is a tuple");
    /* rows of two ints are pairs: such a grid is a tuple of inline pairs */
    uint32_t p = vt_intern(&vt, V("((1, 2), (3, 4))"));
    cr_assert_eq(vt.bytes[vt.offset[p]], 6);
    uint32_t e = vt_intern(&vt, V("((), ())"));
    cr_assert_eq(vt.bytes[vt.offset[e]], 6, "empty rows: no grid");
    Value out;
    cr_assert_eq(vt_decode(&vt, t_ctx(), g, &out), 0);
    cr_assert_str_eq(R(out), "((1, 2, 3), (4, 5, 6))");
    cr_assert(v_is_grid(out), "decoded with the flags any grid has");
    cr_assert(v_item(out, 0).u.seq->flags & SEQ_ALLINT);
    cr_assert_eq(v_hash(out), v_hash(V("((1, 2, 3), (4, 5, 6))")));
    vt_free(&vt);
}

Test(trace, pointer_cache_survives_forgetting)
{
    ValueTable vt;
    vt_init(&vt);
    vt_forget_pointers(&vt);
    Value g = V("((1, 2), (3, 4))");
    uint32_t a = vt_intern(&vt, g);
    cr_assert_eq(vt_intern(&vt, g), a);
    for (int k = 0; k < 3000; k++) /* grow the cache */
        vt_intern(&vt, V("((5, 6),)"));
    vt_forget_pointers(&vt);
    cr_assert_eq(vt_intern(&vt, V("((1, 2), (3, 4))")), a);
    cr_assert_neq(vt_intern(&vt, V("((1, 2), (3, 5))")), a);
    Value out;
    cr_assert_eq(vt_decode(&vt, t_ctx(), a, &out), 0);
    cr_assert_str_eq(R(out), "((1, 2), (3, 4))");
    vt_free(&vt);
}

Test(trace, every_value_kind_decodes_back)
{
    Built b;
    build(&b);
    for (int k = 0; k < b.n; k++) {
        Value out;
        cr_assert_eq(vt_decode(&b.t.values, t_ctx(), b.ids[k], &out), 0, "value %d", k);
        cr_assert(same(out, b.vals[k]), "value %d: %s decoded as %s", k, R(b.vals[k]), R(out));
    }
    Value out;
    cr_assert_eq(vt_decode(&b.t.values, t_ctx(), b.t.values.count, &out), -1, "id out of range");
    trace_free(&b.t);
}

Test(trace, decode_refuses_malformed_entries)
{
    /* each payload is n values; vt_load checks structure, vt_decode the rest */
    static const struct { uint8_t bytes[16]; size_t len; uint64_t n; int loads; } cases[] = {
        {{13}, 1, 1, 0},                   /* unknown tag */
        {{12, 0}, 2, 1, 0},                /* REF at top level */
        {{6, 1, 12, 0}, 4, 1, 0},          /* REF to itself */
        {{6, 5, 0}, 3, 1, 0},              /* count past the end */
        {{6, 1, 6, 0}, 4, 1, 0},           /* inline tuple item */
        {{4, 0x80, 0x80, 0x80, 0x80, 0x10, 0}, 7, 1, 0}, /* pair item past 32 bits */
        {{8, 200, 1}, 3, 1, 0},            /* primitive past the table */
        {{9, 0, 1, 0, 0, 0, 0}, 7, 1, 0},  /* closure of kind FN_PRIM */
        {{9, 1, 4, 0, 0, 0, 0}, 7, 1, 0},  /* closure arity 4 */
        {{11, 3, 'a', 0, 'b'}, 5, 1, 0},   /* NUL in a string */
        {{3, 0x81, 0x00}, 3, 1, 0},        /* overlong varint */
        {{3, 1, 3, 2}, 4, 1, 0},           /* trailing bytes */
        {{3, 2, 3, 2, 7, 2, 12, 0, 12, 1}, 10, 3, 1}, /* set {1, 1}: duplicates */
        {{14, 0, 1}, 3, 1, 0},             /* grid of no rows */
        {{14, 1, 0}, 3, 1, 0},             /* grid of empty rows */
        {{14, 2, 2, 2, 4, 6}, 6, 1, 0},    /* grid short of a cell */
        {{14, 1, 2, 2, 4}, 5, 1, 0},       /* rows of two: pairs, never a grid */
        {{14, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f, 2}, 12, 1, 0}, /* h * w wraps */
        {{14, 1, 1, 2, 0}, 5, 1, 0},       /* trailing bytes */
        {{6, 1, 14, 1, 1, 2}, 6, 1, 0},    /* a grid inline in a tuple */
        {{6, 1}, 2, 1, 0},                 /* a tuple's item missing */
        {{9, 1}, 2, 1, 0},                 /* a closure's head cut short */
        {{14, 1, 3, 2, 4}, 5, 1, 0},       /* a grid's row cut short */
        {{3, 2}, 2, 3, 0},                 /* more values than bytes */
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        ValueTable vt;
        size_t bad = 99;
        int rc = vt_load(&vt, cases[k].bytes, cases[k].len, cases[k].n, &bad);
        cr_assert_eq(rc, cases[k].loads ? 0 : -1, "case %zu", k);
        if (rc)
            cr_assert_leq(bad, cases[k].len);
        if (!rc) {
            Value out;
            cr_assert_eq(vt_decode(&vt, t_ctx(), (uint32_t)cases[k].n - 1, &out), -1, "case %zu", k);
        }
        vt_free(&vt);
    }
}

Test(trace, decode_shares_repeated_parts)
{
    /* value k is a tuple of two REFs to value k-1: 2^60 leaves if expanded */
    ByteBuf b = {0};
    bb_u8(&b, 3);
    bb_u8(&b, 2);
    for (int k = 1; k <= 60; k++) {
        bb_u8(&b, 6);
        bb_u8(&b, 2);
        for (int j = 0; j < 2; j++) {
            bb_u8(&b, 12);
            bb_varint(&b, (uint64_t)k - 1);
        }
    }
    ValueTable vt;
    size_t bad;
    cr_assert_eq(vt_load(&vt, b.p, b.len, 61, &bad), 0);
    Value out;
    cr_assert_eq(vt_decode(&vt, t_ctx(), 60, &out), 0);
    cr_assert_eq(v_len(out), 2);
    vt_free(&vt);
    bb_free(&b);
}

Test(trace, decode_refuses_runaway_nesting)
{
    /* value k is the 1-tuple of value k-1: fine to a depth, refused past it */
    ByteBuf b = {0};
    bb_u8(&b, 0);
    for (int k = 1; k < 5000; k++) {
        bb_u8(&b, 6);
        bb_u8(&b, 1);
        bb_u8(&b, 12);
        bb_varint(&b, (uint64_t)k - 1);
    }
    ValueTable vt;
    size_t bad;
    cr_assert_eq(vt_load(&vt, b.p, b.len, 5000, &bad), 0);
    Value out;
    cr_assert_eq(vt_decode(&vt, t_ctx(), 1000, &out), 0);
    cr_assert_eq(vt_decode(&vt, t_ctx(), 4999, &out), -1);
    vt_free(&vt);
    bb_free(&b);
}

/* ---- round trip ---- */

static void compare_units(const Trace *a, const Trace *b)
{
    cr_assert_eq(a->nunits, b->nunits);
    cr_assert_eq(a->nnodes, b->nnodes);
    for (uint64_t k = 0; k < a->nunits; k++) {
        const TraceUnit *u = &a->units[k], *v = &b->units[k];
        cr_assert(u->program == v->program && u->sample == v->sample && u->us == v->us);
        cr_assert(u->ncalls == v->ncalls && u->nnodes == v->nnodes && u->first_node == v->first_node);
        for (int c = 0; c < u->ncalls; c++) {
            const TraceCall *x = &u->calls[c], *y = &v->calls[c];
            cr_assert(x->err == y->err && x->done == y->done && x->out == y->out);
            cr_assert_eq(x->nbind, y->nbind);
            for (uint32_t j = 0; j < x->nbind; j++)
                cr_assert_eq(x->bind[j], y->bind[j]);
        }
        for (uint32_t j = 0; j < u->nnodes; j++) {
            const TraceNode *x = &a->nodes[u->first_node + j], *y = &b->nodes[v->first_node + j];
            cr_assert(x->op == y->op && x->err == y->err && x->nargs == y->nargs);
            cr_assert(x->parent == y->parent && x->stmt == y->stmt && x->self_ns == y->self_ns);
            if (!x->err)
                cr_assert_eq(x->result, y->result);
            for (unsigned q = 0; q < x->nargs; q++)
                cr_assert_eq(a->args[x->args_at + q], b->args[y->args_at + q]);
        }
    }
}

static void compare_header_parts(const Trace *a, const Trace *b)
{
    cr_assert_eq(a->nprograms, b->nprograms);
    for (uint32_t k = 0; k < a->nprograms; k++)
        cr_assert_str_eq(a->programs[k], b->programs[k]);
    cr_assert_eq(a->nsamples, b->nsamples);
    for (uint32_t k = 0; k < a->nsamples; k++) {
        const TraceSample *x = &a->samples[k], *y = &b->samples[k];
        cr_assert_str_eq(x->key, y->key);
        cr_assert(x->split == y->split && x->index == y->index && x->input == y->input);
        cr_assert(x->has_output == y->has_output && x->S == y->S);
        if (x->has_output)
            cr_assert_eq(x->output, y->output);
    }
    cr_assert_eq(a->source_len, b->source_len);
    cr_assert_str_eq(a->source, b->source);
    cr_assert_eq(a->is_batt, b->is_batt);
}

/* The built trace written to a fresh directory (returned) and read back
 * with flags into r. */
static const char *write_then_read(Built *b, unsigned flags, Trace *r)
{
    char path[128], err[256];
    const char *dir = tmpdir();
    snprintf(path, sizeof path, "%s/t.trace", dir);
    cr_assert_eq(write_built(&b->t, path, err, sizeof err), 0, "%s", err);
    cr_assert_eq(count_tmp_files(dir), 0, "temporary file left behind");
    cr_assert_eq(trace_read_ex(path, flags, r, err, sizeof err), 0, "%s", err);
    return dir;
}

Test(trace, round_trip_keeps_every_field)
{
    Built b;
    build(&b);
    Trace r;
    const char *dir = write_then_read(&b, 0, &r);
    compare_header_parts(&b.t, &r);
    compare_units(&b.t, &r);
    cr_assert_str_eq(r.meta_json, meta_of(&b.t));
    cr_assert_eq(r.values.count, b.t.values.count);
    cr_assert_eq(r.values.len, b.t.values.len);
    cr_assert(memcmp(r.values.bytes, b.t.values.bytes, r.values.len) == 0);
    for (int k = 0; k < b.n; k++) {
        Value out;
        cr_assert_eq(vt_decode(&r.values, t_ctx(), b.ids[k], &out), 0, "value %d", k);
        cr_assert(same(out, b.vals[k]), "value %d: %s read back as %s", k, R(b.vals[k]), R(out));
    }
    for (uint32_t id = 0; id < r.values.count; id++) {
        Value out;
        cr_assert_eq(vt_decode(&r.values, t_ctx(), id, &out), 0, "id %u", id);
    }
    trace_free(&r);
    trace_free(&b.t);
    cleanup(dir);
}

/* Reading without nodes keeps everything else replay needs: the same
 * units, calls, values and samples; no node kept, and no binding (they
 * name nodes), though the bindings are counted and still checked. */
Test(trace, reading_without_nodes_keeps_the_rest)
{
    Built b;
    build(&b);
    Trace r;
    const char *dir = write_then_read(&b, TRACE_READ_NO_NODES, &r);
    compare_header_parts(&b.t, &r);
    cr_assert_eq(r.nunits, b.t.nunits);
    cr_assert_eq(r.nnodes, 0);
    for (size_t k = 0; k < r.nunits; k++) {
        const TraceUnit *u = &r.units[k], *v = &b.t.units[k];
        cr_assert(u->program == v->program && u->sample == v->sample && u->us == v->us && u->ncalls == v->ncalls);
        cr_assert_eq(u->nnodes, 0);
        for (int c = 0; c < u->ncalls; c++) {
            cr_assert_eq(u->calls[c].nbind, v->calls[c].nbind);
            cr_assert_eq(u->calls[c].out, v->calls[c].out);
            cr_assert_null(u->calls[c].bind);
        }
    }
    cr_assert_eq(r.values.count, b.t.values.count);
    trace_free(&r);
    trace_free(&b.t);
    cleanup(dir);
}

/* What a unit-by-unit reading saw: each unit's nodes compared with the
 * built trace's as they come. */
typedef struct UnitsSeen {
    const Trace *want;
    uint64_t units, nodes;
} UnitsSeen;

static void check_unit(void *data, const Trace *t, const TraceUnit *u)
{
    UnitsSeen *seen = data;
    const TraceUnit *v = &seen->want->units[seen->units];
    cr_assert(u == &t->units[seen->units], "units come in order, each as it is read");
    cr_assert_eq(u->nnodes, v->nnodes);
    cr_assert_eq(t->nnodes, u->nnodes, "only this unit's nodes are held");
    for (uint32_t j = 0; j < u->nnodes; j++) {
        const TraceNode *x = &t->nodes[j], *y = &seen->want->nodes[v->first_node + j];
        cr_assert(x->op == y->op && x->err == y->err && x->nargs == y->nargs);
        cr_assert(x->parent == y->parent && x->stmt == y->stmt && x->self_ns == y->self_ns);
        if (!x->err)
            cr_assert_eq(x->result, y->result);
        for (unsigned q = 0; q < x->nargs; q++)
            cr_assert_eq(t->args[x->args_at + q], seen->want->args[y->args_at + q]);
    }
    seen->units++;
    seen->nodes += u->nnodes;
}

static void count_unit(void *data, const Trace *t, const TraceUnit *u)
{
    (void)t, (void)u;
    ++*(uint64_t *)data;
}

/* trace_read_units: every unit's nodes, one unit at a time, and the rest
 * as trace_read gives it; a damaged file refused as trace_read refuses it. */
Test(trace, reading_unit_by_unit_sees_every_node)
{
    Built b;
    char path[128], err[256], err2[256];
    const char *dir = built_file(&b, path, sizeof path);
    UnitsSeen seen = {&b.t, 0, 0};
    Trace r;
    cr_assert_eq(trace_read_units(path, &r, check_unit, &seen, err, sizeof err), 0, "%s", err);
    cr_assert_eq(seen.units, b.t.nunits);
    cr_assert_eq(seen.nodes, b.t.nnodes);
    cr_assert_gt(seen.nodes, 0);
    cr_assert_eq(r.nnodes, 0, "no node is kept");
    compare_header_parts(&b.t, &r);
    cr_assert_str_eq(r.meta_json, meta_of(&b.t));
    trace_free(&r);
    /* a flipped byte in the last unit: refused, before any unit is seen */
    size_t size;
    uint8_t *bytes = slurp(path, &size);
    bytes[size - 2] ^= 0x40;
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(bytes, 1, size, f) == size && fclose(f) == 0);
    uint64_t calls = 0;
    cr_assert_eq(trace_read_units(path, &r, count_unit, &calls, err, sizeof err), 2);
    cr_assert_eq(calls, 0, "the checksum is checked first");
    cr_assert_eq(trace_read(path, &r, err2, sizeof err2), 2);
    cr_assert_str_eq(err, err2);
    free(bytes);
    trace_free(&b.t);
    cleanup(dir);
}

Test(trace, empty_trace_round_trips)
{
    Trace t;
    trace_init(&t);
    char path[128], err[256];
    const char *dir = tmpdir();
    snprintf(path, sizeof path, "%s/e.trace", dir);
    TraceWriter *w = tw_open(path, &t, err, sizeof err);
    cr_assert_not_null(w, "%s", err);
    cr_assert_eq(tw_close(w, &t, "{}", err, sizeof err), 0, "%s", err);
    Trace r;
    cr_assert_eq(trace_read(path, &r, err, sizeof err), 0, "%s", err);
    cr_assert(r.nunits == 0 && r.nprograms == 0 && r.values.count == 0 && r.source_len == 0);
    cr_assert_str_eq(r.meta_json, "{}");
    trace_free(&r);
    trace_free(&t);
    cleanup(dir);
}

/* ---- refused files ---- */

Test(trace, refuses_empty_short_and_bad_headers)
{
    size_t size;
    uint8_t *data = built_bytes(&size);
    expect_refused(data, 0, "empty file");
    expect_refused(NULL, 0, "empty file");
    expect_refused(data, 10, "too short");
    uint8_t *copy = malloc(size);
    memcpy(copy, data, size);
    copy[0] = 'X';
    expect_refused(copy, size, "magic");
    memcpy(copy, data, size);
    copy[8] = (uint8_t)(TRACE_VERSION + 1);
    expect_refused(copy, size, "version");
    memcpy(copy, data, size);
    copy[12] = 65;
    expect_refused(copy, size, "header size");
    memcpy(copy, data, size);
    copy[40] = 1;
    expect_refused(copy, size, "reserved");
    memcpy(copy, data, size);
    copy[28] = 7;
    expect_refused(copy, size, "sections");
    Trace t;
    char err[256];
    cr_assert_eq(trace_read("/nonexistent/x.trace", &t, err, sizeof err), 2);
    cr_assert(strstr(err, "/nonexistent/x.trace"), "%s", err);
    trace_free(&t);
    free(copy);
    free(data);
}

Test(trace, refuses_every_truncation)
{
    size_t size;
    uint8_t *data = built_bytes(&size);
    Trace t;
    char err[256];
    cr_assert_eq(trace_read_mem(data, size, "f", &t, err, sizeof err), 0, "%s", err);
    trace_free(&t);
    for (size_t k = 0; k < size; k++) {
        uint8_t *cut = malloc(k ? k : 1); /* exact size, so ASan sees overreads */
        memcpy(cut, data, k);
        expect_refused(cut, k, NULL);
        free(cut);
    }
    free(data);
}

Test(trace, refuses_every_flipped_byte)
{
    size_t size;
    uint8_t *data = built_bytes(&size);
    for (size_t k = 0; k < size; k++) {
        for (int bit = 0; bit < 8; bit += 3) {
            data[k] ^= (uint8_t)(1u << bit);
            expect_refused(data, size, k >= TRACE_HEADER_SIZE ? "checksum" : NULL);
            data[k] ^= (uint8_t)(1u << bit);
        }
    }
    free(data);
}

/* ---- CRC-correct but malformed: made by the writer from a bad Trace ---- */

static void expect_written_refused(void (*spoil)(Built *), const char *want)
{
    Built b;
    build(&b);
    spoil(&b);
    char path[128], err[256];
    const char *dir = tmpdir();
    snprintf(path, sizeof path, "%s/bad.trace", dir);
    cr_assert_eq(write_built(&b.t, path, err, sizeof err), 0, "%s", err);
    size_t size;
    uint8_t *data = slurp(path, &size);
    cleanup(dir);
    expect_refused(data, size, want);
    free(data);
    trace_free(&b.t);
}

static void bad_node_ref(Built *b) { b->t.args[2] = ref_make(REF_NODE, 3); }
static void bad_input_ref(Built *b) { b->t.args[0] = ref_make(REF_INPUT, 5); }
static void bad_value_ref(Built *b) { b->t.args[1] = ref_make(REF_VALUE, b->t.values.count); }
static void bad_prim_ref(Built *b) { b->t.args[3] = ref_make(REF_PRIM, P__COUNT); }
static void bad_binding(Built *b) { b->t.units[0].calls[0].bind[1] = ref_make(REF_NODE, 3); }
static void bad_parent(Built *b) { b->t.nodes[1].parent = 2; }
static void bad_op(Built *b) { b->t.nodes[0].op = P__COUNT; }
static void bad_err(Built *b) { b->t.nodes[0].err = ERR__COUNT; }
static void bad_nargs(Built *b)
{
    b->t.args = realloc(b->t.args, 16 * sizeof *b->t.args);
    for (int k = 4; k < 16; k++)
        b->t.args[k] = ref_make(REF_INPUT, 0);
    b->t.nodes[2].nargs = 10;
}
static void bad_program(Built *b) { b->t.units[1].program = 2; }
static void bad_sample(Built *b) { b->t.units[0].sample = 2; }
static void bad_result(Built *b) { b->t.nodes[0].result = b->t.values.count; }
static void bad_out(Built *b) { b->t.units[0].calls[0].out = b->t.values.count + 1; }
static void bad_input_id(Built *b) { b->t.samples[1].input = b->t.values.count; }
static void bad_call_err(Built *b) { b->t.units[1].calls[1].err = 200; }
static void bad_unit_count(Built *b) { (void)b; meta_override = "{\"units\": 3}"; }

Test(trace, refuses_out_of_range_indexes)
{
    expect_written_refused(bad_node_ref, "node ref 3");
    expect_written_refused(bad_input_ref, "input ref 5");
    expect_written_refused(bad_value_ref, "value ref");
    expect_written_refused(bad_prim_ref, "primitive ref");
    expect_written_refused(bad_binding, "node ref 3");
    expect_written_refused(bad_parent, "parent");
    expect_written_refused(bad_op, "bad op");
    expect_written_refused(bad_err, "bad node err");
    expect_written_refused(bad_nargs, "10 arguments");
    expect_written_refused(bad_program, "program 2");
    expect_written_refused(bad_sample, "sample 2");
    expect_written_refused(bad_result, "result value id");
    expect_written_refused(bad_out, "call output");
    expect_written_refused(bad_input_id, "input value id");
    expect_written_refused(bad_call_err, "bad call err");
    expect_written_refused(bad_unit_count, "unit count");
}

/* ---- CRC-correct but malformed: files assembled section by section ---- */

typedef struct Sec {
    uint32_t kind;
    const char *bytes;
    size_t len;
} Sec;

#define S(kind, lit) {kind, lit, sizeof lit - 1}

static uint8_t *assemble(const Sec *secs, int n, size_t *size)
{
    ByteBuf b = {0};
    uint8_t zero[TRACE_HEADER_SIZE] = {0};
    bb_bytes(&b, zero, sizeof zero);
    for (int k = 0; k < n; k++) {
        bb_u32le(&b, secs[k].kind);
        bb_u32le(&b, 0);
        bb_u64le(&b, secs[k].len);
        bb_bytes(&b, secs[k].bytes, secs[k].len);
    }
    memcpy(b.p, "BATTRACE", 8);
    wr_u32le(b.p + 8, TRACE_VERSION);
    wr_u32le(b.p + 12, TRACE_HEADER_SIZE);
    wr_u64le(b.p + 16, b.len - TRACE_HEADER_SIZE);
    wr_u32le(b.p + 28, (uint32_t)n);
    fix_crc(b.p, b.len);
    *size = b.len;
    return b.p;
}

/* A minimal valid file with one section replaced (or dropped, with NULL). */
static void try_sections(uint32_t kind, const char *bytes, size_t len, const char *want)
{
    Sec secs[] = {
        S(SEC_SOURCE, "src"), S(SEC_PROGRAMS, "\x01\x01p"),
        S(SEC_SAMPLES, "\x01\x01k\x00\x00\x00\x00\x00"),
        S(SEC_UNITS, "\x00\x00\x05\x01\x00\x00\x01\x00\x00\x00"), S(SEC_VALUES, "\x01\x03\x02"),
        S(SEC_META, "{\"units\": 1}"),
    };
    int n = 6;
    for (int k = 0; k < n; k++) {
        if (secs[k].kind != kind)
            continue;
        if (!bytes) {
            memmove(&secs[k], &secs[k + 1], (size_t)(n - k - 1) * sizeof *secs);
            n--;
        } else {
            secs[k].bytes = bytes;
            secs[k].len = len;
        }
        break;
    }
    size_t size;
    uint8_t *data = assemble(secs, n, &size);
    if (want) {
        expect_refused(data, size, want);
    } else {
        Trace t;
        char err[256];
        cr_assert_eq(trace_read_mem(data, size, "f", &t, err, sizeof err), 0, "%s", err);
        trace_free(&t);
    }
    free(data);
}

#define TRY_SEC(kind, lit, want) try_sections(kind, lit, sizeof lit - 1, want)

Test(trace, refuses_malformed_sections)
{
    try_sections(0, NULL, 0, NULL); /* the base file is valid */
    TRY_SEC(SEC_UNITS, "", "META gives a unit count");
    try_sections(SEC_META, NULL, 0, "missing META");
    try_sections(SEC_VALUES, NULL, 0, "missing VALUES");
    try_sections(SEC_UNITS, NULL, 0, "missing UNITS");
    TRY_SEC(SEC_PROGRAMS, "\x81\x00", "bad varint");
    TRY_SEC(SEC_PROGRAMS, "\x80", "bad varint");
    TRY_SEC(SEC_PROGRAMS, "\xff\xff\xff\xff\x0f\x01p", "program count");
    TRY_SEC(SEC_PROGRAMS, "\x01\x05p", "past the section end");
    TRY_SEC(SEC_PROGRAMS, "\x01\x01pX", "trailing bytes");
    TRY_SEC(SEC_VALUES, "\xff\xff\xff\xff\xff\xff\x01\x03\x02", "value count");
    TRY_SEC(SEC_VALUES, "\x02\x06\x01\x0c\x01\x03\x02", "malformed value"); /* REF forward */
    TRY_SEC(SEC_VALUES, "\x01\x0d", "malformed value");
    TRY_SEC(SEC_SAMPLES, "\xff\xff\xff\x7f", "sample count");
    TRY_SEC(SEC_SAMPLES, "\x01\x01k\x02\x00\x00\x00\x00", "bad split");
    TRY_SEC(SEC_SAMPLES, "\x01\x01k\x00\x00\x05\x00\x00", "input value id");
    TRY_SEC(SEC_UNITS, "\x00\x00\x05\x01\x00\x00\x01\x00\xff\xff\xff\xff\x0f", "node count");
    TRY_SEC(SEC_UNITS, "\x00\x00\x05\x03\x00\x00\x01\x00\x00", "3 calls");
    TRY_SEC(SEC_UNITS, "\x00\x00\x05\x01\x00\x00\x01\x00\x00\x00\x00", "bad varint in sample");
    /* the nodes' byte length: past the section, or not what the nodes take */
    TRY_SEC(SEC_UNITS, "\x00\x00\x05\x01\x00\x00\x01\x00\x00\x05", "does not fit");
    TRY_SEC(SEC_UNITS, "\x00\x00\x05\x01\x00\x00\x01\x00\x01\x07\x00\x01\x00\x00\x00\x00\x00",
            "but the nodes take 6");
    TRY_SEC(SEC_UNITS, "\x00\x00\x05\x01\x00\x00\x01\x01\x00\x00", "node ref 0");
    TRY_SEC(SEC_UNITS, "\x00\x00\x05\x01\x00\x00\x01\x00\x01\x00\x00", "node count 1 larger");
    TRY_SEC(SEC_META, "[1, 2]", "not a JSON object");
    TRY_SEC(SEC_META, "{\"units\": 1", "not a JSON object");
}

/* The rest of a section's refusals, and the section headers' own. */
Test(trace, refuses_malformed_section_contents_and_headers)
{
    TRY_SEC(SEC_SAMPLES, "\x01\x01k\x00\x00\x00\x00\x00X", "trailing bytes in SAMPLES");
    TRY_SEC(SEC_META, "{\"units\": 1}\x00", "NUL byte in META");
    TRY_SEC(SEC_UNITS, "\x00\x00\x05\x01", "truncated call err");
    TRY_SEC(SEC_UNITS, "\x00\x00\x05\x01\x00\x00\x01\x7f\x00\x00", "binding count 127 larger than the section");
    Sec base[] = {
        S(SEC_SOURCE, "src"), S(SEC_PROGRAMS, "\x01\x01p"),
        S(SEC_SAMPLES, "\x01\x01k\x00\x00\x00\x00\x00"),
        S(SEC_UNITS, "\x00\x00\x05\x01\x00\x00\x01\x00\x00\x00"), S(SEC_VALUES, "\x01\x03\x02"),
        S(SEC_META, "{\"units\": 1}"),
    };
    size_t size;
    uint8_t *data = assemble(base, 6, &size);
    wr_u32le(data + TRACE_HEADER_SIZE + 4, 1); /* the first section's reserved field */
    fix_crc(data, size);
    expect_refused(data, size, "section reserved field is not zero");
    free(data);
    data = assemble(base, 6, &size);
    wr_u64le(data + TRACE_HEADER_SIZE + 8, (uint64_t)1 << 40); /* its length */
    fix_crc(data, size);
    expect_refused(data, size, "section 2 overruns the body"); /* SOURCE */
    free(data);
    /* eight bytes after the last section: too few for another's header */
    data = assemble(base, 6, &size);
    data = realloc(data, size + 8);
    cr_assert_not_null(data);
    memset(data + size, 0, 8);
    size += 8;
    wr_u64le(data + 16, size - TRACE_HEADER_SIZE);
    fix_crc(data, size);
    expect_refused(data, size, "truncated section header");
    free(data);
    expect_refused(NULL, 5, "no data");
}

Test(trace, sections_in_any_order_and_unknown_kinds_skipped)
{
    Sec secs[] = {
        S(SEC_META, "{\"units\": 1, \"is_batt\": true}"), S(99, "whatever"),
        S(SEC_UNITS, "\x00\x00\x05\x01\x00\x00\x01\x00\x00\x00"), S(SEC_VALUES, "\x01\x03\x02"),
        S(SEC_PROGRAMS, "\x01\x01p"), S(SEC_SOURCE, "src"),
        S(SEC_SAMPLES, "\x01\x01k\x00\x00\x00\x00\x00"),
    };
    size_t size;
    uint8_t *data = assemble(secs, 7, &size);
    Trace t;
    char err[256];
    cr_assert_eq(trace_read_mem(data, size, "f", &t, err, sizeof err), 0, "%s", err);
    cr_assert_eq(t.nunits, 1);
    cr_assert_eq(t.is_batt, 1);
    cr_assert_str_eq(t.programs[0], "p");
    trace_free(&t);
    Sec dup[] = {S(SEC_SOURCE, "a"), S(SEC_SOURCE, "b")};
    free(data);
    data = assemble(dup, 2, &size);
    expect_refused(data, size, "duplicate SOURCE");
    free(data);
}

/* ---- the atomic write ---- */

static bool sigterm_handled(void)
{
    struct sigaction was;
    return sigaction(SIGTERM, NULL, &was) == 0 && was.sa_handler != SIG_DFL && was.sa_handler != SIG_IGN;
}

/* tw_remove_on_signal is for the next writer tw_open opens: its handler is
 * there as soon as the temporary file is (record was killed between the
 * two, and left the file), until the writer is closed; a writer that fails
 * to open takes the request with it. */
Test(trace, the_signal_handler_comes_with_the_next_writer)
{
    Built b;
    build(&b);
    char path[256], err[256];
    const char *dir = tmpdir();
    snprintf(path, sizeof path, "%s/missing/x.trace", dir);
    tw_remove_on_signal();
    cr_assert_null(tw_open(path, &b.t, err, sizeof err));
    cr_assert_not(sigterm_handled(), "no writer, no handler");
    snprintf(path, sizeof path, "%s/plain.trace", dir);
    TraceWriter *w = tw_open(path, &b.t, err, sizeof err);
    cr_assert_not_null(w, "%s", err);
    cr_assert_not(sigterm_handled(), "the failed open took the request with it");
    tw_abort(w);
    tw_remove_on_signal();
    w = tw_open(path, &b.t, err, sizeof err);
    cr_assert_not_null(w, "%s", err);
    cr_assert(sigterm_handled(), "armed with the file");
    cr_assert_eq(tw_close(w, &b.t, NULL, err, sizeof err), 0, "%s", err);
    cr_assert_not(sigterm_handled(), "and disarmed once the file is renamed");
    trace_free(&b.t);
    cleanup(dir);
}

Test(trace, failed_writes_leave_no_file)
{
    Built b;
    build(&b);
    char path[256], err[256];
    const char *dir = tmpdir();
    snprintf(path, sizeof path, "%s/missing/x.trace", dir);
    cr_assert_null(tw_open(path, &b.t, err, sizeof err));
    cr_assert(strstr(err, "cannot create"), "%s", err);
    /* the target is a directory: rename fails, the directory stays */
    snprintf(path, sizeof path, "%s/dir.trace", dir);
    cr_assert_eq(mkdir(path, 0755), 0);
    cr_assert_eq(write_built(&b.t, path, err, sizeof err), -1);
    cr_assert(strstr(err, "rename"), "%s", err);
    struct stat st;
    cr_assert(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
    cr_assert_eq(count_tmp_files(dir), 0, "temporary file left behind");
    trace_free(&b.t);
    cleanup(dir);
}

Test(trace, failed_write_keeps_the_old_file)
{
    Built b;
    build(&b);
    char path[256], err[256];
    const char *dir = tmpdir();
    snprintf(path, sizeof path, "%s/old.trace", dir);
    FILE *f = fopen(path, "w");
    fputs("old contents", f);
    fclose(f);
    /* a source larger than the file size limit makes the writes fail */
    size_t big = 4u << 20;
    char *src = malloc(big + 1);
    memset(src, 'x', big);
    src[big] = 0;
    b.t.source = src;
    b.t.source_len = big;
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = {1u << 20, 1u << 20};
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
    int rc = write_built(&b.t, path, err, sizeof err);
    cr_assert_eq(rc, -1);
    cr_assert(strstr(err, "cannot write"), "%s", err);
    size_t size;
    uint8_t *data = slurp(path, &size);
    cr_assert_eq(size, 12);
    cr_assert(memcmp(data, "old contents", 12) == 0);
    cr_assert_eq(count_tmp_files(dir), 0, "temporary file left behind");
    free(data);
    free(src);
    b.t.source = NULL;
    trace_free(&b.t);
    cleanup(dir);
}

/* trace_read keeps every node in memory: past the memory available
 * (BATTRACE_MEM_AVAILABLE stands in for /proc/meminfo's figure) it refuses
 * the trace with the reason, where it used to grow until the kernel killed
 * the process; reading a unit at a time needs no such room. */
Test(trace, reading_every_node_refuses_past_the_memory_available)
{
    Built b;
    char path[128], err[256];
    const char *dir = built_file(&b, path, sizeof path);
    Trace r;
    setenv("BATTRACE_MEM_AVAILABLE", "64", 1);
    cr_assert_eq(trace_read(path, &r, err, sizeof err), 2);
    cr_assert(strstr(err, "reading every node into memory takes more than"), "%s", err);
    uint64_t calls = 0;
    cr_assert_eq(trace_read_units(path, &r, count_unit, &calls, err, sizeof err), 0, "%s", err);
    cr_assert_eq(calls, b.t.nunits);
    trace_free(&r);
    cr_assert_eq(trace_read_ex(path, TRACE_READ_NO_NODES, &r, err, sizeof err), 0, "%s", err);
    trace_free(&r);
    unsetenv("BATTRACE_MEM_AVAILABLE");
    cr_assert_eq(trace_read(path, &r, err, sizeof err), 0, "%s", err);
    cr_assert_eq(r.nnodes, b.t.nnodes);
    trace_free(&r);
    trace_free(&b.t);
    cleanup(dir);
}
