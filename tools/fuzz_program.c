/* fuzz_program.c: a mutation fuzzer for the program parser and the
 * interpreter behind it.
 *
 *     fuzz_program TASKS SECONDS SEED.py...
 *
 * Each round mutates a seed or a corpus file, most often as program search
 * does: a name swapped for another name of the seeds (a variable, an input,
 * a constant, a primitive), which keeps the file parseable and hands
 * primitives arguments of any kind; sometimes as an editor slip does: lines
 * deleted, repeated, swapped or re-indented, characters changed, the text cut
 * short. The parser's verdict must be an accepted file or one message
 * `path:line:col: message` with the line inside the text and col >= 1. An
 * accepted file runs: every solver on the first samples of TASKS, a batt on
 * two samples (both calls), each run with 20 ms and 64 MB at most, and its
 * rows are made as `run --json` makes them. Each program's first run is
 * also recorded (the tracer's hooks on, units to a sink that checks their
 * nodes): its row must be the plain run's, since tracing may change no
 * result. Files whose runs returned join the corpus. A crash, a sanitizer
 * report, a malformed message or a difference is a failure; `make fuzz`
 * runs it under ASan + UBSan. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../ops/ops.h"
#include "../runtime/ctx.h"
#include "../runtime/interp.h"
#include "../runtime/tasks.h"
#include "../tracer/program.h"
#include "../tracer/record.h"
#include "../tracer/trace.h"
#include "fuzz_rng.h"
#include "rows.h"

#define TEXT_MAX (1 << 18)  /* a mutated file's size at most */
#define CORPUS_MAX 64
#define NAMES_MAX 4096
#define RUN_SECONDS 0.02
#define RUN_BYTES ((size_t)64 << 20)

typedef struct Text {
    char *p;
    size_t len;
} Text;

static Text corpus[CORPUS_MAX];
static int ncorpus, nkeep; /* the seeds come first and stay */

/* Names to swap in: every identifier of the seeds, every primitive. */
static char *names[NAMES_MAX];
static int nnames;

static TaskSet tasks;
static Arena arena;
static Ctx ctx;
static StrBuf row;

typedef struct Stats {
    unsigned long long execs, refused, accepted, runs, returned, recorded;
} Stats;

/* The recorder and the trace its values go to, made afresh every
 * RECORDER_UNITS units so that the value table stays small. */
#define RECORDER_UNITS 4096
static Trace rec_trace;
static Recorder recorder;
static size_t recorded_units;
static const Program *recorded_program;

static void add_name(const char *s, size_t n)
{
    for (int k = 0; k < nnames; k++)
        if (strlen(names[k]) == n && !memcmp(names[k], s, n))
            return;
    if (nnames == NAMES_MAX)
        return;
    names[nnames] = malloc(n + 1);
    memcpy(names[nnames], s, n);
    names[nnames++][n] = 0;
}

static int is_name_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static int is_name_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

static void collect_names(const Text *t)
{
    for (size_t i = 0; i < t->len;) {
        if (is_name_start(t->p[i]) && (i == 0 || !is_name_char(t->p[i - 1]))) {
            size_t j = i;
            while (j < t->len && is_name_char(t->p[j]))
                j++;
            add_name(t->p + i, j - i);
            i = j;
        } else {
            i++;
        }
    }
}

static void corpus_add(const char *p, size_t len)
{
    if (len > TEXT_MAX || (ncorpus == CORPUS_MAX && nkeep >= CORPUS_MAX))
        return;
    int k = ncorpus < CORPUS_MAX ? ncorpus++ : nkeep + (int)below((size_t)(CORPUS_MAX - nkeep));
    free(corpus[k].p);
    corpus[k].p = malloc(len + 1);
    memcpy(corpus[k].p, p, len);
    corpus[k].p[len] = 0;
    corpus[k].len = len;
}

/* ---- mutations of a text in w (room for TEXT_MAX + 1 bytes) ---- */

/* Replace bytes [at, at + cut) of w by s[0..n). */
static void splice(Text *w, size_t at, size_t cut, const char *s, size_t n)
{
    if (w->len - cut + n > TEXT_MAX)
        return;
    memmove(w->p + at + n, w->p + at + cut, w->len - at - cut);
    memcpy(w->p + at, s, n);
    w->len = w->len - cut + n;
}

/* The start of the k-th name occurrence after a random point (wrapping). */
static int find_name(const Text *w, size_t *at, size_t *len)
{
    size_t start = below(w->len);
    for (size_t step = 0; step < w->len; step++) {
        size_t i = (start + step) % w->len;
        if (is_name_start(w->p[i]) && (i == 0 || !is_name_char(w->p[i - 1]))) {
            size_t j = i;
            while (j < w->len && is_name_char(w->p[j]))
                j++;
            *at = i;
            *len = j - i;
            return 1;
        }
    }
    return 0;
}

static void swap_name(Text *w)
{
    size_t at, len;
    if (!nnames || !find_name(w, &at, &len))
        return;
    const char *s = names[below((size_t)nnames)];
    splice(w, at, len, s, strlen(s));
}

/* Bounds [*b, *e) of the line holding byte i (with its newline). */
static void line_at(const Text *w, size_t i, size_t *b, size_t *e)
{
    size_t s = i;
    while (s > 0 && w->p[s - 1] != '\n')
        s--;
    size_t t = i;
    while (t < w->len && w->p[t] != '\n')
        t++;
    *b = s;
    *e = t < w->len ? t + 1 : t;
}

static void mutate_line(Text *w)
{
    size_t b, e, b2, e2;
    line_at(w, below(w->len), &b, &e);
    char line[512];
    size_t n = e - b < sizeof line ? e - b : sizeof line;
    memcpy(line, w->p + b, n);
    switch (below(4)) {
    case 0: splice(w, b, e - b, "", 0); break;           /* delete */
    case 1: splice(w, b, 0, line, n); break;             /* repeat */
    case 2:                                              /* move elsewhere */
        splice(w, b, e - b, "", 0);
        if (w->len) {
            line_at(w, below(w->len), &b2, &e2);
            splice(w, b2, 0, line, n);
        }
        break;
    default: /* re-indent */
        if (below(2))
            splice(w, b, 0, "    ", 4);
        else if (e - b >= 4 && !memcmp(w->p + b, "    ", 4))
            splice(w, b, 4, "", 0);
        else
            splice(w, b, 0, "\t", 1);
    }
}

static void mutate_chars(Text *w)
{
    static const char punct[] = "()[]{},:=.'\"#\\\n\t +-*0123456789_";
    size_t at = below(w->len + 1);
    char c = punct[below(sizeof punct - 1)];
    switch (below(4)) {
    case 0: splice(w, at, 0, &c, 1); break;
    case 1: if (at < w->len) splice(w, at, 1, &c, 1); break;
    case 2: {
        size_t n = 1 + below(8);
        splice(w, at, n < w->len - at ? n : w->len - at, "", 0);
        break;
    }
    default: w->len = at; /* cut short */
    }
}

static void mutate(Text *w)
{
    int n = 1 + (int)below(4);
    for (int k = 0; k < n; k++) {
        size_t m = below(10);
        if (m < 6)
            swap_name(w);
        else if (!w->len)
            continue;
        else if (m < 8)
            mutate_line(w);
        else
            mutate_chars(w);
    }
}

/* ---- the checks ---- */

/* A refusal is "fuzz.py:LINE:COL: message", LINE within the text. */
static void check_message(const char *err, const Text *w)
{
    size_t lines = 1;
    for (size_t i = 0; i < w->len; i++)
        lines += w->p[i] == '\n';
    unsigned long line, col;
    int used = 0;
    if (sscanf(err, "fuzz.py:%lu:%lu: %n", &line, &col, &used) != 2 || used == 0 || !err[used] ||
        line < 1 || line > lines + 1 || col < 1) {
        fprintf(stderr, "fuzz_program: malformed refusal '%s' of:\n%.*s\n", err, (int)w->len, w->p);
        abort();
    }
}

static void begin(void)
{
    arena_reset(&arena);
    ctx.arena = &arena;
    ctx_begin_run(&ctx, RUN_SECONDS);
}

/* Each node of a recorded unit names a primitive (or a closure call), a
 * statement of its program, an earlier node as its parent, and when it
 * returned a value of the table. */
static int check_unit(void *data, const TraceUnit *u, const TraceNode *nodes, const uint64_t *args)
{
    for (uint32_t k = 0; k < u->nnodes; k++) {
        const TraceNode *n = &nodes[k];
        if ((n->op >= P__COUNT && n->op != TRACE_OP_CLOSURE) || n->parent > k ||
            n->stmt >= recorded_program->nstmts || (!n->err && n->result >= rec_trace.values.count)) {
            fprintf(stderr, "fuzz_program: recorded node %u is malformed (op %u, parent %u, stmt %u, result %u)\n",
                    k, n->op, n->parent, n->stmt, n->result);
            abort();
        }
    }
    return 0;
}

static void recorder_renew(void)
{
    if (recorded_units) {
        rec_free(&recorder);
        trace_free(&rec_trace);
    }
    trace_init(&rec_trace);
    rec_init_sink(&recorder, &rec_trace, check_unit, NULL);
    recorded_units = 0;
}

/* One run of p on sample s of task, plainly or recorded, its row in `row`. */
static Err run_one(const Program *p, const ProgramFile *pf, const Task *task, size_t si, int recorded)
{
    const Sample *s = &task->train[si];
    Inputs in = {s->input, task->S, v_none(), task->key};
    begin();
    sb_clear(&row);
    if (recorded) {
        if (recorded_units == RECORDER_UNITS)
            recorder_renew();
        recorded_program = p;
        /* the recorder sizes its per-program arrays when the Program changes,
         * by address; a file parsed anew may put another program there */
        recorder.prog = NULL;
        ctx.trace = &recorder.hooks;
        ctx.trace_data = &recorder;
        rec_unit_begin(&recorder, p, 0, 0);
    }
    Err e;
    if (pf->is_batt) {
        BattPlan plan;
        interp_batt_plan(p, &plan);
        BattPair r;
        interp_batt_pair(&ctx, p, &plan, &in, s->output, RUN_SECONDS, &r);
        interp_batt_plan_free(&plan);
        row_batt(&row, task->key, SPLIT_TRAIN, si, 0, r.err, r.o, r.s, r.err_c, r.s_c);
        e = r.err;
    } else {
        Value out = v_none();
        e = interp_solver(&ctx, p, &in, &out);
        row_solver(&row, p->name, task->key, SPLIT_TRAIN, si, 0, e, out, !e && v_eq(out, s->output));
    }
    if (recorded) {
        ctx.trace = NULL;
        ctx.trace_data = NULL;
        if (rec_unit_end(&recorder, 0) != 0) {
            fprintf(stderr, "fuzz_program: recording failed: %s\n", recorder.err);
            abort();
        }
        recorded_units++;
    }
    return e;
}

/* The program's run on sample si, plain then recorded: the same row, unless
 * a budget ended either (the recorder's work counts against it). */
static void check_recorded(const Program *p, const ProgramFile *pf, const Task *task, size_t si, Stats *st)
{
    run_one(p, pf, task, si, 0);
    Err limit = ctx.limit_hit;
    char *plain = malloc(row.len + 1);
    memcpy(plain, row.data, row.len);
    size_t n = row.len;
    run_one(p, pf, task, si, 1);
    st->recorded++;
    if (!limit && !ctx.limit_hit && (n != row.len || memcmp(plain, row.data, n))) {
        fprintf(stderr, "fuzz_program: recording changed a row of %s:\n  plain:    %.*s  recorded: %.*s", p->name,
                (int)n, plain, (int)row.len, row.data);
        abort();
    }
    free(plain);
}

/* Every program of an accepted file on a few samples; 1 when one returned. */
static int run_file(const ProgramFile *pf, Stats *st)
{
    int returned = 0;
    for (size_t pi = 0; pi < pf->nprograms; pi++) {
        const Program *p = &pf->programs[pi];
        for (size_t ti = 0; ti < tasks.ntasks && ti < 2; ti++) {
            const Task *task = &tasks.tasks[ti];
            size_t nsamples = task->ntrain < 2 ? task->ntrain : 2;
            for (size_t si = 0; si < nsamples; si++) {
                Err e = run_one(p, pf, task, si, 0);
                returned |= !e;
                st->returned += !e;
                st->runs++;
            }
        }
        if (tasks.ntasks && tasks.tasks[0].ntrain)
            check_recorded(p, pf, &tasks.tasks[0], 0, st);
    }
    return returned;
}

static void one_round(Text *w, Stats *st)
{
    const Text *base = &corpus[below((size_t)ncorpus)];
    memcpy(w->p, base->p, base->len);
    w->len = base->len;
    mutate(w);
    w->p[w->len] = 0;
    ProgramFile pf;
    char err[512];
    st->execs++;
    if (program_parse("fuzz.py", w->p, &pf, err, sizeof err) != 0) {
        st->refused++;
        check_message(err, w);
        return;
    }
    st->accepted++;
    if (run_file(&pf, st))
        corpus_add(w->p, w->len);
    program_free(&pf);
}

static int add_seed(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 2;
    }
    char *p = malloc(TEXT_MAX + 1);
    size_t n = fread(p, 1, TEXT_MAX, f);
    fclose(f);
    Text t = {p, n};
    collect_names(&t);
    corpus_add(p, n);
    free(p);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: fuzz_program TASKS SECONDS SEED.py...\n");
        return 2;
    }
    char err[512];
    if (taskset_load(argv[1], &tasks, err, sizeof err)) {
        fprintf(stderr, "fuzz_program: %s\n", err);
        return 2;
    }
    for (int k = 3; k < argc; k++)
        if (add_seed(argv[k]))
            return 2;
    nkeep = ncorpus;
    for (int k = 0; k < P__COUNT; k++)
        add_name(prim_table[k].name, strlen(prim_table[k].name));
    arena_init(&arena);
    ctx_init(&ctx, &arena);
    ctx.mem_limit = RUN_BYTES;
    sb_init(&row);
    recorder_renew();
    rng_state ^= (uint64_t)time(NULL) * 0x2545F4914F6CDD1DULL;
    Text w = {malloc(TEXT_MAX + 1), 0};
    Stats st = {0};
    uint64_t end = now_ns() + (uint64_t)(atof(argv[2]) * 1e9);
    while (now_ns() < end)
        one_round(&w, &st);
    printf("fuzz_program: %llu files, %llu refused, %llu accepted; %llu runs, %llu returned, %llu recorded "
           "again; corpus %d\n",
           st.execs, st.refused, st.accepted, st.runs, st.returned, st.recorded, ncorpus);
    free(w.p);
    rec_free(&recorder);
    trace_free(&rec_trace);
    sb_free(&row);
    arena_free(&arena);
    taskset_free(&tasks);
    for (int k = 0; k < ncorpus; k++)
        free(corpus[k].p);
    for (int k = 0; k < nnames; k++)
        free(names[k]);
    return 0;
}
