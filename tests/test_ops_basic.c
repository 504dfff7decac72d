/* test_ops_basic.c: the "basic" family (ops/arith.c, ops/containers.c).
 *
 * Every expected value and exception class was produced by running the
 * Python arc-dsl with tools/canonical.py installed (canonical set order) on
 * the same arguments: the tests.py examples first, then empty inputs,
 * mismatched kinds and the traps of each primitive. Results past 64 bits are
 * OverflowError here by design (limits.h). Run with --filter 'basic/ *'. */
#include "support.h"

#include "../runtime/limits.h"

Test(basic, identity)
{
    expect_same("1", "identity", "1");
    expect_same("frozenset({(0, 0), (1, 2)})", "identity", "frozenset({(1, 2), (0, 0)})");
    expect_same("()", "identity", "()");
    expect_same("identity", "identity", "identity");
    expect_same("None", "identity", "None");
}

Test(basic, add)
{
    expect_same("3", "add", "1", "2");
    expect_same("10", "add", "4", "6");
    expect_same("(4, 6)", "add", "(1, 2)", "(3, 4)");
    expect_same("(4, 1)", "add", "3", "(1, -2)");
    expect_same("(4, 1)", "add", "(1, -2)", "3");
    expect_same("2", "add", "True", "True");
    expect_same("(2, 3)", "add", "(True, 2)", "1");
    expect_same("((1, 3), (2, 4, 5))", "add", "((1,), (2,))", "((3,), (4, 5))");
    expect_err(ERR_TYPE, "add", "((1,), 2)", "5");
    expect_err(ERR_INDEX, "add", "(1,)", "(2, 3)");
    expect_err(ERR_INDEX, "add", "(1, 2)", "(3,)");
    expect_err(ERR_INDEX, "add", "()", "(1, 2)");
    expect_same("(2, 3)", "add", "(1, 2, 3)", "(1, 1, 1)");
    expect_err(ERR_TYPE, "add", "frozenset({1, 2})", "1");
    expect_err(ERR_TYPE, "add", "1", "frozenset({1, 2})");
    expect_err(ERR_TYPE, "add", "(1, 2)", "frozenset({1})");
    expect_err(ERR_TYPE, "add", "None", "1");
    expect_err(ERR_TYPE, "add", "identity", "1");
    expect_same("(2147483648, 2147483648)", "add", "2147483647", "(1, 1)");
    /* add(9223372036854775807, 1) = 9223372036854775808 in Python: past 64 bits */
    expect_err(ERR_OVERFLOW, "add", "9223372036854775807", "1");
    expect_err(ERR_TYPE, "add", "(1, (2, 3))", "(4, 5)");
    expect_err(ERR_TYPE, "add", "(frozenset({1}), 1)", "(frozenset({2}), 1)");
}

Test(basic, subtract)
{
    expect_same("-1", "subtract", "1", "2");
    expect_same("-2", "subtract", "4", "6");
    expect_same("(4, 3)", "subtract", "(5, 5)", "(1, 2)");
    expect_same("(9, 8)", "subtract", "10", "(1, 2)");
    expect_same("(7, 17)", "subtract", "(10, 20)", "3");
    expect_err(ERR_TYPE, "subtract", "((1,), 2)", "((1,), 1)");
    expect_err(ERR_INDEX, "subtract", "()", "()");
    expect_err(ERR_INDEX, "subtract", "(1,)", "(1,)");
    expect_err(ERR_TYPE, "subtract", "frozenset()", "0");
    expect_same("-1", "subtract", "False", "True");
    expect_same("(frozenset({1}), frozenset())", "subtract", "(frozenset({1, 2}), frozenset({3}))", "(frozenset({2}), frozenset({3, 4}))");
    expect_err(ERR_INDEX, "subtract", "(frozenset(),)", "frozenset({1})");
    expect_err(ERR_TYPE, "subtract", "frozenset({1, 2})", "frozenset({1})");
    expect_err(ERR_TYPE, "subtract", "(frozenset({1}), 2)", "(1, 2)");
}

Test(basic, multiply)
{
    expect_same("6", "multiply", "2", "3");
    expect_same("12", "multiply", "4", "3");
    expect_same("(8, 15)", "multiply", "(2, 3)", "(4, 5)");
    expect_same("((1, 2, 1, 2), 6)", "multiply", "2", "((1, 2), 3)");
    expect_same("((1, 1, 1), 6)", "multiply", "((1,), 2)", "3");
    expect_same("((1, 2, 1, 2), (4, 4, 4))", "multiply", "((1, 2), 3)", "(2, (4,))");
    expect_err(ERR_INDEX, "multiply", "()", "2");
    expect_err(ERR_TYPE, "multiply", "frozenset({1})", "2");
    expect_err(ERR_TYPE, "multiply", "2", "None");
    expect_same("(3, 4)", "multiply", "True", "(3, 4)");
    expect_err(ERR_TYPE, "multiply", "(frozenset({1}), 2)", "(frozenset({1}), 2)");
}

Test(basic, divide)
{
    expect_same("2", "divide", "4", "2");
    expect_same("4", "divide", "9", "2");
    expect_same("-4", "divide", "-7", "2");
    expect_err(ERR_ZERODIV, "divide", "1", "0");
    expect_same("(3, -4)", "divide", "(7, -7)", "(2, 2)");
    expect_err(ERR_ZERODIV, "divide", "(7, 8)", "0");
    expect_same("(2, -3)", "divide", "12", "(5, -5)");
    expect_err(ERR_ZERODIV, "divide", "(1, 2)", "(0, 1)");
    expect_err(ERR_ZERODIV, "divide", "(1, 2)", "(1, 0)");
    expect_err(ERR_TYPE, "divide", "((1,), 2)", "1");
    expect_err(ERR_INDEX, "divide", "()", "1");
    expect_err(ERR_TYPE, "divide", "frozenset({1})", "1");
    expect_same("1", "divide", "True", "True");
}

Test(basic, invert)
{
    expect_same("-1", "invert", "1");
    expect_same("4", "invert", "-4");
    expect_same("(-1, 2)", "invert", "(1, -2)");
    expect_same("-1", "invert", "True");
    expect_same("(-1, -2)", "invert", "(1, 2, 3)");
    expect_err(ERR_INDEX, "invert", "()");
    expect_err(ERR_INDEX, "invert", "(5,)");
    expect_err(ERR_TYPE, "invert", "frozenset({1, 2})");
    expect_err(ERR_TYPE, "invert", "((1,), 2)");
    expect_err(ERR_TYPE, "invert", "None");
}

Test(basic, even)
{
    expect_same("False", "even", "1");
    expect_same("True", "even", "2");
    expect_same("False", "even", "-3");
    expect_same("False", "even", "True");
    expect_err(ERR_TYPE, "even", "(2, 2)");
    expect_err(ERR_TYPE, "even", "()");
    expect_err(ERR_TYPE, "even", "frozenset()");
}

Test(basic, double)
{
    expect_same("2", "double", "1");
    expect_same("(2, -6)", "double", "(1, -3)");
    expect_same("((1, 1), 4)", "double", "((1,), 2)");
    expect_err(ERR_INDEX, "double", "()");
    expect_err(ERR_TYPE, "double", "frozenset({1, 2})");
    expect_same("0", "double", "False");
    expect_same("(2, 4)", "double", "(1, 2, 3)");
}

Test(basic, halve)
{
    expect_same("1", "halve", "2");
    expect_same("2", "halve", "5");
    expect_same("-3", "halve", "-5");
    expect_same("(2, -3)", "halve", "(5, -5)");
    expect_err(ERR_INDEX, "halve", "()");
    expect_err(ERR_TYPE, "halve", "((1,), 2)");
    expect_err(ERR_TYPE, "halve", "frozenset({4, 6})");
    expect_same("0", "halve", "True");
}

Test(basic, flip)
{
    expect_same("True", "flip", "False");
    expect_same("False", "flip", "True");
    expect_same("True", "flip", "0");
    expect_same("True", "flip", "()");
    expect_same("False", "flip", "(0,)");
    expect_same("True", "flip", "frozenset()");
    expect_same("False", "flip", "identity");
    expect_same("True", "flip", "None");
}

Test(basic, equality)
{
    expect_same("True", "equality", "((1, 0), (0, 1), (1, 0))", "((1, 0), (0, 1), (1, 0))");
    expect_same("False", "equality", "((1, 0), (0, 1), (1, 0))", "((2, 1), (0, 1), (2, 1))");
    expect_same("True", "equality", "1", "True");
    expect_same("False", "equality", "()", "frozenset()");
    expect_same("True", "equality", "frozenset({1, 2})", "frozenset({2, 1})");
    expect_same("True", "equality", "identity", "identity");
    expect_same("False", "equality", "identity", "flip");
    expect_same("False", "equality", "(1, 2)", "frozenset({1, 2})");
}

Test(basic, both)
{
    expect_same("False", "both", "True", "False");
    expect_same("True", "both", "True", "True");
    expect_same("False", "both", "False", "False");
    expect_same("0", "both", "0", "(1, 2)");
    expect_same("(1, 2)", "both", "3", "(1, 2)");
    expect_same("()", "both", "()", "5");
    expect_same("None", "both", "frozenset({1})", "None");
}

Test(basic, either)
{
    expect_same("True", "either", "True", "False");
    expect_same("True", "either", "True", "True");
    expect_same("False", "either", "False", "False");
    expect_same("(1, 2)", "either", "0", "(1, 2)");
    expect_same("3", "either", "3", "(1, 2)");
    expect_same("frozenset()", "either", "()", "frozenset()");
    expect_same("0", "either", "None", "0");
}

Test(basic, increment)
{
    expect_same("2", "increment", "1");
    expect_same("(2, 3)", "increment", "(1, 2)");
    expect_same("2", "increment", "True");
    expect_err(ERR_INDEX, "increment", "()");
    expect_err(ERR_TYPE, "increment", "((1,), 2)");
    expect_err(ERR_TYPE, "increment", "frozenset({1})");
    expect_same("(2, 3)", "increment", "(1, 2, 3)");
    expect_err(ERR_INDEX, "increment", "(7,)");
}

Test(basic, decrement)
{
    expect_same("0", "decrement", "1");
    expect_same("(-1, 4)", "decrement", "(0, 5)");
    expect_same("-1", "decrement", "False");
    expect_err(ERR_INDEX, "decrement", "()");
    expect_err(ERR_TYPE, "decrement", "frozenset()");
    expect_err(ERR_TYPE, "decrement", "(None, 1)");
}

Test(basic, crement)
{
    expect_same("2", "crement", "1");
    expect_same("-3", "crement", "-2");
    expect_same("0", "crement", "0");
    expect_same("2", "crement", "True");
    expect_same("0", "crement", "False");
    expect_same("(0, -4)", "crement", "(0, -3)");
    expect_same("(4, 0)", "crement", "(3, 0, 9)");
    expect_err(ERR_INDEX, "crement", "()");
    expect_err(ERR_INDEX, "crement", "(1,)");
    expect_err(ERR_TYPE, "crement", "((1,), 2)");
    expect_err(ERR_TYPE, "crement", "((), 2)");
    expect_err(ERR_TYPE, "crement", "(None, 2)");
    expect_same("(0, 2)", "crement", "(False, True)");
    expect_err(ERR_TYPE, "crement", "frozenset({1, 2})");
    expect_err(ERR_TYPE, "crement", "None");
}

Test(basic, sign)
{
    expect_same("1", "sign", "2");
    expect_same("0", "sign", "0");
    expect_same("-1", "sign", "-1");
    expect_same("1", "sign", "True");
    expect_same("(-1, 1)", "sign", "(-5, 7)");
    expect_same("(0, 0)", "sign", "(0, 0)");
    expect_err(ERR_INDEX, "sign", "()");
    expect_err(ERR_INDEX, "sign", "(3,)");
    expect_err(ERR_TYPE, "sign", "((1,), 2)");
    expect_err(ERR_TYPE, "sign", "frozenset({1, 2})");
    expect_same("(0, 1)", "sign", "(False, True, 5)");
}

Test(basic, positive)
{
    expect_same("True", "positive", "1");
    expect_same("False", "positive", "-2");
    expect_same("False", "positive", "0");
    expect_same("True", "positive", "True");
    expect_err(ERR_TYPE, "positive", "(1, 2)");
    expect_err(ERR_TYPE, "positive", "()");
    expect_err(ERR_TYPE, "positive", "frozenset()");
    expect_err(ERR_TYPE, "positive", "None");
}

Test(basic, toivec)
{
    expect_same("(2, 0)", "toivec", "2");
    expect_same("(-3, 0)", "toivec", "-3");
    expect_same("((), 0)", "toivec", "()");
    expect_same("(frozenset({1}), 0)", "toivec", "frozenset({1})");
    expect_same("((1, 2), 0)", "toivec", "(1, 2)");
    expect_same("(True, 0)", "toivec", "True");
    expect_same("(4294967296, 0)", "toivec", "4294967296");
}

Test(basic, tojvec)
{
    expect_same("(0, 3)", "tojvec", "3");
    expect_same("(0, ())", "tojvec", "()");
    expect_same("(0, frozenset())", "tojvec", "frozenset()");
    expect_same("(0, (1, 2))", "tojvec", "(1, 2)");
    expect_same("(0, None)", "tojvec", "None");
}

Test(basic, astuple)
{
    expect_same("(3, 4)", "astuple", "3", "4");
    expect_same("((), ())", "astuple", "()", "()");
    expect_same("(frozenset({1}), (2, 3))", "astuple", "frozenset({1})", "(2, 3)");
    expect_same("(1, (2, 3))", "astuple", "1", "(2, 3)");
    expect_same("(True, 1)", "astuple", "True", "1");
}

Test(basic, greater)
{
    expect_same("True", "greater", "2", "1");
    expect_same("False", "greater", "4", "10");
    expect_same("False", "greater", "1", "1");
    expect_same("True", "greater", "True", "False");
    expect_same("True", "greater", "(1, 3)", "(1, 2)");
    expect_same("False", "greater", "(1,)", "(1, 0)");
    expect_same("False", "greater", "()", "()");
    expect_same("True", "greater", "frozenset({1, 2})", "frozenset({1})");
    expect_same("False", "greater", "frozenset({1, 2})", "frozenset({3})");
    expect_err(ERR_TYPE, "greater", "1", "(1,)");
    expect_err(ERR_TYPE, "greater", "frozenset()", "0");
    expect_err(ERR_TYPE, "greater", "None", "None");
    expect_err(ERR_TYPE, "greater", "identity", "flip");
    expect_err(ERR_TYPE, "greater", "(1, 2)", "(1, (2,))");
}

Test(basic, branch)
{
    expect_same("1", "branch", "True", "1", "3");
    expect_same("2", "branch", "False", "4", "2");
    expect_same("2", "branch", "()", "1", "2");
    expect_same("1", "branch", "(0,)", "1", "2");
    expect_same("flip", "branch", "frozenset()", "identity", "flip");
    expect_same("frozenset()", "branch", "5", "frozenset()", "()");
    expect_same("2", "branch", "None", "1", "2");
}

Test(basic, contained)
{
    expect_same("True", "contained", "1", "(1, 3)");
    expect_same("False", "contained", "2", "frozenset({3, 4})");
    expect_same("True", "contained", "3", "frozenset({3, 4})");
    expect_same("True", "contained", "True", "(1, 3)");
    expect_same("True", "contained", "(1, 2)", "frozenset({(1, 2), (3, 4)})");
    expect_same("False", "contained", "1", "()");
    expect_same("False", "contained", "1", "frozenset()");
    expect_err(ERR_TYPE, "contained", "1", "1");
    expect_err(ERR_TYPE, "contained", "1", "None");
    expect_err(ERR_TYPE, "contained", "()", "identity");
    expect_same("True", "contained", "2", "(1, 2)");
    expect_same("True", "contained", "(1, 2)", "((1, 2),)");
}

Test(basic, combine)
{
    expect_same("frozenset({1, 2, 3, 4})", "combine", "frozenset({1, 2})", "frozenset({3, 4})");
    expect_same("(1, 2, 3, 4)", "combine", "(1, 2)", "(3, 4)");
    expect_same("(1, 2, 3, 4)", "combine", "(1, 2)", "frozenset({4, 3})");
    expect_same("frozenset({1, 3, 5})", "combine", "frozenset({5, 1})", "(3, 1, 3)");
    expect_same("()", "combine", "()", "()");
    expect_same("()", "combine", "()", "frozenset()");
    expect_same("frozenset()", "combine", "frozenset()", "()");
    expect_same("(1, 2)", "combine", "()", "(1, 2)");
    expect_same("(3,)", "combine", "(3,)", "frozenset()");
    expect_err(ERR_TYPE, "combine", "1", "(1,)");
    expect_err(ERR_TYPE, "combine", "(1,)", "1");
    expect_err(ERR_TYPE, "combine", "None", "()");
    expect_same("(1, 2, (3, 4))", "combine", "(1, 2)", "((3, 4),)");
    expect_same("frozenset({1})", "combine", "frozenset({1})", "frozenset({True})");
    expect_same("frozenset({True})", "combine", "frozenset({True})", "(1,)");
}

Test(basic, intersection)
{
    expect_same("frozenset({2})", "intersection", "frozenset({1, 2})", "frozenset({2, 3})");
    expect_same("frozenset()", "intersection", "frozenset()", "frozenset({2, 3})");
    expect_same("2", "intersection", "6", "3");
    expect_same("False", "intersection", "True", "False");
    expect_same("1", "intersection", "True", "3");
    expect_err(ERR_TYPE, "intersection", "(1, 2)", "(2, 3)");
    expect_err(ERR_TYPE, "intersection", "frozenset({1})", "(1,)");
    expect_same("frozenset({(3, 4)})", "intersection", "frozenset({(1, 2), (3, 4)})", "frozenset({(3, 4), (5, 6)})");
    expect_same("frozenset({True})", "intersection", "frozenset({1, 2})", "frozenset({True})");
    expect_same("frozenset({True})", "intersection", "frozenset({True})", "frozenset({1, 2})");
    expect_same("frozenset({1, 2})", "intersection", "frozenset({True, 2})", "frozenset({1, 2})");
    expect_same("frozenset({True, 2})", "intersection", "frozenset({1, 2})", "frozenset({True, 2})");
}

Test(basic, difference)
{
    expect_same("frozenset({3})", "difference", "frozenset({1, 2, 3})", "frozenset({1, 2})");
    expect_same("frozenset()", "difference", "frozenset()", "frozenset({1, 2})");
    expect_same("(1, 2, 5)", "difference", "(3, 1, 2, 3, 5)", "frozenset({3})");
    expect_same("(3, 1, 3)", "difference", "(3, 1, 2, 3, 5)", "(2, 5)");
    expect_same("frozenset({1, 3})", "difference", "frozenset({1, 2, 3})", "(2,)");
    expect_same("()", "difference", "()", "5");
    expect_err(ERR_TYPE, "difference", "(1,)", "5");
    expect_err(ERR_TYPE, "difference", "5", "()");
    expect_err(ERR_TYPE, "difference", "frozenset({1})", "None");
    expect_same("(1, 2)", "difference", "(1, 2)", "(3, 4)");
    expect_same("(1, 3, 5, 7, 9, 11)", "difference", "(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)", "(2, 4, 6, 8, 10, 12, 14, 16, 18, 20)");
}

Test(basic, dedupe)
{
    expect_same("(1, 2, 3, 4)", "dedupe", "(1, 2, 3, 3, 2, 4, 1)");
    expect_same("()", "dedupe", "()");
    expect_same("()", "dedupe", "frozenset()");
    expect_err(ERR_ATTRIBUTE, "dedupe", "frozenset({1})");
    expect_err(ERR_TYPE, "dedupe", "5");
    expect_same("(1, 2)", "dedupe", "(1, True, 1, 2)");
    expect_same("(True,)", "dedupe", "(True, 1)");
    expect_same("((1, 2), frozenset())", "dedupe", "((1, 2), (1, 2), frozenset(), frozenset())");
    expect_same("(1, 2)", "dedupe", "(1, 2)");
    expect_same("(5,)", "dedupe", "(5, 5)");
    expect_same("(9, 8, 7, 6, 5, 4, 3, 2, 1, 0)", "dedupe", "(9, 8, 7, 6, 5, 4, 3, 2, 1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6)");
}

Test(basic, repeat)
{
    expect_same("(((3, 4), (5, 5)), ((3, 4), (5, 5)), ((3, 4), (5, 5)))", "repeat", "((3, 4), (5, 5))", "3");
    expect_same("(7, 7)", "repeat", "7", "2");
    expect_same("()", "repeat", "7", "0");
    expect_same("()", "repeat", "7", "-5");
    expect_same("((1,),)", "repeat", "(1,)", "True");
    expect_err(ERR_TYPE, "repeat", "1", "(3,)");
    expect_err(ERR_TYPE, "repeat", "1", "frozenset()");
    expect_err(ERR_TYPE, "repeat", "1", "None");
    expect_same("(frozenset(),)", "repeat", "frozenset()", "1");
}

Test(basic, size)
{
    expect_same("3", "size", "(1, 2, 3)");
    expect_same("2", "size", "frozenset({2, 5})");
    expect_same("0", "size", "()");
    expect_same("0", "size", "frozenset()");
    expect_same("3", "size", "((1, 2), (3, 4), (5, 6))");
    expect_err(ERR_TYPE, "size", "5");
    expect_err(ERR_TYPE, "size", "None");
    expect_err(ERR_TYPE, "size", "identity");
    expect_same("2", "size", "(1, 2)");
}

Test(basic, merge)
{
    expect_same("frozenset({(1, (0, 0)), (1, (0, 1)), (1, (1, 1))})", "merge", "frozenset({frozenset({(1, (0, 0))}), frozenset({(1, (1, 1)), (1, (0, 1))})})");
    expect_same("(1, 2, 3, 4, 5)", "merge", "((1, 2), (3, 4, 5))");
    expect_same("(4, 5, 7)", "merge", "((4, 5), (7,))");
    expect_same("()", "merge", "()");
    expect_same("frozenset()", "merge", "frozenset()");
    expect_same("(1, 3, 1, 2)", "merge", "(frozenset({3, 1}), frozenset({2, 1}))");
    expect_same("(3, 1, 2, 5)", "merge", "((3, 1), frozenset({5, 2}))");
    expect_same("frozenset({1, 2, 3, 4})", "merge", "frozenset({(1, 2), (3, 4)})");
    expect_same("frozenset({1, 2, 3})", "merge", "frozenset({frozenset({1, 2}), (2, 3)})");
    expect_err(ERR_TYPE, "merge", "(1, 2)");
    expect_err(ERR_TYPE, "merge", "((1,), 2)");
    expect_err(ERR_TYPE, "merge", "5");
    expect_same("()", "merge", "((), ())");
    expect_same("frozenset()", "merge", "frozenset({()})");
    expect_same("(1, 2, 2, (3, 4))", "merge", "((1, 2), (2, (3, 4)))");
}

Test(basic, maximum)
{
    expect_same("5", "maximum", "frozenset({1, 2, 5, 3})");
    expect_same("6", "maximum", "(4, 2, 6)");
    expect_same("0", "maximum", "()");
    expect_same("0", "maximum", "frozenset()");
    expect_err(ERR_TYPE, "maximum", "5");
    expect_same("(1, 2)", "maximum", "frozenset({(1, 2), (0, 5)})");
    expect_err(ERR_TYPE, "maximum", "(1, (2,))");
    expect_same("(1, 3)", "maximum", "((1, 2), (1, 3), (0, 9))");
    expect_same("frozenset({1})", "maximum", "frozenset({frozenset({1}), frozenset({2})})");
    expect_same("frozenset({1, 2})", "maximum", "frozenset({frozenset({1}), frozenset({1, 2})})");
    expect_same("True", "maximum", "(True, 1)");
    expect_same("1", "maximum", "(1, True)");
    expect_same("-2", "maximum", "(-5, -2, -9)");
    expect_err(ERR_TYPE, "maximum", "None");
}

Test(basic, minimum)
{
    expect_same("1", "minimum", "frozenset({1, 2, 5, 3})");
    expect_same("2", "minimum", "(4, 2, 6)");
    expect_same("0", "minimum", "()");
    expect_same("0", "minimum", "frozenset()");
    expect_err(ERR_TYPE, "minimum", "5");
    expect_same("(0, 5)", "minimum", "frozenset({(1, 2), (0, 5)})");
    expect_err(ERR_TYPE, "minimum", "(1, (2,))");
    expect_same("frozenset({1})", "minimum", "frozenset({frozenset({1}), frozenset({2})})");
    expect_same("1", "minimum", "(1, True)");
    expect_same("True", "minimum", "(True, 1)");
    expect_err(ERR_TYPE, "minimum", "frozenset({1, (2, 3)})");
}

Test(basic, mostcommon)
{
    expect_same("3", "mostcommon", "(1, 2, 2, 3, 3, 3)");
    expect_same("1", "mostcommon", "(3, 3, 1, 1)");
    expect_same("1", "mostcommon", "(9, 1, 9, 1)");
    expect_err(ERR_VALUE, "mostcommon", "()");
    expect_err(ERR_ATTRIBUTE, "mostcommon", "frozenset()");
    expect_err(ERR_ATTRIBUTE, "mostcommon", "frozenset({1, 2})");
    expect_err(ERR_TYPE, "mostcommon", "5");
    expect_err(ERR_TYPE, "mostcommon", "None");
    expect_same("(1, 2)", "mostcommon", "((1, 2), (1, 2), (0, 5))");
    expect_same("(1, 2)", "mostcommon", "((1, 2), (3, 4))");
    expect_same("True", "mostcommon", "(True, 1, 2, 2)");
    expect_same("1", "mostcommon", "(1, True, 2)");
    expect_same("1", "mostcommon", "(1, 2)");
    expect_same("100000", "mostcommon", "(-100000, 100000, 100000)");
    expect_same("(1,)", "mostcommon", "(frozenset(), (1,), 2, (1,), frozenset())");
}

Test(basic, leastcommon)
{
    expect_same("1", "leastcommon", "(1, 2, 3, 4, 2, 3, 4)");
    expect_same("1", "leastcommon", "(3, 3, 1, 1, 2, 2)");
    expect_same("9", "leastcommon", "(5, 5, 9)");
    expect_err(ERR_VALUE, "leastcommon", "()");
    expect_err(ERR_ATTRIBUTE, "leastcommon", "frozenset()");
    expect_err(ERR_ATTRIBUTE, "leastcommon", "frozenset({1})");
    expect_err(ERR_TYPE, "leastcommon", "5");
    expect_same("(1, 2)", "leastcommon", "((1, 2), (0, 1), (0, 1))");
    expect_same("True", "leastcommon", "(True, 1, 2, 2)");
    expect_same("0", "leastcommon", "(4, 0)");
    expect_same("-100000", "leastcommon", "(-100000, 100000, 100000)");
}

Test(basic, initset)
{
    expect_same("frozenset({2})", "initset", "2");
    expect_same("frozenset({()})", "initset", "()");
    expect_same("frozenset({frozenset()})", "initset", "frozenset()");
    expect_same("frozenset({identity})", "initset", "identity");
    expect_same("frozenset({None})", "initset", "None");
    expect_same("frozenset({(1, 2)})", "initset", "(1, 2)");
}

Test(basic, totuple)
{
    expect_same("(1,)", "totuple", "frozenset({1})");
    expect_same("(1, 2, 3)", "totuple", "frozenset({3, 1, 2})");
    expect_same("()", "totuple", "frozenset()");
    expect_same("()", "totuple", "()");
    expect_same("(3, 1)", "totuple", "(3, 1)");
    expect_same("(0, (1, 2))", "totuple", "frozenset({(1, 2), 0})");
    expect_err(ERR_TYPE, "totuple", "5");
    expect_err(ERR_TYPE, "totuple", "None");
    expect_same("(1, 2)", "totuple", "frozenset({1, 2})");
    expect_same("((0, (5, 5)), (1, (0, 0)))", "totuple", "frozenset({(1, (0, 0)), (0, (5, 5))})");
}

Test(basic, first)
{
    expect_same("2", "first", "(2, 3)");
    expect_same("3", "first", "frozenset({3, (1,), frozenset()})");
    expect_err(ERR_STOPITER, "first", "()");
    expect_err(ERR_STOPITER, "first", "frozenset()");
    expect_err(ERR_TYPE, "first", "5");
    expect_err(ERR_TYPE, "first", "None");
    expect_same("(1, 2)", "first", "((1, 2), (3, 4))");
    expect_same("1", "first", "(1, (2, 3))");
    expect_err(ERR_TYPE, "first", "identity");
}

Test(basic, last)
{
    expect_same("3", "last", "(2, 3)");
    expect_same("frozenset()", "last", "frozenset({3, (1,), frozenset()})");
    expect_err(ERR_VALUE, "last", "()");
    expect_err(ERR_VALUE, "last", "frozenset()");
    expect_err(ERR_TYPE, "last", "5");
    expect_err(ERR_TYPE, "last", "None");
    expect_same("(3, 4)", "last", "((1, 2), (3, 4))");
    expect_same("(2, 3)", "last", "(1, (2, 3))");
}

Test(basic, insert)
{
    expect_same("frozenset({1, 2})", "insert", "1", "frozenset({2})");
    expect_same("frozenset({2, 5, 9})", "insert", "5", "frozenset({2, 9})");
    expect_same("frozenset({2, 9})", "insert", "2", "frozenset({2, 9})");
    expect_same("frozenset({1})", "insert", "True", "frozenset({1})");
    expect_same("frozenset({1})", "insert", "1", "frozenset()");
    expect_same("frozenset({1, (1, 2), frozenset()})", "insert", "(1, 2)", "frozenset({1, frozenset()})");
    expect_err(ERR_ATTRIBUTE, "insert", "1", "()");
    expect_err(ERR_ATTRIBUTE, "insert", "1", "(1, 2)");
    expect_err(ERR_ATTRIBUTE, "insert", "1", "5");
    expect_same("frozenset({flip, identity})", "insert", "identity", "frozenset({flip})");
}

Test(basic, remove)
{
    expect_same("frozenset({2})", "remove", "1", "frozenset({1, 2})");
    expect_same("frozenset({1, 2})", "remove", "3", "frozenset({1, 2})");
    expect_same("(2, 3)", "remove", "1", "(1, 2, 1, 3)");
    expect_same("(2, 3)", "remove", "True", "(1, 2, 1, 3)");
    expect_same("()", "remove", "1", "()");
    expect_same("frozenset()", "remove", "1", "frozenset()");
    expect_err(ERR_TYPE, "remove", "1", "5");
    expect_err(ERR_TYPE, "remove", "1", "None");
    expect_same("(2,)", "remove", "1", "(1, 2)");
    expect_same("(1, (1, 2))", "remove", "2", "(1, (1, 2))");
}

Test(basic, other)
{
    expect_same("2", "other", "frozenset({1, 2})", "1");
    expect_same("1", "other", "frozenset({1, 2})", "2");
    expect_same("2", "other", "frozenset({1, 2, 3})", "1");
    expect_same("2", "other", "(1, 1, 2)", "1");
    expect_err(ERR_STOPITER, "other", "frozenset({1})", "1");
    expect_err(ERR_STOPITER, "other", "()", "1");
    expect_err(ERR_STOPITER, "other", "frozenset()", "1");
    expect_err(ERR_TYPE, "other", "5", "1");
    expect_err(ERR_TYPE, "other", "None", "1");
    expect_same("1", "other", "(1, 2)", "3");
}

Test(basic, interval)
{
    expect_same("(1, 2, 3)", "interval", "1", "4", "1");
    expect_same("(5, 4, 3)", "interval", "5", "2", "-1");
    expect_same("(0, 3, 6, 9)", "interval", "0", "10", "3");
    expect_same("()", "interval", "0", "0", "1");
    expect_same("()", "interval", "5", "1", "1");
    expect_err(ERR_VALUE, "interval", "1", "5", "0");
    expect_same("(0, 1)", "interval", "0", "2", "1");
    expect_same("(1, 2)", "interval", "True", "3", "True");
    expect_err(ERR_TYPE, "interval", "(1,)", "3", "1");
    expect_err(ERR_TYPE, "interval", "(1,)", "3", "0");
    expect_err(ERR_TYPE, "interval", "1", "3", "frozenset()");
    expect_err(ERR_TYPE, "interval", "1", "None", "1");
    expect_same("(-9223372036854775808, -4611686018427387904, 0, 4611686018427387904)", "interval", "-9223372036854775808", "9223372036854775807", "4611686018427387904");
    expect_same("(9223372036854775807, -1)", "interval", "9223372036854775807", "-9223372036854775808", "-9223372036854775808");
}

Test(basic, product)
{
    expect_same("frozenset({(1, 2), (1, 3), (2, 2), (2, 3)})", "product", "frozenset({1, 2})", "frozenset({2, 3})");
    expect_same("frozenset({(1, 3), (1, 4), (2, 3), (2, 4)})", "product", "(1, 2)", "(3, 4)");
    expect_same("frozenset({(1, 3), (2, 3)})", "product", "(2, 1, 2)", "(3,)");
    expect_same("frozenset()", "product", "frozenset()", "frozenset({1})");
    expect_same("frozenset()", "product", "frozenset({1})", "frozenset()");
    expect_same("frozenset()", "product", "5", "()");
    expect_err(ERR_TYPE, "product", "5", "(1,)");
    expect_err(ERR_TYPE, "product", "()", "5");
    expect_err(ERR_TYPE, "product", "(1,)", "None");
    expect_same("frozenset({((1, 2), 3), ((1, 2), frozenset())})", "product", "frozenset({(1, 2)})", "frozenset({frozenset(), 3})");
    expect_same("frozenset({(True, 2)})", "product", "(True, 1)", "(2,)");
    expect_same("frozenset({(1, 2)})", "product", "(1, True)", "(2,)");
    expect_same("frozenset({(identity, 1), (identity, 2)})", "product", "frozenset({identity})", "(1, 2)");
}

Test(basic, pair)
{
    expect_same("((1, 4), (2, 3))", "pair", "(1, 2)", "(4, 3)");
    expect_same("((1, 4), (2, 5))", "pair", "(1, 2, 3)", "(4, 5)");
    expect_same("()", "pair", "()", "(1, 2)");
    expect_same("((1, 5), (2, (6, 7)))", "pair", "frozenset({2, 1})", "(5, (6, 7))");
    expect_same("()", "pair", "frozenset()", "frozenset()");
    expect_err(ERR_TYPE, "pair", "1", "(1,)");
    expect_err(ERR_TYPE, "pair", "(1,)", "1");
    expect_err(ERR_TYPE, "pair", "None", "1");
    expect_same("(((1, 2), (5, 6)), ((3, 4), (7, 8)))", "pair", "((1, 2), (3, 4))", "((5, 6), (7, 8))");
    expect_same("((True, 2), (1, True))", "pair", "(True, 1)", "(2, True)");
}

Test(basic, sizefilter)
{
    expect_same("frozenset({frozenset({(1, (0, 0))}), frozenset({(2, (4, 1))}), frozenset({(3, (0, 4))})})", "sizefilter", "frozenset({frozenset({(3, (0, 4))}), frozenset({(1, (0, 0))}), frozenset({(2, (4, 1))}), frozenset({(1, (1, 1)), (1, (1, 2)), (1, (2, 1)), (1, (2, 2))}), frozenset({(2, (3, 2)), (2, (2, 3)), (2, (3, 3))})})", "1");
    expect_same("frozenset()", "sizefilter", "frozenset()", "1");
    expect_same("frozenset()", "sizefilter", "()", "1");
    expect_same("frozenset({(1, 2), (4, 5)})", "sizefilter", "((1, 2), (3,), (4, 5), (1, 2))", "2");
    expect_same("frozenset({(3,)})", "sizefilter", "((1, 2), (3,))", "True");
    expect_same("frozenset()", "sizefilter", "((1, 2), (3,))", "(1,)");
    expect_err(ERR_TYPE, "sizefilter", "(1, 2)", "2");
    expect_err(ERR_TYPE, "sizefilter", "((1, 2), 5)", "2");
    expect_err(ERR_TYPE, "sizefilter", "5", "1");
    expect_same("frozenset({(1, 2), (3, 4)})", "sizefilter", "frozenset({(1, 2), (3, 4)})", "2");
}


/* ---- sizes from data: refused before allocating ---- */

Test(basic, huge_sizes_are_memory_errors)
{
    expect_err(ERR_MEMORY, "repeat", "1", "9223372036854775807");
    expect_err(ERR_MEMORY, "repeat", "(1, 2)", "1000000000000");
    expect_err(ERR_MEMORY, "interval", "0", "9223372036854775807", "1");
    expect_err(ERR_MEMORY, "interval", "9223372036854775807", "-9223372036854775807", "-1");
    /* 10^5 x 10^5 pairs */
    Ctx *ctx = t_ctx();
    Value big, out;
    cr_assert_eq(op_interval(ctx, (Value[]){v_int(0), v_int(100000), v_int(1)}, &big), ERR_OK);
    cr_assert_eq(op_product(ctx, (Value[]){big, big}, &out), ERR_MEMORY);
}

/* ---- representation: results take the packed and flagged shapes ---- */

Test(basic, packed_shapes)
{
    Value out;
    cr_assert_eq(t_call("interval", &out, T_ARGS("0", "2", "1")), ERR_OK);
    cr_assert_eq(out.tag, VT_PAIR);
    cr_assert_eq(t_call("repeat", &out, T_ARGS("(1, 2)", "2")), ERR_OK);
    cr_assert_eq(out.tag, VT_TUPLE);
    cr_assert(v_is_grid(out), "((1, 2), (1, 2)) is a grid");
    cr_assert_eq(t_call("astuple", &out, T_ARGS("3", "(1, 2)")), ERR_OK);
    cr_assert_eq(out.tag, VT_CELL);
    cr_assert_eq(t_call("product", &out, T_ARGS("frozenset({1, 2})", "frozenset({3})")), ERR_OK);
    cr_assert(v_flags(out) & SEQ_PAIRS);
    cr_assert_eq(t_call("merge", &out, T_ARGS("((1, 2), (3, 4))")), ERR_OK);
    cr_assert(v_flags(out) & SEQ_ALLINT);
    cr_assert_eq(t_call("pair", &out, T_ARGS("(1, 2)", "((5, 6), (7, 8))")), ERR_OK);
    cr_assert_eq(out.u.seq->items[0].tag, VT_CELL);
}

/* ---- larger inputs: the fast paths agree with the generic rules ---- */

Test(basic, large_inputs)
{
    Ctx *ctx = t_ctx();
    Value r, s, out, w;
    /* interval(0, 3000, 1) and interval(0, 3000, 2) */
    cr_assert_eq(op_interval(ctx, (Value[]){v_int(0), v_int(3000), v_int(1)}, &r), ERR_OK);
    cr_assert_eq(op_interval(ctx, (Value[]){v_int(0), v_int(3000), v_int(2)}, &s), ERR_OK);
    /* len(difference(r, s)) == 1500 and its first item is 1 */
    cr_assert_eq(op_difference(ctx, (Value[]){r, s}, &out), ERR_OK);
    cr_assert_eq(v_len(out), 1500);
    cr_assert(v_eq(v_item(out, 0), v_int(1)));
    /* dedupe(r + s) == r */
    cr_assert_eq(op_combine(ctx, (Value[]){r, s}, &w), ERR_OK);
    cr_assert_eq(op_dedupe(ctx, (Value[]){w}, &out), ERR_OK);
    cr_assert(v_eq(out, r));
    /* mostcommon(r + s) == 0, leastcommon(r + s) == 1 */
    cr_assert_eq(op_mostcommon(ctx, (Value[]){w}, &out), ERR_OK);
    cr_assert(v_eq(out, v_int(0)));
    cr_assert_eq(op_leastcommon(ctx, (Value[]){w}, &out), ERR_OK);
    cr_assert(v_eq(out, v_int(1)));
    /* size(product(s, s)) == 1500 ** 2, first (0, 0), last (2998, 2998) */
    cr_assert_eq(op_product(ctx, (Value[]){s, s}, &out), ERR_OK);
    cr_assert_eq(v_len(out), 1500u * 1500u);
    cr_assert_eq(op_first(ctx, &out, &w), ERR_OK);
    cr_assert(v_eq(w, v_pair(0, 0)));
    cr_assert_eq(op_last(ctx, &out, &w), ERR_OK);
    cr_assert(v_eq(w, v_pair(2998, 2998)));
}
