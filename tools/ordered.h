/* ordered.h: output made in pieces by several threads, out of order, and
 * written in order: `run --threads` hands over its chunks of rows, replay's
 * lanes their windows' rows. A finished piece waits in memory until every
 * piece before it is written; whichever thread finishes the first missing
 * piece writes all that are then ready. */
#ifndef BATTRACE_ORDERED_H
#define BATTRACE_ORDERED_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct OrderedOut {
    pthread_mutex_t mu; /* guards what follows */
    pthread_cond_t cv;  /* a piece written, or rc set */
    FILE *f;            /* NULL: pieces are only counted */
    char **buf;         /* per piece: its bytes while they wait */
    size_t *len;
    unsigned char *ready;
    size_t n, written;  /* pieces, and pieces written */
    int rc;             /* the first failure: a piece's, or EXIT_FAIL for a write */
    int write_errno;    /* errno of the write that failed */
    /* told each piece once it is written (under mu), or NULL */
    void (*on_written)(void *data, size_t piece);
    void *data;
} OrderedOut;

void ordered_init(OrderedOut *o, size_t n, FILE *f);
/* Piece k is finished: its bytes (malloc'd, now the writer's; NULL when
 * len is 0) and rc, nonzero when making it failed. Returns o->rc after,
 * nonzero once any piece failed or a write did (the caller stops). */
int ordered_put(OrderedOut *o, size_t k, char *buf, size_t len, int rc);
/* Wait until piece k is fewer than `ahead` past the first unwritten one, so
 * that behind one slow piece the others' bytes stay bounded (the thread
 * making the first unwritten piece never waits); false once o->rc is set. */
bool ordered_may_take(OrderedOut *o, size_t k, size_t ahead);
void ordered_free(OrderedOut *o);

#endif
