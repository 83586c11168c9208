#!/usr/bin/env python3
"""Write the scenario variants of docs/design-counterfactual.md into DIR.

Each variant is a built-in scenario with one or two keys changed by a text
edit, so that everything else stays exactly as shipped.

usage: variants.py BUILTIN_DIR OUT_DIR
"""
import re
import sys

src, out = sys.argv[1].rstrip('/') + '/', sys.argv[2].rstrip('/') + '/'


def read(name):
    return open(src + name + '.toml').read()


def write(name, text):
    open(out + name + '.toml', 'w').write(text)


def sub(text, old, new):
    if old not in text:
        sys.exit('variants.py: %r not found' % old)
    return text.replace(old, new, 1)


def drop(text, header):
    """Drop every top-level table starting with header ("[[shocks]]")."""
    return '\n'.join(p for p in re.split(r'\n(?=\[)', text) if not p.startswith(header))


c = read('china-2020')
sme = '[firms.sme]\n'
fin = '[firms]\n'
write('np-grace2w', sub(read('china-2020-no-policy'), 'grace = "4w"', 'grace = "2w"'))
write('np-grace8w', sub(read('china-2020-no-policy'), 'grace = "4w"', 'grace = "8w"'))
write('v-grace8', sub(c, 'grace = "4w"', 'grace = "8w"'))
write('v-grace104', sub(c, 'grace = "4w"', 'grace = "104w"'))
write('v-access1', sub(c, sme, sme + 'credit_access = 1.0\n'))
write('v-access1-grace8', sub(sub(c, 'grace = "4w"', 'grace = "8w"'), sme, sme + 'credit_access = 1.0\n'))
write('v-capratio05', sub(c, 'risk_spread = 0.06 ', 'risk_spread = 0.06\ncapital_ratio = 0.05\nlending_headroom = 1.5 '))
write('v-nosearch', sub(c, 'partner_search = true', 'partner_search = false'))
for thr in ('0.1', '0.2'):
    write('v-thr' + thr, sub(c, fin, '[finance]\nscore_threshold = %s\n\n' % thr + fin))
write('v-thr0.1-access1', sub(sub(c, fin, '[finance]\nscore_threshold = 0.1\n\n' + fin), sme, sme + 'credit_access = 1.0\n'))
# No shock: shocks = [] must be written out, or the default scenario's shock fills in.
ns = sub(drop(c, '[[shocks]]'), 'arms = ["all"]\n', 'arms = ["all"]\nshocks = []\n')
write('c20-noshock', ns)
write('c20-noshock-nopolicy', sub(drop(ns, '[[interventions]]'), 'arms = ["all"]\n', 'interventions = []\n'))
# Size: 4, 8, 40, 80 chains (1k, 2k, 10k, 20k firms), budgets scaled with the economy.
for ch in (4, 8, 40, 80):
    t = sub(c, 'arms = ["all"]\n', 'arms = ["all"]\n\n[network]\nchains = %d\n' % ch)
    t = re.sub(r'budget = ([0-9.e+]+)', lambda m: 'budget = %g' % (float(m.group(1)) * ch / 8), t)
    write('c20-ch%d' % ch, t)
# supply-shortage: import depth grid, without the payment-terms stretch, and with plans on smoothed demand.
ss = read('supply-shortage')
for d in ('0.0', '0.2', '0.3', '0.46', '0.47', '0.7'):
    t = sub(ss, 'depth = 0.4  ', 'depth = %s  ' % d)
    write('ss-' + d, t)
    write('ss-%s-smooth' % d, sub(t, 'steps = 78\n', 'steps = 78\n\n[production]\nplanned_output = "smoothed-demand"\ndemand_smoothing = "2w"\n'))
    write('ss-%s-noterms' % d, '\n'.join(p for p in re.split(r'\n(?=\[)', t) if 'payment-terms' not in p))
write('ss-sweep', ss + '\n[sweep]\ndesign = "grid"\n[[sweep.parameters]]\nkey = "shocks.import shortage.depth"\n'
      'values = [0.3, 0.4, 0.44, 0.45, 0.46, 0.47, 0.48, 0.5, 0.55, 0.6, 0.7, 0.8]\n')
# policy-mix: guarantee coverage 0, and no shock (interventions counted from the run, active weeks 8-34).
pm = read('policy-mix')
write('pm-cov0', sub(pm, 'coverage = 0.8', 'coverage = 0.0'))
pmns = sub(drop(pm, '[[shocks]]'), 'steps = 104\n', 'steps = 104\nshocks = []\n')
write('pm-noshock', pmns.replace('end = "26w"', 'from = "run"\nstart = "8w"\nend = "34w"'))
# Depth grids of the other built-in shock kinds (monotone response today).
grid = 'values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]\n'
for name, shock, out_name in (('default', 'domestic demand collapse', 'mono-demand'),
                              ('lockdown', 'regional lockdown', 'mono-lockdown'),
                              ('credit-crunch', 'credit crunch', 'mono-credit')):
    t = read(name)
    if '\n[sweep]' in t:  # default.toml writes out an empty [sweep]
        t = t[:t.index('\n[sweep]')] + '\n'
    write(out_name, t + '\n[sweep]\ndesign = "grid"\n[[sweep.parameters]]\nkey = "shocks.%s.depth"\n' % shock + grid)
# Latin hypercubes over parameters the calibration does not set (40 points x 8 replications).
numeric = [('firms.recovery_rate', 0.2, 0.5), ('firms.sme.wage_flexibility', 0.3, 0.7),
           ('production.spare_capacity', 0.1, 0.4), ('finance.score_threshold', 0.25, 0.45),
           ('finance.max_loan_to_revenue', 0.25, 0.6), ('banks.0.lending_headroom', 0.1, 0.5),
           ('production.inventory_days', 10, 30), ('firms.sme.dividend_payout', 0.5, 1.0),
           ('firms.sme.credit_access', 0.3, 0.7)]
lhs = c + '\n[sweep]\ndesign = "latin-hypercube"\npoints = 40\n' + ''.join(
    '[[sweep.parameters]]\nkey = "%s"\nmin = %g\nmax = %g\n' % p for p in numeric)
write('lhs', lhs)
texts = [('firms.grace', ['2w', '3w', '4w', '5w', '6w', '7w', '8w']),
         ('production.rewiring_delay', ['2w', '3w', '4w', '6w', '8w']),
         ('firms.sme.cash_buffer', ['1w', '2w', '3w', '4w'])]
write('lhs12', lhs + ''.join('[[sweep.parameters]]\nkey = "%s"\ntexts = [%s]\n' % (k, ', '.join('"%s"' % x for x in v))
                             for k, v in texts))
# The default demand shock at depth 0.6, and with plans on smoothed demand.
d = read('default')
d06 = sub(d, 'depth = 0.4\n', 'depth = 0.6\n')
write('d06', d06)
write('d06-smooth', sub(d06, 'planned_output = "last-production"', 'planned_output = "smoothed-demand"'))
