/* cmd_run.c: `battrace run`: every selected program on every selected sample,
 * one after another (or --threads at a time), printing pyref.py's rows with --json and a summary. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "runner.h"

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
    "  --threads N           run N units (a program on a sample) at once (default 1);\n"
    "                        rows and summary as with one, \"us\" each unit's own time;\n"
    "                        each of the N may use --mem-limit\n"
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
            json_path = cli_need_value(argc, argv, &i, "run");
        } else if (!strcmp(a, "--threads")) {
            long n = cli_parse_count("run", "--threads", cli_need_value(argc, argv, &i, "run"));
            if (n < 1 || n > 1024)
                die_usage("run", "--threads: expected 1 to 1024, got '%s'", argv[i]);
            r.threads = (int)n;
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
    Selection sel = r.sel;
    int rc = runner_open(&r, "run", &sel);
    if (rc)
        return rc;
    if (json_path) {
        r.json = strcmp(json_path, "-") ? fopen(json_path, "w") : stdout;
        r.json_path = json_path;
        if (!r.json) {
            fprintf(stderr, "battrace run: %s: cannot open for writing: ", json_path);
            perror(NULL);
            runner_close(&r);
            return EXIT_FAIL;
        }
    }
    rc = runner_execute(&r);
    if (r.json && r.json != stdout && fclose(r.json) != 0 && !rc) {
        fprintf(stderr, "battrace run: %s: cannot write the rows: %s\n", json_path, strerror(errno));
        rc = EXIT_FAIL;
    } else if (r.json == stdout) {
        fflush(stdout);
    }
    if (!r.quiet)
        runner_summary(&r, r.json == stdout ? stderr : stdout);
    runner_close(&r);
    return rc;
}
