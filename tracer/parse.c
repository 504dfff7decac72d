/* parse.c: the program parser: solver and batt files -> Program (program.h).
 *
 * A recursive-descent reader over lex.c's tokens for exactly the subset of
 * SPEC section 2. Names are resolved as they are read: variables to slots in
 * order of first assignment, parameters to InputIds, constants.py names to
 * Values, dsl names to primitive rows. The first thing outside the subset
 * ends the parse with `path:line:col: message`: fail() longjmps back to
 * run_parser, and parse_buffer frees the scratch memory and the arena.
 *
 * Conventions the interpreter relies on:
 *   - a guarded statement's line/col is its assignment inside the try;
 *   - catch_names lists the class names as written (`except Exception:`
 *     gives {"Exception"} with catch_all set);
 *   - a solver returns a variable (ret_slot >= 0); batt has ret_slot -1;
 *   - callee_slot is 0 (unused) when callee_prim is set. */
#include "program.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/ctx.h"
#include "../runtime/xalloc.h"
#include "lex.h"

/* ---- fixed vocabulary ---- */

typedef enum ConstKind { CK_BOOL, CK_INT, CK_PAIR } ConstKind;
typedef struct ConstDef {
    const char *name;
    uint8_t len;
    uint8_t kind; /* ConstKind */
    int8_t a, b;  /* the int / bool, or the pair (a, b) */
} ConstDef;

/* arc-dsl's constants.py */
#define C(name, kind, a, b) {name, sizeof name - 1, kind, a, b}
static const ConstDef const_defs[] = {
    C("F", CK_BOOL, 0, 0), C("T", CK_BOOL, 1, 0),
    C("ZERO", CK_INT, 0, 0), C("ONE", CK_INT, 1, 0), C("TWO", CK_INT, 2, 0),
    C("THREE", CK_INT, 3, 0), C("FOUR", CK_INT, 4, 0), C("FIVE", CK_INT, 5, 0),
    C("SIX", CK_INT, 6, 0), C("SEVEN", CK_INT, 7, 0), C("EIGHT", CK_INT, 8, 0),
    C("NINE", CK_INT, 9, 0), C("TEN", CK_INT, 10, 0),
    C("NEG_ONE", CK_INT, -1, 0), C("NEG_TWO", CK_INT, -2, 0),
    C("DOWN", CK_PAIR, 1, 0), C("RIGHT", CK_PAIR, 0, 1), C("UP", CK_PAIR, -1, 0),
    C("LEFT", CK_PAIR, 0, -1), C("ORIGIN", CK_PAIR, 0, 0), C("UNITY", CK_PAIR, 1, 1),
    C("NEG_UNITY", CK_PAIR, -1, -1), C("UP_RIGHT", CK_PAIR, -1, 1),
    C("DOWN_LEFT", CK_PAIR, 1, -1), C("ZERO_BY_TWO", CK_PAIR, 0, 2),
    C("TWO_BY_ZERO", CK_PAIR, 2, 0), C("TWO_BY_TWO", CK_PAIR, 2, 2),
    C("THREE_BY_THREE", CK_PAIR, 3, 3),
};
#define NCONST (sizeof const_defs / sizeof const_defs[0])

typedef struct Word {
    const char *s;
    size_t n;
} Word;
#define W(s) {s, sizeof s - 1}

static const Word keywords[] = {
    W("False"), W("None"), W("True"), W("and"), W("as"), W("assert"), W("async"), W("await"),
    W("break"), W("class"), W("continue"), W("def"), W("del"), W("elif"), W("else"), W("except"),
    W("finally"), W("for"), W("from"), W("global"), W("if"), W("import"), W("in"), W("is"),
    W("lambda"), W("nonlocal"), W("not"), W("or"), W("pass"), W("raise"), W("return"), W("try"),
    W("while"), W("with"), W("yield"),
};
#define NKEYWORDS (sizeof keywords / sizeof keywords[0])

static const char *const batt_params[] = {"task_id", "S", "I", "C", "log_path"};
static const InputId batt_inputs[] = {INPUT_TASK_ID, INPUT_S, INPUT_I, INPUT_C, INPUT_LOG_PATH};

#define MAX_CATCH 16
#define IMPORT_HELP "unsupported import: only 'from dsl import *', 'from constants import *' " \
                    "and 'from safe_dsl import _get_safe_default' are allowed"

/* ---- scratch memory ---- */


/* The malloc'd vector v of *cap items of size sz, grown to hold more than n. */
static void *grow(void *v, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return v;
    *cap = *cap ? *cap * 2 : 64;
    return xrealloc(v, *cap * sz);
}

/* Open-addressing map from a name (pointer into the source) to an int. */
typedef struct NameEnt {
    const char *s;
    uint32_t len;
    int32_t val;
} NameEnt;
typedef struct NameMap {
    NameEnt *e;
    size_t cap, n;
} NameMap;

static size_t name_hash(const char *s, uint32_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (uint32_t k = 0; k < len; k++)
        h = (h ^ (unsigned char)s[k]) * 1099511628211ull;
    return (size_t)(h ^ (h >> 29));
}

static int32_t nm_get(const NameMap *m, const char *s, uint32_t len)
{
    if (!m->cap)
        return -1;
    size_t mask = m->cap - 1;
    for (size_t i = name_hash(s, len) & mask;; i = (i + 1) & mask) {
        const NameEnt *e = &m->e[i];
        if (!e->s)
            return -1;
        if (e->len == len && memcmp(e->s, s, len) == 0)
            return e->val;
    }
}

static void nm_insert(NameEnt *tab, size_t cap, NameEnt ent)
{
    size_t i = name_hash(ent.s, ent.len) & (cap - 1);
    while (tab[i].s)
        i = (i + 1) & (cap - 1);
    tab[i] = ent;
}

/* Add a name that is not in the map yet. */
static void nm_put(NameMap *m, const char *s, uint32_t len, int32_t val)
{
    if ((m->n + 1) * 4 > m->cap * 3) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        NameEnt *tab = xrealloc(NULL, cap * sizeof *tab);
        memset(tab, 0, cap * sizeof *tab);
        for (size_t k = 0; k < m->cap; k++)
            if (m->e[k].s)
                nm_insert(tab, cap, m->e[k]);
        free(m->e);
        m->e = tab;
        m->cap = cap;
    }
    nm_insert(m->e, m->cap, (NameEnt){s, len, val});
    m->n++;
}

static void nm_clear(NameMap *m)
{
    if (m->cap)
        memset(m->e, 0, m->cap * sizeof *m->e);
    m->n = 0;
}

/* ---- parser state ---- */

typedef struct Parser {
    const char *path;
    char *err;
    size_t errlen;
    jmp_buf jb;
    TokenList tl;
    size_t pos;
    ProgramFile pf; /* being built; handed to the caller on success */
    Ctx ctx;        /* on pf.arena, for building constant values */
    Value consts[NCONST];
    Program *progs;
    size_t nprogs, progcap;
    NameMap funcs;
    /* the function being read */
    const Token *def_name;
    int batt;
    const Token *param; /* a solver's input name */
    size_t body_start;  /* token index of its first statement */
    Stmt *stmts;
    size_t nstmts, stmtcap;
    NameMap vars;
    char **slot_names;
    size_t nslots, slotcap;
    int have_o, have_s; /* o = [] / s = [] seen */
    /* _get_safe_default is no DSL name: without its import a batt's except
     * block raises NameError. The import may come anywhere in the file (the
     * module runs before batt is called). */
    int imports_safe_default;
    const Token *first_safe_default;
    const char **last_catch;
    size_t last_ncatch;
} Parser;

static void write_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void write_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static _Noreturn void fail_at(Parser *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static _Noreturn void fail_at(Parser *p, int line, int col, const char *fmt, ...)
{
    if (p->err && p->errlen) {
        int n = snprintf(p->err, p->errlen, "%s:%d:%d: ", p->path, line, col);
        if (n >= 0 && (size_t)n < p->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    longjmp(p->jb, 1);
}

#define fail(p, t, ...) fail_at((p), (t)->line, (t)->col, __VA_ARGS__)
/* printf arguments for a token's text: "%.*s" */
#define TXT(t) (int)(t)->len, (t)->text

/* ---- tokens ---- */

static const Token *cur(const Parser *p) { return &p->tl.toks[p->pos]; }

static const Token *peek(const Parser *p, size_t k)
{
    size_t i = p->pos + k;
    return &p->tl.toks[i < p->tl.n ? i : p->tl.n - 1];
}

static void advance(Parser *p)
{
    if (cur(p)->kind != TK_EOF)
        p->pos++;
}

static int is_op(const Token *t, int op) { return t->kind == TK_OP && t->op == op; }

static int tok_is(const Token *t, const char *s)
{
    size_t n = strlen(s);
    return t->kind == TK_NAME && t->len == n && memcmp(t->text, s, n) == 0;
}

static int same_name(const Token *a, const Token *b)
{
    return a->kind == TK_NAME && b->kind == TK_NAME && a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* Does token t spell the n-byte word w? (a cheap first-byte test first) */
static int spells(const Token *t, const char *w, size_t n)
{
    return t->len == n && t->text[0] == w[0] && memcmp(t->text, w, n) == 0;
}

static int is_keyword(const Token *t)
{
    /* the letters keywords start with */
    static const char first[128] = {['F'] = 1, ['N'] = 1, ['T'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1,
                                    ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['i'] = 1, ['l'] = 1,
                                    ['n'] = 1, ['o'] = 1, ['p'] = 1, ['r'] = 1, ['t'] = 1, ['w'] = 1,
                                    ['y'] = 1};
    if (t->kind != TK_NAME || t->len < 2 || t->len > 8 || !first[t->text[0] & 127])
        return 0;
    for (size_t k = 0; k < NKEYWORDS; k++)
        if (spells(t, keywords[k].s, keywords[k].n))
            return 1;
    return 0;
}

static int is_literal_kw(const Token *t) { return tok_is(t, "True") || tok_is(t, "False") || tok_is(t, "None"); }

/* A plain name: an identifier that is not a keyword. */
static int is_ident(const Token *t) { return t->kind == TK_NAME && !is_keyword(t); }

static int is_operator(const Token *t)
{
    if (t->kind == TK_OP)
        return t->op == OP_MULTI || (t->op < 256 && strchr("+-*/%@&|^~<>!", t->op));
    return tok_is(t, "and") || tok_is(t, "or") || tok_is(t, "not") || tok_is(t, "in") || tok_is(t, "is");
}

static const char *describe(const Token *t, char *buf, size_t n)
{
    switch ((TokKind)t->kind) {
    case TK_NAME:
    case TK_OP: snprintf(buf, n, "'%.*s'", TXT(t)); return buf;
    case TK_INT: return "a number";
    case TK_STR: return "a string";
    case TK_NEWLINE: return "end of line";
    case TK_INDENT: return "an indent";
    case TK_DEDENT: return "the end of the block";
    case TK_EOF: return "end of file";
    }
    return "?";
}

/* Token t stands where `expected` should: say what the source tried instead. */
static _Noreturn void reject_expr(Parser *p, const Token *t, const char *expected)
{
    char buf[80];
    if (is_op(t, '.'))
        fail(p, t, "attribute access is not supported");
    if (is_op(t, '['))
        fail(p, t, "subscripts are not supported");
    if (is_operator(t))
        fail(p, t, "operators are not supported");
    if (is_keyword(t) && !is_literal_kw(t))
        fail(p, t, "'%.*s' is not supported", TXT(t));
    fail(p, t, "expected %s, got %s", expected, describe(t, buf, sizeof buf));
}

static void expect_op(Parser *p, int op, const char *what)
{
    if (!is_op(cur(p), op))
        reject_expr(p, cur(p), what);
    advance(p);
}

/* The end of a simple statement. */
static void end_of_stmt(Parser *p)
{
    const Token *t = cur(p);
    if (t->kind == TK_NEWLINE) {
        advance(p);
        return;
    }
    if (is_op(t, '('))
        fail(p, t, "nested calls are not supported");
    if (is_op(t, ';'))
        fail(p, t, "one statement per line (';' is not supported)");
    reject_expr(p, t, "end of line");
}

/* After a block's ':': NEWLINE INDENT. */
static void expect_block(Parser *p)
{
    if (cur(p)->kind != TK_NEWLINE)
        reject_expr(p, cur(p), "end of line");
    advance(p);
    if (cur(p)->kind != TK_INDENT)
        fail(p, cur(p), "expected an indented block");
    advance(p);
}

/* ---- names ---- */

static char *dup_text(Parser *p, const char *s, size_t n)
{
    char *d = arena_alloc(&p->pf.arena, n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

static int input_of(const Parser *p, const Token *t)
{
    if (!p->batt)
        return p->param && same_name(t, p->param) ? INPUT_I : -1;
    for (int k = 0; k < 5; k++)
        if (tok_is(t, batt_params[k]))
            return (int)batt_inputs[k];
    return -1;
}

static int const_of(const Token *t)
{
    if (t->kind != TK_NAME || t->text[0] < 'A' || t->text[0] > 'Z')
        return -1;
    for (size_t k = 0; k < NCONST; k++)
        if (spells(t, const_defs[k].name, const_defs[k].len))
            return (int)k;
    return -1;
}

static const Prim *prim_of(const Token *t)
{
    char buf[64];
    if (t->kind != TK_NAME || t->len >= sizeof buf)
        return NULL;
    memcpy(buf, t->text, t->len);
    buf[t->len] = 0;
    return prim_lookup(buf);
}

static int is_list_name(const Parser *p, const Token *t) { return p->batt && (tok_is(t, "o") || tok_is(t, "s")); }
static int list_ready(const Parser *p, const Token *t) { return tok_is(t, "o") ? p->have_o : p->have_s; }

/* Is name the target of some statement `NAME = ...` in the current function? */
static int ends_line(const Token *t)
{
    return t->kind == TK_NEWLINE || t->kind == TK_INDENT || t->kind == TK_DEDENT;
}

static int assigned_in_function(const Parser *p, const Token *name)
{
    const Token *toks = p->tl.toks;
    int depth = 0;
    for (size_t i = p->body_start; toks[i].kind != TK_EOF; i++) {
        const Token *t = &toks[i];
        if (t->kind == TK_INDENT)
            depth++;
        else if (t->kind == TK_DEDENT && --depth < 0)
            return 0;
        else if (same_name(t, name) && is_op(&toks[i + 1], '=') && ends_line(&toks[i - 1]))
            return 1;
    }
    return 0;
}

static _Noreturn void undefined_name(Parser *p, const Token *t)
{
    if (tok_is(t, "_get_safe_default"))
        fail(p, t, "_get_safe_default is only allowed in an except block");
    if (assigned_in_function(p, t))
        fail(p, t, "name '%.*s' is used before assignment", TXT(t));
    fail(p, t, "name '%.*s' is not defined", TXT(t));
}

static void resolve_arg(Parser *p, const Token *t, Arg *a)
{
    int32_t v = nm_get(&p->vars, t->text, t->len);
    int k;
    if (v >= 0) {
        a->kind = ARG_VAR;
        a->slot = v;
    } else if ((k = input_of(p, t)) >= 0) {
        a->kind = ARG_INPUT;
        a->slot = k;
    } else if (is_list_name(p, t) && list_ready(p, t)) {
        fail(p, t, "'%.*s' is a list: only %.*s.append(...) is supported", TXT(t), TXT(t));
    } else if ((k = const_of(t)) >= 0) {
        a->kind = ARG_CONST;
        a->value = p->consts[k];
    } else if ((a->prim = prim_of(t)) != NULL) {
        a->kind = ARG_PRIM;
    } else {
        undefined_name(p, t);
    }
}

static void resolve_callee(Parser *p, const Token *t, Stmt *st)
{
    int32_t v = nm_get(&p->vars, t->text, t->len);
    int k;
    if (v >= 0)
        st->callee_slot = v;
    else if ((k = input_of(p, t)) >= 0)
        st->callee_slot = -1 - k;
    else if (is_list_name(p, t) && list_ready(p, t))
        fail(p, t, "'%.*s' is a list: only %.*s.append(...) is supported", TXT(t), TXT(t));
    else if (const_of(t) >= 0)
        fail(p, t, "constant '%.*s' is not callable", TXT(t));
    else if ((st->callee_prim = prim_of(t)) == NULL)
        undefined_name(p, t);
}

static void check_target(Parser *p, const Token *t)
{
    const char *what = NULL;
    if (nm_get(&p->vars, t->text, t->len) >= 0)
        return; /* checked at its first assignment */
    if (is_keyword(t))
        what = "keyword";
    else if (input_of(p, t) >= 0)
        what = "parameter";
    else if (const_of(t) >= 0)
        what = "constant";
    else if (prim_of(t))
        what = "primitive";
    else if (is_list_name(p, t))
        what = "list";
    else if (tok_is(t, "_get_safe_default"))
        what = "function";
    if (what)
        fail(p, t, "cannot assign to %s '%.*s'", what, TXT(t));
}

/* The slot of target, made at its first assignment. */
static int32_t assign_slot(Parser *p, const Token *t)
{
    int32_t s = nm_get(&p->vars, t->text, t->len);
    if (s >= 0)
        return s;
    p->slot_names = grow(p->slot_names, &p->slotcap, p->nslots, sizeof *p->slot_names);
    s = (int32_t)p->nslots++;
    p->slot_names[s] = dup_text(p, t->text, t->len);
    nm_put(&p->vars, t->text, t->len, s);
    return s;
}

/* ---- arguments ---- */

static int starts_literal(const Parser *p)
{
    const Token *t = cur(p);
    if (t->kind == TK_INT || t->kind == TK_STR || is_literal_kw(t) || is_op(t, '[') || is_op(t, '{'))
        return 1;
    return (is_op(t, '-') || is_op(t, '+')) && peek(p, 1)->kind == TK_INT;
}

static const char *str_value(Parser *p, const Token *t)
{
    char *s = arena_alloc(&p->pf.arena, t->len + 1);
    lex_string_value(t, s);
    return s;
}

/* An append-tuple literal: int, -int, True, False, None, string. */
static int parse_literal(Parser *p, Arg *a)
{
    const Token *t = cur(p);
    if (t->kind == TK_INT) {
        a->value = v_int(t->ival);
    } else if (is_op(t, '-') && peek(p, 1)->kind == TK_INT) {
        advance(p);
        a->value = v_int(-cur(p)->ival);
    } else if (tok_is(t, "True") || tok_is(t, "False")) {
        a->value = v_bool(tok_is(t, "True"));
    } else if (tok_is(t, "None")) {
        a->value = v_none();
    } else if (t->kind == TK_STR) {
        a->value = v_str(str_value(p, t));
    } else {
        return 0;
    }
    a->kind = ARG_CONST;
    advance(p);
    return 1;
}

/* One call argument, or (items) one append-tuple item. */
static Arg parse_arg(Parser *p, int items)
{
    const Token *t = cur(p), *n = peek(p, 1);
    Arg a;
    memset(&a, 0, sizeof a);
    a.line = t->line;
    a.col = t->col;
    if (is_ident(t)) {
        if (is_op(n, '('))
            fail(p, t, "nested calls are not supported");
        if (is_op(n, '='))
            fail(p, t, "keyword arguments are not supported");
        if (!is_op(n, ',') && !is_op(n, ')'))
            reject_expr(p, n, "',' or ')'");
        resolve_arg(p, t, &a);
        /* the two str parameters: Python's primitives take a str as a
         * sequence of characters, battrace models no str in them (SPEC: a
         * call's inputs are I, S and C); an append passes one through */
        if (!items && a.kind == ARG_INPUT && (a.slot == INPUT_TASK_ID || a.slot == INPUT_LOG_PATH))
            fail(p, t, "'%.*s' is a str: it may stand in an append tuple, not as a call's argument", TXT(t));
        advance(p);
        return a;
    }
    if (items && parse_literal(p, &a))
        return a;
    if (is_op(t, '('))
        fail(p, t, "tuples and parenthesised expressions are not supported");
    if (starts_literal(p))
        fail(p, t, items ? "only names, ints, strings, True, False and None are allowed in an append tuple"
                         : "literals are not allowed as call arguments");
    reject_expr(p, t, items ? "a tuple item" : "an argument");
}

static void *arena_copy(Parser *p, const void *src, size_t size)
{
    if (!size)
        return NULL;
    void *d = arena_alloc(&p->pf.arena, size);
    memcpy(d, src, size);
    return d;
}

/* Call arguments are as many as a primitive takes (PROGRAM_MAX_ARGS, more
 * than any); an append tuple is data a search loop shapes, so it may hold
 * as many items as Stmt.nargs counts. */
#define APPEND_MAX_ITEMS 255

/* ARG, ... up to the closing ')', which it consumes, into st's arguments
 * (copied to the file's arena). Returns the commas seen. */
static int parse_args(Parser *p, Stmt *st, int items)
{
    Arg args[APPEND_MAX_ITEMS]; /* about 12 KB, and no free to miss when fail() jumps out */
    int n = 0, commas = 0, most = items ? APPEND_MAX_ITEMS : PROGRAM_MAX_ARGS;
    while (!is_op(cur(p), ')')) {
        if (n == most)
            fail(p, cur(p), "too many %s (at most %d)", items ? "items in an append tuple" : "arguments", most);
        args[n++] = parse_arg(p, items);
        const Token *t = cur(p);
        if (is_op(t, ',')) {
            commas++;
            advance(p);
        } else if (!is_op(t, ')')) {
            reject_expr(p, t, "',' or ')'");
        }
    }
    advance(p);
    st->nargs = (uint8_t)n;
    st->args = arena_copy(p, args, (size_t)n * sizeof *args);
    return commas;
}

/* ---- statements ---- */

static Stmt *push_stmt(Parser *p)
{
    p->stmts = grow(p->stmts, &p->stmtcap, p->nstmts, sizeof *p->stmts);
    Stmt *st = &p->stmts[p->nstmts++];
    memset(st, 0, sizeof *st);
    st->target = -1;
    return st;
}

static void check_arity(Parser *p, const Token *callee, const Stmt *st)
{
    const Prim *pr = st->callee_prim;
    if (pr && pr->arity != st->nargs)
        fail(p, callee, "primitive '%s' takes %d argument%s, got %d", pr->name, pr->arity,
             pr->arity == 1 ? "" : "s", st->nargs);
}

/* NAME = CALLEE(ARG, ...); the caller has seen NAME '='. The target gets its
 * slot after the call is read, as Python evaluates the right side first. */
static void parse_call_stmt(Parser *p, Stmt *st)
{
    const Token *target = cur(p);
    check_target(p, target);
    p->pos += 2;
    const Token *callee = cur(p);
    st->kind = ST_CALL;
    st->line = target->line;
    st->col = target->col;
    if (is_keyword(callee) && !is_literal_kw(callee))
        fail(p, callee, "'%.*s' is not supported", TXT(callee));
    if (callee->kind != TK_NAME || is_literal_kw(callee))
        fail(p, callee, "assignment must be a call: NAME = CALLEE(ARG, ...)");
    advance(p);
    if (cur(p)->kind == TK_NEWLINE)
        fail(p, callee, "assignment must be a call: NAME = CALLEE(ARG, ...)");
    if (!is_op(cur(p), '('))
        reject_expr(p, cur(p), "'('");
    resolve_callee(p, callee, st);
    advance(p);
    parse_args(p, st, 0);
    check_arity(p, callee, st);
    end_of_stmt(p);
    st->target = assign_slot(p, target);
}

/* o = [] or s = [] */
static void parse_list_init(Parser *p)
{
    const Token *name = cur(p);
    if (!is_op(peek(p, 2), '[') || !is_op(peek(p, 3), ']'))
        fail(p, name, "'%.*s' can only be initialised as %.*s = []", TXT(name), TXT(name));
    int *have = tok_is(name, "o") ? &p->have_o : &p->have_s;
    if (*have)
        fail(p, name, "'%.*s' is already initialised", TXT(name));
    *have = 1;
    p->pos += 4;
    end_of_stmt(p);
}

/* o.append((ITEM, ...)) or s.append(...) */
static void parse_append(Parser *p)
{
    const Token *name = cur(p);
    if (!list_ready(p, name))
        undefined_name(p, name);
    p->pos += 2;
    if (!tok_is(cur(p), "append"))
        fail(p, cur(p), "only o.append(...) and s.append(...) are supported");
    advance(p);
    expect_op(p, '(', "'('");
    const Token *open = cur(p);
    if (!is_op(open, '('))
        fail(p, open, "append takes one parenthesised tuple: %.*s.append((a, b, ...))", TXT(name));
    advance(p);
    Stmt *st = push_stmt(p);
    st->kind = tok_is(name, "o") ? ST_APPEND_O : ST_APPEND_S;
    st->line = name->line;
    st->col = name->col;
    if (parse_args(p, st, 1) == 0 && st->nargs == 1)
        fail(p, open, "a one-item tuple needs a trailing comma: (x,)");
    if (is_op(cur(p), ','))
        fail(p, cur(p), "append takes exactly one argument");
    expect_op(p, ')', "')'");
    end_of_stmt(p);
}

static const Token *exception_name(Parser *p)
{
    const Token *t = cur(p);
    char buf[80];
    if (!is_ident(t))
        fail(p, t, "expected an exception class name, got %s", describe(t, buf, sizeof buf));
    if (!err_is_builtin_class(t->text, t->len))
        fail(p, t, "'%.*s' is not a built-in exception class (Python would raise NameError or TypeError here)",
             TXT(t));
    advance(p);
    return t;
}

static int same_catch(const Parser *p, const Token **names, size_t n)
{
    if (!p->last_catch || p->last_ncatch != n)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (strlen(p->last_catch[k]) != names[k]->len || memcmp(p->last_catch[k], names[k]->text, names[k]->len))
            return 0;
    return 1;
}

static void set_catch(Parser *p, Stmt *st, const Token **names, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (tok_is(names[k], "Exception") || tok_is(names[k], "BaseException"))
            st->catch_all = 1;
    if (!same_catch(p, names, n)) {
        const char **list = arena_alloc(&p->pf.arena, n * sizeof *list);
        for (size_t k = 0; k < n; k++)
            list[k] = dup_text(p, names[k]->text, names[k]->len);
        p->last_catch = list;
        p->last_ncatch = n;
    }
    st->ncatch = (uint8_t)n;
    st->catch_names = p->last_catch;
}

/* except NAME: / except (NAME, ...): */
static void parse_except(Parser *p, Stmt *st)
{
    const Token *names[MAX_CATCH], *t = cur(p);
    size_t n = 0;
    if (is_op(t, ':'))
        fail(p, t, "a bare except is not supported (write except Exception:)");
    if (!is_op(t, '(')) {
        names[n++] = exception_name(p);
    } else {
        for (advance(p); !is_op(cur(p), ')');) {
            if (n == MAX_CATCH)
                fail(p, cur(p), "too many exception classes (at most %d)", MAX_CATCH);
            names[n++] = exception_name(p);
            if (is_op(cur(p), ','))
                advance(p);
            else if (!is_op(cur(p), ')'))
                reject_expr(p, cur(p), "',' or ')'");
        }
        if (n == 0)
            fail(p, t, "an empty exception tuple catches nothing");
        advance(p);
    }
    if (tok_is(cur(p), "as"))
        fail(p, cur(p), "'except ... as' is not supported");
    set_catch(p, st, names, n);
    expect_op(p, ':', "':'");
}

/* TARGET = _get_safe_default(CALLEE) */
static void parse_safe_default(Parser *p, const Token *target, const Token *callee)
{
    const Token *t = cur(p);
    if (!same_name(t, target) || !is_op(peek(p, 1), '='))
        fail(p, t, "the except block must be %.*s = _get_safe_default(%.*s)", TXT(target), TXT(callee));
    p->pos += 2;
    if (!tok_is(cur(p), "_get_safe_default"))
        fail(p, cur(p), "expected _get_safe_default(%.*s)", TXT(callee));
    if (!p->first_safe_default)
        p->first_safe_default = cur(p);
    advance(p);
    expect_op(p, '(', "'('");
    if (!same_name(cur(p), callee))
        fail(p, cur(p), "_get_safe_default must name the callee '%.*s'", TXT(callee));
    advance(p);
    expect_op(p, ')', "')'");
    end_of_stmt(p);
}

/* The end of a one-statement block. */
static void end_block(Parser *p, const char *what)
{
    const Token *t = cur(p);
    if (t->kind == TK_INDENT)
        fail(p, t, "unexpected indent");
    if (t->kind != TK_DEDENT)
        fail(p, t, "%s", what);
    advance(p);
}

/* try: NAME = CALLEE(...) except ...: NAME = _get_safe_default(CALLEE) */
static void parse_try(Parser *p)
{
    advance(p);
    expect_op(p, ':', "':'");
    expect_block(p);
    const Token *target = cur(p), *callee = peek(p, 2);
    if (!is_ident(target) || !is_op(peek(p, 1), '='))
        fail(p, target, "a try block holds one assignment NAME = CALLEE(ARG, ...)");
    Stmt *st = push_stmt(p);
    parse_call_stmt(p, st);
    st->guarded = 1;
    end_block(p, "a try block holds exactly one assignment");
    if (!tok_is(cur(p), "except"))
        fail(p, cur(p), "expected 'except' after the try block");
    advance(p);
    parse_except(p, st);
    expect_block(p);
    parse_safe_default(p, target, callee);
    end_block(p, "an except block holds exactly one assignment");
    if (tok_is(cur(p), "except"))
        fail(p, cur(p), "only one except clause is supported");
}

/* A statement starting with a name not followed by '='. */
static _Noreturn void reject_statement(Parser *p, const Token *n)
{
    if (is_op(n, '('))
        fail(p, n, "a call's result must be assigned: NAME = CALLEE(ARG, ...)");
    if (is_op(n, ','))
        fail(p, n, "tuple assignment is not supported");
    if (is_op(n, ':'))
        fail(p, n, "annotated assignments are not supported");
    reject_expr(p, n, "'='");
}

static void parse_stmt(Parser *p)
{
    const Token *t = cur(p), *n = peek(p, 1);
    char buf[80];
    if (t->kind == TK_DEDENT || t->kind == TK_EOF)
        fail(p, p->def_name, "'%.*s' has no return statement", TXT(p->def_name));
    if (t->kind == TK_INDENT)
        fail(p, t, "unexpected indent");
    if (p->batt && tok_is(t, "try")) {
        parse_try(p);
        return;
    }
    if (is_list_name(p, t) && (is_op(n, '.') || is_op(n, '='))) {
        if (is_op(n, '.'))
            parse_append(p);
        else
            parse_list_init(p);
        return;
    }
    if (is_keyword(t) && !is_literal_kw(t))
        fail(p, t, "'%.*s' is not supported", TXT(t));
    if (t->kind != TK_NAME)
        fail(p, t, "expected a statement NAME = CALLEE(ARG, ...), got %s", describe(t, buf, sizeof buf));
    if (!is_op(n, '='))
        reject_statement(p, n);
    parse_call_stmt(p, push_stmt(p));
}

static void parse_solver_return(Parser *p, Program *pr)
{
    const Token *t = cur(p);
    if (!is_ident(t))
        fail(p, t, "return must name a variable");
    int32_t v = nm_get(&p->vars, t->text, t->len);
    if (v < 0 && (input_of(p, t) >= 0 || const_of(t) >= 0 || prim_of(t)))
        fail(p, t, "return must name a variable assigned in the function");
    if (v < 0)
        undefined_name(p, t);
    advance(p);
    if (cur(p)->kind != TK_NEWLINE)
        reject_expr(p, cur(p), "end of line");
    advance(p);
    pr->ret_slot = v;
}

/* return o, s */
static void parse_batt_return(Parser *p)
{
    const Token *o = cur(p), *c = peek(p, 1), *s = peek(p, 2), *nl = peek(p, 3);
    const Token *bad = !tok_is(o, "o") ? o : !is_op(c, ',') ? c : !tok_is(s, "s") ? s
                     : nl->kind != TK_NEWLINE ? nl : NULL;
    if (bad)
        fail(p, bad, "batt must end with 'return o, s'");
    if (!p->have_o)
        undefined_name(p, o);
    if (!p->have_s)
        undefined_name(p, s);
    p->pos += 4;
}

static void parse_body(Parser *p, Program *pr)
{
    expect_block(p);
    p->body_start = p->pos;
    while (!tok_is(cur(p), "return"))
        parse_stmt(p);
    advance(p);
    if (p->batt)
        parse_batt_return(p);
    else
        parse_solver_return(p, pr);
    end_block(p, "statement after return");
}

/* ---- definitions ---- */

static int has_prefix(const Token *t, const char *prefix)
{
    size_t n = strlen(prefix);
    return t->len > n && memcmp(t->text, prefix, n) == 0;
}

static int function_kind(Parser *p, const Token *t)
{
    char buf[80];
    if (!is_ident(t))
        fail(p, t, "expected a function name, got %s", describe(t, buf, sizeof buf));
    if (tok_is(t, "batt"))
        return PROG_BATT;
    if (has_prefix(t, "solve_") || has_prefix(t, "verify_"))
        return PROG_SOLVER;
    fail(p, t, "unsupported function '%.*s': expected solve_<task>, verify_<task> or batt", TXT(t));
}

/* An annotation: a name, maybe subscripted (Tuple[int, int]). */
static void parse_annotation(Parser *p)
{
    const Token *t = cur(p);
    if (!is_ident(t) && !tok_is(t, "None"))
        fail(p, t, "unsupported annotation");
    advance(p);
    if (!is_op(cur(p), '['))
        return;
    int depth = 0;
    do {
        depth += is_op(cur(p), '[') - is_op(cur(p), ']');
        advance(p);
    } while (depth > 0 && cur(p)->kind != TK_EOF);
}

static const Token *parse_param(Parser *p)
{
    const Token *t = cur(p);
    if (!is_ident(t))
        reject_expr(p, t, "a parameter name");
    advance(p);
    if (is_op(cur(p), ':')) {
        advance(p);
        parse_annotation(p);
    }
    if (is_op(cur(p), '='))
        fail(p, cur(p), "parameter defaults are not supported");
    return t;
}

/* After a parameter: ',' or ')'. Returns 1 once the ')' is consumed. */
static int param_sep(Parser *p)
{
    if (is_op(cur(p), ',')) {
        advance(p);
        if (!is_op(cur(p), ')'))
            return 0;
    } else if (!is_op(cur(p), ')')) {
        reject_expr(p, cur(p), "',' or ')'");
    }
    advance(p);
    return 1;
}

static void parse_solver_params(Parser *p)
{
    static const char msg[] = "a solver takes one parameter (the input grid)";
    if (is_op(cur(p), ')'))
        fail(p, cur(p), "%s", msg);
    p->param = parse_param(p);
    if (!param_sep(p))
        fail(p, cur(p), "%s", msg);
}

static void parse_batt_params(Parser *p)
{
    static const char msg[] = "batt's parameters must be (task_id, S, I, C, log_path)";
    for (int k = 0; k < 5; k++) {
        if (!tok_is(cur(p), batt_params[k]))
            fail(p, cur(p), "%s", msg);
        parse_param(p);
        const Token *sep = cur(p);
        int closed = param_sep(p);
        if (closed && k < 4)
            fail(p, sep, "%s", msg);
        if (!closed && k == 4)
            fail(p, cur(p), "%s", msg);
    }
}

static void begin_function(Parser *p, const Token *name, int kind)
{
    if (nm_get(&p->funcs, name->text, name->len) >= 0)
        fail(p, name, "function '%.*s' is defined twice", TXT(name));
    nm_put(&p->funcs, name->text, name->len, 1);
    p->def_name = name;
    p->batt = kind == PROG_BATT;
    p->param = NULL;
    p->nstmts = 0;
    p->nslots = 0;
    nm_clear(&p->vars);
    p->have_o = p->have_s = 0;
}


/* The frame's pool (see FRAME_INPUTS): each constant and primitive a call
 * reads, once. */
typedef struct Pool {
    Value *v;
    size_t n, cap;
} Pool;

/* v's frame index: the pool lies past the variables. */
static int32_t pool_at(const Program *pr, Pool *pool, Value v)
{
    size_t k = 0;
    while (k < pool->n && !(pool->v[k].tag == v.tag && v_eq(pool->v[k], v)))
        k++; /* a program names some tens of distinct ones */
    if (k == pool->n) {
        pool->v = grow(pool->v, &pool->cap, pool->n, sizeof *pool->v);
        pool->v[pool->n++] = v;
    }
    return frame_pool(pr) + (int32_t)k;
}

static int32_t arg_at(const Program *pr, Pool *pool, const Arg *a)
{
    switch ((ArgKind)a->kind) {
    case ARG_VAR: return frame_slot(a->slot);
    case ARG_INPUT: return a->slot;
    case ARG_CONST: return pool_at(pr, pool, a->value);
    case ARG_PRIM: return pool_at(pr, pool, prim_value(a->prim));
    }
    return 0;
}

/* Does an append's constant settle its tuple's flags? A str, bool or None
 * item leaves it none of seq_finish_tuple's (all ints, rows, pairs, cells),
 * and with more than two items it is no pair or cell either; an item of
 * two could still make a cell of (int, pair). */
static bool append_flagless(const Stmt *st)
{
    if (st->nargs < 3)
        return false;
    for (unsigned a = 0; a < st->nargs; a++) {
        const Arg *arg = &st->args[a];
        if (arg->kind == ARG_CONST &&
            (arg->value.tag == VT_STR || arg->value.tag == VT_BOOL || arg->value.tag == VT_NONE))
            return true;
    }
    return false;
}

/* Lay out the frame: give each call or append of at most STMT_FAST_ARGS
 * arguments its callee's and arguments' frame indices (Stmt.at), pooling
 * the constants and primitives they read. An append's items are mostly
 * constants of its own (its number, the task, a name): pooled too, they
 * are copied with the frame once a call, and read by index like any
 * argument, instead of by a switch on each item's kind. */
static void lay_out_frame(Parser *p, Program *pr)
{
    Pool pool = {0};
    for (size_t k = 0; k < pr->nstmts; k++) {
        Stmt *st = &pr->stmts[k];
        if (st->kind != ST_CALL)
            st->flagless = append_flagless(st);
        if (st->nargs > STMT_FAST_ARGS)
            continue;
        int32_t callee = st->kind != ST_CALL ? 0
                       : st->callee_prim ? pool_at(pr, &pool, prim_value(st->callee_prim))
                       : st->callee_slot >= 0 ? frame_slot(st->callee_slot)
                       : -1 - st->callee_slot; /* an input */
        bool fits = callee <= UINT16_MAX;
        st->callee_at = (uint16_t)callee;
        memset(st->at, 0, sizeof st->at); /* unused: the frame's first value, never read */
        for (unsigned a = 0; a < st->nargs; a++) {
            int32_t at = arg_at(pr, &pool, &st->args[a]);
            fits = fits && at <= UINT16_MAX;
            st->at[a] = (uint16_t)at;
        }
        st->fast = fits;
    }
    pr->npool = (int32_t)pool.n;
    pr->pool = pool.n ? arena_copy(p, pool.v, pool.n * sizeof *pool.v) : NULL;
    free(pool.v);
}

static void finish_program(Parser *p, Program *pr)
{
    const Token *name = p->def_name;
    pr->name = dup_text(p, name->text, name->len);
    pr->task = p->batt ? dup_text(p, "", 0) : pr->name + (has_prefix(name, "solve_") ? 6 : 7);
    pr->kind = p->batt ? PROG_BATT : PROG_SOLVER;
    pr->stmts = arena_copy(p, p->stmts, p->nstmts * sizeof *p->stmts);
    pr->nstmts = p->nstmts;
    pr->nslots = (int32_t)p->nslots;
    pr->slot_names = arena_copy(p, p->slot_names, p->nslots * sizeof *p->slot_names);
    lay_out_frame(p, pr);
    if (p->batt)
        p->pf.is_batt = 1;
    p->progs = grow(p->progs, &p->progcap, p->nprogs, sizeof *p->progs);
    p->progs[p->nprogs++] = *pr;
}

static void parse_def(Parser *p)
{
    Program pr;
    memset(&pr, 0, sizeof pr);
    pr.line = cur(p)->line;
    pr.ret_slot = -1;
    advance(p);
    const Token *name = cur(p);
    int kind = function_kind(p, name);
    advance(p);
    begin_function(p, name, kind);
    expect_op(p, '(', "'('");
    if (p->batt)
        parse_batt_params(p);
    else
        parse_solver_params(p);
    if (is_op(cur(p), OP_ARROW)) {
        advance(p);
        parse_annotation(p);
    }
    expect_op(p, ':', "':'");
    parse_body(p, &pr);
    finish_program(p, &pr);
}

/* from dsl import * / from constants import * / from safe_dsl import _get_safe_default */
static void parse_import(Parser *p)
{
    const Token *from = cur(p), *mod = peek(p, 1), *what = peek(p, 3);
    int star = (tok_is(mod, "dsl") || tok_is(mod, "constants")) && is_op(what, '*');
    int safe = tok_is(mod, "safe_dsl") && tok_is(what, "_get_safe_default");
    if (!tok_is(peek(p, 2), "import") || peek(p, 4)->kind != TK_NEWLINE || !(star || safe))
        fail(p, from, IMPORT_HELP);
    p->imports_safe_default |= safe;
    p->pos += 5;
}

static void parse_module(Parser *p)
{
    for (const Token *t = cur(p); t->kind != TK_EOF; t = cur(p)) {
        if (tok_is(t, "from"))
            parse_import(p);
        else if (tok_is(t, "def"))
            parse_def(p);
        else if (t->kind == TK_INDENT)
            fail(p, t, "unexpected indent");
        else if (tok_is(t, "import"))
            fail(p, t, IMPORT_HELP);
        else if (is_keyword(t) && !is_literal_kw(t))
            fail(p, t, "'%.*s' is not supported", TXT(t));
        else
            fail(p, t, "only imports and function definitions are allowed at module level");
    }
    if (p->nprogs == 0)
        fail(p, cur(p), "no programs in file");
    if (p->first_safe_default && !p->imports_safe_default)
        fail(p, p->first_safe_default,
             "name '_get_safe_default' is not defined (the file must say: from safe_dsl import _get_safe_default)");
}

/* ---- entry points ---- */

static void init_consts(Parser *p)
{
    for (size_t k = 0; k < NCONST; k++) {
        const ConstDef *d = &const_defs[k];
        if (d->kind == CK_BOOL) {
            p->consts[k] = v_bool(d->a);
        } else if (d->kind == CK_INT) {
            p->consts[k] = v_int(d->a);
        } else {
            Value items[2] = {v_int(d->a), v_int(d->b)};
            if (mk_tuple(&p->ctx, 2, items, &p->consts[k]) != ERR_OK)
                fail_at(p, 1, 1, "cannot build constant %s", d->name);
        }
    }
}

static int run_parser(Parser *p)
{
    if (setjmp(p->jb))
        return 2;
    init_consts(p);
    parse_module(p);
    return 0;
}

static void free_scratch(Parser *p)
{
    lex_free(&p->tl);
    free(p->funcs.e);
    free(p->vars.e);
    free(p->stmts);
    free(p->slot_names);
    free(p->progs);
}

static int parse_buffer(const char *path, const char *src, size_t len, ProgramFile *out, char *err,
                        size_t errlen)
{
    Parser p;
    LexError le;
    memset(&p, 0, sizeof p);
    memset(out, 0, sizeof *out);
    write_err(err, errlen, "%s", "");
    p.path = path;
    p.err = err;
    p.errlen = errlen;
    arena_init(&p.pf.arena);
    ctx_init(&p.ctx, &p.pf.arena);
    int rc = 0;
    if (lex_source(src, len, &p.tl, &le) != 0) {
        write_err(err, errlen, "%s:%d:%d: %s", path, le.line, le.col, le.msg);
        rc = 2;
    } else {
        rc = run_parser(&p);
    }
    if (rc == 0) {
        p.pf.path = dup_text(&p, path, strlen(path));
        p.pf.programs = arena_copy(&p, p.progs, p.nprogs * sizeof *p.progs);
        p.pf.nprograms = p.nprogs;
        *out = p.pf;
    } else {
        arena_free(&p.pf.arena);
    }
    free_scratch(&p);
    return rc;
}

int program_parse(const char *path, const char *source, ProgramFile *out, char *err, size_t errlen)
{
    return parse_buffer(path, source, strlen(source), out, err, errlen);
}

/* The whole file, malloc'd; NULL with a message on failure. */
static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        write_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0, got;
    char *buf = xrealloc(NULL, cap);
    errno = 0;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = xrealloc(buf, cap *= 2);
    }
    int e = errno;
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        write_err(err, errlen, "%s: cannot read: %s", path, e ? strerror(e) : "read error");
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int program_load(const char *path, ProgramFile *out, char *err, size_t errlen)
{
    size_t len = 0;
    memset(out, 0, sizeof *out);
    char *src = read_file(path, &len, err, errlen);
    if (!src)
        return 2;
    int rc = parse_buffer(path, src, len, out, err, errlen);
    free(src);
    return rc;
}

void program_free(ProgramFile *pf)
{
    if (!pf)
        return;
    arena_free(&pf->arena);
    memset(pf, 0, sizeof *pf);
}
