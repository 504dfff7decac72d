/* stubs.c: weak placeholders for primitives not yet implemented.
 *
 * Each op_<name> here is overridden by the real definition in its family file;
 * a primitive still missing fails with NotImplementedError, never silently.
 * tests/test_table.c checks that no stub is left. */
#include "ops.h"

int ops_stub_calls; /* counted so the table test can find the stubs */

__attribute__((weak)) Err op_identity(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_add(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_subtract(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_multiply(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_divide(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_invert(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_even(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_double(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_halve(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_flip(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_equality(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_contained(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_combine(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_intersection(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_difference(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_dedupe(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_order(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_repeat(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_greater(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_size(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_merge(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_maximum(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_minimum(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_valmax(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_valmin(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_argmax(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_argmin(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_mostcommon(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_leastcommon(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_initset(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_both(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_either(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_increment(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_decrement(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_crement(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_sign(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_positive(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_toivec(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_tojvec(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_sfilter(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_mfilter(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_extract(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_totuple(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_first(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_last(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_insert(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_remove(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_other(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_interval(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_astuple(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_product(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_pair(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_branch(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_compose(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_chain(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_matcher(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_rbind(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_lbind(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_power(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_fork(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_apply(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_rapply(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_mapply(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_papply(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_mpapply(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_prapply(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_mostcolor(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_leastcolor(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_height(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_width(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_shape(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_portrait(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_colorcount(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_colorfilter(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_sizefilter(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_asindices(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_ofcolor(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_ulcorner(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_urcorner(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_llcorner(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_lrcorner(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_crop(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_toindices(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_recolor(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_shift(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_normalize(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_dneighbors(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_ineighbors(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_neighbors(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_objects(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_partition(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_fgpartition(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_uppermost(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_lowermost(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_leftmost(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_rightmost(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_square(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_vline(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_hline(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_hmatching(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_vmatching(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_manhattan(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_adjacent(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_bordering(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_centerofmass(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_palette(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_numcolors(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_color(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_toobject(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_asobject(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_rot90(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_rot180(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_rot270(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_hmirror(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_vmirror(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_dmirror(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_cmirror(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_fill(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_paint(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_underfill(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_underpaint(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_hupscale(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_vupscale(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_upscale(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_downscale(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_hconcat(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_vconcat(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_subgrid(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_hsplit(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_vsplit(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_cellwise(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_replace(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_switch(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_center(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_position(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_index(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_canvas(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_corners(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_connect(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_cover(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_trim(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_move(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_tophalf(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_bottomhalf(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_lefthalf(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_righthalf(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_vfrontier(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_hfrontier(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_backdrop(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_delta(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_gravitate(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_inbox(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_outbox(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_box(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_shoot(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_occurrences(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_frontiers(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_compress(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_hperiod(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}

__attribute__((weak)) Err op_vperiod(Ctx *ctx, const Value *args, Value *out)
{
    (void)ctx, (void)args, (void)out;
    ops_stub_calls++;
    return ERR_UNSUPPORTED;
}
