/* table.c: one row per arc-dsl primitive (see ops.h).
 *
 * Names, arities and safe defaults are the facts of dsl.py's signatures and of
 * tools/safe_dsl.py's table in ../shared; the comment gives the declared
 * return type the safe default comes from. */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

const Prim prim_table[P__COUNT] = {
    [P_identity] = {"identity", 1, SD_TUPLE, op_identity},  /* -> Any */
    [P_add] = {"add", 2, SD_TUPLE, op_add},  /* -> Numerical */
    [P_subtract] = {"subtract", 2, SD_TUPLE, op_subtract},  /* -> Numerical */
    [P_multiply] = {"multiply", 2, SD_TUPLE, op_multiply},  /* -> Numerical */
    [P_divide] = {"divide", 2, SD_TUPLE, op_divide},  /* -> Numerical */
    [P_invert] = {"invert", 1, SD_TUPLE, op_invert},  /* -> Numerical */
    [P_even] = {"even", 1, SD_FALSE, op_even},  /* -> Boolean */
    [P_double] = {"double", 1, SD_TUPLE, op_double},  /* -> Numerical */
    [P_halve] = {"halve", 1, SD_TUPLE, op_halve},  /* -> Numerical */
    [P_flip] = {"flip", 1, SD_FALSE, op_flip},  /* -> Boolean */
    [P_equality] = {"equality", 2, SD_FALSE, op_equality},  /* -> Boolean */
    [P_contained] = {"contained", 2, SD_FALSE, op_contained},  /* -> Boolean */
    [P_combine] = {"combine", 2, SD_TUPLE, op_combine},  /* -> Container */
    [P_intersection] = {"intersection", 2, SD_SET, op_intersection},  /* -> FrozenSet */
    [P_difference] = {"difference", 2, SD_SET, op_difference},  /* -> FrozenSet */
    [P_dedupe] = {"dedupe", 1, SD_TUPLE, op_dedupe},  /* -> Tuple */
    [P_order] = {"order", 2, SD_TUPLE, op_order},  /* -> Tuple */
    [P_repeat] = {"repeat", 2, SD_TUPLE, op_repeat},  /* -> Tuple */
    [P_greater] = {"greater", 2, SD_FALSE, op_greater},  /* -> Boolean */
    [P_size] = {"size", 1, SD_ZERO, op_size},  /* -> Integer */
    [P_merge] = {"merge", 1, SD_TUPLE, op_merge},  /* -> Container */
    [P_maximum] = {"maximum", 1, SD_ZERO, op_maximum},  /* -> Integer */
    [P_minimum] = {"minimum", 1, SD_ZERO, op_minimum},  /* -> Integer */
    [P_valmax] = {"valmax", 2, SD_ZERO, op_valmax},  /* -> Integer */
    [P_valmin] = {"valmin", 2, SD_ZERO, op_valmin},  /* -> Integer */
    [P_argmax] = {"argmax", 2, SD_TUPLE, op_argmax},  /* -> Any */
    [P_argmin] = {"argmin", 2, SD_TUPLE, op_argmin},  /* -> Any */
    [P_mostcommon] = {"mostcommon", 1, SD_TUPLE, op_mostcommon},  /* -> Any */
    [P_leastcommon] = {"leastcommon", 1, SD_TUPLE, op_leastcommon},  /* -> Any */
    [P_initset] = {"initset", 1, SD_SET, op_initset},  /* -> FrozenSet */
    [P_both] = {"both", 2, SD_FALSE, op_both},  /* -> Boolean */
    [P_either] = {"either", 2, SD_FALSE, op_either},  /* -> Boolean */
    [P_increment] = {"increment", 1, SD_TUPLE, op_increment},  /* -> Numerical */
    [P_decrement] = {"decrement", 1, SD_TUPLE, op_decrement},  /* -> Numerical */
    [P_crement] = {"crement", 1, SD_TUPLE, op_crement},  /* -> Numerical */
    [P_sign] = {"sign", 1, SD_TUPLE, op_sign},  /* -> Numerical */
    [P_positive] = {"positive", 1, SD_FALSE, op_positive},  /* -> Boolean */
    [P_toivec] = {"toivec", 1, SD_TUPLE, op_toivec},  /* -> IntegerTuple */
    [P_tojvec] = {"tojvec", 1, SD_TUPLE, op_tojvec},  /* -> IntegerTuple */
    [P_sfilter] = {"sfilter", 2, SD_TUPLE, op_sfilter},  /* -> Container */
    [P_mfilter] = {"mfilter", 2, SD_SET, op_mfilter},  /* -> FrozenSet */
    [P_extract] = {"extract", 2, SD_TUPLE, op_extract},  /* -> Any */
    [P_totuple] = {"totuple", 1, SD_TUPLE, op_totuple},  /* -> Tuple */
    [P_first] = {"first", 1, SD_TUPLE, op_first},  /* -> Any */
    [P_last] = {"last", 1, SD_TUPLE, op_last},  /* -> Any */
    [P_insert] = {"insert", 2, SD_SET, op_insert},  /* -> FrozenSet */
    [P_remove] = {"remove", 2, SD_TUPLE, op_remove},  /* -> Container */
    [P_other] = {"other", 2, SD_TUPLE, op_other},  /* -> Any */
    [P_interval] = {"interval", 3, SD_TUPLE, op_interval},  /* -> Tuple */
    [P_astuple] = {"astuple", 2, SD_TUPLE, op_astuple},  /* -> IntegerTuple */
    [P_product] = {"product", 2, SD_SET, op_product},  /* -> FrozenSet */
    [P_pair] = {"pair", 2, SD_TUPLE, op_pair},  /* -> TupleTuple */
    [P_branch] = {"branch", 3, SD_TUPLE, op_branch},  /* -> Any */
    [P_compose] = {"compose", 2, SD_CALLABLE, op_compose},  /* -> Callable */
    [P_chain] = {"chain", 3, SD_CALLABLE, op_chain},  /* -> Callable */
    [P_matcher] = {"matcher", 2, SD_CALLABLE, op_matcher},  /* -> Callable */
    [P_rbind] = {"rbind", 2, SD_CALLABLE, op_rbind},  /* -> Callable */
    [P_lbind] = {"lbind", 2, SD_CALLABLE, op_lbind},  /* -> Callable */
    [P_power] = {"power", 2, SD_CALLABLE, op_power},  /* -> Callable */
    [P_fork] = {"fork", 3, SD_CALLABLE, op_fork},  /* -> Callable */
    [P_apply] = {"apply", 2, SD_TUPLE, op_apply},  /* -> Container */
    [P_rapply] = {"rapply", 2, SD_TUPLE, op_rapply},  /* -> Container */
    [P_mapply] = {"mapply", 2, SD_SET, op_mapply},  /* -> FrozenSet */
    [P_papply] = {"papply", 3, SD_TUPLE, op_papply},  /* -> Tuple */
    [P_mpapply] = {"mpapply", 3, SD_TUPLE, op_mpapply},  /* -> Tuple */
    [P_prapply] = {"prapply", 3, SD_SET, op_prapply},  /* -> FrozenSet */
    [P_mostcolor] = {"mostcolor", 1, SD_ZERO, op_mostcolor},  /* -> Integer */
    [P_leastcolor] = {"leastcolor", 1, SD_ZERO, op_leastcolor},  /* -> Integer */
    [P_height] = {"height", 1, SD_ZERO, op_height},  /* -> Integer */
    [P_width] = {"width", 1, SD_ZERO, op_width},  /* -> Integer */
    [P_shape] = {"shape", 1, SD_TUPLE, op_shape},  /* -> IntegerTuple */
    [P_portrait] = {"portrait", 1, SD_FALSE, op_portrait},  /* -> Boolean */
    [P_colorcount] = {"colorcount", 2, SD_ZERO, op_colorcount},  /* -> Integer */
    [P_colorfilter] = {"colorfilter", 2, SD_SET, op_colorfilter},  /* -> Objects */
    [P_sizefilter] = {"sizefilter", 2, SD_SET, op_sizefilter},  /* -> FrozenSet */
    [P_asindices] = {"asindices", 1, SD_SET, op_asindices},  /* -> Indices */
    [P_ofcolor] = {"ofcolor", 2, SD_SET, op_ofcolor},  /* -> Indices */
    [P_ulcorner] = {"ulcorner", 1, SD_TUPLE, op_ulcorner},  /* -> IntegerTuple */
    [P_urcorner] = {"urcorner", 1, SD_TUPLE, op_urcorner},  /* -> IntegerTuple */
    [P_llcorner] = {"llcorner", 1, SD_TUPLE, op_llcorner},  /* -> IntegerTuple */
    [P_lrcorner] = {"lrcorner", 1, SD_TUPLE, op_lrcorner},  /* -> IntegerTuple */
    [P_crop] = {"crop", 3, SD_TUPLE, op_crop},  /* -> Grid */
    [P_toindices] = {"toindices", 1, SD_SET, op_toindices},  /* -> Indices */
    [P_recolor] = {"recolor", 2, SD_SET, op_recolor},  /* -> Object */
    [P_shift] = {"shift", 2, SD_SET, op_shift},  /* -> Patch */
    [P_normalize] = {"normalize", 1, SD_SET, op_normalize},  /* -> Patch */
    [P_dneighbors] = {"dneighbors", 1, SD_SET, op_dneighbors},  /* -> Indices */
    [P_ineighbors] = {"ineighbors", 1, SD_SET, op_ineighbors},  /* -> Indices */
    [P_neighbors] = {"neighbors", 1, SD_SET, op_neighbors},  /* -> Indices */
    [P_objects] = {"objects", 4, SD_SET, op_objects},  /* -> Objects */
    [P_partition] = {"partition", 1, SD_SET, op_partition},  /* -> Objects */
    [P_fgpartition] = {"fgpartition", 1, SD_SET, op_fgpartition},  /* -> Objects */
    [P_uppermost] = {"uppermost", 1, SD_ZERO, op_uppermost},  /* -> Integer */
    [P_lowermost] = {"lowermost", 1, SD_ZERO, op_lowermost},  /* -> Integer */
    [P_leftmost] = {"leftmost", 1, SD_ZERO, op_leftmost},  /* -> Integer */
    [P_rightmost] = {"rightmost", 1, SD_ZERO, op_rightmost},  /* -> Integer */
    [P_square] = {"square", 1, SD_FALSE, op_square},  /* -> Boolean */
    [P_vline] = {"vline", 1, SD_FALSE, op_vline},  /* -> Boolean */
    [P_hline] = {"hline", 1, SD_FALSE, op_hline},  /* -> Boolean */
    [P_hmatching] = {"hmatching", 2, SD_FALSE, op_hmatching},  /* -> Boolean */
    [P_vmatching] = {"vmatching", 2, SD_FALSE, op_vmatching},  /* -> Boolean */
    [P_manhattan] = {"manhattan", 2, SD_ZERO, op_manhattan},  /* -> Integer */
    [P_adjacent] = {"adjacent", 2, SD_FALSE, op_adjacent},  /* -> Boolean */
    [P_bordering] = {"bordering", 2, SD_FALSE, op_bordering},  /* -> Boolean */
    [P_centerofmass] = {"centerofmass", 1, SD_TUPLE, op_centerofmass},  /* -> IntegerTuple */
    [P_palette] = {"palette", 1, SD_SET, op_palette},  /* -> IntegerSet */
    [P_numcolors] = {"numcolors", 1, SD_SET, op_numcolors},  /* -> IntegerSet */
    [P_color] = {"color", 1, SD_ZERO, op_color},  /* -> Integer */
    [P_toobject] = {"toobject", 2, SD_SET, op_toobject},  /* -> Object */
    [P_asobject] = {"asobject", 1, SD_SET, op_asobject},  /* -> Object */
    [P_rot90] = {"rot90", 1, SD_TUPLE, op_rot90},  /* -> Grid */
    [P_rot180] = {"rot180", 1, SD_TUPLE, op_rot180},  /* -> Grid */
    [P_rot270] = {"rot270", 1, SD_TUPLE, op_rot270},  /* -> Grid */
    [P_hmirror] = {"hmirror", 1, SD_SET, op_hmirror},  /* -> Piece */
    [P_vmirror] = {"vmirror", 1, SD_SET, op_vmirror},  /* -> Piece */
    [P_dmirror] = {"dmirror", 1, SD_SET, op_dmirror},  /* -> Piece */
    [P_cmirror] = {"cmirror", 1, SD_SET, op_cmirror},  /* -> Piece */
    [P_fill] = {"fill", 3, SD_TUPLE, op_fill},  /* -> Grid */
    [P_paint] = {"paint", 2, SD_TUPLE, op_paint},  /* -> Grid */
    [P_underfill] = {"underfill", 3, SD_TUPLE, op_underfill},  /* -> Grid */
    [P_underpaint] = {"underpaint", 2, SD_TUPLE, op_underpaint},  /* -> Grid */
    [P_hupscale] = {"hupscale", 2, SD_TUPLE, op_hupscale},  /* -> Grid */
    [P_vupscale] = {"vupscale", 2, SD_TUPLE, op_vupscale},  /* -> Grid */
    [P_upscale] = {"upscale", 2, SD_SET, op_upscale},  /* -> Element */
    [P_downscale] = {"downscale", 2, SD_TUPLE, op_downscale},  /* -> Grid */
    [P_hconcat] = {"hconcat", 2, SD_TUPLE, op_hconcat},  /* -> Grid */
    [P_vconcat] = {"vconcat", 2, SD_TUPLE, op_vconcat},  /* -> Grid */
    [P_subgrid] = {"subgrid", 2, SD_TUPLE, op_subgrid},  /* -> Grid */
    [P_hsplit] = {"hsplit", 2, SD_TUPLE, op_hsplit},  /* -> Tuple */
    [P_vsplit] = {"vsplit", 2, SD_TUPLE, op_vsplit},  /* -> Tuple */
    [P_cellwise] = {"cellwise", 3, SD_TUPLE, op_cellwise},  /* -> Grid */
    [P_replace] = {"replace", 3, SD_TUPLE, op_replace},  /* -> Grid */
    [P_switch] = {"switch", 3, SD_TUPLE, op_switch},  /* -> Grid */
    [P_center] = {"center", 1, SD_TUPLE, op_center},  /* -> IntegerTuple */
    [P_position] = {"position", 2, SD_TUPLE, op_position},  /* -> IntegerTuple */
    [P_index] = {"index", 2, SD_ZERO, op_index},  /* -> Integer */
    [P_canvas] = {"canvas", 2, SD_TUPLE, op_canvas},  /* -> Grid */
    [P_corners] = {"corners", 1, SD_SET, op_corners},  /* -> Indices */
    [P_connect] = {"connect", 2, SD_SET, op_connect},  /* -> Indices */
    [P_cover] = {"cover", 2, SD_TUPLE, op_cover},  /* -> Grid */
    [P_trim] = {"trim", 1, SD_TUPLE, op_trim},  /* -> Grid */
    [P_move] = {"move", 3, SD_TUPLE, op_move},  /* -> Grid */
    [P_tophalf] = {"tophalf", 1, SD_TUPLE, op_tophalf},  /* -> Grid */
    [P_bottomhalf] = {"bottomhalf", 1, SD_TUPLE, op_bottomhalf},  /* -> Grid */
    [P_lefthalf] = {"lefthalf", 1, SD_TUPLE, op_lefthalf},  /* -> Grid */
    [P_righthalf] = {"righthalf", 1, SD_TUPLE, op_righthalf},  /* -> Grid */
    [P_vfrontier] = {"vfrontier", 1, SD_SET, op_vfrontier},  /* -> Indices */
    [P_hfrontier] = {"hfrontier", 1, SD_SET, op_hfrontier},  /* -> Indices */
    [P_backdrop] = {"backdrop", 1, SD_SET, op_backdrop},  /* -> Indices */
    [P_delta] = {"delta", 1, SD_SET, op_delta},  /* -> Indices */
    [P_gravitate] = {"gravitate", 2, SD_TUPLE, op_gravitate},  /* -> IntegerTuple */
    [P_inbox] = {"inbox", 1, SD_SET, op_inbox},  /* -> Indices */
    [P_outbox] = {"outbox", 1, SD_SET, op_outbox},  /* -> Indices */
    [P_box] = {"box", 1, SD_SET, op_box},  /* -> Indices */
    [P_shoot] = {"shoot", 2, SD_SET, op_shoot},  /* -> Indices */
    [P_occurrences] = {"occurrences", 2, SD_SET, op_occurrences},  /* -> Indices */
    [P_frontiers] = {"frontiers", 1, SD_SET, op_frontiers},  /* -> Objects */
    [P_compress] = {"compress", 1, SD_TUPLE, op_compress},  /* -> Grid */
    [P_hperiod] = {"hperiod", 1, SD_ZERO, op_hperiod},  /* -> Integer */
    [P_vperiod] = {"vperiod", 1, SD_ZERO, op_vperiod},  /* -> Integer */};

static Func prim_funcs[P__COUNT];
static int by_name[P__COUNT];
static int ready;

static int cmp_name(const void *a, const void *b)
{
    return strcmp(prim_table[*(const int *)a].name, prim_table[*(const int *)b].name);
}

/* Fill the static function values and the sorted name index, once. */
static void init_table(void)
{
    if (ready)
        return;
    for (int k = 0; k < P__COUNT; k++) {
        prim_funcs[k].kind = FN_PRIM;
        prim_funcs[k].arity = prim_table[k].arity;
        prim_funcs[k].serial = (uint32_t)k;
        prim_funcs[k].prim = &prim_table[k];
        prim_funcs[k].fn = prim_table[k].fn;
        by_name[k] = k;
    }
    qsort(by_name, P__COUNT, sizeof *by_name, cmp_name);
    ready = 1;
}

const Prim *prim_lookup(const char *name)
{
    init_table();
    size_t lo = 0, hi = P__COUNT;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, prim_table[by_name[mid]].name);
        if (c == 0)
            return &prim_table[by_name[mid]];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

Value prim_value(const Prim *p)
{
    init_table();
    return v_func(&prim_funcs[p - prim_table]);
}

Value safe_default_of(Value f)
{
    if (f.tag != VT_FUNC || f.u.fn->kind != FN_PRIM)
        return v_empty_tuple();
    switch ((SafeDefault)f.u.fn->prim->safe_default) {
    case SD_SET: return v_empty_set();
    case SD_ZERO: return v_int(0);
    case SD_FALSE: return v_bool(false);
    case SD_CALLABLE: return func_safe_callable();
    case SD_TUPLE: break;
    }
    return v_empty_tuple();
}
