"""Generate tests/test_ops_grid.c: the grid family's cases, evaluated with the Python oracle.

    python3 tools/gen_grid_tests.py tests/test_ops_grid.c     (SHARED defaults to ../shared)

Each case below is a primitive name and Python literal arguments; the expected value (or
exception class) is what arc-dsl's dsl.py gives under tools/canonical.py's order. Cases
whose oracle run fails inside canonical.py itself (its canon_sorted cannot sort some
mixed tuples) are skipped and reported.
"""
import os
import sys
SHARED = os.environ.get('SHARED', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared'))
sys.path[:0] = [os.path.join(SHARED, 'tools'), os.path.join(SHARED, 'reference', 'arc-dsl')]
import dsl, canonical
canonical.install(dsl)
CF = canonical.CanonFrozenset

A = ((1, 0), (0, 1), (1, 0))
B = ((2, 1), (0, 1), (2, 1))
C = ((3, 4), (5, 5))
D = ((1, 2, 3), (4, 5, 6), (7, 8, 0))
E = ((1, 2), (4, 5))
G = ((1, 0, 0, 0, 3), (0, 1, 1, 0, 0), (0, 1, 1, 2, 0), (0, 0, 2, 2, 0), (0, 2, 0, 0, 0))
K = ((0, 0, 1, 0, 0, 1, 0, 0), (0, 0, 1, 0, 0, 1, 0, 0), (1, 1, 1, 1, 1, 1, 1, 1), (0, 0, 1, 0, 0, 1, 0, 0), (0, 0, 1, 0, 0, 1, 0, 0), (1, 1, 1, 1, 1, 1, 1, 1), (0, 0, 1, 0, 0, 1, 0, 0), (0, 0, 1, 0, 0, 1, 0, 0))
R = ((1, 2, 3), (4, 5))          # ragged: short second row
RL = ((1, 2), (3, 4, 5))         # ragged: long second row
NG = ((1, None), (None, 1))      # None cells (from index)
TG = (((1, 2), 3), (3, (1, 2)))  # tuple cells
BG = ((True, 1), (0, False))     # bool cells
SG = (frozenset({1, 2}), (3, 4)) # a frozenset row
IG = ((1, 2), 5)                 # an int row
OBJ = "frozenset({(1, (0, 0)), (2, (0, 1)), (2, (1, 1))})"
IDX = "frozenset({(0, 0), (1, 1), (2, 0)})"

ENV = dict(vars(dsl))
ENV.update(frozenset=CF, A=A, B=B, C=C, D=D, E=E, G=G, K=K, R=R, RL=RL, NG=NG, TG=TG, BG=BG, SG=SG, IG=IG)

def rep(v):
    if isinstance(v, (frozenset, set)):
        items = sorted(frozenset.__iter__(v) if isinstance(v, frozenset) else v, key=canonical.canon_key)
        return 'frozenset()' if not items else 'frozenset({' + ', '.join(rep(x) for x in items) + '})'
    if isinstance(v, tuple):
        if len(v) == 1:
            return '(' + rep(v[0]) + ',)'
        return '(' + ', '.join(rep(x) for x in v) + ')'
    if callable(v):
        return v.__name__
    return repr(v)

ERRS = {'TypeError': 'ERR_TYPE', 'ValueError': 'ERR_VALUE', 'IndexError': 'ERR_INDEX',
        'ZeroDivisionError': 'ERR_ZERODIV', 'StopIteration': 'ERR_STOPITER',
        'RuntimeError': 'ERR_RUNTIME', 'AttributeError': 'ERR_ATTRIBUTE', 'KeyError': 'ERR_KEY'}

def cstr(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'

CASES = {}
def case(prim, *args):
    CASES.setdefault(prim, []).append(args)

# ---------------- cases ----------------
for g in ['A', 'C']: case('asindices', g)
case('asindices', '()'); case('asindices', 'frozenset()'); case('asindices', 'frozenset({1})')
case('asindices', '5'); case('asindices', '((),)'); case('asindices', 'R'); case('asindices', '(5,)')
case('asindices', '(frozenset({1, 2}),)'); case('asindices', '(1, 2)')

case('ofcolor', 'A', '0'); case('ofcolor', 'B', '2'); case('ofcolor', 'C', '1')
case('ofcolor', '()', '0'); case('ofcolor', 'R', '5'); case('ofcolor', 'NG', 'None')
case('ofcolor', 'BG', '1'); case('ofcolor', 'A', 'True'); case('ofcolor', 'A', '(1,)')
case('ofcolor', 'IG', '1'); case('ofcolor', '5', '1'); case('ofcolor', 'frozenset({(1, (0, 0))})', '1')
case('ofcolor', 'TG', '(1, 2)')

for u in 'True', 'False':
    for d in 'True', 'False':
        for b in 'True', 'False':
            case('objects', 'G', u, d, b)
case('objects', 'D', 'True', 'False', 'True')
case('objects', 'C', 'False', 'False', 'False')
case('objects', '((1, 1, 2), (1, 2, 2), (3, 3, 2))', 'True', 'False', 'False')
case('objects', '((0, 5, 0), (5, 0, 5), (0, 5, 0))', 'True', 'True', 'True')
case('objects', '((0, 5, 0), (5, 0, 5), (0, 5, 0))', 'True', 'False', 'True')
case('objects', '((2, 2, 1, 1, 1, 1), (2, 2, 1, 0, 0, 1), (0, 0, 0, 0, 3, 3))', 'False', 'False', 'True')
case('objects', '((8, 8, 0), (0, 4, 0), (2, 2, 0))', 'True', 'False', 'True')   # bg tie
case('objects', '((-5, 7), (7, 100000))', 'True', 'True', 'False')
case('objects', '()', 'True', 'False', 'False'); case('objects', '()', 'True', 'False', 'True')
case('objects', '((),)', 'True', 'False', 'False'); case('objects', '((),)', 'True', 'False', 'True')
case('objects', 'frozenset()', 'True', 'False', 'False'); case('objects', 'frozenset()', 'True', 'False', 'True')
case('objects', '5', 'True', 'False', 'False'); case('objects', '5', 'True', 'False', 'True')
case('objects', 'NG', 'True', 'True', 'False'); case('objects', 'NG', 'False', 'False', 'False')
case('objects', 'NG', 'True', 'False', 'True'); case('objects', 'TG', 'True', 'True', 'False')
case('objects', 'BG', 'True', 'False', 'False'); case('objects', 'BG', 'False', 'True', 'True')
case('objects', 'R', 'True', 'False', 'False'); case('objects', 'RL', 'True', 'False', 'False')
case('objects', '((1, 1), (1,))', 'True', 'False', 'False')   # ragged: reached via a neighbour
case('objects', '((1, 2), (3,))', 'True', 'False', 'False')
case('objects', 'SG', 'True', 'False', 'False'); case('objects', 'IG', 'True', 'False', 'False')
case('objects', 'frozenset({(1, (0, 0))})', 'True', 'False', 'True')
case('objects', 'A', '0', '()', 'frozenset({1})'); case('objects', 'A', 'identity', '1', '0')

for g in ['B', 'G', 'C', 'NG', 'TG', 'BG', 'R', '()', '((),)', 'frozenset()', '5', 'IG', 'SG',
          'frozenset({(1, (0, 0)), (2, (0, 1))})', 'frozenset({(1, 2, 3)})', 'frozenset({frozenset({1, 2})})',
          '((1, 1, 2, 2),)', '((7, 7), (-3, 7))']:
    case('partition', g); case('fgpartition', g)

case('toobject', 'frozenset({(0, 0), (0, 2)})', 'G'); case('toobject', 'frozenset({(0, 4)})', 'G')
case('toobject', OBJ, 'D'); case('toobject', 'frozenset({(-1, 0), (0, 5), (1, 1)})', 'C')
case('toobject', 'frozenset()', 'C'); case('toobject', '()', 'C'); case('toobject', 'frozenset()', '()')
case('toobject', IDX, 'R'); case('toobject', IDX, 'RL'); case('toobject', IDX, 'NG')
case('toobject', '((0, 0), (1, 1))', 'C'); case('toobject', '5', 'C'); case('toobject', IDX, 'frozenset({1})')
case('toobject', 'frozenset({(0, 1, 2)})', 'C'); case('toobject', 'frozenset({((0, 0), 1)})', 'C')
case('toobject', 'frozenset({(True, 0)})', 'C'); case('toobject', IDX, '5')
case('toobject', 'frozenset({(5, (0, 0)), (6, (0, 0))})', 'C')

for g in ['A', 'C', 'G', '()', '((),)', 'NG', 'TG', 'BG', 'R', 'frozenset()', 'frozenset({(1, 2)})', '5', 'IG', 'SG', '(1, 2)', '((9, -4), (2147483648, 0))']:
    case('asobject', g)

for p in ['rot90', 'rot180', 'rot270']:
    for g in ['B', 'C', 'D', '()', '((),)', '((), ())', 'R', 'RL', 'NG', 'TG', 'SG', 'IG', '(1, 2)', 'frozenset()', 'frozenset({(1, 2)})', '5', '((1,), (2,))', '((1, 2, 3),)']:
        case(p, g)

for p in ['hmirror', 'vmirror', 'dmirror', 'cmirror']:
    for g in ['B', 'C', 'D', '()', '((),)', 'R', 'RL', 'NG', 'SG', 'IG', '(1, 2)', '(1, (2, 3))',
              'frozenset({(0, 0), (1, 1)})', 'frozenset({(0, 0), (1, 0), (1, 1)})', 'frozenset({(0, 1), (1, 2)})',
              OBJ, IDX, 'frozenset({(3, (0, 1)), (4, (1, 0)), (5, (1, 1)), (3, (2, 2)), (3, (2, 0))})',
              'frozenset({(5, (-3, 4)), (5, (7, 2)), (6, (0, 0))})',
              'frozenset()', '5', 'None', 'frozenset({1, 2})', 'frozenset({(1, 2, 3)})', 'frozenset({(True, 2)})',
              'frozenset({(1, (True, 2)), (2, (0, 0))})', 'frozenset({((1, 2), (3, 4))})', 'frozenset({(0, 0), (1, (2, 3))})']:
        case(p, g)

for p in ['fill', 'underfill']:
    case(p, 'B', '3', 'frozenset({(0, 0), (1, 1)})'); case(p, 'C', '1', 'frozenset({(1, 0)})')
    case(p, 'C', '1', 'frozenset({(0, 0), (1, 0)})'); case(p, 'G', '7', OBJ)
    case(p, 'D', '9', 'frozenset({(-1, 0), (0, 3), (3, 0), (2, 2)})')
    case(p, 'C', 'None', 'frozenset({(0, 0)})'); case(p, 'C', '(1, 2)', 'frozenset({(0, 0)})')
    case(p, 'C', 'True', 'frozenset({(0, 1)})'); case(p, 'C', '1', 'frozenset()'); case(p, 'C', '1', '()')
    case(p, 'C', '1', '((0, 0), (1, 1))'); case(p, 'C', '1', '5'); case(p, 'C', '1', 'frozenset({1, 2})')
    case(p, 'C', '1', 'frozenset({(0, 1, 2)})'); case(p, 'C', '1', 'frozenset({((0,), 1)})')
    case(p, 'C', '1', 'frozenset({(-1, (0,)), (-2, None)})'); case(p, 'C', '1', 'frozenset({(0, None)})')
    case(p, 'R', '0', 'frozenset({(1, 2)})'); case(p, 'R', '0', 'frozenset({(1, 1)})'); case(p, 'RL', '0', 'frozenset({(1, 2), (0, 1)})')
    case(p, 'NG', '7', 'frozenset({(0, 0), (0, 1)})'); case(p, 'SG', '0', 'frozenset({(0, 0)})'); case(p, 'IG', '0', 'frozenset()')
    case(p, '()', '0', 'frozenset()'); case(p, '((),)', '0', 'frozenset({(0, 0)})'); case(p, 'frozenset()', '0', 'frozenset()')
    case(p, '5', '0', 'frozenset()'); case(p, 'frozenset({(1, 2)})', '0', 'frozenset()')
    case(p, 'C', '1', 'frozenset({(True, False)})'); case(p, 'TG', '0', 'frozenset({(1, 1)})')
    case(p, '((1, 1), (1, 2))', '5', 'frozenset({(9, (0, 0)), (9, (1, 1)), (9, (1, 0))})')

for p in ['paint', 'underpaint']:
    case(p, 'B', 'frozenset({(1, (0, 0)), (2, (1, 1))})'); case(p, 'C', 'frozenset({(6, (1, 0))})')
    case(p, 'B', 'frozenset({(3, (0, 0)), (3, (1, 1))})'); case(p, 'C', 'frozenset({(3, (1, 1))})')
    case(p, 'G', OBJ); case(p, 'D', 'frozenset({(9, (-1, 0)), (9, (0, 3)), (9, (2, 2))})')
    case(p, 'C', 'frozenset({(1, (1, 1)), (2, (1, 1))})'); case(p, 'C', 'frozenset({(5, (1, 1)), (2, (1, 1))})')
    case(p, '((0, 0), (0, 1))', 'frozenset({(0, (0, 0)), (7, (0, 0)), (8, (0, 0))})')
    case(p, 'C', 'frozenset()'); case(p, 'C', '()'); case(p, 'C', '((1, (0, 0)), (2, (0, 0)))')
    case(p, 'C', IDX); case(p, 'C', '5'); case(p, 'C', 'frozenset({(1, 2, 3)})'); case(p, 'C', 'frozenset({(1, (2, 3, 4))})')
    case(p, 'C', 'frozenset({(None, (0, 0))})'); case(p, 'C', 'frozenset({((1, 2), (0, 1))})'); case(p, 'C', 'frozenset({(True, (0, 1))})')
    case(p, 'C', 'frozenset({(1, ((0,), 0))})'); case(p, 'C', 'frozenset({(1, (-1, (0,)))})')
    case(p, 'R', 'frozenset({(0, (1, 2))})'); case(p, 'R', 'frozenset({(0, (1, 1))})'); case(p, 'NG', 'frozenset({(3, (0, 1)), (3, (1, 1))})')
    case(p, 'SG', 'frozenset({(9, (1, 0))})'); case(p, '()', 'frozenset()'); case(p, '((),)', 'frozenset()')
    case(p, '5', 'frozenset()'); case(p, 'frozenset({(1, (0, 0))})', 'frozenset()'); case(p, 'IG', 'frozenset()')

for p in ['hupscale', 'vupscale', 'upscale']:
    for g, f in [('B', '1'), ('C', '1'), ('B', '2'), ('C', '2'), ('C', '0'), ('C', '-1'), ('C', 'True'), ('C', 'False'),
                 ('C', 'None'), ('C', '(2,)'), ('()', 'None'), ('((),)', 'None'), ('((), ())', '2'), ('R', '2'), ('NG', '2'),
                 ('SG', '2'), ('IG', '2'), ('(1, 2)', '2'), ('frozenset()', '2'), ('frozenset({1, 2})', '2'),
                 ('frozenset({(1, 2)})', '2'), ('5', '2'), ('D', '3'), ('((5,),)', '4')]:
        case(p, g, f)
for g, f in [('frozenset({(3, (0, 1)), (4, (1, 0)), (5, (1, 1))})', '2'), ('frozenset({(3, (0, 0))})', '2'),
             (OBJ, '3'), (OBJ, '0'), (OBJ, '-2'), (OBJ, 'None'), (OBJ, 'True'), ('frozenset({(1, (5, -3)), (2, (6, -2)), (1, (6, -3))})', '2'),
             (IDX, '2'), (IDX, '0'), ('frozenset({(1, (True, 0))})', '2'), ('frozenset({(1, 2, 3)})', '2'), ('None', '2'), ('frozenset({(1, (0, 0))})', '(1,)')]:
    case('upscale', g, f)

for g, f in [('B', '1'), ('C', '1'), ('((2, 2, 1, 1), (2, 2, 1, 1), (0, 0, 1, 1), (0, 0, 1, 1), (2, 2, 1, 1), (2, 2, 1, 1))', '2'),
             ('((3, 3, 4, 4), (3, 3, 4, 4), (5, 5, 5, 5), (5, 5, 5, 5))', '2'), ('D', '2'), ('D', '3'), ('D', '5'), ('D', '-2'),
             ('D', '0'), ('D', 'True'), ('D', 'False'), ('D', 'None'), ('D', '(2,)'), ('()', '2'), ('((),)', '0'), ('((), 5)', '1'),
             ('((),)', 'None'), ('R', '1'), ('R', '2'), ('R', '3'), ('RL', '1'), ('NG', '1'), ('SG', '1'), ('IG', '1'), ('IG', '2'),
             ('frozenset()', '1'), ('5', '1'), ('((1, 2, 3), (4, 5, 6), (7, 8, 9), (1, 2))', '2'), ('((1, 2, 3), (4, 5, 6), (7, 8, 9), (1, 2))', '3')]:
    case('downscale', g, f)

for a, b in [('A', 'B'), ('B', 'A'), ('C', 'D'), ('D', 'C'), ('()', 'A'), ('A', '()'), ('R', 'A'), ('NG', 'C'),
             ('(1, 2)', '(3, 4)'), ('((1,), 2)', '((3,), (4,))'), ('((1,), 2)', '((3,), 4)'), ('frozenset({(1,), (2,)})', 'C'),
             ('5', 'C'), ('C', '5'), ('frozenset()', 'frozenset()'), ('SG', 'C')]:
    case('hconcat', a, b)
for a, b in [('A', 'B'), ('B', 'A'), ('B', 'C'), ('()', '()'), ('()', 'C'), ('R', 'NG'), ('1', '2'), ('True', '2'),
             ('C', 'frozenset()'), ('frozenset()', 'frozenset()'), ('C', '5'), ('(1, 2)', '(3,)'), ('None', '()')]:
    case('vconcat', a, b)

for p, g in [('frozenset({(3, (0, 0))})', 'C'), ('frozenset({(5, (1, 0)), (5, (1, 1))})', 'C'),
             ('frozenset({(2, (0, 1)), (4, (1, 0))})', 'D'), ('frozenset({(1, (0, 0)), (0, (2, 2))})', 'D'),
             (IDX, 'D'), ('frozenset({(1, 1)})', 'D'), ('frozenset({(-1, -1), (0, 0)})', 'D'), ('frozenset({(-1, 0), (1, 1)})', 'D'),
             ('frozenset({(5, 5)})', 'D'), ('frozenset()', 'D'), ('()', 'D'), ('((0, 0), (1, 1))', 'D'), ('5', 'D'),
             (IDX, '()'), (IDX, 'frozenset()'), (IDX, '5'), (IDX, 'R'), (IDX, 'NG'), (IDX, 'SG'),
             ('frozenset({(1, 2, 3)})', 'D'), ('frozenset({(1, (0, 0)), (2, 0)})', 'D'), ('frozenset({(True, 1)})', 'D')]:
    case('subgrid', p, g)

for p in ['hsplit', 'vsplit']:
    for g, n in [('B', '1'), ('B', '2'), ('B', '3'), ('C', '1'), ('C', '2'), ('D', '2'), ('D', '4'), ('D', '0'), ('D', '-1'),
                 ('D', 'True'), ('D', 'None'), ('D', '(1,)'), ('()', '1'), ('()', '0'), ('()', 'None'), ('((),)', '2'),
                 ('((1, 2, 3, 4, 5),)', '2'), ('((1,), (2,), (3,), (4,), (5,))', '2'), ('R', '2'), ('RL', '2'), ('NG', '1'),
                 ('SG', '2'), ('IG', '1'), ('IG', '2'), ('frozenset()', '0'), ('frozenset({1})', '1'), ('5', '1'), ('(1, 2)', '1'),
                 ('((1, 2),)', '5'), ('((1, 2), (3, 4))', '3')]:
        case(p, g, n)

for a, b, f in [('A', 'B', '0'), ('C', 'E', '0'), ('D', 'D', '0'), ('C', 'D', '9'), ('D', 'C', '9'), ('C', 'C', 'None'),
                ('C', 'E', 'None'), ('C', 'E', '(1,)'), ('()', 'C', '0'), ('((),)', '5', '0'), ('((), ())', 'C', '0'),
                ('C', '()', '0'), ('C', '5', '0'), ('C', 'frozenset()', '0'), ('frozenset()', 'C', '0'), ('5', 'C', '0'),
                ('R', 'D', '0'), ('RL', 'D', '0'), ('D', 'R', '0'), ('NG', 'NG', '0'), ('NG', 'C', '0'), ('SG', 'C', '0'),
                ('C', 'SG', '0'), ('IG', 'C', '0'), ('BG', '((1, 1), (0, 0))', '7'), ('(1, 2)', '(1, 2)', '0')]:
    case('cellwise', a, b, f)

for p in ['replace', 'switch']:
    for g, a, b in [('B', '2', '3'), ('C', '5', '0'), ('C', '3', '4'), ('C', '4', '3'), ('C', '5', '5'), ('C', '7', '8'),
                    ('A', '1', 'True'), ('A', 'True', '1'), ('A', 'True', '2'), ('A', '1', 'None'), ('A', 'None', '1'),
                    ('NG', 'None', '0'), ('NG', '1', 'None'), ('TG', '(1, 2)', '3'), ('BG', '1', '2'), ('BG', 'True', '0'),
                    ('()', '1', '2'), ('((),)', '1', '2'), ('R', '5', '0'), ('SG', '1', '9'), ('IG', '1', '2'), ('5', '1', '2'),
                    ('frozenset()', '1', '2'), ('frozenset({(1, 2)})', '1', '3'), ('(1, 2)', '1', '2')]:
        case(p, g, a, b)

for v, d in [('3', '(1, 2)'), ('2', '(3, 1)'), ('0', '(0, 0)'), ('0', '(2, 0)'), ('0', '(0, 5)'), ('0', '(2, -1)'),
             ('0', '(-2, 3)'), ('None', '(2, 2)'), ('(1, 2)', '(1, 2)'), ('True', '(2, 2)'), ('7', '(True, 3)'),
             ('1', '(2,)'), ('1', '(0,)'), ('1', '()'), ('1', '5'), ('1', 'frozenset({1, 2})'), ('1', '(None, 2)'),
             ('1', '(2, None)'), ('1', '(0, None)'), ('1', '(1, 2, 3)'), ('1', '((1, 2), 3)'), ('1', '(3, (1, 2))'), ('5', '(2, 3)')]:
    case('canvas', v, d)

for g, p in [('C', 'frozenset({(0, 0)})'), ('G', OBJ), ('G', IDX), ('D', 'frozenset({(9, 9), (-1, 0)})'), ('C', 'frozenset()'),
             ('C', '()'), ('C', '((0, 0),)'), ('C', '5'), ('C', 'frozenset({1})'), ('()', 'frozenset()'), ('((),)', 'frozenset()'),
             ('frozenset({(1, (0, 0))})', 'frozenset()'), ('frozenset()', 'frozenset()'), ('5', 'frozenset()'), ('R', 'frozenset({(1, 2)})'),
             ('R', 'frozenset({(1, 1)})'), ('NG', 'frozenset({(0, 0)})'), ('SG', 'frozenset({(0, 0)})'), ('IG', 'frozenset()'),
             ('C', 'frozenset({(1, (2, (1, 1)))})'), ('((8, 8, 0), (0, 4, 0), (2, 2, 0))', 'frozenset({(0, 0), (0, 2)})')]:
    case('cover', g, p)

for g in ['D', 'K', 'C', '()', '((),)', '((1, 2, 3),)', 'R', 'NG', 'SG', 'IG', '(1, 2, 3)', 'frozenset()', '5', '((1, 2, 3, 4), (5, 6, 7, 8), (9, 10, 11, 12))']:
    case('trim', g)

for g, o, d in [('C', 'frozenset({(3, (0, 0))})', '(1, 1)'), ('G', OBJ, '(1, 2)'), ('G', OBJ, '(-1, 0)'), ('G', OBJ, '(10, 10)'),
                ('C', 'frozenset()', '(1, 1)'), ('C', 'frozenset()', '5'), ('C', 'frozenset({(3, (0, 0))})', '(1,)'),
                ('C', 'frozenset({(3, (0, 0))})', '5'), ('C', 'frozenset({(3, (0, 0))})', '(1, None)'), ('C', IDX, '(1, 1)'),
                ('C', '5', '(1, 1)'), ('()', 'frozenset()', '(0, 0)'), ('R', 'frozenset({(9, (0, 0))})', '(1, 1)'),
                ('NG', 'frozenset({(1, (0, 0))})', '(0, 1)'), ('5', 'frozenset()', '(0, 0)'),
                ('D', 'frozenset({(1, (0, 0)), (1, (0, 0))})', '(True, 1)'), ('D', 'frozenset({(1, (0, 0))})', '(1, 2, 3)')]:
    case('move', g, o, d)

for p in ['tophalf', 'bottomhalf', 'lefthalf', 'righthalf']:
    for g in ['C', 'D', 'B', 'K', '()', '((),)', '((1,),)', '((1,), (2,))', '((1, 2),)', '((1, 2, 3),)', '((1, 2, 3, 4, 5),)',
              'R', 'RL', 'NG', 'SG', 'IG', '(1, 2, 3)', 'frozenset()', 'frozenset({1, 2})', '5', 'None']:
        case(p, g)

for g, o in [('G', 'frozenset({(1, (0, 0)), (1, (0, 1))})'), ('G', 'frozenset({(0, (0, 0))})'), ('G', 'frozenset({(0, (5, 5)), (0, (6, 5))})'),
             ('G', 'frozenset({(1, (0, 0)), (1, (1, 1))})'), ('K', 'frozenset({(1, (0, 0)), (1, (1, 0)), (1, (0, 1))})'),
             ('C', 'frozenset({(9, (0, 0))})'), ('C', 'frozenset({(3, (0, 0)), (5, (1, 0)), (5, (1, 1)), (4, (0, 1))})'),
             ('C', 'frozenset({(3, (0, 0)), (5, (1, 0)), (5, (1, 1)), (4, (0, 1)), (1, (2, 2))})'),
             ('C', 'frozenset()'), ('C', '()'), ('()', 'frozenset()'), ('((),)', 'frozenset()'), ('((),)', 'frozenset({(1, (0, 0))})'),
             ('C', IDX), ('C', 'frozenset({(0, 0)})'), ('((1, 2, 3),)', 'frozenset({(0, 0)})'), ('C', '5'), ('5', 'frozenset()'),
             ('frozenset()', 'frozenset({(1, (0, 0))})'), ('R', 'frozenset({(5, (0, 0))})'), ('R', 'frozenset({(3, (0, 0))})'),
             ('RL', 'frozenset({(5, (0, 0))})'), ('NG', 'frozenset({(1, (0, 0))})'), ('NG', 'frozenset({(None, (0, 0))})'),
             ('SG', 'frozenset({(3, (0, 0))})'), ('IG', 'frozenset({(1, (0, 0))})'), ('C', '((3, (0, 0)),)'),
             ('C', 'frozenset({(True, (0, 0))})'), ('C', 'frozenset({((1, 2), (0, 0))})'), ('BG', 'frozenset({(1, (0, 0)), (1, (0, 1))})'),
             ('((1, 1, 1), (1, 1, 1), (1, 1, 1))', 'frozenset({(1, (-3, 7)), (1, (-2, 7))})')]:
    case('occurrences', g, o)

for p in ['frontiers', 'compress']:
    for g in ['C', 'K', 'D', 'G', '((5,),)', '((1, 1), (1, 1))', '((1, 2), (1, 3))', '()', '((),)', '((), (1,))', '((1,), ())',
              'R', 'RL', '((1, 1), (2, 2, 2))', '((1, 1, 1), (2, 2))', 'NG', '((None, None), (1, 2))', 'BG', '((True, 1), (2, 3))',
              'TG', 'SG', '(frozenset({1}), (1, 2))', 'IG', '5', 'frozenset()', 'frozenset({(1, (0, 0)), (2, (0, 1))})',
              '(1, 2)', '((3, 3, 3), (3, 4, 3), (3, 3, 3))', '((1, 2, 3), (4, 5, 6))']:
        case(p, g)

for g, s, d in [('A', '(0, 0)', '(2, 2)'), ('C', '(0, 1)', '(1, 1)'), ('D', '(1, 2)', '(2, 1)'), ('D', '(-1, -2)', '(5, 5)'),
                ('D', '(-2, 0)', '(1, 2)'), ('D', '(1, 1)', '(0, 5)'), ('D', '(1, 1)', '(5, 0)'), ('D', '(1, 1)', '(-1, -1)'),
                ('D', '(5, 5)', '(2, 2)'), ('D', '(True, 0)', '(2, 2)'), ('D', '(0, 0)', '(9223372036854775807, 2)'),
                ('D', '()', '(1, 1)'), ('D', '(0,)', '(1, 1)'), ('D', '(0,)', '(0, 1)'), ('D', '(0, 0)', '(1,)'), ('D', '(3, 0)', '(1,)'),
                ('D', '(None, 0)', '(1, 1)'), ('D', '(0, None)', '(1, 1)'), ('D', '5', '(1, 1)'), ('D', 'frozenset({1, 2})', '(1, 1)'),
                ('D', '(0, 0)', '5'), ('D', '((1,), 0)', '((2,), 1)'), ('()', '(0, 0)', '(1, 1)'), ('((),)', '(0, 0)', '(1, 1)'),
                ('R', '(0, 1)', '(2, 2)'), ('NG', '(0, 0)', '(1, 1)'), ('SG', '(0, 0)', '(2, 2)'), ('SG', '(1, 0)', '(2, 2)'),
                ('IG', '(0, 0)', '(2, 2)'), ('IG', '(0, 0)', '(1, 2)'), ('frozenset()', '(0, 0)', '(1, 1)'), ('5', '(0, 0)', '(1, 1)'),
                ('(1, 2, 3)', '(0, 0)', '(2, 2)'), ('(1, 2, 3)', '(0, 0)', '(0, 2)')]:
    case('crop', g, s, d)

# ---------------- hand-written: battrace's size limits (MemoryError past
# LIMIT_SEQ_ITEMS, where Python would try for minutes or exhaust memory) and
# one large grid, checked by construction rather than by the oracle.
HAND = r'''/* Not from the oracle: battrace's documented size limit (limits.h) refuses
 * these before allocating, where Python would grind or exhaust memory. */
Test(grid, size_limits)
{
    expect_err(ERR_MEMORY, "canvas", "0", "(100000, 100000)");
    expect_err(ERR_MEMORY, "canvas", "0", "(9223372036854775807, 2)");
    expect_err(ERR_MEMORY, "hupscale", "((1, 2),)", "9223372036854775807");
    expect_err(ERR_MEMORY, "vupscale", "((1, 2),)", "100000000");
    expect_err(ERR_MEMORY, "upscale", "((1, 2),)", "100000000");
    expect_err(ERR_MEMORY, "upscale", "frozenset({(1, (0, 0))})", "100000");
    expect_err(ERR_MEMORY, "hsplit", "((1, 2),)", "9223372036854775807");
    expect_err(ERR_MEMORY, "vsplit", "((1, 2),)", "100000000");
}

/* A 3 x 2,000,000 canvas (the size 91413438 reaches on foreign inputs):
 * no 30 x 30 assumption anywhere, results checked by construction. */
Test(grid, large_grids)
{
    Ctx *ctx = t_ctx();
    Value g, r, dims, args[4];
    cr_assert_eq(mk_pair(ctx, 3, 2000000, &dims), ERR_OK);
    args[0] = v_int(0), args[1] = dims;
    cr_assert_eq(op_canvas(ctx, args, &g), ERR_OK);
    cr_assert(v_is_grid(g));
    args[0] = g;
    cr_assert_eq(op_asindices(ctx, args, &r), ERR_OK);
    cr_assert_eq(v_len(r), 6000000u);
    args[1] = v_bool(true), args[2] = v_bool(false), args[3] = v_bool(false);
    cr_assert_eq(op_objects(ctx, args, &r), ERR_OK);
    cr_assert_eq(v_len(r), 1u);
    cr_assert_eq(v_len(r.u.seq->items[0]), 6000000u);
    args[3] = v_bool(true);
    cr_assert_eq(op_objects(ctx, args, &r), ERR_OK);
    cr_assert_eq(v_len(r), 0u, "everything is background");
    cr_assert_eq(op_rot90(ctx, args, &r), ERR_OK);
    cr_assert_eq(v_len(r), 2000000u);
    args[1] = v_int(7), args[2] = V("frozenset({(2, 1999999), (0, 0), (3, 0)})");
    cr_assert_eq(op_fill(ctx, args, &r), ERR_OK);
    cr_assert_eq(grid_at(r, 2, 1999999), 7);
    cr_assert_eq(grid_at(r, 0, 0), 7);
}
'''

# ---------------- emit ----------------
def main(path):
    out = ['/* test_ops_grid.c: the grid family (grid.c, objects.c), against the Python oracle.',
           ' *',
           ' * Generated by tools/gen_grid_tests.py from cases evaluated with arc-dsl under',
           ' * the canonical order (do not edit by hand; edit the cases there): every expected',
           ' * value and exception class below is what dsl.py gives. Covers tests.py\'s',
           ' * examples, empty inputs, ragged grids, None / tuple / bool cells, frozensets',
           ' * and ints where grids are expected, and tuples as patches. */',
           '#include "support.h"', '', '#include "../runtime/pyops.h"', '']
    n = 0
    for prim, cases in CASES.items():
        out.append('Test(grid, %s)' % prim)
        out.append('{')
        for args in cases:
            vals = [eval(a, ENV) for a in args]
            lits = [rep(v) for v in vals]
            try:
                r = getattr(dsl, prim)(*vals)
                line = '    expect_same(%s, %s, %s);' % (cstr(rep(r)), cstr(prim), ', '.join(cstr(l) for l in lits))
            except Exception as e:
                import traceback
                tb = traceback.extract_tb(e.__traceback__)
                if tb[-1].filename.endswith('canonical.py'):
                    print('SKIP (canonical.py raised):', prim, args, file=sys.stderr)
                    continue
                name = type(e).__name__
                line = '    expect_err(%s, %s, %s);' % (ERRS[name], cstr(prim), ', '.join(cstr(l) for l in lits))
            out.append(line)
            n += 1
        out.append('}')
        out.append('')
    out.append(HAND)
    open(path, 'w').write('\n'.join(out))
    print(n, 'cases', len(CASES), 'prims', file=sys.stderr)

main(sys.argv[1])
