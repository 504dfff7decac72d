#!/usr/bin/env python3
"""Compare battrace rows with pyref.py rows, line by line.

  compare_rows.py NAME EXPECTED.jsonl ACTUAL.jsonl

Every key but "us" (each side's own time) must be equal. Prints
"NAME: A/N rows agree" and the first differences; exits 1 on any difference.
"""
import json
import sys


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    name, exp_path, act_path = sys.argv[1:4]
    exp, act = load(exp_path), load(act_path)
    agree, shown = 0, 0
    for i in range(max(len(exp), len(act))):
        e = exp[i] if i < len(exp) else None
        a = act[i] if i < len(act) else None
        if e is not None:
            e.pop('us', None)
        if a is not None:
            a.pop('us', None)
        if e == a:
            agree += 1
            continue
        if shown < 5:
            shown += 1
            where = (e or a or {})
            print(f'  row {i + 1} ({where.get("program")} on {where.get("task")} '
                  f'{where.get("split")}[{where.get("index")}]):')
            for k in sorted(set((e or {}).keys()) | set((a or {}).keys())):
                ev, av = (e or {}).get(k, '<missing>'), (a or {}).get(k, '<missing>')
                if ev != av:
                    print(f'    {k}: expected {json.dumps(ev)[:300]}')
                    print(f'    {k}: battrace {json.dumps(av)[:300]}')
    total = max(len(exp), len(act))
    print(f'{name}: {agree}/{total} rows agree' + ('' if len(exp) == len(act) else
          f' (expected {len(exp)} rows, battrace wrote {len(act)})'))
    sys.exit(0 if agree == total else 1)


if __name__ == '__main__':
    main()
