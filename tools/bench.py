#!/usr/bin/env python3
"""bench.py: battrace against the Python oracle, measured in the same run.

  BATTRACE=./battrace SHARED=../shared python3 tools/bench.py [--quick]

Workloads (issue 2): the 400 solvers on their own 1718 training samples, and a
32-solver batt (mkbatt.py --seed 1) over all 1718 training samples. Python runs
with --order cpython (CPython's own set order and speed: the time baseline).
Each side reports the time spent inside programs; the ratio of the two is the
figure, since both ran on this machine within the same minutes.
"""
import os
import re
import subprocess
import sys
import time

SHARED = os.environ.get('SHARED', '../shared')
BATTRACE = os.environ.get('BATTRACE', './battrace')
OUT = 'out/bench'


def inside_seconds(text):
    m = re.search(r'([0-9.]+) s inside (programs|batt)', text)
    if not m:
        raise SystemExit('bench: no timing in output:\n' + text)
    return float(m.group(1))


def timed(cmd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f'bench: {" ".join(cmd)} failed ({p.returncode}):\n{p.stderr}')
    return inside_seconds(p.stdout + p.stderr), wall


def compare(name, programs, extra):
    tasks = os.path.join(SHARED, 'arc', 'training')
    py, py_wall = timed(['python3', os.path.join(SHARED, 'tools', 'pyref.py'), programs, '--tasks', tasks,
                         '--order', 'cpython', '--out', os.devnull] + extra)
    bt, bt_wall = timed([BATTRACE, 'run', programs, '--tasks', tasks] + extra + ['--json', os.devnull])
    print(f'{name:<28} python {py:9.3f} s   battrace {bt:8.4f} s   ratio {py / bt:8.1f}x   '
          f'(wall: python {py_wall:.2f} s, battrace {bt_wall:.3f} s with rows)')
    return py / bt


def main():
    os.makedirs(OUT, exist_ok=True)
    quick = '--quick' in sys.argv
    solvers = os.path.join(SHARED, 'reference', 'arc-dsl', 'solvers.py')
    batt = os.path.join(OUT, 'batt32-seed1.py')
    subprocess.run(['python3', os.path.join(SHARED, 'tools', 'mkbatt.py'), solvers, '--count', '32',
                    '--seed', '1', '-o', batt], check=True, capture_output=True)
    print('battrace bench: inside-program time, Python oracle (--order cpython) vs battrace run')
    compare('own (400 solvers, 1718)', solvers, ['--programs', '40'] if quick else [])
    compare('batt 32 solvers x 1718', batt, ['--samples', '100'] if quick else [])


if __name__ == '__main__':
    main()
