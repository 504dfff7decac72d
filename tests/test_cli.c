/* test_cli.c: the battrace command end to end: exit codes, messages, and the
 * bundled example's rows against the Python oracle (when ../shared is there). */
#include "support.h"

#include "../cuda/batch.h"
#include "../tracer/trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>


/* A bundled example recorded to a trace, with run's rows (the recording's
 * --json), and a path for the rows a replay writes; under /tmp, per test. */
typedef struct Recorded {
    char trace[256], run_rows[256], rows[256];
} Recorded;

static void record_example(Recorded *x, const char *tag, const char *program)
{
    char out[8192];
    snprintf(x->trace, sizeof x->trace, "/tmp/battrace-cli-%d-%s.trace", (int)getpid(), tag);
    snprintf(x->run_rows, sizeof x->run_rows, "/tmp/battrace-cli-%d-%s-run.jsonl", (int)getpid(), tag);
    snprintf(x->rows, sizeof x->rows, "/tmp/battrace-cli-%d-%s-rep.jsonl", (int)getpid(), tag);
    cr_assert_eq(t_sh(out, sizeof out, "%s record %s --tasks traces/tasks -o %s --json %s --quiet", t_bin(), program,
                      x->trace, x->run_rows), 0, "%s", out);
}

/* The replay's rows are run's (tools/compare_rows.py ignores "us"). */
static void expect_run_rows(const Recorded *x, const char *name)
{
    char out[8192];
    cr_assert_eq(t_sh(out, sizeof out, "python3 tools/compare_rows.py %s %s %s", name, x->run_rows, x->rows), 0,
                 "%s", out);
}

static void drop_recorded(const Recorded *x)
{
    unlink(x->trace);
    unlink(x->run_rows);
    unlink(x->rows);
}

Test(cli, usage_errors_exit_2)
{
    char out[8192];
    cr_assert_eq(t_sh(out, sizeof out, "%s", t_bin()), 2);
    cr_assert(strstr(out, "usage"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s frobnicate", t_bin()), 2);
    cr_assert(strstr(out, "unknown command"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s run", t_bin()), 2);
    cr_assert(strstr(out, "missing PROGRAMS"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s run traces/example_solvers.py", t_bin()), 2);
    cr_assert(strstr(out, "missing --tasks"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s run x.py --tasks t --mode sideways", t_bin()), 2);
    cr_assert(strstr(out, "--mode"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s run x.py --tasks t --samples -3", t_bin()), 2);
    cr_assert_eq(t_sh(out, sizeof out, "%s run x.py --tasks t --bogus", t_bin()), 2);
    cr_assert(strstr(out, "unknown option '--bogus'"), "%s", out);
}

/* Every usage error of every command: exit status 2, one line naming the
 * command and the problem, then where to read more. The messages are the
 * commands' own (tools/cmd_*.c, tools/cli.c); each row reaches its check
 * before any file is read, so the paths need not exist. */
static const struct {
    const char *args, *message;
} usage_errors[] = {
    {"run x.py --tasks t --json", "option --json needs a value"},
    {"run x.py --tasks t --threads", "option --threads needs a value"},
    {"run x.py --tasks t --threads 0", "--threads: expected 1 to 1024, got '0'"},
    {"run x.py --tasks t --threads 2000", "--threads: expected 1 to 1024, got '2000'"},
    {"run x.py y.py --tasks t", "unexpected argument 'y.py'"},
    {"run x.py --tasks", "option --tasks needs a value"},
    {"run x.py --tasks t --programs", "option --programs needs a value"},
    {"run x.py --tasks t --samples many", "--samples: expected a non-negative integer, got 'many'"},
    {"run x.py --tasks t --time-limit 0", "--time-limit: expected a positive number of seconds, got '0'"},
    {"run x.py --tasks t --mem-limit lots", "--mem-limit: expected a size such as 512M or 6G, got 'lots'"},
    {"run x.py --tasks t --mode sideways", "--mode: expected own or cross, got 'sideways'"},
    {"run x.py --tasks t --split dev", "--split: expected train, test or all, got 'dev'"},
    {"record", "missing PROGRAMS"},
    {"record x.py", "missing --tasks PATH"},
    {"record x.py --tasks t", "missing -o TRACE"},
    {"record x.py --tasks t -o", "option -o needs a value"},
    {"record x.py --tasks t -o f --json", "option --json needs a value"},
    {"record x.py --tasks t -o f --threads", "option --threads needs a value"},
    {"record x.py --tasks t -o f --threads 3", "--threads: expected 1 or 2, got '3'"},
    {"record x.py --tasks t -o f --max-nested -1", "--max-nested: expected a non-negative integer, got '-1'"},
    {"record x.py --tasks t -o f --frob", "unknown option '--frob'"},
    {"record x.py y.py --tasks t -o f", "unexpected argument 'y.py'"},
    {"inspect", "missing TRACE"},
    {"inspect t --rows", "option --rows needs a value"},
    {"inspect t --dot", "option --dot needs a value"},
    {"inspect t --frob", "unknown option '--frob'"},
    {"inspect t u", "unexpected argument 'u'"},
    {"inspect t --rows - --json -", "only one of --rows -, --json - and --dot can write to stdout"},
    {"inspect t --json - --dot 0", "only one of --rows -, --json - and --dot can write to stdout"},
    {"profile", "missing TRACE"},
    {"profile t --json", "option --json needs a value"},
    {"profile t --html", "option --html needs a value"},
    {"profile t --frob", "unknown option '--frob'"},
    {"profile t u", "unexpected argument 'u'"},
    {"profile t --json - --html -", "only one of --json - and --html - can write to stdout"},
    {"replay", "missing TRACE"},
    {"replay t --json", "option --json needs a value"},
    {"replay t --policy", "option --policy needs a value"},
    {"replay t --policy greedy", "--policy: expected depth or agenda, got 'greedy'"},
    {"replay t --threads 0", "--threads: expected 1 to 1024, got '0'"},
    {"replay t --gpu-min-width", "option --gpu-min-width needs a value"},
    {"replay t --gpu-min-width 0", "--gpu-min-width: expected a positive integer, got '0'"},
    {"replay t --window", "option --window needs a value"},
    {"replay t --window -1", "--window: expected a statement count (0: one window), got '-1'"},
    {"replay t --gpu-profile", "option --gpu-profile needs a value"},
    {"replay t --frob", "unknown option '--frob'"},
    {"replay t u", "unexpected argument 'u'"},
    {"replay t --verify --tasks x", "--verify compares with the trace's own samples: it cannot go with --tasks"},
    {"replay t --gpu-profile p", "--gpu-profile feeds the cost model of --gpu or --gpu-host: give one of them"},
    {"replay t --gpu-host --gpu-profile p --gpu-min-width 2",
     "--gpu-profile and --gpu-min-width are two ways to choose: give one"},
};

Test(cli, every_usage_error_exits_2_with_its_message)
{
    for (size_t k = 0; k < sizeof usage_errors / sizeof *usage_errors; k++) {
        char out[8192], cmd[16], expect[512];
        sscanf(usage_errors[k].args, "%15s", cmd);
        snprintf(expect, sizeof expect, "battrace %s: %s\n(see 'battrace %s --help')\n", cmd, usage_errors[k].message,
                 cmd);
        int rc = t_sh(out, sizeof out, "%s %s", t_bin(), usage_errors[k].args);
        cr_expect_eq(rc, 2, "battrace %s: exit %d", usage_errors[k].args, rc);
        cr_expect_str_eq(out, expect, "battrace %s", usage_errors[k].args);
    }
}

/* Every command's --help: the usage line, on stdout, exit 0. */
Test(cli, every_command_has_help)
{
    const char *cmds[] = {"run", "record", "inspect", "profile", "replay"};
    for (size_t k = 0; k < sizeof cmds / sizeof *cmds; k++) {
        char out[16384], usage[64];
        snprintf(usage, sizeof usage, "usage: battrace %s ", cmds[k]);
        cr_expect_eq(t_sh(out, sizeof out, "%s %s --help 2>/dev/null", t_bin(), cmds[k]), 0, "%s --help", cmds[k]);
        cr_expect(!strncmp(out, usage, strlen(usage)), "%s --help begins: %.80s", cmds[k], out);
    }
}

Test(cli, help_exits_0)
{
    char out[8192];
    cr_assert_eq(t_sh(out, sizeof out, "%s run --help", t_bin()), 0);
    cr_assert(strstr(out, "--mode own|cross"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s --help", t_bin()), 0);
}

Test(cli, missing_inputs_exit_2_with_the_path)
{
    char out[8192];
    cr_assert_eq(t_sh(out, sizeof out, "%s run /nonexistent/p.py --tasks traces/tasks", t_bin()), 2);
    cr_assert(strstr(out, "/nonexistent/p.py"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s run traces/example_solvers.py --tasks /nonexistent/t", t_bin()), 2);
    cr_assert(strstr(out, "/nonexistent/t"), "%s", out);
}

Test(cli, bad_program_reports_file_line_col)
{
    char out[8192];
    const char *p = t_write_temp("bad.py", "def solve_x(I):\n    x1 = nosuchprim(I)\n    return x1\n");
    cr_assert_eq(t_sh(out, sizeof out, "%s run %s --tasks traces/tasks", t_bin(), p), 2);
    char want[512];
    snprintf(want, sizeof want, "%s:2:10:", p);
    cr_assert(strstr(out, want), "expected '%s' in: %s", want, out);
    unlink(p);
}

Test(cli, bad_tasks_report_the_file)
{
    char out[8192];
    const char *t = t_write_temp("bad.json", "{\"train\": [{\"input\": [[1, 2]], \"output\": [[1]]}\n");
    cr_assert_eq(t_sh(out, sizeof out, "%s run traces/example_solvers.py --tasks %s", t_bin(), t), 2);
    cr_assert(strstr(out, t), "%s", out);
    unlink(t);
}

Test(cli, unwritable_json_exits_1)
{
    char out[8192];
    cr_assert_eq(t_sh(out, sizeof out, "%s run traces/example_solvers.py --tasks traces/tasks --json /nonexistent/dir/x.jsonl",
                    t_bin()), 1);
    cr_assert(strstr(out, "/nonexistent/dir/x.jsonl"), "%s", out);
}

/* A task directory with no task in it: no runs, status 0 as pyref.py gives,
 * and a warning, since it is most likely a wrong path. */
Test(cli, no_tasks_warns)
{
    char out[8192], dir[256];
    snprintf(dir, sizeof dir, "/tmp/battrace-cli-%d-notasks", (int)getpid());
    cr_assert_eq(mkdir(dir, 0700), 0);
    cr_assert_eq(t_sh(out, sizeof out, "%s run traces/example_solvers.py --tasks %s", t_bin(), dir), 0, "%s", out);
    cr_assert(strstr(out, "notasks holds no ARC task (no runs)"), "%s", out);
    cr_assert(strstr(out, "0 runs"), "%s", out);
    rmdir(dir);
}

/* Rows that cannot all be written (a full disk) fail the command with the
 * path named, whether one sequence of windows or lanes write them. */
Test(cli, replay_rows_on_a_full_disk_exit_1)
{
    if (access("/dev/full", W_OK) != 0)
        cr_skip_test("no /dev/full here");
    char out[8192];
    Recorded x;
    record_example(&x, "f", "traces/example_batt.py");
    const char *how[] = {"--threads 1", "--threads 2 --window 1"};
    for (int k = 0; k < 2; k++) {
        cr_assert_eq(t_sh(out, sizeof out, "%s replay %s %s --json /dev/full", t_bin(), x.trace, how[k]), 1,
                     "%s: %s", how[k], out);
        cr_assert(strstr(out, "/dev/full"), "%s: %s", how[k], out);
    }
    drop_recorded(&x);
}

/* The same for run's and record's rows, and for the trace itself: a file
 * size limit (ulimit -f, with SIGXFSZ ignored so that the write fails
 * instead) stands in for a full disk. The message names the file and the
 * reason; no trace and no temporary file is left. */
Test(cli, run_and_record_on_a_full_disk_exit_1)
{
    char out[8192], rows[256], trace[256];
    snprintf(rows, sizeof rows, "/tmp/battrace-cli-%d-full.jsonl", (int)getpid());
    snprintf(trace, sizeof trace, "/tmp/battrace-cli-%d-full.trace", (int)getpid());
    const char *limit = "trap '' XFSZ; ulimit -f 4"; /* 2 KiB: the rows and traces here are 10-20 KiB */
    cr_assert_eq(t_sh(out, sizeof out, "%s; %s run traces/example_solvers.py --tasks traces/tasks --json %s", limit,
                      t_bin(), rows), 1, "%s", out);
    cr_assert(strstr(out, "full.jsonl: cannot write the rows: File too large"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s; %s record traces/example_solvers.py --tasks traces/tasks -o %s.2 --json %s",
                      limit, t_bin(), trace, rows), 1, "%s", out);
    cr_assert(strstr(out, "cannot write the rows: File too large"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s; %s record traces/example_solvers.py --tasks traces/tasks -o %s", limit,
                      t_bin(), trace), 1, "%s", out);
    cr_assert(strstr(out, "full.trace.tmp.") && strstr(out, "File too large"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "ls %s* 2>/dev/null | wc -l", trace), 0);
    cr_assert_str_eq(out, "0\n", "no trace, no temporary file");
    unlink(rows);
}

/* The summary up to its times: what the units added up to. */
static void summary_counts(const char *out, char *counts, size_t size)
{
    const char *at = strstr(out, "battrace run:"), *end = at ? strstr(at, " tasks solved") : NULL;
    cr_assert(at && end, "no summary in: %s", out);
    snprintf(counts, size, "%.*s", (int)(end - at), at);
}

/* run --threads N: units run side by side on N lanes, yet the rows come in
 * the order one thread writes them, and the summary counts the same (tasks
 * solved included, which needs every sample of a task); solvers in both
 * modes and a batt, with fewer units than threads too. */
Test(cli, run_on_threads_writes_the_rows_of_one)
{
    char out[16384], one[256], many[256], counts1[512], counts[512];
    snprintf(one, sizeof one, "/tmp/battrace-cli-%d-t1.jsonl", (int)getpid());
    snprintf(many, sizeof many, "/tmp/battrace-cli-%d-tn.jsonl", (int)getpid());
    const char *work[] = {"traces/example_solvers.py", "traces/example_solvers.py --mode cross",
                          "traces/example_batt.py", "traces/example_batt.py --samples 1"};
    const char *threads[] = {"2", "3", "64"};
    for (int w = 0; w < 4; w++) {
        cr_assert_eq(t_sh(out, sizeof out, "%s run %s --tasks traces/tasks --json %s", t_bin(), work[w], one), 0,
                     "%s", out);
        summary_counts(out, counts1, sizeof counts1);
        for (int k = 0; k < 3; k++) {
            cr_assert_eq(t_sh(out, sizeof out, "%s run %s --tasks traces/tasks --threads %s --json %s", t_bin(),
                              work[w], threads[k], many), 0, "%s", out);
            summary_counts(out, counts, sizeof counts);
            cr_assert_str_eq(counts, counts1, "%s, %s threads", work[w], threads[k]);
            cr_assert_eq(t_sh(out, sizeof out, "python3 tools/compare_rows.py threads %s %s", one, many), 0,
                         "%s, %s threads: %s", work[w], threads[k], out);
        }
    }
    /* rows that cannot be written: exit 1 with the reason, as on one thread */
    cr_assert_eq(t_sh(out, sizeof out, "trap '' XFSZ; ulimit -f 4; %s run traces/example_solvers.py --mode cross "
                      "--tasks traces/tasks --threads 2 --json %s", t_bin(), many), 1, "%s", out);
    cr_assert(strstr(out, "tn.jsonl: cannot write the rows: File too large"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s run x.py --tasks t --threads 0", t_bin()), 2, "%s", out);
    cr_assert(strstr(out, "--threads"), "%s", out);
    unlink(one);
    unlink(many);
}

/* ../shared's path, or the test skipped (saying why) when pyref.py cannot
 * run here. */
static const char *need_oracle(char *out, size_t size)
{
    const char *shared = t_shared();
    if (!shared)
        cr_skip_test("../shared not found (BATTRACE_SHARED): oracle comparison skipped");
    if (t_sh(out, size, "python3 -c 'import sys'") != 0)
        cr_skip_test("python3 not found: oracle comparison skipped");
    return shared;
}

Test(cli, example_rows_match_the_oracle)
{
    char out[16384];
    const char *shared = need_oracle(out, sizeof out);
    char exp[256], act[256];
    snprintf(exp, sizeof exp, "/tmp/battrace-cli-%d-exp.jsonl", (int)getpid());
    snprintf(act, sizeof act, "/tmp/battrace-cli-%d-act.jsonl", (int)getpid());
    const char *progs[] = {"traces/example_solvers.py", "traces/example_batt.py"};
    for (int k = 0; k < 2; k++) {
        cr_assert_eq(t_sh(out, sizeof out, "python3 %s/tools/pyref.py %s --tasks traces/tasks --out %s",
                        shared, progs[k], exp), 0, "%s", out);
        cr_assert_eq(t_sh(out, sizeof out, "%s run %s --tasks traces/tasks --json %s", t_bin(), progs[k], act),
                     0, "%s", out);
        cr_assert_eq(t_sh(out, sizeof out, "python3 tools/compare_rows.py example %s %s", exp, act), 0,
                     "%s", out);
        cr_assert(strstr(out, "rows agree"), "%s", out);
    }
    unlink(exp);
    unlink(act);
}

/* Append tuples of any length up to the parser's bound, with every kind of
 * item (literals, inputs, the strs, results): pyref.py's rows, through run,
 * through a recording's rows, and through replay. */
Test(cli, long_append_tuples_match_the_oracle)
{
    char out[16384];
    const char *shared = need_oracle(out, sizeof out);
    char src[8192] = "from dsl import *\nfrom constants import *\nfrom safe_dsl import _get_safe_default\n\n"
                     "def batt(task_id, S, I, C, log_path):\n    s = []\n    o = []\n"
                     "    try:\n        t1 = shape(C)\n    except Exception:\n        t1 = _get_safe_default(shape)\n"
                     "    try:\n        t2 = rot90(I)\n    except Exception:\n        t2 = _get_safe_default(rot90)\n"
                     "    o.append((1, False, task_id, t2, None, True, -3, 'x', t1, C, I, log_path))\n"
                     "    s.append((";
    for (int k = 0; k < 200; k++)
        snprintf(src + strlen(src), sizeof src - strlen(src), "%s, ", k % 3 == 0 ? "t1" : k % 3 == 1 ? "ONE" : "'y'");
    strcat(src, "))\n    return o, s\n");
    const char *prog = t_write_temp("long_appends.py", src);
    Recorded x;
    record_example(&x, "long", prog);
    char exp[256];
    snprintf(exp, sizeof exp, "/tmp/battrace-cli-%d-long-exp.jsonl", (int)getpid());
    cr_assert_eq(t_sh(out, sizeof out, "python3 %s/tools/pyref.py %s --tasks traces/tasks --out %s", shared, prog, exp),
                 0, "%s", out);
    const char *cmds[] = {"%s run %s --tasks traces/tasks --json %s", "%s inspect %.0s%s --rows %s",
                          "%s replay %.0s%s --json %s"};
    for (int k = 0; k < 3; k++) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, cmds[k], t_bin(), prog, k ? x.trace : x.rows, x.rows);
        cr_assert_eq(t_sh(out, sizeof out, "%s", cmd), 0, "%s: %s", cmd, out);
        cr_assert_eq(t_sh(out, sizeof out, "python3 tools/compare_rows.py long %s %s", exp, x.rows), 0, "%s: %s", cmd,
                     out);
        cr_assert(strstr(out, "rows agree"), "%s", out);
    }
    /* the rows hold the whole tuples: 12 items in o, 200 in s and s_c */
    cr_assert_eq(t_sh(out, sizeof out, "python3 -c 'import json, sys\n"
                      "for r in map(json.loads, open(sys.argv[1])):\n"
                      "    assert [len(r[\"o\"][0]), len(r[\"s\"][0]), len(r[\"s_c\"][0])] == [12, 200, 200], r' %s",
                      exp),
                 0, "%s", out);
    unlink(exp);
    unlink(prog);
    drop_recorded(&x);
}

Test(cli, replay_gpu_without_a_device_exits_2)
{
    if (gpu_device_count() > 0)
        cr_skip_test("a CUDA device is present: the no-device message is not shown");
    char out[8192], tr[256];
    snprintf(tr, sizeof tr, "/tmp/battrace-cli-%d.trace", (int)getpid());
    cr_assert_eq(t_sh(out, sizeof out, "%s record traces/example_solvers.py --tasks traces/tasks -o %s --quiet",
                      t_bin(), tr), 0, "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s replay %s --gpu", t_bin(), tr), 2, "%s", out);
    cr_assert(strstr(out, "no CUDA device"), "%s", out);
    unlink(tr);
}

Test(cli, replay_through_the_kernel_backend_gives_runs_rows)
{
    char out[16384];
    Recorded x;
    record_example(&x, "k", "traces/example_solvers.py");
    cr_assert_eq(t_sh(out, sizeof out, "%s replay %s --gpu-host --verify --threads 2 --json %s", t_bin(), x.trace,
                      x.rows), 0, "%s", out);
    /* the rotations and mirrors of the example run through the kernels' logic */
    cr_assert(strstr(out, "nodes on the host backend"), "%s", out);
    cr_assert(!strstr(out, "nodes on the host backend 0,"), "%s", out);
    /* chained rotations and mirrors read their arguments in the value store,
     * where the launch before left them (no transfer) */
    cr_assert(strstr(out, "grid arguments read in place"), "%s", out);
    cr_assert(!strstr(out, "grid arguments read in place 0,"), "%s", out);
    cr_assert(strstr(out, "device errors 0"), "%s", out);
    expect_run_rows(&x, "gpu-host");
    /* without --verify only what the rows read comes down: the returned
     * grids, not the intermediate ones; the rows are the same */
    cr_assert_eq(t_sh(out, sizeof out, "%s replay %s --gpu-host --json %s", t_bin(), x.trace, x.rows), 0, "%s", out);
    unsigned long left = 0, down = 0;
    const char *at = strstr(out, "grid results left there ");
    cr_assert(at && sscanf(at, "grid results left there %lu, brought down %lu", &left, &down) == 2, "%s", out);
    cr_assert_lt(down, left, "%s", out);
    expect_run_rows(&x, "gpu-host-rows");
    drop_recorded(&x);
}

/* Windows (replay --window): one unit at a time, a few, or the whole trace
 * in one graph all give run's rows and pass --verify, and so do windows
 * replayed on lanes; the statistics count the windows and the lanes. A
 * budget of 1 statement makes a window per unit. */
Test(cli, replay_in_windows_of_any_size_gives_runs_rows)
{
    char out[16384];
    Recorded x;
    record_example(&x, "w", "traces/example_batt.py");
    const char *windows[] = {"1", "200", "0"};
    for (int k = 0; k < 3; k++) {
        cr_assert_eq(t_sh(out, sizeof out, "%s replay %s --window %s --verify --threads 2 --json %s", t_bin(),
                          x.trace, windows[k], x.rows), 0, "%s", out);
        cr_assert(strstr(out, k == 2 ? ": 1 window:" : " windows:"), "window %s: %s", windows[k], out);
        expect_run_rows(&x, "window");
    }
    /* without --verify, windows enough go to lanes (a thread each, whole
     * windows side by side); their rows still come out in unit order */
    const char *lanes[][2] = {{"1", "2"}, {"1", "3"}, {"50", "2"}};
    for (int k = 0; k < 3; k++) {
        cr_assert_eq(t_sh(out, sizeof out, "%s replay %s --window %s --threads %s --json %s", t_bin(), x.trace,
                          lanes[k][0], lanes[k][1], x.rows), 0, "%s", out);
        char want[64];
        snprintf(want, sizeof want, "the busiest of %s lanes", lanes[k][1]);
        cr_assert(strstr(out, want), "window %s, %s threads: %s", lanes[k][0], lanes[k][1], out);
        expect_run_rows(&x, "lanes");
    }
    /* a statement budget above the whole trace: one window on one thread,
     * several on two (cut by the units' recorded times, so that no window
     * holds more than a share of a lane's work), on the trace's samples and
     * on new ones (by the programs' mean times) alike */
    for (int k = 0; k < 2; k++) {
        const char *tasks = k ? "--tasks traces/tasks" : "";
        cr_assert_eq(t_sh(out, sizeof out, "%s replay %s %s --window 1000000 --threads 1", t_bin(), x.trace, tasks),
                     0, "%s", out);
        cr_assert(strstr(out, ": 1 window:"), "%s", out);
        cr_assert_eq(t_sh(out, sizeof out, "%s replay %s %s --window 1000000 --threads 2 --json %s", t_bin(), x.trace,
                          tasks, x.rows), 0, "%s", out);
        unsigned cut = 0;
        cr_assert(sscanf(out, "battrace replay: %u windows", &cut) == 1 && cut >= 2, "%s", out);
        expect_run_rows(&x, "timed");
    }
    cr_assert_neq(t_sh(out, sizeof out, "%s replay %s --window -3", t_bin(), x.trace), 0, "%s", out);
    cr_assert(strstr(out, "--window"), "%s", out);
    drop_recorded(&x);
}

/* run, replay (and its --verify readings), profile and inspect show a
 * progress line on a terminal (script(1) gives them one), the last counting
 * every unit; on a pipe, and
 * with --quiet, nothing of it reaches the output. */
Test(cli, progress_lines_on_a_terminal_only)
{
    char out[16384];
    if (t_sh(out, sizeof out, "script -qc true /dev/null") != 0)
        cr_skip_test("script(1) not found: no terminal to show progress on");
    Recorded x;
    record_example(&x, "pg", "traces/example_batt.py");
    struct {
        const char *args, *line;
    } cmd[] = {
        {"run traces/example_batt.py --tasks traces/tasks --threads 2", "battrace run: %u/%u runs (100%%)"},
        {"replay %s", "battrace replay: %u/%u units (100%%)"},
        {"profile %s", "battrace profile: %u/%u units (100%%)"},
        {"inspect %s --json /dev/null", "battrace inspect: %u/%u units written (100%%)"},
        {"replay %s --verify", "battrace replay --verify: %u/%u units recorded again (100%%)"},
    };
    for (size_t k = 0; k < sizeof cmd / sizeof *cmd; k++) {
        char args[512];
        snprintf(args, sizeof args, cmd[k].args, x.trace);
        cr_assert_eq(t_sh(out, sizeof out, "script -qc '%s %s >/dev/null' /dev/null", t_bin(), args), 0, "%s", out);
        /* the last line counts every unit (the example batt has 36) */
        const char *at = strstr(out, "battrace ");
        while (at && strstr(at + 1, "battrace "))
            at = strstr(at + 1, "battrace ");
        unsigned done = 0, total = 0;
        cr_assert(at && sscanf(at, cmd[k].line, &done, &total) == 2, "%s: %s", args, out);
        cr_assert(done == 36 && total == 36, "%s: %s", args, out);
        cr_assert_eq(t_sh(out, sizeof out, "%s %s 2>&1 >/dev/null", t_bin(), args), 0, "%s", out);
        cr_assert(!strchr(out, '\r'), "%s on a pipe: %s", args, out);
    }
    cr_assert_eq(t_sh(out, sizeof out, "script -qc '%s replay %s --quiet' /dev/null", t_bin(), x.trace), 0, "%s", out);
    cr_assert(!strstr(out, "units (100%)"), "%s", out);
    drop_recorded(&x);
}

/* record --threads 1 writes each unit on the thread that ran it: the trace
 * still replays and verifies, its rows are run's, and the summary says which
 * way it was written; any other count is refused. */
Test(cli, record_on_one_thread_writes_the_same_trace)
{
    char out[16384];
    Recorded x;
    snprintf(x.trace, sizeof x.trace, "/tmp/battrace-cli-%d-one.trace", (int)getpid());
    snprintf(x.run_rows, sizeof x.run_rows, "/tmp/battrace-cli-%d-one-run.jsonl", (int)getpid());
    snprintf(x.rows, sizeof x.rows, "/tmp/battrace-cli-%d-one-rep.jsonl", (int)getpid());
    cr_assert_eq(t_sh(out, sizeof out, "%s record traces/example_batt.py --tasks traces/tasks -o %s --json %s --threads 1",
                      t_bin(), x.trace, x.run_rows), 0, "%s", out);
    cr_assert(strstr(out, "on one thread (running and writing"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s --rows %s", t_bin(), x.trace, x.rows), 0, "%s", out);
    expect_run_rows(&x, "inspect");
    cr_assert_eq(t_sh(out, sizeof out, "%s replay %s --verify --json %s", t_bin(), x.trace, x.rows), 0, "%s", out);
    cr_assert(strstr(out, "agree with the trace"), "%s", out);
    expect_run_rows(&x, "replay");
    cr_assert_eq(t_sh(out, sizeof out, "%s record traces/example_batt.py --tasks traces/tasks -o %s --threads 3",
                      t_bin(), x.trace), 2, "%s", out);
    cr_assert(strstr(out, "--threads: expected 1 or 2"), "%s", out);
    drop_recorded(&x);
}

/* The nodes' self times of a trace: how many are not 0; and META's times. */
static uint64_t timed_nodes(const char *path, bool *times)
{
    Trace t;
    char err[512];
    cr_assert_eq(trace_read(path, &t, err, sizeof err), 0, "%s", err);
    uint64_t timed = 0;
    for (uint64_t k = 0; k < t.nnodes; k++)
        timed += t.nodes[k].self_ns != 0;
    cr_assert(t.meta_json);
    *times = strstr(t.meta_json, "\"times\":true") != NULL;
    cr_assert(*times != (strstr(t.meta_json, "\"times\":false") != NULL), "%s", t.meta_json);
    trace_free(&t);
    return timed;
}

/* record --no-times: the same graph and rows, every self_ns 0, and the
 * profile says its times were not recorded. */
Test(cli, record_without_times)
{
    char out[16384];
    bool times;
    Recorded x;
    record_example(&x, "timed", "traces/example_batt.py");
    cr_assert_gt(timed_nodes(x.trace, &times), 0);
    cr_assert(times);
    cr_assert_eq(t_sh(out, sizeof out, "%s profile %s", t_bin(), x.trace), 0, "%s", out);
    cr_assert_not(strstr(out, "not recorded"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s record traces/example_batt.py --tasks traces/tasks -o %s --no-times",
                      t_bin(), x.trace), 0, "%s", out);
    cr_assert_eq(timed_nodes(x.trace, &times), 0);
    cr_assert_not(times);
    cr_assert_eq(t_sh(out, sizeof out, "%s inspect %s --rows %s", t_bin(), x.trace, x.rows), 0, "%s", out);
    cr_assert(strstr(out, "without self times"), "%s", out);
    expect_run_rows(&x, "inspect");
    cr_assert_eq(t_sh(out, sizeof out, "%s replay %s --verify --json %s", t_bin(), x.trace, x.rows), 0, "%s", out);
    expect_run_rows(&x, "replay");
    cr_assert_eq(t_sh(out, sizeof out, "%s profile %s --json -", t_bin(), x.trace), 0, "%s", out);
    cr_assert(strstr(out, "self times were not recorded (record --no-times)"), "%s", out);
    cr_assert(strstr(out, "\"times\":\tfalse"), "%s", out);
    drop_recorded(&x);
}

/* record -o names where the trace is renamed to: a directory, a pipe or a
 * device (/dev/null) is refused before anything runs, and left as it was
 * (renamed over, a device node became a file). */
Test(cli, record_refuses_an_output_that_is_not_a_file)
{
    char out[8192], dir[256], fifo[300];
    snprintf(dir, sizeof dir, "/tmp/battrace-cli-%d-outdir", (int)getpid());
    snprintf(fifo, sizeof fifo, "%s/pipe", dir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    cr_assert_eq(t_sh(out, sizeof out, "%s record traces/example_solvers.py --tasks traces/tasks -o %s", t_bin(), dir), 1,
                 "%s", out);
    cr_assert(strstr(out, "a directory (a trace is written beside it"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s record traces/example_solvers.py --tasks traces/tasks -o %s", t_bin(), fifo),
                 1, "%s", out);
    cr_assert(strstr(out, "pipe: not a regular file"), "%s", out);
    cr_assert_not(strstr(out, "runs,"), "refused before running: %s", out);
    struct stat st;
    cr_assert_eq(stat(fifo, &st), 0);
    cr_assert(S_ISFIFO(st.st_mode), "the pipe is still a pipe");
    cr_assert_eq(t_sh(out, sizeof out, "ls %s", dir), 0);
    cr_assert_str_eq(out, "pipe\n", "nothing left beside it");
    unlink(fifo);
    rmdir(dir);
}

/* A recording ended by a signal leaves no half-written temporary file (up
 * to gigabytes beside TRACE), and the status says the signal ended it. The
 * workload (400 solvers on 100 training samples, a few seconds) needs
 * ../shared; the signal is sent as soon as the temporary file is seen,
 * while tw_open may still be writing the samples into it (a file left
 * there, one run in five, until the handler was set before the file). */
Test(cli, record_removes_its_temporary_file_when_killed)
{
    const char *shared = t_shared();
    if (!shared)
        cr_skip_test("../shared not found (BATTRACE_SHARED): no workload long enough to interrupt");
    char out[8192], trace[256];
    snprintf(trace, sizeof trace, "/tmp/battrace-cli-%d-killed.trace", (int)getpid());
    cr_assert_eq(t_sh(out, sizeof out,
                      "%s record %s/reference/arc-dsl/solvers.py --tasks %s/arc/training --mode cross --samples 100 "
                      "-o %s --quiet & p=$!; for i in $(seq 1 500); do ls %s.tmp.* >/dev/null 2>&1 && break; "
                      "sleep 0.01; done; kill -TERM $p; wait $p; echo \"status $? left $(ls %s* 2>/dev/null | wc -l)\"",
                      t_bin(), shared, shared, trace, trace, trace),
                 0, "%s", out);
    cr_assert(strstr(out, "status 143 left 0\n"), "ended by SIGTERM (128 + 15), no file left: %s", out);
    unlink(trace);
}

/* record asks for room ahead of need (a unit's arrays: address space, not
 * memory); where address space is limited (ulimit -v, strict overcommit)
 * it does without, and records as before. */
Test(cli, record_within_a_small_address_space)
{
#ifdef __SANITIZE_ADDRESS__
    cr_skip_test("AddressSanitizer reserves terabytes of address space: no ulimit -v under it");
#else
    char out[8192], trace[256];
    snprintf(trace, sizeof trace, "/tmp/battrace-cli-%d-va.trace", (int)getpid());
    cr_assert_eq(t_sh(out, sizeof out, "ulimit -v 400000 && %s record traces/example_batt.py --tasks traces/tasks -o %s",
                      t_bin(), trace), 0, "%s", out);
    cr_assert(strstr(out, "-> /tmp/battrace-cli-"), "%s", out);
    unlink(trace);
#endif
}

/* No command keeps every node of a trace in memory (the full cross
 * workload's would take 50 GB): under a memory figure far below a trace's
 * nodes (BATTRACE_MEM_AVAILABLE stands in for /proc/meminfo's), where
 * trace_read refuses, each reads the trace a unit at a time and writes what
 * it writes with all the memory there is. */
Test(cli, commands_read_a_trace_a_unit_at_a_time)
{
    char out[8192];
    Recorded x;
    record_example(&x, "mem", "traces/example_batt.py");
    const char *cmds[] = {"inspect %s --json %s", "inspect %s --rows %s", "profile %s --json %s",
                          "replay %s --verify --json %s"};
    for (int k = 0; k < 4; k++) {
        char cmd[512], small[512];
        snprintf(cmd, sizeof cmd, cmds[k], x.trace, x.rows);
        snprintf(small, sizeof small, cmds[k], x.trace, x.run_rows);
        cr_assert_eq(t_sh(out, sizeof out, "%s %s", t_bin(), cmd), 0, "%s: %s", cmd, out);
        strcat(small, ".small");
        cr_assert_eq(t_sh(out, sizeof out, "BATTRACE_MEM_AVAILABLE=2000 %s %s", t_bin(), small), 0, "%s: %s", small,
                     out);
        cr_assert_eq(t_sh(out, sizeof out, "cmp %s %s.small", x.rows, x.run_rows), 0, "%s: %s", cmd, out);
        char tmp[300];
        snprintf(tmp, sizeof tmp, "%s.small", x.run_rows);
        unlink(tmp);
    }
    drop_recorded(&x);
}

/* Trace t written again to path (then freed): a well-formed trace,
 * checksums and all, that no recording made when t was changed. */
static void rewrite(const char *path, Trace *t)
{
    char err[512];
    TraceWriter *w = tw_open(path, t, err, sizeof err);
    cr_assert(w, "%s", err);
    for (uint64_t u = 0; u < t->nunits; u++)
        cr_assert_eq(tw_unit(w, &t->units[u], &t->nodes[t->units[u].first_node], t->args), 0);
    cr_assert_eq(tw_close(w, t, t->meta_json, err, sizeof err), 0, "%s", err);
    trace_free(t);
}

/* The trace at path with the result of node k (of the whole trace)
 * replaced by that of node j. */
static void swap_result(const char *path, uint64_t k, uint64_t j)
{
    Trace t;
    char err[512];
    cr_assert_eq(trace_read(path, &t, err, sizeof err), 0, "%s", err);
    t.nodes[k].result = t.nodes[j].result;
    rewrite(path, &t);
}

/* Two nodes of one kind (statement: parent 0, or nested) with different
 * results; false when the trace has none. */
static bool two_results(const char *path, int nested, uint64_t *k, uint64_t *j)
{
    Trace t;
    char err[512];
    cr_assert_eq(trace_read(path, &t, err, sizeof err), 0, "%s", err);
    bool found = false;
    for (uint64_t a = 0; a < t.nnodes && !found; a++)
        for (uint64_t b = a + 1; b < t.nnodes && !found; b++) {
            const TraceNode *x = &t.nodes[a], *y = &t.nodes[b];
            if (!x->err && !y->err && (x->parent != 0) == nested && (y->parent != 0) == nested &&
                x->op == y->op && x->result != y->result) {
                *k = a, *j = b;
                found = true;
            }
        }
    trace_free(&t);
    return found;
}

/* replay --verify fails loudly on a trace whose recorded results are not
 * what the programs compute: a statement's result (caught by comparing the
 * scheduler's results) and a result inside a closure (caught by recording
 * every unit again); exit 1, the difference named. */
Test(cli, replay_verify_names_a_changed_result)
{
    char out[8192];
    const char *what[2] = {"statement", "recording again differs"};
    for (int nested = 0; nested < 2; nested++) {
        Recorded x;
        record_example(&x, nested ? "vn" : "vs", "traces/example_solvers.py");
        uint64_t k, j;
        cr_assert(two_results(x.trace, nested, &k, &j), "the example has two such nodes");
        swap_result(x.trace, k, j);
        cr_assert_eq(t_sh(out, sizeof out, "%s replay %s --verify", t_bin(), x.trace), 1, "%s", out);
        cr_assert(strstr(out, "--verify: ") && strstr(out, what[nested]), "%s", out);
        drop_recorded(&x);
    }
}

/* The first nested node that returned, with a value argument first. */
static uint64_t first_nested(const Trace *t)
{
    for (uint64_t k = 0; k < t->nnodes; k++) {
        const TraceNode *n = &t->nodes[k];
        if (n->parent && !n->err && n->op < P__COUNT && n->nargs &&
            ref_kind(t->args[n->args_at]) == REF_VALUE)
            return k;
    }
    cr_assert_fail("the example has no nested node with a value argument");
    return 0;
}

static void nested_raises(Trace *t)
{
    t->nodes[first_nested(t)].err = ERR_TYPE;
}

static void nested_other_primitive(Trace *t)
{
    TraceNode *n = &t->nodes[first_nested(t)];
    n->op = n->op == P_identity ? P_size : P_identity;
}

static void nested_other_argument(Trace *t)
{
    TraceNode *n = &t->nodes[first_nested(t)];
    t->args[n->args_at] = ref_make(REF_VALUE, t->samples[0].input);
}

static void call_returned_otherwise(Trace *t)
{
    t->units[0].calls[0].out = t->samples[0].input + 1;
}

static void call_ended_otherwise(Trace *t)
{
    TraceCall *c = &t->units[0].calls[0];
    c->err = ERR_VALUE;
    c->out = 0;
}

static void call_ended_at_its_first_statement(Trace *t)
{
    TraceCall *c = &t->units[0].calls[0];
    c->err = ERR_TYPE;
    c->done = 0;
    c->out = 0;
}

/* Statement 0's binding by the value its node returned (REF_VALUE), not by
 * the node: the same value, so the statement results agree; only recording
 * again finds the provenance changed. */
static void binding_by_value(Trace *t)
{
    const TraceUnit *u = &t->units[0];
    uint64_t *b = &u->calls[0].bind[0];
    cr_assert_eq(ref_kind(*b), REF_NODE, "statement 0 of unit 0 is bound to its node");
    *b = ref_make(REF_VALUE, t->nodes[u->first_node + ref_index(*b)].result);
}

/* A second call the program never made (nothing done, nothing bound). */
static void unit_with_a_second_call(Trace *t)
{
    TraceUnit *u = &t->units[0];
    cr_assert_eq(u->ncalls, 1);
    memset(&u->calls[1], 0, sizeof u->calls[1]);
    u->ncalls = 2;
}

/* Unit 0 given one node more: the next unit's first, a well-formed node
 * (a statement on inputs and values) that no binding names. */
static void unit_with_another_node(Trace *t)
{
    cr_assert_gt(t->nunits, 1);
    t->units[0].nnodes++;
}

/* replay --verify on traces changed in each way a recording could be wrong:
 * exit 1, the difference named. */
Test(cli, replay_verify_names_each_kind_of_difference)
{
    static const struct {
        void (*change)(Trace *);
        const char *program, *says;
    } cases[] = {
        {nested_raises, "traces/example_solvers.py",
         "(bordering): recorded TypeError, recording again gave a value"},
        {nested_other_primitive, "traces/example_solvers.py",
         "(identity): recording again made another node (bordering)"},
        {nested_other_argument, "traces/example_solvers.py", "(bordering): argument 1 differs"},
        {call_returned_otherwise, "traces/example_solvers.py", "call 0 returned another value"},
        {call_ended_otherwise, "traces/example_solvers.py",
         "call 0 ended otherwise: recorded ValueError after 6 statements, now a return after 6"},
        {call_returned_otherwise, "traces/example_batt.py", "(batt on 00d62c1b): call 0 returned another value"},
        {call_ended_otherwise, "traces/example_batt.py", "(batt on 00d62c1b): call 0 ended otherwise"},
        {call_ended_at_its_first_statement, "traces/example_solvers.py",
         "call 0, statement 0: recorded TypeError ending the call, replay gave a value"},
        {binding_by_value, "traces/example_solvers.py",
         "recording again differs: unit 0 (solve_00d62c1b on 00d62c1b): call 0: binding 0 differs"},
        {unit_with_a_second_call, "traces/example_solvers.py",
         "recording again differs: unit 0 (solve_00d62c1b on 00d62c1b): recorded 2 calls, recording again gave 1"},
        {unit_with_another_node, "traces/example_solvers.py",
         "recording again differs: unit 0 (solve_00d62c1b on 00d62c1b): recorded 13 nodes, recording again gave 12"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char out[8192], err[512], tag[16];
        Recorded x;
        snprintf(tag, sizeof tag, "vk%zu", k);
        record_example(&x, tag, cases[k].program);
        Trace t;
        cr_assert_eq(trace_read(x.trace, &t, err, sizeof err), 0, "%s", err);
        cases[k].change(&t);
        rewrite(x.trace, &t);
        int rc = t_sh(out, sizeof out, "%s replay %s --verify", t_bin(), x.trace);
        cr_expect_eq(rc, 1, "case %zu: %s", k, out);
        cr_expect(strstr(out, "--verify: ") && strstr(out, cases[k].says), "case %zu: %s", k, out);
        drop_recorded(&x);
    }
}

/* A budget is no part of a program's meaning (recording's is per run,
 * replay's per node): units a budget ended, when recorded or in the replay,
 * are counted and left out of --verify's comparison, where they were
 * reported as differences. */
Test(cli, replay_verify_leaves_out_units_a_budget_ended)
{
    char out[8192], trace[256];
    snprintf(trace, sizeof trace, "/tmp/battrace-cli-%d-budget.trace", (int)getpid());
    const char *runs[][2] = {{"--mem-limit 2K", ""}, {"", "--mem-limit 1K"}};
    for (int k = 0; k < 2; k++) {
        cr_assert_eq(t_sh(out, sizeof out, "%s record traces/example_solvers.py --tasks traces/tasks -o %s --quiet %s",
                          t_bin(), trace, runs[k][0]), 0, "%s", out);
        cr_assert_eq(t_sh(out, sizeof out, "%s replay %s --verify %s", t_bin(), trace, runs[k][1]), 0, "%s", out);
        unsigned agreed = 0, skipped = 0;
        const char *line = strstr(out, "--verify: ");
        cr_assert(line && sscanf(line, "--verify: %u statement results agree with the trace (%u units a budget",
                                 &agreed, &skipped) == 2, "%s", out);
        cr_assert(agreed > 0 && skipped > 0, "%s", out);
    }
    unlink(trace);
}

/* The cost model fed by a profile of the same trace: rows still run's, the
 * counters name what it kept on the CPU; a profile without a GPU mode, or
 * with --gpu-min-width, is a usage error. */
Test(cli, replay_with_a_profile_fed_cost_model)
{
    char out[16384], prof[256];
    Recorded x;
    record_example(&x, "c", "traces/example_solvers.py");
    snprintf(prof, sizeof prof, "/tmp/battrace-cli-%d-prof.json", (int)getpid());
    cr_assert_eq(t_sh(out, sizeof out, "%s profile %s --json %s", t_bin(), x.trace, prof), 0, "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s replay %s --gpu-host --gpu-profile %s --verify --json %s", t_bin(), x.trace,
                      prof, x.rows), 0, "%s", out);
    cr_assert(strstr(out, "kept on the CPU by the cost model"), "%s", out);
    expect_run_rows(&x, "cost");
    cr_assert_eq(t_sh(out, sizeof out, "%s replay %s --gpu-profile %s", t_bin(), x.trace, prof), 2, "%s", out);
    cr_assert(strstr(out, "--gpu-profile"), "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s replay %s --gpu-host --gpu-profile %s --gpu-min-width 4", t_bin(), x.trace,
                      prof), 2, "%s", out);
    cr_assert_eq(t_sh(out, sizeof out, "%s replay %s --gpu-host --gpu-profile /nonexistent.json", t_bin(), x.trace),
                 2, "%s", out);
    unlink(prof);
    drop_recorded(&x);
}

/* A device error never changes a result: with every third download of the
 * value store failing (fault injection on the host stand-in), the batches
 * and grids that fail are computed again on the CPU, the errors are counted,
 * and the rows are run's. */
Test(cli, replay_survives_failed_downloads)
{
    char out[16384];
    Recorded x;
    record_example(&x, "f", "traces/example_solvers.py");
    for (int verify = 0; verify < 2; verify++) {
        cr_assert_eq(t_sh(out, sizeof out, "BATTRACE_FAULT_DOWNLOADS=3 %s replay %s --gpu-host %s --json %s", t_bin(),
                          x.trace, verify ? "--verify" : "", x.rows), 0, "%s", out);
        cr_assert(strstr(out, "(device errors!)"), "%s", out);
        cr_assert(!strstr(out, "device errors 0\n"), "%s", out);
        expect_run_rows(&x, "faults");
    }
    drop_recorded(&x);
}
