/* ordered.c: pieces written in order (see ordered.h). */
#include "ordered.h"

#include <errno.h>
#include <stdlib.h>

#include "../runtime/xalloc.h"
#include "cli.h"

void ordered_init(OrderedOut *o, size_t n, FILE *f)
{
    *o = (OrderedOut){.f = f, .n = n};
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->cv, NULL);
    o->buf = xcalloc(n ? n : 1, sizeof *o->buf);
    o->len = xcalloc(n ? n : 1, sizeof *o->len);
    o->ready = xcalloc(n ? n : 1, 1);
}

int ordered_put(OrderedOut *o, size_t k, char *buf, size_t len, int rc)
{
    pthread_mutex_lock(&o->mu);
    if (rc && !o->rc)
        o->rc = rc;
    o->buf[k] = buf;
    o->len[k] = len;
    o->ready[k] = 1;
    while (o->written < o->n && o->ready[o->written]) {
        size_t w = o->written++;
        if (o->f && o->len[w] && !o->rc && fwrite(o->buf[w], 1, o->len[w], o->f) != o->len[w]) {
            o->rc = EXIT_FAIL; /* the caller reports it, naming the file */
            o->write_errno = errno;
        }
        free(o->buf[w]);
        o->buf[w] = NULL;
        if (o->on_written)
            o->on_written(o->data, w);
    }
    rc = o->rc;
    pthread_cond_broadcast(&o->cv);
    pthread_mutex_unlock(&o->mu);
    return rc;
}

bool ordered_may_take(OrderedOut *o, size_t k, size_t ahead)
{
    pthread_mutex_lock(&o->mu);
    while (k >= o->written + ahead && !o->rc)
        pthread_cond_wait(&o->cv, &o->mu);
    bool go = !o->rc;
    pthread_mutex_unlock(&o->mu);
    return go;
}

void ordered_free(OrderedOut *o)
{
    for (size_t k = 0; k < o->n; k++)
        free(o->buf[k]);
    free(o->buf);
    free(o->len);
    free(o->ready);
    pthread_cond_destroy(&o->cv);
    pthread_mutex_destroy(&o->mu);
}
