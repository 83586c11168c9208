#!/usr/bin/env python3
"""lhs_ratio.py DIR...: firms saved by arm "all" over the points of a
sweep (DIR/sweep.csv, metric firms_saved): p10, median, p90 (nearest rank
over the points) and p90/p10 (issue 15, must-show 4: at most 3)."""
import csv, sys

for d in sys.argv[1:]:
    v = sorted(float(r['mean']) for r in csv.DictReader(open(d + '/sweep.csv'))
               if r['arm'] == 'all' and r['metric'] == 'firms_saved')
    q = lambda p: v[min(len(v) - 1, max(0, round(p * (len(v) - 1))))]
    print(f"{d} ({len(v)} points): firms saved p10 {q(0.1):.0f}, median {q(0.5):.0f}, p90 {q(0.9):.0f} "
          f"(min {v[0]:.0f}, max {v[-1]:.0f}); p90/p10 = {q(0.9) / q(0.1):.1f}")
