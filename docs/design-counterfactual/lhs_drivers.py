#!/usr/bin/env python3
"""Rank correlation of firms saved (baseline - all failures) with each swept parameter.

usage: lhs_drivers.py SWEEPDIR
"""
import csv
import sys


def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    for k, i in enumerate(order):
        r[i] = k
    return r


def corr(a, b):
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    va = sum((x - ma) ** 2 for x in a) ** .5
    vb = sum((y - mb) ** 2 for y in b) ** .5
    return cov / (va * vb)


def number(x):
    return float(x[:-1]) if x.endswith('w') else float(x)


d = sys.argv[1]
with open(d + '/sweep.csv') as f:
    rows = list(csv.DictReader(f))
params = [k for k in rows[0] if k not in ('point', 'arm', 'metric', 'mean', 'lo', 'hi', 'sd', 'n')]
pts = {}
for r in rows:
    if r['metric'] == 'failures':
        p = pts.setdefault(r['point'], {k: number(r[k]) for k in params})
        p[r['arm']] = float(r['mean'])
keys = sorted(pts)
saved = ranks([pts[k]['baseline'] - pts[k]['all'] for k in keys])
for prm in sorted(params, key=lambda q: -abs(corr(ranks([pts[k][q] for k in keys]), saved))):
    print('%-32s %+.2f' % (prm, corr(ranks([pts[k][prm] for k in keys]), saved)))
