/* packed.c: frozensets of packed pairs or packed cells (see packed.h). */
#include "packed.h"

#include <string.h>

#include "../runtime/limits.h"
#include "../runtime/packset.h"

static Value *scratch(Ctx *ctx, size_t n, size_t size)
{
    if (ctx_check_mem(ctx))
        return NULL;
    return ctx_alloc(ctx, (n ? n : 1) * size);
}

uint8_t pk_items_kind(const Value *items, size_t n)
{
    uint8_t k = n ? items[0].tag : 0;
    if (k != VT_PAIR && k != VT_CELL)
        return 0;
    for (size_t x = 1; x < n; x++)
        if (items[x].tag != k)
            return 0;
    return k;
}

/* ---- building from items in any order ---- */

/* frozenset of the items of all parts (packset_build), or mk_set over them
 * gathered into one array when the keys do not fit (fallback: that array
 * already, or NULL). */
static Err build(Ctx *ctx, uint8_t k, const PackPart *parts, size_t np, size_t n, bool sorted_parts,
                 const Value *fallback, Value *out)
{
    Err e;
    if (packset_build(ctx, k, parts, np, n, sorted_parts, out, &e))
        return e;
    if (!fallback) {
        Value *all = scratch(ctx, n, sizeof *all);
        if (!all)
            return ERR_MEMORY;
        for (size_t q = 0, at = 0; q < np; at += parts[q].n, q++)
            memcpy(all + at, parts[q].v, parts[q].n * sizeof *all);
        fallback = all;
    }
    return mk_set(ctx, n, fallback, out);
}

Err pk_set_of(Ctx *ctx, const Value *items, size_t n, Value *out)
{
    uint8_t k = items[0].tag;
    bool sorted = true;
    for (size_t x = 1; x < n && sorted; x++)
        sorted = pk_cmp(k, &items[x - 1], &items[x]) < 0;
    if (sorted) {
        Seq *s = seq_alloc(ctx, n);
        if (!s)
            return ERR_MEMORY;
        memcpy(s->items, items, n * sizeof(Value));
        *out = packset_finish(s, n, k);
        return ERR_OK;
    }
    if (n > LIMIT_SEQ_ITEMS)
        return mk_set(ctx, n, items, out);
    PackPart whole = {items, n};
    return build(ctx, k, &whole, 1, n, false, items, out);
}

bool pk_merge(Ctx *ctx, const Value *sets, size_t count, Value *out, Err *err)
{
    uint8_t k = 0;
    size_t n = 0, np = 0;
    Value last = v_empty_set();
    for (size_t q = 0; q < count; q++) {
        Value s = sets[q];
        if (s.tag != VT_SET)
            return false;
        if (!s.u.seq->n)
            continue;
        uint8_t sk = pk_kind(s);
        if (!sk || (k && sk != k))
            return false;
        k = sk;
        n += s.u.seq->n;
        np++;
        last = s;
    }
    if (n > LIMIT_SEQ_ITEMS)
        return false; /* the generic path says MemoryError */
    *err = ERR_OK;
    if (np <= 1) { /* frozenset(e for e in c) of one set c: c's items */
        *out = last;
        return true;
    }
    PackPart *parts = (PackPart *)scratch(ctx, np, sizeof *parts);
    if (!parts) {
        *err = ERR_MEMORY;
        return true;
    }
    size_t p = 0;
    for (size_t q = 0; q < count; q++) {
        const Seq *s = sets[q].u.seq;
        if (s->n)
            parts[p++] = (PackPart){s->items, s->n};
    }
    *err = build(ctx, k, parts, np, n, true, NULL, out);
    return true;
}

/* ---- set algebra ---- */

/* The first position p in [lo, n) with v[p] >= x (n when none): looks at lo
 * first, then gallops (1, 2, 4, ... ahead) and bisects the last step, so a
 * merge of two sets costs O(m log(n / m)) for sizes m <= n. */
static size_t gallop(uint8_t k, const Value *v, size_t lo, size_t n, const Value *x)
{
    if (lo >= n || pk_cmp(k, &v[lo], x) >= 0)
        return lo;
    size_t step = 1, prev = lo; /* v[prev] < x */
    size_t hi = lo + step;
    while (hi < n && pk_cmp(k, &v[hi], x) < 0) {
        prev = hi;
        step *= 2;
        hi = prev + step;
    }
    if (hi > n)
        hi = n;
    /* v[prev] < x, and v[hi] >= x or hi == n */
    size_t a = prev + 1, b = hi;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (pk_cmp(k, &v[mid], x) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    return a;
}

Err pk_difference(Ctx *ctx, Value a, Value b, Value *out)
{
    uint8_t k = a.u.seq->items[0].tag;
    const Value *x = a.u.seq->items, *y = b.u.seq->items;
    size_t na = a.u.seq->n, nb = b.u.seq->n;
    /* disjoint boxes of order: nothing to take out */
    if (pk_cmp(k, &x[na - 1], &y[0]) < 0 || pk_cmp(k, &y[nb - 1], &x[0]) < 0) {
        *out = a;
        return ERR_OK;
    }
    Seq *s = NULL;
    size_t i = 0, j = 0, m = 0;
    while (i < na) {
        j = gallop(k, y, j, nb, &x[i]);
        if (j == nb)
            break;
        if (pk_cmp(k, &y[j], &x[i]) == 0) { /* x[i] is taken out */
            if (!s) {
                if (!(s = seq_alloc(ctx, na - 1)))
                    return ERR_MEMORY;
                memcpy(s->items, x, i * sizeof(Value));
                m = i;
            }
            i++, j++;
            continue;
        }
        /* x[i] < y[j]: the items of a before y[j] all stay */
        size_t e = gallop(k, x, i + 1, na, &y[j]);
        if (s)
            memcpy(s->items + m, x + i, (e - i) * sizeof(Value)), m += e - i;
        i = e;
    }
    if (!s) {
        *out = a;
        return ERR_OK;
    }
    memcpy(s->items + m, x + i, (na - i) * sizeof(Value));
    m += na - i;
    *out = m ? packset_finish(s, m, k) : v_empty_set();
    return ERR_OK;
}

Err pk_intersection(Ctx *ctx, Value a, Value b, Value *out)
{
    uint8_t k = a.u.seq->items[0].tag;
    const Value *x = a.u.seq->items, *y = b.u.seq->items;
    size_t na = a.u.seq->n, nb = b.u.seq->n;
    if (pk_cmp(k, &x[na - 1], &y[0]) < 0 || pk_cmp(k, &y[nb - 1], &x[0]) < 0) {
        *out = v_empty_set();
        return ERR_OK;
    }
    Seq *s = seq_alloc(ctx, na < nb ? na : nb);
    if (!s)
        return ERR_MEMORY;
    size_t i = 0, j = 0, m = 0;
    while (i < na && j < nb) {
        j = gallop(k, y, j, nb, &x[i]);
        if (j == nb)
            break;
        if (pk_cmp(k, &y[j], &x[i]) == 0) {
            s->items[m++] = x[i]; /* equal packed values are identical */
            i++, j++;
            continue;
        }
        i = gallop(k, x, i + 1, na, &y[j]);
    }
    *out = m ? packset_finish(s, m, k) : v_empty_set();
    return ERR_OK;
}

Err pk_union(Ctx *ctx, Value a, Value b, Value *out)
{
    uint8_t k = a.u.seq->items[0].tag;
    const Value *x = a.u.seq->items, *y = b.u.seq->items;
    size_t na = a.u.seq->n, nb = b.u.seq->n;
    Seq *s = seq_alloc(ctx, na + nb);
    if (!s)
        return ERR_MEMORY;
    size_t i = 0, j = 0, m = 0;
    while (i < na && j < nb) {
        /* copy the run of a below y[j], then the run of b below x[i] */
        size_t e = gallop(k, x, i, na, &y[j]);
        memcpy(s->items + m, x + i, (e - i) * sizeof(Value));
        m += e - i, i = e;
        if (i == na)
            break;
        if (pk_cmp(k, &x[i], &y[j]) == 0)
            j++; /* x[i] goes in with the next run of a */
        e = gallop(k, y, j, nb, &x[i]);
        memcpy(s->items + m, y + j, (e - j) * sizeof(Value));
        m += e - j, j = e;
    }
    memcpy(s->items + m, x + i, (na - i) * sizeof(Value));
    m += na - i;
    memcpy(s->items + m, y + j, (nb - j) * sizeof(Value));
    m += nb - j;
    *out = packset_finish(s, m, k);
    return ERR_OK;
}

int64_t pk_find(Value set, Value x)
{
    const Seq *s = set.u.seq;
    uint8_t k = x.tag;
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = pk_cmp(k, &s->items[mid], &x);
        if (c == 0)
            return (int64_t)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* ---- sets of packed sets ---- */

uint8_t pk_sets_kind(const Value *items, size_t n)
{
    uint8_t k = 0;
    for (size_t x = 0; x < n; x++) {
        if (items[x].tag != VT_SET)
            return 0;
        if (!items[x].u.seq->n)
            continue; /* frozenset() orders before any set: any kind */
        uint8_t ik = pk_kind(items[x]);
        if (!ik || (k && ik != k))
            return 0;
        k = ik;
    }
    return k ? k : VT_PAIR; /* all empty: either kind */
}

/* The canonical order of two sets of packed items of kind k: their items
 * lexicographically, then the shorter first (value.c's rule for sets). */
static int cmp_pkset(uint8_t k, Value x, Value y)
{
    const Seq *a = x.u.seq, *b = y.u.seq;
    if (a == b)
        return 0;
    uint32_t n = a->n < b->n ? a->n : b->n;
    for (uint32_t i = 0; i < n; i++) {
        int c = pk_cmp(k, &a->items[i], &b->items[i]);
        if (c)
            return c;
    }
    return (a->n > b->n) - (a->n < b->n);
}

/* A set with a sort key: its first item's fields packed into 64 bits,
 * ordered as the items are. Comparing sets by their items read two Seqs a
 * comparison, two cache misses among thousands of sets: the sets of sets
 * that apply and mapply build were an eighth of the cross workload. */
typedef struct KeyedSet {
    uint64_t key;
    Value set;
} KeyedSet;

/* Field v clamped into `bits` bits from lo; *exact is cleared when v lies
 * on or past either end (the key no longer tells such values apart). */
static uint64_t key_field(int64_t v, int64_t lo, unsigned bits, bool *exact)
{
    int64_t hi = lo + ((int64_t)1 << bits) - 1;
    if (v <= lo || v >= hi) {
        *exact = false;
        return v <= lo ? 0 : (uint64_t)(hi - lo);
    }
    return (uint64_t)(v - lo);
}

/* The key of a set: 0 for the empty set; else (colour, i, j) of its first
 * item in 8, 28 and 28 bits (cells) or (i, j) in 32 and 32 (pairs), each
 * field after one that was clamped left 0. A smaller key then means a
 * smaller set, and equal keys leave the order to the items (cmp_keyed). */
static uint64_t set_key(uint8_t k, Value set)
{
    const Seq *s = set.u.seq;
    if (!s->n)
        return 0;
    const Value *it = &s->items[0];
    bool exact = true;
    if (k == VT_PAIR) {
        uint64_t key = key_field(it->u.p.a, INT32_MIN - 1LL, 32, &exact) << 32;
        return exact ? key | key_field(it->u.p.b, INT32_MIN - 1LL, 32, &exact) : key;
    }
    uint64_t key = key_field(it->c, -1, 8, &exact) << 56;
    if (exact)
        key |= key_field(it->u.p.a, -((int64_t)1 << 27), 28, &exact) << 28;
    if (exact)
        key |= key_field(it->u.p.b, -((int64_t)1 << 27), 28, &exact);
    return key;
}

static int cmp_keyed(uint8_t k, const KeyedSet *x, const KeyedSet *y)
{
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return cmp_pkset(k, x->set, y->set);
}

/* Stable merge sort of n keyed sets (tmp: n / 2 + 1 of them). */
static void sort_keyed(uint8_t k, KeyedSet *v, KeyedSet *tmp, size_t n)
{
    if (n < 12) {
        for (size_t i = 1; i < n; i++) {
            KeyedSet x = v[i];
            size_t j = i;
            while (j > 0 && cmp_keyed(k, &v[j - 1], &x) > 0) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    sort_keyed(k, v, tmp, h);
    sort_keyed(k, v + h, tmp, n - h);
    if (cmp_keyed(k, &v[h - 1], &v[h]) <= 0)
        return;
    memcpy(tmp, v, h * sizeof *v);
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n)
        v[o++] = cmp_keyed(k, &v[j], &tmp[i]) < 0 ? v[j++] : tmp[i++];
    while (i < h)
        v[o++] = tmp[i++];
}

/* Slots of the table keyed_distinct drops repeats with: 0 (no table) below
 * 16 sets, where the sort costs less than the table; else a power of two,
 * at least twice n. */
static size_t distinct_slots(size_t n)
{
    if (n < 16)
        return 0;
    size_t slots = 32;
    while (slots < 2 * n)
        slots *= 2;
    return slots;
}

/* items[0..n) into keyed, each Seq once: apply's function often returns the
 * same set for many items (on the cross workload 6.8 of the 17.6 million
 * comparisons of the sort met one Seq twice). By address, through `seen`
 * (slots entries, zeroed here; none when slots is 0); returns how many are
 * kept. */
static size_t keyed_distinct(uint8_t k, const Value *items, size_t n, const Seq **seen, size_t slots,
                             KeyedSet *keyed)
{
    if (slots)
        memset(seen, 0, slots * sizeof *seen);
    size_t m = 0;
    for (size_t x = 0; x < n; x++) {
        const Seq *q = items[x].u.seq;
        if (slots) {
            size_t h = (size_t)(v_mix64((uint64_t)(uintptr_t)q) & (slots - 1));
            while (seen[h] && seen[h] != q)
                h = (h + 1) & (slots - 1);
            if (seen[h])
                continue;
            seen[h] = q;
        }
        keyed[m++] = (KeyedSet){set_key(k, items[x]), items[x]};
    }
    return m;
}

Err pk_set_of_sets(Ctx *ctx, uint8_t k, const Value *items, size_t n, Value *out)
{
    size_t slots = distinct_slots(n);
    Seq *s = seq_alloc(ctx, n);
    KeyedSet *keyed = (KeyedSet *)scratch(ctx, n + n / 2 + 1, sizeof *keyed);
    const Seq **seen = slots ? (const Seq **)scratch(ctx, slots, sizeof *seen) : NULL;
    if (!s || !keyed || (slots && !seen))
        return ERR_MEMORY;
    size_t d = keyed_distinct(k, items, n, seen, slots, keyed);
    sort_keyed(k, keyed, keyed + d, d);
    size_t m = 0; /* equal sets collapse to the first */
    for (size_t x = 0; x < d; x++)
        if (!m || cmp_keyed(k, &keyed[x - 1], &keyed[x]) != 0)
            s->items[m++] = keyed[x].set;
    s->n = (uint32_t)m;
    s->flags = 0; /* sets of sets: none of the item-kind flags */
    s->hash = 0;
    Value v = {0};
    v.tag = VT_SET;
    v.u.seq = s;
    *out = v;
    return ERR_OK;
}
