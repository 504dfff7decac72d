/* packed.h: frozensets of packed pairs or packed cells, read and built
 * without the generic canonical order.
 *
 * Index sets and objects are most of the sets solvers make, and their items
 * are packed values (value.h: VT_PAIR (i, j), VT_CELL (c, (i, j))) whose
 * canonical order is the order of plain integers: pairs by i then j, cells
 * by colour, then i, then j. Set algebra on two such sets of one kind, and
 * building such a set from items in any order, need neither v_cmp nor a
 * general sort: these helpers compare the fields inline, gallop through
 * long runs, and sort by integer keys or a bitmap of the bounding box.
 *
 * A packed pair is never equal to a packed cell (a cell's second item is a
 * tuple, a pair's an int), so sets of different kinds share no items. */
#ifndef BATTRACE_OPS_PACKED_H
#define BATTRACE_OPS_PACKED_H

#include "ops.h"

/* VT_PAIR or VT_CELL when v is a non-empty frozenset of packed pairs or of
 * packed cells, else 0. */
static inline uint8_t pk_kind(Value v)
{
    if (v.tag != VT_SET || !v.u.seq->n)
        return 0;
    uint32_t f = v.u.seq->flags;
    return (f & SEQ_PAIRS) ? VT_PAIR : (f & SEQ_CELLS) ? VT_CELL : 0;
}

/* The canonical order of two packed values of kind k: <0, 0, >0. */
static inline int pk_cmp(uint8_t k, const Value *x, const Value *y)
{
    if (k == VT_CELL && x->c != y->c)
        return x->c < y->c ? -1 : 1;
    if (x->u.p.a != y->u.p.a)
        return x->u.p.a < y->u.p.a ? -1 : 1;
    if (x->u.p.b != y->u.p.b)
        return x->u.p.b < y->u.p.b ? -1 : 1;
    return 0;
}

/* The kind of n > 0 items when they are all packed pairs or all packed
 * cells, else 0. */
uint8_t pk_items_kind(const Value *items, size_t n);

/* frozenset(items) for n > 0 items that are all packed pairs or all packed
 * cells, in any order, repeats allowed (pk_items_kind must have said so). */
Err pk_set_of(Ctx *ctx, const Value *items, size_t n, Value *out);

/* The union of count frozensets that are all empty or all of one packed
 * kind, in any order, repeats allowed (a union does not depend on them):
 * merge of a frozenset of them, or mapply's results before apply sorts
 * them. True with *out (or *err) set, false when the values are not all
 * such (the caller takes the generic path). */
bool pk_merge(Ctx *ctx, const Value *sets, size_t count, Value *out, Err *err);

/* When n > 0 items are all frozensets, each empty or of one packed kind
 * (the same for all), that kind (VT_PAIR when all are empty), else 0. */
uint8_t pk_sets_kind(const Value *items, size_t n);

/* frozenset(items) of n > 0 such sets (kind from pk_sets_kind), in any
 * order, repeats allowed: sorted by their items without v_cmp or hashing. */
Err pk_set_of_sets(Ctx *ctx, uint8_t kind, const Value *items, size_t n, Value *out);

/* a - b, a & b, a | b for two sets of one packed kind (pk_kind equal and
 * non-zero). The difference returns a itself when nothing is taken out. */
Err pk_difference(Ctx *ctx, Value a, Value b, Value *out);
Err pk_intersection(Ctx *ctx, Value a, Value b, Value *out);
Err pk_union(Ctx *ctx, Value a, Value b, Value *out);

/* The position of packed x in packed set s of x's kind, or -1. */
int64_t pk_find(Value s, Value x);

#endif
