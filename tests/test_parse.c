/* test_parse.c: the program parser (tracer/parse.c): what each accepted form
 * parses to, every rejection with its exact `file:line:col: message`, and the
 * real inputs: arc-dsl's solvers.py and batt files made by mkbatt.py. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../tracer/program.h"

#define SOLVER(body) "def solve_t(I):\n" body
#define BATT(body) "def batt(task_id, S, I, C, log_path):\n    s = []\n    o = []\n" body
#define GUARD(t, call, callee) \
    "    try:\n        " t " = " call "\n    except Exception:\n        " t " = _get_safe_default(" callee ")\n"

static const Program *parse_ok(ProgramFile *pf, const char *src)
{
    char err[512];
    int rc = program_parse("t.py", src, pf, err, sizeof err);
    cr_assert_eq(rc, 0, "rejected: %s\n--- source:\n%s", err, src);
    cr_assert_gt(pf->nprograms, 0);
    return &pf->programs[0];
}

static void reject(const char *src, const char *want)
{
    ProgramFile pf;
    char err[512];
    memset(&pf, 0x5a, sizeof pf);
    int rc = program_parse("t.py", src, &pf, err, sizeof err);
    cr_assert_eq(rc, 2, "accepted, expected %s\n--- source:\n%s", want, src);
    cr_assert_str_eq(err, want, "\n got: %s\nwant: %s\n--- source:\n%s", err, want, src);
    cr_assert_null(pf.programs, "nothing is left behind on a rejection");
    cr_assert_eq(pf.nprograms, 0);
}

static const char *repr_arg(const Arg *a) { return R(a->value); }

/* ---- accepted forms ---- */

Test(parse, solver_slots_args_and_callees)
{
    ProgramFile pf;
    const Program *p = parse_ok(&pf, "from dsl import *\nfrom constants import *\n\n"
                                     "def solve_00d62c1b(I):\n"
                                     "    x1 = objects(I, T, F, F)  # comment\n"
                                     "    x2 = colorfilter(x1, ZERO)\n"
                                     "    x3 = rbind(bordering, I)\n"
                                     "    x1 = x3(x2)\n"
                                     "    O = fill(I, FOUR, x2)\n"
                                     "    return O\n");
    cr_assert_eq(pf.nprograms, 1);
    cr_assert_eq(pf.is_batt, 0);
    cr_assert_str_eq(pf.path, "t.py");
    cr_assert_str_eq(p->name, "solve_00d62c1b");
    cr_assert_str_eq(p->task, "00d62c1b");
    cr_assert_eq(p->kind, PROG_SOLVER);
    cr_assert_eq(p->line, 4);
    cr_assert_eq(p->nstmts, 5);
    cr_assert_eq(p->nslots, 4, "x1 reassigned keeps its slot");
    cr_assert_str_eq(p->slot_names[0], "x1");
    cr_assert_str_eq(p->slot_names[1], "x2");
    cr_assert_str_eq(p->slot_names[2], "x3");
    cr_assert_str_eq(p->slot_names[3], "O");
    cr_assert_eq(p->ret_slot, 3);

    const Stmt *s = &p->stmts[0];
    cr_assert_eq(s->kind, ST_CALL);
    cr_assert_eq(s->line, 5);
    cr_assert_eq(s->col, 5);
    cr_assert_eq(s->target, 0);
    cr_assert_eq(s->callee_prim, prim_lookup("objects"));
    cr_assert_eq(s->nargs, 4);
    cr_assert_eq(s->args[0].kind, ARG_INPUT);
    cr_assert_eq(s->args[0].slot, INPUT_I);
    cr_assert_eq(s->args[0].col, 18);
    cr_assert_eq(s->args[1].kind, ARG_CONST);
    cr_assert_str_eq(repr_arg(&s->args[1]), "True");
    cr_assert_str_eq(repr_arg(&s->args[2]), "False");
    cr_assert_eq(s->guarded, 0);

    s = &p->stmts[1];
    cr_assert_eq(s->args[0].kind, ARG_VAR);
    cr_assert_eq(s->args[0].slot, 0);
    cr_assert_str_eq(repr_arg(&s->args[1]), "0");

    s = &p->stmts[2];
    cr_assert_eq(s->args[0].kind, ARG_PRIM);
    cr_assert_eq(s->args[0].prim, prim_lookup("bordering"));

    s = &p->stmts[3];
    cr_assert_null(s->callee_prim, "a variable callee");
    cr_assert_eq(s->callee_slot, 2);
    cr_assert_eq(s->target, 0);
    cr_assert_eq(s->nargs, 1);
    program_free(&pf);
    cr_assert_null(pf.programs);
}

Test(parse, every_constant_has_its_value)
{
    static const char *const table[][2] = {
        {"T", "True"}, {"F", "False"}, {"ZERO", "0"}, {"ONE", "1"}, {"TWO", "2"}, {"THREE", "3"},
        {"FOUR", "4"}, {"FIVE", "5"}, {"SIX", "6"}, {"SEVEN", "7"}, {"EIGHT", "8"}, {"NINE", "9"},
        {"TEN", "10"}, {"NEG_ONE", "-1"}, {"NEG_TWO", "-2"}, {"DOWN", "(1, 0)"}, {"RIGHT", "(0, 1)"},
        {"UP", "(-1, 0)"}, {"LEFT", "(0, -1)"}, {"ORIGIN", "(0, 0)"}, {"UNITY", "(1, 1)"},
        {"NEG_UNITY", "(-1, -1)"}, {"UP_RIGHT", "(-1, 1)"}, {"DOWN_LEFT", "(1, -1)"},
        {"ZERO_BY_TWO", "(0, 2)"}, {"TWO_BY_ZERO", "(2, 0)"}, {"TWO_BY_TWO", "(2, 2)"},
        {"THREE_BY_THREE", "(3, 3)"},
    };
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
        char src[200];
        snprintf(src, sizeof src, SOLVER("    x1 = identity(%s)\n    return x1\n"), table[k][0]);
        ProgramFile pf;
        const Program *p = parse_ok(&pf, src);
        cr_assert_eq(p->stmts[0].args[0].kind, ARG_CONST, "%s", table[k][0]);
        cr_assert_str_eq(repr_arg(&p->stmts[0].args[0]), table[k][1], "%s", table[k][0]);
        program_free(&pf);
    }
}

Test(parse, solver_variants)
{
    ProgramFile pf;
    parse_ok(&pf, "# leading comment\n"
                  "def verify_abc(grid: Grid) -> Grid:\n"
                  "    x1 = hconcat(\n"
                  "        grid,   # continued inside brackets\n"
                  "        grid,\n"
                  "    )\n"
                  "\n"
                  "    return x1\n"
                  "def solve_t2(I):\r\n    x1 = rot90(I)\r\n    return x1\r\n"
                  "def solve_t3(I: Tuple[Tuple[int, ...], ...]) -> Grid:\n    x1 = rot90(I)\n    return x1\n");
    cr_assert_eq(pf.nprograms, 3);
    const Program *p = &pf.programs[0];
    cr_assert_str_eq(p->name, "verify_abc");
    cr_assert_str_eq(p->task, "abc");
    cr_assert_eq(p->stmts[0].nargs, 2, "trailing comma allowed");
    cr_assert_eq(p->stmts[0].args[1].kind, ARG_INPUT, "the parameter is the input, whatever its name");
    cr_assert_eq(p->stmts[0].args[1].line, 5);
    cr_assert_str_eq(pf.programs[1].task, "t2");
    cr_assert_eq(pf.programs[1].line, 9, "CRLF line ends count as one");
    program_free(&pf);
}

Test(parse, batt_guards_appends_and_inputs)
{
    ProgramFile pf;
    const Program *p = parse_ok(&pf, "from dsl import *\nfrom constants import *\n"
                                     "from safe_dsl import _get_safe_default\n\n"
                                     "def batt(task_id: str, S, I, C, log_path) -> tuple:\n"
                                     "    o = []\n"
                                     "    s = []\n"
                                     "    try:\n"
                                     "        t1 = rbind(objects, T)\n"
                                     "    except Exception:\n"
                                     "        t1 = _get_safe_default(rbind)\n"
                                     "    try:\n"
                                     "        t2 = t1(I)\n"
                                     "    except (TypeError, ValueError,):\n"
                                     "        t2 = _get_safe_default(t1)\n"
                                     "    try:\n"
                                     "        t3 = C(S)\n"
                                     "    except IndexError:\n"
                                     "        t3 = _get_safe_default(C)\n"
                                     "    t4 = astuple(t3, NEG_ONE)\n"
                                     "    o.append((2, False, '00d62c1b', t2))\n"
                                     "    s.append((9, \"a\\'b\", -3, True, None, task_id, S, log_path))\n"
                                     "    o.append((t4,))\n"
                                     "    s.append(())\n"
                                     "    return o, s\n");
    cr_assert_eq(pf.is_batt, 1);
    cr_assert_eq(p->kind, PROG_BATT);
    cr_assert_str_eq(p->name, "batt");
    cr_assert_str_eq(p->task, "");
    cr_assert_eq(p->nstmts, 8);
    cr_assert_eq(p->nslots, 4);

    const Stmt *st = &p->stmts[0];
    cr_assert(st->guarded && st->catch_all);
    cr_assert_eq(st->ncatch, 1);
    cr_assert_str_eq(st->catch_names[0], "Exception");
    cr_assert_eq(st->line, 9, "a guarded statement stands at its assignment");
    cr_assert_eq(st->col, 9);
    cr_assert_eq(st->args[0].kind, ARG_PRIM);

    st = &p->stmts[1];
    cr_assert(st->guarded && !st->catch_all);
    cr_assert_eq(st->ncatch, 2);
    cr_assert_str_eq(st->catch_names[0], "TypeError");
    cr_assert_str_eq(st->catch_names[1], "ValueError");
    cr_assert_null(st->callee_prim);
    cr_assert_eq(st->callee_slot, 0);

    st = &p->stmts[2];
    cr_assert_eq(st->ncatch, 1);
    cr_assert_str_eq(st->catch_names[0], "IndexError");
    cr_assert_eq(st->callee_slot, -1 - INPUT_C, "an input called as a function");
    cr_assert_eq(st->args[0].kind, ARG_INPUT);
    cr_assert_eq(st->args[0].slot, INPUT_S);

    st = &p->stmts[3];
    cr_assert_eq(st->guarded, 0);
    cr_assert_eq(st->ncatch, 0);
    cr_assert_str_eq(repr_arg(&st->args[1]), "-1");

    st = &p->stmts[4];
    cr_assert_eq(st->kind, ST_APPEND_O);
    cr_assert_eq(st->nargs, 4);
    cr_assert_str_eq(repr_arg(&st->args[0]), "2");
    cr_assert_str_eq(repr_arg(&st->args[1]), "False");
    cr_assert_eq(st->args[2].value.tag, VT_STR);
    cr_assert_str_eq(st->args[2].value.u.str, "00d62c1b");
    cr_assert_eq(st->args[3].kind, ARG_VAR);
    cr_assert_eq(st->args[3].slot, 1);

    st = &p->stmts[5];
    cr_assert_eq(st->kind, ST_APPEND_S);
    cr_assert_eq(st->nargs, 8);
    cr_assert_str_eq(st->args[1].value.u.str, "a'b");
    cr_assert_str_eq(repr_arg(&st->args[2]), "-3");
    cr_assert_str_eq(repr_arg(&st->args[3]), "True");
    cr_assert_str_eq(repr_arg(&st->args[4]), "None");
    cr_assert_eq(st->args[5].slot, INPUT_TASK_ID);
    cr_assert_eq(st->args[6].slot, INPUT_S);
    cr_assert_eq(st->args[7].slot, INPUT_LOG_PATH);

    cr_assert_eq(p->stmts[6].nargs, 1, "(t4,) is a one-item tuple");
    cr_assert_eq(p->stmts[7].nargs, 0);
    program_free(&pf);
}

Test(parse, load_reads_a_file)
{
    char path[] = "/tmp/battrace-parse-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    static const char src[] = SOLVER("    x1 = rot90(I)\n    return x1\n");
    cr_assert_eq(write(fd, src, sizeof src - 1), (ssize_t)(sizeof src - 1));
    close(fd);
    ProgramFile pf;
    char err[256];
    int rc = program_load(path, &pf, err, sizeof err);
    unlink(path);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_str_eq(pf.path, path);
    cr_assert_str_eq(pf.programs[0].task, "t");
    program_free(&pf);
}

/* ---- rejections ---- */

Test(parse, rejects_unreadable_files)
{
    ProgramFile pf;
    char err[256];
    cr_assert_eq(program_load("/nonexistent/x.py", &pf, err, sizeof err), 2);
    cr_assert_str_eq(err, "/nonexistent/x.py: cannot open: No such file or directory");
    cr_assert_null(pf.programs);
    cr_assert_eq(program_load("/tmp", &pf, err, sizeof err), 2);
    cr_assert_str_eq(err, "/tmp: cannot read: Is a directory");
}

Test(parse, rejects_empty_files)
{
    reject("", "t.py:1:1: no programs in file");
    reject("# nothing\n\n", "t.py:3:1: no programs in file");
    reject("from dsl import *\n", "t.py:2:1: no programs in file");
}

Test(parse, rejects_keyword_arguments)
{
    reject(SOLVER("    x1 = objects(I, T, F, without_bg=T)\n    return x1\n"),
           "t.py:2:27: keyword arguments are not supported");
}

Test(parse, rejects_literals_as_arguments)
{
    reject(SOLVER("    x1 = fill(I, 5, I)\n    return x1\n"), "t.py:2:18: literals are not allowed as call arguments");
    reject(SOLVER("    x1 = fill(I, -1, I)\n    return x1\n"), "t.py:2:18: literals are not allowed as call arguments");
    reject(SOLVER("    x1 = fill(I, True, I)\n    return x1\n"), "t.py:2:18: literals are not allowed as call arguments");
    reject(SOLVER("    x1 = fill(I, 'a', I)\n    return x1\n"), "t.py:2:18: literals are not allowed as call arguments");
    reject(SOLVER("    x1 = fill(I, [], I)\n    return x1\n"), "t.py:2:18: literals are not allowed as call arguments");
    reject(SOLVER("    x1 = fill(I, (1, 2), I)\n    return x1\n"),
           "t.py:2:18: tuples and parenthesised expressions are not supported");
    reject(SOLVER("    x1 = 5\n    return x1\n"), "t.py:2:10: assignment must be a call: NAME = CALLEE(ARG, ...)");
    reject(SOLVER("    x1 = I\n    return x1\n"), "t.py:2:10: assignment must be a call: NAME = CALLEE(ARG, ...)");
}

Test(parse, rejects_nested_calls)
{
    reject(SOLVER("    x1 = fill(I, ONE, ofcolor(I, ONE))\n    return x1\n"),
           "t.py:2:23: nested calls are not supported");
    reject(SOLVER("    x1 = rbind(fill, I)(ONE)\n    return x1\n"), "t.py:2:24: nested calls are not supported");
}

Test(parse, rejects_operators)
{
    reject(SOLVER("    x1 = I + I\n    return x1\n"), "t.py:2:12: operators are not supported");
    reject(SOLVER("    x1 = rot90(I + I)\n    return x1\n"), "t.py:2:18: operators are not supported");
    reject(SOLVER("    x1 = rot90(I) * TWO\n    return x1\n"), "t.py:2:19: operators are not supported");
    reject(SOLVER("    x1 = equality(I == I)\n    return x1\n"), "t.py:2:21: operators are not supported");
    reject(SOLVER("    x1 = rot90(not I)\n    return x1\n"), "t.py:2:16: operators are not supported");
    reject(SOLVER("    x1 += rot90(I)\n    return x1\n"), "t.py:2:8: operators are not supported");
}

Test(parse, rejects_subscripts_and_attributes)
{
    reject(SOLVER("    x1 = rot90(I[0])\n    return x1\n"), "t.py:2:17: subscripts are not supported");
    reject(SOLVER("    x1 = I[0]\n    return x1\n"), "t.py:2:11: subscripts are not supported");
    reject(SOLVER("    x1 = rot90(I.T)\n    return x1\n"), "t.py:2:17: attribute access is not supported");
    reject(SOLVER("    x1 = I.copy()\n    return x1\n"), "t.py:2:11: attribute access is not supported");
    reject(SOLVER("    I.append(I)\n    return I\n"), "t.py:2:6: attribute access is not supported");
    reject(BATT("    o.extend((1,))\n    return o, s\n"),
           "t.py:4:7: only o.append(...) and s.append(...) are supported");
}

Test(parse, rejects_control_flow)
{
    reject(SOLVER("    if I:\n        x1 = rot90(I)\n    return x1\n"), "t.py:2:5: 'if' is not supported");
    reject(SOLVER("    for x in I:\n        x1 = rot90(I)\n    return x1\n"), "t.py:2:5: 'for' is not supported");
    reject(SOLVER("    while I:\n        x1 = rot90(I)\n    return x1\n"), "t.py:2:5: 'while' is not supported");
    reject(SOLVER("    with I:\n        x1 = rot90(I)\n    return x1\n"), "t.py:2:5: 'with' is not supported");
    reject(SOLVER("    x1 = apply(lambda x: x, I)\n    return x1\n"), "t.py:2:16: 'lambda' is not supported");
    reject(SOLVER("    x1 = lambda(I)\n    return x1\n"), "t.py:2:10: 'lambda' is not supported");
    reject(SOLVER("    try:\n        x1 = rot90(I)\n    except Exception:\n        x1 = rot90(I)\n    return x1\n"),
           "t.py:2:5: 'try' is not supported");
    reject("if T:\n    pass\n", "t.py:1:1: 'if' is not supported");
    reject("class A:\n    pass\n", "t.py:1:1: 'class' is not supported");
}

Test(parse, rejects_unknown_and_unassigned_names)
{
    reject(SOLVER("    x1 = rot90(x9)\n    return x1\n"), "t.py:2:16: name 'x9' is not defined");
    reject(SOLVER("    x1 = frobnicate(I)\n    return x1\n"), "t.py:2:10: name 'frobnicate' is not defined");
    reject(SOLVER("    x1 = rot90(x2)\n    x2 = rot90(I)\n    return x1\n"),
           "t.py:2:16: name 'x2' is used before assignment");
    reject(SOLVER("    x1 = rot90(x1)\n    return x1\n"), "t.py:2:16: name 'x1' is used before assignment");
    reject(SOLVER("    x1 = x2(I)\n    x2 = rot90(I)\n    return x1\n"),
           "t.py:2:10: name 'x2' is used before assignment");
    reject(SOLVER("    x1 = rot90(I)\n    return x3\n"), "t.py:3:12: name 'x3' is not defined");
    reject(SOLVER("    x1 = rot90(S)\n    return x1\n"), "t.py:2:16: name 'S' is not defined");
    reject("def solve_a(I):\n    x1 = rot90(I)\n    return x1\ndef solve_b(I):\n    x2 = rot90(x1)\n    return x2\n",
           "t.py:5:16: name 'x1' is not defined");
    reject(BATT("    x1 = _get_safe_default(rot90)\n    return o, s\n"),
           "t.py:4:10: _get_safe_default is only allowed in an except block");
    reject(BATT("    t1 = rot90(o)\n    return o, s\n"), "t.py:4:16: 'o' is a list: only o.append(...) is supported");
    reject(BATT("    t1 = o(I)\n    return o, s\n"), "t.py:4:10: 'o' is a list: only o.append(...) is supported");
    /* task_id and log_path are str: appended as they are, never a call's argument */
    reject(BATT("    t1 = size(task_id)\n    return o, s\n"),
           "t.py:4:15: 'task_id' is a str: it may stand in an append tuple, not as a call's argument");
    reject(BATT("    t1 = astuple(I, log_path)\n    return o, s\n"),
           "t.py:4:21: 'log_path' is a str: it may stand in an append tuple, not as a call's argument");
    /* pyref gives a program dsl's and constants' names, not safe_dsl's */
    reject(BATT(GUARD("t1", "rot90(I)", "rot90") "    return o, s\n"),
           "t.py:7:14: name '_get_safe_default' is not defined (the file must say: "
           "from safe_dsl import _get_safe_default)");
    ProgramFile pf;
    parse_ok(&pf, BATT(GUARD("t1", "rot90(I)", "rot90") "    return o, s\n") "from safe_dsl import _get_safe_default\n");
    program_free(&pf);
    reject("def batt(task_id, S, I, C, log_path):\n    s = []\n    return o, s\n", "t.py:3:12: name 'o' is not defined");
    reject("def batt(task_id, S, I, C, log_path):\n    o.append((1,))\n    o = []\n    s = []\n    return o, s\n",
           "t.py:2:5: name 'o' is used before assignment");
}

Test(parse, rejects_bad_assignments)
{
    reject(SOLVER("    fill = rot90(I)\n    return fill\n"), "t.py:2:5: cannot assign to primitive 'fill'");
    reject(SOLVER("    ONE = rot90(I)\n    return ONE\n"), "t.py:2:5: cannot assign to constant 'ONE'");
    reject(SOLVER("    I = rot90(I)\n    return I\n"), "t.py:2:5: cannot assign to parameter 'I'");
    reject(BATT("    o = rot90(I)\n    return o, s\n"), "t.py:4:5: 'o' can only be initialised as o = []");
    reject(BATT("    s = []\n    return o, s\n"), "t.py:4:5: 's' is already initialised");
    reject(SOLVER("    x1, x2 = rot90(I)\n    return x1\n"), "t.py:2:7: tuple assignment is not supported");
    reject(SOLVER("    rot90(I)\n    return I\n"), "t.py:2:10: a call's result must be assigned: NAME = CALLEE(ARG, ...)");
    reject(SOLVER("    x1 = ONE(I)\n    return x1\n"), "t.py:2:10: constant 'ONE' is not callable");
    reject(SOLVER("    x1 = rot90(I); x2 = rot90(I)\n    return x1\n"),
           "t.py:2:18: one statement per line (';' is not supported)");
    reject(SOLVER("    None = rot90(I)\n    return None\n"), "t.py:2:5: cannot assign to keyword 'None'");
    reject(BATT(GUARD("o", "rot90(I)", "rot90") "    return o, s\n"), "t.py:5:9: cannot assign to list 'o'");
    reject(BATT("    _get_safe_default = rot90(I)\n    return o, s\n"),
           "t.py:4:5: cannot assign to function '_get_safe_default'");
    reject(SOLVER("    x1: int = rot90(I)\n    return x1\n"), "t.py:2:7: annotated assignments are not supported");
    reject(SOLVER("    42\n    return I\n"), "t.py:2:5: expected a statement NAME = CALLEE(ARG, ...), got a number");
    reject(SOLVER("    'doc'\n    return I\n"), "t.py:2:5: expected a statement NAME = CALLEE(ARG, ...), got a string");
    reject(SOLVER("    x1 = rbind(I I)\n    return x1\n"), "t.py:2:18: expected ',' or ')', got 'I'");
}

Test(parse, rejects_wrong_arity)
{
    reject(SOLVER("    x1 = fill(I, ONE)\n    return x1\n"), "t.py:2:10: primitive 'fill' takes 3 arguments, got 2");
    reject(SOLVER("    x1 = rot90(I, I)\n    return x1\n"), "t.py:2:10: primitive 'rot90' takes 1 argument, got 2");
    reject(SOLVER("    x1 = rot90()\n    return x1\n"), "t.py:2:10: primitive 'rot90' takes 1 argument, got 0");
}

Test(parse, rejects_too_many_arguments)
{
    reject(SOLVER("    x1 = rbind(rot90, I)\n    x2 = x1(I, I, I, I, I, I, I, I, I)\n    return x2\n"),
           "t.py:3:37: too many arguments (at most 8)");
    /* an append tuple is data: up to 255 items (Stmt.nargs), where a call
     * takes at most PROGRAM_MAX_ARGS */
    char text[4096] = "def batt(task_id, S, I, C, log_path):\n    o = []\n    s = []\n";
    const char *line = text + strlen(text);
    strcat(text, "    o.append((");
    for (int k = 0; k < 256; k++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%d, ", k % 10);
    char *last = text + strlen(text) - 3; /* the 256th item */
    char where[96];
    snprintf(where, sizeof where, "t.py:4:%d: too many items in an append tuple (at most 255)",
             (int)(last - line) + 1);
    strcat(text, "))\n    return o, s\n");
    reject(text, where);
    *last = '\0'; /* 255 items */
    strcat(text, "))\n    return o, s\n");
    ProgramFile pf;
    parse_ok(&pf, text);
    cr_assert_eq(pf.programs[0].stmts[0].nargs, 255);
    cr_assert_eq(pf.programs[0].stmts[0].args[254].value.u.i, 4);
    program_free(&pf);
}

Test(parse, rejects_other_defs)
{
    reject("def helper(I):\n    x1 = rot90(I)\n    return x1\n",
           "t.py:1:5: unsupported function 'helper': expected solve_<task>, verify_<task> or batt");
    reject("def solve_(I):\n    x1 = rot90(I)\n    return x1\n",
           "t.py:1:5: unsupported function 'solve_': expected solve_<task>, verify_<task> or batt");
    reject("def solve_t(I, J):\n    x1 = rot90(I)\n    return x1\n",
           "t.py:1:16: a solver takes one parameter (the input grid)");
    reject("def solve_t():\n    x1 = rot90(I)\n    return x1\n",
           "t.py:1:13: a solver takes one parameter (the input grid)");
    reject("def solve_t(I=None):\n    x1 = rot90(I)\n    return x1\n",
           "t.py:1:14: parameter defaults are not supported");
    reject("def batt(task_id, S, I, C):\n    return o, s\n",
           "t.py:1:26: batt's parameters must be (task_id, S, I, C, log_path)");
    reject("def batt(task_id, I, S, C, log_path):\n    return o, s\n",
           "t.py:1:19: batt's parameters must be (task_id, S, I, C, log_path)");
    reject("def batt(task_id, S, I, C, log_path, x):\n    return o, s\n",
           "t.py:1:38: batt's parameters must be (task_id, S, I, C, log_path)");
    reject(SOLVER("    x1 = rot90(I)\n    return x1\n") SOLVER("    x1 = rot90(I)\n    return x1\n"),
           "t.py:4:5: function 'solve_t' is defined twice");
    reject(SOLVER("    def inner(I):\n        return I\n    return I\n"), "t.py:2:5: 'def' is not supported");
    reject("def 42(I):\n    return I\n", "t.py:1:5: expected a function name, got a number");
    reject("def solve_t(42):\n    return I\n", "t.py:1:13: expected a parameter name, got a number");
    reject("def solve_t(I J):\n    return I\n", "t.py:1:15: expected ',' or ')', got 'J'");
    reject("def solve_t(I: 42):\n    x1 = rot90(I)\n    return x1\n", "t.py:1:16: unsupported annotation");
}

Test(parse, rejects_module_level_statements)
{
    reject("x = 1\n", "t.py:1:1: only imports and function definitions are allowed at module level");
    reject("import dsl\n", "t.py:1:1: unsupported import: only 'from dsl import *', 'from constants import *' "
                           "and 'from safe_dsl import _get_safe_default' are allowed");
    reject("from numpy import *\n", "t.py:1:1: unsupported import: only 'from dsl import *', 'from constants "
                                    "import *' and 'from safe_dsl import _get_safe_default' are allowed");
    reject("from dsl import fill\n", "t.py:1:1: unsupported import: only 'from dsl import *', 'from constants "
                                     "import *' and 'from safe_dsl import _get_safe_default' are allowed");
}

Test(parse, rejects_bad_returns)
{
    reject(SOLVER("    x1 = rot90(I)\n"), "t.py:1:5: 'solve_t' has no return statement");
    reject(SOLVER("    x1 = rot90(I)\n") "def solve_u(I):\n    return x1\n",
           "t.py:1:5: 'solve_t' has no return statement");
    reject(SOLVER("    x1 = rot90(I)\n    return x1\n    x2 = rot90(I)\n"), "t.py:4:5: statement after return");
    reject(SOLVER("    return I\n"), "t.py:2:12: return must name a variable assigned in the function");
    reject(SOLVER("    x1 = rot90(I)\n    return ONE\n"), "t.py:3:12: return must name a variable assigned in the function");
    reject(SOLVER("    x1 = rot90(I)\n    return\n"), "t.py:3:11: return must name a variable");
    reject(SOLVER("    x1 = rot90(I)\n    return x1, x1\n"), "t.py:3:14: expected end of line, got ','");
    reject(BATT("    return o\n"), "t.py:4:13: batt must end with 'return o, s'");
    reject(BATT("    return s, o\n"), "t.py:4:12: batt must end with 'return o, s'");
    reject("def batt(task_id, S, I, C, log_path):\n    o = []\n    return o, s\n",
           "t.py:3:15: name 's' is not defined");
}

Test(parse, rejects_bad_indentation)
{
    reject(SOLVER("    x1 = rot90(I)\n        x2 = rot90(I)\n    return x1\n"), "t.py:3:9: unexpected indent");
    reject(SOLVER("    x1 = rot90(I)\n  return x1\n"),
           "t.py:3:3: unindent does not match any outer indentation level");
    reject("def solve_t(I):\nx1 = rot90(I)\n", "t.py:2:1: expected an indented block");
    reject("def solve_t(I):\n", "t.py:2:1: expected an indented block");
    reject(SOLVER("\tx1 = rot90(I)\n\treturn x1\n"), "t.py:2:1: tab characters are not allowed (indent with spaces)");
    reject(SOLVER("    x1 = rot90(I)\n    \treturn x1\n"), "t.py:3:5: tab characters are not allowed (indent with spaces)");
    reject(SOLVER("    x1 = rot90(\tI)\n    return x1\n"), "t.py:2:16: tab characters are not allowed (indent with spaces)");
    reject("  def solve_t(I):\n    x1 = rot90(I)\n    return x1\n", "t.py:1:3: unexpected indent");
}

Test(parse, rejects_bad_try_blocks)
{
    reject(BATT("    try:\n        t1 = rot90(I)\n    t2 = rot90(I)\n    return o, s\n"),
           "t.py:6:5: expected 'except' after the try block");
    reject(BATT("    try:\n        t1 = rot90(I)\n        t2 = rot90(I)\n    except Exception:\n"
                "        t1 = _get_safe_default(rot90)\n    return o, s\n"),
           "t.py:6:9: a try block holds exactly one assignment");
    reject(BATT("    try:\n        t1 = rot90(I)\n    except Exception:\n        t1 = rot90(I)\n    return o, s\n"),
           "t.py:7:14: expected _get_safe_default(rot90)");
    reject(BATT("    try:\n        t1 = rot90(I)\n    except Exception:\n        t2 = _get_safe_default(rot90)\n"
                "    return o, s\n"),
           "t.py:7:9: the except block must be t1 = _get_safe_default(rot90)");
    reject(BATT("    try:\n        t1 = rot90(I)\n    except Exception:\n        t1 = _get_safe_default(rot180)\n"
                "    return o, s\n"),
           "t.py:7:32: _get_safe_default must name the callee 'rot90'");
    reject(BATT("    try:\n        t1 = rot90(I)\n    except:\n        t1 = _get_safe_default(rot90)\n"
                "    return o, s\n"),
           "t.py:6:11: a bare except is not supported (write except Exception:)");
    reject(BATT("    try:\n        t1 = rot90(I)\n    except Exception as e:\n        t1 = _get_safe_default(rot90)\n"
                "    return o, s\n"),
           "t.py:6:22: 'except ... as' is not supported");
    reject(BATT(GUARD("t1", "rot90(I)", "rot90") "    except ValueError:\n        t1 = _get_safe_default(rot90)\n"
                "    return o, s\n"),
           "t.py:8:5: only one except clause is supported");
    reject(BATT(GUARD("t1", "rot90(I)", "rot90") "    finally:\n        t1 = _get_safe_default(rot90)\n"
                "    return o, s\n"),
           "t.py:8:5: 'finally' is not supported");
    reject(BATT("    try:\n        o.append((1,))\n    except Exception:\n        pass\n    return o, s\n"),
           "t.py:5:9: a try block holds one assignment NAME = CALLEE(ARG, ...)");
    reject(BATT("    try: t1 = rot90(I)\n    except Exception:\n        t1 = _get_safe_default(rot90)\n"
                "    return o, s\n"),
           "t.py:4:10: expected end of line, got 't1'");
    reject(BATT("    try:\n        t1 = rot90(I)\n    except ():\n        t1 = _get_safe_default(rot90)\n"
                "    return o, s\n"),
           "t.py:6:12: an empty exception tuple catches nothing");
    reject(BATT("    try:\n        t1 = rot90(I)\n    except 42:\n        t1 = _get_safe_default(rot90)\n"
                "    return o, s\n"),
           "t.py:6:12: expected an exception class name, got a number");
    reject(BATT("    try:\n        t1 = rot90(I)\n    except\n"),
           "t.py:6:11: expected an exception class name, got end of line");
    reject(BATT("    try:\n        t1 = rot90(I)\n    except (TypeError ValueError):\n"
                "        t1 = _get_safe_default(rot90)\n    return o, s\n"),
           "t.py:6:23: expected ',' or ')', got 'ValueError'");
    /* 16 names, then a 17th at column 12 + 16 * len("TypeError, ") + 1 */
    reject(BATT("    try:\n        t1 = rot90(I)\n    except (TypeError, TypeError, TypeError, TypeError, TypeError, "
                "TypeError, TypeError, TypeError, TypeError, TypeError, TypeError, TypeError, TypeError, TypeError, "
                "TypeError, TypeError, TypeError):\n        t1 = _get_safe_default(rot90)\n    return o, s\n"),
           "t.py:6:189: too many exception classes (at most 16)");
    reject(BATT("    try:\n        t1 = rot90(I)\n            t2 = rot90(I)\n    except Exception:\n"
                "        t1 = _get_safe_default(rot90)\n    return o, s\n"),
           "t.py:6:13: unexpected indent");
    /* only Python's built-in exception classes: any other name raises
     * NameError (undefined) or TypeError (no exception class) in Python
     * once the clause is reached */
    static const char *not_classes[][2] = {
        {"ValueErr", "6:12: 'ValueErr'"}, {"(ValueError, int)", "6:25: 'int'"},
        {"rot90", "6:12: 'rot90'"}, {"(ONE,)", "6:13: 'ONE'"}, {"t1", "6:12: 't1'"},
    };
    for (size_t k = 0; k < sizeof not_classes / sizeof *not_classes; k++) {
        char src[512], want[256];
        snprintf(src, sizeof src,
                 BATT("    try:\n        t1 = rot90(I)\n    except %s:\n        t1 = _get_safe_default(rot90)\n"
                      "    return o, s\n"),
                 not_classes[k][0]);
        snprintf(want, sizeof want,
                 "t.py:%s is not a built-in exception class (Python would raise NameError or TypeError here)",
                 not_classes[k][1]);
        reject(src, want);
    }
    ProgramFile pf;
    parse_ok(&pf, "from safe_dsl import _get_safe_default\n" BATT(
                      "    try:\n        t1 = rot90(I)\n    except (AssertionError, OSError, Warning, UnicodeError):\n"
                      "        t1 = _get_safe_default(rot90)\n    return o, s\n"));
    cr_assert_eq(pf.programs[0].stmts[0].ncatch, 4);
    program_free(&pf);
}

Test(parse, rejects_bad_appends)
{
    reject(BATT("    o.append(1, 2)\n    return o, s\n"),
           "t.py:4:14: append takes one parenthesised tuple: o.append((a, b, ...))");
    reject(BATT("    o.append((t9,))\n    return o, s\n"), "t.py:4:15: name 't9' is not defined");
    reject(BATT("    o.append((1))\n    return o, s\n"), "t.py:4:14: a one-item tuple needs a trailing comma: (x,)");
    reject(BATT("    o.append((1,), 2)\n    return o, s\n"), "t.py:4:18: append takes exactly one argument");
    reject(BATT("    o.append(([1],))\n    return o, s\n"),
           "t.py:4:15: only names, ints, strings, True, False and None are allowed in an append tuple");
    reject(BATT("    o.append(((1, 2),))\n    return o, s\n"),
           "t.py:4:15: tuples and parenthesised expressions are not supported");
    reject(BATT("    o.append((1.5,))\n    return o, s\n"), "t.py:4:15: only decimal integer literals are supported");
    reject(BATT("    o.append((99999999999999999999,))\n    return o, s\n"), "t.py:4:15: integer literal too large");
    reject(BATT("    o.append(('a\\q',))\n    return o, s\n"), "t.py:4:17: unsupported escape in string");
}

Test(parse, rejects_unterminated_tokens)
{
    reject(BATT("    o.append(('abc,))\n    return o, s\n"), "t.py:4:15: unterminated string");
    reject(BATT("    o.append((\"abc,))\n    return o, s\n"), "t.py:4:15: unterminated string");
    reject(BATT("    o.append(('''x''',))\n    return o, s\n"), "t.py:4:15: triple-quoted strings are not supported");
    reject(SOLVER("    x1 = fill(I, ONE,\n    return x1\n"), "t.py:2:14: '(' was never closed");
    reject(SOLVER("    x1 = rot90(I))\n    return x1\n"), "t.py:2:18: unmatched ')'");
    reject(SOLVER("    x1 = rot90(I]\n    return x1\n"), "t.py:2:17: closing ']' does not match '('");
    reject(SOLVER("    x1 = rot90(I) \\\n        \n    return x1\n"),
           "t.py:2:19: line continuation with '\\' is not supported");
    reject(SOLVER("    x1 = rot90(I) $\n    return x1\n"), "t.py:2:19: unexpected character '$'");
}

/* ---- the real inputs ---- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

Test(parse, solvers_py_has_400_programs)
{
    const char *shared = t_shared();
    if (!shared)
        cr_skip_test("shared folder not found");
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/reference/arc-dsl/solvers.py", shared);
    ProgramFile pf;
    const int rounds = 10;
    double t0 = now_s();
    for (int k = 0; k < rounds; k++) {
        cr_assert_eq(program_load(path, &pf, err, sizeof err), 0, "%s", err);
        if (k + 1 < rounds)
            program_free(&pf);
    }
    double ms = (now_s() - t0) * 1000 / rounds;
    cr_log_info("solvers.py: %.2f ms per parse", ms);
    cr_expect_lt(ms, 50.0, "solvers.py took %.2f ms to parse", ms);
    cr_assert_eq(pf.nprograms, 400);
    cr_assert_eq(pf.is_batt, 0);
    for (size_t k = 0; k < pf.nprograms; k++) {
        const Program *p = &pf.programs[k];
        cr_assert_eq(p->kind, PROG_SOLVER);
        cr_assert_eq(strlen(p->task), 8, "%s", p->name);
        cr_assert_geq(p->ret_slot, 0);
        cr_assert_lt(p->ret_slot, p->nslots);
        cr_assert_gt(p->nstmts, 0);
    }
    program_free(&pf);
}

/* Make a batt with mkbatt.py into dir; 0 on success. */
static int make_batt(const char *shared, const char *out, const char *flags)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "python3 %s/tools/mkbatt.py %s/reference/arc-dsl/solvers.py %s -o %s >/dev/null 2>&1",
             shared, shared, flags, out);
    return system(cmd);
}

/* Parse (and remove) a batt file; its guards catch all unless tuple_except. */
static void check_batt(const char *path, int tuple_except)
{
    ProgramFile pf;
    char err[512];
    int rc = program_load(path, &pf, err, sizeof err);
    unlink(path);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_eq(pf.is_batt, 1);
    cr_assert_eq(pf.nprograms, 1);
    const Program *p = &pf.programs[0];
    cr_assert_str_eq(p->name, "batt");
    cr_assert_eq(p->kind, PROG_BATT);
    size_t guarded = 0, appends = 0;
    for (size_t k = 0; k < p->nstmts; k++) {
        const Stmt *st = &p->stmts[k];
        guarded += st->guarded;
        appends += st->kind != ST_CALL;
        if (st->guarded)
            cr_assert_eq(st->catch_all, !tuple_except, "%s:%d", path, st->line);
    }
    cr_assert_gt(guarded, 0, "%s", path);
    cr_assert_gt(appends, 0, "%s", path);
    program_free(&pf);
}

Test(parse, mkbatt_files_parse)
{
    const char *shared = t_shared();
    if (!shared)
        cr_skip_test("shared folder not found");
    if (system("python3 -c pass >/dev/null 2>&1") != 0)
        cr_skip_test("python3 not found");
    char dir[] = "/tmp/battrace-mkbatt-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    static const char *const flags[] = {
        "--count 32 --seed 1", "--count 16 --seed 2 --mutate 0.1",
        "--count 16 --seed 3 --except tuple", "--count 8 --seed 4 --mutate 0.1 --except tuple",
    };
    for (int k = 0; k < 4; k++) {
        char path[256];
        snprintf(path, sizeof path, "%s/b%d.py", dir, k);
        int rc = make_batt(shared, path, flags[k]);
        if (rc != 0) {
            unlink(path);
            rmdir(dir);
        }
        cr_assert_eq(rc, 0, "mkbatt.py %s failed", flags[k]);
        check_batt(path, strstr(flags[k], "tuple") != NULL);
    }
    rmdir(dir);
}
