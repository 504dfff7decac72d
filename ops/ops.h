/* ops.h: the DSL primitives and the table that describes each one once.
 *
 * Every primitive of arc-dsl's dsl.py is one row of prim_table (table.c):
 * its name, arity, batt safe default, and CPU implementation op_<name>. The
 * scheduler's batched variants and the CUDA kernels hang off the same row,
 * so adding a kernel is one entry. The implementations live in ops/ by
 * family; each follows dsl.py read with the canonical set order (SPEC 3-4),
 * including the exception class Python raises on mismatched kinds.
 *
 * Calling convention: args holds exactly `arity` values; on success the
 * primitive stores its result in *out and returns ERR_OK; on failure it
 * returns the Python exception class and leaves *out alone. */
#ifndef BATTRACE_OPS_H
#define BATTRACE_OPS_H

#include "../runtime/ctx.h"
#include "../runtime/func.h"
#include "../runtime/value.h"

/* What batt's _get_safe_default(prim) returns: from the declared return type. */
typedef enum SafeDefault { SD_TUPLE, SD_SET, SD_ZERO, SD_FALSE, SD_CALLABLE } SafeDefault;

typedef struct Prim {
    const char *name;
    uint8_t arity;
    uint8_t safe_default; /* SafeDefault */
    PrimFn fn;            /* CPU implementation */
} Prim;

typedef enum PrimId {
    P_identity,
    P_add,
    P_subtract,
    P_multiply,
    P_divide,
    P_invert,
    P_even,
    P_double,
    P_halve,
    P_flip,
    P_equality,
    P_contained,
    P_combine,
    P_intersection,
    P_difference,
    P_dedupe,
    P_order,
    P_repeat,
    P_greater,
    P_size,
    P_merge,
    P_maximum,
    P_minimum,
    P_valmax,
    P_valmin,
    P_argmax,
    P_argmin,
    P_mostcommon,
    P_leastcommon,
    P_initset,
    P_both,
    P_either,
    P_increment,
    P_decrement,
    P_crement,
    P_sign,
    P_positive,
    P_toivec,
    P_tojvec,
    P_sfilter,
    P_mfilter,
    P_extract,
    P_totuple,
    P_first,
    P_last,
    P_insert,
    P_remove,
    P_other,
    P_interval,
    P_astuple,
    P_product,
    P_pair,
    P_branch,
    P_compose,
    P_chain,
    P_matcher,
    P_rbind,
    P_lbind,
    P_power,
    P_fork,
    P_apply,
    P_rapply,
    P_mapply,
    P_papply,
    P_mpapply,
    P_prapply,
    P_mostcolor,
    P_leastcolor,
    P_height,
    P_width,
    P_shape,
    P_portrait,
    P_colorcount,
    P_colorfilter,
    P_sizefilter,
    P_asindices,
    P_ofcolor,
    P_ulcorner,
    P_urcorner,
    P_llcorner,
    P_lrcorner,
    P_crop,
    P_toindices,
    P_recolor,
    P_shift,
    P_normalize,
    P_dneighbors,
    P_ineighbors,
    P_neighbors,
    P_objects,
    P_partition,
    P_fgpartition,
    P_uppermost,
    P_lowermost,
    P_leftmost,
    P_rightmost,
    P_square,
    P_vline,
    P_hline,
    P_hmatching,
    P_vmatching,
    P_manhattan,
    P_adjacent,
    P_bordering,
    P_centerofmass,
    P_palette,
    P_numcolors,
    P_color,
    P_toobject,
    P_asobject,
    P_rot90,
    P_rot180,
    P_rot270,
    P_hmirror,
    P_vmirror,
    P_dmirror,
    P_cmirror,
    P_fill,
    P_paint,
    P_underfill,
    P_underpaint,
    P_hupscale,
    P_vupscale,
    P_upscale,
    P_downscale,
    P_hconcat,
    P_vconcat,
    P_subgrid,
    P_hsplit,
    P_vsplit,
    P_cellwise,
    P_replace,
    P_switch,
    P_center,
    P_position,
    P_index,
    P_canvas,
    P_corners,
    P_connect,
    P_cover,
    P_trim,
    P_move,
    P_tophalf,
    P_bottomhalf,
    P_lefthalf,
    P_righthalf,
    P_vfrontier,
    P_hfrontier,
    P_backdrop,
    P_delta,
    P_gravitate,
    P_inbox,
    P_outbox,
    P_box,
    P_shoot,
    P_occurrences,
    P_frontiers,
    P_compress,
    P_hperiod,
    P_vperiod,    P__COUNT
} PrimId;

extern const Prim prim_table[P__COUNT];

/* The primitive called name, or NULL. */
const Prim *prim_lookup(const char *name);
/* The function value of a primitive (one static value each: identity holds). */
Value prim_value(const Prim *p);
/* The value _get_safe_default gives for a callee holding value f: the default
 * of a primitive's declared return type, () for anything else. */
Value safe_default_of(Value f);

Err op_identity(Ctx *ctx, const Value *args, Value *out);
Err op_add(Ctx *ctx, const Value *args, Value *out);
Err op_subtract(Ctx *ctx, const Value *args, Value *out);
Err op_multiply(Ctx *ctx, const Value *args, Value *out);
Err op_divide(Ctx *ctx, const Value *args, Value *out);
Err op_invert(Ctx *ctx, const Value *args, Value *out);
Err op_even(Ctx *ctx, const Value *args, Value *out);
Err op_double(Ctx *ctx, const Value *args, Value *out);
Err op_halve(Ctx *ctx, const Value *args, Value *out);
Err op_flip(Ctx *ctx, const Value *args, Value *out);
Err op_equality(Ctx *ctx, const Value *args, Value *out);
Err op_contained(Ctx *ctx, const Value *args, Value *out);
Err op_combine(Ctx *ctx, const Value *args, Value *out);
Err op_intersection(Ctx *ctx, const Value *args, Value *out);
Err op_difference(Ctx *ctx, const Value *args, Value *out);
Err op_dedupe(Ctx *ctx, const Value *args, Value *out);
Err op_order(Ctx *ctx, const Value *args, Value *out);
Err op_repeat(Ctx *ctx, const Value *args, Value *out);
Err op_greater(Ctx *ctx, const Value *args, Value *out);
Err op_size(Ctx *ctx, const Value *args, Value *out);
Err op_merge(Ctx *ctx, const Value *args, Value *out);
Err op_maximum(Ctx *ctx, const Value *args, Value *out);
Err op_minimum(Ctx *ctx, const Value *args, Value *out);
Err op_valmax(Ctx *ctx, const Value *args, Value *out);
Err op_valmin(Ctx *ctx, const Value *args, Value *out);
Err op_argmax(Ctx *ctx, const Value *args, Value *out);
Err op_argmin(Ctx *ctx, const Value *args, Value *out);
Err op_mostcommon(Ctx *ctx, const Value *args, Value *out);
Err op_leastcommon(Ctx *ctx, const Value *args, Value *out);
Err op_initset(Ctx *ctx, const Value *args, Value *out);
Err op_both(Ctx *ctx, const Value *args, Value *out);
Err op_either(Ctx *ctx, const Value *args, Value *out);
Err op_increment(Ctx *ctx, const Value *args, Value *out);
Err op_decrement(Ctx *ctx, const Value *args, Value *out);
Err op_crement(Ctx *ctx, const Value *args, Value *out);
Err op_sign(Ctx *ctx, const Value *args, Value *out);
Err op_positive(Ctx *ctx, const Value *args, Value *out);
Err op_toivec(Ctx *ctx, const Value *args, Value *out);
Err op_tojvec(Ctx *ctx, const Value *args, Value *out);
Err op_sfilter(Ctx *ctx, const Value *args, Value *out);
Err op_mfilter(Ctx *ctx, const Value *args, Value *out);
Err op_extract(Ctx *ctx, const Value *args, Value *out);
Err op_totuple(Ctx *ctx, const Value *args, Value *out);
Err op_first(Ctx *ctx, const Value *args, Value *out);
Err op_last(Ctx *ctx, const Value *args, Value *out);
Err op_insert(Ctx *ctx, const Value *args, Value *out);
Err op_remove(Ctx *ctx, const Value *args, Value *out);
Err op_other(Ctx *ctx, const Value *args, Value *out);
Err op_interval(Ctx *ctx, const Value *args, Value *out);
Err op_astuple(Ctx *ctx, const Value *args, Value *out);
Err op_product(Ctx *ctx, const Value *args, Value *out);
Err op_pair(Ctx *ctx, const Value *args, Value *out);
Err op_branch(Ctx *ctx, const Value *args, Value *out);
Err op_compose(Ctx *ctx, const Value *args, Value *out);
Err op_chain(Ctx *ctx, const Value *args, Value *out);
Err op_matcher(Ctx *ctx, const Value *args, Value *out);
Err op_rbind(Ctx *ctx, const Value *args, Value *out);
Err op_lbind(Ctx *ctx, const Value *args, Value *out);
Err op_power(Ctx *ctx, const Value *args, Value *out);
Err op_fork(Ctx *ctx, const Value *args, Value *out);
Err op_apply(Ctx *ctx, const Value *args, Value *out);
Err op_rapply(Ctx *ctx, const Value *args, Value *out);
Err op_mapply(Ctx *ctx, const Value *args, Value *out);
Err op_papply(Ctx *ctx, const Value *args, Value *out);
Err op_mpapply(Ctx *ctx, const Value *args, Value *out);
Err op_prapply(Ctx *ctx, const Value *args, Value *out);
Err op_mostcolor(Ctx *ctx, const Value *args, Value *out);
Err op_leastcolor(Ctx *ctx, const Value *args, Value *out);
Err op_height(Ctx *ctx, const Value *args, Value *out);
Err op_width(Ctx *ctx, const Value *args, Value *out);
Err op_shape(Ctx *ctx, const Value *args, Value *out);
Err op_portrait(Ctx *ctx, const Value *args, Value *out);
Err op_colorcount(Ctx *ctx, const Value *args, Value *out);
Err op_colorfilter(Ctx *ctx, const Value *args, Value *out);
Err op_sizefilter(Ctx *ctx, const Value *args, Value *out);
Err op_asindices(Ctx *ctx, const Value *args, Value *out);
Err op_ofcolor(Ctx *ctx, const Value *args, Value *out);
Err op_ulcorner(Ctx *ctx, const Value *args, Value *out);
Err op_urcorner(Ctx *ctx, const Value *args, Value *out);
Err op_llcorner(Ctx *ctx, const Value *args, Value *out);
Err op_lrcorner(Ctx *ctx, const Value *args, Value *out);
Err op_crop(Ctx *ctx, const Value *args, Value *out);
Err op_toindices(Ctx *ctx, const Value *args, Value *out);
Err op_recolor(Ctx *ctx, const Value *args, Value *out);
Err op_shift(Ctx *ctx, const Value *args, Value *out);
Err op_normalize(Ctx *ctx, const Value *args, Value *out);
Err op_dneighbors(Ctx *ctx, const Value *args, Value *out);
Err op_ineighbors(Ctx *ctx, const Value *args, Value *out);
Err op_neighbors(Ctx *ctx, const Value *args, Value *out);
Err op_objects(Ctx *ctx, const Value *args, Value *out);
Err op_partition(Ctx *ctx, const Value *args, Value *out);
Err op_fgpartition(Ctx *ctx, const Value *args, Value *out);
Err op_uppermost(Ctx *ctx, const Value *args, Value *out);
Err op_lowermost(Ctx *ctx, const Value *args, Value *out);
Err op_leftmost(Ctx *ctx, const Value *args, Value *out);
Err op_rightmost(Ctx *ctx, const Value *args, Value *out);
Err op_square(Ctx *ctx, const Value *args, Value *out);
Err op_vline(Ctx *ctx, const Value *args, Value *out);
Err op_hline(Ctx *ctx, const Value *args, Value *out);
Err op_hmatching(Ctx *ctx, const Value *args, Value *out);
Err op_vmatching(Ctx *ctx, const Value *args, Value *out);
Err op_manhattan(Ctx *ctx, const Value *args, Value *out);
Err op_adjacent(Ctx *ctx, const Value *args, Value *out);
Err op_bordering(Ctx *ctx, const Value *args, Value *out);
Err op_centerofmass(Ctx *ctx, const Value *args, Value *out);
Err op_palette(Ctx *ctx, const Value *args, Value *out);
Err op_numcolors(Ctx *ctx, const Value *args, Value *out);
Err op_color(Ctx *ctx, const Value *args, Value *out);
Err op_toobject(Ctx *ctx, const Value *args, Value *out);
Err op_asobject(Ctx *ctx, const Value *args, Value *out);
Err op_rot90(Ctx *ctx, const Value *args, Value *out);
Err op_rot180(Ctx *ctx, const Value *args, Value *out);
Err op_rot270(Ctx *ctx, const Value *args, Value *out);
Err op_hmirror(Ctx *ctx, const Value *args, Value *out);
Err op_vmirror(Ctx *ctx, const Value *args, Value *out);
Err op_dmirror(Ctx *ctx, const Value *args, Value *out);
Err op_cmirror(Ctx *ctx, const Value *args, Value *out);
Err op_fill(Ctx *ctx, const Value *args, Value *out);
Err op_paint(Ctx *ctx, const Value *args, Value *out);
Err op_underfill(Ctx *ctx, const Value *args, Value *out);
Err op_underpaint(Ctx *ctx, const Value *args, Value *out);
Err op_hupscale(Ctx *ctx, const Value *args, Value *out);
Err op_vupscale(Ctx *ctx, const Value *args, Value *out);
Err op_upscale(Ctx *ctx, const Value *args, Value *out);
Err op_downscale(Ctx *ctx, const Value *args, Value *out);
Err op_hconcat(Ctx *ctx, const Value *args, Value *out);
Err op_vconcat(Ctx *ctx, const Value *args, Value *out);
Err op_subgrid(Ctx *ctx, const Value *args, Value *out);
Err op_hsplit(Ctx *ctx, const Value *args, Value *out);
Err op_vsplit(Ctx *ctx, const Value *args, Value *out);
Err op_cellwise(Ctx *ctx, const Value *args, Value *out);
Err op_replace(Ctx *ctx, const Value *args, Value *out);
Err op_switch(Ctx *ctx, const Value *args, Value *out);
Err op_center(Ctx *ctx, const Value *args, Value *out);
Err op_position(Ctx *ctx, const Value *args, Value *out);
Err op_index(Ctx *ctx, const Value *args, Value *out);
Err op_canvas(Ctx *ctx, const Value *args, Value *out);
Err op_corners(Ctx *ctx, const Value *args, Value *out);
Err op_connect(Ctx *ctx, const Value *args, Value *out);
Err op_cover(Ctx *ctx, const Value *args, Value *out);
Err op_trim(Ctx *ctx, const Value *args, Value *out);
Err op_move(Ctx *ctx, const Value *args, Value *out);
Err op_tophalf(Ctx *ctx, const Value *args, Value *out);
Err op_bottomhalf(Ctx *ctx, const Value *args, Value *out);
Err op_lefthalf(Ctx *ctx, const Value *args, Value *out);
Err op_righthalf(Ctx *ctx, const Value *args, Value *out);
Err op_vfrontier(Ctx *ctx, const Value *args, Value *out);
Err op_hfrontier(Ctx *ctx, const Value *args, Value *out);
Err op_backdrop(Ctx *ctx, const Value *args, Value *out);
Err op_delta(Ctx *ctx, const Value *args, Value *out);
Err op_gravitate(Ctx *ctx, const Value *args, Value *out);
Err op_inbox(Ctx *ctx, const Value *args, Value *out);
Err op_outbox(Ctx *ctx, const Value *args, Value *out);
Err op_box(Ctx *ctx, const Value *args, Value *out);
Err op_shoot(Ctx *ctx, const Value *args, Value *out);
Err op_occurrences(Ctx *ctx, const Value *args, Value *out);
Err op_frontiers(Ctx *ctx, const Value *args, Value *out);
Err op_compress(Ctx *ctx, const Value *args, Value *out);
Err op_hperiod(Ctx *ctx, const Value *args, Value *out);
Err op_vperiod(Ctx *ctx, const Value *args, Value *out);

#endif
