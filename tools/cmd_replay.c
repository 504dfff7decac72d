/* cmd_replay.c: `battrace replay`: the recorded work (or the recorded
 * programs on new samples) executed by the scheduler: merged, deduplicated,
 * levelled, grouped into launches, run on the CPU backend, then each unit
 * replayed with the results (docs/scheduler.md). */
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../runtime/xalloc.h"
#include "../cuda/batch.h"
#include "../cuda/cost.h"
#include "../scheduler/sched.h"
#include "../tracer/trace.h"
#include "commands.h"
#include "ordered.h"
#include "replay.h"
#include "rows.h"
#include "runner.h"

static const char replay_help[] =
    "usage: battrace replay TRACE [options]\n"
    "       battrace replay TRACE --tasks PATH [selection options] [options]\n"
    "\n"
    "Execute the work of a trace (made by `battrace record`) with the scheduler:\n"
    "the statement graphs of all units are merged, identical applications\n"
    "deduplicated, the graph levelled breadth-first and each level's identical\n"
    "operations grouped into launches, which run on the CPU backend; then every\n"
    "unit's statements are replayed with the results. With --tasks, the recorded\n"
    "programs run on the samples of PATH instead (I, S and C bound anew; closures\n"
    "whose callee depends on data are resolved again).\n"
    "\n"
    "options:\n"
    "  --policy depth|agenda  launch order: level by level (default), or DyNet's\n"
    "                         agenda (the ready operation with the lowest mean depth)\n"
    "  --threads N            threads (default 1): with 4 windows a thread or more,\n"
    "                         each replays whole windows in turn (lanes; rows still\n"
    "                         in unit order); else they share each window's launches\n"
    "                         (so always with --gpu, --gpu-host and --verify)\n"
    "  --verify               compare every statement's result with the recorded one,\n"
    "                         then record every unit again and compare every node\n"
    "                         (those inside closures too) with the trace; the first\n"
    "                         difference is named, exit 1 (the trace is read again a\n"
    "                         unit at a time for it: its nodes are never all in memory);\n"
    "                         units a time or memory budget ended, when recorded or\n"
    "                         now, are counted and not compared\n"
    "  --gpu                  run the launches that have a CUDA kernel, where the cost\n"
    "                         model finds it cheaper, on the GPU, grids staying on the\n"
    "                         device between levels (the other launches, and nodes a\n"
    "                         kernel cannot compute exactly, on the CPU); GPU counters\n"
    "                         are printed; exit 2 when there is no CUDA device\n"
    "  --gpu-host             the same path with the kernels' logic run on the CPU (for\n"
    "                         machines without a device; checks the wiring and parity)\n"
    "  --gpu-profile FILE     per-call CPU times for the cost model that picks, per\n"
    "                         launch, the kernels or the CPU (the JSON of `battrace\n"
    "                         profile --json`; else defaults): with --gpu always, with\n"
    "                         --gpu-host when given (else every launch takes the kernels)\n"
    "  --gpu-min-width N      no cost model: launches of N nodes or more take the kernels\n"
    "  --window N             schedule about N statements at a time (whole units;\n"
    "                         default 4096, with --gpu 1048576); 0: the whole trace\n"
    "                         as one graph, for the widest launches and the most dedup;\n"
    "                         with --threads above 1, a window also holds at most\n"
    "                         1/(16 x threads) of the units' recorded time\n"
    "  --json FILE            the rows `battrace run --json` writes (\"us\" is 0: units\n"
    "                         share their work here)\n"
    "  --tasks PATH, --mode, --split, --programs, --samples\n"
    "                         new samples, selected as in `battrace run --help`\n"
    "  --time-limit S, --mem-limit SIZE   budgets, per node here\n"
    "  --quiet                no statistics\n"
    "\n"
    "Statistics (summed over the windows): statements, distinct nodes after dedup,\n"
    "levels (the most in one window), launches, mean and max launch width, time per\n"
    "phase (summed over the lanes) and scheduling time per node, the most result\n"
    "memory one window held, the busiest lane's time from merge to replay, and the\n"
    "windows' wall time.\n"
    "Exit status: 0 done (and verified), 1 a verification difference or output that\n"
    "could not be written, 2 bad usage or a refused trace.\n";

typedef struct ReplayOptions {
    Selection sel;
    SchedPolicy policy;
    int threads, verify, quiet;
    int gpu;              /* SCHED_GPU_* */
    long gpu_min_width;   /* 0: the cost model decides */
    const char *gpu_profile; /* per-call CPU times for the cost model */
    long window;          /* statements per window; 0: one window; -1: the default */
    const char *json;
} ReplayOptions;

/* Units are scheduled a window at a time: a window's graph is merged,
 * planned and executed, its rows written, its results dropped. What a window
 * buys is locality: its hash tables and results stay in the caches and its
 * arenas are reused, where one graph of the whole trace kept every result
 * (2 KB a node) until the end, and spent more time on cache misses and page
 * faults than on the primitives. Breadth-first order writes each level's
 * results out before the next level reads them, so a window's result memory
 * is what the caches must hold: on the cross trace one window of 16384
 * statements (1474 units) held 210 MB and took 0.57 s of the 0.9 s of
 * execution. 4096 statements was the fastest of 1024 to 65536 on both bench
 * traces, with two lanes and on one thread; a batt window is then one
 * sample's unit, and the batt's dedup is 1.32x instead of 1.36x (65536). */
#define WINDOW_DEFAULT (1L << 12)
/* With --gpu, wider launches pay: a kernel launch and a transfer cost
 * microseconds whatever the batch's size. */
#define WINDOW_DEFAULT_GPU (1L << 20)

static void parse_args(int argc, char **argv, ReplayOptions *o, const char **trace)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(replay_help, stdout);
            exit(EXIT_OK);
        }
        if (selection_option(&o->sel, argc, argv, &i, "replay"))
            continue;
        if (!strcmp(a, "--policy") || !strcmp(a, "--threads") || !strcmp(a, "--json")) {
            const char *v = cli_need_value(argc, argv, &i, "replay");
            if (!strcmp(a, "--json")) {
                o->json = v;
            } else if (!strcmp(a, "--policy")) {
                if (!strcmp(v, "depth")) o->policy = POLICY_DEPTH;
                else if (!strcmp(v, "agenda")) o->policy = POLICY_AGENDA;
                else die_usage("replay", "--policy: expected depth or agenda, got '%s'", v);
            } else {
                char *end;
                long n = strtol(v, &end, 10);
                if (!*v || *end || n < 1 || n > 1024)
                    die_usage("replay", "--threads: expected 1 to 1024, got '%s'", v);
                o->threads = (int)n;
            }
        } else if (!strcmp(a, "--verify")) {
            o->verify = 1;
        } else if (!strcmp(a, "--gpu")) {
            o->gpu = SCHED_GPU_DEVICE;
        } else if (!strcmp(a, "--gpu-host")) {
            o->gpu = SCHED_GPU_HOST;
        } else if (!strcmp(a, "--gpu-min-width")) {
            char *end;
            const char *v = cli_need_value(argc, argv, &i, "replay");
            o->gpu_min_width = strtol(v, &end, 10);
            if (!*v || *end || o->gpu_min_width < 1)
                die_usage("replay", "--gpu-min-width: expected a positive integer, got '%s'", v);
        } else if (!strcmp(a, "--gpu-profile")) {
            o->gpu_profile = cli_need_value(argc, argv, &i, "replay");
        } else if (!strcmp(a, "--window")) {
            char *end;
            const char *v = cli_need_value(argc, argv, &i, "replay");
            o->window = strtol(v, &end, 10);
            if (!*v || *end || o->window < 0)
                die_usage("replay", "--window: expected a statement count (0: one window), got '%s'", v);
        } else if (!strcmp(a, "--quiet")) {
            o->quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            die_usage("replay", "unknown option '%s'", a);
        } else if (!*trace) {
            *trace = a;
        } else {
            die_usage("replay", "unexpected argument '%s'", a);
        }
    }
    if (!*trace)
        die_usage("replay", "missing TRACE");
}

Value replay_decode(ReplayJob *j, uint32_t id)
{
    Value v;
    if (vt_decode(&j->trace.values, &j->vctx, id, &v) != 0)
        return v_none();
    return v;
}

static void alloc_units(ReplayJob *j, size_t n)
{
    j->nunits = n;
    j->units = calloc(n + 1, sizeof *j->units);
    j->keys = calloc(n + 1, sizeof *j->keys);
    j->splits = calloc(n + 1, 1);
    j->indexes = calloc(n + 1, sizeof *j->indexes);
    j->expected = calloc(n + 1, sizeof *j->expected);
    j->has_output = calloc(n + 1, 1);
    j->names = calloc(n + 1, sizeof *j->names);
}

/* Units of the trace itself: its programs on its samples. */
static int units_from_trace(ReplayJob *j)
{
    alloc_units(j, j->trace.nunits);
    Value *in = calloc(j->trace.nsamples + 1, sizeof *in);
    Value *S = calloc(j->trace.nsamples + 1, sizeof *S);
    Value *out = calloc(j->trace.nsamples + 1, sizeof *out);
    for (uint32_t k = 0; k < j->trace.nsamples; k++) {
        const TraceSample *ts = &j->trace.samples[k];
        /* a task's samples are adjacent and share S: decoded once, one
         * object, so the scheduler knows it by its pointer instead of
         * hashing and comparing every train pair again per sample */
        const TraceSample *prev = k ? &j->trace.samples[k - 1] : NULL;
        in[k] = replay_decode(j, ts->input);
        S[k] = prev && prev->S == ts->S ? S[k - 1] : replay_decode(j, ts->S);
        out[k] = ts->has_output ? replay_decode(j, ts->output) : v_none();
    }
    for (size_t u = 0; u < j->nunits; u++) {
        const TraceUnit *tu = &j->trace.units[u];
        const TraceSample *ts = &j->trace.samples[tu->sample];
        j->units[u] = (SchedUnit){tu->program, in[tu->sample], S[tu->sample], out[tu->sample], ts->key};
        j->keys[u] = ts->key;
        j->splits[u] = ts->split;
        j->indexes[u] = ts->index;
        j->expected[u] = out[tu->sample];
        j->has_output[u] = ts->has_output;
        j->names[u] = j->trace.programs[tu->program];
    }
    free(in);
    free(S);
    free(out);
    return EXIT_OK;
}

static void add_unit(ReplayJob *j, size_t *n, uint32_t program, const SampleRef *s)
{
    const Task *task = &j->w.ts.tasks[s->task];
    Value expect = s->sample->has_output ? s->sample->output : v_none();
    j->units[*n] = (SchedUnit){program, s->sample->input, task->S, expect, task->key};
    j->keys[*n] = task->key;
    j->splits[*n] = (uint8_t)s->split;
    j->indexes[*n] = (uint32_t)s->index;
    j->expected[*n] = expect;
    j->has_output[*n] = (uint8_t)s->sample->has_output;
    j->names[*n] = j->w.programs[program]->name;
    ++*n;
}

/* Units of new samples, in run's order. */
static void units_from_tasks(ReplayJob *j, const Selection *sel)
{
    size_t cap = j->w.pf.is_batt ? j->w.nsamples : j->w.nprograms * j->w.nsamples, n = 0;
    alloc_units(j, cap);
    if (j->w.pf.is_batt) {
        for (size_t si = 0; si < j->w.nsamples; si++)
            add_unit(j, &n, 0, &j->w.samples[si]);
    } else {
        for (size_t pi = 0; pi < j->w.nprograms; pi++) {
            long own = taskset_find(&j->w.ts, j->w.programs[pi]->task);
            for (size_t si = 0; si < j->w.nsamples; si++)
                if (sel->mode == MODE_CROSS || (long)j->w.samples[si].task == own)
                    add_unit(j, &n, (uint32_t)pi, &j->w.samples[si]);
        }
    }
    j->nunits = n;
}

/* The programs in the trace's run order, parsed from its source. */
static int programs_from_trace(ReplayJob *j)
{
    char err[1024];
    if (program_parse(j->trace_path, j->trace.source, &j->w.pf, err, sizeof err) != 0) {
        fprintf(stderr, "battrace replay: the trace's program source does not parse: %s\n", err);
        return EXIT_USAGE;
    }
    j->w.nprograms = j->trace.nprograms;
    j->w.programs = calloc(j->w.nprograms + 1, sizeof *j->w.programs);
    for (uint32_t k = 0; k < j->trace.nprograms; k++) {
        for (size_t q = 0; q < j->w.pf.nprograms; q++)
            if (!strcmp(j->w.pf.programs[q].name, j->trace.programs[k]))
                j->w.programs[k] = &j->w.pf.programs[q];
        if (!j->w.programs[k]) {
            fprintf(stderr, "battrace replay: %s: program %s is not in the trace's source\n",
                    j->trace_path, j->trace.programs[k]);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

/* ---- rows and statistics ---- */

/* The rows of units [u0, u1), which s scheduled (as its units 0..). */
static void write_rows(ReplayJob *j, Sched *s, size_t u0, size_t u1, FILE *f)
{
    Arena a;
    arena_init(&a);
    Ctx ctx;
    ctx_init(&ctx, &a);
    StrBuf row;
    sb_init(&row);
    for (size_t u = u0; u < u1; u++) {
        arena_reset(&a);
        UnitResult r;
        sched_unit_result(s, u - u0, &ctx, &r);
        sb_clear(&row);
        if (j->w.pf.is_batt) {
            row_batt(&row, j->keys[u], (Split)j->splits[u], j->indexes[u], 0, r.err, r.o, r.s, r.err_c, r.s_c);
        } else {
            int match = !r.err && j->has_output[u] && v_eq(r.out, j->expected[u]);
            row_solver(&row, j->names[u], j->keys[u], (Split)j->splits[u], j->indexes[u], 0, r.err, r.out, match);
        }
        if (fwrite(row.data, 1, row.len, f) != row.len)
            break; /* cli_close_out reports it */
    }
    sb_free(&row);
    arena_free(&a);
}

/* May whole windows go to lanes (see "window lanes")? With more than one
 * thread, and neither --gpu nor --verify, which keep one sequence of
 * windows. */
static bool lanes_allowed(const ReplayOptions *o) { return o->threads > 1 && !o->gpu && !o->verify; }

/* Each unit's expected cost, to share windows out to lanes: its recorded
 * time; on new samples (--tasks), its program's mean recorded time (a
 * program the trace does not name: the mean of all). */
static uint64_t *unit_costs(const ReplayJob *j)
{
    const Trace *t = &j->trace;
    uint64_t *cost = xcalloc(j->nunits + 1, sizeof *cost);
    if (j->from_trace) {
        for (size_t u = 0; u < j->nunits; u++)
            cost[u] = t->units[u].us + 1;
        return cost;
    }
    uint64_t *sum = xcalloc(t->nprograms + 1, sizeof *sum), all = 0;
    uint32_t *n = xcalloc(t->nprograms + 1, sizeof *n);
    for (size_t u = 0; u < t->nunits; u++) {
        sum[t->units[u].program] += t->units[u].us + 1;
        n[t->units[u].program]++;
        all += t->units[u].us + 1;
    }
    uint64_t mean = t->nunits ? all / t->nunits : 1;
    /* per program of the workload, by name (the selection may differ) */
    uint64_t *of_program = xcalloc(j->w.nprograms + 1, sizeof *of_program);
    for (size_t q = 0; q < j->w.nprograms; q++) {
        of_program[q] = mean;
        for (uint32_t p = 0; p < t->nprograms; p++)
            if (n[p] && !strcmp(t->programs[p], j->w.programs[q]->name)) {
                of_program[q] = sum[p] / n[p];
                break;
            }
    }
    for (size_t u = 0; u < j->nunits; u++)
        cost[u] = of_program[j->units[u].program];
    free(of_program);
    free(sum);
    free(n);
    return cost;
}

/* The window starting at unit u0: whole units, about `budget` statements
 * (the programs' statement counts) and at most `time_budget` of expected
 * cost (costs NULL: no such limit), at least one unit. */
static size_t window_end(const ReplayJob *j, size_t u0, long budget, const uint64_t *costs, uint64_t time_budget)
{
    if (budget <= 0)
        return j->nunits;
    uint64_t n = 0, spent = 0, calls = j->w.pf.is_batt ? 2 : 1;
    size_t u = u0;
    do {
        n += j->w.programs[j->units[u].program]->nstmts * calls;
        spent += costs ? costs[u] : 0;
        u++;
    } while (u < j->nunits && n + j->w.programs[j->units[u].program]->nstmts * calls <= (uint64_t)budget &&
             (!costs || spent + costs[u] <= time_budget));
    return u;
}

/* Window bounds into bounds[0..]; returns how many. With lanes in view
 * (threads > 1), a window also holds at most 1/(LANES_SHARE * threads) of
 * the expected cost: a program that runs long on every sample (the
 * training set's solve_d22278a0 takes 90% of a cross run) would otherwise
 * fill a few windows of its own, and one lane would run them all while the
 * other sat idle (400 solvers on 100 samples: the busiest of 2 lanes 8.3 s,
 * run 8.1 s). */
#define LANES_SHARE 16
static size_t cut_windows(const ReplayJob *j, const ReplayOptions *o, size_t *bounds)
{
    uint64_t *costs = NULL, time_budget = 0;
    if (lanes_allowed(o) && o->window > 0) {
        costs = unit_costs(j);
        uint64_t all = 0;
        for (size_t u = 0; u < j->nunits; u++)
            all += costs[u];
        time_budget = all / ((uint64_t)LANES_SHARE * (uint64_t)o->threads) + 1;
    }
    size_t windows = 0;
    for (size_t u0 = 0; u0 < j->nunits; windows++)
        bounds[windows + 1] = u0 = window_end(j, u0, o->window, costs, time_budget);
    free(costs);
    return windows;
}

/* Totals over the windows. */
static void add_stats(SchedStats *t, const SchedStats *w)
{
    uint64_t launches = t->launches + w->launches;
    t->mean_width = launches ? (t->mean_width * (double)t->launches + w->mean_width * (double)w->launches) /
                                   (double)launches : 0.0;
    t->launches = launches;
    t->statements += w->statements;
    t->nodes += w->nodes;
    t->levels = w->levels > t->levels ? w->levels : t->levels;
    t->max_width = w->max_width > t->max_width ? w->max_width : t->max_width;
    t->build_ns += w->build_ns;
    t->plan_ns += w->plan_ns;
    t->exec_ns += w->exec_ns;
    t->replay_ns += w->replay_ns;
    t->nodes_run += w->nodes_run;
    t->nodes_failed += w->nodes_failed;
    t->result_bytes = w->result_bytes > t->result_bytes ? w->result_bytes : t->result_bytes;
    SchedGpuStats *g = &t->gpu;
    const SchedGpuStats *h = &w->gpu;
    g->batches += h->batches;
    g->kernel_launches += h->kernel_launches;
    g->nodes_device += h->nodes_device;
    g->nodes_host += h->nodes_host;
    g->nodes_cpu_nokernel += h->nodes_cpu_nokernel;
    g->nodes_cpu_costmodel += h->nodes_cpu_costmodel;
    g->nodes_cpu_ineligible += h->nodes_cpu_ineligible;
    g->bytes_to_device += h->bytes_to_device;
    g->bytes_from_device += h->bytes_from_device;
    g->args_resident += h->args_resident;
    g->args_uploaded += h->args_uploaded;
    g->results_resident += h->results_resident;
    g->materialized += h->materialized;
    g->store_full += h->store_full;
    g->device_errors += h->device_errors;
    g->gpu_ns += h->gpu_ns;
}

static void print_stats(const SchedStats *st, FILE *to, SchedPolicy policy, int threads, int lanes, size_t windows,
                        uint64_t busiest, uint64_t wall)
{
    double per_stmt = st->statements ? (double)st->build_ns / (double)st->statements : 0.0;
    double per_node = st->nodes ? (double)st->plan_ns / (double)st->nodes : 0.0;
    double sched_per_node = st->nodes ? (double)(st->build_ns + st->plan_ns) / (double)st->nodes : 0.0;
    fprintf(to, "battrace replay: %zu window%s: %llu statements -> %llu distinct nodes (dedup %.2fx), "
                "%llu levels, %llu launches (policy %s), width mean %.1f max %llu\n",
            windows, windows == 1 ? "" : "s", (unsigned long long)st->statements, (unsigned long long)st->nodes,
            st->nodes ? (double)st->statements / (double)st->nodes : 0.0, (unsigned long long)st->levels,
            (unsigned long long)st->launches, policy == POLICY_AGENDA ? "agenda" : "depth",
            st->mean_width, (unsigned long long)st->max_width);
    char on[96];
    if (lanes > 1)
        snprintf(on, sizeof on, "summed over %d lanes of a thread each", lanes);
    else
        snprintf(on, sizeof on, "on %d thread%s", threads, threads == 1 ? "" : "s");
    fprintf(to, "battrace replay: merge+dedup %.1f ms (%.0f ns per statement), levels+plan %.1f ms "
                "(%.0f ns per node), execute %.1f ms (%llu nodes run, %llu raised, "
                "results at most %.1f MB), replay %.1f ms, %s; scheduling (merge to plan) %.0f ns per node\n",
            (double)st->build_ns / 1e6, per_stmt, (double)st->plan_ns / 1e6, per_node,
            (double)st->exec_ns / 1e6, (unsigned long long)st->nodes_run, (unsigned long long)st->nodes_failed,
            (double)st->result_bytes / 1e6, (double)st->replay_ns / 1e6, on, sched_per_node);
    fprintf(to, "battrace replay: merge to replay, the busiest of %d lane%s: %.1f ms; the windows' wall time "
                "%.1f ms (writing rows included)\n",
            lanes, lanes == 1 ? "" : "s", (double)busiest / 1e6, (double)wall / 1e6);
}

static void print_gpu_stats(const SchedGpuStats *g, FILE *to, int mode)
{
    fprintf(to, "battrace replay: %s: %llu batches, %llu kernel launches, nodes on the %s %llu, "
                "on the CPU %llu (no kernel %llu, kept on the CPU by the cost model %llu, "
                "not computable by the kernels %llu), %llu bytes to the device, %llu from it, "
                "%.1f ms in the kernel backend%s\n",
            mode == SCHED_GPU_HOST ? "kernel backend (host)" : "GPU",
            (unsigned long long)g->batches, (unsigned long long)g->kernel_launches,
            mode == SCHED_GPU_HOST ? "host backend" : "GPU",
            (unsigned long long)(mode == SCHED_GPU_HOST ? g->nodes_host : g->nodes_device),
            (unsigned long long)(g->nodes_cpu_nokernel + g->nodes_cpu_costmodel + g->nodes_cpu_ineligible),
            (unsigned long long)g->nodes_cpu_nokernel, (unsigned long long)g->nodes_cpu_costmodel,
            (unsigned long long)g->nodes_cpu_ineligible, (unsigned long long)g->bytes_to_device,
            (unsigned long long)g->bytes_from_device, (double)g->gpu_ns / 1e6,
            g->device_errors ? " (device errors!)" : "");
    fprintf(to, "battrace replay: %s value store: grid arguments read in place %llu, uploaded %llu; grid "
                "results left there %llu, brought down %llu; batches refused for room %llu; device errors %llu\n",
            mode == SCHED_GPU_HOST ? "host stand-in" : "device", (unsigned long long)g->args_resident,
            (unsigned long long)g->args_uploaded, (unsigned long long)g->results_resident,
            (unsigned long long)g->materialized, (unsigned long long)g->store_full,
            (unsigned long long)g->device_errors);
}

static int load(ReplayJob *j, const ReplayOptions *o)
{
    char err[1024];
    /* no nodes: --verify reads them a unit at a time (replay_verify.c) */
    if (trace_read_ex(j->trace_path, TRACE_READ_NO_NODES, &j->trace, err, sizeof err) != 0) {
        fprintf(stderr, "battrace replay: %s\n", err);
        return EXIT_USAGE;
    }
    arena_init(&j->values);
    ctx_init(&j->vctx, &j->values);
    j->vctx.mem_limit = (size_t)-1;
    if (o->sel.tasks_path) {
        Selection sel = o->sel;
        sel.programs_path = j->trace_path;
        int rc = workload_load_source(&sel, j->trace_path, j->trace.source, &j->w);
        if (rc)
            return rc;
        units_from_tasks(j, &sel);
        return EXIT_OK;
    }
    j->from_trace = 1;
    int rc = programs_from_trace(j);
    return rc ? rc : units_from_trace(j);
}

static void unload(ReplayJob *j)
{
    free(j->units);
    free(j->keys);
    free(j->splits);
    free(j->indexes);
    free(j->expected);
    free(j->has_output);
    free(j->names);
    if (j->from_trace) {
        free(j->w.programs);
        program_free(&j->w.pf);
    } else {
        workload_free(&j->w);
    }
    arena_free(&j->values);
    trace_free(&j->trace);
}

/* Merge, plan and execute units [u0, u1); write their rows; check them. */
static int replay_window(ReplayJob *j, const ReplayOptions *o, size_t u0, size_t u1, FILE *rows, Verifier *v,
                         SchedShared *shared, SchedArenas *arenas, const GpuCost *cost, SchedStats *total,
                         int threads)
{
    Sched *s = sched_build_in(shared, j->units + u0, u1 - u0, o->sel.time_limit, o->sel.mem_limit);
    if (!s) {
        fprintf(stderr, "battrace replay: the graph is too large for this build (try a smaller --window)\n");
        return EXIT_FAIL;
    }
    sched_plan(s, o->policy);
    if (o->gpu) {
        sched_set_gpu(s, o->gpu, (uint32_t)o->gpu_min_width, cost);
        sched_gpu_download_all(s, v != NULL);
    }
    sched_execute_in(s, threads, arenas);
    if (rows)
        write_rows(j, s, u0, u1, rows);
    int rc = v ? verifier_window(v, s, u0, u1) : EXIT_OK;
    add_stats(total, sched_stats(s));
    sched_free(s);
    return rc;
}

/* The work of a window, merge to replay: what a lane spends on it, the
 * encoding of rows left out (as run's time inside programs leaves it out). */
static uint64_t window_work_ns(const SchedStats *st)
{
    return st->build_ns + st->plan_ns + st->exec_ns + st->replay_ns;
}

/* ---- window lanes ---- */

/* With --threads N above 1 and windows enough (LANES_MIN_WINDOWS per lane;
 * neither --gpu nor --verify, which keep one sequence of windows), N lanes
 * replay whole windows side by side, each on a thread of its own with its
 * own SchedShared and arenas, so that a window's merge, plan, execution and
 * rows touch only memory of its lane. Nodes of one window shared out to
 * threads moved their cache lines from core to core (a line takes about
 * 200 ns between this machine's two cores) and held two threads to 1.2x
 * one, with merging and planning left on one thread. Rows still come out in
 * unit order: a finished window's rows wait in memory for the windows
 * before it (at most LANES_AHEAD windows), and whichever lane finishes the
 * first missing one writes what is ready. With fewer windows, the last ones
 * would leave a lane idle: the threads share each window's nodes instead. */
#define LANES_MIN_WINDOWS 4
/* A lane takes no window more than this many past the first whose rows are
 * not written: behind one slow window, the others' rows wait in memory. */
#define LANES_AHEAD 256

typedef struct Lanes {
    ReplayJob *j;
    const ReplayOptions *o;
    const size_t *bounds; /* window w: units [bounds[w], bounds[w + 1]) */
    size_t nwindows;
    atomic_size_t next;   /* the next window a lane takes */
    OrderedOut out;       /* a window's rows are its piece */
    Progress progress;    /* updated as windows are written (under out's lock) */
} Lanes;

typedef struct Lane {
    Lanes *ls;
    SchedShared *shared;
    SchedArenas arenas;
    SchedStats total;  /* over its windows */
    uint64_t work_ns;  /* window_work_ns summed over its windows */
    pthread_t tid;
} Lane;

static void window_written(void *data, size_t w)
{
    Lanes *ls = data;
    progress_update(&ls->progress, ls->bounds[w + 1]);
}

/* Window w is finished (rows in buf): hand them over; after a failure,
 * here or in a write, the lanes take no more windows. */
static void lanes_finish(Lanes *ls, size_t w, char *buf, size_t len, int rc)
{
    if (ordered_put(&ls->out, w, buf, len, rc))
        atomic_store(&ls->next, ls->nwindows);
}

static void *lane_main(void *arg)
{
    Lane *l = arg;
    Lanes *ls = l->ls;
    for (;;) {
        size_t w = atomic_fetch_add(&ls->next, 1);
        if (w >= ls->nwindows || !ordered_may_take(&ls->out, w, LANES_AHEAD))
            return NULL;
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = ls->out.f ? open_memstream(&buf, &len) : NULL;
        if (ls->out.f && !mem) {
            perror("battrace replay: rows");
            lanes_finish(ls, w, NULL, 0, EXIT_FAIL);
            continue;
        }
        SchedStats st = {0};
        int rc = replay_window(ls->j, ls->o, ls->bounds[w], ls->bounds[w + 1], mem, NULL, l->shared, &l->arenas,
                               NULL, &st, 1);
        if (mem && fclose(mem) != 0)
            rc = rc ? rc : EXIT_FAIL;
        l->work_ns += window_work_ns(&st);
        add_stats(&l->total, &st);
        lanes_finish(ls, w, buf, len, rc);
    }
}

/* Replay the windows `bounds` describes on o->threads lanes; the busiest
 * lane's work into *busiest. */
static int replay_lanes(ReplayJob *j, const ReplayOptions *o, const size_t *bounds, size_t nwindows, FILE *rows,
                        SchedStats *total, uint64_t *busiest)
{
    int n = o->threads;
    Lanes ls = {.j = j, .o = o, .bounds = bounds, .nwindows = nwindows};
    atomic_init(&ls.next, 0);
    ordered_init(&ls.out, nwindows, rows);
    ls.out.on_written = window_written;
    ls.out.data = &ls;
    progress_begin(&ls.progress, "replay", "units", j->nunits, o->quiet);
    Lane *lane = xcalloc((size_t)n, sizeof *lane);
    for (int k = 0; k < n; k++) {
        lane[k].ls = &ls;
        lane[k].shared = sched_shared_new(j->w.programs, j->w.nprograms, j->w.pf.is_batt);
        sched_arenas_init(&lane[k].arenas, 1);
    }
    for (int k = 1; k < n; k++)
        xthread_create(&lane[k].tid, lane_main, &lane[k], "a worker thread");
    lane_main(&lane[0]);
    for (int k = 1; k < n; k++)
        pthread_join(lane[k].tid, NULL);
    *busiest = 0;
    for (int k = 0; k < n; k++) {
        *busiest = lane[k].work_ns > *busiest ? lane[k].work_ns : *busiest;
        add_stats(total, &lane[k].total);
        sched_shared_free(lane[k].shared);
        sched_arenas_free(&lane[k].arenas);
    }
    free(lane);
    int rc = ls.out.rc;
    ordered_free(&ls.out);
    return rc;
}

int cmd_replay(int argc, char **argv)
{
    ReplayOptions o = {.policy = POLICY_DEPTH, .threads = 1, .window = -1};
    selection_defaults(&o.sel);
    const char *trace_path = NULL;
    parse_args(argc, argv, &o, &trace_path);
    if (o.verify && o.sel.tasks_path)
        die_usage("replay", "--verify compares with the trace's own samples: it cannot go with --tasks");
    if (o.gpu == SCHED_GPU_DEVICE && gpu_device_count() == 0) {
        fprintf(stderr, "battrace replay: --gpu: no CUDA device here (no GPU, no driver, or a build "
                        "without nvcc); --gpu-host runs the same kernels' logic on the CPU\n");
        return EXIT_USAGE;
    }
    if (o.gpu_profile && !o.gpu)
        die_usage("replay", "--gpu-profile feeds the cost model of --gpu or --gpu-host: give one of them");
    if (o.gpu_profile && o.gpu_min_width)
        die_usage("replay", "--gpu-profile and --gpu-min-width are two ways to choose: give one");
    if (o.window < 0)
        o.window = o.gpu ? WINDOW_DEFAULT_GPU : WINDOW_DEFAULT;
    GpuCost model, *cost = NULL;
    if (o.gpu && !o.gpu_min_width && (o.gpu == SCHED_GPU_DEVICE || o.gpu_profile)) {
        char err[600];
        gpu_cost_defaults(&model);
        if (o.gpu_profile && gpu_cost_load_profile(&model, o.gpu_profile, err, sizeof err)) {
            fprintf(stderr, "battrace replay: --gpu-profile: %s\n", err);
            return EXIT_USAGE;
        }
        cost = &model;
    } else if (o.gpu && !o.gpu_min_width) {
        o.gpu_min_width = 1; /* --gpu-host alone: every launch through the kernels' logic */
    }
#ifdef M_MMAP_THRESHOLD
    /* each window allocates and frees tables of tens of MB: kept in the heap
     * (not mapped and unmapped each time) they fault in once */
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
    ReplayJob *j = calloc(1, sizeof *j);
    j->trace_path = trace_path;
    int rc = load(j, &o);
    FILE *rows = NULL;
    if (!rc && o.json && !(rows = cli_open_out("replay", o.json)))
        rc = EXIT_FAIL;
    Verifier *v = !rc && o.verify ? verifier_open(j, o.quiet, &rc) : NULL;
    SchedStats total = {0};
    size_t *bounds = xcalloc(j->nunits + 2, sizeof *bounds);
    size_t windows = rc ? 0 : cut_windows(j, &o, bounds);
    /* lanes where there are windows enough to share out evenly (a lane
     * takes a window at a time, so the last ones decide when all are done);
     * else the threads share each window's nodes */
    int lanes = lanes_allowed(&o) && windows >= LANES_MIN_WINDOWS * (size_t)o.threads ? o.threads : 1;
    uint64_t busiest = 0, wall = now_ns(); /* the work of the busiest lane; the windows' wall time */
    if (!rc && lanes > 1) {
        rc = replay_lanes(j, &o, bounds, windows, rows, &total, &busiest);
    } else if (!rc) {
        SchedArenas arenas;
        sched_arenas_init(&arenas, o.threads);
        SchedShared *shared = sched_shared_new(j->w.programs, j->w.nprograms, j->w.pf.is_batt);
        Progress pg;
        progress_begin(&pg, "replay", "units", j->nunits, o.quiet);
        for (size_t w = 0; !rc && w < windows; w++) {
            rc = replay_window(j, &o, bounds[w], bounds[w + 1], rows, v, shared, &arenas, cost,
                               &total, o.threads);
            progress_update(&pg, bounds[w + 1]);
        }
        busiest = window_work_ns(&total);
        sched_shared_free(shared);
        sched_arenas_free(&arenas);
    }
    wall = now_ns() - wall;
    free(bounds);
    if (rows && cli_close_out("replay", rows, o.json) && !rc)
        rc = EXIT_FAIL;
    if (!rc && v)
        rc = verifier_finish(v, o.sel.time_limit, o.quiet);
    verifier_close(v);
    if (!rc && !o.quiet) {
        FILE *to = o.json && !strcmp(o.json, "-") ? stderr : stdout;
        print_stats(&total, to, o.policy, o.threads, lanes, windows, busiest, wall);
        if (o.gpu)
            print_gpu_stats(&total.gpu, to, o.gpu);
    }
    unload(j);
    free(j);
    return rc;
}
