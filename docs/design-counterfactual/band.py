#!/usr/bin/env python3
"""band.py DIR...: for each result directory of china-2020 (arms baseline and
all), the share of incumbent SMEs failed (status failed: exits left out) by
the end of 2020 (steps 0-51) per arm, the paired difference baseline - all
in points with its 95% interval (normal approximation over the
replications; issue 15, must-show 3), the firms saved, and the cost per firm
saved without recapitalisations (the interventions' fiscal cost) and with
them (summary.json's cost_per_firm_saved, which credits the mix with the
recapitalisations it avoids); must-show 5 compares these across sizes."""
import collections, csv, json, math, sys

END_2020 = 52  # step 52 starts on 2020-12-30


def band(d):
    n, failed = collections.Counter(), collections.Counter()
    for r in csv.DictReader(open(d + '/firms.csv')):
        if r['kind'] != 'sme' or r['entered_step'] != '-1' or r['status'] == 'dormant':
            continue
        k = (r['arm'], int(r['replication']))
        n[k] += 1
        if r['status'] == 'failed' and int(r['failure_step']) < END_2020:
            failed[k] += 1
    reps = sorted({r for a, r in n if a == 'baseline'})
    b = [100 * failed[('baseline', r)] / n[('baseline', r)] for r in reps]
    a = [100 * failed[('all', r)] / n[('all', r)] for r in reps]
    diff = [x - y for x, y in zip(b, a)]
    m = sum(diff) / len(diff)
    sd = math.sqrt(sum((x - m) ** 2 for x in diff) / (len(diff) - 1))
    return sum(b) / len(b), sum(a) / len(a), m, 1.96 * sd / math.sqrt(len(diff)), len(reps)


for d in sys.argv[1:]:
    b, a, m, h, reps = band(d)
    arms = {x['arm']: x for x in json.load(open(d + '/summary.json'))['arms']}
    eff = arms['all']['effects']
    saved = eff['firms_saved']['mean']
    cost = sum(iv['fiscal_cost']['mean'] for iv in arms['all']['interventions'])
    print(f"{d} ({reps} replications): incumbent SMEs failed by end-2020 {b:.1f}% baseline, {a:.1f}% all, "
          f"difference {m:+.2f} ± {h:.2f} points; firms saved {saved:.0f}; cost per firm saved "
          f"{cost / saved / 1e6:.2f}M without recapitalisations, {eff['cost_per_firm_saved']['mean'] / 1e6:.2f}M with")
