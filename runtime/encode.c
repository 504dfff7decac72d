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

static void sb_reserve(StrBuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void sb_put(StrBuf *b, const char *s, size_t n)
{
    sb_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
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

void sb_json_str(StrBuf *b, const char *s)
{
    sb_put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            char esc[2] = {'\\', (char)*p};
            sb_put(b, esc, 2);
        } else if (*p < 0x20 || *p >= 0x7f) {
            sb_printf(b, "\\u%04x", *p); /* json.dumps escapes non-ASCII too */
        } else {
            sb_put(b, (const char *)p, 1);
        }
    }
    sb_put(b, "\"", 1);
}

static void put_int(StrBuf *b, int64_t v)
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
    sb_put(b, p, (size_t)(tmp + sizeof tmp - p));
}

static void put_items(StrBuf *b, Value v)
{
    sb_put(b, "[", 1);
    size_t n = v_len(v);
    for (size_t k = 0; k < n; k++) {
        if (k)
            sb_put(b, ",", 1);
        sb_json_value(b, v_item(v, k));
    }
    sb_put(b, "]", 1);
}

void sb_json_value(StrBuf *b, Value v)
{
    switch (v.tag) {
    case VT_NONE: sb_put(b, "null", 4); return;
    case VT_BOOL: sb_puts(b, v.u.i ? "true" : "false"); return;
    case VT_INT: put_int(b, v.u.i); return;
    case VT_STR: sb_json_str(b, v.u.str); return;
    case VT_FUNC:
        sb_puts(b, "{\"fn\":");
        sb_json_str(b, func_name(v.u.fn));
        sb_put(b, "}", 1);
        return;
    case VT_SET:
        sb_puts(b, "{\"set\":");
        put_items(b, v);
        sb_put(b, "}", 1);
        return;
    case VT_PAIR:
        sb_put(b, "[", 1);
        put_int(b, v.u.p.a);
        sb_put(b, ",", 1);
        put_int(b, v.u.p.b);
        sb_put(b, "]", 1);
        return;
    default:
        put_items(b, v);
        return;
    }
}
