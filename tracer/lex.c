/* lex.c: the tokenizer under the program parser (see lex.h).
 *
 * One pass over the bytes. At the start of each physical line outside
 * brackets the indentation is measured against a stack of open levels,
 * giving INDENT / DEDENT tokens; blank and comment-only lines give nothing. */
#include "lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INDENT 100
#define MAX_PAREN 100

typedef struct Lexer {
    const char *src;
    size_t len, i;
    int line;
    size_t line_start;            /* offset of the current line's first byte */
    int indents[MAX_INDENT];      /* open indentation levels; [0] = 0 */
    int nindent;
    struct { char ch; int line, col; } parens[MAX_PAREN];
    int nparen;
    int logical_has_tokens;       /* the logical line so far produced a token */
    TokenList *out;
    LexError *err;
} Lexer;

static int col_at(const Lexer *lx, size_t i) { return (int)(i - lx->line_start) + 1; }

static int lex_fail(Lexer *lx, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lx->err->msg, sizeof lx->err->msg, fmt, ap);
    va_end(ap);
    lx->err->line = line;
    lx->err->col = col;
    return -1;
}

static Token *push(Lexer *lx, TokKind kind, int line, int col)
{
    TokenList *tl = lx->out;
    if (tl->n == tl->cap) {
        size_t cap = tl->cap ? tl->cap * 2 : 1024;
        Token *t = realloc(tl->toks, cap * sizeof *t);
        if (!t) {
            fprintf(stderr, "battrace: out of memory while tokenizing\n");
            exit(3);
        }
        tl->toks = t;
        tl->cap = cap;
    }
    Token *t = &tl->toks[tl->n++];
    memset(t, 0, sizeof *t);
    t->kind = (uint8_t)kind;
    t->line = line;
    t->col = col;
    if (kind != TK_NEWLINE && kind != TK_INDENT && kind != TK_DEDENT)
        lx->logical_has_tokens = 1;
    return t;
}

/* Measure the indentation of a new line; emit INDENT / DEDENT if it is not
 * blank. */
static int lex_indent(Lexer *lx)
{
    size_t j = lx->i;
    while (j < lx->len && lx->src[j] == ' ')
        j++;
    if (j < lx->len && lx->src[j] == '\t')
        return lex_fail(lx, lx->line, col_at(lx, j), "tab characters are not allowed (indent with spaces)");
    if (j >= lx->len || lx->src[j] == '\n' || lx->src[j] == '\r' || lx->src[j] == '#')
        return 0; /* blank or comment-only line */
    int width = (int)(j - lx->i), col = width + 1;
    if (width > lx->indents[lx->nindent - 1]) {
        if (lx->nindent == MAX_INDENT)
            return lex_fail(lx, lx->line, col, "too many indentation levels");
        lx->indents[lx->nindent++] = width;
        push(lx, TK_INDENT, lx->line, col);
        return 0;
    }
    while (width < lx->indents[lx->nindent - 1]) {
        lx->nindent--;
        push(lx, TK_DEDENT, lx->line, col);
    }
    if (width != lx->indents[lx->nindent - 1])
        return lex_fail(lx, lx->line, col, "unindent does not match any outer indentation level");
    return 0;
}

static void lex_newline(Lexer *lx, size_t width)
{
    if (lx->nparen == 0 && lx->logical_has_tokens) {
        push(lx, TK_NEWLINE, lx->line, col_at(lx, lx->i));
        lx->logical_has_tokens = 0;
    }
    lx->i += width;
    lx->line++;
    lx->line_start = lx->i;
}

static int is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_name_char(char c) { return is_name_start(c) || is_digit(c); }

static void lex_name(Lexer *lx)
{
    size_t s = lx->i;
    while (lx->i < lx->len && is_name_char(lx->src[lx->i]))
        lx->i++;
    Token *t = push(lx, TK_NAME, lx->line, col_at(lx, s));
    t->text = lx->src + s;
    t->len = (uint32_t)(lx->i - s);
}

static int lex_number(Lexer *lx)
{
    size_t s = lx->i;
    int col = col_at(lx, s);
    int64_t v = 0;
    while (lx->i < lx->len && is_digit(lx->src[lx->i])) {
        int d = lx->src[lx->i++] - '0';
        if (v > (INT64_MAX - d) / 10)
            return lex_fail(lx, lx->line, col, "integer literal too large");
        v = v * 10 + d;
    }
    char next = lx->i < lx->len ? lx->src[lx->i] : ' ';
    if (is_name_char(next) || next == '.' || (lx->src[s] == '0' && v != 0))
        return lex_fail(lx, lx->line, col, "only decimal integer literals are supported");
    Token *t = push(lx, TK_INT, lx->line, col);
    t->ival = v;
    return 0;
}

static int is_escape(char c) { return c == '\\' || c == '\'' || c == '"' || c == 'n' || c == 't' || c == 'r'; }

static int lex_string(Lexer *lx)
{
    char q = lx->src[lx->i];
    size_t s = lx->i;
    int col = col_at(lx, s);
    if (lx->i + 2 < lx->len && lx->src[s + 1] == q && lx->src[s + 2] == q)
        return lex_fail(lx, lx->line, col, "triple-quoted strings are not supported");
    size_t j = s + 1;
    for (;; j++) {
        if (j >= lx->len || lx->src[j] == '\n' || lx->src[j] == '\r')
            return lex_fail(lx, lx->line, col, "unterminated string");
        if (lx->src[j] == q)
            break;
        if (lx->src[j] == '\\') {
            if (j + 1 < lx->len && !is_escape(lx->src[j + 1]))
                return lex_fail(lx, lx->line, col_at(lx, j), "unsupported escape in string");
            j++;
        }
    }
    Token *t = push(lx, TK_STR, lx->line, col);
    t->text = lx->src + s + 1;
    t->len = (uint32_t)(j - s - 1);
    lx->i = j + 1;
    return 0;
}

static int lex_open(Lexer *lx, char c, int col)
{
    if (lx->nparen == MAX_PAREN)
        return lex_fail(lx, lx->line, col, "too many nested brackets");
    lx->parens[lx->nparen].ch = c;
    lx->parens[lx->nparen].line = lx->line;
    lx->parens[lx->nparen].col = col;
    lx->nparen++;
    return 0;
}

static int lex_close(Lexer *lx, char c, int col)
{
    static const char opener[] = {[')'] = '(', [']'] = '[', ['}'] = '{'};
    if (lx->nparen == 0)
        return lex_fail(lx, lx->line, col, "unmatched '%c'", c);
    char o = lx->parens[lx->nparen - 1].ch;
    if (o != opener[(unsigned char)c])
        return lex_fail(lx, lx->line, col, "closing '%c' does not match '%c'", c, o);
    lx->nparen--;
    return 0;
}

static int two_char_op(char a, char b)
{
    if (a == '-' && b == '>')
        return OP_ARROW;
    if (b == '=' && strchr("=!<>+-*/%&|^@:", a))
        return OP_MULTI;
    if ((a == b && strchr("*/<>", a)))
        return OP_MULTI;
    return 0;
}

static int is_op_char(char c)
{
    static const char ops[256] = {
        ['('] = 1, [')'] = 1, ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1, [','] = 1, [':'] = 1,
        ['.'] = 1, ['='] = 1, [';'] = 1, ['+'] = 1, ['-'] = 1, ['*'] = 1, ['/'] = 1, ['%'] = 1,
        ['@'] = 1, ['&'] = 1, ['|'] = 1, ['^'] = 1, ['~'] = 1, ['<'] = 1, ['>'] = 1, ['!'] = 1,
    };
    return ops[(unsigned char)c];
}

static int lex_op(Lexer *lx)
{
    char c = lx->src[lx->i], d = lx->i + 1 < lx->len ? lx->src[lx->i + 1] : 0;
    int col = col_at(lx, lx->i);
    if (!is_op_char(c)) {
        if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
            return lex_fail(lx, lx->line, col, "unexpected character '%c'", c);
        return lex_fail(lx, lx->line, col, "unexpected byte 0x%02x", (unsigned char)c);
    }
    int op = is_op_char(d) ? two_char_op(c, d) : 0;
    Token *t = push(lx, TK_OP, lx->line, col);
    t->op = op ? op : c;
    t->text = lx->src + lx->i;
    t->len = op ? 2 : 1;
    lx->i += op ? 2 : 1;
    if (op)
        return 0;
    if (c == '(' || c == '[' || c == '{')
        return lex_open(lx, c, col);
    if (c == ')' || c == ']' || c == '}')
        return lex_close(lx, c, col);
    return 0;
}

/* One token (or skipped space / comment / newline) at lx->i. */
static int lex_step(Lexer *lx)
{
    char c = lx->src[lx->i];
    if (c == ' ') {
        lx->i++;
    } else if (c == '#') {
        while (lx->i < lx->len && lx->src[lx->i] != '\n' && lx->src[lx->i] != '\r')
            lx->i++;
    } else if (c == '\n') {
        lex_newline(lx, 1);
        return 1;
    } else if (c == '\r') {
        lex_newline(lx, lx->i + 1 < lx->len && lx->src[lx->i + 1] == '\n' ? 2 : 1);
        return 1;
    } else if (c == '\t') {
        return lex_fail(lx, lx->line, col_at(lx, lx->i), "tab characters are not allowed (indent with spaces)");
    } else if (c == '\\') {
        return lex_fail(lx, lx->line, col_at(lx, lx->i), "line continuation with '\\' is not supported");
    } else if (is_name_start(c)) {
        lex_name(lx);
    } else if (is_digit(c)) {
        return lex_number(lx);
    } else if (c == '\'' || c == '"') {
        return lex_string(lx);
    } else {
        return lex_op(lx);
    }
    return 0;
}

static int lex_finish(Lexer *lx)
{
    if (lx->nparen > 0)
        return lex_fail(lx, lx->parens[0].line, lx->parens[0].col, "'%c' was never closed", lx->parens[0].ch);
    int col = col_at(lx, lx->i);
    if (lx->logical_has_tokens)
        push(lx, TK_NEWLINE, lx->line, col);
    for (; lx->nindent > 1; lx->nindent--)
        push(lx, TK_DEDENT, lx->line, col);
    push(lx, TK_EOF, lx->line, col);
    return 0;
}

int lex_source(const char *src, size_t len, TokenList *out, LexError *err)
{
    Lexer lx = {.src = src, .len = len, .line = 1, .nindent = 1, .out = out, .err = err};
    memset(out, 0, sizeof *out);
    int at_line_start = 1;
    while (lx.i < lx.len) {
        if (at_line_start && lx.nparen == 0 && lex_indent(&lx))
            return -1;
        int r = lex_step(&lx);
        if (r < 0)
            return -1;
        at_line_start = r;
    }
    return lex_finish(&lx);
}

void lex_free(TokenList *tl)
{
    free(tl->toks);
    memset(tl, 0, sizeof *tl);
}

static char unescape(char c)
{
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    default: return c;
    }
}

size_t lex_string_value(const Token *t, char *dst)
{
    size_t n = 0;
    for (uint32_t k = 0; k < t->len; k++) {
        char c = t->text[k];
        if (c == '\\' && k + 1 < t->len)
            c = unescape(t->text[++k]);
        dst[n++] = c;
    }
    dst[n] = 0;
    return n;
}
