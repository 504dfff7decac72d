/* support.c: helpers shared by the Criterion tests (see support.h). */
#include "support.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static Arena t_arena;
static Ctx t_context;
static int t_ready;

Ctx *t_ctx(void)
{
    if (!t_ready) {
        arena_init(&t_arena);
        ctx_init(&t_context, &t_arena);
        t_ready = 1;
    }
    ctx_begin_run(&t_context, 0);
    return &t_context;
}

Value V(const char *literal)
{
    Value v;
    size_t pos = 0;
    if (lit_parse(t_ctx(), literal, &v, &pos) != 0)
        cr_assert_fail("bad literal at offset %zu: %s", pos, literal);
    return v;
}

Err t_call(const char *prim, Value *out, const char *const *args)
{
    const Prim *p = prim_lookup(prim);
    cr_assert_not_null(p, "no primitive %s", prim);
    Value a[8];
    int n = 0;
    while (args[n]) {
        cr_assert_lt(n, 8);
        a[n] = V(args[n]);
        n++;
    }
    cr_assert_eq(n, p->arity, "%s takes %d arguments, test gave %d", prim, p->arity, n);
    return call_value(t_ctx(), prim_value(p), n, a, out);
}

const char *R(Value v)
{
    static char bufs[4][4096];
    static int k;
    k = (k + 1) & 3;
    return lit_repr(v, bufs[k], sizeof bufs[k]);
}

const char *t_shared(void)
{
    const char *p = getenv("BATTRACE_SHARED");
    if (!p)
        p = "../shared";
    struct stat st;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/SPEC.md", p);
    return stat(probe, &st) == 0 ? p : NULL;
}

const char *t_bin(void)
{
    const char *b = getenv("BATTRACE_BIN");
    return b ? b : "./battrace";
}

const char *t_write_temp(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/battrace-test-%d-%s", (int)getpid(), name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
    return path;
}

int t_sh(char *out, size_t size, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    char full[4200];
    snprintf(full, sizeof full, "(%s) 2>&1", cmd);
    FILE *p = popen(full, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, size - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* upscale(upscale(x, 10), 4) of either half of a 10x10 grid (hsplit): 400
 * rows of 200 cells (its 100 distinct row objects 320 KB of Values, past
 * CTX_RECLAIM_MIN), made for its palette inside apply (two small sets,
 * copied out), for its size inside valmax's key calls and its last call
 * (that one the statement's own), and inside sfilter's conditions (tested,
 * not kept). */
const char t_temporaries_solver[] =
    "def solve_t(I):\n"
    "    x1 = rbind(upscale, FOUR)\n"
    "    x2 = rbind(upscale, TEN)\n"
    "    x3 = compose(x1, x2)\n"
    "    x4 = compose(size, x3)\n"
    "    x5 = hsplit(I, TWO)\n"
    "    x6 = compose(palette, x3)\n"
    "    x7 = apply(x6, x5)\n"
    "    x8 = valmax(x5, x4)\n"
    "    x9 = compose(positive, x4)\n"
    "    x10 = sfilter(x5, x9)\n"
    "    x11 = size(x10)\n"
    "    x12 = astuple(x8, x11)\n"
    "    x13 = combine(x7, x12)\n"
    "    return x13\n";
