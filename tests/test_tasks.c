/* test_tasks.c: the task loader: every input format, key order, S, samples
 * without outputs, and the messages for malformed or missing input. Fixtures
 * are written to a fresh temporary directory per test and removed after. */
#include "support.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../runtime/pyops.h"
#include "../runtime/tasks.h"

static char tdir[64];

static void fx_setup(void)
{
    strcpy(tdir, "/tmp/battrace-tasks-XXXXXX");
    cr_assert_not_null(mkdtemp(tdir));
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st, (void)flag, (void)f;
    return remove(p);
}

static void fx_teardown(void) { nftw(tdir, rm_one, 16, FTW_DEPTH | FTW_PHYS); }

TestSuite(tasks, .init = fx_setup, .fini = fx_teardown);

/* tdir/name (rotating static buffers, good for 16 live paths). */
static const char *P(const char *name)
{
    static char bufs[16][256];
    static int k;
    k = (k + 1) & 15;
    snprintf(bufs[k], sizeof bufs[k], "%s/%s", tdir, name);
    return bufs[k];
}

/* Write text to tdir/name; returns the path. */
static const char *put(const char *name, const char *text)
{
    const char *p = P(name);
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f, "cannot write %s", p);
    fputs(text, f);
    fclose(f);
    return p;
}

static const char *subdir(const char *name)
{
    const char *p = P(name);
    cr_assert_eq(mkdir(p, 0700), 0);
    return p;
}

static void load_ok(const char *path, TaskSet *ts)
{
    char err[512] = "";
    int rc = taskset_load(path, ts, err, sizeof err);
    cr_assert_eq(rc, 0, "loading %s: %s", path, err);
}

/* Loading path fails with exactly `file: msg` and leaves the set empty. */
static void load_fails(const char *path, const char *file, const char *msg)
{
    TaskSet ts;
    char err[512] = "", want[512];
    cr_assert_eq(taskset_load(path, &ts, err, sizeof err), 2, "%s loaded", path);
    snprintf(want, sizeof want, "%s: %s", file, msg);
    cr_assert_str_eq(err, want);
    cr_assert_eq(ts.ntasks, 0);
    cr_assert_null(ts.tasks);
    taskset_free(&ts);
}

/* Loading a malformed file fails with `path:line:col: msg`. */
static void load_fails_json(const char *path, const char *msg)
{
    char want[512];
    snprintf(want, sizeof want, "%s:%s", path, msg);
    TaskSet ts;
    char err[512] = "";
    cr_assert_eq(taskset_load(path, &ts, err, sizeof err), 2, "%s loaded", path);
    cr_assert_str_eq(err, want);
    cr_assert_null(ts.tasks);
}

/* One task file whose first train example is `example`. */
static void bad_example(const char *example, const char *msg)
{
    char text[512];
    snprintf(text, sizeof text, "{\"train\": [{\"input\": [[0]], \"output\": [[0]]}, %s], \"test\": []}",
             example);
    const char *p = put("bad.json", text);
    load_fails(p, p, msg);
}

#define expect_val(v, lit) cr_assert(v_eq((v), V(lit)), "got %s, expected %s", R(v), lit)

static const char *TASK_A =
    "{\"train\": [{\"input\": [[1, 2], [3, 4]], \"output\": [[4, 3], [2, 1]]},\n"
    "            {\"input\": [[5]], \"output\": [[5, 5]]}],\n"
    " \"test\": [{\"input\": [[7, 8, 9]], \"output\": [[9]]}, {\"input\": [[0], [1]]}]}\n";

Test(tasks, single_task_file)
{
    TaskSet ts;
    load_ok(put("abc123.json", TASK_A), &ts);
    cr_assert_eq(ts.ntasks, 1);
    Task *t = &ts.tasks[0];
    cr_assert_str_eq(t->key, "abc123");
    cr_assert_eq(t->ntrain, 2);
    cr_assert_eq(t->ntest, 2);
    expect_val(t->train[0].input, "((1, 2), (3, 4))");
    expect_val(t->train[0].output, "((4, 3), (2, 1))");
    cr_assert(v_is_grid(t->train[0].input));
    expect_val(t->train[1].output, "((5, 5),)");
    expect_val(t->test[0].input, "((7, 8, 9),)");
    cr_assert(t->test[0].has_output);
    expect_val(t->test[0].output, "((9,),)");
    cr_assert_str_eq(R(t->train[0].input), "((1, 2), (3, 4))");
    taskset_free(&ts);
}

Test(tasks, test_example_without_output)
{
    TaskSet ts;
    load_ok(put("abc123.json", TASK_A), &ts);
    Sample *s = &ts.tasks[0].test[1];
    cr_assert_not(s->has_output);
    cr_assert_eq(s->output.tag, VT_NONE);
    expect_val(s->input, "((0,), (1,))");
    taskset_free(&ts);
}

Test(tasks, S_is_the_tuple_of_train_pairs)
{
    TaskSet ts;
    load_ok(put("abc123.json", TASK_A), &ts);
    Value S = ts.tasks[0].S;
    cr_assert(v_is_tuple(S));
    cr_assert_eq(v_len(S), 2);
    expect_val(S, "((((1, 2), (3, 4)), ((4, 3), (2, 1))), (((5,),), ((5, 5),)))");
    expect_val(v_item(S, 1), "(((5,),), ((5, 5),))");
    taskset_free(&ts);
}

Test(tasks, directory_sorted_by_key)
{
    const char *d = subdir("set");
    put("set/b.json", TASK_A);
    put("set/a-b.json", TASK_A);
    put("set/a.json", "{\"train\": [], \"test\": [{\"input\": [[3]]}]}");
    put("set/notes.txt", "not json");
    TaskSet ts;
    load_ok(d, &ts);
    cr_assert_eq(ts.ntasks, 3);
    /* a-b.json sorts before a.json by file name, but "a" < "a-b" by key */
    cr_assert_str_eq(ts.tasks[0].key, "a");
    cr_assert_str_eq(ts.tasks[1].key, "a-b");
    cr_assert_str_eq(ts.tasks[2].key, "b");
    cr_assert_eq(ts.tasks[0].ntrain, 0);
    cr_assert_eq(v_len(ts.tasks[0].S), 0, "S of a task without train examples is ()");
    cr_assert_eq(taskset_find(&ts, "a-b"), 1);
    cr_assert_eq(taskset_find(&ts, "b"), 2);
    cr_assert_eq(taskset_find(&ts, "c"), -1);
    cr_assert_eq(taskset_find(&ts, ""), -1);
    taskset_free(&ts);
}

Test(tasks, empty_directory)
{
    TaskSet ts;
    load_ok(subdir("empty"), &ts);
    cr_assert_eq(ts.ntasks, 0);
    cr_assert_eq(taskset_find(&ts, "x"), -1);
    taskset_free(&ts);
}

Test(tasks, rearc_list_is_all_train)
{
    TaskSet ts;
    load_ok(put("re.json", "[{\"input\": [[1]], \"output\": [[2]]}, {\"input\": [[3, 4]], \"output\": [[5]]},"
                           " {\"input\": [[6]], \"output\": [[7]]}]"), &ts);
    Task *t = &ts.tasks[0];
    cr_assert_str_eq(t->key, "re");
    cr_assert_eq(t->ntrain, 3);
    cr_assert_eq(t->ntest, 0);
    expect_val(t->train[1].input, "((3, 4),)");
    expect_val(t->S, "((((1,),), ((2,),)), (((3, 4),), ((5,),)), (((6,),), ((7,),)))");
    taskset_free(&ts);
}

static const char *KAGGLE_CHAL =
    "{\"t2\": {\"train\": [{\"input\": [[1]], \"output\": [[2]]}], \"test\": [{\"input\": [[3]]}]},\n"
    " \"t1\": {\"train\": [{\"input\": [[4, 4]], \"output\": [[5]]}],\n"
    "        \"test\": [{\"input\": [[6]]}, {\"input\": [[7]]}]}}";
static const char *KAGGLE_SOL = "{\"t1\": [[[8]], [[9, 9]]], \"t2\": [[[0]]]}";

static void check_kaggle(const TaskSet *ts, int with_solutions)
{
    cr_assert_eq(ts->ntasks, 2);
    const Task *t1 = &ts->tasks[0], *t2 = &ts->tasks[1];
    cr_assert_str_eq(t1->key, "t1");
    cr_assert_str_eq(t2->key, "t2");
    cr_assert_eq(t1->ntrain, 1);
    cr_assert_eq(t1->ntest, 2);
    expect_val(t1->train[0].input, "((4, 4),)");
    expect_val(t1->S, "((((4, 4),), ((5,),)),)");
    expect_val(t1->test[1].input, "((7,),)");
    cr_assert_eq(t1->test[1].has_output, with_solutions);
    cr_assert_eq(t2->test[0].has_output, with_solutions);
    if (with_solutions) {
        expect_val(t1->test[0].output, "((8,),)");
        expect_val(t1->test[1].output, "((9, 9),)");
        expect_val(t2->test[0].output, "((0,),)");
    } else {
        cr_assert_eq(t1->test[0].output.tag, VT_NONE);
    }
}

Test(tasks, kaggle_pair_by_either_name_or_directory)
{
    const char *d = subdir("kg");
    const char *chal = put("kg/arc-agi_training_challenges.json", KAGGLE_CHAL);
    const char *sol = put("kg/arc-agi_training_solutions.json", KAGGLE_SOL);
    put("kg/other.json", "this file is ignored beside a Kaggle pair");
    const char *paths[] = {chal, sol, d};
    for (int i = 0; i < 3; i++) {
        TaskSet ts;
        load_ok(paths[i], &ts);
        check_kaggle(&ts, 1);
        taskset_free(&ts);
    }
}

Test(tasks, kaggle_without_solutions)
{
    TaskSet ts;
    load_ok(put("x_challenges.json", KAGGLE_CHAL), &ts);
    check_kaggle(&ts, 0);
    taskset_free(&ts);
}

Test(tasks, kaggle_errors)
{
    const char *sol = put("y_solutions.json", KAGGLE_SOL);
    load_fails(sol, P("y_challenges.json"), "cannot open: No such file or directory");
    put("x_challenges.json", KAGGLE_CHAL);
    const char *bad = put("x_solutions.json", "{\"t1\": [[[8]]]}");
    load_fails(P("x_challenges.json"), bad, "task 't1': expected a list of 2 test output grids");
    put("x_solutions.json", "{\"t1\": [[[8]], [9]]}");
    load_fails(P("x_challenges.json"), bad,
               "task 't1': test[1].output: expected a list of lists of integers (row 0 is not a list)");
    put("x_solutions.json", "{\"t1\": [[[8]], [[9, 1.5]]]}");
    load_fails(P("x_challenges.json"), bad,
               "task 't1': test[1].output: expected a list of lists of integers (row 0, column 1 is not an integer)");
    const char *d = subdir("two");
    put("two/a_challenges.json", KAGGLE_CHAL);
    put("two/b_challenges.json", KAGGLE_CHAL);
    char msg[512];
    snprintf(msg, sizeof msg, "holds several Kaggle challenge files (%s, %s): name one of them",
             P("two/a_challenges.json"), P("two/b_challenges.json"));
    load_fails(d, d, msg);
    const char *dup = put("d_challenges.json", "{\"a\": {\"train\": []}, \"a\": {\"train\": []}}");
    load_fails(dup, dup, "duplicate task id 'a'");
    const char *list = put("z_challenges.json", "[1]");
    load_fails(list, list, "expected an object of tasks by id");
    put("x_challenges.json", KAGGLE_CHAL);
    bad = put("x_solutions.json", "[]");
    load_fails(P("x_challenges.json"), bad, "expected an object of test output lists by task id");
}

Test(tasks, ragged_and_empty_grids)
{
    TaskSet ts;
    load_ok(put("r.json", "{\"train\": [{\"input\": [], \"output\": [[1], [2, 3]]},"
                          " {\"input\": [[]], \"output\": [[-4, 12345678901]]}]}"), &ts);
    Task *t = &ts.tasks[0];
    cr_assert_eq(t->ntest, 0, "a missing \"test\" means no test examples");
    expect_val(t->train[0].input, "()");
    expect_val(t->train[0].output, "((1,), (2, 3))");
    cr_assert_not(v_is_grid(t->train[0].output));
    expect_val(t->train[1].input, "((),)");
    expect_val(t->train[1].output, "((-4, 12345678901),)");
    taskset_free(&ts);
}

/* A string that reads like a row turns the row fast path off for its file:
 * the same grids must come out, and the same errors. */
Test(tasks, rows_without_the_fast_path)
{
    TaskSet ts;
    load_ok(put("s.json", "{\"note\": \"1, 2\", \"train\": [{\"input\": [], \"output\": [[1], [2, 3]]},"
                          " {\"input\": [[]], \"output\": [[-4, 12345678901]]}]}"), &ts);
    Task *t = &ts.tasks[0];
    expect_val(t->train[0].input, "()");
    expect_val(t->train[0].output, "((1,), (2, 3))");
    expect_val(t->train[1].input, "((),)");
    expect_val(t->train[1].output, "((-4, 12345678901),)");
    taskset_free(&ts);
    const char *g = "task 's': train[0].input: expected a list of lists of integers";
    const char *p = put("s.json", "{\"n\": \"\", \"train\": [{\"input\": [[0, 99999999999999999999]]}]}");
    char msg[256];
    snprintf(msg, sizeof msg, "%s (row 0, column 1 is out of range)", g);
    load_fails(p, p, msg);
    p = put("s.json", "{\"n\": \"\", \"train\": [{\"input\": [[0, 1.0]]}]}");
    snprintf(msg, sizeof msg, "%s (row 0, column 1 is not an integer)", g);
    load_fails(p, p, msg);
    p = put("s.json", "{\"n\": \"\", \"train\": [{\"input\": [[0], \"1, 2\"]}]}");
    snprintf(msg, sizeof msg, "%s (row 1 is not a list)", g);
    load_fails(p, p, msg);
}

Test(tasks, floats_elsewhere_are_fine)
{
    TaskSet ts;
    load_ok(put("f.json", "{\"meta\": [1.5, -2e3, {\"x\": 0.25}], \"train\": [{\"input\": [[1]], "
                          "\"output\": [[2]], \"score\": 1.0}], \"test\": []}"), &ts);
    expect_val(ts.tasks[0].train[0].output, "((2,),)");
    taskset_free(&ts);
}

Test(tasks, malformed_json_line_and_column)
{
    /* positions as Python's json module reports them */
    const char *p = put("m.json", "{\n  \"train\": [\n    {\"input\": [[1]] \"output\": [[2]]}\n  ]\n}");
    load_fails_json(p, "3:21: malformed JSON near '\"output\": [[2]]}'");
    p = put("m.json", "{\"train\": [");
    load_fails_json(p, "1:12: malformed JSON: unexpected end of input");
    p = put("m.json", "");
    load_fails_json(p, "1:1: malformed JSON: unexpected end of input");
    p = put("m.json", "{\"train\": []}\n\n  }");
    load_fails_json(p, "3:3: malformed JSON near '}'");
    p = put("m.json", "{\"train\": [{\"input\": [[1, 2,]]}]}");
    load_fails_json(p, "1:29: malformed JSON near ']]}]}'");
    /* masked floats and rows move no later error, and the snippet is the file's text */
    p = put("m.json", "{\"train\": [{\"input\": [[1.5]]}] x}");
    load_fails_json(p, "1:32: malformed JSON near 'x}'");
    p = put("m.json", "{\"train\": [{\"input\": [[1, 2], [3, 4]]}, 2.5 [[7]]]}");
    load_fails_json(p, "1:45: malformed JSON near '[[7]]]}'");
    p = put("m.json", "[[[1, 2], [3]] x]");
    load_fails_json(p, "1:16: malformed JSON near 'x]'");
    /* columns count characters, not bytes (this would be column 22 in bytes) */
    p = put("m.json", "{\"\xc3\xa9\": \"\xc3\xa9\", \"a\": [1,, 2]}");
    load_fails_json(p, "1:20: malformed JSON near ', 2]}'");
}

/* What Python's json rejects is rejected, though cJSON alone would accept it. */
Test(tasks, strict_json_like_python)
{
    const char *p = put("m.json", "{\"train\": [{\"input\": [[01]]}]}");
    load_fails_json(p, "1:24: malformed JSON near '01]]}]}'");
    p = put("m.json", "{\"train\": [], \"x\": 1.}");
    load_fails_json(p, "1:20: malformed JSON near '1.}'");
    p = put("m.json", "{\"train\": [], \"x\": \"a\tb\"}");
    load_fails_json(p, "1:20: malformed JSON near '\"a'");
    p = put("m.json", "{\"train\": [], \"x\": \"\\u12\"}");
    load_fails_json(p, "1:20: malformed JSON near '\"\\u12\"}'");
    p = put("m.json", "{\"train\": [], \"x\": -}");
    load_fails_json(p, "1:20: malformed JSON near '-}'");
    FILE *f = fopen(p, "wb");
    fwrite("{\"train\": []}\0", 1, 15, f);
    fclose(f);
    load_fails_json(p, "1:14: malformed JSON: unexpected byte 0x00");
}

Test(tasks, wrong_types_in_grids)
{
    const char *g = "expected a list of lists of integers";
    char msg[256];
    snprintf(msg, sizeof msg, "task 'bad': train[1].input: %s (row 0, column 1 is not an integer)", g);
    bad_example("{\"input\": [[1, 1.5]], \"output\": [[0]]}", msg);
    bad_example("{\"input\": [[1, 2.0]], \"output\": [[0]]}", msg);
    bad_example("{\"input\": [[1, 1e2]], \"output\": [[0]]}", msg);
    bad_example("{\"input\": [[1, \"2\"]], \"output\": [[0]]}", msg);
    bad_example("{\"input\": [[1, true]], \"output\": [[0]]}", msg);
    bad_example("{\"input\": [[1, [2]]], \"output\": [[0]]}", msg);
    bad_example("{\"input\": [[1, null]], \"output\": [[0]]}", msg);
    snprintf(msg, sizeof msg, "task 'bad': train[1].output: %s (row 1 is not a list)", g);
    bad_example("{\"input\": [[1]], \"output\": [[0], 3]}", msg);
    snprintf(msg, sizeof msg, "task 'bad': train[1].output: %s", g);
    bad_example("{\"input\": [[1]], \"output\": null}", msg);
    bad_example("{\"input\": [[1]], \"output\": {\"a\": 1}}", msg);
    snprintf(msg, sizeof msg, "task 'bad': train[1].input: %s (row 0, column 1 is out of range)", g);
    bad_example("{\"input\": [[0, 99999999999999999999]], \"output\": [[0]]}", msg);
    bad_example("{\"input\": [[0, -9007199254740993]], \"output\": [[0]]}", msg);
    snprintf(msg, sizeof msg, "task 'bad': train[1].input: %s (row 0 is not a list)", g);
    bad_example("{\"input\": [1, 2], \"output\": [[0]]}", msg);
}

Test(tasks, missing_keys_and_wrong_shapes)
{
    bad_example("{\"output\": [[1]]}", "task 'bad': train[1]: missing \"input\"");
    bad_example("[[1]]", "task 'bad': train[1]: expected an object with \"input\" and \"output\"");
    const char *p = put("t.json", "{\"test\": []}");
    load_fails(p, p, "task 't': missing \"train\"");
    p = put("t.json", "{\"train\": {}}");
    load_fails(p, p, "task 't': \"train\" is not a list of examples");
    p = put("t.json", "{\"train\": [], \"test\": 3}");
    load_fails(p, p, "task 't': \"test\" is not a list of examples");
    p = put("t.json", "42");
    load_fails(p, p, "expected a task object or a list of examples");
    p = put("t.json", "[{\"input\": [[1]], \"output\": [[1]]}, 7]");
    load_fails(p, p, "task 't': train[1]: expected an object with \"input\" and \"output\"");
}

Test(tasks, bad_file_in_directory_is_named)
{
    const char *d = subdir("set");
    put("set/a.json", TASK_A);
    const char *b = put("set/b.json", "{\"train\": [{\"input\": [[1]], \"output\": [[x]]}]}");
    TaskSet ts;
    char err[512];
    cr_assert_eq(taskset_load(d, &ts, err, sizeof err), 2);
    cr_assert(strncmp(err, b, strlen(b)) == 0 && strstr(err, ":1:"), "%s", err);
    cr_assert_null(ts.tasks);
}

Test(tasks, missing_path)
{
    const char *p = P("nope.json");
    load_fails(p, p, "cannot open: No such file or directory");
    p = P("nodir");
    load_fails(p, p, "cannot open: No such file or directory");
}

Test(tasks, free_is_safe_on_empty_sets)
{
    TaskSet ts;
    memset(&ts, 0, sizeof ts);
    taskset_free(&ts);
    taskset_free(&ts);
    cr_assert_eq(taskset_find(&ts, "x"), -1);
    cr_assert_eq(taskset_load(P("nope"), &ts, NULL, 0), 2, "a NULL err buffer is allowed");
    taskset_free(&ts);
}

Test(tasks, shared_training_set)
{
    const char *shared = t_shared();
    if (!shared)
        cr_skip_test("../shared is not here (set BATTRACE_SHARED)");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/arc/training", shared);
    TaskSet ts;
    double ms = 1e9;
    for (int round = 0; round < 2; round++) { /* the best of two: the first may be cold */
        if (round)
            taskset_free(&ts);
        uint64_t t0 = now_ns();
        load_ok(dir, &ts);
        double took = (double)(now_ns() - t0) / 1e6;
        ms = took < ms ? took : ms;
    }
    size_t samples = 0;
    for (size_t i = 0; i < ts.ntasks; i++) {
        samples += ts.tasks[i].ntrain + ts.tasks[i].ntest;
        cr_assert_eq(v_len(ts.tasks[i].S), ts.tasks[i].ntrain);
        if (i)
            cr_assert_lt(strcmp(ts.tasks[i - 1].key, ts.tasks[i].key), 0);
    }
    cr_assert_eq(ts.ntasks, 400);
    cr_assert_eq(samples, 1718, "train + test samples, as counted by pyref.py's load_tasks");
    cr_assert_str_eq(ts.tasks[0].key, "007bbfb7");
    long k = taskset_find(&ts, "007bbfb7");
    cr_assert_eq(k, 0);
    expect_val(ts.tasks[0].train[0].input, "((0, 7, 7), (7, 7, 7), (0, 7, 7))");
    cr_assert(ts.tasks[0].test[0].has_output);
#if defined(__SANITIZE_ADDRESS__)
    double limit = 2000;
#else
    double limit = 100;
#endif
    cr_log_info("loaded 400 training tasks in %.1f ms", ms);
    cr_assert_lt(ms, limit, "loading took %.1f ms", ms);
    taskset_free(&ts);
}

/* A task file of some 550 KB: read in more than one step (the reader's
 * first buffer is 64 KiB), every cell of every example where it belongs. */
#define BIG_EXAMPLES 100
#define BIG_SIDE 30

static int big_cell(int e, int side, int i, int j) { return (i * 31 + j * 7 + e * 3 + side) % 10; }

static void put_big_grid(FILE *f, int e, int side)
{
    fputc('[', f);
    for (int i = 0; i < BIG_SIDE; i++) {
        fputs(i ? ", [" : "[", f);
        for (int j = 0; j < BIG_SIDE; j++)
            fprintf(f, j ? ", %d" : "%d", big_cell(e, side, i, j));
        fputc(']', f);
    }
    fputc(']', f);
}

Test(tasks, file_larger_than_the_first_read)
{
    const char *p = P("big.json");
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f);
    fputs("{\"train\": [", f);
    for (int e = 0; e < BIG_EXAMPLES; e++) {
        fputs(e ? ",\n{\"input\": " : "{\"input\": ", f);
        put_big_grid(f, e, 0);
        fputs(", \"output\": ", f);
        put_big_grid(f, e, 1);
        fputc('}', f);
    }
    fputs("], \"test\": []}\n", f);
    long size = ftell(f);
    fclose(f);
    cr_assert_gt(size, 8 * 65536L, "%ld bytes", size);
    TaskSet ts;
    load_ok(p, &ts);
    Task *t = &ts.tasks[0];
    cr_assert_eq(t->ntrain, BIG_EXAMPLES);
    for (int e = 0; e < BIG_EXAMPLES; e++)
        for (int side = 0; side < 2; side++) {
            Value g = side ? t->train[e].output : t->train[e].input;
            cr_assert(v_is_grid(g), "example %d", e);
            cr_assert_eq(grid_h(g), BIG_SIDE);
            cr_assert_eq(grid_w(g), BIG_SIDE);
            for (int i = 0; i < BIG_SIDE; i++)
                for (int j = 0; j < BIG_SIDE; j++)
                    cr_assert_eq(grid_at(g, (size_t)i, (size_t)j), big_cell(e, side, i, j),
                                 "example %d %s (%d, %d)", e, side ? "output" : "input", i, j);
        }
    taskset_free(&ts);
}

/* Every escape JSON allows, in a task id (Kaggle) and in a field the loader
 * ignores, is read as Python's json reads it. */
Test(tasks, json_escapes)
{
    const char *dir = subdir("esc");
    char path[512];
    snprintf(path, sizeof path, "%s/x_challenges.json", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("{\"t\\u0031\": {\"train\": [{\"input\": [[1]], \"output\": [[2]]}], \"test\": [],\n"
          "  \"note\": \"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9\"},\n"
          " \"a\\/b\": {\"train\": [], \"test\": [{\"input\": [[3]]}]}}\n",
          f);
    fclose(f);
    TaskSet ts;
    load_ok(path, &ts);
    cr_assert_eq(ts.ntasks, 2);
    cr_assert_str_eq(ts.tasks[0].key, "a/b");
    cr_assert_str_eq(ts.tasks[1].key, "t1");
    expect_val(ts.tasks[1].train[0].output, "((2,),)");
    taskset_free(&ts);
}
