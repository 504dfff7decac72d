/* fuzz_trace.c: a fuzz driver for the trace reader (trace_read_mem, and
 * trace_read_mem_units, which must agree with it).
 *
 * Built with -DLIBFUZZER it is a libFuzzer target (LLVMFuzzerTestOneInput).
 * Otherwise it is a standalone mutation fuzzer:
 *     fuzz_trace SEED_TRACE... SECONDS  mutate the seeds for SECONDS
 *     fuzz_trace --make-seed PATH     write a small trace with every kind of
 *                                     value, node and ref, to use as a seed
 * Mutations: bit flips, byte sets, truncation, splices, insertions and
 * deletions inside a section (its length fixed up), varint-boundary edits,
 * and most of the time a recomputed body size and CRC, so that the section
 * parser, not the checksum, has to refuse the input. Accepted inputs have
 * every value decoded and join the corpus. `make fuzz` runs it under
 * ASan + UBSan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../ops/ops.h"
#include "../runtime/ctx.h"
#include "../runtime/func.h"
#include "../runtime/literal.h"
#include "../tracer/trace.h"
#include "../tracer/crc.h"
#include "../tracer/varint.h"
#include "fuzz_rng.h"

static Arena fz_arena;
static Ctx fz_ctx;
static int fz_ready;

/* What a unit-by-unit reading saw: every ref read, for the sanitizers. */
typedef struct Streamed {
    uint64_t units, nodes, sum;
} Streamed;

static void on_unit(void *data, const Trace *t, const TraceUnit *u)
{
    Streamed *st = data;
    if (t->nnodes != u->nnodes || u->first_node != 0)
        abort();
    for (uint32_t k = 0; k < u->nnodes; k++)
        for (unsigned a = 0; a < t->nodes[k].nargs; a++)
            st->sum += t->args[t->nodes[k].args_at + a];
    st->units++;
    st->nodes += u->nnodes;
}

/* The same bytes read a unit at a time (trace_read_mem_units): the same
 * verdict and message, and when accepted the same units and nodes. */
static void run_streamed(const uint8_t *data, size_t size, int rc, const char *err, const Trace *whole)
{
    Trace t;
    char err2[512];
    Streamed st = {0};
    int rc2 = trace_read_mem_units(data, size, "fuzz", &t, on_unit, &st, err2, sizeof err2);
    if (rc2 != rc || (rc && strcmp(err, err2)))
        abort();
    if (!rc && (st.units != whole->nunits || st.nodes != whole->nnodes || t.nnodes))
        abort();
    trace_free(&t);
}

/* Read data; when accepted, check the indexes and decode every value. */
static int run_one(const uint8_t *data, size_t size)
{
    if (!fz_ready) {
        arena_init(&fz_arena);
        ctx_init(&fz_ctx, &fz_arena);
        fz_ready = 1;
    }
    Trace t;
    char err[512];
    int rc = trace_read_mem(data, size, "fuzz", &t, err, sizeof err);
    if (rc == 0) {
        ctx_begin_run(&fz_ctx, 0);
        for (uint32_t id = 0; id < t.values.count; id++) {
            Value v;
            vt_decode(&t.values, &fz_ctx, id, &v);
        }
        for (uint64_t k = 0; k < t.nunits; k++)
            if (t.units[k].first_node + t.units[k].nnodes > t.nnodes)
                abort();
        arena_reset(&fz_arena);
    } else if (!strstr(err, "(offset ")) {
        abort();
    }
    run_streamed(data, size, rc, err, &t);
    trace_free(&t);
    return rc;
}

#ifdef LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run_one(data, size);
    return 0;
}
#else

/* ---- the seed ---- */

static Value lit(const char *text)
{
    Value v;
    size_t pos;
    if (lit_parse(&fz_ctx, text, &v, &pos)) {
        fprintf(stderr, "fuzz_trace: bad literal %s\n", text);
        exit(2);
    }
    return v;
}

static Value closure(FnKind kind, int arity, Value a, Value b, int64_t n)
{
    Value caps[3] = {a, b, v_none()}, out;
    func_closure(&fz_ctx, kind, arity, 3, caps, n, &out);
    return out;
}

static void seed_values(Trace *t, uint32_t *ids)
{
    static const char *const lits[] = {
        "None", "True", "-7", "(1, 2)", "(3, (1, 2))", "(True, 2)", "((1, 2, 3), (4, 5, 6))",
        "frozenset({(0, 0), (1, 1)})", "frozenset({(1, (0, 0)), (2, (0, 1))})",
        "frozenset({frozenset({1}), frozenset({1, 2})})", "identity", "'hi'", "()",
    };
    int n = 0;
    for (size_t k = 0; k < sizeof lits / sizeof *lits; k++)
        ids[n++] = vt_intern(&t->values, lit(lits[k]));
    Value c = closure(FN_COMPOSE, 1, lit("identity"), lit("flip"), 0);
    ids[n++] = vt_intern(&t->values, c);
    ids[n++] = vt_intern(&t->values, closure(FN_RBIND, 1, lit("add"), lit("(1, 2)"), 0));
    ids[n++] = vt_intern(&t->values, closure(FN_POWER, 1, c, v_none(), 3));
    ids[n++] = vt_intern(&t->values, func_safe_callable());
}

static void seed_units(Trace *t, const uint32_t *ids)
{
    static TraceNode nodes[3];
    static uint64_t args[4];
    static TraceUnit units[2];
    static uint64_t bind0[2], bind1[1];
    uint16_t ident = (uint16_t)(prim_lookup("identity") - prim_table);
    nodes[0] = (TraceNode){ident, 0, 1, 0, 0, ids[6], 1000, 0};
    nodes[1] = (TraceNode){TRACE_OP_CLOSURE, 0, 2, 0, 1, ids[3], 77, 1};
    nodes[2] = (TraceNode){ident, ERR_TYPE, 1, 2, 1, 0, 5, 3};
    args[0] = ref_make(REF_INPUT, 0);
    args[1] = ref_make(REF_VALUE, ids[13]);
    args[2] = ref_make(REF_NODE, 0);
    args[3] = ref_make(REF_PRIM, ident);
    bind0[0] = ref_make(REF_NODE, 0);
    bind0[1] = ref_make(REF_NODE, 1);
    bind1[0] = ref_make(REF_VALUE, ids[2]);
    units[0] = (TraceUnit){0, 0, 1234, 1, {{0, 2, ids[6] + 1, 2, bind0}, {0}}, 0, 3};
    units[1] = (TraceUnit){1, 1, 5, 2, {{0, 1, ids[2] + 1, 1, bind1}, {ERR_VALUE, 0, 0, 0, NULL}}, 3, 0};
    t->units = units;
    t->nodes = nodes;
    t->args = args;
    t->nunits = 2;
}

static int make_seed(const char *path)
{
    Trace t;
    uint32_t ids[32];
    char err[512];
    run_one(NULL, 0);
    trace_init(&t);
    seed_values(&t, ids);
    static char *programs[] = {"solve_a", "solve_b"};
    static TraceSample samples[2];
    samples[0] = (TraceSample){"007bbfb7", 0, 0, ids[6], ids[7], ids[0], 1};
    samples[1] = (TraceSample){"007bbfb7", 1, 0, ids[7], 0, ids[1], 0};
    t.programs = programs, t.nprograms = 2, t.samples = samples, t.nsamples = 2;
    t.source = "def solve_a(I):\n    return I\n", t.source_len = strlen(t.source);
    seed_units(&t, ids);
    TraceWriter *w = tw_open(path, &t, err, sizeof err);
    for (int k = 0; w && k < 2; k++)
        tw_unit(w, &t.units[k], &t.nodes[t.units[k].first_node], t.args);
    int rc = w ? tw_close(w, &t, "{\"tool\": \"fuzz_trace\", \"is_batt\": false, \"units\": 2}", err,
                          sizeof err) : -1;
    vt_free(&t.values);
    arena_free(&t.arena);
    if (rc)
        fprintf(stderr, "fuzz_trace: %s\n", err);
    return rc ? 1 : 0;
}

/* ---- mutation ---- */


typedef struct Buf {
    uint8_t *p;
    size_t len, cap;
} Buf;

/* Section payloads of b (at most 16): start and length-field offsets. */
static int find_sections(const Buf *b, size_t *start, size_t *lenat)
{
    size_t at = TRACE_HEADER_SIZE;
    int n = 0;
    while (at + 16 <= b->len && n < 16) {
        uint64_t len = rd_u64le(b->p + at + 8);
        if (len > b->len - at - 16)
            break;
        start[n] = at + 16;
        lenat[n++] = at + 8;
        at += 16 + (size_t)len;
    }
    return n;
}

/* Insert (n > 0) or delete (n < 0) bytes at pos, adjusting section si. */
static void resize_at(Buf *b, size_t pos, long n, size_t lenat)
{
    if (n > 0) {
        if (b->len + (size_t)n > b->cap)
            return;
        memmove(b->p + pos + n, b->p + pos, b->len - pos);
        for (long k = 0; k < n; k++)
            b->p[pos + (size_t)k] = (uint8_t)(rnd() & 1 ? rnd() : 0x80);
        b->len += (size_t)n;
    } else {
        size_t d = (size_t)-n;
        if (pos + d > b->len)
            d = b->len - pos;
        memmove(b->p + pos, b->p + pos + d, b->len - pos - d);
        b->len -= d;
        n = -(long)d;
    }
    if (lenat)
        wr_u64le(b->p + lenat, rd_u64le(b->p + lenat) + (uint64_t)n);
}

static void mutate_section(Buf *b)
{
    size_t start[16], lenat[16];
    int n = find_sections(b, start, lenat);
    if (!n)
        return;
    int s = (int)below((size_t)n);
    uint64_t len = rd_u64le(b->p + lenat[s]);
    size_t pos = start[s] + below((size_t)len + 1);
    long d = (long)(1 + below(4));
    resize_at(b, pos, rnd() & 1 ? d : (pos + (size_t)d <= start[s] + len ? -d : d), lenat[s]);
}

static void mutate_varint(Buf *b)
{
    size_t pos = TRACE_HEADER_SIZE + below(b->len - TRACE_HEADER_SIZE);
    switch (below(4)) {
    case 0: b->p[pos] |= 0x80; break;                 /* continue into the next byte */
    case 1: b->p[pos] &= 0x7f; break;                 /* end early */
    case 2: b->p[pos] = (uint8_t)(b->p[pos] ? 0x7f : 0x01); break;
    default: /* make the byte overlong: x -> x|0x80, 0x00 */
        if (b->len < b->cap && b->p[pos] < 0x80) {
            b->p[pos] |= 0x80;
            resize_at(b, pos + 1, 1, 0);
            b->p[pos + 1] = 0;
        }
    }
}

static void mutate_once(Buf *b, const Buf *other)
{
    static const uint8_t interesting[] = {0, 1, 2, 0x7f, 0x80, 0xff, 12, 9, 6, 7};
    if (b->len <= TRACE_HEADER_SIZE + 1) {
        b->p[below(b->len)] ^= (uint8_t)(1u << below(8));
        return;
    }
    size_t pos = below(b->len);
    switch (below(7)) {
    case 0: b->p[pos] ^= (uint8_t)(1u << below(8)); break;
    case 1: b->p[pos] = interesting[below(sizeof interesting)]; break;
    case 2: b->len = below(b->len + 1); break;
    case 3: { /* splice a chunk of the other input over this one */
        size_t n = 1 + below(32), from = below(other->len);
        if (from + n > other->len) n = other->len - from;
        if (pos + n > b->len) n = b->len - pos;
        memcpy(b->p + pos, other->p + from, n);
        break;
    }
    case 4: mutate_section(b); break;
    case 5: mutate_varint(b); break;
    default: b->p[pos] = (uint8_t)rnd(); break;
    }
}

static void fix_header(Buf *b)
{
    if (b->len < TRACE_HEADER_SIZE)
        return;
    wr_u64le(b->p + 16, b->len - TRACE_HEADER_SIZE);
    wr_u32le(b->p + 24, crc32c_update(0, b->p + TRACE_HEADER_SIZE, b->len - TRACE_HEADER_SIZE));
}

/* ---- the loop ---- */

#define CORPUS_MAX 64
#define SEED_MAX (1 << 16)

typedef struct Stats {
    uint64_t execs, accepted, refused;
} Stats;

static Buf corpus[CORPUS_MAX];
static int ncorpus;

static int nkeep; /* the seeds: never replaced */

static void corpus_add(const uint8_t *p, size_t len)
{
    if (len > 2 * SEED_MAX || (ncorpus == CORPUS_MAX && nkeep >= CORPUS_MAX))
        return;
    int k = ncorpus < CORPUS_MAX ? ncorpus++ : nkeep + (int)below((size_t)(CORPUS_MAX - nkeep));
    free(corpus[k].p);
    corpus[k].p = malloc(len ? len : 1);
    memcpy(corpus[k].p, p, len);
    corpus[k].len = corpus[k].cap = len;
}

static void one_round(Buf *work, Stats *st)
{
    const Buf *base = &corpus[below((size_t)ncorpus)], *other = &corpus[below((size_t)ncorpus)];
    memcpy(work->p, base->p, base->len);
    work->len = base->len;
    int n = 1 + (int)below(4);
    for (int k = 0; k < n && work->len; k++)
        mutate_once(work, other);
    if (below(10) < 8)
        fix_header(work);
    uint8_t *exact = malloc(work->len ? work->len : 1); /* exact size: ASan sees overreads */
    memcpy(exact, work->p, work->len);
    int rc = run_one(exact, work->len);
    st->execs++;
    if (rc == 0) {
        st->accepted++;
        if (work->len != base->len || memcmp(work->p, base->p, base->len))
            corpus_add(exact, work->len);
    } else {
        st->refused++;
    }
    free(exact);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int add_seed(const char *seed_path)
{
    static uint8_t buf[SEED_MAX + 1];
    FILE *f = fopen(seed_path, "rb");
    if (!f) {
        perror(seed_path);
        return 2;
    }
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (n > SEED_MAX) {
        fprintf(stderr, "fuzz_trace: the seed %s is over %d bytes\n", seed_path, SEED_MAX);
        return 2;
    }
    if (run_one(buf, n) != 0) {
        fprintf(stderr, "fuzz_trace: the seed %s is not a valid trace\n", seed_path);
        return 2;
    }
    corpus_add(buf, n);
    return 0;
}

static int fuzz(char **seeds, int nseeds, double seconds)
{
    for (int k = 0; k < nseeds; k++)
        if (add_seed(seeds[k]))
            return 2;
    nkeep = ncorpus;
    rng_state ^= (uint64_t)time(NULL) * 0x2545F4914F6CDD1DULL;
    Buf work = {malloc(2 * SEED_MAX), 0, 2 * SEED_MAX};
    Stats st = {0, 0, 0};
    double end = now_s() + seconds;
    while (now_s() < end)
        for (int k = 0; k < 256; k++)
            one_round(&work, &st);
    printf("fuzz_trace: %llu executions, %llu accepted, %llu refused, corpus %d\n",
           (unsigned long long)st.execs, (unsigned long long)st.accepted,
           (unsigned long long)st.refused, ncorpus);
    free(work.p);
    for (int k = 0; k < ncorpus; k++)
        free(corpus[k].p);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--make-seed") == 0)
        return make_seed(argv[2]);
    if (argc < 3) {
        fprintf(stderr, "usage: fuzz_trace SEED_TRACE... SECONDS | fuzz_trace --make-seed PATH\n");
        return 2;
    }
    return fuzz(argv + 1, argc - 2, atof(argv[argc - 1]));
}
#endif
