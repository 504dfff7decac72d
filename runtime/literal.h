/* literal.h: Python literals <-> Values, for constants, tests and messages.
 *
 * lit_parse reads the literal forms the project needs: ints (with sign),
 * True, False, None, 'strings', tuples `(a, b)` / `(a,)` / `()`, frozensets
 * as `frozenset({a, b})`, `frozenset()` or a bare `{a, b}`, and primitive
 * names as function values. lit_repr writes a value the way Python's repr
 * does (sets in canonical order), so a test failure prints something a
 * person can compare with the Python session it came from. */
#ifndef BATTRACE_LITERAL_H
#define BATTRACE_LITERAL_H

#include <stddef.h>

#include "ctx.h"
#include "value.h"

/* Parse text as one literal into *out (allocated in ctx's arena). Returns
 * 0, or -1 with the byte offset of the problem in *errpos. */
int lit_parse(Ctx *ctx, const char *text, Value *out, size_t *errpos);
/* Python repr of v into buf (truncated with "..." when it does not fit).
 * Returns buf. */
char *lit_repr(Value v, char *buf, size_t size);

#endif
