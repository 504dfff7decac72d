/* packset.c: frozensets of packed items built by bitmap or radix sort (see
 * packset.h). */
#include "packset.h"

#include <string.h>

/* The items' bounding box: colour (0 for pairs), row, column. */
typedef struct Box {
    int64_t c0, c1, i0, i1, j0, j1;
} Box;

static inline int32_t colour(uint8_t k, const Value *v) { return k == VT_CELL ? v->c : 0; }

/* A part in canonical order gives its leading field's range (colour for
 * cells, i for pairs) by its ends; the other fields take a scan. */
static Box box_of(uint8_t k, const PackPart *parts, size_t np, bool sorted_parts)
{
    const Value *first = parts[0].v;
    int32_t c0 = colour(k, first), c1 = c0, i0 = first->u.p.a, i1 = i0, j0 = first->u.p.b, j1 = j0;
    for (size_t q = 0; q < np; q++) {
        const Value *v = parts[q].v;
        size_t m = parts[q].n;
        if (sorted_parts && k == VT_PAIR) {
            i0 = v[0].u.p.a < i0 ? v[0].u.p.a : i0;
            i1 = v[m - 1].u.p.a > i1 ? v[m - 1].u.p.a : i1;
            for (size_t x = 0; x < m; x++) {
                int32_t j = v[x].u.p.b;
                j0 = j < j0 ? j : j0, j1 = j > j1 ? j : j1;
            }
            continue;
        }
        if (sorted_parts) {
            c0 = v[0].c < c0 ? v[0].c : c0;
            c1 = v[m - 1].c > c1 ? v[m - 1].c : c1;
        } else if (k == VT_CELL) {
            for (size_t x = 0; x < m; x++) {
                int32_t c = v[x].c;
                c0 = c < c0 ? c : c0, c1 = c > c1 ? c : c1;
            }
        }
        for (size_t x = 0; x < m; x++) {
            int32_t i = v[x].u.p.a, j = v[x].u.p.b;
            i0 = i < i0 ? i : i0, i1 = i > i1 ? i : i1;
            j0 = j < j0 ? j : j0, j1 = j > j1 ? j : j1;
        }
    }
    return (Box){c0, c1, i0, i1, j0, j1};
}

static void *scratch(Ctx *ctx, size_t bytes)
{
    return ctx_check_mem(ctx) ? NULL : ctx_alloc(ctx, bytes ? bytes : 1);
}

Value packset_finish(Seq *s, size_t m, uint8_t k)
{
    s->n = (uint32_t)m;
    s->flags = k == VT_PAIR ? SEQ_PAIRS : SEQ_CELLS;
    s->hash = 0;
    Value v = {0};
    v.tag = VT_SET;
    v.u.seq = s;
    return v;
}

/* ---- a bit per place of the box ----
 * One run of 64-bit words per (colour, row): marking is one OR per item and
 * reading back costs a step per word and per item (a row's bits come out by
 * count-trailing-zeros, in order, repeats collapsed by the marking). */

/* Words of the box beyond the item count at which sorting is cheaper. */
#define BITMAP_SLACK 256u

static Err by_bitmap(Ctx *ctx, uint8_t k, const PackPart *parts, size_t np, size_t n, const Box *b,
                     uint64_t per_row, uint64_t words, Value *out)
{
    uint64_t h = (uint64_t)(b->i1 - b->i0) + 1;
    uint64_t *bits = scratch(ctx, words * sizeof *bits);
    if (!bits)
        return ERR_MEMORY;
    memset(bits, 0, words * sizeof *bits);
    for (size_t q = 0; q < np; q++)
        for (size_t x = 0; x < parts[q].n; x++) {
            const Value *v = &parts[q].v[x];
            uint64_t row = (uint64_t)(colour(k, v) - b->c0) * h + (uint64_t)(v->u.p.a - b->i0);
            uint64_t j = (uint64_t)(v->u.p.b - b->j0);
            bits[row * per_row + j / 64] |= 1ull << (j % 64);
        }
    Seq *s = seq_alloc(ctx, n); /* at most n distinct; the rest given back */
    if (!s)
        return ERR_MEMORY;
    size_t m = 0;
    const uint64_t *word = bits;
    for (int64_t c = b->c0; c <= b->c1; c++)
        for (int64_t i = b->i0; i <= b->i1; i++)
            for (uint64_t q = 0; q < per_row; q++, word++)
                for (uint64_t left = *word; left; left &= left - 1) {
                    int32_t j = (int32_t)(b->j0 + (int64_t)(q * 64 + (uint64_t)__builtin_ctzll(left)));
                    s->items[m++] = k == VT_CELL ? v_cell((int32_t)c, (int32_t)i, j) : v_pair((int32_t)i, j);
                }
    seq_shrink(ctx, s, n, m);
    *out = packset_finish(s, m, k);
    return ERR_OK;
}

/* ---- integer keys relative to the box, radix sorted ---- */

static unsigned bits_for(uint64_t span) /* bits to hold 0..span */
{
    return span ? 64u - (unsigned)__builtin_clzll(span) : 0u;
}

static Err by_radix(Ctx *ctx, uint8_t k, const PackPart *parts, size_t np, size_t n, const Box *b, unsigned bi,
                    unsigned bj, Value *out)
{
    uint64_t *key = scratch(ctx, 2 * n * sizeof *key);
    Seq *s = seq_alloc(ctx, n);
    if (!key || !s)
        return ERR_MEMORY;
    size_t at = 0;
    for (size_t q = 0; q < np; q++)
        for (size_t x = 0; x < parts[q].n; x++) {
            const Value *v = &parts[q].v[x];
            key[at++] = ((uint64_t)(colour(k, v) - b->c0) << bi << bj) | ((uint64_t)(v->u.p.a - b->i0) << bj) |
                        (uint64_t)(v->u.p.b - b->j0);
        }
    radix_sort_u64(key, key + n, n); /* value.h: the bytes all keys share are skipped */
    uint64_t jmask = ((uint64_t)1 << bj) - 1, imask = ((uint64_t)1 << bi) - 1;
    size_t m = 0;
    for (size_t x = 0; x < n; x++) {
        if (x && key[x] == key[x - 1])
            continue;
        uint64_t y = key[x];
        int32_t j = (int32_t)(b->j0 + (int64_t)(y & jmask)), i = (int32_t)(b->i0 + (int64_t)((y >> bj) & imask));
        s->items[m++] = k == VT_CELL ? v_cell((int32_t)(b->c0 + (int64_t)(y >> bj >> bi)), i, j) : v_pair(i, j);
    }
    seq_shrink(ctx, s, n, m);
    *out = packset_finish(s, m, k);
    return ERR_OK;
}

bool packset_build(Ctx *ctx, uint8_t k, const PackPart *parts, size_t np, size_t n, bool sorted_parts, Value *out,
                   Err *err)
{
    Box b = box_of(k, parts, np, sorted_parts);
    uint64_t nc = (uint64_t)(b.c1 - b.c0) + 1, h = (uint64_t)(b.i1 - b.i0) + 1, w = (uint64_t)(b.j1 - b.j0) + 1;
    uint64_t per_row = (w + 63) / 64;
    /* each test bounds the next product: nc and h at most n + slack, so
     * nc * h cannot wrap, nor, once that is at most n + slack too, its
     * product with per_row (below 2^26) */
    if (nc <= n + BITMAP_SLACK && h <= n + BITMAP_SLACK && nc * h <= n + BITMAP_SLACK &&
        nc * h * per_row <= n + BITMAP_SLACK) {
        *err = by_bitmap(ctx, k, parts, np, n, &b, per_row, nc * h * per_row, out);
        return true;
    }
    unsigned bc = bits_for(nc - 1), bi = bits_for(h - 1), bj = bits_for(w - 1);
    if (bc + bi + bj > 64)
        return false;
    *err = by_radix(ctx, k, parts, np, n, &b, bi, bj, out);
    return true;
}
