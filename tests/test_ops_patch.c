/* test_ops_patch.c: the "patch" family (ops/patch.c) against the Python oracle.
 *
 * Every expectation was computed by arc-dsl's dsl.py under tools/canonical.py
 * (canonical set order): first the examples of reference/arc-dsl/tests.py, then
 * empty inputs, mismatched kinds and the traps of each primitive (Python's
 * evaluation order decides which exception comes first). expect_same also
 * checks kinds, so True is not 1 and a bool kept inside a tuple shows. */
#include "support.h"

Test(patch, mostcolor)
{
    expect_same("1", "mostcolor", "((2, 1), (0, 1), (2, 1))");
    expect_same("5", "mostcolor", "((3, 4), (5, 5))");
    expect_same("1", "mostcolor", "((1, 2), (2, 1))");
    expect_same("1", "mostcolor", "((3, 3), (1, 1))");
    expect_err(ERR_VALUE, "mostcolor", "()");
    expect_err(ERR_VALUE, "mostcolor", "frozenset([])");
    expect_err(ERR_TYPE, "mostcolor", "5");
    expect_same("1", "mostcolor", "((1, True), (1, 2), (2, True))");
    expect_same("True", "mostcolor", "((True, 1), (1, 2))");
    expect_same("1", "mostcolor", "((1, 2), (3,))");
    expect_same("(1,)", "mostcolor", "(((1,), (2,)), ((1,), 5))");
    expect_err(ERR_TYPE, "mostcolor", "((1, 2), 5)");
    expect_same("1", "mostcolor", "frozenset([(1, (0, 0)), (1, (5, 5)), (2, (0, 1)), (2, (1, 1))])");
    expect_same("1", "mostcolor", "frozenset([(1, 2), (1, 5), (3, 4)])");
    expect_err(ERR_TYPE, "mostcolor", "frozenset([1, 2])");
    expect_err(ERR_VALUE, "mostcolor", "frozenset([(1, 2, 3)])");
    expect_same("-5", "mostcolor", "((100, 100, -5), (-5, -5, 100))");
    expect_same("2", "mostcolor", "((frozenset([1]), 2), (2, frozenset([1])))");
    expect_err(ERR_TYPE, "mostcolor", "(1, 2)");
    expect_err(ERR_VALUE, "mostcolor", "((),)");
    expect_same("100", "mostcolor", "frozenset([(-3, (1, 1)), (100, (0, 0)), (100, (0, 1))])");
    expect_same("7", "mostcolor", "((7, 8), (8, 7))");
}

Test(patch, leastcolor)
{
    expect_same("0", "leastcolor", "((2, 1), (0, 1), (2, 1))");
    expect_same("1", "leastcolor", "((1, 2), (2, 1))");
    expect_same("1", "leastcolor", "((3, 3, 1), (1, 4, 4))");
    expect_err(ERR_VALUE, "leastcolor", "()");
    expect_err(ERR_VALUE, "leastcolor", "frozenset([])");
    expect_err(ERR_TYPE, "leastcolor", "5");
    expect_same("2", "leastcolor", "((1, True), (1, 2), (2, True))");
    expect_same("1", "leastcolor", "frozenset([(1, (0, 0)), (2, (0, 1)), (2, (1, 1)), (3, (5, 5))])");
    expect_same("3", "leastcolor", "frozenset([(1, 2), (1, 5), (3, 4)])");
    expect_same("None", "leastcolor", "((None, 1), (1, None))");
    expect_same("-3", "leastcolor", "frozenset([(-3, (1, 1)), (100, (0, 0)), (100, (0, 1))])");
    expect_same("7", "leastcolor", "((7, 8, 9), (9, 8, 7))");
}

Test(patch, height)
{
    expect_same("3", "height", "((1, 0), (0, 1), (1, 0))");
    expect_same("2", "height", "((3, 4), (5, 5))");
    expect_same("1", "height", "frozenset([(0, 4)])");
    expect_same("3", "height", "frozenset([(1, (0, 0)), (1, (1, 1)), (1, (1, 2)), (1, (2, 1)), (1, (2, 2))])");
    expect_same("0", "height", "()");
    expect_same("0", "height", "frozenset([])");
    expect_err(ERR_TYPE, "height", "5");
    expect_same("2", "height", "(1, 2)");
    expect_same("2", "height", "((1, 2), (3,))");
    expect_same("5", "height", "frozenset([(1, 2), (5, 0)])");
    expect_same("3", "height", "frozenset([(True, 1), (3, 4)])");
    expect_err(ERR_TYPE, "height", "frozenset([1, 2])");
    expect_err(ERR_VALUE, "height", "frozenset([(1, (1, 2, 3))])");
    expect_same("8", "height", "frozenset([(1, (0, 0)), (2, (7, 0))])");
    expect_err(ERR_TYPE, "height", "frozenset([frozenset([1, 2])])");
}

Test(patch, width)
{
    expect_same("2", "width", "((1, 0), (0, 1), (1, 0))");
    expect_same("2", "width", "((3, 4), (5, 5))");
    expect_same("1", "width", "frozenset([(0, 4)])");
    expect_same("3", "width", "frozenset([(1, (0, 0)), (1, (1, 1)), (1, (1, 2)), (1, (2, 1)), (1, (2, 2))])");
    expect_same("0", "width", "()");
    expect_same("0", "width", "frozenset([])");
    expect_err(ERR_TYPE, "width", "5");
    expect_err(ERR_TYPE, "width", "(1, 2)");
    expect_same("0", "width", "((),)");
    expect_same("3", "width", "((1, 2, 3), (4,))");
    expect_same("3", "width", "(frozenset([1, 2, 3]),)");
    expect_same("3", "width", "frozenset([(1, 2), (5, 0)])");
    expect_same("7", "width", "frozenset([(0, (0, 4)), (0, (3, -2))])");
    expect_err(ERR_TYPE, "width", "frozenset([1])");
    expect_err(ERR_TYPE, "width", "None");
    expect_same("4", "width", "frozenset([(1, (0, 0)), (2, (0, 3))])");
}

Test(patch, shape)
{
    expect_same("(3, 2)", "shape", "((1, 0), (0, 1), (1, 0))");
    expect_same("(2, 2)", "shape", "((3, 4), (5, 5))");
    expect_same("(1, 1)", "shape", "frozenset([(0, 4)])");
    expect_same("(3, 3)", "shape", "frozenset([(1, (0, 0)), (1, (1, 1)), (1, (1, 2)), (1, (2, 1)), (1, (2, 2))])");
    expect_same("(2, 3)", "shape", "((1, 2, 3), (4, 5, 6))");
    expect_same("(0, 0)", "shape", "()");
    expect_same("(0, 0)", "shape", "frozenset([])");
    expect_err(ERR_TYPE, "shape", "5");
    expect_err(ERR_TYPE, "shape", "(1, 2)");
    expect_same("(8, 4)", "shape", "frozenset([(1, (0, 0)), (2, (7, 3))])");
    expect_err(ERR_TYPE, "shape", "frozenset([1])");
}

Test(patch, portrait)
{
    expect_same("True", "portrait", "((1, 0), (0, 1), (1, 0))");
    expect_same("False", "portrait", "((3, 4), (5, 5))");
    expect_same("True", "portrait", "((1,), (2,))");
    expect_same("False", "portrait", "()");
    expect_same("False", "portrait", "frozenset([])");
    expect_err(ERR_TYPE, "portrait", "5");
    expect_err(ERR_TYPE, "portrait", "(1, 2)");
    expect_same("False", "portrait", "frozenset([(0, 0), (0, 5)])");
}

Test(patch, colorcount)
{
    expect_same("3", "colorcount", "((1, 0), (0, 1), (1, 0))", "1");
    expect_same("2", "colorcount", "((3, 4), (5, 5))", "5");
    expect_same("2", "colorcount", "frozenset([(1, (0, 0)), (2, (0, 1)), (2, (1, 0))])", "2");
    expect_same("1", "colorcount", "frozenset([(1, (0, 0)), (2, (0, 1)), (2, (1, 0))])", "1");
    expect_same("3", "colorcount", "((1, 2), (2, 2))", "2");
    expect_same("1", "colorcount", "((1, 2), (2, 2))", "True");
    expect_same("0", "colorcount", "((1, 2), (2, 2))", "(1, 2)");
    expect_same("0", "colorcount", "()", "1");
    expect_same("0", "colorcount", "frozenset([])", "1");
    expect_err(ERR_TYPE, "colorcount", "5", "1");
    expect_err(ERR_ATTRIBUTE, "colorcount", "(1, 2)", "1");
    expect_err(ERR_ATTRIBUTE, "colorcount", "((1, 2), 5)", "1");
    expect_err(ERR_ATTRIBUTE, "colorcount", "(frozenset([1]),)", "1");
    expect_same("2", "colorcount", "((1, 2), (1,))", "1");
    expect_same("2", "colorcount", "frozenset([(1, (0, 0)), (1, (0, 1)), (2, (0, 0))])", "1");
    expect_same("2", "colorcount", "frozenset([(1, (0, 0)), (1, (0, 1)), (2, (0, 0))])", "True");
    expect_same("2", "colorcount", "frozenset([(1, 2), (1, 5), (3, 1)])", "1");
    expect_err(ERR_TYPE, "colorcount", "frozenset([1, 2])", "1");
    expect_err(ERR_VALUE, "colorcount", "frozenset([(1, 2, 3)])", "1");
    expect_same("1", "colorcount", "frozenset([((1, 2), 3)])", "(1, 2)");
    expect_err(ERR_TYPE, "colorcount", "None", "1");
    expect_same("0", "colorcount", "((1, 2), (2, 2))", "None");
    expect_same("2", "colorcount", "((True, 2), (1, 2))", "1");
}

Test(patch, colorfilter)
{
    expect_same("frozenset([frozenset([(2, (2, 3)), (2, (3, 2)), (2, (3, 3))]), frozenset([(2, (4, 1))])])", "colorfilter", "frozenset([frozenset([(1, (0, 0))]), frozenset([(1, (1, 1)), (1, (1, 2)), (1, (2, 1)), (1, (2, 2))]), frozenset([(2, (2, 3)), (2, (3, 2)), (2, (3, 3))]), frozenset([(2, (4, 1))]), frozenset([(3, (0, 4))])])", "2");
    expect_same("frozenset([frozenset([(1, (0, 0))]), frozenset([(1, (3, 3)), (2, (4, 4))])])", "colorfilter", "frozenset([frozenset([(1, (0, 0))]), frozenset([(1, (3, 3)), (2, (4, 4))]), frozenset([(2, (0, 0))])])", "1");
    expect_same("frozenset([frozenset([(1, (0, 0))])])", "colorfilter", "frozenset([frozenset([(1, (0, 0))]), frozenset([(2, (0, 0))])])", "True");
    expect_same("frozenset([])", "colorfilter", "frozenset([])", "1");
    expect_same("frozenset([])", "colorfilter", "()", "1");
    expect_err(ERR_TYPE, "colorfilter", "5", "1");
    expect_err(ERR_RUNTIME, "colorfilter", "frozenset([frozenset([])])", "1");
    expect_err(ERR_RUNTIME, "colorfilter", "(frozenset([]),)", "1");
    expect_err(ERR_TYPE, "colorfilter", "((1, 2), (2, 3))", "1");
    expect_same("frozenset([((1, 2),), ((1, 9),)])", "colorfilter", "(((1, 2),), ((2, 3),), ((1, 9),))", "1");
    expect_same("frozenset([frozenset([(1, 2)])])", "colorfilter", "(frozenset([(1, 2)]), frozenset([(2, 2)]))", "1");
    expect_err(ERR_RUNTIME, "colorfilter", "frozenset([(), (1,)])", "1");
    expect_err(ERR_INDEX, "colorfilter", "frozenset([((),)])", "1");
    expect_same("frozenset([])", "colorfilter", "frozenset([frozenset([(1, (0, 0))]), frozenset([(2, (0, 0))])])", "(1, 2)");
}

Test(patch, ulcorner)
{
    expect_same("(0, 0)", "ulcorner", "frozenset([(0, 3), (1, 2), (4, 0)])");
    expect_same("(0, 0)", "ulcorner", "frozenset([(0, 0), (1, 2), (4, 3)])");
    expect_same("(0, 4)", "ulcorner", "frozenset([(1, (3, 4)), (2, (0, 9))])");
    expect_same("()", "ulcorner", "frozenset([])");
    expect_same("()", "ulcorner", "()");
    expect_err(ERR_TYPE, "ulcorner", "5");
    expect_same("(0, 2)", "ulcorner", "((1, 2), (0, 5))");
    expect_same("(0, 2, 1)", "ulcorner", "((1, 2, 3), (0, 5, 1))");
    expect_err(ERR_INDEX, "ulcorner", "((1,),)");
    expect_err(ERR_TYPE, "ulcorner", "(1, 2)");
    expect_same("(0, 2, 3)", "ulcorner", "frozenset([(0, 5, 7), (1, 2, 3)])");
    expect_same("(1, 2)", "ulcorner", "frozenset([(1, 2), (1, 2, 3)])");
    expect_same("(1, 0)", "ulcorner", "frozenset([(1, 0), (True, 2)])");
    expect_err(ERR_TYPE, "ulcorner", "frozenset([(1, 2), (5, (1,))])");
    expect_same("(2, 3, 4)", "ulcorner", "frozenset([(1, (2, 3, 4))])");
    expect_err(ERR_TYPE, "ulcorner", "frozenset([(1, 5), (1, (2, 3))])");
    expect_err(ERR_TYPE, "ulcorner", "((1, 2), 5)");
    expect_same("(0, frozenset([3]))", "ulcorner", "frozenset([(0, frozenset([3])), (1, frozenset([1, 2]))])");
}

Test(patch, urcorner)
{
    expect_same("(0, 3)", "urcorner", "frozenset([(0, 3), (1, 2), (4, 0)])");
    expect_same("(0, 3)", "urcorner", "frozenset([(0, 0), (1, 2), (4, 3)])");
    expect_same("(0, 9)", "urcorner", "frozenset([(1, (3, 4)), (2, (0, 9))])");
    expect_same("(0, 4)", "urcorner", "frozenset([(0, 1), (3, 4)])");
    expect_same("()", "urcorner", "frozenset([])");
    expect_err(ERR_TYPE, "urcorner", "5");
    expect_err(ERR_KEY, "urcorner", "frozenset([(1, 2, 3)])");
    expect_same("(1, 2)", "urcorner", "frozenset([(1, 2)])");
    expect_err(ERR_KEY, "urcorner", "((1, 2, 3), (5, 0, 1))");
    expect_err(ERR_TYPE, "urcorner", "frozenset([(3, 4), ((1,), 2)])");
}

Test(patch, llcorner)
{
    expect_same("(4, 0)", "llcorner", "frozenset([(0, 3), (1, 2), (4, 0)])");
    expect_same("(2, 0)", "llcorner", "frozenset([(0, 0), (1, 5), (2, 3)])");
    expect_same("(3, 4)", "llcorner", "frozenset([(1, (3, 4)), (2, (0, 9))])");
    expect_same("(3, 1)", "llcorner", "frozenset([(0, 1), (3, 4)])");
    expect_same("()", "llcorner", "frozenset([])");
    expect_err(ERR_TYPE, "llcorner", "5");
    expect_err(ERR_KEY, "llcorner", "frozenset([(1, 2, 3)])");
    expect_same("(1, 2)", "llcorner", "((1, 2),)");
}

Test(patch, lrcorner)
{
    expect_same("(4, 3)", "lrcorner", "frozenset([(0, 3), (1, 2), (4, 0)])");
    expect_same("(2, 5)", "lrcorner", "frozenset([(0, 0), (1, 5), (2, 3)])");
    expect_same("(3, 9)", "lrcorner", "frozenset([(1, (3, 4)), (2, (0, 9))])");
    expect_same("()", "lrcorner", "frozenset([])");
    expect_err(ERR_TYPE, "lrcorner", "5");
    expect_same("(1, 5, 9)", "lrcorner", "frozenset([(0, 5, 9), (1, 2, 3)])");
    expect_same("(1, 5)", "lrcorner", "((1, 2), (0, 5))");
    expect_same("(1, 2)", "lrcorner", "frozenset([(1, 2)])");
}

Test(patch, toindices)
{
    expect_same("frozenset([(1, 0), (1, 1)])", "toindices", "frozenset([(1, (1, 0)), (1, (1, 1))])");
    expect_same("frozenset([(0, 1), (1, 1)])", "toindices", "frozenset([(0, 1), (1, 1)])");
    expect_same("frozenset([(0, 0), (1, 1)])", "toindices", "frozenset([(1, (0, 0)), (2, (0, 0)), (3, (1, 1))])");
    expect_same("frozenset([(0, 1), (5, 0)])", "toindices", "frozenset([(1, (5, 0)), (2, (0, 1))])");
    expect_same("frozenset([])", "toindices", "frozenset([])");
    expect_same("frozenset([])", "toindices", "()");
    expect_err(ERR_TYPE, "toindices", "5");
    expect_err(ERR_TYPE, "toindices", "None");
    expect_err(ERR_INDEX, "toindices", "((1,),)");
    expect_err(ERR_TYPE, "toindices", "(1,)");
    expect_same("((1, 2), (3, 4))", "toindices", "((1, 2), (3, 4))");
    expect_err(ERR_TYPE, "toindices", "(1, 2)");
    expect_same("frozenset([(3, 4)])", "toindices", "(((1, 2), (3, 4)),)");
    expect_same("frozenset([(2, 3), (5, 6)])", "toindices", "((1, (2, 3)), (4, (5, 6)))");
    expect_err(ERR_TYPE, "toindices", "((1, (2, 3)), 5)");
    expect_err(ERR_VALUE, "toindices", "((1, (2, 3)), (4, 5, 6))");
    expect_same("frozenset([(2, 3), (8, 9)])", "toindices", "((1, (2, 3)), frozenset([7, (8, 9)]))");
    expect_err(ERR_TYPE, "toindices", "(frozenset([1, 2]),)");
    expect_err(ERR_TYPE, "toindices", "frozenset([1, 2])");
    expect_same("frozenset([(), (3,)])", "toindices", "frozenset([(1, ()), (2, (3,))])");
}

Test(patch, recolor)
{
    expect_same("frozenset([(3, (0, 0)), (3, (0, 1)), (3, (1, 0))])", "recolor", "3", "frozenset([(1, (0, 1)), (2, (0, 0)), (5, (1, 0))])");
    expect_same("frozenset([(2, (1, 1)), (2, (2, 5))])", "recolor", "2", "frozenset([(2, (1, 1)), (2, (2, 5))])");
    expect_same("frozenset([(3, (0, 0)), (3, (1, 1))])", "recolor", "3", "frozenset([(1, (0, 0)), (2, (0, 0)), (3, (1, 1))])");
    expect_same("frozenset([(3, (0, 1)), (3, (5, 0))])", "recolor", "3", "frozenset([(0, 1), (5, 0)])");
    expect_same("frozenset([(True, (0, 1)), (True, (5, 0))])", "recolor", "True", "frozenset([(0, 1), (5, 0)])");
    expect_same("frozenset([((1, 2), (0, 1))])", "recolor", "(1, 2)", "frozenset([(0, 1)])");
    expect_same("frozenset([])", "recolor", "3", "frozenset([])");
    expect_same("frozenset([])", "recolor", "3", "()");
    expect_err(ERR_TYPE, "recolor", "3", "5");
    expect_same("frozenset([(3, (1, 2)), (3, (3, 4))])", "recolor", "3", "((1, 2), (3, 4))");
    expect_err(ERR_INDEX, "recolor", "3", "((1,),)");
    expect_same("frozenset([(3, (1, 2, 3))])", "recolor", "3", "frozenset([(1, 2, 3)])");
    expect_err(ERR_TYPE, "recolor", "3", "((1, (2, 3)), 5)");
    expect_same("frozenset([(-7, (0, 1))])", "recolor", "-7", "frozenset([(0, 1)])");
    expect_same("frozenset([(1099511627776, (0, 1))])", "recolor", "1099511627776", "frozenset([(0, 1)])");
    expect_same("frozenset([(None, (0, 1))])", "recolor", "None", "frozenset([(1, (0, 1))])");
}

Test(patch, shift)
{
    expect_same("frozenset([(1, (3, 5)), (2, (2, 3)), (4, (2, 4))])", "shift", "frozenset([(1, (2, 3)), (2, (1, 1)), (4, (1, 2))])", "(1, 2)");
    expect_same("frozenset([(0, 1), (1, 2), (3, 3)])", "shift", "frozenset([(0, 2), (1, 3), (3, 4)])", "(0, -1)");
    expect_same("frozenset([(1, (2, -3)), (2, (2, -3)), (3, (3, -2))])", "shift", "frozenset([(1, (0, 0)), (2, (0, 0)), (3, (1, 1))])", "(2, -3)");
    expect_same("frozenset([(1, 2), (6, 1)])", "shift", "frozenset([(0, 1), (5, 0)])", "(1, 1)");
    expect_same("frozenset([(1, 1), (6, 0)])", "shift", "frozenset([(0, 1), (5, 0)])", "(True, False)");
    expect_same("frozenset([])", "shift", "frozenset([])", "(1, 1)");
    expect_same("()", "shift", "()", "(1, 1)");
    expect_same("frozenset([])", "shift", "frozenset([])", "5");
    expect_err(ERR_TYPE, "shift", "5", "(1, 1)");
    expect_err(ERR_TYPE, "shift", "frozenset([(0, 1)])", "5");
    expect_err(ERR_VALUE, "shift", "frozenset([(0, 1)])", "(1, 2, 3)");
    expect_same("frozenset([(1, 3)])", "shift", "frozenset([(0, 1)])", "frozenset([1, 2])");
    expect_err(ERR_TYPE, "shift", "frozenset([(0, 1)])", "((1,), (2,))");
    expect_err(ERR_VALUE, "shift", "frozenset([((0,), (1,))])", "((1,), (2,))");
    expect_same("frozenset([(1, 2)])", "shift", "((0, 1), (0, 1))", "(1, 1)");
    expect_same("frozenset([(1, (3, 4))])", "shift", "((1, (2, 3)),)", "(1, 1)");
    expect_err(ERR_TYPE, "shift", "((1, (2, 3)), (5, 6))", "(1, 1)");
    expect_err(ERR_VALUE, "shift", "frozenset([(1, 2, 3)])", "(1, 1)");
    expect_err(ERR_INDEX, "shift", "((1,),)", "(1, 1)");
    expect_same("frozenset([(2147483648, 2)])", "shift", "frozenset([(1, 2)])", "(2147483647, 0)");
    expect_same("frozenset([(1, (-2147483647, 3))])", "shift", "frozenset([(1, (2, 3))])", "(-2147483649, 0)");
    expect_err(ERR_TYPE, "shift", "frozenset([(1, (2, 3))])", "((1,), 0)");
}

Test(patch, normalize)
{
    expect_same("frozenset([(1, (1, 2)), (2, (0, 0)), (4, (0, 1))])", "normalize", "frozenset([(1, (2, 3)), (2, (1, 1)), (4, (1, 2))])");
    expect_same("frozenset([(0, 2), (1, 0), (3, 4)])", "normalize", "frozenset([(0, 2), (1, 0), (3, 4)])");
    expect_same("frozenset([(1, (0, 2)), (2, (2, 0))])", "normalize", "frozenset([(1, (3, 4)), (2, (5, 2))])");
    expect_same("frozenset([(0, 2), (2, 0)])", "normalize", "frozenset([(3, 4), (5, 2)])");
    expect_same("frozenset([])", "normalize", "frozenset([])");
    expect_same("()", "normalize", "()");
    expect_err(ERR_TYPE, "normalize", "5");
    expect_same("frozenset([(0, 0), (2, 2)])", "normalize", "((1, 2), (3, 4))");
    expect_err(ERR_VALUE, "normalize", "((1, 2), (3, 4, 5))");
    expect_err(ERR_VALUE, "normalize", "frozenset([(1, (1, 2, 3))])");
    expect_err(ERR_TYPE, "normalize", "frozenset([((1,), 2)])");
    expect_same("frozenset([(0, 0)])", "normalize", "frozenset([(True, True)])");
}

Test(patch, dneighbors)
{
    expect_same("frozenset([(0, 1), (1, 0), (1, 2), (2, 1)])", "dneighbors", "(1, 1)");
    expect_same("frozenset([(-1, 0), (0, -1), (0, 1), (1, 0)])", "dneighbors", "(0, 0)");
    expect_same("frozenset([(-1, 1), (0, 0), (0, 2), (1, 1)])", "dneighbors", "(0, 1)");
    expect_same("frozenset([(0, 0), (1, -1), (1, 1), (2, 0)])", "dneighbors", "(1, 0)");
    expect_same("frozenset([(4, 7), (5, 6), (5, 8), (6, 7)])", "dneighbors", "(5, 7)");
    expect_err(ERR_INDEX, "dneighbors", "()");
    expect_err(ERR_TYPE, "dneighbors", "5");
    expect_err(ERR_INDEX, "dneighbors", "(5,)");
    expect_same("frozenset([(0, 5), (True, 4), (True, 6), (2, 5)])", "dneighbors", "(True, 5)");
    expect_err(ERR_TYPE, "dneighbors", "((1,), 5)");
    expect_err(ERR_TYPE, "dneighbors", "(1, (5,))");
    expect_err(ERR_TYPE, "dneighbors", "frozenset([1, 2])");
    expect_same("frozenset([(0, 2), (1, 1), (1, 3), (2, 2)])", "dneighbors", "(1, 2, 3)");
    expect_err(ERR_TYPE, "dneighbors", "(1, (2, 3))");
    expect_same("frozenset([(2147483646, -2147483648), (2147483647, -2147483649), (2147483647, -2147483647), (2147483648, -2147483648)])", "dneighbors", "(2147483647, -2147483648)");
}

Test(patch, ineighbors)
{
    expect_same("frozenset([(0, 0), (0, 2), (2, 0), (2, 2)])", "ineighbors", "(1, 1)");
    expect_same("frozenset([(-1, -1), (-1, 1), (1, -1), (1, 1)])", "ineighbors", "(0, 0)");
    expect_same("frozenset([(-1, 0), (-1, 2), (1, 0), (1, 2)])", "ineighbors", "(0, 1)");
    expect_same("frozenset([(0, -1), (0, 1), (2, -1), (2, 1)])", "ineighbors", "(1, 0)");
    expect_same("frozenset([(4, 6), (4, 8), (6, 6), (6, 8)])", "ineighbors", "(5, 7)");
    expect_err(ERR_INDEX, "ineighbors", "()");
    expect_err(ERR_TYPE, "ineighbors", "5");
    expect_err(ERR_INDEX, "ineighbors", "(5,)");
    expect_same("frozenset([(0, -1), (0, 1), (2, -1), (2, 1)])", "ineighbors", "(True, False)");
    expect_err(ERR_TYPE, "ineighbors", "(1, (5,))");
    expect_err(ERR_TYPE, "ineighbors", "None");
}

Test(patch, neighbors)
{
    expect_same("frozenset([(0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1), (2, 2)])", "neighbors", "(1, 1)");
    expect_same("frozenset([(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)])", "neighbors", "(0, 0)");
    expect_same("frozenset([(4, 6), (4, 7), (4, 8), (5, 6), (5, 8), (6, 6), (6, 7), (6, 8)])", "neighbors", "(5, 7)");
    expect_err(ERR_INDEX, "neighbors", "()");
    expect_err(ERR_TYPE, "neighbors", "5");
    expect_same("frozenset([(0, 4), (0, 5), (0, 6), (True, 4), (True, 6), (2, 4), (2, 5), (2, 6)])", "neighbors", "(True, 5)");
    expect_err(ERR_TYPE, "neighbors", "(1, (5,))");
}

Test(patch, uppermost)
{
    expect_same("0", "uppermost", "frozenset([(0, 4)])");
    expect_same("0", "uppermost", "frozenset([(1, (0, 0)), (1, (1, 1)), (1, (1, 2)), (1, (2, 1)), (1, (2, 2))])");
    expect_same("3", "uppermost", "frozenset([(1, (3, 4)), (2, (5, 2))])");
    expect_same("3", "uppermost", "frozenset([(3, 4), (5, 2)])");
    expect_err(ERR_VALUE, "uppermost", "frozenset([])");
    expect_err(ERR_VALUE, "uppermost", "()");
    expect_err(ERR_TYPE, "uppermost", "5");
    expect_same("1", "uppermost", "((1, 2), (3, 4))");
    expect_err(ERR_VALUE, "uppermost", "((1, 2), (3, 4, 5))");
    expect_err(ERR_TYPE, "uppermost", "((1, 2), ((1,), 4), (3, 4, 5))");
    expect_same("1", "uppermost", "frozenset([(1, 0), (True, 1)])");
    expect_err(ERR_VALUE, "uppermost", "frozenset([(1, (1, 2, 3))])");
    expect_same("(0, 5)", "uppermost", "frozenset([((0, 5), 1), ((1, 2), 3)])");
}

Test(patch, lowermost)
{
    expect_same("0", "lowermost", "frozenset([(0, 4)])");
    expect_same("2", "lowermost", "frozenset([(1, (0, 0)), (1, (1, 1)), (1, (1, 2)), (1, (2, 1)), (1, (2, 2))])");
    expect_same("5", "lowermost", "frozenset([(1, (3, 4)), (2, (5, 2))])");
    expect_same("5", "lowermost", "frozenset([(3, 4), (5, 2)])");
    expect_err(ERR_VALUE, "lowermost", "frozenset([])");
    expect_err(ERR_TYPE, "lowermost", "5");
    expect_same("3", "lowermost", "((1, 2), (3, 4))");
    expect_same("1", "lowermost", "frozenset([(1, 0), (True, 1)])");
    expect_err(ERR_TYPE, "lowermost", "frozenset([(1, 2), ((1,), 2)])");
}

Test(patch, leftmost)
{
    expect_same("4", "leftmost", "frozenset([(0, 4)])");
    expect_same("0", "leftmost", "frozenset([(1, (0, 0)), (1, (1, 1)), (1, (1, 2)), (1, (2, 1)), (1, (2, 2))])");
    expect_same("2", "leftmost", "frozenset([(1, (3, 4)), (2, (5, 2))])");
    expect_same("2", "leftmost", "frozenset([(3, 4), (5, 2)])");
    expect_err(ERR_VALUE, "leftmost", "frozenset([])");
    expect_err(ERR_TYPE, "leftmost", "5");
    expect_same("2", "leftmost", "((1, 2), (3, 4))");
    expect_same("True", "leftmost", "frozenset([(0, True), (1, 1)])");
    expect_err(ERR_VALUE, "leftmost", "frozenset([(1, 2, 3)])");
}

Test(patch, rightmost)
{
    expect_same("4", "rightmost", "frozenset([(0, 4)])");
    expect_same("2", "rightmost", "frozenset([(1, (0, 0)), (1, (1, 1)), (1, (1, 2)), (1, (2, 1)), (1, (2, 2))])");
    expect_same("4", "rightmost", "frozenset([(1, (3, 4)), (2, (5, 2))])");
    expect_same("4", "rightmost", "frozenset([(3, 4), (5, 2)])");
    expect_err(ERR_VALUE, "rightmost", "frozenset([])");
    expect_err(ERR_TYPE, "rightmost", "5");
    expect_same("4", "rightmost", "((1, 2), (3, 4))");
    expect_same("True", "rightmost", "frozenset([(0, True), (1, 1)])");
}

Test(patch, square)
{
    expect_same("True", "square", "((3, 4), (5, 5))");
    expect_same("True", "square", "((1, 2, 3), (4, 5, 6), (7, 8, 0))");
    expect_same("False", "square", "((1, 0), (0, 1), (1, 0))");
    expect_same("False", "square", "((2, 1), (0, 1), (2, 1))");
    expect_same("False", "square", "frozenset([(1, 0), (1, 1)])");
    expect_same("True", "square", "frozenset([(0, 0), (0, 1), (1, 0), (1, 1)])");
    expect_same("False", "square", "frozenset([(0, 0), (0, 1), (1, 0)])");
    expect_same("True", "square", "frozenset([(1, (1, 1)), (2, (0, 0)), (2, (1, 0)), (3, (0, 1))])");
    expect_same("True", "square", "frozenset([])");
    expect_err(ERR_INDEX, "square", "()");
    expect_err(ERR_TYPE, "square", "5");
    expect_err(ERR_TYPE, "square", "(1, 2)");
    expect_same("False", "square", "((1, 2),)");
    expect_same("False", "square", "((1,), 5)");
    expect_same("False", "square", "((),)");
    expect_same("True", "square", "frozenset([(1, 2)])");
    expect_same("False", "square", "frozenset([(1, (0, 0)), (2, (0, 0))])");
    expect_err(ERR_TYPE, "square", "frozenset([1, 2])");
    expect_err(ERR_TYPE, "square", "None");
    expect_same("True", "square", "((1, 2), (3, 4))");
    expect_same("False", "square", "((1, 2, 3), (3, 4, 5))");
}

Test(patch, vline)
{
    expect_same("True", "vline", "frozenset([(1, (0, 1)), (1, (1, 1))])");
    expect_same("False", "vline", "frozenset([(1, 0), (1, 1)])");
    expect_same("True", "vline", "frozenset([(0, 0), (1, 0)])");
    expect_same("False", "vline", "frozenset([])");
    expect_same("False", "vline", "()");
    expect_err(ERR_TYPE, "vline", "5");
    expect_same("True", "vline", "((1,), (2,))");
    expect_same("False", "vline", "((1, 2), (3, 4))");
    expect_err(ERR_TYPE, "vline", "(1, 2)");
    expect_same("True", "vline", "((1,), 5)");
    expect_same("False", "vline", "frozenset([(1, (0, 0)), (2, (0, 0))])");
}

Test(patch, hline)
{
    expect_same("True", "hline", "frozenset([(1, (1, 0)), (1, (1, 1))])");
    expect_same("False", "hline", "frozenset([(0, 1), (1, 1)])");
    expect_same("True", "hline", "frozenset([(0, 0), (0, 1)])");
    expect_same("False", "hline", "frozenset([])");
    expect_same("False", "hline", "()");
    expect_err(ERR_TYPE, "hline", "5");
    expect_same("False", "hline", "((1, 2),)");
    expect_same("False", "hline", "((1, 2), (3, 4))");
    expect_err(ERR_TYPE, "hline", "(1, 2)");
    expect_err(ERR_TYPE, "hline", "(5,)");
}

Test(patch, hmatching)
{
    expect_same("True", "hmatching", "frozenset([(1, (1, 1)), (2, (0, 0)), (2, (1, 0)), (3, (0, 1))])", "frozenset([(1, (1, 3)), (2, (1, 4))])");
    expect_same("False", "hmatching", "frozenset([(1, (1, 1)), (2, (0, 0)), (2, (1, 0)), (3, (0, 1))])", "frozenset([(1, (2, 3)), (2, (2, 4))])");
    expect_same("True", "hmatching", "frozenset([(1, (0, 0))])", "frozenset([(0, 5)])");
    expect_same("False", "hmatching", "frozenset([(1, 0)])", "frozenset([(0, 5)])");
    expect_same("False", "hmatching", "frozenset([])", "frozenset([(0, 5)])");
    expect_same("False", "hmatching", "frozenset([(0, 5)])", "frozenset([])");
    expect_err(ERR_TYPE, "hmatching", "5", "frozenset([(0, 5)])");
    expect_err(ERR_TYPE, "hmatching", "frozenset([(0, 5)])", "5");
    expect_err(ERR_TYPE, "hmatching", "frozenset([])", "5");
    expect_same("True", "hmatching", "((1, 2), (3, 4))", "frozenset([(3, 0)])");
    expect_same("True", "hmatching", "frozenset([(True, 0)])", "frozenset([(1, 7)])");
    expect_err(ERR_VALUE, "hmatching", "frozenset([(1, 2, 3)])", "frozenset([(1, 0)])");
    expect_same("True", "hmatching", "frozenset([(0, 0), (5000, 1)])", "frozenset([(5000, 9)])");
}

Test(patch, vmatching)
{
    expect_same("True", "vmatching", "frozenset([(1, (1, 1)), (2, (0, 0)), (2, (1, 0)), (3, (0, 1))])", "frozenset([(1, (3, 1)), (2, (4, 1))])");
    expect_same("False", "vmatching", "frozenset([(1, (1, 1)), (2, (0, 0)), (2, (1, 0)), (3, (0, 1))])", "frozenset([(1, (3, 2)), (2, (4, 2))])");
    expect_same("True", "vmatching", "frozenset([(1, (0, 0))])", "frozenset([(5, 0)])");
    expect_same("False", "vmatching", "frozenset([(1, 0)])", "frozenset([(0, 5)])");
    expect_same("False", "vmatching", "frozenset([])", "frozenset([])");
    expect_err(ERR_TYPE, "vmatching", "5", "frozenset([(0, 5)])");
    expect_same("True", "vmatching", "((1, 2), (3, 4))", "frozenset([(3, 4)])");
    expect_err(ERR_VALUE, "vmatching", "frozenset([(0, (1,))])", "frozenset([(1, (1,))])");
}

Test(patch, manhattan)
{
    expect_same("1", "manhattan", "frozenset([(0, 0), (1, 1)])", "frozenset([(1, 2), (2, 3)])");
    expect_same("3", "manhattan", "frozenset([(1, 1)])", "frozenset([(2, 3)])");
    expect_same("7", "manhattan", "frozenset([(0, 0)])", "frozenset([(3, 4)])");
    expect_same("2", "manhattan", "frozenset([(1, (0, 0)), (1, (9, 9))])", "frozenset([(2, (3, 4)), (2, (8, 8))])");
    expect_err(ERR_VALUE, "manhattan", "frozenset([])", "frozenset([(3, 4)])");
    expect_err(ERR_VALUE, "manhattan", "frozenset([(3, 4)])", "frozenset([])");
    expect_err(ERR_VALUE, "manhattan", "frozenset([])", "5");
    expect_err(ERR_TYPE, "manhattan", "frozenset([(3, 4)])", "5");
    expect_err(ERR_TYPE, "manhattan", "5", "frozenset([(3, 4)])");
    expect_same("3", "manhattan", "((1, 2), (3, 4))", "frozenset([(0, 0)])");
    expect_same("2", "manhattan", "frozenset([(True, True)])", "frozenset([(0, 0)])");
    expect_err(ERR_VALUE, "manhattan", "frozenset([(1, 2, 3)])", "frozenset([(0, 0)])");
    expect_err(ERR_TYPE, "manhattan", "frozenset([((1,), 2)])", "frozenset([((1,), 0)])");
    expect_same("0", "manhattan", "frozenset([(0, 0), (1, 1)])", "frozenset([(0, 0)])");
    expect_same("6", "manhattan", "frozenset([(1, (0, 0)), (2, (0, 0))])", "((5, 5), (3, 3))");
}

Test(patch, adjacent)
{
    expect_same("True", "adjacent", "frozenset([(0, 0)])", "frozenset([(0, 1), (1, 0)])");
    expect_same("False", "adjacent", "frozenset([(0, 0)])", "frozenset([(1, 1)])");
    expect_same("True", "adjacent", "frozenset([(0, 0)])", "frozenset([(0, 1)])");
    expect_same("False", "adjacent", "frozenset([(1, (0, 0))])", "frozenset([(1, (2, 0))])");
    expect_err(ERR_VALUE, "adjacent", "frozenset([])", "frozenset([(0, 1)])");
    expect_err(ERR_TYPE, "adjacent", "5", "frozenset([(0, 1)])");
    expect_err(ERR_TYPE, "adjacent", "frozenset([(0, 1)])", "(1, 2)");
    expect_same("True", "adjacent", "frozenset([(True, 0)])", "frozenset([(0, 0)])");
}

Test(patch, bordering)
{
    expect_same("True", "bordering", "frozenset([(0, 0)])", "((1, 2, 3), (4, 5, 6), (7, 8, 0))");
    expect_same("True", "bordering", "frozenset([(0, 2)])", "((1, 2, 3), (4, 5, 6), (7, 8, 0))");
    expect_same("True", "bordering", "frozenset([(2, 0)])", "((1, 2, 3), (4, 5, 6), (7, 8, 0))");
    expect_same("True", "bordering", "frozenset([(2, 2)])", "((1, 2, 3), (4, 5, 6), (7, 8, 0))");
    expect_same("False", "bordering", "frozenset([(1, 1)])", "((1, 2, 3), (4, 5, 6), (7, 8, 0))");
    expect_same("False", "bordering", "frozenset([(1, 1)])", "((1, 2, 3), (4, 5, 6), (7, 8, 9))");
    expect_same("True", "bordering", "frozenset([(1, (1, 2))])", "((1, 2, 3), (4, 5, 6), (7, 8, 9))");
    expect_err(ERR_VALUE, "bordering", "frozenset([])", "((1, 2),)");
    expect_same("True", "bordering", "frozenset([(0, 1)])", "5");
    expect_err(ERR_TYPE, "bordering", "frozenset([(1, 1)])", "5");
    expect_same("False", "bordering", "frozenset([(1, 1)])", "((1, 2, 3), 5, 6)");
    expect_same("False", "bordering", "frozenset([(1, 1)])", "((1, 2, 3), (4, 5, 6), 7)");
    expect_err(ERR_TYPE, "bordering", "frozenset([(1, 1)])", "frozenset([1, 2, 3])");
    expect_err(ERR_INDEX, "bordering", "frozenset([(1, 1)])", "()");
    expect_same("True", "bordering", "frozenset([(1, 1)])", "(((1, 2), (3, 4), (5, 6)), 5)");
    expect_err(ERR_TYPE, "bordering", "5", "((1, 2),)");
    expect_same("False", "bordering", "frozenset([(True, 1)])", "((1, 2, 3),)");
}

Test(patch, centerofmass)
{
    expect_same("(0, 1)", "centerofmass", "frozenset([(0, 0), (1, 1), (1, 2)])");
    expect_same("(1, 1)", "centerofmass", "frozenset([(0, 0), (1, 1), (2, 2)])");
    expect_same("(0, 0)", "centerofmass", "frozenset([(0, 0), (0, 1), (1, 1)])");
    expect_same("(0, 1)", "centerofmass", "frozenset([(1, (0, 0)), (2, (0, 0)), (3, (2, 3))])");
    expect_same("(-1, -1)", "centerofmass", "frozenset([(-1, -1), (0, 0)])");
    expect_same("()", "centerofmass", "frozenset([])");
    expect_same("()", "centerofmass", "()");
    expect_err(ERR_TYPE, "centerofmass", "5");
    expect_same("(2, 3)", "centerofmass", "((1, 2), (3, 4))");
    expect_same("(1, 2)", "centerofmass", "((1, 2), (3, 4), (1, 2))");
    expect_same("(2, 3, 4)", "centerofmass", "frozenset([(1, 2, 3), (4, 5, 6)])");
    expect_same("(1, 1)", "centerofmass", "frozenset([(True, True)])");
    expect_err(ERR_TYPE, "centerofmass", "frozenset([((1,), 2)])");
    expect_err(ERR_TYPE, "centerofmass", "((1, 2), 5)");
    expect_err(ERR_TYPE, "centerofmass", "frozenset([(1, (2, 3)), (4, 5)])");
}

Test(patch, palette)
{
    expect_same("frozenset([1, 2, 3])", "palette", "frozenset([(1, (1, 1)), (2, (0, 0)), (2, (1, 0)), (3, (0, 1))])");
    expect_same("frozenset([1])", "palette", "frozenset([(1, (0, 0)), (1, (0, 1)), (1, (1, 0)), (1, (1, 1))])");
    expect_same("frozenset([1, 2, 3])", "palette", "((1, 2), (2, 3))");
    expect_same("frozenset([])", "palette", "()");
    expect_same("frozenset([])", "palette", "frozenset([])");
    expect_err(ERR_TYPE, "palette", "5");
    expect_err(ERR_TYPE, "palette", "(1, 2)");
    expect_same("frozenset([1, 2, 3])", "palette", "((1, 2), (3,))");
    expect_same("frozenset([0, True, 2])", "palette", "((True, 1), (2, 0))");
    expect_same("frozenset([1, 3])", "palette", "frozenset([(1, (0, 0)), (3, (0, 0))])");
    expect_same("frozenset([1, 3])", "palette", "frozenset([(1, 2), (3, 4)])");
    expect_err(ERR_TYPE, "palette", "frozenset([1, 2])");
    expect_err(ERR_VALUE, "palette", "frozenset([(1, 2, 3)])");
    expect_same("frozenset([-1, 100])", "palette", "((100, -1),)");
    expect_same("frozenset([5, (1, 2)])", "palette", "(frozenset([5, (1, 2)]),)");
    expect_same("frozenset([7, 100, 200])", "palette", "((100, 200), (200, 7))");
    /* colours from 16 up leave the counting fast path (expected values from dsl.py) */
    expect_same("frozenset([3, 20, 63])", "palette", "((20, 3, 20), (63, 3, 3))");
    expect_same("frozenset([3, 20, 63])", "palette", "frozenset([(20, (0, 0)), (63, (1, 0)), (20, (0, 2)), (3, (0, 1))])");
    expect_same("3", "mostcolor", "((20, 3, 20), (63, 3, 3))");
    expect_same("63", "leastcolor", "((20, 3, 20), (63, 3, 3))");
    expect_same("20", "mostcolor", "frozenset([(20, (0, 0)), (63, (1, 0)), (20, (0, 2)), (3, (0, 1))])");
    expect_same("3", "leastcolor", "frozenset([(20, (0, 0)), (63, (1, 0)), (20, (0, 2)), (3, (0, 1))])");
    expect_same("3", "numcolors", "((20, 3, 20), (63, 3, 3))");
}

Test(patch, numcolors)
{
    expect_same("3", "numcolors", "frozenset([(1, (1, 1)), (2, (0, 0)), (2, (1, 0)), (3, (0, 1))])");
    expect_same("1", "numcolors", "frozenset([(1, (0, 0)), (1, (0, 1)), (1, (1, 0)), (1, (1, 1))])");
    expect_same("3", "numcolors", "((1, 2), (2, 3))");
    expect_same("0", "numcolors", "()");
    expect_same("0", "numcolors", "frozenset([])");
    expect_err(ERR_TYPE, "numcolors", "5");
    expect_err(ERR_TYPE, "numcolors", "(1, 2)");
    expect_same("2", "numcolors", "frozenset([(1, (0, 0)), (3, (0, 0))])");
    expect_same("3", "numcolors", "((True, 1), (2, 0))");
    expect_same("2", "numcolors", "frozenset([(100, (0, 0)), (100, (1, 1)), (200, (0, 0))])");
}

Test(patch, color)
{
    expect_same("1", "color", "frozenset([(1, (0, 0)), (1, (0, 1)), (1, (1, 0)), (1, (1, 1))])");
    expect_same("2", "color", "frozenset([(2, (3, 1))])");
    expect_same("1", "color", "frozenset([(1, (5, 5)), (3, (0, 0))])");
    expect_err(ERR_STOPITER, "color", "frozenset([])");
    expect_err(ERR_STOPITER, "color", "()");
    expect_err(ERR_TYPE, "color", "5");
    expect_err(ERR_TYPE, "color", "(1, 2)");
    expect_same("1", "color", "((1, 2),)");
    expect_err(ERR_INDEX, "color", "((),)");
    expect_same("0", "color", "frozenset([(0, 5), (1, 2)])");
    expect_err(ERR_TYPE, "color", "frozenset([frozenset([1])])");
    expect_err(ERR_TYPE, "color", "(frozenset([1]),)");
}

Test(patch, center)
{
    expect_same("(0, 0)", "center", "frozenset([(1, (0, 0))])");
    expect_same("(0, 1)", "center", "frozenset([(1, (0, 0)), (1, (0, 2))])");
    expect_same("(1, 1)", "center", "frozenset([(1, (0, 0)), (1, (0, 2)), (1, (2, 0)), (1, (2, 2))])");
    expect_same("(2, 3)", "center", "frozenset([(1, (0, 0)), (1, (3, 5))])");
    expect_same("(2, 3)", "center", "frozenset([(0, 0), (3, 5)])");
    expect_err(ERR_VALUE, "center", "frozenset([])");
    expect_err(ERR_VALUE, "center", "()");
    expect_err(ERR_TYPE, "center", "5");
    expect_same("(2, 3)", "center", "((1, 2), (3, 4))");
    expect_same("(2, 3)", "center", "((1, 2), (3, 4), (5, 6))");
    expect_same("(1, 1)", "center", "frozenset([(True, True)])");
    expect_err(ERR_VALUE, "center", "frozenset([(1, 2, 3)])");
    expect_err(ERR_VALUE, "center", "frozenset([((1,), (2,))])");
}

Test(patch, position)
{
    expect_same("(1, 1)", "position", "frozenset([(0, (1, 1))])", "frozenset([(0, (2, 2))])");
    expect_same("(-1, 0)", "position", "frozenset([(0, (2, 2))])", "frozenset([(0, (1, 2))])");
    expect_same("(0, 1)", "position", "frozenset([(0, (3, 3))])", "frozenset([(0, (3, 4))])");
    expect_same("(0, -1)", "position", "frozenset([(0, 0)])", "frozenset([(0, 0)])");
    expect_same("(0, 1)", "position", "frozenset([(0, 0)])", "frozenset([(0, 5)])");
    expect_same("(0, -1)", "position", "frozenset([(0, 5)])", "frozenset([(0, 0)])");
    expect_same("(-1, 0)", "position", "frozenset([(5, 0)])", "frozenset([(0, 0)])");
    expect_same("(1, 0)", "position", "frozenset([(0, 0)])", "frozenset([(5, 0)])");
    expect_same("(-1, -1)", "position", "frozenset([(5, 5)])", "frozenset([(0, 0)])");
    expect_same("(-1, 1)", "position", "frozenset([(5, 0)])", "frozenset([(0, 5)])");
    expect_same("(1, -1)", "position", "frozenset([(0, 5)])", "frozenset([(5, 0)])");
    expect_same("(1, 1)", "position", "frozenset([(1, (0, 0))])", "frozenset([(1, (4, 4))])");
    expect_err(ERR_VALUE, "position", "frozenset([])", "frozenset([(0, 0)])");
    expect_err(ERR_VALUE, "position", "frozenset([(0, 0)])", "frozenset([])");
    expect_err(ERR_TYPE, "position", "5", "frozenset([(0, 0)])");
    expect_same("(-1, -1)", "position", "((1, 2), (3, 4))", "frozenset([(0, 0)])");
    expect_err(ERR_TYPE, "position", "frozenset([(0, 0)])", "(1, 2)");
}

Test(patch, index)
{
    expect_same("3", "index", "((3, 4), (5, 5))", "(0, 0)");
    expect_same("6", "index", "((1, 2, 3), (4, 5, 6), (7, 8, 0))", "(1, 2)");
    expect_same("3", "index", "((1, 2), (3, 4))", "(1, 0)");
    expect_same("None", "index", "((1, 2), (3, 4))", "(2, 0)");
    expect_same("None", "index", "((1, 2), (3, 4))", "(-1, 0)");
    expect_same("None", "index", "((1, 2), (3, 4))", "(0, 2)");
    expect_same("4", "index", "((1, 2), (3, 4))", "(True, True)");
    expect_err(ERR_VALUE, "index", "((1, 2), (3, 4))", "()");
    expect_err(ERR_VALUE, "index", "((1, 2), (3, 4))", "(1, 2, 3)");
    expect_err(ERR_TYPE, "index", "((1, 2), (3, 4))", "5");
    expect_err(ERR_TYPE, "index", "((1, 2), (3, 4))", "frozenset([0, 1])");
    expect_same("None", "index", "((1, 2), (3, 4))", "frozenset([1, 5])");
    expect_err(ERR_TYPE, "index", "((1, 2), (3, 4))", "((1,), 0)");
    expect_same("None", "index", "((1, 2), (3, 4))", "(-1, (1,))");
    expect_err(ERR_TYPE, "index", "((1, 2), (3, 4))", "(0, None)");
    expect_err(ERR_INDEX, "index", "()", "(0, 0)");
    expect_err(ERR_TYPE, "index", "5", "(0, 0)");
    expect_err(ERR_TYPE, "index", "frozenset([(1, 2)])", "(0, 0)");
    expect_same("1", "index", "((1, 2), 5)", "(0, 0)");
    expect_err(ERR_INDEX, "index", "((1, 2, 3), (4,))", "(1, 2)");
    expect_same("(3, 4)", "index", "((1, 2), (None, (3, 4)))", "(1, 1)");
    expect_same("None", "index", "((1, 2), (None, (3, 4)))", "(1, 0)");
    expect_err(ERR_TYPE, "index", "((1, 2), frozenset([3, 4]))", "(1, 0)");
    expect_same("True", "index", "((True, 2),)", "(0, 0)");
    expect_same("None", "index", "((1, 2), (3, 4))", "(1, -1)");
}

Test(patch, corners)
{
    expect_same("frozenset([(0, 0), (0, 3), (4, 0), (4, 3)])", "corners", "frozenset([(0, 3), (1, 2), (4, 0)])");
    expect_same("frozenset([(0, 0), (0, 3), (4, 0), (4, 3)])", "corners", "frozenset([(0, 0), (1, 2), (4, 3)])");
    expect_same("frozenset([(0, 0), (0, 5), (3, 0), (3, 5)])", "corners", "frozenset([(1, (0, 0)), (1, (3, 5))])");
    expect_same("frozenset([(2, 2)])", "corners", "frozenset([(2, 2)])");
    expect_same("frozenset([()])", "corners", "frozenset([])");
    expect_same("frozenset([()])", "corners", "()");
    expect_err(ERR_TYPE, "corners", "5");
    expect_err(ERR_KEY, "corners", "frozenset([(1, 2, 3)])");
    expect_same("frozenset([(1, 2), (1, 4), (3, 2), (3, 4)])", "corners", "((1, 2), (3, 4))");
    expect_same("frozenset([(True, 2), (True, 3)])", "corners", "frozenset([(True, 2), (1, 3)])");
    expect_same("frozenset([(0, 0)])", "corners", "frozenset([(1, (0, 0)), (2, (0, 0))])");
}

Test(patch, connect)
{
    expect_same("frozenset([(1, 1), (2, 2)])", "connect", "(1, 1)", "(2, 2)");
    expect_same("frozenset([(1, 1), (1, 2), (1, 3), (1, 4)])", "connect", "(1, 1)", "(1, 4)");
    expect_same("frozenset([(1, 1), (2, 2), (3, 3), (4, 4)])", "connect", "(1, 1)", "(4, 4)");
    expect_same("frozenset([(1, 4), (2, 3), (3, 2), (4, 1)])", "connect", "(4, 1)", "(1, 4)");
    expect_same("frozenset([(1, 4), (2, 3), (3, 2), (4, 1)])", "connect", "(1, 4)", "(4, 1)");
    expect_same("frozenset([(0, 2), (1, 2), (2, 2), (3, 2)])", "connect", "(3, 2)", "(0, 2)");
    expect_same("frozenset([])", "connect", "(0, 0)", "(1, 2)");
    expect_same("frozenset([(2, 2)])", "connect", "(2, 2)", "(2, 2)");
    expect_same("frozenset([(True, 1), (True, 2), (True, 3)])", "connect", "(True, 1)", "(1, 3)");
    expect_same("frozenset([(0, True), (1, True), (2, True)])", "connect", "(0, True)", "(2, 1)");
    expect_same("frozenset([(1, 0), (2, 0)])", "connect", "(True, 0)", "(2, 0)");
    expect_err(ERR_VALUE, "connect", "()", "(1, 1)");
    expect_err(ERR_VALUE, "connect", "(1, 1)", "()");
    expect_err(ERR_TYPE, "connect", "5", "(1, 1)");
    expect_err(ERR_VALUE, "connect", "(1, 1, 1)", "(1, 1)");
    expect_err(ERR_TYPE, "connect", "((1,), 1)", "((2,), 1)");
    expect_err(ERR_TYPE, "connect", "(1, (1,))", "(1, (2,))");
    expect_err(ERR_TYPE, "connect", "(1, 1)", "((1,), 1)");
    expect_same("frozenset([(1, 1), (1, 2)])", "connect", "frozenset([1, 2])", "(1, 1)");
    expect_err(ERR_TYPE, "connect", "(None, 1)", "(None, 1)");
}

Test(patch, vfrontier)
{
    expect_same("frozenset([(0, 4), (1, 4), (2, 4), (3, 4), (4, 4), (5, 4), (6, 4), (7, 4), (8, 4), (9, 4), (10, 4), (11, 4), (12, 4), (13, 4), (14, 4), (15, 4), (16, 4), (17, 4), (18, 4), (19, 4), (20, 4), (21, 4), (22, 4), (23, 4), (24, 4), (25, 4), (26, 4), (27, 4), (28, 4), (29, 4)])", "vfrontier", "(3, 4)");
    expect_err(ERR_INDEX, "vfrontier", "()");
    expect_err(ERR_INDEX, "vfrontier", "(3,)");
    expect_err(ERR_TYPE, "vfrontier", "5");
    expect_same("frozenset([(0, (4, 5)), (1, (4, 5)), (2, (4, 5)), (3, (4, 5)), (4, (4, 5)), (5, (4, 5)), (6, (4, 5)), (7, (4, 5)), (8, (4, 5)), (9, (4, 5)), (10, (4, 5)), (11, (4, 5)), (12, (4, 5)), (13, (4, 5)), (14, (4, 5)), (15, (4, 5)), (16, (4, 5)), (17, (4, 5)), (18, (4, 5)), (19, (4, 5)), (20, (4, 5)), (21, (4, 5)), (22, (4, 5)), (23, (4, 5)), (24, (4, 5)), (25, (4, 5)), (26, (4, 5)), (27, (4, 5)), (28, (4, 5)), (29, (4, 5))])", "vfrontier", "(3, (4, 5))");
    expect_same("frozenset([(0, True), (1, True), (2, True), (3, True), (4, True), (5, True), (6, True), (7, True), (8, True), (9, True), (10, True), (11, True), (12, True), (13, True), (14, True), (15, True), (16, True), (17, True), (18, True), (19, True), (20, True), (21, True), (22, True), (23, True), (24, True), (25, True), (26, True), (27, True), (28, True), (29, True)])", "vfrontier", "(3, True)");
    expect_err(ERR_TYPE, "vfrontier", "frozenset([1, 2])");
}

Test(patch, hfrontier)
{
    expect_same("frozenset([(3, 0), (3, 1), (3, 2), (3, 3), (3, 4), (3, 5), (3, 6), (3, 7), (3, 8), (3, 9), (3, 10), (3, 11), (3, 12), (3, 13), (3, 14), (3, 15), (3, 16), (3, 17), (3, 18), (3, 19), (3, 20), (3, 21), (3, 22), (3, 23), (3, 24), (3, 25), (3, 26), (3, 27), (3, 28), (3, 29)])", "hfrontier", "(3, 4)");
    expect_err(ERR_INDEX, "hfrontier", "()");
    expect_err(ERR_TYPE, "hfrontier", "5");
    expect_same("frozenset([((1, 2), 0), ((1, 2), 1), ((1, 2), 2), ((1, 2), 3), ((1, 2), 4), ((1, 2), 5), ((1, 2), 6), ((1, 2), 7), ((1, 2), 8), ((1, 2), 9), ((1, 2), 10), ((1, 2), 11), ((1, 2), 12), ((1, 2), 13), ((1, 2), 14), ((1, 2), 15), ((1, 2), 16), ((1, 2), 17), ((1, 2), 18), ((1, 2), 19), ((1, 2), 20), ((1, 2), 21), ((1, 2), 22), ((1, 2), 23), ((1, 2), 24), ((1, 2), 25), ((1, 2), 26), ((1, 2), 27), ((1, 2), 28), ((1, 2), 29)])", "hfrontier", "((1, 2), 4)");
    expect_same("frozenset([(None, 0), (None, 1), (None, 2), (None, 3), (None, 4), (None, 5), (None, 6), (None, 7), (None, 8), (None, 9), (None, 10), (None, 11), (None, 12), (None, 13), (None, 14), (None, 15), (None, 16), (None, 17), (None, 18), (None, 19), (None, 20), (None, 21), (None, 22), (None, 23), (None, 24), (None, 25), (None, 26), (None, 27), (None, 28), (None, 29)])", "hfrontier", "(None,)");
}

Test(patch, backdrop)
{
    expect_same("frozenset([(2, 1), (2, 2), (2, 3), (3, 1), (3, 2), (3, 3), (4, 1), (4, 2), (4, 3)])", "backdrop", "frozenset([(2, 3), (3, 2), (3, 3), (4, 1)])");
    expect_same("frozenset([(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (1, 3), (2, 0), (2, 1), (2, 2), (2, 3)])", "backdrop", "frozenset([(1, (0, 0)), (1, (2, 3))])");
    expect_same("frozenset([(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)])", "backdrop", "frozenset([(0, 0), (2, 1)])");
    expect_same("frozenset([])", "backdrop", "frozenset([])");
    expect_same("frozenset([])", "backdrop", "()");
    expect_err(ERR_TYPE, "backdrop", "5");
    expect_same("frozenset([(1, 2), (1, 3), (1, 4), (2, 2), (2, 3), (2, 4), (3, 2), (3, 3), (3, 4)])", "backdrop", "((1, 2), (3, 4))");
    expect_err(ERR_VALUE, "backdrop", "frozenset([(1, 2, 3)])");
    expect_same("frozenset([(1, 0), (1, 1), (2, 0), (2, 1)])", "backdrop", "frozenset([(True, True), (2, 0)])");
    expect_err(ERR_INDEX, "backdrop", "frozenset([((1,), (2,))])");
    expect_err(ERR_INDEX, "backdrop", "((1,),)");
    expect_err(ERR_INDEX, "backdrop", "frozenset([(1, (2,))])");
}

Test(patch, delta)
{
    expect_same("frozenset([(2, 1), (2, 2), (3, 1), (4, 2), (4, 3)])", "delta", "frozenset([(2, 3), (3, 2), (3, 3), (4, 1)])");
    expect_same("frozenset([(0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1)])", "delta", "frozenset([(1, (0, 0)), (1, (2, 2))])");
    expect_same("frozenset([(0, 1), (1, 0), (1, 1), (2, 0)])", "delta", "frozenset([(0, 0), (2, 1)])");
    expect_same("frozenset([])", "delta", "frozenset([])");
    expect_same("frozenset([])", "delta", "()");
    expect_err(ERR_TYPE, "delta", "5");
    expect_err(ERR_TYPE, "delta", "((1, 2), (3, 4))");
    expect_same("frozenset([(1, 0), (2, 1)])", "delta", "frozenset([(True, True), (2, 0)])");
    expect_err(ERR_VALUE, "delta", "frozenset([(1, 2, 3)])");
    expect_same("frozenset([(0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1)])", "delta", "frozenset([(1, (0, 0)), (1, (1, 1)), (2, (0, 0)), (3, (2, 2))])");
}

Test(patch, gravitate)
{
    expect_same("(0, 0)", "gravitate", "frozenset([(0, 0)])", "frozenset([(0, 1)])");
    expect_same("(0, 3)", "gravitate", "frozenset([(0, 0)])", "frozenset([(0, 4)])");
    expect_same("(4, 0)", "gravitate", "frozenset([(0, 0)])", "frozenset([(5, 0)])");
    expect_same("(-4, 0)", "gravitate", "frozenset([(5, 0)])", "frozenset([(0, 0)])");
    expect_same("(0, 7)", "gravitate", "frozenset([(1, (0, 0)), (1, (1, 1))])", "frozenset([(2, (0, 8)), (2, (1, 9))])");
    expect_same("(-1, 0)", "gravitate", "frozenset([(0, 0)])", "frozenset([(0, 0)])");
    expect_same("(0, 42)", "gravitate", "frozenset([(0, 0)])", "frozenset([(0, 100)])");
    expect_same("(0, 42)", "gravitate", "frozenset([(0, 0)])", "frozenset([(3, 3)])");
    expect_err(ERR_VALUE, "gravitate", "frozenset([])", "frozenset([(0, 0)])");
    expect_err(ERR_VALUE, "gravitate", "frozenset([(0, 0)])", "frozenset([])");
    expect_err(ERR_TYPE, "gravitate", "5", "frozenset([(0, 0)])");
    expect_same("(0, 3)", "gravitate", "((0, 0), (0, 1))", "frozenset([(0, 5)])");
    expect_same("(3, 0)", "gravitate", "((1, (0, 0)),)", "frozenset([(4, 0)])");
    expect_same("(2, 0)", "gravitate", "frozenset([(True, 0)])", "frozenset([(4, 0)])");
    expect_same("(0, -42)", "gravitate", "frozenset([(1, (5, 5)), (1, (6, 6))])", "frozenset([(2, (0, 0)), (2, (0, 1))])");
    expect_same("(0, 42)", "gravitate", "frozenset([(0, 0), (0, 1), (1, 0)])", "frozenset([(9, 9)])");
}

Test(patch, inbox)
{
    expect_same("frozenset([(1, 1)])", "inbox", "frozenset([(0, 0), (2, 2)])");
    expect_same("frozenset([(1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 4), (3, 1), (3, 2), (3, 3), (3, 4)])", "inbox", "frozenset([(1, (0, 0)), (1, (4, 5))])");
    expect_same("frozenset([(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)])", "inbox", "frozenset([(0, 0)])");
    expect_same("frozenset([(-1, 1), (-1, 2), (-1, 3), (-1, 4), (0, 1), (0, 4), (1, 1), (1, 2), (1, 3), (1, 4)])", "inbox", "frozenset([(0, 0), (0, 5)])");
    expect_err(ERR_VALUE, "inbox", "frozenset([])");
    expect_err(ERR_VALUE, "inbox", "()");
    expect_err(ERR_TYPE, "inbox", "5");
    expect_same("frozenset([(2, 3), (2, 4), (2, 5), (3, 3), (3, 4), (3, 5)])", "inbox", "((1, 2), (4, 6))");
    expect_same("frozenset([(2, 2)])", "inbox", "frozenset([(True, True), (3, 3)])");
    expect_err(ERR_TYPE, "inbox", "frozenset([((1,), 2)])");
}

Test(patch, outbox)
{
    expect_same("frozenset([(0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1), (2, 2)])", "outbox", "frozenset([(1, 1)])");
    expect_same("frozenset([(-1, -1), (-1, 0), (-1, 1), (-1, 2), (-1, 3), (-1, 4), (0, -1), (0, 4), (1, -1), (1, 4), (2, -1), (2, 4), (3, -1), (3, 0), (3, 1), (3, 2), (3, 3), (3, 4)])", "outbox", "frozenset([(1, (0, 0)), (1, (2, 3))])");
    expect_same("frozenset([(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)])", "outbox", "frozenset([(0, 0)])");
    expect_err(ERR_VALUE, "outbox", "frozenset([])");
    expect_err(ERR_VALUE, "outbox", "()");
    expect_err(ERR_TYPE, "outbox", "5");
    expect_same("frozenset([(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (0, 7), (1, 1), (1, 7), (2, 1), (2, 7), (3, 1), (3, 7), (4, 1), (4, 7), (5, 1), (5, 2), (5, 3), (5, 4), (5, 5), (5, 6), (5, 7)])", "outbox", "((1, 2), (4, 6))");
    expect_err(ERR_VALUE, "outbox", "frozenset([(1, 2, 3)])");
}

Test(patch, box)
{
    expect_same("frozenset([(0, 0), (0, 1), (1, 0), (1, 1)])", "box", "frozenset([(0, 0), (1, 1)])");
    expect_same("frozenset([(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 3), (2, 0), (2, 1), (2, 2), (2, 3)])", "box", "frozenset([(1, (0, 0)), (1, (2, 3))])");
    expect_same("frozenset([(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 3), (2, 0), (2, 3), (3, 0), (3, 1), (3, 2), (3, 3)])", "box", "frozenset([(0, 0), (3, 3)])");
    expect_same("frozenset([(5, 5)])", "box", "frozenset([(5, 5)])");
    expect_same("frozenset([])", "box", "frozenset([])");
    expect_same("()", "box", "()");
    expect_err(ERR_TYPE, "box", "5");
    expect_same("frozenset([(1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (2, 2), (2, 6), (3, 2), (3, 6), (4, 2), (4, 3), (4, 4), (4, 5), (4, 6)])", "box", "((1, 2), (4, 6))");
    expect_same("frozenset([(0, True), (1, True), (2, True)])", "box", "frozenset([(0, True), (2, True)])");
    expect_same("frozenset([(1, 0), (True, 1), (True, 2), (1, 3)])", "box", "frozenset([(True, 0), (True, 3)])");
    expect_same("frozenset([(1, True)])", "box", "frozenset([(True, True)])");
    expect_err(ERR_VALUE, "box", "frozenset([(1, 2, 3)])");
    expect_err(ERR_VALUE, "box", "frozenset([((1,), (2,))])");
    expect_err(ERR_TYPE, "box", "frozenset([(1, (2, frozenset([3])))])");
    expect_same("frozenset([(0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1), (2, 2)])", "box", "((0, 0), (2, 2))");
}

Test(patch, shoot)
{
    expect_same("frozenset([(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7), (8, 8), (9, 9), (10, 10), (11, 11), (12, 12), (13, 13), (14, 14), (15, 15), (16, 16), (17, 17), (18, 18), (19, 19), (20, 20), (21, 21), (22, 22), (23, 23), (24, 24), (25, 25), (26, 26), (27, 27), (28, 28), (29, 29), (30, 30), (31, 31), (32, 32), (33, 33), (34, 34), (35, 35), (36, 36), (37, 37), (38, 38), (39, 39), (40, 40), (41, 41), (42, 42)])", "shoot", "(0, 0)", "(1, 1)");
    expect_same("frozenset([(0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0), (9, 0), (10, 0), (11, 0), (12, 0), (13, 0), (14, 0), (15, 0), (16, 0), (17, 0), (18, 0), (19, 0), (20, 0), (21, 0), (22, 0), (23, 0), (24, 0), (25, 0), (26, 0), (27, 0), (28, 0), (29, 0), (30, 0), (31, 0), (32, 0), (33, 0), (34, 0), (35, 0), (36, 0), (37, 0), (38, 0), (39, 0), (40, 0), (41, 0), (42, 0)])", "shoot", "(0, 0)", "(1, 0)");
    expect_same("frozenset([(-37, 47), (-36, 46), (-35, 45), (-34, 44), (-33, 43), (-32, 42), (-31, 41), (-30, 40), (-29, 39), (-28, 38), (-27, 37), (-26, 36), (-25, 35), (-24, 34), (-23, 33), (-22, 32), (-21, 31), (-20, 30), (-19, 29), (-18, 28), (-17, 27), (-16, 26), (-15, 25), (-14, 24), (-13, 23), (-12, 22), (-11, 21), (-10, 20), (-9, 19), (-8, 18), (-7, 17), (-6, 16), (-5, 15), (-4, 14), (-3, 13), (-2, 12), (-1, 11), (0, 10), (1, 9), (2, 8), (3, 7), (4, 6), (5, 5)])", "shoot", "(5, 5)", "(-1, 1)");
    expect_same("frozenset([(5, 5)])", "shoot", "(5, 5)", "(0, 0)");
    expect_same("frozenset([])", "shoot", "(5, 5)", "(2, 1)");
    expect_err(ERR_INDEX, "shoot", "()", "(1, 0)");
    expect_err(ERR_INDEX, "shoot", "(0, 0)", "()");
    expect_err(ERR_INDEX, "shoot", "(0, 0)", "(1,)");
    expect_err(ERR_TYPE, "shoot", "5", "(1, 0)");
    expect_err(ERR_TYPE, "shoot", "(0, 0)", "5");
    expect_err(ERR_TYPE, "shoot", "((1,), (2,))", "((1,), (1,))");
    expect_err(ERR_VALUE, "shoot", "(0, 0, 0)", "(1, 0)");
    expect_same("frozenset([(0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0), (9, 0), (10, 0), (11, 0), (12, 0), (13, 0), (14, 0), (15, 0), (16, 0), (17, 0), (18, 0), (19, 0), (20, 0), (21, 0), (22, 0), (23, 0), (24, 0), (25, 0), (26, 0), (27, 0), (28, 0), (29, 0), (30, 0), (31, 0), (32, 0), (33, 0), (34, 0), (35, 0), (36, 0), (37, 0), (38, 0), (39, 0), (40, 0), (41, 0), (42, 0)])", "shoot", "(0, 0)", "(True, False)");
    expect_err(ERR_TYPE, "shoot", "frozenset([0, 1])", "(1, 0)");
}

Test(patch, hperiod)
{
    expect_same("2", "hperiod", "frozenset([(2, (1, 0)), (2, (1, 2)), (2, (1, 4)), (2, (2, 0)), (2, (2, 2)), (2, (2, 4)), (8, (1, 1)), (8, (1, 3)), (8, (1, 5)), (8, (2, 1)), (8, (2, 3)), (8, (2, 5))])");
    expect_same("3", "hperiod", "frozenset([(2, (2, 0)), (2, (2, 3)), (2, (2, 6)), (3, (2, 1)), (3, (2, 2)), (3, (2, 4)), (3, (2, 5))])");
    expect_same("2", "hperiod", "frozenset([(1, (0, 0)), (1, (0, 2)), (2, (0, 1)), (2, (0, 3))])");
    expect_same("3", "hperiod", "frozenset([(1, (0, 0)), (2, (0, 1)), (3, (0, 2))])");
    expect_same("1", "hperiod", "frozenset([(1, (5, 5))])");
    expect_same("0", "hperiod", "frozenset([])");
    expect_same("0", "hperiod", "()");
    expect_err(ERR_TYPE, "hperiod", "5");
    expect_err(ERR_TYPE, "hperiod", "frozenset([(0, 0), (0, 1)])");
    expect_same("1", "hperiod", "frozenset([(0, 0)])");
    expect_same("1", "hperiod", "((1, (0, 0)), (1, (0, 1)))");
    expect_same("2", "hperiod", "((1, (0, 0)), (2, (0, 1)))");
    expect_same("2", "hperiod", "frozenset([(1, (0, 1)), (1, (True, 0))])");
    expect_same("2", "hperiod", "frozenset([(1, (0, 0)), (1, (0, 1)), (1, (0, 2)), (1, (1, 0)), (1, (1, 2)), (2, (1, 1))])");
    /* two colours at one place, and a box far larger than the cells: the
     * search by binary search instead of the dense table (expected values
     * from dsl.py) */
    expect_same("1", "hperiod", "frozenset([(1, (0, 0)), (2, (0, 0)), (1, (0, 1)), (2, (0, 1))])");
    expect_same("2", "hperiod", "frozenset([(1, (0, 0)), (2, (0, 0)), (1, (0, 2)), (2, (0, 2)), (3, (0, 1))])");
    expect_same("2000", "hperiod", "frozenset([(1, (0, 0)), (1, (0, 2000))])");
}

Test(patch, vperiod)
{
    expect_same("1", "vperiod", "frozenset([(2, (2, 0)), (2, (2, 3)), (2, (2, 6)), (3, (2, 1)), (3, (2, 2)), (3, (2, 4)), (3, (2, 5))])");
    expect_same("2", "vperiod", "frozenset([(1, (2, 0)), (1, (2, 3)), (1, (2, 6)), (1, (3, 1)), (1, (3, 4)), (1, (3, 7)), (2, (2, 1)), (2, (2, 2)), (2, (2, 4)), (2, (2, 5)), (2, (2, 7)), (2, (3, 0)), (2, (3, 2)), (2, (3, 3)), (2, (3, 5)), (2, (3, 6))])");
    expect_same("2", "vperiod", "frozenset([(1, (0, 0)), (1, (2, 0)), (2, (1, 0)), (2, (3, 0))])");
    expect_same("1", "vperiod", "frozenset([(1, (0, 0)), (1, (1, 0)), (1, (2, 0))])");
    expect_same("2", "vperiod", "frozenset([(1, (0, 0)), (2, (0, 0)), (1, (1, 0)), (3, (1, 0)), (1, (2, 0)), (2, (2, 0))])");
    expect_same("2500", "vperiod", "frozenset([(4, (3, 7)), (4, (2503, 7)), (5, (1253, 7))])");
    expect_same("0", "vperiod", "frozenset([])");
    expect_same("0", "vperiod", "()");
    expect_err(ERR_TYPE, "vperiod", "5");
    expect_err(ERR_TYPE, "vperiod", "frozenset([(0, 0), (1, 0)])");
    expect_err(ERR_TYPE, "vperiod", "((1, 2), (3, 4))");
    expect_same("4", "vperiod", "frozenset([(1, (0, 0)), (1, (2, 0)), (2, (1, 0)), (3, (3, 0))])");
    expect_same("2", "vperiod", "frozenset([(1, (0, 0)), (1, (1, 0)), (1, (2, 0)), (1, (4, 0)), (2, (0, 1)), (2, (2, 1)), (2, (4, 1))])");
}

/* battrace's documented size bound (runtime/limits.h): where Python would
 * build billions of items (or run out of memory), a run fails with
 * MemoryError instead of exhausting the machine. */
Test(patch, size_limits)
{
    expect_err(ERR_MEMORY, "backdrop", "frozenset({(0, 0), (100000, 100000)})");
    expect_err(ERR_MEMORY, "connect", "(0, 0)", "(0, 1000000000000)");
    expect_err(ERR_MEMORY, "box", "frozenset({(0, -9000000000000), (0, 9000000000000)})");
    expect_err(ERR_MEMORY, "inbox", "frozenset({(0, -2000000000), (0, 2000000000)})");
}
