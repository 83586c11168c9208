#!/usr/bin/env python3
"""p10, p50, p90 and p90/p10 of firms saved (baseline failures - arm "all" failures)
over the points of a sweep.csv, and the number of points with fewer than 0 saved.

usage: lhs.py SWEEPDIR...
"""
import csv
import sys

for d in sys.argv[1:]:
    fail = {}
    with open(d + '/sweep.csv') as f:
        for r in csv.DictReader(f):
            if r['metric'] == 'failures':
                fail[(r['point'], r['arm'])] = float(r['mean'])
    saved = sorted(fail[(p, 'baseline')] - fail[(p, 'all')] for p, a in fail if a == 'all')
    base = sorted(fail[(p, 'baseline')] for p, a in fail if a == 'baseline')

    def q(v, x):
        return v[min(len(v) - 1, int(round(x * (len(v) - 1))))]
    print('%s: %d points; firms saved p10 %.0f, p50 %.0f, p90 %.0f, p90/p10 %.1f; baseline failures p10 %.0f, p90 %.0f' % (
        d.rstrip('/').split('/')[-1], len(saved), q(saved, .1), q(saved, .5), q(saved, .9),
        q(saved, .9) / q(saved, .1) if q(saved, .1) > 0 else float('inf'), q(base, .1), q(base, .9)))
