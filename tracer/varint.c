/* varint.c: the byte buffer's growth (see varint.h). */
#include "varint.h"

#include <stdio.h>
#include <stdlib.h>

#include "../runtime/xalloc.h"

void bb_grow(ByteBuf *b, size_t extra)
{
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra) {
        if (cap > SIZE_MAX / 2) {
            fprintf(stderr, "battrace: byte buffer too large\n");
            exit(3);
        }
        cap *= 2;
    }
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

void bb_free(ByteBuf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
