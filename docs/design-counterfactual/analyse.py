#!/usr/bin/env python3
"""Summaries of smesim result directories for docs/design-counterfactual.md.

usage:
  analyse.py shares DIR...         SME failure shares (end-May, end-2020, end) per arm, the paired
                                   2020 difference baseline - all in points with its 95% interval,
                                   replications losing more than half the cores, firms saved
  analyse.py bank DIR              bank capital, credit and losses of the baseline arm (means)
  analyse.py path DIR [ARM]        4-week path: failures, SMEs, cores, capital/loans, credit, output
  analyse.py reach DUMPDIR ARM     which interventions reached the SMEs that fail without policy
                                   (needs a run of the instrumented build with M15_DUMP=DUMPDIR)
"""
import collections
import csv
import math
import sys


def series(d, arm=None):
    ts = collections.defaultdict(dict)
    with open(d + '/timeseries.csv') as f:
        r = csv.reader(f)
        next(r)
        for a, rep, step, _, m, v in r:
            if arm is None or a == arm:
                ts[(a, int(rep), m)][int(step)] = float(v)
    return ts


def shares(dirs):
    for d in dirs:
        ts = series(d)
        arms = sorted({k[0] for k in ts})
        reps = sorted({k[1] for k in ts if k[0] == 'baseline'})
        T = max(ts[('baseline', 0, 'smes_active')])

        def failed(a, r, s):
            x = ts[(a, r, 'smes_active')]
            return 1 - x[s] / x[0]
        out = [d.rstrip('/').split('/')[-1]]
        for a in arms:
            m = [sum(failed(a, r, s) for r in reps) / len(reps) for s in (21, 52, T)]
            half = sum(1 for r in reps if ts[(a, r, 'cores_active')][T] < ts[(a, r, 'cores_active')][0] / 2)
            out.append('%s: May %.3f, 2020 %.3f, end %.3f, cores>half %d/%d' % (a, m[0], m[1], m[2], half, len(reps)))
        if 'all' in arms:
            x = [failed('baseline', r, 52) - failed('all', r, 52) for r in reps]
            mu = sum(x) / len(x)
            sd = math.sqrt(sum((v - mu) ** 2 for v in x) / (len(x) - 1))
            out.append('2020 difference %+.1f ± %.1f points' % (100 * mu, 100 * 1.96 * sd / math.sqrt(len(x))))
            saved = [ts[('all', r, 'firms_active')][T] - ts[('baseline', r, 'firms_active')][T] for r in reps]
            out.append('firms saved %.0f' % (sum(saved) / len(saved)))
        print(' | '.join(out))


def bank(d):
    ts = series(d, 'baseline')
    reps = sorted({k[1] for k in ts})
    T = max(ts[('baseline', 0, 'firms_active')])

    def mean(m, s):
        return sum(ts[('baseline', r, m)][s] for r in reps) / len(reps)
    L0 = mean('credit_outstanding', 0)
    print('capital start %.0fM, end %.0fM; credit end/start %+.3f; cumulative losses / starting book %.3f' % (
        mean('bank_capital', 0) / 1e6, mean('bank_capital', T) / 1e6, mean('credit_outstanding', T) / L0 - 1,
        sum(mean('bank_losses', s) for s in range(T + 1)) / L0))
    loss = fails = 0
    for s in range(T + 1):
        loss += mean('bank_losses', s)
        fails += mean('failures', s)
        K, L = mean('bank_capital', s), mean('credit_outstanding', s)
        if s in (3, 6, 8, 9, 10, 12, 16, 20, 26, 39, 52, T):
            print('step %3d: loans/L0 %.3f capital/loans %+.4f lending capacity/L0 %.4f losses/L0 %.4f failures %.0f' % (
                s, L / L0, K / L, max(0, K / 0.1 - L) / L0, loss / L0, fails))


def path(d, arm):
    ts = collections.defaultdict(lambda: collections.defaultdict(float))
    reps = set()
    with open(d + '/timeseries.csv') as f:
        r = csv.reader(f)
        next(r)
        for a, rep, step, _, m, v in r:
            if a == arm:
                reps.add(rep)
                ts[m][int(step)] += float(v)
    n, T = len(reps), max(ts['firms_active'])
    print('step failures(4w) SMEs cores capital/loans credit/start output/start')
    for s in range(0, T + 1, 4):
        f = sum(ts['failures'][x] for x in range(s, min(s + 4, T + 1))) / n
        print(s, round(f, 1), round(ts['smes_active'][s] / n), round(ts['cores_active'][s] / n, 2),
              round(ts['bank_capital'][s] / ts['credit_outstanding'][s], 4),
              round(ts['credit_outstanding'][s] / ts['credit_outstanding'][0], 3), round(ts['output'][s] / ts['output'][0], 3))


def reach(d, arm):
    tot = collections.Counter()
    rep = 0
    while True:
        try:
            base = {r['firm']: r for r in csv.DictReader(open('%s/baseline-%d.csv' % (d, rep)))}
        except FileNotFoundError:
            break
        with open('%s/%s-%d.csv' % (d, arm, rep)) as f:
            last = f.readline().strip().split(',')[-1]
            names = last.split(':')[1].split(';')
            f.seek(0)
            for r in csv.DictReader(f):
                if r['kind'] != 'sme':
                    continue
                b = base[r['firm']]
                groups = ['fail without policy' if b['alive'] == 'false' else 'survive without policy']
                if b['alive'] == 'false' and r['alive'] == 'true':
                    groups.append('saved')
                for g in groups:
                    tot[(g, 'n')] += 1
                    tot[(g, 'bank loan')] += r['has_credit'] == 'true'
                    tot[(g, 'jobs')] += float(r['jobs'])
                    for nm, v in zip(names, r[last].split(';')):
                        tot[(g, nm)] += v == '1'
        rep += 1
    for g in ('fail without policy', 'survive without policy', 'saved'):
        n = tot[(g, 'n')]
        if n:
            keys = sorted(k for gg, k in tot if gg == g and k not in ('n', 'jobs'))
            print('%s: %.0f per replication, mean jobs %.1f; share with: %s' % (
                g, n / rep, tot[(g, 'jobs')] / n, ', '.join('%s %.2f' % (k, tot[(g, k)] / n) for k in keys)))


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'shares':
        shares(args)
    elif cmd == 'bank':
        bank(args[0])
    elif cmd == 'path':
        path(args[0], args[1] if len(args) > 1 else 'baseline')
    elif cmd == 'reach':
        reach(args[0], args[1])
    else:
        sys.exit(__doc__)
