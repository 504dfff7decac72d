/* lex.h: the tokenizer under the program parser (parse.c).
 *
 * Turns program source into Python-style tokens: names, decimal ints,
 * quoted strings, operators, and NEWLINE / INDENT / DEDENT for the layout.
 * Newlines inside brackets continue the line, comments and blank lines
 * vanish, as in Python. It knows only what the program subset needs and
 * refuses the rest at the offending character: tabs, backslash
 * continuations, triple-quoted strings, non-decimal or oversized numbers,
 * unterminated strings, unbalanced brackets, inconsistent dedents.
 * Token text points into the source, which must outlive the tokens. */
#ifndef BATTRACE_LEX_H
#define BATTRACE_LEX_H

#include <stddef.h>
#include <stdint.h>

typedef enum TokKind {
    TK_NAME,    /* identifier or keyword: text, len */
    TK_INT,     /* decimal int: ival */
    TK_STR,     /* quoted string: text, len = the raw body between the quotes */
    TK_OP,      /* operator or bracket: op */
    TK_NEWLINE, /* end of a logical line */
    TK_INDENT,
    TK_DEDENT,
    TK_EOF,
} TokKind;

/* TK_OP codes: a single character is its own code; longer ones: */
enum { OP_ARROW = 256 /* -> */, OP_MULTI /* any other 2-char operator (==, +=, **, ...) */ };

typedef struct Token {
    uint8_t kind;      /* TokKind */
    int op;            /* TK_OP */
    const char *text;  /* TK_NAME, TK_OP: the source text; TK_STR: the body */
    uint32_t len;
    int64_t ival;      /* TK_INT */
    int line, col;     /* 1-based */
} Token;

typedef struct TokenList {
    Token *toks;       /* ends with one TK_EOF */
    size_t n, cap;
} TokenList;

typedef struct LexError {
    int line, col;
    char msg[160];
} LexError;

/* Tokenize len bytes of src into *out (malloc'd; lex_free releases it, also
 * after a failure). Returns 0, or -1 with *err filled. */
int lex_source(const char *src, size_t len, TokenList *out, LexError *err);
void lex_free(TokenList *tl);
/* The value of a TK_STR token, escapes decoded, into dst (room for t->len + 1
 * bytes), NUL-terminated. Returns the decoded length. */
size_t lex_string_value(const Token *t, char *dst);

#endif
