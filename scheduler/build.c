/* build.c: merging the statement graphs of all unit-calls into one graph of
 * distinct nodes (sched_build; see docs/scheduler.md, "Graph").
 *
 * One pass over the statements of each unit-call. Each call statement's key
 * (callee key, argument keys) is looked up in a hash table of nodes: equal
 * keys are one node, whatever unit or program they come from. Values enter
 * keys as atoms, interned by content, so equal input grids and constants
 * merge; variables enter as the binding of the statement that set them.
 * Levels and launch signatures are computed when a node is made: its
 * producers already exist. Everything is O(1) per statement (O(arity)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/interp.h"
#include "../runtime/limits.h"
#include "sched_internal.h"

uint64_t sched_mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/* ---- hash sets of ids ---- */

/* Is id's key equal to `key`? owner: the Sched or SchedShared holding the ids. */
typedef int (*IdEq)(const void *owner, uint32_t id, uint64_t h, const void *key);

static void htab_clear(HTab *t)
{
    for (size_t k = 0; k < t->cap; k++)
        t->slots[k].id = SCHED_NONE;
    t->n = 0;
}

static void htab_init(HTab *t, size_t cap)
{
    t->cap = cap;
    t->lent = 0;
    t->slots = xmalloc(cap * sizeof *t->slots);
    htab_clear(t);
}

/* A table whose slots are in the window's memory. */
static void htab_init_lent(Sched *s, HTab *t, size_t cap)
{
    t->cap = cap;
    t->lent = 1;
    t->slots = sched_window_alloc(s, cap, sizeof *t->slots);
    htab_clear(t);
}

static void htab_free(HTab *t)
{
    if (!t->lent)
        free(t->slots);
}

static inline uint32_t htab_id(const HTab *t, size_t slot) { return t->slots[slot].id; }

/* The slot holding the id whose key equals `key`, or the empty slot where it goes. */
static size_t htab_find(const HTab *t, uint64_t h, IdEq eq, const void *owner, const void *key)
{
    size_t mask = t->cap - 1, i = (size_t)h & mask;
    while (t->slots[i].id != SCHED_NONE && !(t->slots[i].hash == h && eq(owner, t->slots[i].id, h, key)))
        i = (i + 1) & mask;
    return i;
}

static void htab_put(HTab *t, size_t slot, uint64_t h, uint32_t id)
{
    t->slots[slot] = (HSlot){h, id};
    if (++t->n * 2 <= t->cap)
        return;
    /* grow: rehash by the kept hashes, no key comparisons needed */
    HTab old = *t;
    htab_init(t, old.cap * 2);
    t->n = old.n;
    for (size_t k = 0; k < old.cap; k++) {
        if (old.slots[k].id == SCHED_NONE)
            continue;
        size_t i = (size_t)old.slots[k].hash & (t->cap - 1);
        while (t->slots[i].id != SCHED_NONE)
            i = (i + 1) & (t->cap - 1);
        t->slots[i] = old.slots[k];
    }
    htab_free(&old);
}

/* ---- atoms: values keyed by content ---- */

/* Same tag too: True == 1 in Python, but a statement returning its
 * argument would print them differently. */
static int atom_eq(const void *owner, uint32_t id, uint64_t h, const void *key)
{
    const SchedShared *sh = owner;
    const Value *v = key;
    return sh->atoms[id].tag == v->tag && v_eq(sh->atoms[id], *v);
}

static uint64_t atom_key_by_content(SchedShared *sh, Value v)
{
    uint64_t h = sched_mix(v_hash(v), v.tag);
    size_t slot = htab_find(&sh->atom_tab, h, atom_eq, sh, &v);
    if (htab_id(&sh->atom_tab, slot) != SCHED_NONE)
        return key_atom(htab_id(&sh->atom_tab, slot));
    SCHED_GROW(sh->atoms, sh->natoms, sh->atoms_cap, sh->natoms + 1);
    uint32_t id = (uint32_t)sh->natoms++;
    sh->atoms[id] = v;
    htab_put(&sh->atom_tab, slot, h, id);
    return key_atom(id);
}

/* Units share their input objects (a sample's grid, a task's S, its task
 * id) across programs: remembering the key of an object already seen saves
 * hashing and comparing whole grids (and S, every train pair) once per unit.
 * Values are immutable and outlive the SchedShared, so a pointer names its
 * content. */
static uint64_t atom_key(SchedShared *sh, Value v)
{
    if (v.tag != VT_TUPLE && v.tag != VT_SET && v.tag != VT_STR)
        return atom_key_by_content(sh, v);
    const void *ptr = v.tag == VT_STR ? (const void *)v.u.str : (const void *)v.u.seq;
    SeqKey *c = &sh->seq_cache[v_mix64((uint64_t)(uintptr_t)ptr) & (SCHED_SEQ_CACHE - 1)];
    if (c->ptr == ptr && c->tag == v.tag)
        return c->key;
    *c = (SeqKey){ptr, v.tag, atom_key_by_content(sh, v)};
    return c->key;
}

/* ---- signatures ---- */

typedef struct KeyRef {
    const uint64_t *k;
    uint32_t n;
} KeyRef;

/* Odd multipliers, one per key position (splitmix64 outputs). */
static const uint64_t key_mul[1 + 2 * PROGRAM_MAX_ARGS] = {
    0x2cb0f69f4abea221ull, 0x9417034723148989ull, 0xdd555950609dfe03ull,
    0xdbafb150deb12801ull, 0x7e789b2e6c442cb7ull, 0xf41e5636c7e4f8c5ull,
    0x0959d150f8fba7e5ull, 0xa97316f13cdb9eebull, 0x74cd8258f9520069ull,
    0x55c74a62e116868bull, 0xd2f4c799a2023cbdull, 0xdf98cb79a37b51b9ull,
    0x396f5885524f3905ull, 0xaf1d56386ca3b277ull, 0xa9ffbe6b5104e85bull,
    0x6bd0c51b9fd533b3ull, 0x980ce91c50ab4b57ull,
};

/* n <= 1 + 2 * PROGRAM_MAX_ARGS keys: each times its position's multiplier,
 * summed, then mixed once. Mixed key by key (sched_mix of the hash so far
 * and the key), each key waited for the last one's multiply and shifts:
 * a sixth of merging's instructions on the batt trace. */
static uint64_t keys_hash(const uint64_t *k, uint32_t n)
{
    uint64_t h = n;
    for (uint32_t i = 0; i < n; i++)
        h += (k[i] ^ k[i] >> 32) * key_mul[i];
    return sched_mix(h, n);
}

static int sig_eq(const void *owner, uint32_t id, uint64_t h, const void *key)
{
    const Sched *s = owner;
    const KeyRef *r = key;
    const Sig *g = &s->sigs[id];
    return g->nkeys == r->n && !memcmp(s->sig_keys + g->key_off, r->k, r->n * sizeof *r->k);
}

/* Function values and booleans choose the code a batched kernel runs; other
 * arguments are data. A binding is a function when its producer is a
 * primitive that returns one (safe default: a callable). */
static int key_is_flag(const Sched *s, uint64_t k)
{
    if (key_is_atom(k)) {
        uint8_t tag = s->sh->atoms[key_id(k)].tag;
        return tag == VT_FUNC || tag == VT_BOOL;
    }
    const Prim *p = s->nodes[key_node(k)].prim;
    return p && p->safe_default == SD_CALLABLE;
}

/* Signature of a node with these keys: the primitive (or "variable callee")
 * and each flag argument with its position. */
static uint32_t sig_intern(Sched *s, const Prim *prim, const uint64_t *kk, uint32_t nk)
{
    uint64_t sk[1 + 2 * PROGRAM_MAX_ARGS];
    uint32_t m = 0;
    sk[m++] = prim ? (uint64_t)(prim - prim_table) + 1 : 0;
    for (uint32_t a = 1; a < nk; a++)
        if (key_is_flag(s, kk[a])) {
            sk[m++] = a;
            sk[m++] = kk[a];
        }
    KeyRef r = {sk, m};
    uint64_t h = keys_hash(sk, m);
    size_t slot = htab_find(&s->sig_tab, h, sig_eq, s, &r);
    if (htab_id(&s->sig_tab, slot) != SCHED_NONE)
        return htab_id(&s->sig_tab, slot);
    SCHED_GROW(s->sig_keys, s->nsig_keys, s->sig_keys_cap, s->nsig_keys + m);
    memcpy(s->sig_keys + s->nsig_keys, sk, m * sizeof *sk);
    SCHED_GROW(s->sigs, s->nsigs, s->sigs_cap, s->nsigs + 1);
    uint32_t id = (uint32_t)s->nsigs++;
    s->sigs[id] = (Sig){h, (uint32_t)s->nsig_keys, m, prim};
    s->nsig_keys += m;
    htab_put(&s->sig_tab, slot, h, id);
    return id;
}

/* ---- nodes ---- */

typedef struct NodeKey {
    KeyRef r;
    uint32_t salt;
} NodeKey;

static int node_eq(const void *owner, uint32_t id, uint64_t h, const void *key)
{
    const Sched *s = owner;
    const NodeKey *nk = key;
    const Node *nd = &s->nodes[id];
    return nd->salt == nk->salt && nd->nkeys == nk->r.n &&
           !memcmp(s->keys + nd->key_off, nk->r.k, nk->r.n * sizeof *nk->r.k);
}

/* Python compares functions by identity: two statements of one call that
 * build a closure from the same parts make two different functions
 * (equality says False). So applications that may build a function (closure
 * constructors, and variable callees, whose result is only known when run)
 * merge only with the same statement of other unit-calls: the salt is the
 * statement's index. A batt's second call reuses the first call's closure,
 * as the interpreter does. */
static uint32_t identity_salt(const Stmt *st, size_t k)
{
    if (st->callee_prim && st->callee_prim->safe_default != SD_CALLABLE)
        return 0;
    return (uint32_t)k + 1;
}

static uint32_t node_level(const Sched *s, const uint64_t *kk, uint32_t nk)
{
    uint32_t level = 0;
    for (uint32_t a = 0; a < nk; a++)
        if (!key_is_atom(kk[a]) && s->nodes[key_node(kk[a])].level + 1 > level)
            level = s->nodes[key_node(kk[a])].level + 1;
    return level;
}

static inline uint64_t node_hash(const uint64_t *kk, uint32_t nk, uint32_t salt)
{
    return sched_mix(keys_hash(kk, nk), salt);
}

/* The node with these keys (h = node_hash of them), made when new. */
static uint32_t node_intern(Sched *s, const Prim *prim, const uint64_t *kk, uint32_t nk, uint32_t salt, uint64_t h)
{
    NodeKey key = {{kk, nk}, salt};
    size_t slot = htab_find(&s->node_tab, h, node_eq, s, &key);
    if (htab_id(&s->node_tab, slot) != SCHED_NONE)
        return htab_id(&s->node_tab, slot);
    if (s->nkeys + nk > s->keys_cap || s->nnodes + 1 > s->nodes_cap) {
        /* sized by layout: more would be a bug */
        fputs("battrace: internal error: the scheduler's node tables are full\n", stderr);
        abort();
    }
    memcpy(s->keys + s->nkeys, kk, nk * sizeof *kk);
    uint32_t id = (uint32_t)s->nnodes++;
    Node *nd = &s->nodes[id];
    memset(nd, 0, sizeof *nd);
    nd->hash = h;
    nd->prim = prim;
    nd->key_off = (uint32_t)s->nkeys;
    nd->nkeys = (uint8_t)nk;
    nd->salt = salt;
    nd->level = node_level(s, kk, nk);
    nd->occ_head = SCHED_NONE;
    s->nkeys += nk;
    nd->sig = sig_intern(s, prim, kk, nk); /* reads producers' nodes, never moves them */
    htab_put(&s->node_tab, slot, h, id);
    return id;
}

/* ---- programs and unit-calls ---- */

static uint16_t guard_mask(const Stmt *st)
{
    uint16_t m = 0;
    for (int e = 1; e < ERR__COUNT; e++)
        if (interp_catches(st, (Err)e))
            m |= (uint16_t)(1u << e);
    return m;
}

/* Which call statements' values the rows read: backwards from the end (a
 * solver's returned slot), a slot is live where an append reads it; a call
 * statement whose target is live there feeds the rows, and the assignment
 * ends that liveness above it. Call arguments are not reads here: nodes take
 * them from their producers, not from the variables. */
static void rows_liveness(const Program *p, uint8_t *feeds)
{
    uint8_t *live = xcalloc((size_t)p->nslots + 1, 1);
    if (p->kind == PROG_SOLVER && p->ret_slot >= 0)
        live[p->ret_slot] = 1;
    for (size_t k = p->nstmts; k-- > 0;) {
        const Stmt *st = &p->stmts[k];
        if (st->kind == ST_CALL) {
            feeds[k] = live[st->target];
            live[st->target] = 0;
            continue;
        }
        for (unsigned a = 0; a < st->nargs; a++)
            if (st->args[a].kind == ARG_VAR)
                live[st->args[a].slot] = 1;
    }
    free(live);
}

static void prog_info(SchedShared *sh, const Program *p, ProgInfo *pi)
{
    pi->fixed = xcalloc(p->nstmts * SCHED_MAXKEYS, sizeof *pi->fixed);
    pi->mask = xcalloc(p->nstmts, sizeof *pi->mask);
    for (size_t k = 0; k < p->nstmts; k++) {
        const Stmt *st = &p->stmts[k];
        uint64_t *f = pi->fixed + k * SCHED_MAXKEYS;
        if (st->kind != ST_CALL)
            continue;
        if (st->callee_prim)
            f[0] = atom_key(sh, prim_value(st->callee_prim));
        for (unsigned a = 0; a < st->nargs; a++) {
            if (st->args[a].kind == ARG_CONST)
                f[1 + a] = atom_key(sh, st->args[a].value);
            else if (st->args[a].kind == ARG_PRIM)
                f[1 + a] = atom_key(sh, prim_value(st->args[a].prim));
        }
        pi->mask[k] = guard_mask(st);
    }
    if (sh->is_batt) {
        pi->c_taint = xmalloc(p->nstmts + 1);
        interp_c_taint(p, pi->c_taint);
    }
    pi->feeds_rows = xcalloc(p->nstmts + 1, 1);
    rows_liveness(p, pi->feeds_rows);
}

static uint64_t arg_key(const Arg *a, const uint64_t *fixed, const uint64_t *slot_keys,
                        const uint64_t *in_keys)
{
    switch ((ArgKind)a->kind) {
    case ARG_VAR: return slot_keys[a->slot];
    case ARG_INPUT: return in_keys[a->slot];
    default: return *fixed;
    }
}

/* Record that global statement g of unit-call uc applies node n. */
static void add_occurrence(Sched *s, uint32_t uc, uint32_t g, uint32_t n)
{
    s->stmt_node[g] = n;
    s->occ_uc[g] = uc;
    s->occ_next[g] = s->nodes[n].occ_head;
    s->nodes[n].occ_head = g;
    s->nodes[n].uses++;
}

/* ---- the pass over the unit-calls ----
 * Statements of one unit-call depend on each other, so their lookups in the
 * node table (a cache miss each, in a table of millions) cannot overlap. The
 * unit-calls of a block of units are independent, so they advance in step,
 * statement k of every call of the block at once: first each one's keys and
 * hash, with the table slot prefetched, then (once the slots have arrived)
 * the probes, in the same order as before. */

#define BUILD_BLOCK 16

/* One unit-call being built in a block. */
typedef struct CallCursor {
    uint32_t uc;
    const Program *p;
    const ProgInfo *pi;
    uint64_t in_keys[5];
    uint64_t *slot_keys;
    const uint32_t *first; /* a batt's second call: the first call's nodes */
    /* statement k's pending lookup */
    uint64_t kk[SCHED_MAXKEYS], h;
    uint32_t nk, salt;
    int pending;
} CallCursor;

static void cursor_start(Sched *s, CallCursor *c, uint64_t none_key)
{
    for (int32_t k = 0; k < c->p->nslots; k++)
        c->slot_keys[k] = none_key; /* an unassigned variable reads as None, as in interp.c */
    s->alive[c->uc] = (uint32_t)c->p->nstmts;
}

static void bind(Sched *s, CallCursor *c, size_t k, uint32_t n)
{
    const Stmt *st = &c->p->stmts[k];
    add_occurrence(s, c->uc, s->uc_off[c->uc] + (uint32_t)k, n);
    c->slot_keys[st->target] = key_bind(n, c->pi->mask[k]);
}

/* Statement k of c: bound at once when it needs no lookup, else its keys
 * and hash made and its table slot prefetched. */
static void cursor_prepare(Sched *s, CallCursor *c, size_t k)
{
    const Stmt *st = &c->p->stmts[k];
    c->pending = 0;
    if (st->kind != ST_CALL) {
        s->stmt_node[s->uc_off[c->uc] + k] = SCHED_NONE;
        return;
    }
    /* a statement that does not depend on C has the same keys in a batt's
     * two calls: the first call's node, without hashing */
    if (c->first && !c->pi->c_taint[k] && c->first[k] != SCHED_NONE) {
        bind(s, c, k, c->first[k]);
        return;
    }
    const uint64_t *fixed = c->pi->fixed + k * SCHED_MAXKEYS;
    if (st->callee_prim)
        c->kk[0] = fixed[0];
    else
        c->kk[0] = st->callee_slot >= 0 ? c->slot_keys[st->callee_slot] : c->in_keys[-1 - st->callee_slot];
    for (unsigned a = 0; a < st->nargs; a++)
        c->kk[1 + a] = arg_key(&st->args[a], fixed + 1 + a, c->slot_keys, c->in_keys);
    c->nk = 1u + st->nargs;
    c->salt = identity_salt(st, k);
    c->h = node_hash(c->kk, c->nk, c->salt);
    __builtin_prefetch(&s->node_tab.slots[(size_t)c->h & (s->node_tab.cap - 1)]);
    c->pending = 1;
}

/* The slot has arrived: when it holds an entry of the same hash, the node
 * it names is most likely the one (a hit), so fetch it for the comparison. */
static void cursor_peek(const Sched *s, const CallCursor *c)
{
    if (!c->pending)
        return;
    const HSlot *sl = &s->node_tab.slots[(size_t)c->h & (s->node_tab.cap - 1)];
    if (sl->id != SCHED_NONE && sl->hash == c->h) {
        const Node *nd = &s->nodes[sl->id];
        __builtin_prefetch(nd);
        __builtin_prefetch(s->keys + nd->key_off);
    }
}

static void cursor_finish(Sched *s, CallCursor *c, size_t k)
{
    if (c->pending)
        bind(s, c, k, node_intern(s, c->p->stmts[k].callee_prim, c->kk, c->nk, c->salt, c->h));
}

/* The calls of a block, statement by statement in step. */
static void build_block(Sched *s, CallCursor *cs, size_t n, uint64_t none_key)
{
    size_t most = 0;
    for (size_t i = 0; i < n; i++) {
        cursor_start(s, &cs[i], none_key);
        if (cs[i].p->nstmts > most)
            most = cs[i].p->nstmts;
    }
    for (size_t k = 0; k < most; k++) {
        for (size_t i = 0; i < n; i++)
            if (k < cs[i].p->nstmts)
                cursor_prepare(s, &cs[i], k);
        for (size_t i = 0; i < n; i++)
            if (k < cs[i].p->nstmts)
                cursor_peek(s, &cs[i]);
        for (size_t i = 0; i < n; i++)
            if (k < cs[i].p->nstmts)
                cursor_finish(s, &cs[i], k);
    }
}

static size_t round16(size_t n) { return (n + 15u) & ~(size_t)15u; }

/* n items of `size` bytes of the window's memory: from the block reserved
 * for the window, or (past it: a second plan) from the arena itself. */
void *sched_window_alloc(Sched *s, size_t n, size_t size)
{
    SchedShared *sh = s->sh;
    size_t bytes = round16((n ? n : 1) * size);
    if (size % 64 == 0) /* whole cache lines (nodes): start on one */
        sh->win_used = (sh->win_used + 63u) & ~(size_t)63u;
    if (bytes > sh->win_cap - sh->win_used)
        return arena_alloc(&sh->mem, bytes);
    void *p = sh->win + sh->win_used;
    sh->win_used += bytes;
    return p;
}

static size_t node_table_cap(size_t nstmts)
{
    size_t cap = 1024; /* at most one node per statement: sized once, never rehashed */
    while (cap < 2 * nstmts)
        cap *= 2;
    return cap;
}

/* Reserve one block for all the tables of a window of nuc unit-calls, nstmts
 * statements and nkeys keys (what layout, the node table and a plan take).
 * One block, a quarter more than asked: windows differ in size, and tables
 * allocated one by one did not fit the chunks the last window left, so
 * every window faulted new pages in (merging the cross trace in 512-unit
 * windows: 37 ms; in one block: 26). */
static void reserve_window(Sched *s, size_t nunits, size_t nuc, size_t nstmts, size_t nkeys)
{
    SchedShared *sh = s->sh;
    size_t n = nstmts + 2, u32 = sizeof(uint32_t);
    size_t bytes = round16(nunits * sizeof(SchedUnit)) + 2 * round16((nuc + 1) * u32) +
                   3 * round16(n * u32) + round16(n * sizeof(Node)) + round16((nkeys + 1) * sizeof(uint64_t)) +
                   round16(node_table_cap(nstmts) * sizeof(HSlot)) + 7 * round16((n + 1) * u32);
    bytes += bytes / 4;
    /* the block starts on a cache line, and so do the nodes in it (one
     * line each: threads writing neighbouring nodes then share no line) */
    sh->win = (unsigned char *)(((uintptr_t)arena_alloc(&sh->mem, bytes + 64) + 63u) & ~(uintptr_t)63u);
    sh->win_cap = bytes;
    sh->win_used = 0;
}

/* Offsets of the unit-calls, and the window's tables sized for them. */
static void layout(Sched *s, size_t total, size_t keys)
{
    s->uc_off = sched_window_alloc(s, s->nuc + 1, sizeof *s->uc_off);
    size_t off = 0;
    for (size_t uc = 0; uc < s->nuc; uc++) {
        s->uc_off[uc] = (uint32_t)off;
        off += sched_uc_program(s, uc)->nstmts;
    }
    s->uc_off[s->nuc] = (uint32_t)off;
    s->nstmts = total;
    s->alive = sched_window_alloc(s, s->nuc, sizeof *s->alive);
    s->stmt_node = sched_window_alloc(s, total, sizeof *s->stmt_node);
    s->occ_next = sched_window_alloc(s, total, sizeof *s->occ_next);
    s->occ_uc = sched_window_alloc(s, total, sizeof *s->occ_uc);
    s->nodes_cap = total;
    s->nodes = sched_window_alloc(s, total, sizeof *s->nodes);
    s->keys_cap = keys;
    s->keys = sched_window_alloc(s, keys, sizeof *s->keys);
}

/* The program's ProgInfo, made the first time a window meets it. */
static const ProgInfo *program_info(SchedShared *sh, uint32_t program)
{
    ProgInfo *pi = &sh->pinfo[program];
    if (!pi->fixed)
        prog_info(sh, sh->programs[program], pi);
    return pi;
}

static void build_all(Sched *s)
{
    SchedShared *sh = s->sh;
    uint64_t *slot_keys = xmalloc(BUILD_BLOCK * (size_t)sh->maxslots * sizeof *slot_keys);
    CallCursor cs[BUILD_BLOCK];
    for (size_t u0 = 0; u0 < s->nunits; u0 += BUILD_BLOCK) {
        size_t n = s->nunits - u0 < BUILD_BLOCK ? s->nunits - u0 : BUILD_BLOCK;
        /* a batt's first call has C = None; its second the expected output,
         * after the first (it takes the first call's nodes) */
        for (int c = 0; c < s->ncalls; c++) {
            for (size_t i = 0; i < n; i++) {
                const SchedUnit *un = &s->units[u0 + i];
                size_t uc = (u0 + i) * (size_t)s->ncalls + (size_t)c;
                CallCursor *cc = &cs[i];
                cc->uc = (uint32_t)uc;
                cc->p = sh->programs[un->program];
                cc->pi = program_info(sh, un->program);
                cc->slot_keys = slot_keys + i * (size_t)sh->maxslots;
                cc->first = c == 1 ? s->stmt_node + s->uc_off[uc - 1] : NULL;
                cc->in_keys[INPUT_I] = atom_key(sh, un->I);
                cc->in_keys[INPUT_S] = atom_key(sh, un->S);
                cc->in_keys[INPUT_C] = sh->is_batt && c == 0 ? sh->none_key : atom_key(sh, un->C);
                cc->in_keys[INPUT_TASK_ID] = atom_key(sh, v_str(un->task_id ? un->task_id : ""));
                cc->in_keys[INPUT_LOG_PATH] = sh->log_key;
            }
            build_block(s, cs, n, sh->none_key);
        }
    }
    free(slot_keys);
}

SchedShared *sched_shared_new(const Program *const *programs, size_t nprograms, int is_batt)
{
    SchedShared *sh = xcalloc(1, sizeof *sh);
    sh->programs = programs;
    sh->nprograms = nprograms;
    sh->is_batt = is_batt;
    sh->maxslots = 1;
    for (size_t p = 0; p < nprograms; p++)
        if (programs[p]->nslots > sh->maxslots)
            sh->maxslots = programs[p]->nslots;
    sh->pinfo = xcalloc(nprograms ? nprograms : 1, sizeof *sh->pinfo);
    sh->call_keys = xcalloc(nprograms ? nprograms : 1, sizeof *sh->call_keys);
    for (size_t p = 0; p < nprograms; p++)
        for (size_t k = 0; k < programs[p]->nstmts; k++)
            if (programs[p]->stmts[k].kind == ST_CALL)
                sh->call_keys[p] += 1u + programs[p]->stmts[k].nargs;
    arena_init(&sh->mem);
    arena_keep(&sh->mem, SIZE_MAX);
    htab_init(&sh->atom_tab, 256);
    sh->none_key = atom_key(sh, v_none());
    sh->log_key = atom_key(sh, v_str("/dev/null"));
    return sh;
}

void sched_shared_free(SchedShared *sh)
{
    if (!sh)
        return;
    for (size_t p = 0; p < sh->nprograms; p++) {
        free(sh->pinfo[p].fixed);
        free(sh->pinfo[p].mask);
        free(sh->pinfo[p].c_taint);
        free(sh->pinfo[p].feeds_rows);
    }
    free(sh->pinfo);
    free(sh->call_keys);
    arena_free(&sh->mem);
    free(sh->atoms);
    htab_free(&sh->atom_tab);
    free(sh);
}

Sched *sched_build_in(SchedShared *sh, const SchedUnit *units, size_t nunits, double time_limit,
                      size_t mem_limit)
{
    uint64_t t0 = now_ns();
    if (sh->busy)
        return NULL;
    /* statements and keys of all unit-calls: beyond 32-bit indexes, no */
    size_t ncalls = sh->is_batt ? 2 : 1, total = 0, keys = 0;
    for (size_t u = 0; u < nunits; u++) {
        if (units[u].program >= sh->nprograms)
            return NULL;
        total += sh->programs[units[u].program]->nstmts * ncalls;
        keys += sh->call_keys[units[u].program] * ncalls;
        if (total >= SCHED_NONE)
            return NULL;
    }
    Sched *s = xcalloc(1, sizeof *s);
    s->sh = sh;
    sh->busy = 1;
    arena_reset(&sh->mem); /* the last window's tables: its Sched is freed */
    reserve_window(s, nunits, nunits * ncalls, total, keys);
    s->ncalls = (int)ncalls;
    s->units = sched_window_alloc(s, nunits, sizeof *s->units);
    if (nunits) /* units may be NULL then */
        memcpy(s->units, units, nunits * sizeof *units);
    s->nunits = nunits;
    s->nuc = nunits * (size_t)s->ncalls;
    s->time_limit = time_limit;
    s->mem_limit = mem_limit ? mem_limit : LIMIT_RUN_BYTES_DEFAULT;
    htab_init(&s->sig_tab, 256);
    layout(s, total, keys);
    htab_init_lent(s, &s->node_tab, node_table_cap(total));
    build_all(s);
    s->st.nodes = s->nnodes;
    for (size_t n = 0; n < s->nnodes; n++)
        s->st.statements += s->nodes[n].uses;
    s->st.build_ns = now_ns() - t0;
    return s;
}

Sched *sched_build(const Program *const *programs, size_t nprograms, int is_batt,
                   const SchedUnit *units, size_t nunits, double time_limit, size_t mem_limit)
{
    SchedShared *sh = sched_shared_new(programs, nprograms, is_batt);
    Sched *s = sched_build_in(sh, units, nunits, time_limit, mem_limit);
    if (!s) {
        sched_shared_free(sh);
        return NULL;
    }
    s->own_shared = 1;
    return s;
}

void sched_free(Sched *s)
{
    if (!s)
        return;
    if (s->own_arenas) {
        sched_arenas_free(s->own_arenas);
        free(s->own_arenas);
    }
    /* units, statements, nodes, keys and launches are in the window's arena */
    htab_free(&s->node_tab);
    free(s->sigs);
    htab_free(&s->sig_tab);
    free(s->sig_keys);
    s->sh->busy = 0;
    if (s->own_shared)
        sched_shared_free(s->sh);
    free(s);
}
