/* runner.c: the sequential execution loop shared by `run` and `record` (see runner.h). */
#include "runner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../runtime/interp.h"
#include "rows.h"


static void progress(Runner *r)
{
    if (r->quiet || !isatty(2))
        return;
    uint64_t t = now_ns();
    if (t - r->last_progress < 250000000ull && r->st.runs != r->total_runs)
        return;
    r->last_progress = t;
    fprintf(stderr, "\rbattrace %s: %zu/%zu runs (%.0f%%), %.1f s", r->cmd, r->st.runs, r->total_runs,
            r->total_runs ? 100.0 * (double)r->st.runs / (double)r->total_runs : 100.0,
            (double)(t - r->started) / 1e9);
    if (r->st.runs == r->total_runs)
        fputc('\n', stderr);
}

/* Write the row built in r->row (callers build it only when r->json is set). */
static int write_row(Runner *r)
{
    if (r->json && fwrite(r->row.data, 1, r->row.len, r->json) != r->row.len) {
        fprintf(stderr, "battrace %s: %s: cannot write the rows: %s\n", r->cmd,
                r->json_path && strcmp(r->json_path, "-") ? r->json_path : "stdout", strerror(errno));
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

static void begin_run(Runner *r, size_t program, size_t sample)
{
    if (r->ring)
        r->turn = (r->turn + 1) % REC_RING;
    r->ctx.arena = &r->arena[r->turn];
    arena_reset(r->ctx.arena);
    ctx_begin_run(&r->ctx, r->sel.time_limit);
    if (r->hooks.begin)
        r->hooks.begin(r->hooks.data, program, sample);
}

static int end_unit(Runner *r, uint64_t ns)
{
    return r->hooks.end ? r->hooks.end(r->hooks.data, (ns + 500) / 1000) : EXIT_OK;
}

/* One solver on one sample. Returns whether it matched. */
static int run_solver_once(Runner *r, size_t pi, size_t si, int *write_err)
{
    const Program *p = r->w.programs[pi];
    const SampleRef *s = &r->w.samples[si];
    const Task *task = &r->w.ts.tasks[s->task];
    Inputs in = {s->sample->input, task->S, v_none(), task->key};
    Value out;
    begin_run(r, pi, si);
    uint64_t t0 = now_ns();
    Err e = interp_solver(&r->ctx, p, &in, &out);
    uint64_t dt = now_ns() - t0;
    *write_err = end_unit(r, dt);
    if (*write_err)
        return 0;
    r->st.inside_ns += dt;
    r->st.runs++;
    int match = !e && s->sample->has_output && v_eq(out, s->sample->output);
    if (!e) {
        r->st.returned++;
        r->st.matched += match;
    }
    if (r->json) {
        sb_clear(&r->row);
        row_solver(&r->row, p->name, task->key, s->split, s->index, (dt + 500) / 1000, e, out, match);
        *write_err = write_row(r);
    }
    return match;
}

static int run_solvers(Runner *r)
{
    for (size_t pi = 0; pi < r->w.nprograms; pi++) {
        const Program *p = r->w.programs[pi];
        long own = taskset_find(&r->w.ts, p->task);
        size_t cur_task = (size_t)-1, block_runs = 0, block_ok = 0;
        for (size_t si = 0; si <= r->w.nsamples; si++) {
            const SampleRef *s = si < r->w.nsamples ? &r->w.samples[si] : NULL;
            if (s && r->sel.mode == MODE_OWN && (long)s->task != own)
                continue;
            /* a task is solved when one program matches all its samples */
            if (!s || s->task != cur_task) {
                if (block_runs && block_ok == block_runs)
                    r->task_solved[cur_task] = 1;
                if (!s)
                    break;
                cur_task = s->task;
                block_runs = block_ok = 0;
            }
            int werr;
            int m = run_solver_once(r, pi, si, &werr);
            if (werr)
                return werr;
            block_runs += s->sample->has_output;
            block_ok += m && s->sample->has_output;
            progress(r);
        }
    }
    return EXIT_OK;
}

/* One batt sample: both calls. Returns whether some output matched. */
static int run_batt_once(Runner *r, size_t si, int *write_err)
{
    const Program *p = r->w.programs[0];
    const SampleRef *s = &r->w.samples[si];
    const Task *task = &r->w.ts.tasks[s->task];
    Value expect = s->sample->has_output ? s->sample->output : v_none();
    Inputs first = {s->sample->input, task->S, v_none(), task->key};
    BattPair res;
    begin_run(r, 0, si);
    uint64_t t0 = now_ns();
    interp_batt_pair(&r->ctx, p, r->c_taint, &first, expect, r->sel.time_limit, &res);
    uint64_t dt = now_ns() - t0;
    *write_err = end_unit(r, dt);
    if (*write_err)
        return 0;
    Err e1 = res.err, e2 = res.err_c;
    Value o = res.o, sv = res.s, s_c = res.s_c;
    r->st.inside_ns += dt;
    r->st.runs++;
    size_t matched = e1 ? 0 : batt_matches(o, expect);
    r->st.matched += matched;
    if (r->json) {
        sb_clear(&r->row);
        row_batt(&r->row, task->key, s->split, s->index, (dt + 500) / 1000, e1, o, sv, e2, s_c);
        *write_err = write_row(r);
    }
    return matched > 0 && s->sample->has_output;
}

static int run_batt(Runner *r)
{
    size_t si = 0;
    while (si < r->w.nsamples) {
        size_t task = r->w.samples[si].task, all = 0, ok = 0;
        for (; si < r->w.nsamples && r->w.samples[si].task == task; si++) {
            int werr;
            int m = run_batt_once(r, si, &werr);
            if (werr)
                return werr;
            all += r->w.samples[si].sample->has_output;
            ok += m;
            r->st.samples_matched += m;
            progress(r);
        }
        if (all && ok == all)
            r->task_solved[task] = 1;
    }
    return EXIT_OK;
}

static size_t count_runs(const Runner *r)
{
    if (r->w.pf.is_batt)
        return r->w.nsamples;
    if (r->sel.mode == MODE_CROSS)
        return r->w.nprograms * r->w.nsamples;
    size_t n = 0;
    for (size_t pi = 0; pi < r->w.nprograms; pi++) {
        long own = taskset_find(&r->w.ts, r->w.programs[pi]->task);
        for (size_t si = 0; si < r->w.nsamples; si++)
            n += (long)r->w.samples[si].task == own;
    }
    return n;
}

void runner_summary(Runner *r, FILE *to)
{
    for (size_t t = 0; t < r->w.ts.ntasks; t++)
        r->st.tasks_solved += r->task_solved[t];
    double wall = (double)(now_ns() - r->started) / 1e9, inside = (double)r->st.inside_ns / 1e9;
    if (r->w.pf.is_batt)
        fprintf(to, "battrace %s: batt on %zu samples (%zu calls), %zu exact outputs, "
                    "%zu samples matched, %zu tasks solved, %.3f s inside batt (%.1f us/sample), "
                    "%.3f s in all\n",
                r->cmd, r->st.runs, 2 * r->st.runs, r->st.matched, r->st.samples_matched,
                r->st.tasks_solved, inside, r->st.runs ? 1e6 * inside / (double)r->st.runs : 0.0,
                wall);
    else
        fprintf(to, "battrace %s: %zu programs, %zu runs, %zu returned, %zu matched, "
                    "%zu tasks solved, %.3f s inside programs (%.1f us/run), %.3f s in all\n",
                r->cmd, r->w.nprograms, r->st.runs, r->st.returned, r->st.matched, r->st.tasks_solved,
                inside, r->st.runs ? 1e6 * inside / (double)r->st.runs : 0.0, wall);
}


int runner_open(Runner *r, const char *cmd, const Selection *sel)
{
    r->cmd = cmd;
    r->sel = *sel;
    int rc = workload_load(&r->sel, &r->w);
    if (rc)
        return rc;
    for (int k = 0; k < REC_RING; k++)
        arena_init(&r->arena[k]);
    ctx_init(&r->ctx, &r->arena[0]);
    r->ctx.mem_limit = r->sel.mem_limit;
    sb_init(&r->row);
    r->task_solved = calloc(r->w.ts.ntasks + 1, 1);
    if (r->w.pf.is_batt) {
        const Program *p = r->w.programs[0];
        r->c_taint = malloc(p->nstmts + 1);
        interp_c_taint(p, r->c_taint);
    }
    r->total_runs = count_runs(r);
    return EXIT_OK;
}

int runner_execute(Runner *r)
{
    r->started = r->last_progress = now_ns();
    return r->w.pf.is_batt ? run_batt(r) : run_solvers(r);
}

void runner_close(Runner *r)
{
    free(r->task_solved);
    free(r->c_taint);
    sb_free(&r->row);
    for (int k = 0; k < REC_RING; k++)
        arena_free(&r->arena[k]);
    workload_free(&r->w);
}
