/* plan.c: grouping nodes into launches (sched_plan; docs/scheduler.md,
 * "Launches").
 *
 * A launch is nodes with one signature (see build.c's sig_intern), all of
 * whose producers ran in earlier launches. Two policies:
 *   depth:  levels in order, one launch per signature present in a level;
 *           a counting sort by level and a per-signature stamp: O(1) a node.
 *   agenda: DyNet's autobatching: per signature a bucket of ready nodes;
 *           launch the bucket with the lowest average level, release the
 *           dependants. A binary heap with lazy deletion picks the bucket:
 *           O(log signatures) per node.
 * Within a launch nodes keep their creation order, so plans are
 * deterministic. */
#include <stdlib.h>
#include <string.h>

#include "sched_internal.h"

/* Launch arrays sized for the worst case (one launch a node), in the
 * window's arena (a second plan leaves the first's there until the next
 * window). */
static void plan_alloc(Sched *s)
{
    size_t n = s->nnodes + 1;
    s->launch_off = sched_window_alloc(s, n + 1, sizeof *s->launch_off);
    s->launch_nodes = sched_window_alloc(s, n, sizeof *s->launch_nodes);
    s->launch_level = sched_window_alloc(s, n, sizeof *s->launch_level);
    s->launch_sig = sched_window_alloc(s, n, sizeof *s->launch_sig);
    s->nlaunches = 0;
    s->launch_off[0] = 0;
}

/* Nodes ordered by level (stable): a counting sort. nlevels receives the count. */
static uint32_t *by_level(Sched *s, uint32_t *nlevels)
{
    uint32_t nl = 0;
    for (size_t n = 0; n < s->nnodes; n++)
        if (s->nodes[n].level + 1 > nl)
            nl = s->nodes[n].level + 1;
    uint32_t *start = xcalloc((size_t)nl + 1, sizeof *start);
    for (size_t n = 0; n < s->nnodes; n++)
        start[s->nodes[n].level + 1]++;
    for (uint32_t l = 0; l < nl; l++)
        start[l + 1] += start[l];
    uint32_t *order = sched_window_alloc(s, s->nnodes + 1, sizeof *order);
    for (size_t n = 0; n < s->nnodes; n++)
        order[start[s->nodes[n].level]++] = (uint32_t)n;
    free(start);
    *nlevels = nl;
    return order;
}

void sched_plan_depth(Sched *s)
{
    uint32_t nl;
    uint32_t *order = by_level(s, &nl);
    uint32_t *stamp = xmalloc((s->nsigs + 1) * sizeof *stamp);
    uint32_t *sig_launch = xmalloc((s->nsigs + 1) * sizeof *sig_launch);
    uint32_t *node_launch = sched_window_alloc(s, s->nnodes + 1, sizeof *node_launch);
    uint32_t *width = sched_window_alloc(s, s->nnodes + 1, sizeof *width);
    memset(width, 0, (s->nnodes + 1) * sizeof *width);
    memset(stamp, 0xff, (s->nsigs + 1) * sizeof *stamp);
    plan_alloc(s);
    /* one launch per (level, signature), in order of first appearance */
    for (size_t i = 0; i < s->nnodes; i++) {
        const Node *nd = &s->nodes[order[i]];
        if (stamp[nd->sig] != nd->level) {
            stamp[nd->sig] = nd->level;
            sig_launch[nd->sig] = (uint32_t)s->nlaunches;
            s->launch_level[s->nlaunches] = nd->level;
            s->launch_sig[s->nlaunches++] = nd->sig;
        }
        node_launch[order[i]] = sig_launch[nd->sig];
        width[sig_launch[nd->sig]]++;
    }
    for (size_t l = 0; l < s->nlaunches; l++)
        s->launch_off[l + 1] = s->launch_off[l] + width[l];
    memset(width, 0, s->nlaunches * sizeof *width); /* reused as fill cursors */
    for (size_t i = 0; i < s->nnodes; i++) {
        uint32_t l = node_launch[order[i]];
        s->launch_nodes[s->launch_off[l] + width[l]++] = order[i];
    }
    free(stamp);
    free(sig_launch);
}

/* ---- agenda ---- */

typedef struct Bucket {
    uint32_t *v; /* ready nodes */
    size_t n, cap;
    uint64_t depth_sum;
    uint32_t version; /* bumped on every change: older heap entries are stale */
} Bucket;

typedef struct HeapEnt {
    double avg;
    uint32_t sig, version;
} HeapEnt;

typedef struct Heap {
    HeapEnt *e;
    size_t n, cap;
} Heap;

static int ent_less(HeapEnt a, HeapEnt b) { return a.avg < b.avg || (a.avg == b.avg && a.sig < b.sig); }

static void heap_push(Heap *h, HeapEnt x)
{
    SCHED_GROW(h->e, h->n, h->cap, h->n + 1);
    size_t i = h->n++;
    while (i && ent_less(x, h->e[(i - 1) / 2])) {
        h->e[i] = h->e[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->e[i] = x;
}

static HeapEnt heap_pop(Heap *h)
{
    HeapEnt top = h->e[0], x = h->e[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && ent_less(h->e[c + 1], h->e[c]))
            c++;
        if (!ent_less(h->e[c], x))
            break;
        h->e[i] = h->e[c];
        i = c;
    }
    if (h->n)
        h->e[i] = x;
    return top;
}

/* Dependants of each node (CSR) and the count of producers each waits for. */
typedef struct Deps {
    uint32_t *off, *dep, *pending;
} Deps;

static void deps_build(const Sched *s, Deps *d)
{
    d->off = xcalloc(s->nnodes + 2, sizeof *d->off);
    d->pending = xcalloc(s->nnodes + 1, sizeof *d->pending);
    for (size_t n = 0; n < s->nnodes; n++) {
        const uint64_t *kk = s->keys + s->nodes[n].key_off;
        for (uint32_t a = 0; a < s->nodes[n].nkeys; a++)
            if (!key_is_atom(kk[a])) {
                d->off[key_node(kk[a]) + 2]++;
                d->pending[n]++;
            }
    }
    for (size_t n = 0; n < s->nnodes; n++)
        d->off[n + 2] += d->off[n + 1];
    d->dep = xmalloc((d->off[s->nnodes + 1] + 1) * sizeof *d->dep);
    for (size_t n = 0; n < s->nnodes; n++) {
        const uint64_t *kk = s->keys + s->nodes[n].key_off;
        for (uint32_t a = 0; a < s->nodes[n].nkeys; a++)
            if (!key_is_atom(kk[a]))
                d->dep[d->off[key_node(kk[a]) + 1]++] = (uint32_t)n;
    }
    /* off[n + 1] now ends node n's list and off[n] starts it */
}

typedef struct Agenda {
    Sched *s;
    Bucket *b;
    Heap heap;
    uint32_t *touched, ntouched, *touch_stamp, round;
} Agenda;

static void agenda_ready(Agenda *ag, uint32_t n)
{
    const Node *nd = &ag->s->nodes[n];
    Bucket *b = &ag->b[nd->sig];
    SCHED_GROW(b->v, b->n, b->cap, b->n + 1);
    b->v[b->n++] = n;
    b->depth_sum += nd->level;
    b->version++;
    if (ag->touch_stamp[nd->sig] != ag->round) {
        ag->touch_stamp[nd->sig] = ag->round;
        ag->touched[ag->ntouched++] = nd->sig;
    }
}

/* One heap entry per bucket changed this round, with its new average. */
static void agenda_push_touched(Agenda *ag)
{
    for (uint32_t i = 0; i < ag->ntouched; i++) {
        Bucket *b = &ag->b[ag->touched[i]];
        heap_push(&ag->heap, (HeapEnt){(double)b->depth_sum / (double)b->n, ag->touched[i], b->version});
    }
    ag->ntouched = 0;
    ag->round++;
}

/* Launch bucket sig: its nodes become a launch, dependants get released. */
static void agenda_launch(Agenda *ag, const Deps *d, uint32_t sig)
{
    Sched *s = ag->s;
    Bucket *b = &ag->b[sig];
    uint32_t l = (uint32_t)s->nlaunches++, start = s->launch_off[l], lo = UINT32_MAX;
    memcpy(s->launch_nodes + start, b->v, b->n * sizeof *b->v);
    s->launch_off[l + 1] = start + (uint32_t)b->n;
    s->launch_sig[l] = sig;
    size_t n = b->n;
    b->n = 0;
    b->depth_sum = 0;
    b->version++;
    for (size_t i = 0; i < n; i++) {
        uint32_t node = s->launch_nodes[start + i];
        if (s->nodes[node].level < lo)
            lo = s->nodes[node].level;
        for (uint32_t e = d->off[node]; e < d->off[node + 1]; e++)
            if (--d->pending[d->dep[e]] == 0)
                agenda_ready(ag, d->dep[e]);
    }
    s->launch_level[l] = lo;
}

void sched_plan_agenda(Sched *s)
{
    Deps d;
    deps_build(s, &d);
    plan_alloc(s);
    Agenda ag = {s, xcalloc(s->nsigs + 1, sizeof *ag.b), {0}, NULL, 0, NULL, 1};
    ag.touched = xmalloc((s->nsigs + 1) * sizeof *ag.touched);
    ag.touch_stamp = xcalloc(s->nsigs + 1, sizeof *ag.touch_stamp);
    for (size_t n = 0; n < s->nnodes; n++)
        if (!d.pending[n])
            agenda_ready(&ag, (uint32_t)n);
    agenda_push_touched(&ag);
    while (ag.heap.n) {
        HeapEnt e = heap_pop(&ag.heap);
        if (e.version != ag.b[e.sig].version || !ag.b[e.sig].n)
            continue; /* stale: the bucket changed since this entry */
        agenda_launch(&ag, &d, e.sig);
        agenda_push_touched(&ag);
    }
    for (size_t k = 0; k <= s->nsigs; k++)
        free(ag.b[k].v);
    free(ag.b);
    free(ag.heap.e);
    free(ag.touched);
    free(ag.touch_stamp);
    free(d.off);
    free(d.dep);
    free(d.pending);
}

void sched_plan(Sched *s, SchedPolicy policy)
{
    uint64_t t0 = now_ns();
    if (policy == POLICY_AGENDA)
        sched_plan_agenda(s);
    else
        sched_plan_depth(s);
    SchedStats *st = &s->st;
    st->launches = s->nlaunches;
    st->levels = 0;
    for (size_t n = 0; n < s->nnodes; n++)
        if (s->nodes[n].level + 1 > st->levels)
            st->levels = s->nodes[n].level + 1;
    st->max_width = 0;
    for (size_t l = 0; l < s->nlaunches; l++)
        if (s->launch_off[l + 1] - s->launch_off[l] > st->max_width)
            st->max_width = s->launch_off[l + 1] - s->launch_off[l];
    st->mean_width = s->nlaunches ? (double)s->nnodes / (double)s->nlaunches : 0.0;
    st->plan_ns = now_ns() - t0;
}
