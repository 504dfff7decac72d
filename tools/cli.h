/* cli.h: what the battrace subcommands share: option parsing of the program
 * and task selection, the workload it describes, and exit codes. */
#ifndef BATTRACE_CLI_H
#define BATTRACE_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../runtime/tasks.h"
#include "../tracer/program.h"

/* Exit codes scripts can trust. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

typedef enum { MODE_OWN, MODE_CROSS } RunMode;
typedef enum { SEL_ALL, SEL_TRAIN, SEL_TEST } SplitSel;

/* The selection options of `run` (and later `record`), as pyref.py has them. */
typedef struct Selection {
    const char *programs_path;
    const char *tasks_path;
    RunMode mode;
    SplitSel split;
    long max_programs; /* 0: all */
    long max_samples;  /* 0: all */
    double time_limit; /* seconds per run */
    size_t mem_limit;  /* bytes per run */
} Selection;

/* One sample in run order. */
typedef struct SampleRef {
    size_t task;       /* index into the TaskSet */
    Split split;
    size_t index;      /* within its split */
    const Sample *sample;
} SampleRef;

/* The loaded workload: programs in run order (sorted by name, like pyref)
 * and samples in run order. */
typedef struct Workload {
    ProgramFile pf;
    TaskSet ts;
    const Program **programs;
    size_t nprograms;
    SampleRef *samples;
    size_t nsamples;
} Workload;

void selection_defaults(Selection *sel);
/* Parse one selection option at argv[*i] (advancing *i past its value).
 * Returns 1 if it was one, 0 if not, -1 (message printed) if malformed. */
int selection_option(Selection *sel, int argc, char **argv, int *i, const char *cmd);
/* Load programs and tasks and list the work. Prints `file:line:col: message`
 * and returns EXIT_USAGE on bad input. */
int workload_load(const Selection *sel, Workload *w);
/* Same, with the program file's text given (name is used in messages). */
int workload_load_source(const Selection *sel, const char *name, const char *source, Workload *w);
void workload_free(Workload *w);

/* An output file of a command ('-' is stdout); NULL with a message naming
 * the command and the path when it cannot be opened. */
FILE *cli_open_out(const char *cmd, const char *path);
/* Close it (or flush stdout): EXIT_FAIL with a message when anything written
 * was lost, else EXIT_OK. */
int cli_close_out(const char *cmd, FILE *f, const char *path);

/* The value of option argv[*i] (*i moves past it), or the usage error
 * "option X needs a value" when it is the last argument. */
const char *cli_need_value(int argc, char **argv, int *i, const char *cmd);

/* s as the value of option opt: a non-negative integer, or a usage error
 * naming cmd and opt. */
long cli_parse_count(const char *cmd, const char *opt, const char *s);

/* A progress line on a terminal (stderr), for commands that take a while:
 * "battrace CMD: DONE/TOTAL WHAT (P%), S s", at most four times a second,
 * and once more, ended by a newline, when DONE reaches TOTAL. Nothing when
 * quiet or when stderr is no terminal, so scripts and logs never see it. */
typedef struct Progress {
    const char *cmd, *what;
    size_t total;
    uint64_t started, last;
    int on;
} Progress;
void progress_begin(Progress *p, const char *cmd, const char *what, size_t total, int quiet);
void progress_update(Progress *p, size_t done);

/* Messages. */
void die_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

#endif
