/* encode.h: values as JSON, the encoding of pyref.py's rows (SPEC section 6).
 *
 *   int -> number, bool -> true/false, None -> null, str -> string,
 *   tuple (grids, pairs, cells) -> list, frozenset -> {"set": [...]} in
 *   canonical order, function -> {"fn": name}.
 * Output goes to a growable byte buffer; rows are written with Python's
 * json.dumps(separators=(',', ':')) spacing so lines compare as text too. */
#ifndef BATTRACE_ENCODE_H
#define BATTRACE_ENCODE_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "value.h"

typedef struct StrBuf {
    char *data;
    size_t len, cap;
} StrBuf;

void sb_init(StrBuf *b);
void sb_free(StrBuf *b);
void sb_clear(StrBuf *b);
/* Room for extra more bytes and the terminating NUL: sb_reserve checks,
 * sb_grow (out of line) reallocates. */
void sb_grow(StrBuf *b, size_t extra);
static inline void sb_reserve(StrBuf *b, size_t extra)
{
    if (b->len + extra + 1 > b->cap)
        sb_grow(b, extra);
}
/* Append n bytes. Inline: rows are built from millions of short pieces (a
 * bracket, a comma, a name), and a call and a memcpy call per piece were
 * most of encoding a batt's rows. */
static inline void sb_put(StrBuf *b, const char *s, size_t n)
{
    sb_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}
static inline void sb_putc(StrBuf *b, char c)
{
    sb_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = 0;
}
void sb_puts(StrBuf *b, const char *s);
void sb_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string literal with escapes. */
void sb_json_str(StrBuf *b, const char *s);
/* The JSON encoding of v. */
void sb_json_value(StrBuf *b, Value v);

#endif
