#!/bin/sh
# Reproduces the figures of docs/design-counterfactual.md, "Slice 2-3
# landed: measured" (about 3 minutes on 2 cores): china-2020 with the
# banking system on (china-2020-banks.toml: 11 banks of four kinds, local
# banks in each of the 4 regions, provisions, central bank, resolution;
# the other slices' mechanisms absent), against shipped china-2020, at
# about 2k and 10k firms (budgets scaled with the economy), 20 paired
# replications each, with three diagnostics (score threshold 0.1, grace
# 8w, deposit_rate 3%)
# and the no-shock economy. Run from the repository root:
#   sh docs/design-counterfactual/banks/reproduce.sh [OUT]
set -eu
here=docs/design-counterfactual/banks
out=${1:-/tmp/smesim-banks}
mkdir -p "$out"
go build -o "$out/smesim" ./cmd/smesim
python3 - "$here" "$out" <<'PY'
import re, sys
here, out = sys.argv[1], sys.argv[2]
bank = open(here + '/china-2020-banks.toml').read()
legacy = open('scenarios/builtin/china-2020.toml').read()
def chains(t, n):
    t = t.replace('arms = ["all"]\n', 'arms = ["all"]\n\n[network]\nchains = %d\n' % n, 1)
    return re.sub(r'budget = ([0-9.e+]+)', lambda m: 'budget = %g' % (float(m.group(1)) * n / 8), t)
def noshock(t):
    parts = re.split(r'(?m)^(?=\[\[)', t)
    t = ''.join(p for p in parts if not p.startswith(('[[shocks]]', '[[interventions]]', '[[facts]]')))
    return t.replace('arms = ["all"]\n', 'arms = []\nshocks = []\n', 1)
system = '[finance]\nbanking = "system"\n'
v = {
    'bank-2k': bank,
    'bank-10k': chains(bank, 40),
    'legacy-10k': chains(legacy, 40),
    'bank-thr01': bank.replace(system, system + 'score_threshold = 0.1\n'),
    'bank-g8': bank.replace('[firms]\ngrace = "4w"\n', '[firms]\ngrace = "8w"\n'),
    'bank-dep3': bank.replace(system, system + 'deposit_rate = 0.03\n'),
    'bank-noshock': noshock(bank),
}
for name, text in v.items():
    open('%s/%s.toml' % (out, name), 'w').write(text)
PY
for v in bank-2k bank-10k legacy-10k bank-thr01 bank-g8 bank-dep3; do
  "$out/smesim" run "$out/$v.toml" --replications 20 --plots none --out "$out/m-$v"
done
"$out/smesim" run china-2020 --replications 20 --plots none --out "$out/m-legacy-2k"
"$out/smesim" run "$out/bank-noshock.toml" --replications 4 --plots none --out "$out/m-bank-noshock"
python3 "$here/analyse_banks.py" "$out/m-bank-2k" "$out/m-legacy-2k" "$out/m-bank-10k" "$out/m-legacy-10k" "$out/m-bank-thr01" "$out/m-bank-g8" "$out/m-bank-dep3" "$out/m-bank-noshock"
