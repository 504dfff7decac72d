/* xalloc.c: allocation that exits on failure (see xalloc.h). */
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static void out_of_memory(size_t n)
{
    fprintf(stderr, "battrace: out of memory (asked for %zu bytes)\n", n);
    exit(3);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory(n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory(n);
    return q;
}

/* Can `bytes` of room be asked for without crowding out what is needed?
 * Not where address space is counted: under ulimit -v, rooms granted one
 * after another (the unit arrays, the value table) left too little for a
 * 2 MiB table later, and record ran out of memory at random; under strict
 * overcommit (vm.overcommit_memory 2) every mapping is charged whole. */
static int strict_overcommit(void)
{
    FILE *f = fopen("/proc/sys/vm/overcommit_memory", "r");
    int mode = 0;
    if (f) {
        if (fscanf(f, "%d", &mode) != 1)
            mode = 0;
        fclose(f);
    }
    return mode == 2;
}

static int room_affordable(size_t bytes)
{
    static int strict = -1; /* read once; both recording threads ask */
    int s = __atomic_load_n(&strict, __ATOMIC_RELAXED);
    if (s < 0) {
        s = strict_overcommit();
        __atomic_store_n(&strict, s, __ATOMIC_RELAXED);
    }
    if (s)
        return 0;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        return (rlim_t)bytes <= rl.rlim_cur / 16;
    return 1;
}

void *grow_room(void *p, size_t *cap, size_t need, size_t size, size_t room, size_t first)
{
    if (need <= *cap)
        return p;
    if (!*cap && room > first && need <= room && room <= SIZE_MAX / size && room_affordable(room * size)) {
        void *q = malloc(room * size);
        if (q) {
            *cap = room;
            return q;
        }
    }
    size_t c = *cap ? *cap : first ? first : 1;
    while (c < need) {
        if (c > SIZE_MAX / 2 / size)
            out_of_memory(SIZE_MAX);
        c *= 2;
    }
    p = xrealloc(p, c * size);
    *cap = c;
    return p;
}

void *xcalloc_lines(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        out_of_memory(SIZE_MAX);
    size_t bytes = (n * size + 63u) & ~(size_t)63u; /* aligned_alloc wants a multiple */
    void *p = aligned_alloc(64, bytes ? bytes : 64);
    if (!p)
        out_of_memory(bytes);
    return memset(p, 0, bytes);
}

void xthread_create(pthread_t *t, void *(*fn)(void *), void *arg, const char *what)
{
    if (pthread_create(t, NULL, fn, arg) != 0) {
        fprintf(stderr, "battrace: cannot start %s\n", what);
        exit(3);
    }
}
