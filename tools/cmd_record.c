/* cmd_record.c: `battrace record`: run the selected work in tracing mode and
 * write a trace (docs/trace-format.md). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tracer/record.h"
#include "commands.h"
#include "runner.h"

#define BATTRACE_TOOL "battrace 0.1.0"

static const char record_help[] =
    "usage: battrace record PROGRAMS --tasks PATH -o TRACE [options]\n"
    "\n"
    "Run every selected program on every selected sample, as `battrace run` does,\n"
    "and record each unit's resolved DSL call graph into TRACE: one node per\n"
    "primitive application (the applications higher-order primitives make through\n"
    "closures included, linked to the call that made them), the arguments'\n"
    "provenance, each distinct value once, and the final outputs\n"
    "(format: docs/trace-format.md). The file is written atomically: it is\n"
    "TRACE.tmp.<pid> until complete, then renamed; interrupted (Ctrl-C, SIGTERM,\n"
    "SIGHUP), record removes that file and ends as the signal would.\n"
    "\n"
    "options:\n"
    "  -o, --output TRACE    the trace file to write (required): a file, since it is\n                        written beside it and renamed into place\n"
    "  --mode, --split, --programs, --samples, --time-limit, --mem-limit\n"
    "                        select and bound the work as in `battrace run --help`\n"
    "  --json FILE           also write run's rows\n"
    "  --max-nested N        nodes recorded inside closures per unit (default 2000000);\n"
    "                        past it they are counted (META nested_dropped), not recorded\n"
    "  --no-times            measure no node's self time (self_ns 0; META times\n"
    "                        false): no clock is read, about a tenth less time;\n"
    "                        for traces made to be replayed, not profiled\n"
    "  --threads N           2 (default): a second thread writes each unit while the\n"
    "                        next one runs; 1: each unit is written when it ends, on\n"
    "                        the thread that ran it: slower, but less CPU in all\n"
    "                        (for many recordings at once)\n"
    "  --quiet               no progress line and no summary\n"
    "\n"
    "Then: `battrace inspect TRACE`, `battrace profile TRACE`.\n"
    "Exit status: 0 written, 1 the trace could not be written, 2 bad usage or input.\n";

typedef struct RecordJob {
    Runner run;
    Recorder rec;
    Trace trace;
    TraceWriter *writer;
} RecordJob;

static void unit_begin(void *data, size_t program, size_t sample)
{
    RecordJob *j = data;
    rec_unit_begin(&j->rec, j->run.w.programs[program], (uint32_t)program, (uint32_t)sample);
}

static int unit_end(void *data, uint64_t us)
{
    RecordJob *j = data;
    if (rec_unit_end(&j->rec, us) != 0) {
        fprintf(stderr, "battrace record: %s\n", j->rec.err);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

static char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)(n > 0 ? n : 0) + 1);
    size_t got = n > 0 ? fread(s, 1, (size_t)n, f) : 0;
    fclose(f);
    s[got] = 0;
    *len = got;
    return s;
}

/* Programs, samples and source into the trace, before the units. */
static void describe_workload(RecordJob *j)
{
    Trace *t = &j->trace;
    const Workload *w = &j->run.w;
    t->is_batt = w->pf.is_batt;
    t->nprograms = (uint32_t)w->nprograms;
    t->programs = arena_alloc(&t->arena, (w->nprograms + 1) * sizeof *t->programs);
    for (size_t k = 0; k < w->nprograms; k++)
        t->programs[k] = arena_strdup(&t->arena, w->programs[k]->name);
    t->nsamples = (uint32_t)w->nsamples;
    t->samples = arena_alloc(&t->arena, (w->nsamples + 1) * sizeof *t->samples);
    for (size_t k = 0; k < w->nsamples; k++) {
        const SampleRef *s = &w->samples[k];
        const Task *task = &w->ts.tasks[s->task];
        TraceSample *ts = &t->samples[k];
        ts->key = arena_strdup(&t->arena, task->key);
        ts->split = (uint8_t)s->split;
        ts->index = (uint32_t)s->index;
        ts->input = vt_intern(&t->values, s->sample->input);
        ts->has_output = (uint8_t)s->sample->has_output;
        ts->output = vt_intern(&t->values, s->sample->has_output ? s->sample->output : v_none());
        ts->S = vt_intern(&t->values, task->S);
    }
}

static char *meta_json(const RecordJob *j, uint64_t record_ns)
{
    const Selection *sel = &j->run.sel;
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "tool", BATTRACE_TOOL);
    cJSON_AddStringToObject(m, "programs_path", sel->programs_path);
    cJSON_AddStringToObject(m, "tasks_path", sel->tasks_path);
    cJSON_AddStringToObject(m, "mode", sel->mode == MODE_CROSS ? "cross" : "own");
    cJSON_AddStringToObject(m, "split", sel->split == SEL_ALL ? "all" : sel->split == SEL_TRAIN ? "train" : "test");
    cJSON_AddNumberToObject(m, "max_programs", (double)sel->max_programs);
    cJSON_AddNumberToObject(m, "max_samples", (double)sel->max_samples);
    cJSON_AddBoolToObject(m, "is_batt", j->trace.is_batt);
    cJSON_AddNumberToObject(m, "units", (double)j->run.st.runs);
    cJSON_AddNumberToObject(m, "nodes", (double)j->rec.total_nodes);
    cJSON_AddNumberToObject(m, "nested_nodes", (double)j->rec.nested_nodes);
    cJSON_AddNumberToObject(m, "nested_dropped", (double)j->rec.nested_dropped);
    cJSON_AddNumberToObject(m, "max_nested", (double)j->rec.max_nested);
    cJSON_AddBoolToObject(m, "times", j->rec.times);
    cJSON_AddNumberToObject(m, "values", (double)j->trace.values.count);
    cJSON_AddNumberToObject(m, "record_ns", (double)record_ns);
    char *s = cJSON_PrintUnformatted(m);
    cJSON_Delete(m);
    return s;
}

typedef struct RecordOptions {
    Selection sel;
    const char *out, *json;
    int quiet, threads, no_times;
    uint64_t max_nested;
} RecordOptions;

/* The next argument, a non-negative integer value of option opt. */
static long count_arg(int argc, char **argv, int *i, const char *opt)
{
    return cli_parse_count("record", opt, cli_need_value(argc, argv, i, "record"));
}

static int parse_args(int argc, char **argv, RecordOptions *o)
{
    Selection *sel = &o->sel;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(record_help, stdout);
            return 1;
        }
        if (selection_option(sel, argc, argv, &i, "record"))
            continue;
        if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--json")) {
            *(strcmp(a, "--json") ? &o->out : &o->json) = cli_need_value(argc, argv, &i, "record");
        } else if (!strcmp(a, "--quiet")) {
            o->quiet = 1;
        } else if (!strcmp(a, "--no-times")) {
            o->no_times = 1;
        } else if (!strcmp(a, "--max-nested")) {
            o->max_nested = (uint64_t)count_arg(argc, argv, &i, a);
        } else if (!strcmp(a, "--threads")) {
            long n = count_arg(argc, argv, &i, a);
            if (n < 1 || n > 2)
                die_usage("record", "--threads: expected 1 or 2, got '%ld'", n);
            o->threads = (int)n;
        } else if (a[0] == '-' && a[1]) {
            die_usage("record", "unknown option '%s'", a);
        } else if (!sel->programs_path) {
            sel->programs_path = a;
        } else {
            die_usage("record", "unexpected argument '%s'", a);
        }
    }
    if (!sel->programs_path)
        die_usage("record", "missing PROGRAMS");
    if (!sel->tasks_path)
        die_usage("record", "missing --tasks PATH");
    if (!o->out)
        die_usage("record", "missing -o TRACE");
    return 0;
}

static int finish(RecordJob *j, const char *out, uint64_t t0)
{
    char err[512];
    char *meta = meta_json(j, now_ns() - t0);
    int rc = tw_close(j->writer, &j->trace, meta, err, sizeof err);
    j->writer = NULL;
    free(meta);
    if (rc != 0) {
        fprintf(stderr, "battrace record: %s\n", err);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

int cmd_record(int argc, char **argv)
{
    RecordOptions o = {.threads = 2, .max_nested = REC_MAX_NESTED_DEFAULT};
    selection_defaults(&o.sel);
    if (parse_args(argc, argv, &o))
        return EXIT_OK;
    const char *out = o.out, *json = o.json;
    RecordJob *j = calloc(1, sizeof *j);
    int rc = runner_open(&j->run, "record", &o.sel);
    if (rc) {
        free(j);
        return rc;
    }
    j->run.quiet = o.quiet;
    trace_init(&j->trace);
    describe_workload(j);
    j->trace.source = read_text(o.sel.programs_path, &j->trace.source_len);
    char err[512];
    j->run.json_path = json;
    if (json && !(j->run.json = strcmp(json, "-") ? fopen(json, "w") : stdout)) {
        fprintf(stderr, "battrace record: %s: cannot open for writing\n", json);
        rc = EXIT_FAIL;
    } else {
        tw_remove_on_signal(); /* from before the temporary file is there */
        if (!(j->writer = tw_open(out, &j->trace, err, sizeof err))) {
            fprintf(stderr, "battrace record: %s\n", err);
            rc = EXIT_FAIL;
        }
    }
    if (!rc) {
        uint64_t t0 = now_ns();
        rec_init(&j->rec, &j->trace, j->writer);
        j->rec.max_nested = o.max_nested;
        j->rec.times = !o.no_times;
        j->run.lane.ctx.trace = &j->rec.hooks;
        j->run.lane.ctx.trace_data = &j->rec;
        j->run.hooks = (UnitHooks){unit_begin, unit_end, j};
        if (o.threads > 1) {
            rec_start_writer(&j->rec);
            j->run.ring = 1; /* a unit's values stay while the writer's thread works */
        }
        rc = runner_execute(&j->run);
        uint64_t main_cpu = thread_cpu_ns(), t_drain = now_ns();
        if (rec_drain(&j->rec) != 0 && !rc) {
            fprintf(stderr, "battrace record: %s\n", j->rec.err);
            rc = EXIT_FAIL;
        }
        uint64_t t_close = now_ns();
        if (rc)
            tw_abort(j->writer);
        else
            rc = finish(j, out, t0);
        uint64_t t_end = now_ns();
        if (!rc && !o.quiet) {
            runner_summary(&j->run, stdout);
            printf("battrace record: %llu nodes (%llu inside closures; %llu more counted, not recorded), "
                   "%u distinct values -> %s\n",
                   (unsigned long long)j->rec.total_nodes, (unsigned long long)j->rec.nested_nodes,
                   (unsigned long long)j->rec.nested_dropped, j->trace.values.count, out);
            if (o.threads > 1) {
                printf("battrace record: CPU time: %.3f s on the interpreter's thread, %.3f s on the writer's\n",
                       (double)main_cpu / 1e9, (double)j->rec.writer_cpu_ns / 1e9);
                printf("battrace record: the interpreter waited %.3f s for the writer; the writer ended "
                       "%.3f s after the last unit; closing the trace took %.3f s\n",
                       (double)j->rec.wait_ns / 1e9, (double)(t_close - t_drain) / 1e9,
                       (double)(t_end - t_close) / 1e9);
            } else {
                printf("battrace record: CPU time: %.3f s on one thread (running and writing %.3f s of it); "
                       "closing the trace took %.3f s\n",
                       (double)main_cpu / 1e9, (double)j->rec.write_ns / 1e9, (double)(t_end - t_close) / 1e9);
            }
        }
        rec_free(&j->rec);
    }
    /* rows still buffered are written at the close: a full disk shows there */
    if (j->run.json && j->run.json != stdout && fclose(j->run.json) != 0 && !rc) {
        fprintf(stderr, "battrace record: %s: cannot write the rows: %s\n", json, strerror(errno));
        rc = EXIT_FAIL;
    }
    free(j->trace.source);
    j->trace.source = NULL;
    trace_free(&j->trace);
    runner_close(&j->run);
    free(j);
    return rc;
}
