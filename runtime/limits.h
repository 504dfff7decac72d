/* limits.h: the documented bounds that keep one run from exhausting the machine.
 *
 * A run that crosses one fails with a clear class instead (MemoryError,
 * TimeoutError, RecursionError, OverflowError). The bounds sit far above
 * anything the shared corpora reach with the Python oracle, so no oracle row
 * changes; `battrace run --help` lists them and the options that change them. */
#ifndef BATTRACE_LIMITS_H
#define BATTRACE_LIMITS_H

/* Items in one tuple or set (a 3 x 2,000,000 canvas is 6e6 cells). */
#define LIMIT_SEQ_ITEMS (64u * 1024u * 1024u)
/* Bytes one run may allocate, by default (--mem-limit). */
#define LIMIT_RUN_BYTES_DEFAULT (6ull * 1024 * 1024 * 1024)
/* Seconds one run may take, by default (--time-limit). */
#define LIMIT_RUN_SECONDS_DEFAULT 120.0
/* Nesting of function calls through closures: Python's recursion limit. */
#define LIMIT_CALL_DEPTH 990
/* power(f, n) builds n-1 nested compositions in Python; deeper ones raise
 * RecursionError there, and here. */
#define LIMIT_POWER_N 990

#endif
