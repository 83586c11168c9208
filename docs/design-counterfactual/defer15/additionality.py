#!/usr/bin/env python3
"""additionality.py DIR...: for each result directory of china-2020 or a
copy (arms baseline and all), per intervention of arm all: the firms
reached, the amount used, its own fiscal cost, and the reached firms by
additionality class against the paired baseline (saved, deadweight = would
have survived anyway, lost anyway, harmed), with the deadweight share of
the reached firms. The band, firms saved and cost per firm saved are
band.py's."""
import json, sys


def mean(d, *keys):
    for k in keys:
        d = (d or {}).get(k)
    return d


for d in sys.argv[1:]:
    s = json.load(open(d + '/summary.json'))
    print('%s: | intervention | reached | used | its fiscal cost | saved / deadweight / lost anyway / harmed | deadweight share |' % d)
    for a in s['arms']:
        if a['arm'] != 'all':
            continue
        for i in a.get('interventions', []):
            add = i.get('additionality') or {}
            cls = [mean(add, k, 'firms', 'mean') or 0 for k in ('saved', 'deadweight', 'lost-anyway', 'harmed')]
            reached = mean(i, 'firms', 'mean') or 0
            share = cls[1] / reached if reached else float('nan')
            print('| %s | %.0f | %.3g | %.3g | %s | %.0f%% |' % (i['name'], reached, mean(i, 'used', 'mean') or 0,
                  mean(i, 'fiscal_cost', 'mean') or 0, ' / '.join('%.0f' % c for c in cls), 100 * share))
