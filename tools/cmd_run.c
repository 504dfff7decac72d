/* cmd_run.c: `battrace run`: every selected program on every selected sample,
 * sequentially, printing pyref.py's rows with --json and a summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../runtime/encode.h"
#include "../runtime/interp.h"
#include "../runtime/limits.h"
#include "cli.h"
#include "rows.h"
#include "commands.h"

static const char run_help[] =
    "usage: battrace run PROGRAMS --tasks PATH [options]\n"
    "\n"
    "Run arc-dsl programs on ARC samples with the sequential interpreter.\n"
    "PROGRAMS is a solver file (def solve_<task>(I): ...) or a batt file\n"
    "(def batt(task_id, S, I, C, log_path): ...). PATH is a task file, a directory\n"
    "of task files, a re-arc file or a Kaggle *_challenges.json/*_solutions.json pair.\n"
    "\n"
    "options:\n"
    "  --mode own|cross      own: each solver on its own task's samples (default);\n"
    "                        cross: every solver on every sample\n"
    "  --split train|test|all  which samples (default all: train, then test)\n"
    "  --programs N          only the first N programs (sorted by name)\n"
    "  --samples N           only the first N samples (tasks sorted by key)\n"
    "  --json FILE           write one JSON row per run, as pyref.py does ('-': stdout)\n"
    "  --time-limit S        seconds one run may take (default 120): TimeoutError\n"
    "  --mem-limit SIZE      memory one run may allocate, e.g. 2G (default 6G): MemoryError\n"
    "  --quiet               no progress line and no summary\n"
    "\n"
    "Limits: a tuple or set holds at most 67108864 items (MemoryError past it);\n"
    "integers are 64-bit (OverflowError past it); closures nest at most 990 deep\n"
    "and power(f, n) needs 1 <= n <= 990 (RecursionError, as in Python).\n"
    "A batt sample is two calls (C=None, then C=expected output), as SPEC section 5 says.\n"
    "Exit status: 0 when the work ran (whatever the programs returned), 1 when output\n"
    "could not be written, 2 on bad usage, programs or tasks.\n";

typedef struct RunStats {
    size_t runs, returned, matched, samples_matched, tasks_solved;
    uint64_t inside_ns;
} RunStats;

typedef struct Runner {
    Workload w;
    Selection sel;
    FILE *json;
    int quiet;
    Arena arena;
    Ctx ctx;
    StrBuf row;
    RunStats st;
    uint64_t started, last_progress;
    size_t total_runs;
    unsigned char *task_solved;
    uint8_t *c_taint; /* batt: statements that depend on C */
} Runner;

static void progress(Runner *r)
{
    if (r->quiet || !isatty(2))
        return;
    uint64_t t = now_ns();
    if (t - r->last_progress < 250000000ull && r->st.runs != r->total_runs)
        return;
    r->last_progress = t;
    fprintf(stderr, "\rbattrace run: %zu/%zu runs (%.0f%%), %.1f s", r->st.runs, r->total_runs,
            r->total_runs ? 100.0 * (double)r->st.runs / (double)r->total_runs : 100.0,
            (double)(t - r->started) / 1e9);
    if (r->st.runs == r->total_runs)
        fputc('\n', stderr);
}

static int write_row(Runner *r)
{
    if (r->json && fwrite(r->row.data, 1, r->row.len, r->json) != r->row.len) {
        perror("battrace run: writing rows");
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

static void begin_run(Runner *r)
{
    arena_reset(&r->arena);
    ctx_begin_run(&r->ctx, r->sel.time_limit);
}

/* One solver on one sample. Returns whether it matched. */
static int run_solver_once(Runner *r, const Program *p, const SampleRef *s, int *write_err)
{
    const Task *task = &r->w.ts.tasks[s->task];
    Inputs in = {s->sample->input, task->S, v_none(), task->key};
    Value out;
    begin_run(r);
    uint64_t t0 = now_ns();
    Err e = interp_solver(&r->ctx, p, &in, &out);
    uint64_t dt = now_ns() - t0;
    r->st.inside_ns += dt;
    r->st.runs++;
    int match = !e && s->sample->has_output && v_eq(out, s->sample->output);
    if (!e) {
        r->st.returned++;
        r->st.matched += match;
    }
    sb_clear(&r->row);
    row_solver(&r->row, p->name, task->key, s->split, s->index, (dt + 500) / 1000, e, out, match);
    *write_err = write_row(r);
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
            int m = run_solver_once(r, p, s, &werr);
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
static int run_batt_once(Runner *r, const Program *p, const SampleRef *s, int *write_err)
{
    const Task *task = &r->w.ts.tasks[s->task];
    Value expect = s->sample->has_output ? s->sample->output : v_none();
    Inputs first = {s->sample->input, task->S, v_none(), task->key};
    BattPair res;
    begin_run(r);
    uint64_t t0 = now_ns();
    interp_batt_pair(&r->ctx, p, r->c_taint, &first, expect, r->sel.time_limit, &res);
    uint64_t dt = now_ns() - t0;
    Err e1 = res.err, e2 = res.err_c;
    Value o = res.o, sv = res.s, s_c = res.s_c;
    r->st.inside_ns += dt;
    r->st.runs++;
    size_t matched = e1 ? 0 : batt_matches(o, expect);
    r->st.matched += matched;
    sb_clear(&r->row);
    row_batt(&r->row, task->key, s->split, s->index, (dt + 500) / 1000, e1, o, sv, e2, s_c);
    *write_err = write_row(r);
    return matched > 0 && s->sample->has_output;
}

static int run_batt(Runner *r)
{
    const Program *p = r->w.programs[0];
    r->c_taint = malloc(p->nstmts + 1);
    interp_c_taint(p, r->c_taint);
    size_t si = 0;
    while (si < r->w.nsamples) {
        size_t task = r->w.samples[si].task, all = 0, ok = 0;
        for (; si < r->w.nsamples && r->w.samples[si].task == task; si++) {
            int werr;
            int m = run_batt_once(r, p, &r->w.samples[si], &werr);
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

static void summary(Runner *r, FILE *to)
{
    for (size_t t = 0; t < r->w.ts.ntasks; t++)
        r->st.tasks_solved += r->task_solved[t];
    double wall = (double)(now_ns() - r->started) / 1e9, inside = (double)r->st.inside_ns / 1e9;
    if (r->w.pf.is_batt)
        fprintf(to, "battrace run: batt on %zu samples (%zu calls), %zu exact outputs, "
                    "%zu samples matched, %zu tasks solved, %.3f s inside batt (%.1f us/sample), "
                    "%.3f s in all\n",
                r->st.runs, 2 * r->st.runs, r->st.matched, r->st.samples_matched,
                r->st.tasks_solved, inside, r->st.runs ? 1e6 * inside / (double)r->st.runs : 0.0,
                wall);
    else
        fprintf(to, "battrace run: %zu programs, %zu runs, %zu returned, %zu matched, "
                    "%zu tasks solved, %.3f s inside programs (%.1f us/run), %.3f s in all\n",
                r->w.nprograms, r->st.runs, r->st.returned, r->st.matched, r->st.tasks_solved,
                inside, r->st.runs ? 1e6 * inside / (double)r->st.runs : 0.0, wall);
}

int cmd_run(int argc, char **argv)
{
    Runner r;
    memset(&r, 0, sizeof r);
    selection_defaults(&r.sel);
    const char *json_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(run_help, stdout);
            return EXIT_OK;
        }
        if (selection_option(&r.sel, argc, argv, &i, "run"))
            continue;
        if (!strcmp(a, "--json")) {
            if (i + 1 >= argc)
                die_usage("run", "option --json needs a value");
            json_path = argv[++i];
        } else if (!strcmp(a, "--quiet")) {
            r.quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            die_usage("run", "unknown option '%s'", a);
        } else if (!r.sel.programs_path) {
            r.sel.programs_path = a;
        } else {
            die_usage("run", "unexpected argument '%s'", a);
        }
    }
    if (!r.sel.programs_path)
        die_usage("run", "missing PROGRAMS");
    if (!r.sel.tasks_path)
        die_usage("run", "missing --tasks PATH");
    int rc = workload_load(&r.sel, &r.w);
    if (rc)
        return rc;
    if (json_path) {
        r.json = strcmp(json_path, "-") ? fopen(json_path, "w") : stdout;
        if (!r.json) {
            fprintf(stderr, "battrace run: %s: cannot open for writing: ", json_path);
            perror(NULL);
            workload_free(&r.w);
            return EXIT_FAIL;
        }
    }
    arena_init(&r.arena);
    ctx_init(&r.ctx, &r.arena);
    r.ctx.mem_limit = r.sel.mem_limit;
    sb_init(&r.row);
    r.task_solved = calloc(r.w.ts.ntasks + 1, 1);
    r.total_runs = count_runs(&r);
    r.started = r.last_progress = now_ns();
    rc = r.w.pf.is_batt ? run_batt(&r) : run_solvers(&r);
    if (r.json && r.json != stdout && fclose(r.json) != 0 && !rc) {
        perror("battrace run: closing the rows file");
        rc = EXIT_FAIL;
    } else if (r.json == stdout) {
        fflush(stdout);
    }
    if (!r.quiet)
        summary(&r, r.json == stdout ? stderr : stdout);
    free(r.task_solved);
    free(r.c_taint);
    sb_free(&r.row);
    arena_free(&r.arena);
    workload_free(&r.w);
    return rc;
}
