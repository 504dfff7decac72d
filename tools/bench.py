#!/usr/bin/env python3
"""bench.py: battrace's speed, every figure a ratio measured in one run.

  BATTRACE=./battrace SHARED=../shared python3 tools/bench.py [--quick] [--full-cross | --only-full-cross]

1. run against the Python oracle (issue 2): the 400 solvers on their own 1718
   training samples, and a 32-solver batt (mkbatt.py --seed 1) over all 1718
   training samples. Python runs with --order cpython (CPython's own set order
   and speed). Each side reports the time spent inside programs; run
   --threads 2 is measured too, by the wall time of all its runs.
2. record against run (issue 3) on that batt (whole-command times, best of
   three each: recording uses a second thread; also record --no-times and
   --threads 1), the trace's size per node, and
   with --full-cross the peak memory of recording all 400 solvers on all 1718
   training samples (a long job: 1 s per run at most), and the time and
   memory of profiling that trace and of replay --verify on it
   (--only-full-cross: that part alone).
3. replay against run (issue 4) on the batt and on a cross workload (100
   solvers x 300 samples): replay's time (load, schedule, execute on 2
   threads, replay the units) against run's, the dedup ratio, and the
   scheduling time per node; and, for scale, the most two threads give here:
   two runs side by side against one alone.
4. replay --gpu against replay on all cores (issue 5), when there is a CUDA
   device: the full cross workload (1 s budgets; parity is conformance's job).
The machines are shared and noisy: compare the ratios, not the seconds.
"""
import json
import os
import re
import resource
import subprocess
import sys
import time

SHARED = os.environ.get('SHARED', '../shared')
BATTRACE = os.environ.get('BATTRACE', './battrace')
OUT = 'out/bench'
TASKS = os.path.join(SHARED, 'arc', 'training')


def sh(cmd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f'bench: {" ".join(cmd)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}')
    return p.stdout + p.stderr, wall


def inside(text):
    m = re.search(r'([0-9.]+) s inside (programs|batt)', text)
    if not m:
        raise SystemExit('bench: no timing in output:\n' + text)
    return float(m.group(1))


TRIES = 5


def against_python(name, programs, extra):
    """battrace's side is the best of TRIES runs: its time (15 ms on the own
    workload, 0.2 s on the batt's two lanes) is at the mercy of one
    scheduling hiccup on a shared machine, where Python's (seconds to a
    minute) averages them out; three tries on 2026-12-07 gave the batt's two
    lanes 0.192, 0.240 and 0.229 s, and 0.174 s a minute later."""
    py_out, _ = sh(['python3', os.path.join(SHARED, 'tools', 'pyref.py'), programs, '--tasks', TASKS,
                    '--order', 'cpython', '--out', os.devnull] + extra)
    bts = [inside(sh([BATTRACE, 'run', programs, '--tasks', TASKS, '--json', os.devnull] + extra)[0])
           for _ in range(TRIES)]
    py, bt = inside(py_out), min(bts)
    print(f'  {name:<30} python {py:9.3f} s   battrace run {bt:8.4f} s (best of {TRIES}; all: '
          f'{", ".join(f"{b:.4f}" for b in bts)})   {py / bt:7.1f}x faster')
    # the same on both cores: the wall time of all runs, without rows (as
    # the time inside programs leaves out making them)
    walls = [in_all(sh([BATTRACE, 'run', programs, '--tasks', TASKS, '--threads', '2'] + extra)[0])
             for _ in range(TRIES)]
    bt2 = min(walls)
    print(f'  {"":<30} {"":<18} run --threads 2 {bt2:8.4f} s (wall, best of {TRIES}; all: '
          f'{", ".join(f"{b:.4f}" for b in walls)})   {py / bt2:7.1f}x faster')


def in_all(text):
    m = re.search(r'([0-9.]+) s in all', text)
    if not m:
        raise SystemExit('bench: no total time in output:\n' + text)
    return float(m.group(1))


def record_against_run(name, programs, extra):
    """Recording runs on two threads by default (the interpreter, and a
    writer that interns values and writes the trace while the next unit
    runs; --threads 1 is measured too), so the ratio is of whole-command
    times: from the first unit to the last written,
    trace closed (record) against the same loop without tracing (run). Each
    side is the best of three, since one noisy run would decide a ratio."""
    trace = os.path.join(OUT, 'bench.trace')
    runs = [sh([BATTRACE, 'run', programs, '--tasks', TASKS] + extra)[0] for _ in range(3)]
    # record and record --no-times (no clock read: self_ns 0) take turns, so
    # that a noisy minute falls on both
    nt = os.path.join(OUT, 'bench-nt.trace')
    recs, nts = [], []
    for _ in range(3):
        recs.append(sh([BATTRACE, 'record', programs, '--tasks', TASKS, '-o', trace] + extra)[0])
        nts.append(sh([BATTRACE, 'record', programs, '--tasks', TASKS, '-o', nt, '--no-times'] + extra)[0])
    os.remove(nt)
    run_s, rec_s = min(in_all(o) for o in runs), min(in_all(o) for o in recs)
    best = min(recs, key=in_all)
    cpu = re.search(r'CPU time: ([0-9.]+) s on the interpreter.s thread, ([0-9.]+) s on the writer', best)
    nodes = int(re.search(r'(\d+) nodes', best).group(1))
    size = os.path.getsize(trace)
    print(f'  {name:<30} run {run_s:7.3f} s   record {rec_s:7.3f} s   record/run {rec_s / run_s:5.2f}x   '
          f'(record\'s CPU: interpreter thread {float(cpu.group(1)):.3f} s, writer thread '
          f'{float(cpu.group(2)):.3f} s)   trace {size / 1e6:.1f} MB, {nodes} nodes, '
          f'{size / max(nodes, 1):.1f} bytes/node')
    nt_s = min(in_all(o) for o in nts)
    print(f'  {"":<30} record --no-times  {nt_s:7.3f} s   record/run {nt_s / run_s:5.2f}x')
    # the same on one thread (record --threads 1): slower here, for less CPU
    # in all
    one = os.path.join(OUT, 'bench-one.trace')
    ones = [sh([BATTRACE, 'record', programs, '--tasks', TASKS, '-o', one, '--threads', '1'] + extra)[0]
            for _ in range(3)]
    one_s = min(in_all(o) for o in ones)
    one_cpu = float(re.search(r'CPU time: ([0-9.]+) s on one thread', min(ones, key=in_all)).group(1))
    print(f'  {"":<30} record --threads 1 {one_s:7.3f} s   record/run {one_s / run_s:5.2f}x   (CPU {one_cpu:.3f} s, '
          f'against {float(cpu.group(1)) + float(cpu.group(2)):.3f} s on two threads)')
    os.remove(one)
    return trace


def replay_work(text):
    """Merge to replay on the busiest lane (the sum of the phases when one
    sequence of windows runs): rows' encoding left out, as run's inside time
    leaves it out."""
    return float(re.search(r'the busiest of \d+ lanes?: ([0-9.]+) ms', text).group(1)) / 1e3


def replay_wall(text):
    return float(re.search(r"the windows' wall time ([0-9.]+) ms", text).group(1)) / 1e3


def sched_ns(text):
    return int(re.search(r'scheduling \(merge to plan\) ([0-9.]+) ns per node', text).group(1))


def replay_against_run(name, programs, extra):
    """Each side the best of three (as record against run): run's inside
    time, and replay's work (merge, plan, execute, replay) on 2 threads:
    on the busiest lane where windows run side by side."""
    trace = os.path.join(OUT, 'replay.trace')
    sh([BATTRACE, 'record', programs, '--tasks', TASKS, '-o', trace, '--quiet'] + extra)
    runs = [sh([BATTRACE, 'run', programs, '--tasks', TASKS, '--json', os.devnull] + extra) for _ in range(3)]
    reps = [sh([BATTRACE, 'replay', trace, '--threads', '2', '--json', os.devnull]) for _ in range(3)]
    # scheduling's own cost per node, with no other lane merging at the same
    # time (two lanes merge side by side and slow each other's merging)
    ones = [sh([BATTRACE, 'replay', trace, '--threads', '1'])[0] for _ in range(3)]
    sched_one = min(sched_ns(o) for o in ones)
    run_out, run_wall = min(runs, key=lambda r: inside(r[0]))
    rep_out, rep_wall = min(reps, key=lambda r: replay_work(r[0]))
    run_s, work = inside(run_out), replay_work(rep_out)
    lanes = re.search(r'the busiest of (\d+) lanes?', rep_out).group(1)
    dedup = re.search(r'dedup ([0-9.]+)x', rep_out).group(1)
    per_stmt = re.search(r'\(([0-9.]+) ns per statement\)', rep_out).group(1)
    per_node = re.search(r'\(([0-9.]+) ns per node\)', rep_out).group(1)
    sched = sched_ns(rep_out)
    print(f'  {name:<30} run {run_s:7.3f} s   replay on 2 threads {work:7.3f} s ({lanes} lane{"s" if lanes != "1" else ""}; '
          f'windows\' wall with rows written {replay_wall(rep_out):.3f} s)   '
          f'run/replay {run_s / work:5.2f}x   dedup {dedup}x   '
          f'merge+dedup {per_stmt} ns/statement, levels+plan {per_node} ns/node, scheduling {sched} ns/node '
          f'with two lanes at once, {sched_one} ns/node on one thread (best of 3)   '
          f'(best of 3 each; process wall: run {run_wall:.2f} s, replay with trace loading {rep_wall:.2f} s)')
    # the same two threads given to run itself: its units side by side
    lanes2 = min(in_all(sh([BATTRACE, 'run', programs, '--tasks', TASKS, '--threads', '2'] + extra)[0])
                 for _ in range(3))
    print(f'  {"":<30} beside it, run --threads 2 {lanes2:7.3f} s (wall of its runs, best of 3)   '
          f'run/(run --threads 2) {run_s / lanes2:5.2f}x')


def two_at_once(name, programs, extra):
    """What two threads can give on this machine at most: two `battrace run`
    processes side by side, against one alone (inside time). Their work is
    independent, so any slowdown is the cores' shared caches, memory and
    host; replay on 2 threads meets the same limit. The two measures take
    turns, five rounds, and each side is its best round: the machine's speed
    drifts over tens of seconds, and three of one then three of the other
    once gave 'at most 2.27x'."""
    cmd = [BATTRACE, 'run', programs, '--tasks', TASKS, '--json', os.devnull] + extra
    alone, pairs = [], []
    for _ in range(5):
        alone.append(inside(sh(cmd)[0]))
        ps = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
        outs = [p.communicate()[0] for p in ps]
        if any(p.returncode for p in ps):
            raise SystemExit('bench: two runs side by side failed:\n' + '\n'.join(outs))
        pairs.append(max(inside(o) for o in outs))
    one, both = min(alone), min(pairs)
    print(f'  {name:<30} run alone {one:7.3f} s   two runs side by side {both:7.3f} s each (the slower; best of 5 '
          f'rounds taking turns)   two threads give at most {2 * one / both:4.2f}x here')


def gpu_against_cpu(name, programs, extra):
    """replay --gpu against replay on all of this machine's cores (issue 5)."""
    trace = os.path.join(OUT, 'gpu.trace')
    cores = str(os.cpu_count() or 1)
    probe = os.path.join(OUT, 'probe.trace')
    sh([BATTRACE, 'record', 'traces/example_solvers.py', '--tasks', 'traces/tasks', '-o', probe, '--quiet'])
    p = subprocess.run([BATTRACE, 'replay', probe, '--gpu'], capture_output=True, text=True)
    if p.returncode == 2 and 'no CUDA device' in p.stderr:
        print(f'  {name:<30} no CUDA device here: replay --gpu not measured')
        return
    # a 1 s budget (per run when recording, per node in replay) keeps the few
    # runaway solvers (d22278a0 takes minutes on some inputs) from dominating
    limit = ['--time-limit', '1']
    sh([BATTRACE, 'record', programs, '--tasks', TASKS, '-o', trace, '--quiet'] + extra + limit)
    cpu_out, _ = sh([BATTRACE, 'replay', trace, '--threads', cores] + limit)
    p = subprocess.run([BATTRACE, 'replay', trace, '--threads', cores, '--gpu'] + limit,
                       capture_output=True, text=True)
    if p.returncode == 2 and 'no CUDA device' in p.stderr:
        print(f'  {name:<30} no CUDA device here: replay --gpu not measured')
        return
    if p.returncode != 0:
        raise SystemExit(f'bench: replay --gpu failed ({p.returncode}):\n{p.stdout}\n{p.stderr}')
    exe = lambda t: float(re.search(r'execute ([0-9.]+) ms', t).group(1))
    print(f'  {name:<30} replay on {cores} cores: execute {exe(cpu_out):.1f} ms; --gpu: execute '
          f'{exe(p.stdout):.1f} ms ({exe(cpu_out) / exe(p.stdout):.1f}x)')
    print('   ', [l for l in p.stdout.splitlines() if ': GPU:' in l or 'GPU:' in l][-1])


def peak_anon(cmd, with_output=False):
    """Run cmd; its wall time and the most anonymous memory it held (sampled
    from /proc every 0.2 s): a command that maps a 15 GB trace has that much
    file cache in its resident size, which the kernel drops at will."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    while p.poll() is None:
        try:
            with open(f'/proc/{p.pid}/status') as f:
                peak = max(peak, int(re.search(r'RssAnon:\s+(\d+)', f.read()).group(1)))
        except (OSError, AttributeError):
            pass
        time.sleep(0.2)
    out = p.stdout.read()
    if p.returncode:
        raise SystemExit(f'bench: {" ".join(cmd)} failed ({p.returncode}):\n{out}')
    wall = time.perf_counter() - t0
    return (wall, peak * 1024, out) if with_output else (wall, peak * 1024)


def full_cross():
    trace = os.path.join(OUT, 'fullcross.trace')
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out, wall = sh([BATTRACE, 'record', os.path.join(SHARED, 'reference', 'arc-dsl', 'solvers.py'), '--tasks',
                    TASKS, '--mode', 'cross', '--time-limit', '1', '-o', trace])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f'  full cross record (400 x 1718, 1 s cap): {wall:.0f} s, peak memory {peak / 1e6:.2f} GB '
          f'(before: {before / 1e6:.2f} GB), trace {os.path.getsize(trace) / 1e9:.2f} GB')
    print('   ', out.strip().splitlines()[-1])
    # the trace is read back whole: what a user does next with it
    secs, anon = peak_anon([BATTRACE, 'profile', trace, '--json', os.devnull])
    print(f'  its profile: {secs:.0f} s, peak anonymous memory {anon / 1e9:.2f} GB')
    # every node checked: the trace is read a unit at a time, twice
    secs, anon, out = peak_anon([BATTRACE, 'replay', trace, '--verify', '--threads', '2', '--time-limit', '1'],
                                with_output=True)
    line = next(l for l in out.splitlines() if '--verify:' in l)
    print(f'  replay --verify: {secs:.0f} s, peak anonymous memory {anon / 1e9:.2f} GB')
    print('   ', line.strip())
    os.remove(trace)


def main():
    os.makedirs(OUT, exist_ok=True)
    quick = '--quick' in sys.argv
    solvers = os.path.join(SHARED, 'reference', 'arc-dsl', 'solvers.py')
    batt = os.path.join(OUT, 'batt32-seed1.py')
    sh(['python3', os.path.join(SHARED, 'tools', 'mkbatt.py'), solvers, '--count', '32', '--seed', '1', '-o', batt])
    few = ['--samples', '100'] if quick else []
    if '--only-gpu' in sys.argv: # tools/device_check.sh on a lent GPU machine
        # GPU_SAMPLES: a share of the 1718 samples, so that recording fits a
        # device command's 10 minutes
        n = os.environ.get('GPU_SAMPLES')
        print('4. replay --gpu against replay on every core (issue 5)')
        gpu_against_cpu(f'cross: 400 solvers x {n or 1718}', solvers,
                        ['--mode', 'cross', '--max-nested', '0'] + (['--samples', n] if n else []))
        return
    if '--only-full-cross' in sys.argv: # the full cross workload's record, profile and verify alone
        full_cross()
        return
    version = sh([BATTRACE, '--version'])[0].strip()
    print(f'battrace bench (the figures to compare are the ratios; {version})')
    print('1. run against pyref.py --order cpython (inside-program time)')
    against_python('own: 400 solvers x 1718', solvers, ['--programs', '40'] if quick else [])
    against_python('batt: 32 solvers x 1718', batt, few)
    print('2. record against run')
    record_against_run('batt: 32 solvers x 1718', batt, few)
    if '--full-cross' in sys.argv:
        full_cross()
    print('3. replay against run')
    two_at_once('batt: 32 solvers x 1718', batt, few)
    replay_against_run('batt: 32 solvers x 1718', batt, few)
    cross = ['--mode', 'cross', '--programs', '100', '--samples', '100' if quick else '300']
    two_at_once('cross: 100 solvers x 300', solvers, cross)
    replay_against_run('cross: 100 solvers x 300', solvers, cross)
    print('4. replay --gpu against replay on every core (issue 5)')
    gpu_against_cpu('cross: 400 solvers x 1718', solvers,
                    ['--mode', 'cross', '--max-nested', '0'] + (['--programs', '40', '--samples', '200'] if quick else []))


if __name__ == '__main__':
    main()
