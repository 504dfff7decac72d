/* gpu.c: the kernel backend's side of execution (sched_set_gpu): launches
 * through a value store whose grids stay on the device between levels.
 *
 * Per Sched, one store (cuda/store.h). A launch the cost model gives the
 * kernels packs each application's grid arguments by reference when they
 * are in the store already (a result of an earlier kernel launch, or an input
 * or result uploaded once before) and uploads the others once, remembering
 * their handles per atom and per node. A grid result stays in the store: the
 * node becomes NS_RESIDENT (done, its Value not built). Before the CPU
 * workers run a wave, the resident results its CPU nodes read are brought
 * down together (gpu_prepare_wave); after the last wave, those the rows
 * read (appends, a solver's return), or with --verify all of them. A node
 * whose value nobody reads stays NS_RESIDENT. A download that fails is
 * counted and the node computed again on the CPU: a device error never
 * changes a result. Runs on one thread (the workers wait at a barrier). */
#include <stdlib.h>
#include <string.h>

#include "../cuda/batch.h"
#include "sched_internal.h"

void sched_set_gpu(Sched *s, int mode, uint32_t min_width, const GpuCost *cost)
{
    s->gpu_mode = mode;
    s->gpu_min_width = min_width ? min_width : 1;
    s->gpu_cost = cost;
}

/* The cells of a grid argument (0 for anything else). */
static uint64_t grid_cells(Value v)
{
    return v_is_grid(v) ? (uint64_t)v.u.seq->n * v_len(v.u.seq->items[0]) : 0; /* rows may be packed pairs */
}

void gpu_begin(Sched *s)
{
    char msg[256];
    s->gpu_store = gpu_store_new(s->gpu_mode == SCHED_GPU_HOST ? GPU_HOST : GPU_DEVICE, 0, msg, sizeof msg);
    if (!s->gpu_store)
        s->st.gpu.device_errors++; /* every launch stays on the CPU */
    s->node_ref = malloc((s->nnodes + 1) * sizeof *s->node_ref);
    s->atom_ref = malloc((s->sh->natoms + 1) * sizeof *s->atom_ref);
    if (s->node_ref)
        memset(s->node_ref, 0xff, (s->nnodes + 1) * sizeof *s->node_ref); /* -1: not in the store */
    if (s->atom_ref)
        memset(s->atom_ref, 0xff, (s->sh->natoms + 1) * sizeof *s->atom_ref);
}

static void add_counters(SchedGpuStats *g, const GpuCounters *c)
{
    g->kernel_launches += c->launches;
    g->nodes_device += c->items_gpu;
    g->nodes_host += c->items_host;
    g->nodes_cpu_ineligible += c->items_ineligible;
    g->bytes_to_device += c->bytes_to_device;
    g->bytes_from_device += c->bytes_from_device;
    g->device_errors += c->device_errors;
    g->args_resident += c->args_resident;
    g->args_uploaded += c->args_uploaded;
    g->results_resident += c->results_resident;
    g->materialized += c->materialized;
    g->store_full += c->store_full;
}

/* The store handle slot of key k: its atom's or its producer node's. */
static int32_t *ref_slot(Sched *s, uint64_t k)
{
    return key_is_atom(k) ? &s->atom_ref[key_id(k)] : &s->node_ref[key_node(k)];
}

/* Node id's arguments for the kernels: Values (None for a resident result
 * the host has no copy of) and store handles. 0 when an argument is dead. */
static int gather(Sched *s, const Node *nd, Value *v, int32_t *ref)
{
    for (uint32_t a = 0; a < nd->nkeys; a++) {
        uint64_t k = s->keys[nd->key_off + a];
        ref[a] = *ref_slot(s, k);
        if (!key_is_atom(k) && s->nodes[key_node(k)].state == NS_RESIDENT) {
            v[a] = v_none(); /* resident results are grids that returned */
            continue;
        }
        if (sched_key_value(s, k, &v[a]) != ERR_OK)
            return 0;
    }
    return 1;
}

/* The cost model's view of n gathered applications: grid arguments not in
 * the store go up (4 bytes a cell). */
static bool kernels_cheaper(const Sched *s, const Prim *p, size_t n, const GpuApp *apps)
{
    GpuLaunchEst e = {.prim = p, .nodes = n};
    for (size_t k = 0; k < n; k++)
        for (int a = 0; a < p->arity; a++) {
            int32_t ref = apps[k].refs[a];
            if (ref >= 0) { /* in the store already: work, no transfer */
                const GpuRef *g = gpu_store_ref(s->gpu_store, ref);
                e.cells += (uint64_t)g->h * (uint64_t)g->w;
            } else {
                uint64_t cells = grid_cells(apps[k].args[a]);
                e.cells += cells;
                e.up_bytes += 4 * cells;
            }
        }
    return gpu_cost_prefers_gpu(s->gpu_cost, &e);
}

void gpu_launch(Sched *s, Arena *results, size_t l, uint64_t *run, uint64_t *failed)
{
    SchedGpuStats *g = &s->st.gpu;
    const Prim *p = s->sigs[s->launch_sig[l]].prim;
    uint32_t start = s->launch_off[l], width = s->launch_off[l + 1] - start;
    if (!p || !gpu_has_kernel(p)) {
        g->nodes_cpu_nokernel += width;
        return;
    }
    if (!s->gpu_store || !s->node_ref || !s->atom_ref || (!s->gpu_cost && width < s->gpu_min_width)) {
        g->nodes_cpu_costmodel += width;
        return;
    }
    uint64_t t0 = now_ns();
    uint32_t *ids = xmalloc(width * sizeof *ids);
    Value *vals = xmalloc((size_t)width * SCHED_MAXKEYS * sizeof *vals);
    int32_t *refs = xmalloc((size_t)width * SCHED_MAXKEYS * sizeof *refs);
    GpuApp *apps = xmalloc(width * sizeof *apps);
    GpuOut *out = xmalloc(width * sizeof *out);
    size_t n = 0;
    for (uint32_t i = 0; i < width; i++) {
        uint32_t id = s->launch_nodes[start + i];
        const Node *nd = &s->nodes[id];
        Value *v = vals + n * SCHED_MAXKEYS;
        int32_t *r = refs + n * SCHED_MAXKEYS;
        if (nd->state != NS_PENDING || !nd->uses || !gather(s, nd, v, r))
            continue; /* the CPU worker marks it skipped */
        ids[n] = id;
        apps[n] = (GpuApp){v + 1, r + 1}; /* [0] is the callee */
        n++;
    }
    if (s->gpu_cost && n && !kernels_cheaper(s, p, n, apps)) {
        g->nodes_cpu_costmodel += n;
        n = 0; /* the CPU workers run them all */
    }
    Ctx rctx;
    ctx_init(&rctx, results);
    rctx.mem_limit = SIZE_MAX;
    GpuCounters c = {0};
    if (n && gpu_store_run(s->gpu_store, &rctx, p, n, apps, out, &c) >= 0) {
        for (size_t k = 0; k < n; k++) {
            if (out[k].err == ERR__COUNT)
                continue;
            Node *nd = &s->nodes[ids[k]];
            /* grid arguments the run uploaded keep their handles */
            for (uint32_t a = 1; a < nd->nkeys; a++)
                if (apps[k].refs[a - 1] >= 0)
                    *ref_slot(s, s->keys[nd->key_off + a]) = apps[k].refs[a - 1];
            nd->err = (uint8_t)out[k].err;
            nd->budget = out[k].err == ERR_MEMORY; /* building the result crossed the budget */
            if (out[k].err == ERR_OK && out[k].ref >= 0) {
                s->node_ref[ids[k]] = out[k].ref;
                nd->state = NS_RESIDENT;
            } else {
                nd->result = out[k].err ? safe_default_of(prim_value(p)) : out[k].v;
                nd->state = NS_DONE;
            }
            (*run)++;
            *failed += out[k].err != ERR_OK;
        }
    }
    g->batches += n > 0;
    add_counters(g, &c);
    g->gpu_ns += now_ns() - t0;
    free(ids);
    free(vals);
    free(refs);
    free(apps);
    free(out);
}

/* A list of resident nodes to bring down, each listed once: a listed node
 * is NS_DOWNLOADING until the list is done (ids_done puts them back). */
typedef struct IdList {
    uint32_t *ids;
    size_t n, cap;
} IdList;

static void list_resident(Sched *s, IdList *l, uint32_t id)
{
    if (s->nodes[id].state != NS_RESIDENT)
        return;
    s->nodes[id].state = NS_DOWNLOADING;
    SCHED_GROW(l->ids, l->n, l->cap, l->n + 1);
    l->ids[l->n++] = id;
}

static void ids_done(Sched *s, const IdList *l)
{
    for (size_t k = 0; k < l->n; k++)
        s->nodes[l->ids[k]].state = NS_RESIDENT;
}

/* Build the Values of resident nodes ids[0..n) in `results`; a node whose
 * download fails is run again on the CPU (cpu_run), after its own resident
 * arguments are built. */
static void build_resident(Sched *s, Arena *results, const uint32_t *ids, size_t n, GpuCpuRun cpu_run, void *data)
{
    if (!n)
        return;
    char msg[256];
    int32_t *r = xmalloc(n * sizeof *r);
    Value *v = xmalloc(n * sizeof *v);
    for (size_t k = 0; k < n; k++)
        r[k] = s->node_ref[ids[k]];
    Ctx ctx;
    ctx_init(&ctx, results);
    ctx.mem_limit = SIZE_MAX;
    GpuCounters c = {0};
    uint64_t t0 = now_ns();
    Err all = gpu_store_materialize(s->gpu_store, &ctx, n, r, v, &c, msg, sizeof msg);
    for (size_t k = 0; k < n; k++) {
        Node *nd = &s->nodes[ids[k]];
        if (all == ERR_OK || gpu_store_materialize(s->gpu_store, &ctx, 1, &r[k], &v[k], &c, msg, sizeof msg) ==
                                 ERR_OK) {
            nd->result = v[k];
            nd->state = NS_DONE;
            continue;
        }
        s->st.gpu.device_errors++;
        s->node_ref[ids[k]] = -1;
        for (uint32_t a = 0; a < nd->nkeys; a++) { /* its own arguments first */
            uint64_t key = s->keys[nd->key_off + a];
            uint32_t prod = key_node(key);
            if (!key_is_atom(key) && s->nodes[prod].state == NS_RESIDENT)
                build_resident(s, results, &prod, 1, cpu_run, data);
        }
        nd->state = NS_PENDING;
        cpu_run(data, ids[k]);
    }
    add_counters(&s->st.gpu, &c);
    s->st.gpu.gpu_ns += now_ns() - t0;
    free(r);
    free(v);
}

void gpu_prepare_wave(Sched *s, Arena *results, size_t l0, size_t l1, GpuCpuRun cpu_run, void *data)
{
    if (!s->node_ref)
        return;
    IdList l = {0};
    for (uint32_t i = s->launch_off[l0]; i < s->launch_off[l1]; i++) {
        const Node *nd = &s->nodes[s->launch_nodes[i]];
        if (nd->state != NS_PENDING || !nd->uses)
            continue;
        for (uint32_t a = 0; a < nd->nkeys; a++) {
            uint64_t k = s->keys[nd->key_off + a];
            if (!key_is_atom(k))
                list_resident(s, &l, key_node(k));
        }
    }
    ids_done(s, &l);
    build_resident(s, results, l.ids, l.n, cpu_run, data);
    free(l.ids);
}

/* The resident nodes the rows read: statements feeding an append or a
 * solver's return (ProgInfo.feeds_rows) in every unit-call, up to where the
 * call ended; or, for --verify, every one a statement binds. */
static IdList rows_resident(Sched *s)
{
    IdList l = {0};
    for (size_t uc = 0; uc < s->nuc; uc++) {
        const ProgInfo *pi = sched_uc_pinfo(s, uc);
        for (uint32_t k = 0; k < s->alive[uc]; k++) {
            uint32_t id = s->stmt_node[s->uc_off[uc] + k];
            if (id != SCHED_NONE && (s->gpu_download_all || pi->feeds_rows[k]))
                list_resident(s, &l, id);
        }
    }
    ids_done(s, &l);
    return l;
}

void gpu_end(Sched *s, Arena *results, GpuCpuRun cpu_run, void *data)
{
    if (s->node_ref && s->gpu_store) {
        IdList l = rows_resident(s);
        build_resident(s, results, l.ids, l.n, cpu_run, data);
        free(l.ids);
        /* the rest stay NS_RESIDENT: returned, value never read */
    }
    gpu_store_free(s->gpu_store);
    s->gpu_store = NULL;
    free(s->node_ref);
    free(s->atom_ref);
    s->node_ref = s->atom_ref = NULL;
}

void sched_gpu_download_all(Sched *s, int all) { s->gpu_download_all = all; }
