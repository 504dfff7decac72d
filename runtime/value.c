/* value.c: building values, and Python's equality, canonical order and hashing. */
#include "value.h"

#include <string.h>

#include "arena.h"
#include "ctx.h"
#include "func.h"
#include "limits.h"
#include "packset.h"

static Seq empty_tuple_seq = {0, 0, 0};
static Seq empty_set_seq = {0, 0, 0};

Value v_empty_tuple(void)
{
    Value v = {0};
    v.tag = VT_TUPLE;
    v.u.seq = &empty_tuple_seq;
    return v;
}

Value v_empty_set(void)
{
    Value v = {0};
    v.tag = VT_SET;
    v.u.seq = &empty_set_seq;
    return v;
}

Seq *seq_alloc(Ctx *ctx, size_t n)
{
    if (n > LIMIT_SEQ_ITEMS) {
        if (!ctx->limit_hit)
            ctx->limit_hit = ERR_MEMORY;
        return NULL;
    }
    if (ctx_check_mem(ctx))
        return NULL;
    Seq *s = ctx_alloc(ctx, sizeof(Seq) + n * sizeof(Value));
    s->n = (uint32_t)n;
    s->flags = 0;
    s->hash = 0;
    return s;
}

void seq_shrink(Ctx *ctx, Seq *s, size_t cap, size_t n)
{
    arena_shrink_last(ctx->arena, s, sizeof(Seq) + cap * sizeof(Value), sizeof(Seq) + n * sizeof(Value));
    s->n = (uint32_t)n;
}

/* ---- flags ---- */

static bool is_int_row(Value r)
{
    return r.tag == VT_PAIR || (r.tag == VT_TUPLE && (r.u.seq->flags & SEQ_ALLINT) && r.u.seq->n);
}

static uint32_t tuple_flags(const Seq *s)
{
    uint32_t n = s->n;
    if (n == 0)
        return SEQ_ALLINT;
    bool allint = true, grid = true;
    size_t w = is_int_row(s->items[0]) ? v_len(s->items[0]) : 0;
    for (uint32_t k = 0; k < n; k++) {
        Value it = s->items[k];
        if (it.tag != VT_INT)
            allint = false;
        if (grid && (!is_int_row(it) || v_len(it) != w))
            grid = false;
        if (!allint && !grid)
            break;
    }
    return (allint ? SEQ_ALLINT : 0) | (grid ? SEQ_GRID : 0);
}

static uint32_t set_flags(const Seq *s)
{
    uint32_t pairs = SEQ_PAIRS, cells = SEQ_CELLS, ints = SEQ_ALLINT;
    for (uint32_t k = 0; k < s->n; k++) {
        uint8_t t = s->items[k].tag;
        if (t != VT_PAIR) pairs = 0;
        if (t != VT_CELL) cells = 0;
        if (t != VT_INT) ints = 0;
        if (!(pairs | cells | ints))
            break;
    }
    return pairs | cells | ints;
}

Value seq_finish_tuple(Seq *s)
{
    if (s->n == 2) {
        Value a = s->items[0], b = s->items[1];
        if (a.tag == VT_INT && b.tag == VT_INT && fits32(a.u.i) && fits32(b.u.i))
            return v_pair((int32_t)a.u.i, (int32_t)b.u.i);
        if (a.tag == VT_INT && b.tag == VT_PAIR && fits32(a.u.i))
            return v_cell((int32_t)a.u.i, b.u.p.a, b.u.p.b);
    }
    if (s->n == 0)
        return v_empty_tuple();
    return seq_tuple_flagged(s, tuple_flags(s));
}

Err mk_tuple(Ctx *ctx, size_t n, const Value *items, Value *out)
{
    if (n == 0) {
        *out = v_empty_tuple();
        return ERR_OK;
    }
    if (n == 2) {
        Value a = items[0], b = items[1];
        if (a.tag == VT_INT && b.tag == VT_INT && fits32(a.u.i) && fits32(b.u.i)) {
            *out = v_pair((int32_t)a.u.i, (int32_t)b.u.i);
            return ERR_OK;
        }
        if (a.tag == VT_INT && b.tag == VT_PAIR && fits32(a.u.i)) {
            *out = v_cell((int32_t)a.u.i, b.u.p.a, b.u.p.b);
            return ERR_OK;
        }
    }
    Seq *s = seq_alloc(ctx, n);
    if (!s)
        return ERR_MEMORY;
    memcpy(s->items, items, n * sizeof(Value));
    *out = seq_finish_tuple(s);
    return ERR_OK;
}

Err mk_pair(Ctx *ctx, int64_t a, int64_t b, Value *out)
{
    return mk_tuple2(ctx, v_int(a), v_int(b), out);
}

/* ---- sorting into canonical order ---- */

typedef int (*VCmp)(const Value *, const Value *);

static int cmp_generic(const Value *a, const Value *b) { return v_cmp(*a, *b); }

static int cmp_pairs(const Value *a, const Value *b)
{
    if (a->u.p.a != b->u.p.a) return a->u.p.a < b->u.p.a ? -1 : 1;
    if (a->u.p.b != b->u.p.b) return a->u.p.b < b->u.p.b ? -1 : 1;
    return 0;
}

static int cmp_cells(const Value *a, const Value *b)
{
    if (a->c != b->c) return a->c < b->c ? -1 : 1;
    return cmp_pairs(a, b);
}

static int cmp_ints(const Value *a, const Value *b)
{
    return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
}

/* Stable merge sort (equal items keep their order: the first is kept). */
static void merge_sort(Value *v, Value *tmp, size_t n, VCmp cmp)
{
    if (n < 16) {
        for (size_t i = 1; i < n; i++) {
            Value x = v[i];
            size_t j = i;
            while (j > 0 && cmp(&v[j - 1], &x) > 0) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    merge_sort(v, tmp, h, cmp);
    merge_sort(v + h, tmp, n - h, cmp);
    if (cmp(&v[h - 1], &v[h]) <= 0)
        return;
    memcpy(tmp, v, h * sizeof(Value));
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        v[k++] = cmp(&v[j], &tmp[i]) < 0 ? v[j++] : tmp[i++];
    while (i < h)
        v[k++] = tmp[i++];
}

static VCmp pick_cmp(const Value *items, size_t n)
{
    uint8_t t = n ? items[0].tag : VT_NONE;
    if (t != VT_PAIR && t != VT_CELL && t != VT_INT)
        return cmp_generic;
    for (size_t k = 1; k < n; k++)
        if (items[k].tag != t)
            return cmp_generic;
    return t == VT_PAIR ? cmp_pairs : t == VT_CELL ? cmp_cells : cmp_ints;
}

static bool is_sorted_strict(const Value *v, size_t n, VCmp cmp)
{
    for (size_t k = 1; k < n; k++)
        if (cmp(&v[k - 1], &v[k]) >= 0)
            return false;
    return true;
}

/* Drop later duplicates (v_eq) in place, keeping first occurrences in order.
 * Comparing two big items in the canonical order costs a walk over their
 * members; hashing them costs one walk each (and is cached on Seqs). Sets of
 * sets (prapply, apply over objects) are often mostly duplicates, so this
 * pass makes the sort that follows cheap. Returns the new count. */
static size_t dedupe_by_hash(Ctx *ctx, Value *items, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    uint32_t *slot = ctx_alloc(ctx, cap * sizeof *slot);
    memset(slot, 0xff, cap * sizeof *slot);
    size_t w = 0;
    for (size_t r = 0; r < n; r++) {
        uint64_t h = v_hash(items[r]);
        size_t k = (size_t)h & (cap - 1);
        bool dup = false;
        while (slot[k] != UINT32_MAX) {
            if (v_eq(items[slot[k]], items[r])) {
                dup = true;
                break;
            }
            k = (k + 1) & (cap - 1);
        }
        if (dup)
            continue;
        items[w] = items[r];
        slot[k] = (uint32_t)w++;
    }
    return w;
}

/* ---- LSD radix sort of 64-bit keys ----
 * Skips the bytes every key shares (two or three passes for keys built from
 * grid coordinates) and scatters back and forth between k and tmp. */
void radix_sort_u64(uint64_t *k, uint64_t *tmp, size_t n)
{
    uint64_t differ = 0;
    uint64_t *from = k, *to = tmp; /* each pass scatters from one into the other */
    for (size_t x = 1; x < n; x++)
        differ |= k[x] ^ k[0];
    for (unsigned shift = 0; shift < 64; shift += 8) {
        if (!((differ >> shift) & 255))
            continue;
        uint32_t cnt[256] = {0};
        for (size_t x = 0; x < n; x++)
            cnt[(from[x] >> shift) & 255]++;
        for (uint32_t d = 0, sum = 0; d < 256; d++) {
            uint32_t c = cnt[d];
            cnt[d] = sum;
            sum += c;
        }
        for (size_t x = 0; x < n; x++)
            to[cnt[(from[x] >> shift) & 255]++] = from[x];
        uint64_t *t = from;
        from = to;
        to = t;
    }
    if (from != k)
        memcpy(k, from, n * sizeof *k);
}

/* Below this many items a comparison sort is cheaper than building by
 * bitmap or radix. */
#define PACKSET_MIN 24

Err mk_set(Ctx *ctx, size_t n, const Value *items, Value *out)
{
    if (n == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    VCmp cmp = pick_cmp(items, n);
    bool sorted = is_sorted_strict(items, n, cmp); /* once: it is the common case */
    if (!sorted && n >= PACKSET_MIN && (cmp == cmp_pairs || cmp == cmp_cells)) {
        PackPart whole = {items, n};
        Err e;
        if (packset_build(ctx, items[0].tag, &whole, 1, n, false, out, &e))
            return e;
    }
    Seq *s = seq_alloc(ctx, n);
    if (!s)
        return ERR_MEMORY;
    memcpy(s->items, items, n * sizeof(Value));
    if (!sorted && cmp == cmp_generic && n > 8) {
        n = s->n = (uint32_t)dedupe_by_hash(ctx, s->items, n);
        sorted = is_sorted_strict(s->items, n, cmp); /* the repeats may have been all that was out of order */
    }
    if (!sorted) {
        Value *tmp = ctx_alloc(ctx, (n / 2 + 1) * sizeof(Value));
        merge_sort(s->items, tmp, n, cmp);
        size_t w = 1;
        for (size_t r = 1; r < n; r++)
            if (cmp(&s->items[w - 1], &s->items[r]) != 0)
                s->items[w++] = s->items[r];
        s->n = (uint32_t)w;
    }
    s->flags = set_flags(s);
    out->tag = VT_SET;
    out->c = 0;
    out->u.seq = s;
    return ERR_OK;
}

Err mk_set_sorted(Ctx *ctx, size_t n, const Value *items, Value *out)
{
    if (n == 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    Seq *s = seq_alloc(ctx, n);
    if (!s)
        return ERR_MEMORY;
    memcpy(s->items, items, n * sizeof(Value));
    s->flags = set_flags(s);
    out->tag = VT_SET;
    out->c = 0;
    out->u.seq = s;
    return ERR_OK;
}

/* ---- growable buffer ---- */

void vbuf_init(VBuf *b, Ctx *ctx)
{
    b->ctx = ctx;
    b->items = NULL;
    b->n = b->cap = 0;
}

Err vbuf_push(VBuf *b, Value v)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        if (cap > LIMIT_SEQ_ITEMS + 16u) {
            if (!b->ctx->limit_hit)
                b->ctx->limit_hit = ERR_MEMORY;
            return ERR_MEMORY;
        }
        TRY(ctx_check_mem(b->ctx));
        Value *items = ctx_alloc(b->ctx, cap * sizeof(Value));
        if (b->n)
            memcpy(items, b->items, b->n * sizeof(Value));
        b->items = items;
        b->cap = cap;
    }
    b->items[b->n++] = v;
    return ERR_OK;
}

Err vbuf_tuple(VBuf *b, Value *out) { return mk_tuple(b->ctx, b->n, b->items, out); }
Err vbuf_set(VBuf *b, Value *out) { return mk_set(b->ctx, b->n, b->items, out); }

/* ---- relocation ---- */

typedef struct Reloc {
    Arena *to;
    const Arena *from;
    ArenaMark since;
    bool func; /* met a function made since the mark */
} Reloc;

static Value relocate(Reloc *r, Value v);

static Func *relocate_func(Reloc *r, const Func *f)
{
    r->func = true;
    Func *g = arena_alloc(r->to, sizeof *g);
    *g = *f;
    for (int k = 0; k < 3; k++)
        g->cap[k] = relocate(r, f->cap[k]);
    return g;
}

/* Item k is the same object as item k - 1 (a canvas's rows): shared in the
 * original, shared in a copy, counted once. */
static bool shares_previous(const Seq *s, uint32_t k)
{
    Value it = s->items[k];
    return k && (it.tag == VT_TUPLE || it.tag == VT_SET) && it.tag == s->items[k - 1].tag &&
           it.u.seq == s->items[k - 1].u.seq;
}

static Seq *relocate_seq(Reloc *r, const Seq *s)
{
    Seq *t = arena_alloc(r->to, sizeof(Seq) + s->n * sizeof(Value));
    t->n = s->n;
    t->flags = s->flags;
    t->hash = __atomic_load_n(&s->hash, __ATOMIC_RELAXED);
    for (uint32_t k = 0; k < s->n; k++)
        t->items[k] = shares_previous(s, k) ? t->items[k - 1] : relocate(r, s->items[k]);
    return t;
}

size_t v_owned_bytes(const Arena *from, ArenaMark since, Value v, size_t limit)
{
    if (v.tag == VT_FUNC && arena_owns_since(from, since, v.u.fn)) {
        size_t n = sizeof(Func);
        for (int k = 0; k < 3 && n < limit; k++)
            n += v_owned_bytes(from, since, v.u.fn->cap[k], limit - n);
        return n;
    }
    if ((v.tag != VT_TUPLE && v.tag != VT_SET) || !v.u.seq->n || !arena_owns_since(from, since, v.u.seq))
        return 0;
    const Seq *s = v.u.seq;
    size_t n = sizeof(Seq) + s->n * sizeof(Value);
    if (s->flags & (SEQ_ALLINT | SEQ_PAIRS | SEQ_CELLS))
        return n; /* flat: no nested objects */
    for (uint32_t k = 0; k < s->n && n < limit; k++)
        if (!shares_previous(s, k))
            n += v_owned_bytes(from, since, s->items[k], limit - n);
    return n;
}

static Value relocate(Reloc *r, Value v)
{
    if ((v.tag == VT_TUPLE || v.tag == VT_SET) && v.u.seq->n && arena_owns_since(r->from, r->since, v.u.seq))
        v.u.seq = relocate_seq(r, v.u.seq);
    else if (v.tag == VT_FUNC && arena_owns_since(r->from, r->since, v.u.fn))
        v.u.fn = relocate_func(r, v.u.fn);
    return v;
}

bool v_relocate(Arena *to, const Arena *from, ArenaMark since, Value *v)
{
    Reloc r = {to, from, since, false};
    ArenaMark undo = arena_mark(to);
    Value copy = relocate(&r, *v);
    if (r.func) {
        arena_rollback(to, undo);
        return false;
    }
    *v = copy;
    return true;
}

/* ---- equality and order ---- */

static int rank(uint8_t tag)
{
    switch (tag) {
    case VT_NONE: return 0;
    case VT_BOOL: case VT_INT: return 1;
    case VT_PAIR: case VT_CELL: case VT_TUPLE: return 2;
    case VT_SET: return 3;
    case VT_FUNC: return 4;
    default: return 5;
    }
}

static int cmp_i64(int64_t a, int64_t b) { return a < b ? -1 : a > b; }

/* Both Seqs hold only packed pairs (or only cells): compare them inline. */
static int cmp_packed_seqs(const Seq *x, const Seq *y, VCmp cmp)
{
    uint32_t n = x->n < y->n ? x->n : y->n;
    for (uint32_t k = 0; k < n; k++) {
        int c = cmp(&x->items[k], &y->items[k]);
        if (c)
            return c;
    }
    return cmp_i64(x->n, y->n);
}

static int cmp_items(Value a, Value b)
{
    if ((a.tag == VT_SET || a.tag == VT_TUPLE) && (b.tag == VT_SET || b.tag == VT_TUPLE)) {
        uint32_t fa = a.u.seq->flags, fb = b.u.seq->flags;
        if ((fa & fb & SEQ_PAIRS) && a.u.seq->n && b.u.seq->n)
            return cmp_packed_seqs(a.u.seq, b.u.seq, cmp_pairs);
        if ((fa & fb & SEQ_CELLS) && a.u.seq->n && b.u.seq->n)
            return cmp_packed_seqs(a.u.seq, b.u.seq, cmp_cells);
    }
    size_t na = v_len(a), nb = v_len(b), n = na < nb ? na : nb;
    for (size_t k = 0; k < n; k++) {
        int c = v_cmp(v_item(a, k), v_item(b, k));
        if (c)
            return c;
    }
    return cmp_i64((int64_t)na, (int64_t)nb);
}

static int cmp_funcs(const Func *a, const Func *b)
{
    if (a == b)
        return 0;
    int c = strcmp(func_name(a), func_name(b));
    if (c)
        return c < 0 ? -1 : 1;
    if (a->serial != b->serial)
        return a->serial < b->serial ? -1 : 1;
    return (uintptr_t)a < (uintptr_t)b ? -1 : 1;
}

int v_cmp(Value a, Value b)
{
    int ra = rank(a.tag), rb = rank(b.tag);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    switch (ra) {
    case 0:
        return 0;
    case 1:
        return cmp_i64(a.u.i, b.u.i);
    case 2:
        if (a.tag == VT_PAIR && b.tag == VT_PAIR)
            return cmp_pairs(&a, &b);
        if (a.tag == VT_CELL && b.tag == VT_CELL)
            return cmp_cells(&a, &b);
        if (a.tag == VT_TUPLE && b.tag == VT_TUPLE && a.u.seq == b.u.seq)
            return 0;
        return cmp_items(a, b);
    case 3:
        if (a.u.seq == b.u.seq)
            return 0;
        return cmp_items(a, b);
    case 4:
        return cmp_funcs(a.u.fn, b.u.fn);
    default: {
        int c = strcmp(a.u.str, b.u.str);
        return c < 0 ? -1 : c > 0;
    }
    }
}

bool v_eq(Value a, Value b)
{
    if (a.tag == b.tag) {
        switch (a.tag) {
        case VT_NONE: return true;
        case VT_BOOL: case VT_INT: return a.u.i == b.u.i;
        case VT_PAIR: return a.u.p.a == b.u.p.a && a.u.p.b == b.u.p.b;
        case VT_CELL: return a.c == b.c && a.u.p.a == b.u.p.a && a.u.p.b == b.u.p.b;
        case VT_FUNC: return a.u.fn == b.u.fn;
        case VT_TUPLE: case VT_SET:
            if (a.u.seq == b.u.seq) return true;
            if (a.u.seq->n != b.u.seq->n) return false;
            {
                uint64_t ha = __atomic_load_n(&a.u.seq->hash, __ATOMIC_RELAXED);
                uint64_t hb = __atomic_load_n(&b.u.seq->hash, __ATOMIC_RELAXED);
                if (ha && hb && ha != hb) return false;
            }
            break;
        default: break;
        }
    }
    return v_cmp(a, b) == 0;
}

/* ---- hashing ---- */

static inline uint64_t mix64(uint64_t x) { return v_mix64(x); }

/* A sequence hashes its items' hashes in four independent lanes (item k into
 * lane k % 4, one multiply each), finished by one mix: the chain of dependent
 * multiplies is a quarter of the items long, so a 30x30 grid hashes at the
 * rate the item hashes are made rather than at one mix64 latency per cell.
 * Every representation of one value goes through these same steps (a packed
 * pair and a Seq of two ints; an ALLINT row and a row holding bools), which
 * keeps the hash consistent with v_eq. */
#define SEED_TUPLE 0x7475706cULL
#define SEED_SET 0x66736574ULL
#define LANE_MUL 0x9fb21c651e98df25ULL

typedef struct {
    uint64_t l[4];
} HashLanes;

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline void lanes_init(HashLanes *h, uint64_t seed)
{
    h->l[0] = seed;
    h->l[1] = seed ^ 0x243f6a8885a308d3ULL;
    h->l[2] = seed ^ 0x13198a2e03707344ULL;
    h->l[3] = seed ^ 0xa4093822299f31d0ULL;
}

static inline void lanes_add(HashLanes *h, size_t k, uint64_t item) { h->l[k & 3] = (h->l[k & 3] ^ item) * LANE_MUL; }

static inline uint64_t lanes_finish(const HashLanes *h, size_t n)
{
    return mix64(h->l[0] ^ rotl64(h->l[1], 16) ^ rotl64(h->l[2], 32) ^ rotl64(h->l[3], 48) ^ (n * LANE_MUL));
}

static inline uint64_t hash_int_mix(int64_t i) { return mix64((uint64_t)i ^ 0x1234567ULL); }

static inline uint64_t hash_int_pair_mix(uint64_t ha, uint64_t hb)
{
    HashLanes h;
    lanes_init(&h, SEED_TUPLE);
    lanes_add(&h, 0, ha);
    lanes_add(&h, 1, hb);
    return lanes_finish(&h, 2);
}

/* The hashes of the small ints and of the pairs of small coordinates, the
 * items of almost every grid, index set and object, computed once: an int
 * hash is a mix64, a pair's three, a cell's five, and hashing the cells of
 * new objects was a fifth of the trace writer's work. Same values, looked
 * up; filled before main (replay's threads hash concurrently). */
#define HT_INT_LO (-32)
#define HT_INTS 512    /* ints HT_INT_LO .. HT_INT_LO + HT_INTS - 1 */
#define HT_SIDE 32     /* pairs (a, b) with 0 <= a, b < HT_SIDE */
static uint64_t ht_int[HT_INTS];
static uint64_t ht_pair[HT_SIDE * HT_SIDE];
#define HT_COLOURS 16
static uint64_t ht_cell[HT_COLOURS * HT_SIDE * HT_SIDE];

__attribute__((constructor)) static void hash_tables_init(void)
{
    for (int k = 0; k < HT_INTS; k++)
        ht_int[k] = hash_int_mix(k + HT_INT_LO);
    for (int a = 0; a < HT_SIDE; a++)
        for (int b = 0; b < HT_SIDE; b++)
            ht_pair[a * HT_SIDE + b] = hash_int_pair_mix(ht_int[a - HT_INT_LO], ht_int[b - HT_INT_LO]);
    for (int c = 0; c < HT_COLOURS; c++)
        for (int k = 0; k < HT_SIDE * HT_SIDE; k++)
            ht_cell[c * HT_SIDE * HT_SIDE + k] = hash_int_pair_mix(ht_int[c - HT_INT_LO], ht_pair[k]);
}

static inline uint64_t hash_int(int64_t i)
{
    uint64_t k = (uint64_t)i - (uint64_t)HT_INT_LO;
    return k < HT_INTS ? ht_int[k] : hash_int_mix(i);
}

/* (a, b) with a and b ints: a VT_PAIR, or a Seq of two ints */
static inline uint64_t hash_int_pair(int64_t a, int64_t b)
{
    if ((uint64_t)a < HT_SIDE && (uint64_t)b < HT_SIDE)
        return ht_pair[a * HT_SIDE + b];
    return hash_int_pair_mix(hash_int(a), hash_int(b));
}

/* (c, (a, b)): a VT_CELL */
static inline uint64_t hash_cell(int64_t c, int64_t a, int64_t b)
{
    if ((uint64_t)c < HT_COLOURS && (uint64_t)a < HT_SIDE && (uint64_t)b < HT_SIDE)
        return ht_cell[(c * HT_SIDE + a) * HT_SIDE + b];
    HashLanes h;
    lanes_init(&h, SEED_TUPLE);
    lanes_add(&h, 0, hash_int(c));
    lanes_add(&h, 1, hash_int_pair(a, b));
    return lanes_finish(&h, 2);
}

/* Items k, k + 1, ... into the four lanes held in l0..l3 (item k goes to
 * lane k mod 4, as lanes_add puts it), four at a time: with the lanes in a
 * HashLanes indexed by k & 3, GCC kept them on the stack, and each lane's
 * multiply waited on a store and a load of the one before (recording's
 * interpreter thread spends a tenth of its instructions hashing results). */
#define HASH_LANES(ITEM)                                       \
    do {                                                       \
        size_t k = 0;                                          \
        for (; k + 4 <= n; k += 4) {                           \
            l0 = (l0 ^ ITEM(k)) * LANE_MUL;                    \
            l1 = (l1 ^ ITEM(k + 1)) * LANE_MUL;                \
            l2 = (l2 ^ ITEM(k + 2)) * LANE_MUL;                \
            l3 = (l3 ^ ITEM(k + 3)) * LANE_MUL;                \
        }                                                      \
        if (k < n)                                             \
            l0 = (l0 ^ ITEM(k)) * LANE_MUL;                    \
        if (k + 1 < n)                                         \
            l1 = (l1 ^ ITEM(k + 1)) * LANE_MUL;                \
        if (k + 2 < n)                                         \
            l2 = (l2 ^ ITEM(k + 2)) * LANE_MUL;                \
    } while (0)

static uint64_t hash_items(const Seq *s, uint64_t seed)
{
    HashLanes h;
    lanes_init(&h, seed);
    uint64_t l0 = h.l[0], l1 = h.l[1], l2 = h.l[2], l3 = h.l[3];
    const Value *it = s->items;
    size_t n = s->n;
#define ITEM_INT(k) hash_int(it[k].u.i)
#define ITEM_PAIR(k) hash_int_pair(it[k].u.p.a, it[k].u.p.b)
#define ITEM_CELL(k) hash_cell(it[k].c, it[k].u.p.a, it[k].u.p.b)
#define ITEM_ANY(k) v_hash(it[k])
    if (s->flags & SEQ_ALLINT)
        HASH_LANES(ITEM_INT);
    else if (s->flags & SEQ_PAIRS)
        HASH_LANES(ITEM_PAIR);
    else if (s->flags & SEQ_CELLS)
        HASH_LANES(ITEM_CELL);
    else
        HASH_LANES(ITEM_ANY);
#undef ITEM_INT
#undef ITEM_PAIR
#undef ITEM_CELL
#undef ITEM_ANY
    h.l[0] = l0, h.l[1] = l1, h.l[2] = l2, h.l[3] = l3;
    return lanes_finish(&h, n);
}
#undef HASH_LANES

uint64_t v_hash(Value v)
{
    switch (v.tag) {
    case VT_NONE: return 0x6e6f6e65ULL;
    case VT_BOOL: case VT_INT: return hash_int(v.u.i);
    case VT_PAIR: return hash_int_pair(v.u.p.a, v.u.p.b);
    case VT_CELL: return hash_cell(v.c, v.u.p.a, v.u.p.b);
    case VT_TUPLE: case VT_SET: {
        /* cached on the Seq; values are shared between replay threads, and
         * two threads may store the same hash at once: relaxed atomics */
        Seq *s = v.u.seq;
        uint64_t h = __atomic_load_n(&s->hash, __ATOMIC_RELAXED);
        if (!h) {
            h = hash_items(s, v.tag == VT_TUPLE ? SEED_TUPLE : SEED_SET);
            h = h ? h : 1;
            __atomic_store_n(&s->hash, h, __ATOMIC_RELAXED);
        }
        return h;
    }
    case VT_FUNC: return mix64((uint64_t)(uintptr_t)v.u.fn);
    default: {
        uint64_t h = 1469598103934665603ULL;
        for (const char *p = v.u.str; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        return h;
    }
    }
}

bool v_truthy(Value v)
{
    switch (v.tag) {
    case VT_NONE: return false;
    case VT_BOOL: case VT_INT: return v.u.i != 0;
    case VT_PAIR: case VT_CELL: return true;
    case VT_TUPLE: case VT_SET: return v.u.seq->n != 0;
    case VT_STR: return v.u.str[0] != 0;
    default: return true;
    }
}

const char *v_type_name(Value v)
{
    switch (v.tag) {
    case VT_NONE: return "NoneType";
    case VT_BOOL: return "bool";
    case VT_INT: return "int";
    case VT_PAIR: case VT_CELL: case VT_TUPLE: return "tuple";
    case VT_SET: return "frozenset";
    case VT_FUNC: return "function";
    default: return "str";
    }
}
