"""Prints the tables of "Slice 7 landed: measured" from the result
directories of reproduce.sh: per arm, the firms each instrument reached,
its fiscal cost (with expected losses on guarantees outstanding), the firms
saved and the cost per firm saved, with their paired 95% intervals."""
import json, sys

out = sys.argv[1]

def load(name):
    return json.load(open('%s/m-%s/summary.json' % (out, name)))

def fmt(x):
    if x is None:
        return 'n/a'
    a = abs(x)
    if a >= 1e9: return '%.2fB' % (x / 1e9)
    if a >= 1e6: return '%.2fM' % (x / 1e6)
    if a >= 1e4: return '%.0fk' % (x / 1e3)
    if a >= 100: return '{:,.0f}'.format(x)
    return '%.1f' % x

def stat(d, *keys):
    for k in keys:
        if d is None:
            return None
        d = d.get(k)
    return d

def table(name):
    s = load(name)
    print('\n## %s' % name)
    print('| arm | failures | fiscal cost | firms saved | cost per firm saved | reached (per instrument) | used |')
    print('|---|---|---|---|---|---|---|')
    for a in s['arms']:
        h = a.get('headline', {})
        e = a.get('effect') or a.get('effects') or {}
        fails = stat(h, 'failures', 'mean')
        cost = stat(h, 'fiscal_cost', 'mean')
        saved = stat(e, 'firms_saved', 'mean')
        lo, hi = stat(e, 'firms_saved', 'lo'), stat(e, 'firms_saved', 'hi')
        cps = stat(e, 'cost_per_firm_saved', 'mean') or stat(e, 'cost_per_firm_saved', 'estimate')
        reached = '; '.join('%s %s' % (i['name'], fmt(stat(i, 'firms', 'mean'))) for i in a.get('interventions', []))
        used = '; '.join('%s %s' % (i['name'], fmt(stat(i, 'used', 'mean'))) for i in a.get('interventions', []))
        sv = '—' if saved is None else '%s [%s, %s]' % (fmt(saved), fmt(lo), fmt(hi))
        print('| %s | %s | %s | %s | %s | %s | %s |' % (a['arm'], fmt(fails), fmt(cost), sv, fmt(cps), reached, used))

def instruments(name):
    """Per arm and intervention: firms reached, amount used, the
    intervention's own fiscal cost (expected losses on guarantees
    outstanding included; recapitalisations are in the arm's total), and
    the reached firms by additionality class (saved, deadweight, lost
    anyway, harmed) against the paired baseline."""
    s = load(name)
    print('\n### %s: instruments' % name)
    print('| arm | intervention | firms reached | used | its fiscal cost | reached firms saved / deadweight / lost / harmed |')
    print('|---|---|---|---|---|---|')
    for a in s['arms']:
        for i in a.get('interventions', []):
            add = i.get('additionality') or {}
            c = ' / '.join(fmt(stat(add, k, 'firms', 'mean')) for k in ('saved', 'deadweight', 'lost-anyway', 'harmed')) if add else '—'
            print('| %s | %s | %s | %s | %s | %s |' % (a['arm'], i['name'], fmt(stat(i, 'firms', 'mean')),
                  fmt(stat(i, 'used', 'mean')), fmt(stat(i, 'fiscal_cost', 'mean')), c))

for n in sys.argv[2:] or ['bank-2k', 'inst-2k', 'pm-legacy', 'pm-legacy-cov0', 'pm-legacy-noshock', 'pm-nm', 'pm-nm-cov0', 'pm-nm-noshock', 'pm-fl', 'pm-fl-cov0', 'pm-fl-noshock']:
    table(n)
    instruments(n)
