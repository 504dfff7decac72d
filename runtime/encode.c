/* encode.c: JSON encoding of values and a small string buffer (see encode.h). */
#include "encode.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "func.h"
#include "xalloc.h"

void sb_init(StrBuf *b) { memset(b, 0, sizeof *b); }
void sb_free(StrBuf *b) { free(b->data); sb_init(b); }
void sb_clear(StrBuf *b) { b->len = 0; if (b->data) b->data[0] = 0; }

void sb_grow(StrBuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void sb_puts(StrBuf *b, const char *s) { sb_put(b, s, strlen(s)); }

void sb_printf(StrBuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    sb_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Printable ASCII other than the quote and the backslash: copied as is. */
static inline bool json_plain(unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; }

void sb_json_str(StrBuf *b, const char *s)
{
    sb_putc(b, '"');
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned char *run = p;
        while (json_plain(*p))
            p++;
        sb_put(b, (const char *)run, (size_t)(p - run)); /* names and ids are one run */
        if (!*p)
            break;
        if (*p == '"' || *p == '\\') {
            char esc[2] = {'\\', (char)*p};
            sb_put(b, esc, 2);
        } else {
            sb_printf(b, "\\u%04x", *p); /* json.dumps escapes non-ASCII too */
        }
        p++;
    }
    sb_putc(b, '"');
}

/* v in decimal at out (room for 20 characters); returns the length. */
static size_t fmt_int(char *out, int64_t v)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(out, p, n);
    return n;
}

static void put_int(StrBuf *b, int64_t v)
{
    sb_reserve(b, 20);
    b->len += fmt_int(b->data + b->len, v);
    b->data[b->len] = 0;
}

/* A tuple of ints (a grid's row), written in place after one reservation:
 * rows are most of what a batt's rows hold (24 KB a row on the bench's
 * batt), and a call per character made encoding a third of run --json. */
static void put_int_row(StrBuf *b, const Seq *s)
{
    sb_reserve(b, (size_t)s->n * 21 + 2);
    char *p = b->data + b->len;
    *p++ = '[';
    for (uint32_t k = 0; k < s->n; k++) {
        int64_t x = s->items[k].u.i;
        if (k)
            *p++ = ',';
        if ((uint64_t)x < 10)
            *p++ = (char)('0' + x);
        else
            p += fmt_int(p, x);
    }
    *p++ = ']';
    b->len = (size_t)(p - b->data);
    b->data[b->len] = 0;
}

/* A pair "[a,b]", or a cell "[c,[a,b]]", in place. */
static void put_pair_or_cell(StrBuf *b, Value v)
{
    sb_reserve(b, 3 * 21 + 6);
    char *p = b->data + b->len;
    *p++ = '[';
    if (v.tag == VT_CELL) {
        p += fmt_int(p, v.c);
        *p++ = ',';
        *p++ = '[';
    }
    p += fmt_int(p, v.u.p.a);
    *p++ = ',';
    p += fmt_int(p, v.u.p.b);
    *p++ = ']';
    if (v.tag == VT_CELL)
        *p++ = ']';
    b->len = (size_t)(p - b->data);
    b->data[b->len] = 0;
}

static void put_items(StrBuf *b, Value v)
{
    if (v.tag == VT_TUPLE && (v.u.seq->flags & SEQ_ALLINT)) {
        put_int_row(b, v.u.seq);
        return;
    }
    sb_putc(b, '[');
    size_t n = v_len(v);
    for (size_t k = 0; k < n; k++) {
        if (k)
            sb_putc(b, ',');
        sb_json_value(b, v_item(v, k));
    }
    sb_putc(b, ']');
}

void sb_json_value(StrBuf *b, Value v)
{
    switch (v.tag) {
    case VT_NONE: sb_put(b, "null", 4); return;
    case VT_BOOL:
        if (v.u.i)
            sb_put(b, "true", 4);
        else
            sb_put(b, "false", 5);
        return;
    case VT_INT: put_int(b, v.u.i); return;
    case VT_STR: sb_json_str(b, v.u.str); return;
    case VT_FUNC:
        sb_puts(b, "{\"fn\":");
        sb_json_str(b, func_name(v.u.fn));
        sb_put(b, "}", 1);
        return;
    case VT_SET:
        sb_put(b, "{\"set\":", 7);
        put_items(b, v);
        sb_putc(b, '}');
        return;
    case VT_PAIR:
    case VT_CELL: put_pair_or_cell(b, v); return;
    default:
        put_items(b, v);
        return;
    }
}
