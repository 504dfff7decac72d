/* runner.c: the execution loop shared by `run` and `record` (see runner.h). */
#include "runner.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/interp.h"
#include "../runtime/xalloc.h"
#include "ordered.h"
#include "rows.h"


/* Only the calling thread prints it; the lanes count units_done. */
static void progress(Runner *r)
{
    progress_update(&r->progress, atomic_load_explicit(&r->units_done, memory_order_relaxed));
}

/* Rows could not be written (errno errnum): say so, naming the file. */
static void report_unwritten(const Runner *r, int errnum)
{
    fprintf(stderr, "battrace %s: %s: cannot write the rows: %s\n", r->cmd,
            r->json_path && strcmp(r->json_path, "-") ? r->json_path : "stdout", strerror(errnum));
}

/* Write rows text; EXIT_FAIL with a message when it could not be. */
static int write_rows(Runner *r, const StrBuf *rows)
{
    if (r->json && rows->len && fwrite(rows->data, 1, rows->len, r->json) != rows->len) {
        report_unwritten(r, errno);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

static void lane_init(RunLane *l, const Runner *r)
{
    memset(l, 0, sizeof *l);
    for (int k = 0; k < REC_RING; k++) {
        arena_init(&l->arena[k]);
        arena_init(&l->spill[k]);
    }
    ctx_init(&l->ctx, &l->arena[0]);
    l->ctx.spill = &l->spill[0];
    l->ctx.mem_limit = r->sel.mem_limit;
    sb_init(&l->row);
}

static void lane_free(RunLane *l)
{
    sb_free(&l->row);
    for (int k = 0; k < REC_RING; k++) {
        arena_free(&l->arena[k]);
        arena_free(&l->spill[k]);
    }
}

static void begin_run(Runner *r, RunLane *l, size_t program, size_t sample)
{
    if (r->ring)
        l->turn = (l->turn + 1) % REC_RING;
    /* a unit's kept results, like its values, are read when it is written */
    ctx_begin_unit(&l->ctx, &l->arena[l->turn], &l->spill[l->turn], r->sel.mem_limit);
    ctx_begin_run(&l->ctx, r->sel.time_limit);
    if (r->hooks.begin)
        r->hooks.begin(r->hooks.data, program, sample);
}

/* One solver on one sample; its row appended to `rows` when r->json.
 * Returns whether it matched. */
static int run_solver_once(Runner *r, RunLane *l, const RunUnit *u, StrBuf *rows, int *stop)
{
    const Program *p = r->w.programs[u->program];
    const SampleRef *s = &r->w.samples[u->sample];
    const Task *task = &r->w.ts.tasks[s->task];
    Inputs in = {s->sample->input, task->S, v_none(), task->key};
    Value out;
    begin_run(r, l, u->program, u->sample);
    uint64_t t0 = now_ns();
    Err e = interp_solver(&l->ctx, p, &in, &out);
    uint64_t dt = now_ns() - t0;
    if (r->hooks.end && (*stop = r->hooks.end(r->hooks.data, (dt + 500) / 1000)))
        return 0;
    l->st.inside_ns += dt;
    l->st.runs++;
    int match = !e && s->sample->has_output && v_eq(out, s->sample->output);
    if (!e) {
        l->st.returned++;
        l->st.matched += match;
    }
    if (r->json)
        row_solver(rows, p->name, task->key, s->split, s->index, (dt + 500) / 1000, e, out, match);
    return match;
}

/* One batt sample: both calls. Returns whether some output matched. */
static int run_batt_once(Runner *r, RunLane *l, const RunUnit *u, StrBuf *rows, int *stop)
{
    const Program *p = r->w.programs[0];
    const SampleRef *s = &r->w.samples[u->sample];
    const Task *task = &r->w.ts.tasks[s->task];
    Value expect = s->sample->has_output ? s->sample->output : v_none();
    Inputs first = {s->sample->input, task->S, v_none(), task->key};
    BattPair res;
    begin_run(r, l, 0, u->sample);
    uint64_t t0 = now_ns();
    interp_batt_pair(&l->ctx, p, &r->plan, &first, expect, r->sel.time_limit, &res);
    uint64_t dt = now_ns() - t0;
    if (r->hooks.end && (*stop = r->hooks.end(r->hooks.data, (dt + 500) / 1000)))
        return 0;
    l->st.inside_ns += dt;
    l->st.runs++;
    size_t matched = res.err ? 0 : batt_matches(res.o, expect);
    l->st.matched += matched;
    int m = matched > 0 && s->sample->has_output;
    l->st.samples_matched += m;
    if (r->json)
        row_batt(rows, task->key, s->split, s->index, (dt + 500) / 1000, res.err, res.o, res.s,
                 res.err_c, res.s_c);
    return m;
}

/* Unit i on lane l: its row appended to `rows`, its match kept. Returns
 * EXIT_OK, or the exit code a unit hook asked to stop with. */
static int run_unit(Runner *r, RunLane *l, size_t i, StrBuf *rows)
{
    int stop = EXIT_OK;
    const RunUnit *u = &r->units[i];
    r->matched[i] = (uint8_t)(r->w.pf.is_batt ? run_batt_once(r, l, u, rows, &stop)
                                              : run_solver_once(r, l, u, rows, &stop));
    atomic_fetch_add_explicit(&r->units_done, 1, memory_order_relaxed);
    return stop;
}

/* ---- one thread: units in order, each row written as it is made ---- */

static int run_in_order(Runner *r)
{
    for (size_t i = 0; i < r->nunits; i++) {
        sb_clear(&r->lane.row);
        int rc = run_unit(r, &r->lane, i, &r->lane.row);
        if (!rc)
            rc = write_rows(r, &r->lane.row);
        if (rc)
            return rc;
        progress(r);
    }
    return EXIT_OK;
}

/* ---- lanes: threads claim chunks of consecutive units; their rows go
 * out in unit order through an OrderedOut (tools/ordered.h) ---- */

/* A lane takes no chunk more than this many past the first whose rows are
 * not written: behind one slow chunk (a program running to its time limit)
 * the other lanes' rows wait in memory, 64 chunks of at most 64 units. */
#define LANES_AHEAD 64

typedef struct LanePool {
    Runner *r;
    size_t *bounds;           /* chunk k: units [bounds[k], bounds[k + 1]) */
    size_t nchunks;
    atomic_size_t next;       /* the next chunk to claim */
    OrderedOut out;           /* a chunk's rows are its piece */
} LanePool;

typedef struct LaneThread {
    LanePool *pool;
    RunLane lane;
    pthread_t tid;
} LaneThread;

static void lane_work(LanePool *p, RunLane *l, int prints_progress)
{
    Runner *r = p->r;
    for (;;) {
        size_t k = atomic_fetch_add(&p->next, 1);
        if (k >= p->nchunks || !ordered_may_take(&p->out, k, LANES_AHEAD))
            break;
        StrBuf rows;
        sb_init(&rows);
        for (size_t i = p->bounds[k]; i < p->bounds[k + 1]; i++) {
            run_unit(r, l, i, &rows);
            if (prints_progress)
                progress(r);
        }
        if (ordered_put(&p->out, k, rows.data, rows.len, EXIT_OK))
            break; /* rows could not be written: claim no more */
    }
}

static void *lane_main(void *arg)
{
    LaneThread *t = arg;
    lane_work(t->pool, &t->lane, 0);
    return NULL;
}

/* The units of the chunk that starts with `left` units to go: a share of
 * what is left (guided scheduling), at most 64 so that claiming and writing
 * rows stay rare beside the units' work, and down to single units at the
 * end, so that a lane that draws slow units last (a runaway program at its
 * time limit) keeps the other waiting for one unit at most. */
static size_t chunk_units(size_t left, int threads)
{
    size_t n = left / ((size_t)threads * 4);
    return n < 1 ? 1 : n > 64 ? 64 : n;
}

static int run_in_lanes(Runner *r)
{
    LanePool p = {.r = r};
    size_t cap = 0;
    p.bounds = grow_room(NULL, &cap, 1, sizeof *p.bounds, 0, 64);
    p.bounds[0] = 0;
    for (size_t from = 0; from < r->nunits; p.nchunks++) {
        from += chunk_units(r->nunits - from, r->threads);
        p.bounds = grow_room(p.bounds, &cap, p.nchunks + 2, sizeof *p.bounds, 0, 64);
        p.bounds[p.nchunks + 1] = from;
    }
    ordered_init(&p.out, p.nchunks, r->json);
    int extra = r->threads - 1;
    LaneThread *t = xcalloc((size_t)extra, sizeof *t);
    int started = 0;
    for (; started < extra; started++) {
        t[started].pool = &p;
        lane_init(&t[started].lane, r);
        if (pthread_create(&t[started].tid, NULL, lane_main, &t[started])) {
            lane_free(&t[started].lane);
            break; /* fewer lanes: the work is the same */
        }
    }
    lane_work(&p, &r->lane, 1);
    for (int k = 0; k < started; k++) {
        pthread_join(t[k].tid, NULL);
        RunStats *s = &t[k].lane.st;
        r->lane.st.runs += s->runs;
        r->lane.st.returned += s->returned;
        r->lane.st.matched += s->matched;
        r->lane.st.samples_matched += s->samples_matched;
        r->lane.st.inside_ns += s->inside_ns;
        lane_free(&t[k].lane);
    }
    progress(r);
    int rc = p.out.rc;
    if (rc)
        report_unwritten(r, p.out.write_errno);
    ordered_free(&p.out);
    free(t);
    free(p.bounds);
    return rc;
}

/* ---- the units and what they add up to ---- */

static void list_units(Runner *r)
{
    size_t cap = r->w.pf.is_batt ? r->w.nsamples : r->w.nprograms * r->w.nsamples;
    r->units = xcalloc(cap ? cap : 1, sizeof *r->units);
    size_t n = 0;
    if (r->w.pf.is_batt) {
        for (size_t si = 0; si < r->w.nsamples; si++)
            r->units[n++] = (RunUnit){0, (uint32_t)si};
    } else {
        for (size_t pi = 0; pi < r->w.nprograms; pi++) {
            long own = taskset_find(&r->w.ts, r->w.programs[pi]->task);
            for (size_t si = 0; si < r->w.nsamples; si++)
                if (r->sel.mode == MODE_CROSS || (long)r->w.samples[si].task == own)
                    r->units[n++] = (RunUnit){(uint32_t)pi, (uint32_t)si};
        }
    }
    r->nunits = n;
    r->matched = xcalloc(n ? n : 1, 1);
}

/* A task is solved when one program matches every one of its samples that
 * has an output. Units of a program on a task are consecutive (samples are
 * in task order), so each such block is one verdict. */
static void mark_solved(Runner *r, size_t upto)
{
    size_t i = 0;
    while (i < upto) {
        uint32_t program = r->units[i].program;
        size_t task = r->w.samples[r->units[i].sample].task, all = 0, ok = 0;
        for (; i < upto && r->units[i].program == program &&
               r->w.samples[r->units[i].sample].task == task;
             i++) {
            int has = r->w.samples[r->units[i].sample].sample->has_output;
            all += has;
            ok += has && r->matched[i];
        }
        if (all && ok == all)
            r->task_solved[task] = 1;
    }
}

void runner_summary(Runner *r, FILE *to)
{
    r->st.tasks_solved = 0;
    for (size_t t = 0; t < r->w.ts.ntasks; t++)
        r->st.tasks_solved += r->task_solved[t];
    double wall = (double)(now_ns() - r->started) / 1e9, inside = (double)r->st.inside_ns / 1e9;
    char lanes[64] = "";
    if (r->threads > 1) /* the time inside is the units', summed over the lanes */
        snprintf(lanes, sizeof lanes, " on %d threads", r->threads);
    if (r->w.pf.is_batt)
        fprintf(to, "battrace %s: batt on %zu samples (%zu calls), %zu exact outputs, "
                    "%zu samples matched, %zu tasks solved, %.3f s inside batt (%.1f us/sample), "
                    "%.3f s in all%s\n",
                r->cmd, r->st.runs, 2 * r->st.runs, r->st.matched, r->st.samples_matched,
                r->st.tasks_solved, inside, r->st.runs ? 1e6 * inside / (double)r->st.runs : 0.0,
                wall, lanes);
    else
        fprintf(to, "battrace %s: %zu programs, %zu runs, %zu returned, %zu matched, "
                    "%zu tasks solved, %.3f s inside programs (%.1f us/run), %.3f s in all%s\n",
                r->cmd, r->w.nprograms, r->st.runs, r->st.returned, r->st.matched, r->st.tasks_solved,
                inside, r->st.runs ? 1e6 * inside / (double)r->st.runs : 0.0, wall, lanes);
}


int runner_open(Runner *r, const char *cmd, const Selection *sel)
{
    r->cmd = cmd;
    r->sel = *sel;
    if (r->threads < 1)
        r->threads = 1;
    int rc = workload_load(&r->sel, &r->w);
    if (rc)
        return rc;
    lane_init(&r->lane, r);
    r->task_solved = calloc(r->w.ts.ntasks + 1, 1);
    if (r->w.pf.is_batt) {
        const Program *p = r->w.programs[0];
        interp_batt_plan(p, &r->plan);
    }
    list_units(r);
    return EXIT_OK;
}

int runner_execute(Runner *r)
{
    r->started = now_ns();
    progress_begin(&r->progress, r->cmd, "runs", r->nunits, r->quiet);
    /* hooks follow one run at a time: a recorder runs on one lane */
    int lanes = r->threads > 1 && !r->hooks.begin && !r->hooks.end && !r->ring;
    int rc = lanes ? run_in_lanes(r) : run_in_order(r);
    r->st = r->lane.st;
    mark_solved(r, atomic_load(&r->units_done));
    return rc;
}

void runner_close(Runner *r)
{
    free(r->task_solved);
    interp_batt_plan_free(&r->plan);
    free(r->units);
    free(r->matched);
    lane_free(&r->lane);
    workload_free(&r->w);
}
