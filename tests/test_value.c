/* test_value.c: the value model: packing, equality, canonical order, hashing;
 * the arenas and big tables values live in. */
#include "support.h"

#include <unistd.h>

#include "../runtime/encode.h"
#include "../runtime/func.h"
#include "../runtime/pyops.h"
#include "../runtime/xalloc.h"

Test(value, pairs_and_cells_pack)
{
    cr_assert_eq(V("(1, 2)").tag, VT_PAIR);
    cr_assert_eq(V("(3, (1, 2))").tag, VT_CELL);
    cr_assert_eq(V("(True, 2)").tag, VT_TUPLE, "a bool never packs");
    cr_assert_eq(V("(1, 2, 3)").tag, VT_TUPLE);
}

Test(value, python_equality)
{
    cr_assert(v_eq(V("(True, 2)"), V("(1, 2)")), "True == 1 inside tuples");
    cr_assert(v_eq(V("frozenset({1, True})"), V("frozenset({1})")));
    cr_assert(!v_eq(V("(1, 2)"), V("frozenset({1, 2})")));
    cr_assert(!v_eq(V("()"), V("frozenset()")));
    cr_assert(v_eq(V("identity"), V("identity")));
    cr_assert(!v_eq(V("identity"), V("flip")));
    cr_assert_eq(v_hash(V("(True, 2)")), v_hash(V("(1, 2)")));
    cr_assert_eq(v_hash(V("(5, (1, 2))")), v_hash(V("(5, (True, 2))")));
}

Test(value, canonical_order)
{
    /* ints < tuples < sets < functions; tuples lexicographic, shorter first */
    cr_assert_str_eq(R(V("{(1,), 3, frozenset({1}), (0, 5), identity, (0,)}")),
                     "frozenset({3, (0,), (0, 5), (1,), frozenset({1}), identity})");
    cr_assert_str_eq(R(V("{(2, (0, 0)), (1, (5, 5)), (1, (0, 1))}")),
                     "frozenset({(1, (0, 1)), (1, (5, 5)), (2, (0, 0))})");
    cr_assert_str_eq(R(V("{frozenset({2}), frozenset({1, 3}), frozenset()}")),
                     "frozenset({frozenset(), frozenset({1, 3}), frozenset({2})})");
}

Test(value, grid_flags)
{
    cr_assert(v_is_grid(V("((1, 2), (3, 4))")));
    cr_assert(v_is_grid(V("((1, 2, 3),)")));
    cr_assert(!v_is_grid(V("((1, 2), (3,))")), "ragged");
    cr_assert(!v_is_grid(V("((),)")), "empty rows");
    cr_assert(!v_is_grid(V("((True, 2),)")), "bool cells");
}

Test(pyops, comparisons_follow_python)
{
    bool r;
    cr_assert_eq(py_lt(V("(1, 2)"), V("(1, 3)"), &r), ERR_OK);
    cr_assert(r);
    cr_assert_eq(py_lt(V("(1,)"), V("(1, 0)"), &r), ERR_OK);
    cr_assert(r, "a prefix is smaller");
    cr_assert_eq(py_lt(V("1"), V("(1,)"), &r), ERR_TYPE);
    cr_assert_eq(py_lt(V("(1, 2)"), V("(1, (2,))"), &r), ERR_TYPE);
    cr_assert_eq(py_gt(V("{1, 2}"), V("{1}"), &r), ERR_OK);
    cr_assert(r, "proper superset");
    cr_assert_eq(py_gt(V("{1, 2}"), V("{3}"), &r), ERR_OK);
    cr_assert(!r, "sets that are not subsets are not ordered");
    cr_assert_eq(py_lt(V("None"), V("None"), &r), ERR_TYPE);
}

Test(pyops, arithmetic_follows_python)
{
    Ctx *ctx = t_ctx();
    Value out;
    cr_assert_eq(py_add(ctx, V("(1, 2)"), V("(3,)"), &out), ERR_OK);
    cr_assert_str_eq(R(out), "(1, 2, 3)");
    cr_assert_eq(py_add(ctx, V("True"), V("True"), &out), ERR_OK);
    cr_assert_str_eq(R(out), "2");
    cr_assert_eq(py_add(ctx, V("1"), V("(1,)"), &out), ERR_TYPE);
    cr_assert_eq(py_floordiv(V("-7"), V("2"), &out), ERR_OK);
    cr_assert_eq(out.u.i, -4);
    cr_assert_eq(py_floordiv(V("1"), V("0"), &out), ERR_ZERODIV);
    cr_assert_eq(py_mod(V("-7"), V("2"), &out), ERR_OK);
    cr_assert_eq(out.u.i, 1);
    cr_assert_eq(py_mul(ctx, V("(1, 2)"), V("2"), &out), ERR_OK);
    cr_assert_str_eq(R(out), "(1, 2, 1, 2)");
    cr_assert_eq(py_mul(ctx, V("9223372036854775807"), V("2"), &out), ERR_OVERFLOW);
    cr_assert_eq(py_and(ctx, V("True"), V("False"), &out), ERR_OK);
    cr_assert_str_eq(R(out), "False");
}

Test(pyops, indexing_and_unpacking)
{
    Ctx *ctx = t_ctx();
    Value out, a, b;
    cr_assert_eq(py_getitem_i(V("(4, 5, 6)"), -1, &out), ERR_OK);
    cr_assert_eq(out.u.i, 6);
    cr_assert_eq(py_getitem_i(V("()"), 0, &out), ERR_INDEX);
    cr_assert_eq(py_getitem_i(V("{1}"), 0, &out), ERR_TYPE);
    cr_assert_eq(py_getitem_i(V("5"), 0, &out), ERR_TYPE);
    cr_assert_eq(py_slice(ctx, V("(1, 2, 3, 4)"), V("-3"), V("3"), &out), ERR_OK);
    cr_assert_str_eq(R(out), "(2, 3)");
    cr_assert_eq(py_unpack2(V("{7, 3}"), &a, &b), ERR_OK, "a 2-set unpacks in canonical order");
    cr_assert_eq(a.u.i, 3);
    cr_assert_eq(py_unpack2(V("(1, 2, 3)"), &a, &b), ERR_VALUE);
    cr_assert_eq(py_unpack2(V("3"), &a, &b), ERR_TYPE);
}

Test(err, hierarchy)
{
    cr_assert_eq(err_caught_by(ERR_INDEX, "LookupError"), 1);
    cr_assert_eq(err_caught_by(ERR_RECURSION, "RuntimeError"), 1);
    cr_assert_eq(err_caught_by(ERR_STOPITER, "ValueError"), 0);
    cr_assert_eq(err_caught_by(ERR_STOPITER, "Exception"), 1);
    cr_assert_eq(err_caught_by(ERR_TYPE, "NoSuchError"), -1);
}

/* ---- arena marks ---- */

/* Rolling back drops exactly what came after the mark (a chunk boundary
 * crossed included), keeps what came before intact, hands the dropped
 * memory out again, and starts a new epoch (caches keyed on it must miss). */
Test(arena, rollback_drops_what_came_after_the_mark)
{
    Arena a;
    arena_init(&a);
    char *before = arena_alloc(&a, 100);
    memset(before, 'b', 100);
    ArenaMark m = arena_mark(&a);
    uint64_t epoch = a.epoch;
    char *small = arena_alloc(&a, 64);
    (void)arena_alloc(&a, 4u << 20); /* past the first chunk: a new one */
    cr_assert_gt(a.used, m.used + (4u << 20) - 1);
    arena_rollback(&a, m);
    cr_assert_eq(a.used, m.used);
    cr_assert_neq(a.epoch, epoch);
    for (int k = 0; k < 100; k++)
        cr_assert_eq(before[k], 'b');
    cr_assert(arena_owns(&a, before));
    cr_assert(!arena_owns(&a, small), "dropped memory is not the arena's any more");
    cr_assert_eq(arena_alloc(&a, 64), small, "the dropped memory is handed out again");
    ArenaMark empty = {0};
    arena_rollback(&a, empty); /* a mark taken before anything: everything goes */
    cr_assert_eq(a.used, 0);
    cr_assert(!arena_owns(&a, before));
    arena_free(&a);
}

/* A mark rebuilt from the arena's count alone is the mark taken then: in
 * the first chunk, after a shrink, in later chunks. Where a new chunk began
 * next, the end of the one and the start of the other are one state (what
 * comes after either is dropped), and the rebuilt mark is the latter. */
Test(arena, mark_rebuilt_from_the_count)
{
    Arena a;
    arena_init(&a);
    ArenaMark at[6];
    at[0] = arena_mark(&a); /* nothing yet */
    (void)arena_alloc(&a, 100);
    at[1] = arena_mark(&a);
    char *p = arena_alloc(&a, 1000);
    memset(p, 'p', 10);
    arena_shrink_last(&a, p, 1000, 10);
    at[2] = arena_mark(&a);
    (void)arena_alloc(&a, 3u << 20); /* past the first chunk: a chunk of its own */
    at[3] = arena_mark(&a);
    (void)arena_alloc(&a, 48);
    at[4] = arena_mark(&a);
    (void)arena_alloc(&a, 2u << 20); /* past that chunk's room: another */
    at[5] = arena_mark(&a);
    ArenaMark r = arena_mark_at(&a, 0);
    cr_assert(r.used == 0 && r.head == at[1].head && r.cur + 112 == at[1].cur, "before anything: the first chunk's start");
    for (int k = 1; k < 6; k++) {
        r = arena_mark_at(&a, at[k].used);
        cr_assert_eq(r.used, at[k].used);
        bool boundary = k < 5 && at[k + 1].head != at[k].head;
        if (boundary)
            cr_assert(r.head == at[k + 1].head, "mark %d: the next chunk's start", k);
        else
            cr_assert(r.head == at[k].head && r.cur == at[k].cur, "mark %d rebuilt", k);
    }
    cr_assert(at[3].head != at[2].head && at[5].head != at[4].head, "both boundaries were met");
    arena_rollback(&a, arena_mark_at(&a, at[1].used));
    cr_assert_eq(a.used, at[1].used);
    cr_assert(arena_alloc(&a, 16) == (void *)at[1].cur, "allocation goes on where the mark was");
    arena_free(&a);
}

/* Memory once faulted in is used again: a reset arena hands its chunk out
 * again, a freed arena's chunk goes to the next arena (replay makes one for
 * every window's rows), and a request past a chunk gets a chunk of its own
 * that a reset keeps. */
Test(arena, chunks_are_used_again)
{
    Arena a, b;
    arena_init(&a);
    char *first = arena_alloc(&a, 64);
    char *big = arena_alloc(&a, 5u << 20);
    cr_assert(arena_owns(&a, big));
    arena_reset(&a);
    cr_assert_eq(arena_alloc(&a, 64), first, "the first chunk is kept for the next run");
    cr_assert_eq(arena_alloc(&a, 5u << 20), big, "and so is the big one");
    arena_free(&a);
    arena_init(&b);
    char *again = arena_alloc(&b, 64);
    cr_assert(again == first || again == big, "a new arena takes a chunk the freed one gave back");
    arena_free(&b);
}

/* The VmFlags of the mapping holding p in /proc/self/smaps ("" when not
 * found): "hg" there means madvise(MADV_HUGEPAGE). */
static void vm_flags_of(const void *p, char flags[512])
{
    flags[0] = 0;
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return;
    char line[512];
    bool inside = false;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
            inside = (uintptr_t)p >= lo && (uintptr_t)p < hi;
        else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
            memcpy(flags, line + 8, strlen(line + 8) + 1);
            break;
        }
    }
    fclose(f);
}

/* Neither the arenas nor the big arrays ask for huge pages: on the virtual
 * machines battrace runs on, huge pages the host took back cost 4-12 ms a
 * megabyte to clear, and asking for them made cold starts 1.5 to 4 times
 * slower (arena.c). The system's own policy still applies. */
Test(arena, no_memory_is_advised_into_huge_pages)
{
    if (access("/proc/self/smaps", R_OK) != 0)
        cr_skip_test("no /proc/self/smaps here");
    Arena a;
    arena_init(&a);
    size_t cap = 0;
    uint64_t *room = grow_room(NULL, &cap, 10, sizeof *room, 1u << 20, 64);
    const void *blocks[] = {arena_alloc(&a, 64), arena_alloc(&a, 5u << 20), room};
    for (size_t k = 0; k < sizeof blocks / sizeof *blocks; k++) {
        char flags[512];
        vm_flags_of(blocks[k], flags);
        cr_assert(flags[0], "block %zu is in some mapping", k);
        cr_assert_null(strstr(flags, " hg"), "block %zu advised into huge pages: %s", k, flags);
    }
    free(room);
    arena_free(&a);
}

/* What replay keeps of a node's result when it drops the node's
 * temporaries: v_owned_bytes counts the parts made since the mark (a part
 * made before it, or shared, is not copied), up to a limit; v_relocate copies
 * exactly those, and the copy is equal to the original. */
Test(value, owned_bytes_and_relocation)
{
    Arena from, to;
    arena_init(&from);
    arena_init(&to);
    Ctx ctx;
    ctx_init(&ctx, &from);
    ctx.mem_limit = (size_t)-1;
    Value row, old, fresh, shared[2], outer;
    Value three[3] = {v_int(1), v_int(2), v_int(3)};
    cr_assert_eq(mk_tuple(&ctx, 3, three, &old), ERR_OK); /* before the mark */
    ArenaMark m = arena_mark(&from);
    cr_assert_eq(mk_tuple(&ctx, 3, three, &row), ERR_OK);
    shared[0] = shared[1] = row; /* one object twice, as a canvas's rows */
    cr_assert_eq(mk_tuple(&ctx, 2, shared, &fresh), ERR_OK);
    Value items[3] = {old, fresh, v_int(7)};
    cr_assert_eq(mk_tuple(&ctx, 3, items, &outer), ERR_OK);
    size_t seq3 = sizeof(Seq) + 3 * sizeof(Value), seq2 = sizeof(Seq) + 2 * sizeof(Value);
    size_t all = seq3 /* outer */ + seq2 /* fresh */ + seq3 /* row, counted once */;
    cr_assert_eq(v_owned_bytes(&from, m, outer, SIZE_MAX), all);
    cr_assert_eq(v_owned_bytes(&from, m, old, SIZE_MAX), 0, "made before the mark");
    size_t some = v_owned_bytes(&from, m, outer, seq3 + 1);
    cr_assert(some >= seq3 + 1 && some < all, "the walk stops past the limit: %zu", some);
    cr_assert_eq(v_owned_bytes(&from, m, outer, 1), seq3, "the first Seq is counted whole");
    size_t before = to.used;
    Value copy = outer;
    cr_assert(v_relocate(&to, &from, m, &copy));
    cr_assert_eq(to.used - before, all, "exactly the owned parts are copied");
    cr_assert(v_eq(copy, outer));
    cr_assert_eq(copy.u.seq->items[0].u.seq, old.u.seq, "a part made before the mark is shared");
    const Seq *c1 = copy.u.seq->items[1].u.seq;
    cr_assert(arena_owns(&to, c1) && arena_owns(&to, c1->items[0].u.seq));
    cr_assert_eq(c1->items[0].u.seq, c1->items[1].u.seq, "repeated rows stay one object");
    /* a closure made since the mark (rbind(combine, fresh)): its Func and
     * what it captured since the mark are counted (the primitive is
     * static), but not copied: a function is its address, and a result
     * holding it twice would hold two */
    Value caps[2] = {prim_value(&prim_table[P_combine]), fresh}, cl;
    cr_assert_eq(func_closure(&ctx, FN_RBIND, 1, 2, caps, 0, &cl), ERR_OK);
    size_t fn_bytes = sizeof(Func) + seq2 + seq3;
    cr_assert_eq(v_owned_bytes(&from, m, cl, SIZE_MAX), fn_bytes);
    Value twice[3] = {cl, v_int(1), cl}, pair;
    cr_assert_eq(mk_tuple(&ctx, 3, twice, &pair), ERR_OK);
    Value cl_copy = cl, pair_copy = pair;
    before = to.used;
    uint64_t epoch = to.epoch;
    cr_assert(!v_relocate(&to, &from, m, &cl_copy), "a new closure stays where it was made");
    cr_assert(!v_relocate(&to, &from, m, &pair_copy), "and so does a tuple holding one");
    cr_assert(cl_copy.u.fn == cl.u.fn && pair_copy.u.seq == pair.u.seq, "refused: the values as they were");
    cr_assert_eq(to.used, before, "and nothing left in `to`");
    cr_assert_neq(to.epoch, epoch, "(its copies rolled back)");
    cr_assert(v_eq(pair_copy.u.seq->items[0], pair_copy.u.seq->items[2]), "one function, equal to itself");
    /* made before the mark: nothing to copy, and nothing refused */
    ArenaMark m2 = arena_mark(&from);
    cr_assert_eq(v_owned_bytes(&from, m2, cl, SIZE_MAX), 0);
    cr_assert(v_relocate(&to, &from, m2, &cl_copy));
    cr_assert_eq(cl_copy.u.fn, cl.u.fn);
    arena_free(&to);
    arena_free(&from);
}

/* grow_room: the room first (no copy while within it), doubling past it,
 * and from `first` where the room is refused. */
Test(xalloc, grow_room_reserves_then_doubles)
{
    size_t cap = 0;
    uint64_t *p = grow_room(NULL, &cap, 10, sizeof *p, 1u << 20, 64);
    cr_assert_eq(cap, 1u << 20, "the room is granted at once");
    for (size_t k = 0; k < 1000; k++)
        p[k] = k * 7;
    cr_assert_eq(grow_room(p, &cap, 1000, sizeof *p, 1u << 20, 64), p, "within the room, nothing moves");
    p = grow_room(p, &cap, (1u << 20) + 1, sizeof *p, 1u << 20, 64);
    cr_assert_eq(cap, 2u << 20, "past the room, it doubles");
    for (size_t k = 0; k < 1000; k++)
        cr_assert_eq(p[k], k * 7, "item %zu kept", k);
    free(p);
#ifndef __SANITIZE_ADDRESS__ /* ASan aborts on an impossible size instead of returning NULL */
    cap = 0;
    size_t impossible = SIZE_MAX / sizeof *p / 2;
    p = grow_room(NULL, &cap, 10, sizeof *p, impossible, 64);
    cr_assert_eq(cap, 64, "a room that cannot be had: from `first`");
    p = grow_room(p, &cap, 65, sizeof *p, impossible, 64);
    cr_assert_eq(cap, 128);
    free(p);
#endif
}

/* The JSON of rows (SPEC section 6): int -> number, bool -> true/false,
 * tuple and grid -> list, frozenset -> {"set": [...]} in canonical order,
 * function -> {"fn": name}. Grid rows and cells have in-place writers of
 * their own; each shape goes through them here. */
static const char *json_of(const char *lit)
{
    static StrBuf b;
    sb_clear(&b);
    sb_json_value(&b, V(lit));
    return b.data ? b.data : "";
}

Test(value, json_encoding_of_each_shape)
{
    cr_assert_str_eq(json_of("None"), "null");
    cr_assert_str_eq(json_of("(True, False)"), "[true,false]");
    cr_assert_str_eq(json_of("-9223372036854775807"), "-9223372036854775807");
    cr_assert_str_eq(json_of("((0, 9, 10), (-1, 123, 5))"), "[[0,9,10],[-1,123,5]]");
    cr_assert_str_eq(json_of("((1, 2), (3, 4))"), "[[1,2],[3,4]]", "rows of two ints are packed pairs");
    cr_assert_str_eq(json_of("(3, (-1, 12))"), "[3,[-1,12]]", "a cell");
    cr_assert_str_eq(json_of("{(2, (0, 0)), (1, (5, 5))}"), "{\"set\":[[1,[5,5]],[2,[0,0]]]}");
    cr_assert_str_eq(json_of("(frozenset(), (), (1,))"), "[{\"set\":[]},[],[1]]");
    cr_assert_str_eq(json_of("identity"), "{\"fn\":\"identity\"}");
}
