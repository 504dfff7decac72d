/* arena.c: chunked bump allocator (see arena.h). */
#include "arena.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Chunks are mapped in multiples of 2 MiB. A first touch of fresh memory
 * costs a fault in the guest and, on the virtual machines battrace runs
 * on, often one in the host, which takes back within seconds what a
 * process frees (free page reporting). Chunks leave an arena for its spare
 * list, then for the pool every arena shares, and are unmapped only past
 * both limits, so that pages once faulted in are used again. The pages are
 * whatever the system's transparent huge page policy gives: asking for huge
 * pages (madvise) made a cold start 1.5 to 4 times slower there, since
 * huge pages freshly taken from the host cost 4-12 ms a megabyte to clear,
 * 4 KiB pages 0.4 (docs/performance.md, "Fresh memory"). */
#define CHUNK_GRAIN (2u * 1024u * 1024u)
#define SPARE_KEEP (64u * 1024u * 1024u) /* an arena's spare chunks */
#define POOL_KEEP (64u * 1024u * 1024u)  /* the shared pool's chunks */

struct ArenaChunk {
    ArenaChunk *next;
    size_t size, off;
    size_t base;  /* the arena's `used` when this chunk's first byte was handed
                     out: its data[k] is where `used` was base + k */
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

/* ---- chunks: mapped, pooled ---- */

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static ArenaChunk *pool;
static size_t pool_bytes;

static size_t chunk_span(const ArenaChunk *c) { return sizeof *c + c->size; }

/* Bytes of a chunk for `need` bytes of data: whole grains. */
static size_t chunk_bytes(size_t need)
{
    return (sizeof(ArenaChunk) + need + CHUNK_GRAIN - 1) / CHUNK_GRAIN * CHUNK_GRAIN;
}

#ifdef __SANITIZE_ADDRESS__
/* Under AddressSanitizer chunks come from malloc, whose redzones catch a
 * write past a chunk's end that a mapping would let through. */
static void *map_bytes(size_t span) { return malloc(span); }
static void unmap_bytes(void *p, size_t span)
{
    ARENA_UNPOISON(p, span);
    free(p);
}
#else
/* span fresh bytes, or NULL when none are left. */
static void *map_bytes(size_t span)
{
    void *p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}
static void unmap_bytes(void *p, size_t span) { munmap(p, span); }
#endif

static ArenaChunk *map_chunk(size_t need)
{
    size_t span = chunk_bytes(need);
    ArenaChunk *c = map_bytes(span);
    if (!c) {
        fprintf(stderr, "battrace: out of memory (asked for %zu bytes)\n", span);
        exit(3);
    }
    c->size = span - sizeof *c;
    c->off = 0;
    c->next = NULL;
    ARENA_POISON(c->data, c->size); /* handed out piece by piece */
    return c;
}

/* A chunk no arena keeps: into the pool, or unmapped past POOL_KEEP. */
static void drop_chunk(ArenaChunk *c)
{
    ARENA_POISON(c->data, c->size);
    pthread_mutex_lock(&pool_lock);
    if (pool_bytes + c->size <= POOL_KEEP) {
        c->next = pool;
        pool = c;
        pool_bytes += c->size;
        c = NULL;
    }
    pthread_mutex_unlock(&pool_lock);
    if (c)
        unmap_bytes(c, chunk_span(c));
}

/* First fit from *list (n bytes listed there), or NULL. */
static ArenaChunk *take_fit(ArenaChunk **list, size_t *n, size_t need)
{
    for (ArenaChunk **pp = list; *pp; pp = &(*pp)->next) {
        ArenaChunk *c = *pp;
        if (c->size < need)
            continue;
        *pp = c->next;
        *n -= c->size;
        c->off = 0;
        return c;
    }
    return NULL;
}

static ArenaChunk *pool_take(size_t need)
{
    pthread_mutex_lock(&pool_lock);
    ArenaChunk *c = take_fit(&pool, &pool_bytes, need);
    pthread_mutex_unlock(&pool_lock);
    return c;
}

static void free_list(ArenaChunk *c)
{
    while (c) {
        ArenaChunk *next = c->next;
        drop_chunk(c);
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
            ARENA_POISON(c->data, c->size); /* (drop_chunk poisons the others) */
            c->off = 0;
            c->next = a->spare;
            a->spare = c;
            a->spare_bytes += c->size;
        } else {
            drop_chunk(c);
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

/* A chunk for `need` bytes: this arena's spare one, then the pool's (the
 * first big enough: runs differ in what they allocate, and taking only the
 * head made one bigger request turn every later chunk of a run into a fresh
 * mapping), then a new mapping of `want` bytes. Kept chunks are matched
 * against the request itself, not the geometric size a new mapping gets:
 * matched against that, a window of replay whose results outgrew the last
 * one's mapped new chunks while smaller ones, their pages already faulted
 * in, sat on the spare list (the cross bench's replay touched 214 MB of
 * fresh pages for a window of 106 MB). */
static ArenaChunk *new_chunk(Arena *a, size_t need, size_t want)
{
    ArenaChunk *c = take_fit(&a->spare, &a->spare_bytes, need);
    if (!c)
        c = pool_take(need);
    return c ? c : map_chunk(want);
}

void *arena_alloc_slow(Arena *a, size_t size)
{
    sync_head(a);
    /* grow geometrically with what this arena already holds */
    size_t want = size > a->used / 4 ? size : a->used / 4;
    ArenaChunk *c = new_chunk(a, size, want);
    c->next = a->head;
    c->base = a->used;
    a->head = c;
    void *p = c->data;
    c->off = size;
    a->cur = c->data + size;
    a->end = c->data + c->size;
    a->used += size;
    ARENA_UNPOISON(p, size);
    return p;
}

void arena_rollback(Arena *a, ArenaMark m)
{
    release_chunks(a, m.head); /* the chunks pushed since the mark */
    a->head = m.head;
    a->cur = m.head ? m.cur : NULL;
    a->end = m.head ? m.head->data + m.head->size : NULL;
    if (m.head)
        ARENA_POISON(a->cur, (size_t)(a->end - a->cur));
    a->used = m.used;
    next_epoch(a);
}

ArenaMark arena_mark_at(const Arena *a, size_t used)
{
    /* chunks newest first: the first whose span began at or before `used`
     * (allocations are contiguous inside a chunk, and `used` grows by each) */
    ArenaChunk *c = a->head;
    while (c && c->base > used)
        c = c->next;
    return (ArenaMark){c, c ? c->data + (used - c->base) : NULL, used};
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
    ARENA_POISON(a->cur, size - keep);
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
