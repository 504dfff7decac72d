/* exec.c: the CPU backend: executing the planned launches (sched_execute;
 * docs/scheduler.md, "Execution").
 *
 * Launches run in order. Within one, the worker threads take nodes from a
 * shared counter; each thread has its own Arena and Ctx, so results are
 * made without locks and are read-only afterwards. Between launches, one
 * thread alone records which unit-calls the launch's errors ended and
 * withdraws their later statements' uses: a node no live unit-call needs
 * is not run (interp.c would never have reached it). Barriers order the
 * phases, so the node fields each phase reads were written before it. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_internal.h"

typedef struct Shared {
    Sched *s;
    int nthreads;
    pthread_barrier_t barrier;
    atomic_size_t next; /* next index in the current wave */
    size_t *wave_end;   /* see plan_waves */
} Shared;

/* A node's allocations stay in place up to this many bytes (its result and
 * temporaries): objects' sets of cells are often past 4 KB, and copying them
 * was a seventh of execution; on the batt trace a window then holds 36 MB
 * instead of 22 (256 KB saved no more time). */
#define KEEP_IN_PLACE 32768u

/* A failed node's allocations up to this many bytes are left in place
 * (see run_node). */
#define FAILED_KEEP 4096u

/* The most nodes a thread claims at once (see run_wave). */
#define CLAIM_MAX 32u

/* Each on cache lines of its own: its context and counters change with
 * every node. */
typedef struct Worker {
    _Alignas(64) Shared *sh;
    int id;
    Ctx ctx;        /* runs nodes in `results` */
    Arena *results; /* where nodes run and results stay (its SchedWorkerArenas) */
    Arena *spill;   /* results of nodes whose temporaries were dropped */
    uint64_t run, failed;
} Worker;

/* Apply node n on this worker's context, or mark it skipped. */
static void run_node(Sched *s, Worker *w, uint32_t n)
{
    Node *nd = &s->nodes[n];
    Value v[SCHED_MAXKEYS];
    if (nd->state != NS_PENDING) /* the kernel backend computed it */
        return;
    if (!nd->uses) {
        nd->state = NS_SKIPPED;
        return;
    }
    const uint64_t *kk = s->keys + nd->key_off;
    for (uint32_t a = 0; a < nd->nkeys; a++)
        if (sched_key_value(s, kk[a], &v[a]) != ERR_OK) {
            nd->state = NS_SKIPPED; /* a producer's error ended every call using this */
            return;
        }
    Ctx *ctx = &w->ctx;
    /* the node runs in the results arena, under the run budgets from a mark;
     * its result stays where it was made, with the temporaries when they
     * were few (copying every result out of a scratch arena was a fifth of
     * execution); past KEEP_IN_PLACE bytes the result is copied to the spill
     * arena and everything since the mark dropped */
    ArenaMark m = arena_mark(w->results);
    ctx->mem_limit = s->mem_limit > SIZE_MAX - m.used ? SIZE_MAX : m.used + s->mem_limit;
    ctx_begin_run(ctx, s->time_limit);
    Value r;
    Err e = call_value(ctx, v[0], nd->nkeys - 1, v + 1, &r);
    if (ctx->limit_hit) { /* as interp.c: a budget ends the call, whatever the guard */
        e = ctx->limit_hit;
        nd->budget = 1;
    }
    nd->err = (uint8_t)e;
    size_t made = w->results->used - m.used;
    if (e) {
        /* a failed node's few bytes stay (most fail at once: an argument of
         * the wrong kind); a rollback renews the arena's epoch, which empties
         * the grid cache of every grid it holds (their cells, counts,
         * objects, boxes), and 9% of the batt's nodes fail */
        if (made > FAILED_KEEP)
            arena_rollback(w->results, m);
        r = safe_default_of(v[0]);
    } else if (made > KEEP_IN_PLACE) {
        /* keep the result, copied to the spill arena when it is not most of
         * what the node made, and drop the rest: the rule run's statements
         * follow (ctx.h; ctx->spill is w->spill) */
        ctx_reclaim(ctx, (CtxMark){m.used, 0}, &r); /* untraced */
    }
    nd->result = r;
    nd->state = NS_DONE;
    w->run++;
    w->failed += e != ERR_OK;
}

/* gpu.c's way back to the CPU for a node whose download failed. */
static void cpu_run(void *data, uint32_t node)
{
    Worker *w = data;
    run_node(w->sh->s, w, node);
}

/* Unit-call uc ended at statement k: its later statements are not needed. */
static void end_call(Sched *s, uint32_t uc, uint32_t k)
{
    if (k >= s->alive[uc])
        return;
    for (uint32_t j = k + 1; j < s->alive[uc]; j++) {
        uint32_t n = s->stmt_node[s->uc_off[uc] + j];
        if (n != SCHED_NONE)
            s->nodes[n].uses--;
    }
    s->alive[uc] = k;
}

/* After launch l: end the unit-calls whose statement's binding is an error. */
static void settle_launch(Sched *s, size_t l)
{
    for (uint32_t i = s->launch_off[l]; i < s->launch_off[l + 1]; i++) {
        uint32_t n = s->launch_nodes[i];
        const Node *nd = &s->nodes[n];
        if (nd->state != NS_DONE || !nd->err)
            continue;
        for (uint32_t g = nd->occ_head; g != SCHED_NONE; g = s->occ_next[g]) {
            uint32_t uc = s->occ_uc[g], k = g - s->uc_off[uc];
            const ProgInfo *pi = sched_uc_pinfo(s, uc);
            if (nd->budget || !((pi->mask[k] >> nd->err) & 1u))
                end_call(s, uc, k);
        }
    }
}

/* Run the nodes of launches [l0, l1): their node lists are contiguous. */
static void run_wave(Worker *w, size_t l0, size_t l1)
{
    Sched *s = w->sh->s;
    size_t start = s->launch_off[l0], width = s->launch_off[l1] - start;
    if (w->sh->nthreads == 1) {
        for (size_t i = 0; i < width; i++)
            run_node(s, w, s->launch_nodes[start + i]);
        return;
    }
    /* nodes are claimed a run at a time, a smaller run the less is left
     * (guided scheduling): one shared counter bumped per node sent its cache
     * line from core to core 2.7 million times on the batt trace, and
     * threads writing neighbouring nodes shared their lines too */
    for (;;) {
        size_t i = atomic_load_explicit(&w->sh->next, memory_order_relaxed), n;
        do {
            if (i >= width)
                return;
            n = (width - i) / (4u * (size_t)w->sh->nthreads);
            n = n < 1 ? 1 : n > CLAIM_MAX ? CLAIM_MAX : n;
        } while (!atomic_compare_exchange_weak_explicit(&w->sh->next, &i, i + n, memory_order_relaxed,
                                                        memory_order_relaxed));
        /* the claimed nodes' lines, for writing: merging left them in
         * another core's cache, and a read then an upgrade at the end of
         * run_node were two trips between the cores where one will do */
        for (size_t k = i; k < i + n; k++)
            __builtin_prefetch(&s->nodes[s->launch_nodes[start + k]], 1);
        for (size_t e = i + n; i < e; i++)
            run_node(s, w, s->launch_nodes[start + i]);
    }
}

/* Launches whose nodes all have one level cannot depend on each other, so
 * consecutive ones of the same level form a wave that threads share without
 * a barrier between launches (the depth policy: a wave per level). A launch
 * that mixes levels (the agenda policy can make them) is a wave of its own.
 * wave_end[l] is the launch after the wave that starts at l. Settling (ending
 * the calls a failed node ends, so their later statements are skipped)
 * happens after each wave. */
static size_t *plan_waves(const Sched *s, int threads)
{
    size_t n = s->nlaunches;
    size_t *end = xcalloc(n + 1, sizeof *end);
    if (threads == 1) {
        /* no barriers to save: settle after every launch, so that a call
         * ended by one launch skips its statements in the next ones */
        for (size_t l = 0; l < n; l++)
            end[l] = l + 1;
        return end;
    }
    uint32_t *lvl = xcalloc(n + 1, sizeof *lvl); /* level, or UINT32_MAX when mixed */
    for (size_t l = 0; l < n; l++) {
        uint32_t first = s->launch_off[l] < s->launch_off[l + 1]
                             ? s->nodes[s->launch_nodes[s->launch_off[l]]].level : 0;
        lvl[l] = first;
        for (uint32_t i = s->launch_off[l]; i < s->launch_off[l + 1]; i++)
            if (s->nodes[s->launch_nodes[i]].level != first)
                lvl[l] = UINT32_MAX;
    }
    for (size_t l = 0; l < n;) {
        size_t e = l + 1;
        while (lvl[l] != UINT32_MAX && e < n && lvl[e] == lvl[l])
            e++;
        end[l] = e;
        l = e;
    }
    free(lvl);
    return end;
}

static void *worker_main(void *arg)
{
    Worker *w = arg;
    Shared *sh = w->sh;
    for (size_t l = 0; l < sh->s->nlaunches; l = sh->wave_end[l]) {
        if (sh->s->gpu_mode != SCHED_GPU_OFF) {
            /* the kernel backend takes its launches first, on one thread,
             * then brings down what the CPU nodes of the wave read */
            if (w->id == 0) {
                for (size_t k = l; k < sh->wave_end[l]; k++)
                    gpu_launch(sh->s, w->results, k, &w->run, &w->failed);
                gpu_prepare_wave(sh->s, w->results, l, sh->wave_end[l], cpu_run, w);
            }
            if (sh->nthreads > 1)
                pthread_barrier_wait(&sh->barrier);
        }
        run_wave(w, l, sh->wave_end[l]);
        if (sh->nthreads > 1)
            pthread_barrier_wait(&sh->barrier);
        if (w->id == 0) {
            for (size_t k = l; k < sh->wave_end[l]; k++)
                settle_launch(sh->s, k);
            atomic_store_explicit(&sh->next, 0, memory_order_relaxed);
        }
        if (sh->nthreads > 1)
            pthread_barrier_wait(&sh->barrier);
    }
    return NULL;
}

/* A worker's arenas, on cache lines of their own: every allocation writes
 * its arena's fill pointer, and two workers' arenas side by side in one
 * array shared a line, which moved between the cores at every allocation. */
struct SchedWorkerArenas {
    _Alignas(64) Arena results; /* where its nodes run and results stay */
    Arena spill;                /* results of nodes whose temporaries were dropped */
};

/* Worker threads 1..n-1, started once for all the Scheds an arena set
 * serves: a thread made per window began each one with cold caches (its
 * grid cache, its stack), and ran its nodes half again slower than the
 * caller's thread. Each job is a Sched's execution: the threads meet the
 * caller at `start`, run worker_main on their Worker, and meet it again at
 * `end`. */
struct SchedPool {
    int n; /* threads, the caller's included */
    pthread_t *tid;
    pthread_barrier_t start, end;
    Worker *job;     /* the current job's workers; NULL: quit */
    int job_threads; /* how many of the threads it takes (the rest wait) */
};

typedef struct PoolArg {
    SchedPool *pool;
    int id;
} PoolArg;

static void *pool_main(void *arg)
{
    PoolArg pa = *(PoolArg *)arg;
    free(arg);
    for (;;) {
        pthread_barrier_wait(&pa.pool->start);
        if (!pa.pool->job)
            return NULL;
        if (pa.id < pa.pool->job_threads)
            worker_main(&pa.pool->job[pa.id]);
        pthread_barrier_wait(&pa.pool->end);
    }
}

static SchedPool *pool_new(int n)
{
    SchedPool *p = xcalloc(1, sizeof *p);
    p->n = n;
    p->tid = xcalloc((size_t)n, sizeof *p->tid);
    pthread_barrier_init(&p->start, NULL, (unsigned)n);
    pthread_barrier_init(&p->end, NULL, (unsigned)n);
    for (int t = 1; t < n; t++) {
        PoolArg *pa = xmalloc(sizeof *pa);
        *pa = (PoolArg){p, t};
        xthread_create(&p->tid[t], pool_main, pa, "a worker thread");
    }
    return p;
}

static void pool_free(SchedPool *p)
{
    p->job = NULL;
    pthread_barrier_wait(&p->start);
    for (int t = 1; t < p->n; t++)
        pthread_join(p->tid[t], NULL);
    pthread_barrier_destroy(&p->start);
    pthread_barrier_destroy(&p->end);
    free(p->tid);
    free(p);
}

void sched_arenas_init(SchedArenas *a, int threads)
{
    a->n = threads < 1 ? 1 : threads;
    a->w = xcalloc_lines((size_t)a->n, sizeof *a->w);
    for (int t = 0; t < a->n; t++) {
        arena_init(&a->w[t].results);
        arena_init(&a->w[t].spill);
        arena_keep(&a->w[t].results, SIZE_MAX); /* reused by every window */
        arena_keep(&a->w[t].spill, SIZE_MAX);
    }
    a->pool = a->n > 1 ? pool_new(a->n) : NULL;
}

void sched_arenas_free(SchedArenas *a)
{
    if (a->pool)
        pool_free(a->pool);
    for (int t = 0; t < a->n; t++) {
        arena_free(&a->w[t].results);
        arena_free(&a->w[t].spill);
    }
    free(a->w);
    memset(a, 0, sizeof *a);
}

/* Run worker_main on w[0..threads): the pool's threads take the others. */
static void run_workers(Shared *sh, Worker *w, int threads, SchedPool *pool)
{
    if (threads == 1) {
        worker_main(&w[0]);
        return;
    }
    pthread_barrier_init(&sh->barrier, NULL, (unsigned)threads);
    pool->job = w;
    pool->job_threads = threads;
    pthread_barrier_wait(&pool->start);
    worker_main(&w[0]);
    pthread_barrier_wait(&pool->end);
    pthread_barrier_destroy(&sh->barrier);
}

void sched_execute_in(Sched *s, int threads, SchedArenas *a)
{
    if (s->executed)
        return;
    s->executed = 1;
    uint64_t t0 = now_ns();
    threads = threads < 1 ? 1 : threads > a->n ? a->n : threads;
    Shared sh = {.s = s, .nthreads = threads, .wave_end = plan_waves(s, threads)};
    atomic_init(&sh.next, 0);
    Worker *w = xcalloc_lines((size_t)threads, sizeof *w);
    for (int t = 0; t < threads; t++) {
        arena_reset(&a->w[t].results);
        arena_reset(&a->w[t].spill);
        w[t].results = &a->w[t].results;
        w[t].spill = &a->w[t].spill;
        ctx_init(&w[t].ctx, w[t].results);
        w[t].ctx.spill = w[t].spill; /* a node's inner calls drop their temporaries too (ctx.h) */
        w[t].sh = &sh;
        w[t].id = t;
    }
    if (s->gpu_mode != SCHED_GPU_OFF)
        gpu_begin(s);
    run_workers(&sh, w, threads, a->pool);
    if (s->gpu_mode != SCHED_GPU_OFF)
        gpu_end(s, w[0].results, cpu_run, &w[0]);
    for (int t = 0; t < threads; t++) {
        s->st.nodes_run += w[t].run;
        s->st.nodes_failed += w[t].failed;
        s->st.result_bytes += a->w[t].results.used + a->w[t].spill.used;
    }
    free(w);
    free(sh.wave_end);
    s->st.exec_ns = now_ns() - t0;
}

/* With arenas of its own, freed with the Sched. */
void sched_execute(Sched *s, int threads)
{
    if (s->executed)
        return;
    s->own_arenas = xcalloc(1, sizeof *s->own_arenas);
    sched_arenas_init(s->own_arenas, threads);
    sched_execute_in(s, threads, s->own_arenas);
}
