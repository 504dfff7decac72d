/* support.h: helpers shared by the Criterion tests.
 *
 * Values are written as Python literals (the form tests.py and a Python
 * session print), so an expectation can be checked by eye against arc-dsl:
 *     expect_ok("fill", "((5, 5), (5, 5))", "((0, 0), (0, 0))", "5", "frozenset({(0, 0), (1, 1)})")
 * means fill(((0,0),(0,0)), 5, {(0,0),(1,1)}) == ((5,0),(0,5)) ... with the
 * expected value first. expect_err names the Python exception class. */
#ifndef BATTRACE_TEST_SUPPORT_H
#define BATTRACE_TEST_SUPPORT_H

#include <criterion/criterion.h>

#include "../ops/ops.h"
#include "../runtime/ctx.h"
#include "../runtime/literal.h"
#include "../runtime/value.h"

/* A context on a fresh arena, freed at process exit. */
Ctx *t_ctx(void);
/* Parse a Python literal; fails the test on a syntax error. */
Value V(const char *literal);
/* Call a primitive by name with literal arguments (NULL-terminated). */
Err t_call(const char *prim, Value *out, const char *const *args);
/* repr of a value (static buffer rotation, good for 4 live strings). */
const char *R(Value v);
/* The path of ../shared (BATTRACE_SHARED), or NULL when it is not there. */
const char *t_shared(void);
/* The battrace binary under test (BATTRACE_BIN, default ./battrace). */
const char *t_bin(void);
/* Run a shell command (printf-style); its exit status, with what it printed
 * (stdout and stderr) in out. */
int t_sh(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Write text to /tmp/battrace-test-PID-NAME; its path (a static buffer). */
const char *t_write_temp(const char *name, const char *text);
/* A solver whose calls inside apply, valmax and sfilter each make 320 KB
 * of temporaries on a 10x10 grid (support.c says how). */
extern const char t_temporaries_solver[];

#define T_ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* expected literal first, then the primitive and its argument literals */
#define expect_ok(expected, prim, ...) do { \
        Value got_; \
        Err e_ = t_call(prim, &got_, T_ARGS(__VA_ARGS__)); \
        cr_assert_eq(e_, ERR_OK, "%s(%s ...) raised %s, expected %s", prim, \
                     T_ARGS(__VA_ARGS__)[0], err_name(e_), expected); \
        Value want_ = V(expected); \
        cr_assert(v_eq(got_, want_), "%s(%s ...) = %s, expected %s", prim, \
                  T_ARGS(__VA_ARGS__)[0], R(got_), R(want_)); \
    } while (0)

/* Same, and the result's kind must match too (True is not 1 for printing). */
#define expect_same(expected, prim, ...) do { \
        Value got_; \
        Err e_ = t_call(prim, &got_, T_ARGS(__VA_ARGS__)); \
        cr_assert_eq(e_, ERR_OK, "%s raised %s, expected %s", prim, err_name(e_), expected); \
        cr_assert_str_eq(R(got_), R(V(expected)), "%s(%s ...)", prim, T_ARGS(__VA_ARGS__)[0]); \
    } while (0)

#define expect_err(err, prim, ...) do { \
        Value got_; \
        Err e_ = t_call(prim, &got_, T_ARGS(__VA_ARGS__)); \
        cr_assert_eq(e_, err, "%s(%s ...) gave %s, expected %s", prim, T_ARGS(__VA_ARGS__)[0], \
                     e_ ? err_name(e_) : R(got_), err_name(err)); \
    } while (0)

#endif
