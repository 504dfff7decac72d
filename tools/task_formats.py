#!/usr/bin/env python3
"""Write one set of ARC tasks in every layout battrace loads, for the conformance.

  task_formats.py SRC_DIR OUT_DIR [--every K]

Takes every K-th task file of SRC_DIR (default 10) and writes, under OUT_DIR:

  plain/ID.json       the task files as they are
  rearc/ID.json       re-arc's layout: one list of examples (train, then test)
  unsolved/ID.json    the tasks with every test output dropped (ARC's hidden tests)
  kaggle/x_challenges.json, kaggle/x_solutions.json
                      the Kaggle pair, tasks in a shuffled order
  kaggle-nosol/x_challenges.json
                      the challenges alone

pyref.py reads plain/, rearc/ and unsolved/ itself; it knows no Kaggle
layout, so battrace's rows on kaggle/ must be pyref's on plain/, and on
kaggle-nosol/ pyref's on unsolved/ (the same tasks, the same ids).
"""
import argparse
import json
import os
import random


def write(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(obj, f, separators=(',', ':'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('src')
    ap.add_argument('out')
    ap.add_argument('--every', type=int, default=10)
    a = ap.parse_args()
    if os.path.exists(a.out) and os.listdir(a.out):
        raise SystemExit(f'task_formats: {a.out} is not empty (its tasks would join these)')
    names = sorted(f for f in os.listdir(a.src) if f.endswith('.json'))[::a.every]
    tasks = {}
    for f in names:
        with open(os.path.join(a.src, f)) as fh:
            tasks[f[:-5]] = json.load(fh)
    unsolved = {k: {'train': t['train'], 'test': [{'input': e['input']} for e in t['test']]}
                for k, t in tasks.items()}
    for k, t in tasks.items():
        write(os.path.join(a.out, 'plain', k + '.json'), t)
        write(os.path.join(a.out, 'rearc', k + '.json'), t['train'] + t['test'])
        write(os.path.join(a.out, 'unsolved', k + '.json'), unsolved[k])
    keys = list(tasks)
    random.Random(1).shuffle(keys)  # a Kaggle file's order is not the rows' order
    write(os.path.join(a.out, 'kaggle', 'x_challenges.json'), {k: unsolved[k] for k in keys})
    write(os.path.join(a.out, 'kaggle', 'x_solutions.json'),
          {k: [e['output'] for e in tasks[k]['test']] for k in reversed(keys)})
    write(os.path.join(a.out, 'kaggle-nosol', 'x_challenges.json'), {k: unsolved[k] for k in keys})
    print(f'task_formats: {len(tasks)} tasks in five layouts under {a.out}')


if __name__ == '__main__':
    main()
