/* arena.h: bump allocation for values.
 *
 * A run allocates every tuple, set and closure it makes from one arena and
 * drops them all at once when the run ends (arena_reset). Values that outlive
 * runs (task grids, constants, trace values) go to a persistent arena. The
 * arena counts what it hands out, so a run's memory budget can be checked
 * without a syscall. Its chunks (multiples of 2 MiB) are kept after a
 * reset and passed on through a pool when the arena is freed: on the virtual
 * machines battrace runs on, a page's first touch costs more than most
 * primitives (arena.c gives the figures). */
#ifndef BATTRACE_ARENA_H
#define BATTRACE_ARENA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
/* Under AddressSanitizer an arena's bytes are poisoned until handed out and
 * again once dropped (rollback, reset, shrink), so a value read after the
 * memory under it was dropped is reported where it is read. */
#define ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#define ARENA_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#else
#define ARENA_UNPOISON(p, n) ((void)0)
#define ARENA_POISON(p, n) ((void)0)
#endif

typedef struct ArenaChunk ArenaChunk;

typedef struct Arena {
    ArenaChunk *head;   /* chunk being filled */
    ArenaChunk *spare;  /* chunks kept after a reset, reused first */
    size_t used;        /* bytes handed out since the last reset */
    size_t peak;        /* largest `used` seen at a reset */
    size_t spare_bytes; /* bytes in the spare chunks */
    size_t keep;        /* at most this many spare bytes kept; 0: SPARE_KEEP */
    uint64_t epoch;     /* new on every init, reset and rollback, never
                         * reused by any arena: memory handed out under one
                         * epoch stays valid while the arena's epoch is
                         * unchanged (caches key on it) */
    unsigned char *cur, *end; /* the free part of the head chunk */
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
/* Drop every allocation, keeping (some) memory for reuse. */
void arena_reset(Arena *a);
/* arena_alloc when the head chunk lacks room: a new chunk. */
void *arena_alloc_slow(Arena *a, size_t size);
/* size bytes, 16-byte aligned. Exits the process on real out-of-memory.
 * Inline: runs allocate on almost every value they build. */
static inline void *arena_alloc(Arena *a, size_t size)
{
    size = size ? (size + 15u) & ~(size_t)15u : 16u;
    if (__builtin_expect((size_t)(a->end - a->cur) < size, 0))
        return arena_alloc_slow(a, size);
    void *p = a->cur;
    a->cur += size;
    a->used += size;
    ARENA_UNPOISON(p, size);
    return p;
}
/* Give back the tail of the last allocation: p (size bytes, the latest
 * arena_alloc) keeps only its first keep bytes. For results whose size is
 * only bounded when they are built; a no-op when p is not the latest. */
void arena_shrink_last(Arena *a, void *p, size_t size, size_t keep);
char *arena_strdup(Arena *a, const char *s);
/* A point to roll back to: what was handed out after it can be dropped
 * while what came before stays (replay keeps a node's result in place and
 * drops only a node whose temporaries were large). Rolling back starts a new
 * epoch, since the dropped memory will be handed out again. */
typedef struct ArenaMark {
    ArenaChunk *head;
    unsigned char *cur;
    size_t used;
} ArenaMark;
static inline ArenaMark arena_mark(const Arena *a) { return (ArenaMark){a->head, a->cur, a->used}; }
void arena_rollback(Arena *a, ArenaMark m);
/* The mark taken when a->used was `used` (at most the present a->used, and
 * no rollback past it since): a hot loop keeps one count, not a mark, and
 * rebuilds the mark only when it rolls back. O(chunks since then). */
ArenaMark arena_mark_at(const Arena *a, size_t used);
/* Does p point into memory a handed out since mark m? O(chunks since m),
 * where arena_owns walks every chunk. */
int arena_owns_since(const Arena *a, ArenaMark m, const void *p);
/* Bytes of chunks a reset keeps for reuse (default 64 MB; the rest goes to
 * the shared pool): replay's worker arenas keep all, so that the next window
 * does not fault its pages in anew. */
void arena_keep(Arena *a, size_t bytes);
/* Does p point into memory a handed out since its last reset? */
int arena_owns(const Arena *a, const void *p);

#endif
