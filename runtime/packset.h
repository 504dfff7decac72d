/* packset.h: building a frozenset of packed pairs or packed cells from items
 * in any order, with repeats.
 *
 * Index sets and objects are most of the sets solvers build, and their
 * items' canonical order is the order of plain integers (pairs by i then j,
 * cells by colour, i, j). So a set of them needs no comparison sort: within
 * the items' bounding box a bit per place, read back in order, when the box
 * is small next to the item count (patches on a grid, merges and shifts of
 * them); else integer keys relative to the box, radix sorted. mk_set and
 * the packed set primitives (ops/packed.c) both build through here. */
#ifndef BATTRACE_PACKSET_H
#define BATTRACE_PACKSET_H

#include "ctx.h"

/* A run of items of one packed kind: the parts a set is built from (the
 * items of several sets when merging them, or one array). */
typedef struct PackPart {
    const Value *v;
    size_t n;
} PackPart;

/* frozenset of the n > 0 items of np > 0 non-empty parts, all of kind k
 * (VT_PAIR or VT_CELL), in any order, repeats allowed; sorted_parts: each
 * part is already in canonical order (a set's items), which gives its
 * leading field's range by its ends. Returns false, setting nothing, when the box's
 * keys need more than 64 bits (the caller sorts by comparison); else true
 * with *out, or *err ERR_MEMORY past the run's memory budget. */
bool packset_build(Ctx *ctx, uint8_t k, const PackPart *parts, size_t np, size_t n, bool sorted_parts, Value *out,
                   Err *err);

/* A frozenset of the m > 0 items of kind k the caller put in s, strictly
 * ascending: the flags mk_set would compute (all pairs, or all cells). */
Value packset_finish(Seq *s, size_t m, uint8_t k);

#endif
