#!/usr/bin/env python3
"""credit_growth.py DIR...: for each result directory, per arm, the growth
of SME bank loans (timeseries metric credit_sme) from step 0 to step 52
(the end of 2020), mean over replications of the per-replication ratio,
and the same from step 0 to step 103; PBoC: inclusive small-business loans
+30.3% in 2020. Also the system capital ratio (car) and the network's NPL
ratio at step 52, and the share of replications in which more than half
the core enterprises failed (firms.csv)."""
import collections, csv, sys

END_2020 = 52

for d in sys.argv[1:]:
    v = collections.defaultdict(dict)
    last = 0
    for r in csv.DictReader(open(d + '/timeseries.csv')):
        if r['metric'] in ('credit_sme', 'car', 'npl_ratio_network', 'bank_recapitalisation'):
            s = int(r['step'])
            last = max(last, s)
            v[(r['arm'], int(r['replication']), r['metric'])][s] = float(r['value'])
    cores, cores_failed = collections.Counter(), collections.Counter()
    for r in csv.DictReader(open(d + '/firms.csv')):
        if r['kind'] == 'core' and r['status'] != 'dormant':
            k = (r['arm'], int(r['replication']))
            cores[k] += 1
            cores_failed[k] += r['status'] == 'failed'
    arms = sorted({k[0] for k in v})
    for a in arms:
        reps = sorted({k[1] for k in v if k[0] == a})
        g = [v[(a, r, 'credit_sme')][END_2020] / v[(a, r, 'credit_sme')][0] - 1 for r in reps]
        g2 = [v[(a, r, 'credit_sme')][last] / v[(a, r, 'credit_sme')][0] - 1 for r in reps]
        car = [v[(a, r, 'car')].get(END_2020, float('nan')) for r in reps]
        npl = [v[(a, r, 'npl_ratio_network')].get(END_2020, float('nan')) for r in reps]
        m = lambda x: sum(x) / len(x)
        lost = sum(cores_failed[(a, r)] > cores[(a, r)] / 2 for r in reps)
        print(f"{d} {a} ({len(reps)} replications): SME credit {100 * m(g):+.1f}% by end-2020, "
              f"{100 * m(g2):+.1f}% by step {last}; capital ratio {100 * m(car):.2f}%, "
              f"network NPL ratio {100 * m(npl):.2f}% at end-2020; "
              f"more than half the cores failed in {lost} of {len(reps)}")
