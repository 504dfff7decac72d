/* xalloc.h: malloc, calloc and realloc for memory outside the arenas (file
 * buffers, tables, node arrays), and thread starts. Running out of either is
 * not a run's error but the process's: the message names the size (or the
 * thread) and the exit status is 3. */
#ifndef BATTRACE_XALLOC_H
#define BATTRACE_XALLOC_H

#include <pthread.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow p, an array of *cap items of `size` bytes made here, to hold `need`
 * items. The first time, room for `room` items is asked for: address space
 * only, a page is backed when first written, and no later growth copies the
 * array into fresh pages (each fresh page costs a fault, and on the virtual
 * machines this project runs on, 2-15 us). Where address space is counted
 * (strict overcommit, ulimit -v: there a room is asked for only when it is
 * at most a sixteenth of the limit) or the room is refused, the array
 * starts at `first` items; past the room or from `first`, it doubles. Free
 * with free(). */
void *grow_room(void *p, size_t *cap, size_t need, size_t size, size_t room, size_t first);
/* n zeroed items starting on a 64-byte cache line, for what threads write
 * side by side (size a multiple of 64, so no item shares a line); free()
 * frees it. */
void *xcalloc_lines(size_t n, size_t size);

/* Start a thread running fn(arg), or exit naming `what` ("a worker thread"):
 * the callers' barriers and hand-offs count on every thread they start. */
void xthread_create(pthread_t *t, void *(*fn)(void *), void *arg, const char *what);

#endif
