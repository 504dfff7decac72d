/* arena.c: chunked bump allocator (see arena.h). */
#include "arena.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define CHUNK_MIN (256u * 1024u)
#define SPARE_KEEP (64u * 1024u * 1024u) /* memory kept across resets */
#define HUGE_CHUNK (2u * 1024u * 1024u)   /* chunks this big use huge pages */

struct ArenaChunk {
    ArenaChunk *next;
    size_t size, off;
    _Alignas(16) unsigned char data[];
};

/* An epoch is an arena's identity (high 32 bits: taken from a global
 * counter at init and free, so an arena made again at the same address is
 * another) and its count of resets and rollbacks (low 32 bits, its own):
 * replay's workers roll back after every failed node, and one global counter
 * bumped for each sent its cache line between the cores. */
static _Atomic uint64_t next_identity = 1;

static uint64_t new_identity(void)
{
    return atomic_fetch_add_explicit(&next_identity, 1, memory_order_relaxed) << 32;
}

static void next_epoch(Arena *a)
{
    a->epoch = (a->epoch & ~0xffffffffull) | ((a->epoch + 1) & 0xffffffffull);
    if (!(a->epoch & 0xffffffffull)) /* 2^32 rollbacks: a new identity */
        a->epoch = new_identity();
}

void arena_init(Arena *a)
{
    memset(a, 0, sizeof *a);
    a->epoch = new_identity();
}

static void free_list(ArenaChunk *c)
{
    while (c) {
        ArenaChunk *next = c->next;
        free(c);
        c = next;
    }
}

void arena_free(Arena *a)
{
    free_list(a->head);
    free_list(a->spare);
    memset(a, 0, sizeof *a);
    a->epoch = new_identity();
}

/* The head chunk's fill, kept in cur while it is the head. */
static void sync_head(Arena *a)
{
    if (a->head)
        a->head->off = (size_t)(a->cur - a->head->data);
}

/* Move the head list's chunks down to `stop` (exclusive) to the spare list,
 * keeping up to SPARE_KEEP bytes; O(chunks moved). */
static void release_chunks(Arena *a, ArenaChunk *stop)
{
    for (ArenaChunk *c = a->head; c && c != stop;) {
        ArenaChunk *next = c->next;
        if (a->spare_bytes + c->size <= (a->keep ? a->keep : SPARE_KEEP)) {
            c->off = 0;
            c->next = a->spare;
            a->spare = c;
            a->spare_bytes += c->size;
        } else {
            free(c);
        }
        c = next;
    }
}

void arena_reset(Arena *a)
{
    if (a->used > a->peak)
        a->peak = a->used;
    release_chunks(a, NULL);
    a->head = NULL;
    a->cur = a->end = NULL;
    a->used = 0;
    next_epoch(a);
}

static ArenaChunk *new_chunk(Arena *a, size_t need)
{
    /* reuse the first spare chunk that is big enough. Runs differ in what
     * they allocate, so the spare list's order (the last run's chunks, the
     * smallest first) need not match this run's requests; taking only the
     * head made one bigger request turn every later chunk of the run into a
     * fresh malloc, whose pages fault in again (a third of a big run's time).
     * The list holds at most SPARE_KEEP bytes of chunks of CHUNK_MIN or more,
     * so the walk is short. */
    for (ArenaChunk **pp = &a->spare; *pp; pp = &(*pp)->next) {
        ArenaChunk *c = *pp;
        if (c->size < need)
            continue;
        *pp = c->next;
        a->spare_bytes -= c->size;
        c->off = 0;
        return c;
    }
    size_t size = need > CHUNK_MIN ? need : CHUNK_MIN;
    ArenaChunk *c;
    if (size >= HUGE_CHUNK) {
        /* big chunks in 2 MiB pages: a run (or a replay, which keeps every
         * result) that fills hundreds of MiB otherwise spends a third of its
         * time in page faults */
        size = (sizeof *c + size + HUGE_CHUNK - 1) / HUGE_CHUNK * HUGE_CHUNK - sizeof *c;
        c = aligned_alloc(HUGE_CHUNK, sizeof *c + size);
#ifdef MADV_HUGEPAGE
        if (c)
            madvise(c, sizeof *c + size, MADV_HUGEPAGE);
#endif
    } else {
        c = malloc(sizeof *c + size);
    }
    if (!c) {
        fprintf(stderr, "battrace: out of memory (asked for %zu bytes)\n", size);
        exit(3);
    }
    c->size = size;
    c->off = 0;
    return c;
}

void *arena_alloc_slow(Arena *a, size_t size)
{
    sync_head(a);
    /* grow geometrically with what this arena already holds */
    size_t want = size > a->used / 4 ? size : a->used / 4;
    ArenaChunk *c = new_chunk(a, want);
    c->next = a->head;
    a->head = c;
    void *p = c->data;
    c->off = size;
    a->cur = c->data + size;
    a->end = c->data + c->size;
    a->used += size;
    return p;
}

void arena_rollback(Arena *a, ArenaMark m)
{
    release_chunks(a, m.head); /* the chunks pushed since the mark */
    a->head = m.head;
    a->cur = m.head ? m.cur : NULL;
    a->end = m.head ? m.head->data + m.head->size : NULL;
    a->used = m.used;
    next_epoch(a);
}

void arena_shrink_last(Arena *a, void *p, size_t size, size_t keep)
{
    unsigned char *q = p;
    size = (size + 15u) & ~(size_t)15u;
    keep = keep ? (keep + 15u) & ~(size_t)15u : 16u;
    /* the latest allocation ends at cur and lies in the head chunk (a
     * chunk ending where the head begins must not pass for it) */
    if (!a->head || q < a->head->data || q + size != a->cur || keep >= size)
        return;
    a->cur = q + keep;
    a->used -= size - keep;
}

char *arena_strdup(Arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = arena_alloc(a, n);
    memcpy(d, s, n);
    return d;
}

void arena_keep(Arena *a, size_t bytes) { a->keep = bytes; }

int arena_owns_since(const Arena *a, ArenaMark m, const void *p)
{
    const unsigned char *q = p;
    for (const ArenaChunk *c = a->head; c; c = c->next) {
        const unsigned char *fill = c == a->head ? a->cur : c->data + c->off;
        const unsigned char *from = c == m.head ? m.cur : c->data;
        if (q >= from && q < fill)
            return 1;
        if (c == m.head)
            break;
    }
    return 0;
}

int arena_owns(const Arena *a, const void *p)
{
    const unsigned char *q = p;
    for (const ArenaChunk *c = a->head; c; c = c->next) {
        const unsigned char *fill = c == a->head ? a->cur : c->data + c->off;
        if (q >= c->data && q < fill)
            return 1;
    }
    return 0;
}
