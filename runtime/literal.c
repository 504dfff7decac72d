/* literal.c: Python literal parsing and repr (see literal.h). */
#include "literal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ops/ops.h"
#include "func.h"

typedef struct Lex {
    Ctx *ctx;
    const char *s, *p;
} Lex;

static void skip_ws(Lex *x)
{
    while (isspace((unsigned char)*x->p))
        x->p++;
}

static int eat(Lex *x, char c)
{
    skip_ws(x);
    if (*x->p != c)
        return 0;
    x->p++;
    return 1;
}

static int parse_value(Lex *x, Value *out);

/* Items up to the closing bracket; `*trailing_comma` tells (1,) from (1). */
static int parse_items(Lex *x, char close, VBuf *b, int *trailing_comma)
{
    *trailing_comma = 0;
    if (eat(x, close))
        return 0;
    for (;;) {
        Value v;
        if (parse_value(x, &v) || vbuf_push(b, v))
            return -1;
        if (eat(x, close))
            return 0;
        if (!eat(x, ','))
            return -1;
        *trailing_comma = 1;
        if (eat(x, close))
            return 0;
        *trailing_comma = 0;
    }
}

static int parse_name(Lex *x, Value *out)
{
    const char *start = x->p;
    while (isalnum((unsigned char)*x->p) || *x->p == '_')
        x->p++;
    size_t n = (size_t)(x->p - start);
    char name[64];
    if (n == 0 || n >= sizeof name)
        return -1;
    memcpy(name, start, n);
    name[n] = 0;
    if (!strcmp(name, "True")) { *out = v_bool(1); return 0; }
    if (!strcmp(name, "False")) { *out = v_bool(0); return 0; }
    if (!strcmp(name, "None")) { *out = v_none(); return 0; }
    if (!strcmp(name, "frozenset")) {
        if (!eat(x, '('))
            return -1;
        if (eat(x, ')')) {
            *out = v_empty_set();
            return 0;
        }
        Value inner;
        if (parse_value(x, &inner) || !eat(x, ')'))
            return -1;
        if (!v_is_container(inner))
            return -1;
        if (inner.tag == VT_SET) {
            *out = inner;
            return 0;
        }
        VBuf b;
        vbuf_init(&b, x->ctx);
        for (size_t k = 0; k < v_len(inner); k++)
            if (vbuf_push(&b, v_item(inner, k)))
                return -1;
        return vbuf_set(&b, out) ? -1 : 0;
    }
    const Prim *p = prim_lookup(name);
    if (!p)
        return -1;
    *out = prim_value(p);
    return 0;
}

static int parse_string(Lex *x, Value *out)
{
    char q = *x->p++;
    const char *start = x->p;
    while (*x->p && *x->p != q)
        x->p++;
    if (*x->p != q)
        return -1;
    size_t n = (size_t)(x->p - start);
    char *s = ctx_alloc(x->ctx, n + 1);
    memcpy(s, start, n);
    s[n] = 0;
    x->p++;
    *out = v_str(s);
    return 0;
}

static int parse_value(Lex *x, Value *out)
{
    skip_ws(x);
    char c = *x->p;
    if (c == '-' || isdigit((unsigned char)c)) {
        char *end;
        long long v = strtoll(x->p, &end, 10);
        if (end == x->p)
            return -1;
        x->p = end;
        *out = v_int(v);
        return 0;
    }
    if (c == '\'' || c == '"')
        return parse_string(x, out);
    if (c == '(' || c == '{' || c == '[') {
        x->p++;
        VBuf b;
        vbuf_init(&b, x->ctx);
        int trailing;
        char close = c == '(' ? ')' : c == '{' ? '}' : ']';
        if (parse_items(x, close, &b, &trailing))
            return -1;
        if (c == '{')
            return vbuf_set(&b, out) ? -1 : 0;
        if (c == '(' && b.n == 1 && !trailing) { /* parenthesised value */
            *out = b.items[0];
            return 0;
        }
        return vbuf_tuple(&b, out) ? -1 : 0;
    }
    if (isalpha((unsigned char)c) || c == '_')
        return parse_name(x, out);
    return -1;
}

int lit_parse(Ctx *ctx, const char *text, Value *out, size_t *errpos)
{
    Lex x = {ctx, text, text};
    if (parse_value(&x, out) == 0) {
        skip_ws(&x);
        if (*x.p == 0)
            return 0;
    }
    if (errpos)
        *errpos = (size_t)(x.p - text);
    return -1;
}

/* ---- repr ---- */

typedef struct Out {
    char *buf;
    size_t size, n;
} Out;

static void put(Out *o, const char *s)
{
    for (; *s; s++) {
        if (o->n + 1 < o->size)
            o->buf[o->n] = *s;
        o->n++;
    }
}

static void repr(Out *o, Value v)
{
    char num[32];
    switch (v.tag) {
    case VT_NONE: put(o, "None"); return;
    case VT_BOOL: put(o, v.u.i ? "True" : "False"); return;
    case VT_INT: snprintf(num, sizeof num, "%lld", (long long)v.u.i); put(o, num); return;
    case VT_FUNC: put(o, func_name(v.u.fn)); return;
    case VT_STR: put(o, "'"); put(o, v.u.str); put(o, "'"); return;
    case VT_SET:
        if (v_len(v) == 0) { put(o, "frozenset()"); return; }
        put(o, "frozenset({");
        for (size_t k = 0; k < v_len(v); k++) {
            if (k) put(o, ", ");
            repr(o, v_item(v, k));
        }
        put(o, "})");
        return;
    default:
        put(o, "(");
        for (size_t k = 0; k < v_len(v); k++) {
            if (k) put(o, ", ");
            repr(o, v_item(v, k));
        }
        put(o, v_len(v) == 1 ? ",)" : ")");
        return;
    }
}

char *lit_repr(Value v, char *buf, size_t size)
{
    Out o = {buf, size, 0};
    repr(&o, v);
    if (size) {
        if (o.n >= size) {
            o.n = size - 1;
            if (size > 4)
                memcpy(buf + size - 4, "...", 3);
        }
        buf[o.n] = 0;
    }
    return buf;
}
