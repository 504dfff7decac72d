/* varint.h: the byte-level pieces of the trace format (docs/trace-format.md).
 *
 * Unsigned LEB128 varints and zigzag for signed integers, a growable byte
 * buffer to encode into, a bounds-checked reader for decoding untrusted
 * bytes (overlong or truncated varints are errors). The body checksum is
 * in crc.h. */
#ifndef BATTRACE_VARINT_H
#define BATTRACE_VARINT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- zigzag ---- */
static inline uint64_t zz_enc(int64_t x) { return ((uint64_t)x << 1) ^ (uint64_t)(x >> 63); }
static inline int64_t zz_dec(uint64_t u) { return (int64_t)(u >> 1) ^ -(int64_t)(u & 1); }

/* Encode v at p (room for 10 bytes); returns the length. */
static inline size_t varint_put(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

/* Decode a varint from [*p, end). Returns 0 and advances *p, or -1 when it
 * is truncated, longer than 10 bytes, overflows 64 bits, or is overlong
 * (a final zero byte after the first). */
static inline int varint_get(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
    const uint8_t *q = *p;
    if (q < end && *q < 0x80) { /* the common one-byte case */
        *out = *q;
        *p = q + 1;
        return 0;
    }
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 70; shift += 7) {
        if (q >= end)
            return -1;
        uint8_t b = *q++;
        if (shift == 63 && b > 1)
            return -1;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            if (b == 0 && shift > 0)
                return -1;
            *out = v;
            *p = q;
            return 0;
        }
    }
    return -1;
}

/* ---- growable byte buffer ---- */
typedef struct ByteBuf {
    uint8_t *p;
    size_t len, cap;
} ByteBuf;

/* Make room for extra more bytes (exits the process on out-of-memory). */
void bb_grow(ByteBuf *b, size_t extra);
void bb_free(ByteBuf *b);
static inline void bb_reserve(ByteBuf *b, size_t extra)
{
    if (b->cap - b->len < extra)
        bb_grow(b, extra);
}
static inline void bb_u8(ByteBuf *b, uint8_t x)
{
    bb_reserve(b, 1);
    b->p[b->len++] = x;
}
static inline void bb_varint(ByteBuf *b, uint64_t v)
{
    bb_reserve(b, 10);
    b->len += varint_put(b->p + b->len, v);
}
static inline void bb_zz(ByteBuf *b, int64_t x) { bb_varint(b, zz_enc(x)); }
static inline void bb_bytes(ByteBuf *b, const void *src, size_t n)
{
    bb_reserve(b, n);
    if (n)
        memcpy(b->p + b->len, src, n);
    b->len += n;
}
static inline void bb_u32le(ByteBuf *b, uint32_t x)
{
    bb_reserve(b, 4);
    for (int k = 0; k < 4; k++)
        b->p[b->len++] = (uint8_t)(x >> (8 * k));
}
static inline void bb_u64le(ByteBuf *b, uint64_t x)
{
    bb_reserve(b, 8);
    for (int k = 0; k < 8; k++)
        b->p[b->len++] = (uint8_t)(x >> (8 * k));
}

/* ---- little-endian fixed-width ---- */
static inline uint32_t rd_u32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t rd_u64le(const uint8_t *p)
{
    return (uint64_t)rd_u32le(p) | (uint64_t)rd_u32le(p + 4) << 32;
}
static inline void wr_u32le(uint8_t *p, uint32_t x)
{
    for (int k = 0; k < 4; k++)
        p[k] = (uint8_t)(x >> (8 * k));
}
static inline void wr_u64le(uint8_t *p, uint64_t x)
{
    for (int k = 0; k < 8; k++)
        p[k] = (uint8_t)(x >> (8 * k));
}

#endif
