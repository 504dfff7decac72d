/* value.h: the one tagged value every part of battrace passes around.
 *
 * Modelled on Lua's TValue: a small tag plus a payload. Python's values map as
 *   None -> VT_NONE, bool -> VT_BOOL, int -> VT_INT (64-bit),
 *   tuple -> VT_TUPLE (a Seq), frozenset -> VT_SET (a Seq, sorted, distinct),
 *   function -> VT_FUNC, str -> VT_STR (only in batt append tuples).
 * Two tuple shapes that dominate arc-dsl are stored inline, without a heap
 * object, because sets of indices and objects are most of the work:
 *   VT_PAIR  (i, j)          two ints, each fitting in 32 bits
 *   VT_CELL  (c, (i, j))     a colour and a pair, each fitting in 32 bits
 * They ARE tuples: every generic accessor (v_len, v_item) treats them as such,
 * and mk_tuple() produces them whenever the items fit, so that all code agrees
 * on one representation. A tuple holding a bool never packs (bools print as
 * true/false), so equality and hashing always go through the generic rules,
 * which treat a packed pair and an unpacked (1, True) as equal, as Python does.
 *
 * Values are immutable once built. Heap parts live in an Arena (arena.h):
 * the run's arena for everything a run makes, a persistent one for inputs and
 * constants. Nothing is freed one by one. */
#ifndef BATTRACE_VALUE_H
#define BATTRACE_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"

typedef enum VTag {
    VT_NONE = 0,
    VT_BOOL,
    VT_INT,
    VT_PAIR,
    VT_CELL,
    VT_TUPLE,
    VT_SET,
    VT_FUNC,
    VT_STR,
} VTag;

typedef struct Seq Seq;
typedef struct Func Func;
typedef struct Ctx Ctx;

typedef struct Value {
    uint8_t tag;
    int32_t c; /* VT_CELL: the colour */
    union {
        int64_t i;                  /* VT_INT, VT_BOOL (0 or 1) */
        struct { int32_t a, b; } p; /* VT_PAIR (a, b); VT_CELL (c, (a, b)) */
        Seq *seq;                   /* VT_TUPLE, VT_SET */
        Func *fn;                   /* VT_FUNC */
        const char *str;            /* VT_STR */
    } u;
} Value;

/* Seq flags, computed when the Seq is built. */
enum {
    SEQ_ALLINT = 1u << 0, /* every item is VT_INT (no bools): a grid row */
    SEQ_GRID = 1u << 1,   /* non-empty tuple of equally long non-empty ALLINT rows */
    SEQ_PAIRS = 1u << 2,  /* every item is VT_PAIR: a set of indices */
    SEQ_CELLS = 1u << 3,  /* every item is VT_CELL: an object */
};

struct Seq {
    uint32_t n;
    uint32_t flags;
    uint64_t hash; /* 0 until computed */
    Value items[];
};

/* ---- constructors of immediate values ---- */
/* Every constructor goes through v_make: the two 8-byte halves (tag and
 * colour; payload), padding zeroed, held in general registers. Built field
 * by field, GCC assembled some in a stack slot and read them back with one
 * 16-byte load that could not be forwarded from the narrower stores. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "v_make lays out halves little-endian");
static inline Value v_make(uint8_t tag, int32_t c, uint64_t payload)
{
    uint64_t lo = tag | (uint64_t)(uint32_t)c << 32;
    Value v;
    __builtin_memcpy(&v, &lo, 8);
    __builtin_memcpy((char *)&v + 8, &payload, 8);
    return v;
}
static inline Value v_none(void) { return v_make(VT_NONE, 0, 0); }
static inline Value v_bool(bool b) { return v_make(VT_BOOL, 0, b); }
static inline Value v_int(int64_t i) { return v_make(VT_INT, 0, (uint64_t)i); }
static inline Value v_str(const char *s) { return v_make(VT_STR, 0, (uint64_t)(uintptr_t)s); }
static inline Value v_func(Func *f) { return v_make(VT_FUNC, 0, (uint64_t)(uintptr_t)f); }
static inline uint64_t v_pair_bits(int32_t a, int32_t b)
{
    return (uint64_t)(uint32_t)a | (uint64_t)(uint32_t)b << 32;
}
static inline Value v_pair(int32_t a, int32_t b) { return v_make(VT_PAIR, 0, v_pair_bits(a, b)); }
static inline Value v_cell(int32_t c, int32_t a, int32_t b)
{
    return v_make(VT_CELL, c, v_pair_bits(a, b));
}
/* *dst = *src through two 8-byte general registers. A plain struct copy
 * is one 16-byte SSE load, and when src was just written by a primitive
 * (most results are stored as two 8-byte halves) that load cannot be
 * forwarded from the pending stores and stalls until they retire: on the
 * closure path, where each level passes on the result of the last, this
 * was a large part of a call's cost. The empty asm keeps the compiler from
 * merging the halves back into one vector move. */
static inline void v_copy(Value *dst, const Value *src)
{
    uint64_t lo, hi;
    __builtin_memcpy(&lo, src, 8);
    __builtin_memcpy(&hi, (const char *)src + 8, 8);
    __asm__("" : "+r"(lo), "+r"(hi));
    __builtin_memcpy(dst, &lo, 8);
    __builtin_memcpy((char *)dst + 8, &hi, 8);
}
/* *dst = v with one 16-byte store. Values are mostly stored as two 8-byte
 * halves and copied with 16-byte loads; a load that spans two pending
 * stores cannot take their data and waits for them to retire. Scratch
 * values that are read back at once (the items of a packed tuple) are
 * stored whole, which both kinds of load can forward from. */
static inline void v_put(Value *dst, Value v)
{
    typedef uint64_t V2 __attribute__((vector_size(16)));
    uint64_t lo, hi;
    __builtin_memcpy(&lo, &v, 8);
    __builtin_memcpy(&hi, (const char *)&v + 8, 8);
    V2 x = {lo, hi};
    __builtin_memcpy(dst, &x, 16);
}
static inline bool fits32(int64_t x) { return x >= INT32_MIN && x <= INT32_MAX; }

/* ---- kind tests ---- */
/* Python isinstance(v, int): ints and bools. */
static inline bool v_is_int(Value v) { return v.tag == VT_INT || v.tag == VT_BOOL; }
/* Python isinstance(v, tuple). */
static inline bool v_is_tuple(Value v)
{
    return v.tag == VT_TUPLE || v.tag == VT_PAIR || v.tag == VT_CELL;
}
static inline bool v_is_set(Value v) { return v.tag == VT_SET; }
/* tuple or frozenset: what Python can iterate and len() */
static inline bool v_is_container(Value v) { return v_is_tuple(v) || v.tag == VT_SET; }

/* ---- container access (tuples of any shape, sets) ---- */
/* Number of items; the caller has checked v_is_container. */
static inline size_t v_len(Value v)
{
    if (v.tag == VT_PAIR || v.tag == VT_CELL) return 2;
    return v.u.seq->n;
}
/* Item k (0 <= k < v_len(v)); sets yield their canonical order. */
static inline Value v_item(Value v, size_t k)
{
    if (v.tag == VT_PAIR) return v_int(k ? v.u.p.b : v.u.p.a);
    if (v.tag == VT_CELL) return k ? v_pair(v.u.p.a, v.u.p.b) : v_int(v.c);
    return v.u.seq->items[k];
}
static inline uint32_t v_flags(Value v)
{
    return (v.tag == VT_TUPLE || v.tag == VT_SET) ? v.u.seq->flags : 0;
}
/* A rectangular, non-empty grid of ints with non-empty rows. */
/* The memory a boxed value (tuple, set, function, str) points to: where it
 * lives, for the tracer's tables and its drops. */
static inline const void *v_box(Value v)
{
    return v.tag == VT_FUNC ? (const void *)v.u.fn : v.tag == VT_STR ? (const void *)v.u.str : (const void *)v.u.seq;
}

static inline bool v_is_grid(Value v) { return v.tag == VT_TUPLE && (v.u.seq->flags & SEQ_GRID); }

/* ---- building ---- */
/* A tuple of the n items (copied). Packs pairs and cells. Fails with
 * ERR_MEMORY past the size bound or the run's memory budget. */
Err mk_tuple(Ctx *ctx, size_t n, const Value *items, Value *out);
/* A frozenset of the n items (copied, sorted into canonical order, equal items
 * collapsed keeping the first). */
Err mk_set(Ctx *ctx, size_t n, const Value *items, Value *out);
/* Same as mk_set for items already in strictly ascending canonical order. */
Err mk_set_sorted(Ctx *ctx, size_t n, const Value *items, Value *out);
/* LSD radix sort of n keys in place, one pass per byte in which they
 * differ; tmp: room for n more. */
void radix_sort_u64(uint64_t *k, uint64_t *tmp, size_t n);
/* A tuple that takes a Seq already filled by the caller (see seq_alloc). */
Value seq_finish_tuple(Seq *s);
/* The same when the caller knows its flags (a grid's rows, a slice of one
 * kind), with none of seq_finish_tuple's checks: n > 0, and not two ints
 * (those are a packed pair). */
static inline Value seq_tuple_flagged(Seq *s, uint32_t flags)
{
    s->flags = flags;
    Value v = {0};
    v.tag = VT_TUPLE;
    v.u.seq = s;
    return v;
}
/* Allocate an uninitialised Seq for n items in ctx's arena; NULL past the bounds. */
Seq *seq_alloc(Ctx *ctx, size_t n);
/* mk_tuple of two values passed in registers: packs a pair or a cell
 * without touching memory, and otherwise stores the items whole (v_put)
 * for mk_tuple to copy (results just stored by halves and reloaded by a
 * 16-byte copy stall; see v_put). */
static inline Err mk_tuple2(Ctx *ctx, Value a, Value b, Value *out)
{
    if (a.tag == VT_INT && b.tag == VT_INT && fits32(a.u.i) && fits32(b.u.i)) {
        *out = v_pair((int32_t)a.u.i, (int32_t)b.u.i);
        return ERR_OK;
    }
    Value it[2];
    v_put(&it[0], a);
    v_put(&it[1], b);
    return mk_tuple(ctx, 2, it, out);
}
/* A Seq from seq_alloc(ctx, cap), the latest allocation, keeps only its
 * first n items (n <= cap): the tail goes back to the arena. */
void seq_shrink(Ctx *ctx, Seq *s, size_t cap, size_t n);
/* Convenience for the common shapes. */
Err mk_pair(Ctx *ctx, int64_t a, int64_t b, Value *out); /* (a, b) of ints */
Value v_empty_tuple(void);
Value v_empty_set(void);

/* Growable buffer of values in the run's arena, for results of unknown size. */
typedef struct VBuf {
    Ctx *ctx;
    Value *items;
    size_t n, cap;
} VBuf;
void vbuf_init(VBuf *b, Ctx *ctx);
Err vbuf_push(VBuf *b, Value v);
Err vbuf_tuple(VBuf *b, Value *out); /* tuple of the buffered values */
Err vbuf_set(VBuf *b, Value *out);   /* frozenset of the buffered values */

/* Copy the parts of *v that arena `from` handed out since mark `since` into
 * arena `to`; older parts, and parts that live elsewhere, are shared, not
 * copied. Replay keeps a node's result this way when the node made many
 * temporaries, and run a statement's or a closure call's (ctx.h), before
 * dropping them (arena_rollback). Consecutive items that are the same object
 * (a canvas's rows) stay shared in the copy. Refused (false, *v and `to` as
 * they were) when *v holds a function made since the mark: a function is its
 * address (equality, hashing), and a result holding one twice, (f, f), would
 * hold two in the copy. */
bool v_relocate(Arena *to, const Arena *from, ArenaMark since, Value *v);
/* The bytes v_relocate would copy (headers and items; arena padding aside),
 * counted until the count reaches `limit`: past it the walk stops and
 * returns what it has (at least limit). Replay asks only whether a result
 * owns less than half of what its node made, and walking the rest of a
 * large result it keeps anyway (product's pairs, tens of MB) was a tenth of
 * the decision's cost. */
size_t v_owned_bytes(const Arena *from, ArenaMark since, Value v, size_t limit);

/* ---- equality, order, hash ---- */
/* Python ==. Functions compare by identity, bools as ints. */
bool v_eq(Value a, Value b);
/* The canonical order of SPEC section 3: None < ints (bools as 0/1) < tuples
 * (lexicographic) < sets (lexicographic over sorted members) < functions (by
 * name, then by creation) < strings. Returns <0, 0, >0; 0 iff v_eq. */
int v_cmp(Value a, Value b);
/* A hash consistent with v_eq (used for dedup, and cached on Seqs). */
uint64_t v_hash(Value v);
/* A 64-bit finaliser (MurmurHash3's), for hashes built on v_hash. */
static inline uint64_t v_mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}
/* Python truthiness. */
bool v_truthy(Value v);

/* Python type name of the value ("int", "tuple", "frozenset", ...). */
const char *v_type_name(Value v);

#endif
