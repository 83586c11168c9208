#!/bin/sh
# The 2020 push as policy (credit-push), design-counterfactual.md: builds the
# copies of china-2020 and of its Latin-hypercube sweep with the instrument,
# runs them and prints the figures of the note's table. Usage, from the
# repository root: sh docs/design-counterfactual/pushiv/reproduce.sh OUTDIR
set -e
D=${1:?usage: reproduce.sh OUTDIR}
mkdir -p "$D"
S="$D/smesim"
go build -o "$S" ./cmd/smesim
H=docs/design-counterfactual
python3 $H/pushiv/copies.py scenarios/builtin/china-2020.toml scenarios/sweeps/china-2020-lhs.toml "$D"
nice -n 10 $S check-facts "$D/china.toml" -r 100 -w 2 --out "$D/F"
python3 $H/band.py "$D/F"
python3 $H/push/banked.py "$D/F"
python3 $H/push/credit_growth.py "$D/F"
for f in lhs-push lhs-push-narrow lhs-base lhs-base-narrow; do
	nice -n 10 $S sweep "$D/$f.toml" -r 8 -w 2 --out "$D/L-$f"
done
python3 $H/push/lhs_ratio.py "$D"/L-*
