/* packed.c: frozensets of packed pairs or packed cells (see packed.h). */
#include "packed.h"

#include <string.h>

#include "../runtime/limits.h"

/* A frozenset of the n > 0 items of kind k the caller put in s, strictly
 * ascending: the flags mk_set would compute (all pairs, or all cells). */
static Value finish(Seq *s, size_t n, uint8_t k)
{
    s->n = (uint32_t)n;
    s->flags = k == VT_PAIR ? SEQ_PAIRS : SEQ_CELLS;
    s->hash = 0;
    Value v = {0};
    v.tag = VT_SET;
    v.u.seq = s;
    return v;
}

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

static inline int32_t colour(uint8_t k, const Value *v) { return k == VT_CELL ? v->c : 0; }

static unsigned bits_for(uint64_t span) /* bits to hold 0..span */
{
    return span ? 64u - (unsigned)__builtin_clzll(span) : 0u;
}

/* LSD radix sort of n keys of `bits` significant bits, in passes of at most
 * 11 bits (a count table that stays in L1); returns the sorted array (k or
 * tmp). */
static uint64_t *radix(uint64_t *k, uint64_t *tmp, size_t n, unsigned bits)
{
    unsigned passes = (bits + 10) / 11;
    unsigned d = passes ? (bits + passes - 1) / passes : 0;
    uint32_t cnt[2048];
    for (unsigned p = 0, shift = 0; p < passes; p++, shift += d) {
        uint64_t mask = ((uint64_t)1 << d) - 1;
        memset(cnt, 0, ((size_t)1 << d) * sizeof *cnt);
        for (size_t x = 0; x < n; x++)
            cnt[(k[x] >> shift) & mask]++;
        uint32_t sum = 0;
        for (size_t b = 0; b <= mask; b++) {
            uint32_t c = cnt[b];
            cnt[b] = sum;
            sum += c;
        }
        for (size_t x = 0; x < n; x++)
            tmp[cnt[(k[x] >> shift) & mask]++] = k[x];
        uint64_t *t = k;
        k = tmp;
        tmp = t;
    }
    return k;
}

/* A run of items of one packed kind: one of the parts a set is built from. */
typedef struct Part {
    const Value *v;
    size_t n;
} Part;

/* frozenset of the items of all parts (kind k, n in all, any order, repeats
 * allowed; np > 0). fallback: the parts as one array, for mk_set when the
 * keys do not fit 64 bits (NULL: gather them). */
static Err build(Ctx *ctx, uint8_t k, const Part *parts, size_t np, size_t n, bool sorted_parts,
                 const Value *fallback, Value *out)
{
    /* the bounding box of (colour, i, j); a part in canonical order gives
     * its leading field's range (colour for cells, i for pairs) by its ends */
    const Value *first = parts[0].v;
    int32_t bc0 = colour(k, first), bc1 = bc0, bi0 = first->u.p.a, bi1 = bi0, bj0 = first->u.p.b, bj1 = bj0;
    for (size_t q = 0; q < np; q++) {
        const Value *v = parts[q].v;
        size_t m = parts[q].n;
        if (sorted_parts && k == VT_PAIR) {
            bi0 = v[0].u.p.a < bi0 ? v[0].u.p.a : bi0;
            bi1 = v[m - 1].u.p.a > bi1 ? v[m - 1].u.p.a : bi1;
            for (size_t x = 0; x < m; x++) {
                int32_t j = v[x].u.p.b;
                bj0 = j < bj0 ? j : bj0, bj1 = j > bj1 ? j : bj1;
            }
            continue;
        }
        if (sorted_parts) {
            bc0 = v[0].c < bc0 ? v[0].c : bc0;
            bc1 = v[m - 1].c > bc1 ? v[m - 1].c : bc1;
        } else if (k == VT_CELL) {
            for (size_t x = 0; x < m; x++) {
                int32_t c = v[x].c;
                bc0 = c < bc0 ? c : bc0, bc1 = c > bc1 ? c : bc1;
            }
        }
        for (size_t x = 0; x < m; x++) {
            int32_t i = v[x].u.p.a, j = v[x].u.p.b;
            bi0 = i < bi0 ? i : bi0, bi1 = i > bi1 ? i : bi1;
            bj0 = j < bj0 ? j : bj0, bj1 = j > bj1 ? j : bj1;
        }
    }
    int64_t c0 = bc0, c1 = bc1, i0 = bi0, i1 = bi1, j0 = bj0, j1 = bj1;
    uint64_t nc = (uint64_t)(c1 - c0) + 1, h = (uint64_t)(i1 - i0) + 1, w = (uint64_t)(j1 - j0) + 1;
    if (nc <= 64 && h <= 65536 && w <= 65536 && nc * h * w <= 4 * (uint64_t)n + 4096) {
        /* dense: mark a bitmap of the box and read it back in order */
        size_t cells = (size_t)(nc * h * w);
        uint8_t *seen = (uint8_t *)scratch(ctx, cells + 8, 1);
        if (!seen)
            return ERR_MEMORY;
        memset(seen, 0, cells + 8);
        size_t distinct = 0;
        uint64_t hw = h * w;
        for (size_t q = 0; q < np; q++)
            for (size_t x = 0; x < parts[q].n; x++) {
                const Value *v = &parts[q].v[x];
                uint64_t at = (uint64_t)(v->u.p.a - i0) * w + (uint64_t)(v->u.p.b - j0);
                if (k == VT_CELL)
                    at += (uint64_t)(v->c - c0) * hw;
                distinct += !seen[at];
                seen[at] = 1;
            }
        /* room for 8 past the last: every position of a non-empty group of
         * eight is written, and kept by moving on past it when marked (a
         * branch per position mispredicted along the edges of shapes) */
        Seq *s = seq_alloc(ctx, distinct + 8);
        if (!s)
            return ERR_MEMORY;
        size_t m = 0;
        const uint8_t *row = seen;
        for (uint64_t c = 0; c < nc && m < distinct; c++)
            for (uint64_t i = 0; i < h && m < distinct; i++, row += w)
                for (uint64_t j = 0; j < w; j += 8) {
                    uint64_t word; /* may read into the next row (or the 8 spare bytes): masked by lim */
                    memcpy(&word, row + j, sizeof word);
                    if (!word)
                        continue; /* eight empty positions at once */
                    uint64_t lim = w - j < 8 ? w - j : 8;
                    int32_t ii = (int32_t)(i0 + (int64_t)i), cc = (int32_t)(c0 + (int64_t)c);
                    for (uint64_t t = 0; t < lim; t++) {
                        int32_t jj = (int32_t)(j0 + (int64_t)(j + t));
                        s->items[m] = k == VT_CELL ? v_cell(cc, ii, jj) : v_pair(ii, jj);
                        m += row[j + t];
                    }
                }
        seq_shrink(ctx, s, distinct + 8, m);
        *out = finish(s, m, k);
        return ERR_OK;
    }
    unsigned bc = bits_for(nc - 1), bi = bits_for(h - 1), bj = bits_for(w - 1);
    if (bc + bi + bj > 64) {
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
    /* sparse: sort integer keys relative to the box, then drop repeats */
    uint64_t *key = (uint64_t *)scratch(ctx, 2 * n, sizeof *key);
    Seq *s = seq_alloc(ctx, n);
    if (!key || !s)
        return ERR_MEMORY;
    size_t at = 0;
    for (size_t q = 0; q < np; q++)
        for (size_t x = 0; x < parts[q].n; x++) {
            const Value *v = &parts[q].v[x];
            key[at++] = ((uint64_t)(colour(k, v) - c0) << bi << bj) | ((uint64_t)(v->u.p.a - i0) << bj) |
                        (uint64_t)(v->u.p.b - j0);
        }
    uint64_t *sk = radix(key, key + n, n, bc + bi + bj);
    uint64_t jmask = ((uint64_t)1 << bj) - 1, imask = ((uint64_t)1 << bi) - 1;
    size_t m = 0;
    for (size_t x = 0; x < n; x++) {
        if (x && sk[x] == sk[x - 1])
            continue;
        uint64_t y = sk[x];
        int32_t j = (int32_t)(j0 + (int64_t)(y & jmask)), i = (int32_t)(i0 + (int64_t)((y >> bj) & imask));
        s->items[m++] = k == VT_CELL ? v_cell((int32_t)(c0 + (int64_t)(y >> bj >> bi)), i, j) : v_pair(i, j);
    }
    *out = finish(s, m, k);
    return ERR_OK;
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
        *out = finish(s, n, k);
        return ERR_OK;
    }
    if (n > LIMIT_SEQ_ITEMS)
        return mk_set(ctx, n, items, out);
    Part whole = {items, n};
    return build(ctx, k, &whole, 1, n, false, items, out);
}

bool pk_merge(Ctx *ctx, Value sets, Value *out, Err *err)
{
    const Seq *outer = sets.u.seq;
    uint8_t k = 0;
    size_t n = 0, np = 0;
    Value last = v_empty_set();
    for (uint32_t q = 0; q < outer->n; q++) {
        Value s = outer->items[q];
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
    Part *parts = (Part *)scratch(ctx, np, sizeof *parts);
    if (!parts) {
        *err = ERR_MEMORY;
        return true;
    }
    size_t p = 0;
    for (uint32_t q = 0; q < outer->n; q++) {
        const Seq *s = outer->items[q].u.seq;
        if (s->n)
            parts[p++] = (Part){s->items, s->n};
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
    *out = m ? finish(s, m, k) : v_empty_set();
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
    *out = m ? finish(s, m, k) : v_empty_set();
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
    *out = finish(s, m, k);
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
