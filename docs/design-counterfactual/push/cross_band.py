#!/usr/bin/env python3
"""cross_band.py BASE PUSH: the 2020 difference of band.py when the push is
counted as policy: the baseline arm of BASE (china-2020, no push) against
arm "all" of PUSH (the same scenario and seed with the push), paired by
replication (both runs draw the same networks and shocks per replication:
a shock changes no seed). Prints the incumbent SME failure shares by the
end of 2020, the paired difference with its 95% interval, and the firms
saved over the run (all firms failed, baseline of BASE minus all of PUSH)."""
import collections, csv, math, sys

END_2020 = 52


def shares(d, arm):
    n, failed, failed_all = collections.Counter(), collections.Counter(), collections.Counter()
    for r in csv.DictReader(open(d + '/firms.csv')):
        if r['arm'] != arm or r['status'] == 'dormant':
            continue
        k = int(r['replication'])
        if r['status'] == 'failed':
            failed_all[k] += 1
        if r['kind'] != 'sme' or r['entered_step'] != '-1':
            continue
        n[k] += 1
        if r['status'] == 'failed' and int(r['failure_step']) < END_2020:
            failed[k] += 1
    return {k: 100 * failed[k] / n[k] for k in n}, failed_all


base, push = sys.argv[1], sys.argv[2]
b, bf = shares(base, 'baseline')
a, af = shares(push, 'all')
reps = sorted(set(b) & set(a))
diff = [b[r] - a[r] for r in reps]
m = sum(diff) / len(diff)
sd = math.sqrt(sum((x - m) ** 2 for x in diff) / (len(diff) - 1))
saved = sum(bf[r] - af[r] for r in reps) / len(reps)
print(f"baseline of {base} vs all of {push} ({len(reps)} replications): incumbent SMEs failed by end-2020 "
      f"{sum(b[r] for r in reps) / len(reps):.1f}% / {sum(a[r] for r in reps) / len(reps):.1f}%, "
      f"difference {m:+.2f} ± {1.96 * sd / math.sqrt(len(diff)):.2f} points; firms saved {saved:.0f}")
