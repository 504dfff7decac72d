/* xalloc.h: malloc, calloc and realloc for memory outside the arenas (file
 * buffers, tables, node arrays). Running out of it is not a run's error but
 * the process's: the message names the size and the exit status is 3. */
#ifndef BATTRACE_XALLOC_H
#define BATTRACE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);

#endif
