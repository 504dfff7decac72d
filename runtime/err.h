/* err.h: the error classes a DSL call can end with.
 *
 * Every primitive returns an Err; ERR_OK (zero) means it produced a value. The
 * classes are Python's, because the oracle reports Python's exception class for
 * each failing run, plus the classes battrace uses when a run crosses one of its
 * documented limits (see runtime/limits.h). */
#ifndef BATTRACE_ERR_H
#define BATTRACE_ERR_H

#include <stdbool.h>
#include <stddef.h>

typedef enum Err {
    ERR_OK = 0,
    ERR_TYPE,           /* TypeError */
    ERR_VALUE,          /* ValueError */
    ERR_INDEX,          /* IndexError */
    ERR_KEY,            /* KeyError */
    ERR_ZERODIV,        /* ZeroDivisionError */
    ERR_STOPITER,       /* StopIteration */
    ERR_RUNTIME,        /* RuntimeError (StopIteration escaping a generator, PEP 479) */
    ERR_RECURSION,      /* RecursionError (power with n <= 0, runaway nesting) */
    ERR_ATTRIBUTE,      /* AttributeError */
    ERR_MEMORY,         /* MemoryError: a value beyond a battrace size bound */
    ERR_TIMEOUT,        /* TimeoutError: a run beyond its time budget */
    ERR_OVERFLOW,       /* OverflowError: an integer beyond 64 bits */
    ERR_UNSUPPORTED,    /* NotImplementedError: no primitive raises it; an except clause may name it */
    ERR__COUNT
} Err;

/* Python's class name, e.g. "TypeError". */
const char *err_name(Err e);

/* The Err named by a Python class name, or ERR__COUNT when unknown. */
Err err_from_name(const char *name);

/* Would `except <class_name>` catch e?  Follows Python's hierarchy
 * (LookupError covers IndexError and KeyError, RuntimeError covers
 * RecursionError, ArithmeticError covers ZeroDivisionError and OverflowError,
 * Exception and BaseException cover everything); 0 for the built-in classes
 * battrace never raises (AssertionError, OSError, ...). Returns -1 for a name
 * that is no built-in exception class (err_is_builtin_class). */
int err_caught_by(Err e, const char *class_name);

/* Is name (len bytes, not NUL-terminated) one of Python 3.11's built-in
 * exception classes, the only names an except clause of the subset may
 * give? (Any other name fails in Python when the clause is reached:
 * NameError, or TypeError for a name that is no exception class.) */
bool err_is_builtin_class(const char *name, size_t len);

/* Propagate an error out of the current function. */
#define TRY(expr) do { Err try_err_ = (expr); if (try_err_) return try_err_; } while (0)

/* A StopIteration raised inside a generator expression becomes RuntimeError
 * (PEP 479). Primitives whose Python body consumes a generator expression map
 * the errors of the generator's body through this. */
static inline Err gen_err(Err e) { return e == ERR_STOPITER ? ERR_RUNTIME : e; }

#endif
