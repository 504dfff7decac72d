/* fuzz_rng.h: the fuzz drivers' random numbers (xorshift64: fast, and a
 * run is repeatable from its seed). */
#ifndef BATTRACE_FUZZ_RNG_H
#define BATTRACE_FUZZ_RNG_H

#include <stddef.h>
#include <stdint.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static inline uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
/* Uniform enough in [0, n); 0 when n is 0. */
static inline size_t below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

#endif
