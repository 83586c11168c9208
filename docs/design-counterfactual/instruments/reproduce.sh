#!/bin/sh
# Reproduces the figures of docs/design-counterfactual.md, "Slice 7 landed:
# measured" (a few minutes on 2 cores): china-2020 with the banking system
# (../banks/china-2020-banks.toml) with and without the instrument modes of
# slice 7 — guarantees on new money (rule = "new-money"), a moratorium that
# also defers taxes and fixed costs, per-link payment terms of the cores
# (payment_term_dispersion 0.5) and one-year SME loans — each instrument
# alone and all together, 20 paired replications; and must-show 7 on
# policy-mix's loan guarantee (legacy and new-money, coverage 0.8 and 0,
# with and without the shock). Run from the repository root:
#   sh docs/design-counterfactual/instruments/reproduce.sh [OUT]
set -eu
here=docs/design-counterfactual/instruments
out=${1:-/tmp/smesim-instruments}
mkdir -p "$out"
go build -o "$out/smesim" ./cmd/smesim
python3 - "$here" "$out" <<'PY'
import re, sys
here, out = sys.argv[1], sys.argv[2]
bank = open(here + '/../banks/china-2020-banks.toml').read()
pm = open('scenarios/builtin/policy-mix.toml').read()
def sub(t, old, new):
    assert old in t, old
    return t.replace(old, new, 1)
def instruments(t):
    t = sub(t, 'viable_before = true\n', 'viable_before = true\nrule = "new-money"\n')
    t = sub(t, 'deferral = "both"\n', 'deferral = "both"\npayments = ["loans", "taxes", "fixed-costs"]\n')
    t = sub(t, '[firms.sme]\n', '[firms.sme]\nloan_maturity = "1y"\n')
    t = sub(t, '[firms.core]\n', '[firms.core]\npayment_term_dispersion = 0.5\n')
    return t
def noshock(t):
    parts = re.split(r'(?m)^(?=\[\[)', t)
    t = ''.join(p for p in parts if not p.startswith(('[[shocks]]', '[[facts]]')))
    # the interventions counted from the shock (week 8) now count from step 0
    t = t.replace('[[interventions]]\n', '[[interventions]]\nfrom = "run"\nstart = "8w"\n').replace('end = "26w"', 'end = "34w"')
    return sub(t, 'steps = 104\n', 'steps = 104\nshocks = []\n')
pmnm = sub(pm, 'fee = 0.01\n', 'fee = 0.01\nrule = "new-money"\n')
# first loans to the unbanked, in every arm (finance.first_loan_take_up)
pmfl = sub(pmnm, '[[shocks]]\n', '[finance]\nfirst_loan_take_up = 0.3\n\n[[shocks]]\n')
cov0 = lambda t: sub(t, 'coverage = 0.8\n', 'coverage = 0\n')
v = {
    'bank-2k': bank,
    'inst-2k': instruments(bank),
    'pm-legacy': pm,
    'pm-legacy-cov0': cov0(pm),
    'pm-legacy-noshock': noshock(pm),
    'pm-nm': pmnm,
    'pm-nm-cov0': cov0(pmnm),
    'pm-nm-noshock': noshock(pmnm),
    'pm-fl': pmfl,
    'pm-fl-cov0': cov0(pmfl),
    'pm-fl-noshock': noshock(pmfl),
}
for name, text in v.items():
    open('%s/%s.toml' % (out, name), 'w').write(text)
PY
for v in bank-2k inst-2k; do
  "$out/smesim" run "$out/$v.toml" --replications 20 --plots none --progress none \
    --arms "deferral,relending,guarantees,contributions,60-day rule,all" --out "$out/m-$v"
done
for v in pm-legacy pm-legacy-cov0 pm-legacy-noshock pm-nm pm-nm-cov0 pm-nm-noshock pm-fl pm-fl-cov0 pm-fl-noshock; do
  "$out/smesim" run "$out/$v.toml" --replications 20 --plots none --progress none --arms guarantee --out "$out/m-$v"
done
python3 "$here/analyse_instruments.py" "$out"
