/* crc.c: CRC-32C of trace bodies (see crc.h): the SSE4.2 instruction where
 * the CPU has it, slicing-by-8 tables elsewhere, and combination of two
 * CRCs by multiplication by x^(8n) modulo the polynomial. */
#include "crc.h"

#include <pthread.h>
#include <string.h>

#define POLY 0x82F63B78u

static uint32_t table[8][256];
/* x^(2^k) mod P, for combining: k up to 66, for a length of up to 2^64
 * bytes (2^67 bits). Folded into 32 entries (k & 31, as zlib's CRC-32
 * does), the combination went wrong from 2^29 bytes (k = 32) on: every
 * trace whose units ran past 512 MB carried a wrong checksum, and the full
 * cross workload's trace was refused when read. */
#define X2N 67
static uint32_t x2n[X2N];
static int have_sse42;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* a * b modulo P, bit-reflected (bit 31 is x^0) */
static uint32_t mult_mod_p(uint32_t a, uint32_t b)
{
    uint32_t m = 1u << 31, p = 0;
    for (;;) {
        if (a & m) {
            p ^= b;
            if (!(a & (m - 1)))
                return p;
        }
        m >>= 1;
        b = b & 1 ? (b >> 1) ^ POLY : b >> 1;
    }
}

static void init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? POLY ^ (c >> 1) : c >> 1;
        table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int t = 1; t < 8; t++)
            table[t][i] = (table[t - 1][i] >> 8) ^ table[0][table[t - 1][i] & 0xff];
    uint32_t p = 1u << 30; /* x^1 */
    x2n[0] = p;
    for (int k = 1; k < X2N; k++)
        x2n[k] = p = mult_mod_p(p, p);
#if defined(__x86_64__)
    have_sse42 = __builtin_cpu_supports("sse4.2");
#endif
}

static inline uint32_t rd32(const uint8_t *p)
{
    uint32_t x;
    memcpy(&x, p, 4);
    return x; /* the tables assume little-endian, as the trace does */
}

uint32_t crc32c_update_tables(uint32_t crc, const void *data, size_t n)
{
    pthread_once(&once, init);
    const uint8_t *p = data;
    uint32_t c = ~crc;
    for (; n >= 8; p += 8, n -= 8) {
        uint32_t lo = c ^ rd32(p), hi = rd32(p + 4);
        c = table[7][lo & 0xff] ^ table[6][(lo >> 8) & 0xff] ^ table[5][(lo >> 16) & 0xff] ^
            table[4][lo >> 24] ^ table[3][hi & 0xff] ^ table[2][(hi >> 8) & 0xff] ^
            table[1][(hi >> 16) & 0xff] ^ table[0][hi >> 24];
    }
    while (n--)
        c = table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) static uint32_t update_sse42(uint32_t crc, const uint8_t *p, size_t n)
{
    uint64_t c = ~crc;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        c = __builtin_ia32_crc32di(c, x);
    }
    uint32_t c32 = (uint32_t)c;
    while (n--)
        c32 = __builtin_ia32_crc32qi(c32, *p++);
    return ~c32;
}
#endif

uint32_t crc32c_update(uint32_t crc, const void *data, size_t n)
{
    pthread_once(&once, init);
#if defined(__x86_64__)
    if (have_sse42)
        return update_sse42(crc, data, n);
#endif
    return crc32c_update_tables(crc, data, n);
}

/* crc(A B) = crc(A) * x^(8 len_b) + crc(B) mod P: the ~0 init and final xor
 * of the two cancel out in the sum (zlib's crc32_combine does the same). */
uint32_t crc32c_combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b)
{
    pthread_once(&once, init);
    uint32_t p = 1u << 31; /* x^0 */
    for (unsigned k = 3; len_b; len_b >>= 1, k++)
        if (len_b & 1)
            p = mult_mod_p(x2n[k], p);
    return mult_mod_p(p, crc_a) ^ crc_b;
}
