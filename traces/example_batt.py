# Example batt program for the bundled tasks (SPEC section 5): two candidate
# solvers guarded by try/except, their outputs in o and a score in s.
from dsl import *
from constants import *
from safe_dsl import _get_safe_default


def batt(task_id, S, I, C, log_path):
    s = []
    o = []
    try:
        t1 = rot180(I)
    except Exception:
        t1 = _get_safe_default(rot180)
    o.append((1, False, '3c9b0459', t1))
    try:
        t2 = shape(t1)
    except Exception:
        t2 = _get_safe_default(shape)
    try:
        t3 = shape(C)
    except (TypeError, AttributeError, ValueError, IndexError, KeyError):
        t3 = _get_safe_default(shape)
    try:
        t4 = equality(t2, t3)
    except Exception:
        t4 = _get_safe_default(equality)
    s.append((4, '3c9b0459', 'same_shape', t4))
    try:
        t5 = branch(t4, vmirror, hmirror)
    except Exception:
        t5 = _get_safe_default(branch)
    try:
        t6 = t5(I)
    except Exception:
        t6 = _get_safe_default(t5)
    o.append((6, False, '67a3c6ac', t6))
    return o, s
