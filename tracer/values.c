/* values.c: the ValueTable: each distinct value of a trace once, in the
 * encoding of docs/trace-format.md ("Values").
 *
 * Interning is on the recorder's hot path. A value is interned bottom up:
 * its tuple, set and closure items first (they are referred to with tag
 * REF), then its encoding is written at the end of the byte array and looked
 * up by the hash of those bytes; it is kept only when it is new. Since each
 * distinct value has one id, equal values encode to equal bytes. An optional
 * pointer cache (vt_forget_pointers) answers a heap value seen before in one
 * probe.
 *
 * Decoding (vt_decode) and loading (vt_load) treat the bytes as untrusted:
 * every tag, length, range and REF is checked. */
#include "trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ops/ops.h"
#include "../runtime/func.h"
#include "../runtime/xalloc.h"
#include "varint.h"

enum {
    TAG_NONE, TAG_FALSE, TAG_TRUE, TAG_INT, TAG_PAIR, TAG_CELL, TAG_TUPLE, TAG_SET,
    TAG_PRIM, TAG_CLOSURE, TAG_SAFE, TAG_STR, TAG_REF, TAG_HASH, TAG_GRID,
};

#define VT_MAX_DEPTH 2000          /* nesting of REFs while decoding */
#define VT_MAX_CLOSURES (1u << 20) /* closures one vt_decode may build */

/* A table recorded into grows its bytes, offsets and hashes within room
 * asked for up front (grow_room). Grown by doubling, the bench's batt copied
 * them 10 to 16 times into fresh pages: with the room, recording it took
 * 2240 page faults instead of 3070 and 0.07-0.09 s of system time instead
 * of 0.14-0.45 s. Address space only; not under AddressSanitizer, which
 * poisons the shadow of every block it hands out. */
#ifdef __SANITIZE_ADDRESS__
#define VT_ROOM_BYTES 0
#define VT_ROOM_IDS 0
#else
#define VT_ROOM_BYTES ((size_t)1 << 30)
#define VT_ROOM_IDS ((size_t)16 << 20)
#endif

struct VtPtr {
    const void *key;
    uint32_t id, gen;
};

void vt_init(ValueTable *vt) { memset(vt, 0, sizeof *vt); }

void vt_free(ValueTable *vt)
{
    free(vt->bytes);
    free(vt->offset);
    free(vt->hash);
    free(vt->slots);
    free(vt->ptrs);
    free(vt->stack);
    memset(vt, 0, sizeof *vt);
}

static inline uint64_t mix64(uint64_t x) { return v_mix64(x); }

/* The index key of a HASH entry (TAG_HASH, kind, the 8 bytes of hash h):
 * made from h, not from the bytes (vt_prefetch_hash needs it before they
 * are written). */
static inline uint64_t hash_entry_key(uint64_t h, uint8_t tag)
{
    uint64_t k = mix64(h ^ ((uint64_t)tag << 57) ^ 0x68617368ULL);
    return k ? k : 1;
}

/* Never 0: a zero hash marks an entry that is not indexed (vt_load). */
/* The index key of an encoding: eight bytes per multiply (an FNV loop over
 * bytes was a tenth of recording); a HASH entry's key is its hash's. */
static uint64_t hash_bytes(const uint8_t *p, size_t n)
{
    uint64_t h, w;
    if (n == 10 && p[0] == TAG_HASH)
        return hash_entry_key(rd_u64le(p + 2), p[1]);
    h = 0x9e3779b97f4a7c15ULL ^ n;
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        memcpy(&w, p + k, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h = (h << 31) | (h >> 33);
    }
    if (k < n) {
        w = 0;
        memcpy(&w, p + k, n - k);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
    }
    h = mix64(h);
    return h ? h : 1;
}

/* Tuples, sets and closures: stored as their own entries, REF'd as items. */
static inline bool is_heap(Value v)
{
    if (v.tag == VT_TUPLE || v.tag == VT_SET)
        return true;
    return v.tag == VT_FUNC && v.u.fn->kind != FN_PRIM && v.u.fn->kind != FN_SAFE;
}

static inline size_t entry_end(const ValueTable *vt, uint32_t id)
{
    return id + 1 < vt->count ? vt->offset[id + 1] : vt->len;
}

/* ---- pointer cache ---- */

static struct VtPtr *ptr_slot(const ValueTable *vt, const void *key)
{
    size_t mask = vt->nptrs - 1, k = mix64((uint64_t)(uintptr_t)key) & mask;
    while (vt->ptrs[k].gen == vt->ptr_gen && vt->ptrs[k].key != key)
        k = (k + 1) & mask;
    return &vt->ptrs[k];
}

static bool ptr_get(const ValueTable *vt, const void *key, uint32_t *id)
{
    if (!vt->ptr_gen || !vt->nptrs)
        return false;
    const struct VtPtr *e = ptr_slot(vt, key);
    if (e->gen != vt->ptr_gen)
        return false;
    *id = e->id;
    return true;
}

static void ptr_grow(ValueTable *vt)
{
    struct VtPtr *old = vt->ptrs;
    size_t nold = vt->nptrs;
    vt->nptrs = nold ? nold * 2 : 1024;
    vt->ptrs = xcalloc(vt->nptrs, sizeof *vt->ptrs);
    for (size_t k = 0; k < nold; k++)
        if (old[k].gen == vt->ptr_gen)
            *ptr_slot(vt, old[k].key) = old[k];
    free(old);
}

static void ptr_put(ValueTable *vt, const void *key, uint32_t id)
{
    if (!vt->ptr_gen)
        return;
    if ((vt->ptr_used + 1) * 2 > vt->nptrs)
        ptr_grow(vt);
    struct VtPtr *e = ptr_slot(vt, key);
    if (e->gen != vt->ptr_gen) {
        vt->ptr_used++;
        e->key = key;
        e->gen = vt->ptr_gen;
    }
    e->id = id;
}

void vt_forget_pointers(ValueTable *vt)
{
    vt->ptr_used = 0;
    if (++vt->ptr_gen == 0) {
        if (vt->ptrs)
            memset(vt->ptrs, 0, vt->nptrs * sizeof *vt->ptrs);
        vt->ptr_gen = 1;
    }
}

/* ---- the hash index ----
 * A slot holds the high half of the entry's hash, its id + 1 and where its
 * bytes start: a probe passes over other entries without touching them, and
 * checks a candidate with one more cache miss, its bytes (the hash, offset
 * and bytes arrays were three). Encodings are prefix-free (a tag, then
 * fields whose lengths the tag and the counts before them fix), so an entry
 * whose bytes begin with a complete encoding is that encoding: the entry's
 * end need not be looked up. */

struct VtSlot {
    uint32_t hash_hi;
    uint32_t id1;     /* id + 1; 0 = empty */
    uint64_t offset;
};

static void slot_insert(ValueTable *vt, uint32_t id)
{
    size_t mask = vt->nslots - 1, k = vt->hash[id] & mask;
    while (vt->slots[k].id1)
        k = (k + 1) & mask;
    vt->slots[k] = (struct VtSlot){(uint32_t)(vt->hash[id] >> 32), id + 1, vt->offset[id]};
}

static void slots_grow(ValueTable *vt)
{
    free(vt->slots);
    vt->nslots = vt->nslots ? vt->nslots * 2 : 1024;
    vt->slots = xcalloc(vt->nslots, sizeof *vt->slots);
    for (uint32_t id = 0; id < vt->count; id++)
        if (vt->hash[id])
            slot_insert(vt, id);
}

/* Room for one more id: the offsets and hashes, each with its room (when one
 * room is refused and the other granted, the smaller capacity counts). */
static void ids_grow(ValueTable *vt)
{
    size_t c1 = vt->cap_ids, c2 = vt->cap_ids;
    vt->offset = grow_room(vt->offset, &c1, (size_t)vt->count + 1, sizeof *vt->offset, VT_ROOM_IDS, 1024);
    vt->hash = grow_room(vt->hash, &c2, (size_t)vt->count + 1, sizeof *vt->hash, VT_ROOM_IDS, 1024);
    size_t c = c1 < c2 ? c1 : c2;
    vt->cap_ids = c < UINT32_MAX / 2 ? (uint32_t)c : UINT32_MAX / 2;
}

/* Make the bytes from vt->len to end a new entry with hash h. */
static uint32_t commit(ValueTable *vt, size_t end, uint64_t h)
{
    if (vt->count == vt->cap_ids) {
        if (vt->cap_ids >= UINT32_MAX / 2) {
            fprintf(stderr, "battrace: too many distinct values in a trace\n");
            exit(3);
        }
        ids_grow(vt);
    }
    uint32_t id = vt->count++;
    vt->offset[id] = vt->len;
    vt->hash[id] = h;
    vt->len = end;
    if ((size_t)vt->count * 4 > vt->nslots * 3) /* a probe reads a 64-byte line: 4 slots */
        slots_grow(vt);
    else
        slot_insert(vt, id);
    return id;
}

static void stack_push(ValueTable *vt, uint32_t id)
{
    if (vt->stack_len == vt->stack_cap) {
        vt->stack_cap = vt->stack_cap ? vt->stack_cap * 2 : 256;
        vt->stack = xrealloc(vt->stack, vt->stack_cap * sizeof *vt->stack);
    }
    vt->stack[vt->stack_len++] = id;
}

/* ---- encoding ---- */

/* An inline item other than a string, into out (32 bytes). Returns its length. */
static size_t enc_small(uint8_t *out, Value v)
{
    size_t n = 1;
    switch (v.tag) {
    case VT_NONE: out[0] = TAG_NONE; break;
    case VT_BOOL: out[0] = v.u.i ? TAG_TRUE : TAG_FALSE; break;
    case VT_INT:
        out[0] = TAG_INT;
        n += varint_put(out + n, zz_enc(v.u.i));
        break;
    case VT_CELL:
        out[0] = TAG_CELL;
        n += varint_put(out + n, zz_enc(v.c));
        n += varint_put(out + n, zz_enc(v.u.p.a));
        n += varint_put(out + n, zz_enc(v.u.p.b));
        break;
    case VT_PAIR:
        out[0] = TAG_PAIR;
        n += varint_put(out + n, zz_enc(v.u.p.a));
        n += varint_put(out + n, zz_enc(v.u.p.b));
        break;
    default: /* a primitive or the safe callable */
        if (v.u.fn->kind == FN_SAFE) {
            out[0] = TAG_SAFE;
        } else {
            out[0] = TAG_PRIM;
            n += varint_put(out + n, (uint64_t)(v.u.fn->prim - prim_table));
        }
        break;
    }
    return n;
}

static void enc_inline(ByteBuf *b, Value v)
{
    if (v.tag == VT_STR) {
        size_t n = strlen(v.u.str);
        bb_u8(b, TAG_STR);
        bb_varint(b, n);
        bb_bytes(b, v.u.str, n);
        return;
    }
    bb_reserve(b, 32);
    b->len += enc_small(b->p + b->len, v);
}

/* The entry whose bytes equal [vt->len, end), or -1. */
static int64_t find_bytes(const ValueTable *vt, size_t end, uint64_t h)
{
    size_t n = end - vt->len, mask = vt->nslots - 1;
    if (!vt->nslots)
        return -1;
    for (size_t k = h & mask; vt->slots[k].id1; k = (k + 1) & mask) {
        const struct VtSlot *e = &vt->slots[k];
        if (e->hash_hi == (uint32_t)(h >> 32) && vt->len - e->offset >= n &&
            memcmp(vt->bytes + e->offset, vt->bytes + vt->len, n) == 0)
            return e->id1 - 1;
    }
    return -1;
}

/* The encoding was written past vt->len into b: find it, or keep it. */
static uint32_t finish_bytes(ValueTable *vt, ByteBuf *b)
{
    vt->bytes = b->p;
    vt->cap = b->cap;
    uint64_t h = hash_bytes(vt->bytes + vt->len, b->len - vt->len);
    int64_t id = find_bytes(vt, b->len, h);
    return id >= 0 ? (uint32_t)id : commit(vt, b->len, h);
}

/* Where the next encoding goes: past the entries, in the bytes' room. */
static inline ByteBuf tail_buf(ValueTable *vt)
{
    if (!vt->cap)
        vt->bytes = grow_room(vt->bytes, &vt->cap, 256, 1, VT_ROOM_BYTES, 256);
    ByteBuf b = {vt->bytes, vt->len, vt->cap};
    return b;
}

/* ---- interning ---- */

static uint32_t intern_inline(ValueTable *vt, Value v)
{
    ByteBuf b = tail_buf(vt);
    enc_inline(&b, v);
    return finish_bytes(vt, &b);
}

/* Intern the heap items of items[0..n) and push their ids. */
static void intern_parts(ValueTable *vt, const Value *items, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (is_heap(items[k]))
            stack_push(vt, vt_intern(vt, items[k]));
}

/* Encode items[0..n), REFs taken from the stack at *j. */
static void enc_items(const ValueTable *vt, ByteBuf *b, const Value *items, size_t n, size_t *j)
{
    for (size_t k = 0; k < n; k++) {
        if (is_heap(items[k])) {
            bb_u8(b, TAG_REF);
            bb_varint(b, vt->stack[(*j)++]);
        } else {
            enc_inline(b, items[k]);
        }
    }
}

/* Whether tuple s is a grid as TAG_GRID stores it: h >= 1 rows, each a
 * tuple of the same w ints, w >= 1 and w != 2. The test reads tags only, not
 * the Seq flags, which some builders set themselves. Rows of two ints are
 * pairs, stored inline already (and the few that are tuples, of ints past 32
 * bits, keep that form as tuples of tuples). */
static bool grid_shape(const Seq *s, size_t *w)
{
    if (s->n == 0 || s->items[0].tag != VT_TUPLE)
        return false;
    *w = s->items[0].u.seq->n;
    if (*w == 0 || *w == 2)
        return false;
    for (uint32_t r = 0; r < s->n; r++) {
        const Value row = s->items[r];
        if (row.tag != VT_TUPLE || row.u.seq->n != *w)
            return false;
        for (size_t k = 0; k < *w; k++)
            if (row.u.seq->items[k].tag != VT_INT)
                return false;
    }
    return true;
}

/* A grid as one entry: TAG_GRID, h, w, the h * w ints row by row. Row by
 * row, a grid took an entry, a hash and a probe per row: the outputs of a
 * batt's calls, interned whole each unit, were about a fifth of the writer's
 * time recording the bench's batt (0.16-0.20 s of 0.83-1.09 s). */
static uint32_t intern_grid(ValueTable *vt, const Seq *s, size_t w)
{
    ByteBuf b = tail_buf(vt);
    bb_reserve(&b, 21 + (size_t)s->n * w * 10);
    uint8_t *p = b.p + b.len;
    *p++ = TAG_GRID;
    p += varint_put(p, s->n);
    p += varint_put(p, w);
    for (uint32_t r = 0; r < s->n; r++) {
        const Value *row = s->items[r].u.seq->items;
        for (size_t k = 0; k < w; k++) {
            uint64_t z = zz_enc(row[k].u.i);
            if (z < 0x80)
                *p++ = (uint8_t)z;
            else
                p += varint_put(p, z);
        }
    }
    b.len = (size_t)(p - b.p);
    return finish_bytes(vt, &b);
}

/* A tuple or set, bottom up: its tuple, set and closure items first (each
 * distinct value has one id, so equal values encode to equal bytes), then
 * its encoding, looked up like any other. Looking the whole value up first
 * by v_hash needed its content hash (cold hashing of outputs' items) and a
 * structural comparison with the stored entry, item by item. */
static uint32_t intern_seq(ValueTable *vt, Value v)
{
    const Seq *s = v.u.seq;
    size_t w;
    if (v.tag == VT_TUPLE && grid_shape(s, &w))
        return intern_grid(vt, s, w);
    size_t base = vt->stack_len, j = base;
    intern_parts(vt, s->items, s->n);
    ByteBuf b = tail_buf(vt);
    bb_u8(&b, v.tag == VT_TUPLE ? TAG_TUPLE : TAG_SET);
    bb_varint(&b, s->n);
    enc_items(vt, &b, s->items, s->n, &j);
    vt->stack_len = base;
    return finish_bytes(vt, &b);
}

static uint32_t intern_closure(ValueTable *vt, const Func *f)
{
    size_t base = vt->stack_len, j = base;
    intern_parts(vt, f->cap, 3);
    ByteBuf b = tail_buf(vt);
    bb_u8(&b, TAG_CLOSURE);
    bb_u8(&b, f->kind);
    bb_u8(&b, f->arity);
    bb_zz(&b, f->n);
    enc_items(vt, &b, f->cap, 3, &j);
    vt->stack_len = base;
    return finish_bytes(vt, &b);
}

uint32_t vt_intern(ValueTable *vt, Value v)
{
    if (!is_heap(v))
        return intern_inline(vt, v);
    const void *key = v_box(v);
    uint32_t id;
    if (ptr_get(vt, key, &id))
        return id;
    id = v.tag == VT_FUNC ? intern_closure(vt, v.u.fn) : intern_seq(vt, v);
    ptr_put(vt, key, id);
    return id;
}

/* A value known by its content hash only: TAG_HASH, its kind (a VTag), and
 * the 8 bytes of v_hash. Recording stores the results of nested nodes this
 * way, which saves encoding (and comparing) every one of them. */
uint32_t vt_intern_hash(ValueTable *vt, Value v) { return vt_intern_hash_of(vt, v_hash(v), v.tag); }

uint32_t vt_intern_hash_of(ValueTable *vt, uint64_t h, uint8_t tag)
{
    ByteBuf b = tail_buf(vt);
    bb_reserve(&b, 10);
    b.p[b.len++] = TAG_HASH;
    b.p[b.len++] = tag;
    wr_u64le(b.p + b.len, h);
    b.len += 8;
    return finish_bytes(vt, &b);
}

void vt_prefetch_hash(const ValueTable *vt, uint64_t h, uint8_t tag)
{
    if (vt->nslots)
        __builtin_prefetch(&vt->slots[hash_entry_key(h, tag) & (vt->nslots - 1)]);
}

int vt_hash_only(const ValueTable *vt, uint32_t id, uint64_t *hash, uint8_t *kind)
{
    if (id >= vt->count)
        return 0;
    uint64_t start = vt->offset[id], stop = entry_end(vt, id);
    const uint8_t *p = vt->bytes + start;
    if (stop - start != 10 || p[0] != TAG_HASH)
        return 0;
    *kind = p[1];
    *hash = rd_u64le(p + 2);
    return 1;
}

/* ---- reading untrusted encodings ---- */

/* An inline item, parsed and range-checked. */
typedef struct Inline {
    uint8_t tag;
    int64_t x[3];
    const uint8_t *s; /* TAG_STR bytes */
    size_t slen;
} Inline;

static int read_zz(const uint8_t **p, const uint8_t *end, int64_t *out, bool small)
{
    uint64_t u;
    if (varint_get(p, end, &u))
        return -1;
    *out = zz_dec(u);
    return small && !fits32(*out) ? -1 : 0;
}

/* Parse the inline item at *p (any tag but tuple, set, closure, REF). */
static int read_inline(const uint8_t **p, const uint8_t *end, Inline *it)
{
    uint64_t u;
    if (*p >= end)
        return -1;
    it->tag = *(*p)++;
    switch (it->tag) {
    case TAG_NONE: case TAG_FALSE: case TAG_TRUE: case TAG_SAFE:
        return 0;
    case TAG_INT:
        return read_zz(p, end, &it->x[0], false);
    case TAG_PAIR:
        return read_zz(p, end, &it->x[0], true) || read_zz(p, end, &it->x[1], true) ? -1 : 0;
    case TAG_CELL:
        return read_zz(p, end, &it->x[0], true) || read_zz(p, end, &it->x[1], true) ||
               read_zz(p, end, &it->x[2], true) ? -1 : 0;
    case TAG_PRIM:
        if (varint_get(p, end, &u) || u >= P__COUNT)
            return -1;
        it->x[0] = (int64_t)u;
        return 0;
    case TAG_STR:
        if (varint_get(p, end, &u) || u > (uint64_t)(end - *p) || memchr(*p, 0, u))
            return -1;
        it->s = *p;
        it->slen = u;
        *p += u;
        return 0;
    default:
        (*p)--;
        return -1;
    }
}

/* The closure header: a closure kind and an arity call_value can honour. */
static int read_closure_head(const uint8_t **p, const uint8_t *end, uint8_t *kind,
                             uint8_t *arity, int64_t *n)
{
    if (end - *p < 2)
        return -1;
    *kind = (*p)[0];
    *arity = (*p)[1];
    if (*kind < FN_COMPOSE || *kind > FN_POWER || *arity < 1 || *arity > 3)
        return -1;
    *p += 2;
    return read_zz(p, end, n, false);
}

/* One item of entry id: inline, or a REF to a lower id. */
static int check_item(const uint8_t **p, const uint8_t *end, uint64_t id)
{
    Inline it;
    uint64_t r;
    if (*p < end && **p == TAG_REF) {
        const uint8_t *q = *p + 1;
        if (varint_get(&q, end, &r) || r >= id)
            return -1;
        *p = q;
        return 0;
    }
    return read_inline(p, end, &it);
}

/* A grid's shape (TAG_GRID): h >= 1, w >= 1 and not 2 (grid_shape), and no
 * more cells than bytes left (each int takes one at least). */
static int read_grid_shape(const uint8_t **p, const uint8_t *end, uint64_t *h, uint64_t *w)
{
    if (varint_get(p, end, h) || varint_get(p, end, w) || !*h || !*w || *w == 2)
        return -1;
    uint64_t room = (uint64_t)(end - *p);
    return *w > room || *h > room / *w ? -1 : 0;
}

/* One row: w ints, into cells unless it is NULL. */
static int read_grid_row(const uint8_t **p, const uint8_t *end, uint64_t w, Value *cells)
{
    for (uint64_t k = 0; k < w; k++) {
        int64_t x;
        if (read_zz(p, end, &x, false))
            return -1;
        if (cells)
            cells[k] = v_int(x);
    }
    return 0;
}

/* Check the entry at *p (value id) and step over it; on failure *p is at
 * (or near) the offending byte. */
static int check_entry(const uint8_t **p, const uint8_t *end, uint64_t id)
{
    uint64_t n;
    uint8_t kind, arity;
    int64_t pn;
    Inline it;
    if (*p >= end)
        return -1;
    switch (**p) {
    case TAG_TUPLE: case TAG_SET:
        (*p)++;
        if (varint_get(p, end, &n) || n > (uint64_t)(end - *p))
            return -1;
        for (uint64_t k = 0; k < n; k++)
            if (check_item(p, end, id))
                return -1;
        return 0;
    case TAG_CLOSURE:
        (*p)++;
        if (read_closure_head(p, end, &kind, &arity, &pn))
            return -1;
        for (int k = 0; k < 3; k++)
            if (check_item(p, end, id))
                return -1;
        return 0;
    case TAG_GRID: { /* an entry only */
        uint64_t h, w;
        (*p)++;
        if (read_grid_shape(p, end, &h, &w))
            return -1;
        for (uint64_t r = 0; r < h; r++)
            if (read_grid_row(p, end, w, NULL))
                return -1;
        return 0;
    }
    case TAG_HASH: /* an entry only, never an item */
        if (end - *p < 10 || (*p)[1] > VT_STR)
            return -1;
        *p += 10;
        return 0;
    default:
        return read_inline(p, end, &it);
    }
}

int vt_load(ValueTable *vt, const uint8_t *data, size_t len, uint64_t n, size_t *bad_at)
{
    vt_init(vt);
    if (n > len || n >= UINT32_MAX) {
        *bad_at = 0;
        return -1;
    }
    vt->offset = xmalloc((size_t)(n ? n : 1) * sizeof *vt->offset);
    const uint8_t *p = data, *end = data + len;
    for (uint64_t id = 0; id < n; id++) {
        vt->offset[id] = (uint64_t)(p - data);
        if (check_entry(&p, end, id)) {
            *bad_at = (size_t)(p - data);
            vt_free(vt);
            return -1;
        }
    }
    if (p != end) {
        *bad_at = (size_t)(p - data);
        vt_free(vt);
        return -1;
    }
    vt->bytes = xmalloc(len ? len : 1);
    if (len)
        memcpy(vt->bytes, data, len);
    vt->len = vt->cap = len;
    vt->hash = xcalloc(n ? (size_t)n : 1, sizeof *vt->hash); /* 0: not indexed */
    vt->count = vt->cap_ids = (uint32_t)n;
    return 0;
}

/* ---- decoding ---- */

typedef struct Decoder {
    const ValueTable *vt;
    Ctx *ctx;
    uint32_t *keys;   /* memo of decoded tuples and sets: id + 1 */
    Value *vals;
    size_t nmemo, used;
    uint32_t closures;
} Decoder;

static int decode_entry(Decoder *d, uint32_t id, int depth, Value *out);

static Value *memo_find(const Decoder *d, uint32_t id, bool *found)
{
    size_t mask = d->nmemo - 1, k = mix64(id) & mask;
    while (d->keys[k] && d->keys[k] != id + 1)
        k = (k + 1) & mask;
    *found = d->keys[k] != 0;
    return &d->vals[k];
}

static void memo_put(Decoder *d, uint32_t id, Value v)
{
    if ((d->used + 1) * 2 > d->nmemo) {
        Decoder old = *d;
        d->nmemo = d->nmemo ? d->nmemo * 2 : 64;
        d->keys = xcalloc(d->nmemo, sizeof *d->keys);
        d->vals = xrealloc(NULL, d->nmemo * sizeof *d->vals);
        for (size_t k = 0; k < old.nmemo; k++) {
            if (old.keys[k]) {
                bool f;
                Value *slot = memo_find(d, old.keys[k] - 1, &f);
                *slot = old.vals[k];
                d->keys[slot - d->vals] = old.keys[k];
            }
        }
        free(old.keys);
        free(old.vals);
    }
    bool f;
    Value *slot = memo_find(d, id, &f);
    *slot = v;
    d->keys[slot - d->vals] = id + 1;
    d->used++;
}

static int decode_ref(Decoder *d, uint32_t id, int depth, Value *out)
{
    bool found = false;
    Value *v = d->nmemo ? memo_find(d, id, &found) : NULL;
    if (found) {
        *out = *v;
        return 0;
    }
    if (decode_entry(d, id, depth, out))
        return -1;
    if (out->tag == VT_TUPLE || out->tag == VT_SET)
        memo_put(d, id, *out); /* closures stay distinct, as in Python */
    return 0;
}

static int build_inline(Ctx *ctx, const Inline *it, Value *out)
{
    switch (it->tag) {
    case TAG_NONE: *out = v_none(); return 0;
    case TAG_FALSE: case TAG_TRUE: *out = v_bool(it->tag == TAG_TRUE); return 0;
    case TAG_INT: *out = v_int(it->x[0]); return 0;
    case TAG_PAIR: *out = v_pair((int32_t)it->x[0], (int32_t)it->x[1]); return 0;
    case TAG_CELL: *out = v_cell((int32_t)it->x[0], (int32_t)it->x[1], (int32_t)it->x[2]); return 0;
    case TAG_PRIM: *out = prim_value(&prim_table[it->x[0]]); return 0;
    case TAG_SAFE: *out = func_safe_callable(); return 0;
    case TAG_STR: {
        char *s = ctx_alloc(ctx, it->slen + 1);
        memcpy(s, it->s, it->slen);
        s[it->slen] = 0;
        *out = v_str(s);
        return 0;
    }
    default: return -1;
    }
}

static int decode_item(Decoder *d, const uint8_t **p, const uint8_t *end, uint32_t id, int depth,
                       Value *out)
{
    uint64_t r;
    if (*p < end && **p == TAG_REF) {
        (*p)++;
        if (varint_get(p, end, &r) || r >= id)
            return -1;
        return decode_ref(d, (uint32_t)r, depth + 1, out);
    }
    Inline it;
    if (read_inline(p, end, &it))
        return -1;
    return build_inline(d->ctx, &it, out);
}

static bool strictly_sorted(const Value *items, size_t n)
{
    for (size_t k = 1; k < n; k++)
        if (v_cmp(items[k - 1], items[k]) >= 0)
            return false;
    return true;
}

/* A set from its items: in canonical order as stored; failing that (closures
 * decode with new identities), sorted, as long as none collapse. */
static int build_set(Ctx *ctx, Value *items, size_t n, Value *out)
{
    if (strictly_sorted(items, n))
        return mk_set_sorted(ctx, n, items, out) ? -1 : 0;
    if (mk_set(ctx, n, items, out))
        return -1;
    return v_len(*out) == n ? 0 : -1;
}

static int decode_seq(Decoder *d, const uint8_t *p, const uint8_t *end, uint32_t id, int depth,
                      Value *out)
{
    uint8_t tag = *p++;
    uint64_t n;
    if (varint_get(&p, end, &n) || n > (uint64_t)(end - p))
        return -1;
    if (n == 0) {
        *out = tag == TAG_TUPLE ? v_empty_tuple() : v_empty_set();
        return p == end ? 0 : -1;
    }
    Value *items = xrealloc(NULL, (size_t)n * sizeof *items);
    int rc = 0;
    for (uint64_t k = 0; k < n && !rc; k++)
        rc = decode_item(d, &p, end, id, depth, &items[k]);
    if (!rc && p != end)
        rc = -1;
    if (!rc)
        rc = tag == TAG_TUPLE ? (mk_tuple(d->ctx, (size_t)n, items, out) ? -1 : 0)
                              : build_set(d->ctx, items, (size_t)n, out);
    free(items);
    return rc;
}

/* TAG_GRID: h row tuples of w ints, built as mk_tuple builds any tuple. */
static int decode_grid(Ctx *ctx, const uint8_t *p, const uint8_t *end, Value *out)
{
    uint64_t h, w;
    p++;
    if (read_grid_shape(&p, end, &h, &w))
        return -1;
    Value *rows = xrealloc(NULL, (size_t)h * sizeof *rows);
    Value *cells = xrealloc(NULL, (size_t)w * sizeof *cells);
    int rc = 0;
    for (uint64_t r = 0; r < h && !rc; r++) {
        rc = read_grid_row(&p, end, w, cells);
        if (!rc)
            rc = mk_tuple(ctx, (size_t)w, cells, &rows[r]) ? -1 : 0;
    }
    if (!rc && p != end)
        rc = -1;
    if (!rc)
        rc = mk_tuple(ctx, (size_t)h, rows, out) ? -1 : 0;
    free(cells);
    free(rows);
    return rc;
}

static int decode_closure(Decoder *d, const uint8_t *p, const uint8_t *end, uint32_t id, int depth,
                          Value *out)
{
    uint8_t kind, arity;
    int64_t n;
    Value caps[3];
    p++;
    if (++d->closures > VT_MAX_CLOSURES || read_closure_head(&p, end, &kind, &arity, &n))
        return -1;
    for (int k = 0; k < 3; k++)
        if (decode_item(d, &p, end, id, depth, &caps[k]))
            return -1;
    if (p != end)
        return -1;
    return func_closure(d->ctx, (FnKind)kind, arity, 3, caps, n, out) ? -1 : 0;
}

static int decode_entry(Decoder *d, uint32_t id, int depth, Value *out)
{
    const ValueTable *vt = d->vt;
    if (depth > VT_MAX_DEPTH || id >= vt->count)
        return -1;
    uint64_t start = vt->offset[id], stop = entry_end(vt, id);
    if (start >= stop || stop > vt->len)
        return -1;
    const uint8_t *p = vt->bytes + start, *end = vt->bytes + stop;
    if (*p == TAG_TUPLE || *p == TAG_SET)
        return decode_seq(d, p, end, id, depth, out);
    if (*p == TAG_CLOSURE)
        return decode_closure(d, p, end, id, depth, out);
    if (*p == TAG_GRID)
        return decode_grid(d->ctx, p, end, out);
    Inline it;
    if (read_inline(&p, end, &it) || p != end)
        return -1;
    return build_inline(d->ctx, &it, out);
}

int vt_decode(const ValueTable *vt, Ctx *ctx, uint32_t id, Value *out)
{
    Decoder d = {vt, ctx, NULL, NULL, 0, 0, 0};
    int rc = decode_entry(&d, id, 0, out);
    free(d.keys);
    free(d.vals);
    return rc;
}
