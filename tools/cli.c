/* cli.c: selection options and workload loading shared by the subcommands. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../runtime/ctx.h"
#include "../runtime/limits.h"

void die_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "battrace %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'battrace %s --help')\n", cmd);
    exit(EXIT_USAGE);
}

void selection_defaults(Selection *sel)
{
    memset(sel, 0, sizeof *sel);
    sel->mode = MODE_OWN;
    sel->split = SEL_ALL;
    sel->time_limit = LIMIT_RUN_SECONDS_DEFAULT;
    sel->mem_limit = LIMIT_RUN_BYTES_DEFAULT;
}

const char *cli_need_value(int argc, char **argv, int *i, const char *cmd)
{
    if (*i + 1 >= argc)
        die_usage(cmd, "option %s needs a value", argv[*i]);
    return argv[++*i];
}

long cli_parse_count(const char *cmd, const char *opt, const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == 0 || *end || v < 0)
        die_usage(cmd, "%s: expected a non-negative integer, got '%s'", opt, s);
    return v;
}

static double parse_seconds(const char *cmd, const char *opt, const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (*s == 0 || *end || !(v > 0))
        die_usage(cmd, "%s: expected a positive number of seconds, got '%s'", opt, s);
    return v;
}

/* "512M", "6G", "1000000" */
static size_t parse_bytes(const char *cmd, const char *opt, const char *s)
{
    char *end;
    double v = strtod(s, &end);
    double unit = 1;
    if (*end == 'K' || *end == 'k') unit = 1024.0, end++;
    else if (*end == 'M' || *end == 'm') unit = 1024.0 * 1024, end++;
    else if (*end == 'G' || *end == 'g') unit = 1024.0 * 1024 * 1024, end++;
    if (*s == 0 || *end || !(v > 0))
        die_usage(cmd, "%s: expected a size such as 512M or 6G, got '%s'", opt, s);
    return (size_t)(v * unit);
}

int selection_option(Selection *sel, int argc, char **argv, int *i, const char *cmd)
{
    const char *a = argv[*i];
    if (!strcmp(a, "--tasks")) {
        sel->tasks_path = cli_need_value(argc, argv, i, cmd);
    } else if (!strcmp(a, "--mode")) {
        const char *v = cli_need_value(argc, argv, i, cmd);
        if (!strcmp(v, "own")) sel->mode = MODE_OWN;
        else if (!strcmp(v, "cross")) sel->mode = MODE_CROSS;
        else die_usage(cmd, "--mode: expected own or cross, got '%s'", v);
    } else if (!strcmp(a, "--split")) {
        const char *v = cli_need_value(argc, argv, i, cmd);
        if (!strcmp(v, "all")) sel->split = SEL_ALL;
        else if (!strcmp(v, "train")) sel->split = SEL_TRAIN;
        else if (!strcmp(v, "test")) sel->split = SEL_TEST;
        else die_usage(cmd, "--split: expected train, test or all, got '%s'", v);
    } else if (!strcmp(a, "--programs")) {
        sel->max_programs = cli_parse_count(cmd, a, cli_need_value(argc, argv, i, cmd));
    } else if (!strcmp(a, "--samples")) {
        sel->max_samples = cli_parse_count(cmd, a, cli_need_value(argc, argv, i, cmd));
    } else if (!strcmp(a, "--time-limit")) {
        sel->time_limit = parse_seconds(cmd, a, cli_need_value(argc, argv, i, cmd));
    } else if (!strcmp(a, "--mem-limit")) {
        sel->mem_limit = parse_bytes(cmd, a, cli_need_value(argc, argv, i, cmd));
    } else {
        return 0;
    }
    return 1;
}

static int cmp_program_name(const void *a, const void *b)
{
    return strcmp((*(const Program *const *)a)->name, (*(const Program *const *)b)->name);
}

static void list_programs(const Selection *sel, Workload *w)
{
    w->nprograms = w->pf.nprograms;
    w->programs = malloc((w->nprograms ? w->nprograms : 1) * sizeof *w->programs);
    for (size_t k = 0; k < w->nprograms; k++)
        w->programs[k] = &w->pf.programs[k];
    qsort(w->programs, w->nprograms, sizeof *w->programs, cmp_program_name);
    if (sel->max_programs && (size_t)sel->max_programs < w->nprograms)
        w->nprograms = (size_t)sel->max_programs;
}

static void list_samples(const Selection *sel, Workload *w)
{
    size_t total = 0;
    for (size_t t = 0; t < w->ts.ntasks; t++)
        total += w->ts.tasks[t].ntrain + w->ts.tasks[t].ntest;
    w->samples = malloc((total ? total : 1) * sizeof *w->samples);
    w->nsamples = 0;
    for (size_t t = 0; t < w->ts.ntasks; t++) {
        const Task *task = &w->ts.tasks[t];
        for (int sp = SPLIT_TRAIN; sp <= SPLIT_TEST; sp++) {
            if ((sp == SPLIT_TRAIN && sel->split == SEL_TEST) ||
                (sp == SPLIT_TEST && sel->split == SEL_TRAIN))
                continue;
            size_t n = sp == SPLIT_TRAIN ? task->ntrain : task->ntest;
            const Sample *arr = sp == SPLIT_TRAIN ? task->train : task->test;
            for (size_t k = 0; k < n; k++)
                w->samples[w->nsamples++] = (SampleRef){t, (Split)sp, k, &arr[k]};
        }
    }
    if (sel->max_samples && (size_t)sel->max_samples < w->nsamples)
        w->nsamples = (size_t)sel->max_samples;
}

/* Tasks, then the program and sample lists, for programs already parsed. */
static int load_rest(const Selection *sel, Workload *w)
{
    char err[1024];
    if (taskset_load(sel->tasks_path, &w->ts, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        program_free(&w->pf);
        return EXIT_USAGE;
    }
    /* as pyref.py, no tasks is no runs (status 0), but likely a wrong path */
    if (!w->ts.ntasks)
        fprintf(stderr, "battrace: warning: %s holds no ARC task (no runs)\n", sel->tasks_path);
    list_programs(sel, w);
    list_samples(sel, w);
    return EXIT_OK;
}

int workload_load(const Selection *sel, Workload *w)
{
    char err[1024];
    memset(w, 0, sizeof *w);
    if (program_load(sel->programs_path, &w->pf, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return EXIT_USAGE;
    }
    return load_rest(sel, w);
}

int workload_load_source(const Selection *sel, const char *name, const char *source, Workload *w)
{
    char err[1024];
    memset(w, 0, sizeof *w);
    if (program_parse(name, source, &w->pf, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return EXIT_USAGE;
    }
    return load_rest(sel, w);
}

void workload_free(Workload *w)
{
    free(w->programs);
    free(w->samples);
    program_free(&w->pf);
    taskset_free(&w->ts);
    memset(w, 0, sizeof *w);
}

FILE *cli_open_out(const char *cmd, const char *path)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
    if (!f) {
        fprintf(stderr, "battrace %s: %s: cannot open for writing: ", cmd, path);
        perror(NULL);
    }
    return f;
}

int cli_close_out(const char *cmd, FILE *f, const char *path)
{
    int bad = ferror(f);
    bad |= f == stdout ? fflush(f) != 0 : fclose(f) != 0;
    if (bad) {
        fprintf(stderr, "battrace %s: %s: could not write\n", cmd, path);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

void progress_begin(Progress *p, const char *cmd, const char *what, size_t total, int quiet)
{
    p->cmd = cmd;
    p->what = what;
    p->total = total;
    p->started = p->last = now_ns();
    p->on = !quiet && isatty(2);
}

void progress_update(Progress *p, size_t done)
{
    if (!p->on)
        return;
    uint64_t t = now_ns();
    if (t - p->last < 250000000ull && done < p->total)
        return;
    p->last = t;
    fprintf(stderr, "\rbattrace %s: %zu/%zu %s (%.0f%%), %.1f s", p->cmd, done, p->total, p->what,
            p->total ? 100.0 * (double)done / (double)p->total : 100.0, (double)(t - p->started) / 1e9);
    if (done >= p->total) {
        fputc('\n', stderr);
        p->on = 0; /* the last line is out */
    }
}
