/* rows.h: the JSON rows of `run --json` (pyref.py's rows, SPEC section 6),
 * written the same way by run, by inspect --rows and by replay. */
#ifndef BATTRACE_ROWS_H
#define BATTRACE_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "../runtime/encode.h"
#include "../runtime/err.h"
#include "../runtime/tasks.h"
#include "../runtime/value.h"

/* A solver row: {"program","task","split","index","us","ok","match","output"}
 * or, when err, {..., "ok":false,"match":false,"error":class}. Ends in "}\n". */
void row_solver(StrBuf *b, const char *program, const char *task, Split split, size_t index,
                uint64_t us, Err err, Value output, int match);
/* A batt row: {"program":"batt","task","split","index"[,"error"][,"error_c"],
 * "us","o","s","s_c"}; o and s are null when the first call failed, s_c when
 * the second did. */
void row_batt(StrBuf *b, const char *task, Split split, size_t index, uint64_t us, Err err,
              Value o, Value s, Err err_c, Value s_c);
/* How many items of o (a tuple of 4-tuples) have item[3] == expected. */
size_t batt_matches(Value o, Value expected);

#endif
