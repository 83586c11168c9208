#!/bin/sh
# Reproduces docs/design-counterfactual.md, "The 2020 non-loan deferrals
# (defer15): measured": copies of china-2020 (the built-in is not changed)
# whose moratorium also defers taxes and fixed costs, repaid in instalments,
# each at 100 paired replications, two of them with the credit push of
# push15 too, and the Latin hypercube of scenarios/sweeps/china-2020-lhs.toml
# on three of them (8 replications a point). About 15 minutes on 2 cores.
# Run from the repository root:
#   sh docs/design-counterfactual/defer15/reproduce.sh [OUT]
set -eu
here=docs/design-counterfactual
out=${1:-/tmp/smesim-defer15}
mkdir -p "$out"
go build -o "$out/smesim" ./cmd/smesim
python3 - "$out" <<'PY'
import sys
out = sys.argv[1]
old = 'end = "26w"                    # to 30 June 2020\ndeferral = "both"\n'
variants = {
    'base': '',
    'taxwhole': 'payments = ["loans", "taxes"]\n',
    'tax': 'payments = ["loans", "taxes"]\nrepay_over = "26w"\n',
    'fc0.05': 'payments = ["loans", "taxes", "fixed-costs"]\nrepay_over = "26w"\nfixed_cost_share = 0.05\n',
    'fc0.1': 'payments = ["loans", "taxes", "fixed-costs"]\nrepay_over = "26w"\nfixed_cost_share = 0.1\n',
    'fc0.25': 'payments = ["loans", "taxes", "fixed-costs"]\nrepay_over = "26w"\nfixed_cost_share = 0.25\n',
    'fc1whole': 'payments = ["loans", "taxes", "fixed-costs"]\n',
    'fc1': 'payments = ["loans", "taxes", "fixed-costs"]\nrepay_over = "26w"\n',
}
push = """[[shocks]]
kind = "credit-supply"
name = "2020 push of SME credit"
start = "5w"
duration = "47w"
depth = -0.5
score_easing = 0.05
first_loan_take_up = 0.01
bank_kinds = ["large-state"]

"""
t = open('scenarios/builtin/china-2020.toml').read()
for v in ('tax', 'fc0.1'):  # with the credit push of push15 (variant pF)
    u = t.replace(old, old + variants[v], 1).replace('# --- The 2020 policy mix', push + '# --- The 2020 policy mix', 1)
    open('%s/china-%s-pF.toml' % (out, v), 'w').write(u)
for src, prefix in (('scenarios/builtin/china-2020.toml', 'china'), ('scenarios/sweeps/china-2020-lhs.toml', 'lhs')):
    t = open(src).read()
    assert old in t, src
    for v, add in variants.items():
        open('%s/%s-%s.toml' % (out, prefix, v), 'w').write(t.replace(old, old + add, 1))
PY
for v in base taxwhole tax fc0.05 fc0.1 fc0.25 fc1whole fc1; do
  rm -rf "$out/V-$v"
  nice -n 10 "$out/smesim" check-facts "$out/china-$v.toml" -r 100 -w 2 --out "$out/V-$v" > "$out/cf-$v.log" || true
  grep -E "MISS|facts reproduced" "$out/cf-$v.log"
  python3 $here/band.py "$out/V-$v"
  python3 $here/defer15/additionality.py "$out/V-$v"
done
for v in tax-pF fc0.1-pF; do
  rm -rf "$out/V-$v"
  nice -n 10 "$out/smesim" check-facts "$out/china-$v.toml" -r 100 -w 2 --out "$out/V-$v" > "$out/cf-$v.log" || true
  grep -E "MISS|facts reproduced" "$out/cf-$v.log"
  python3 $here/band.py "$out/V-$v"
  python3 $here/push/cross_band.py "$out/V-base" "$out/V-$v"
  python3 $here/defer15/additionality.py "$out/V-$v"
done
for v in base tax fc0.1; do
  rm -rf "$out/L-$v"
  nice -n 10 "$out/smesim" sweep "$out/lhs-$v.toml" -r 8 -w 2 --out "$out/L-$v" > /dev/null
  python3 $here/lhs.py "$out/L-$v"
done
