#!/bin/sh
# Reproduces every figure of docs/design-counterfactual.md (about 20 minutes on 2 cores).
# Run from the repository root: sh docs/design-counterfactual/reproduce.sh [WORKDIR]
# Builds the binary of the commit measured and a throwaway instrumented one (instrument.patch, applied in a
# detached scratch worktree that is removed afterwards; never commit it), writes the scenario
# variants (variants.py) and runs them. Summaries: analyse.py (see its usage).
set -eu
W=${1:-/tmp/m15}
D=docs/design-counterfactual
mkdir -p "$W/sc" "$W/out"
# Everything is measured on the commit the note was written on: the patch applies to it,
# and later engine changes move the outputs.
BASE=2b25b8b
git worktree add --detach "$W/scratch" $BASE
(cd "$W/scratch" && go build -o "$W/smesim" ./cmd/smesim)
git -C "$W/scratch" apply "$PWD/$D/instrument.patch"
(cd "$W/scratch" && go build -o "$W/smesim-x" ./cmd/smesim)
git -C "$W/scratch" checkout -q -- .
python3 $D/variants.py "$W/scratch/scenarios/builtin" "$W/sc"
git worktree remove --force "$W/scratch"
cd "$W"
R="--plots none --progress none -w 2"
run() { out=$1; shift; [ -d "out/$out" ] || ./smesim run "$@" $R -o "out/$out"; }
runx() { e=$1; out=$2; shift 2; [ -d "out/$out" ] || env "$e" ./smesim-x run "$@" $R -o "out/$out"; }  # runx M15_X=1 OUT ARGS
# 1. the shipped counterfactual, the grace and the arms
run c100 china-2020 -r 100
run g2 sc/np-grace2w.toml -r 20
run g4 china-2020-no-policy -r 20
run g8 sc/np-grace8w.toml -r 20
run c20-arms china-2020 -r 20 --record aggregate --arms "deferral,relending,guarantees,contributions,60-day rule,all"
# 2. three shocks, one end state; supply-shortage depth
run cg core-guarantee -r 20
[ -d out/ss-sweep ] || ./smesim sweep sc/ss-sweep.toml -r 20 $R --record aggregate -o out/ss-sweep
for v in ss-0.0 ss-0.2 ss-0.3 ss-0.46 ss-0.47 ss-0.7 ss-0.3-smooth ss-0.47-smooth ss-0.7-smooth ss-0.3-noterms ss-0.46-noterms; do run $v sc/$v.toml -r 20; done
runx M15_NOSTOP=1 ss-0.47-nostop sc/ss-0.47.toml -r 20
# 3. no shock
run ns-np sc/c20-noshock-nopolicy.toml -r 20
run ns-pol sc/c20-noshock.toml -r 20
# 4. single mechanisms switched off or changed (china-2020, both arms)
runx M15_DUMP=out/dump-c20 x-base china-2020 -r 20
runx M15_NOSTOP=1 x-nostop china-2020 -r 20
runx M15_CHAINBANK=1 x-chainbank china-2020 -r 20
for v in v-grace8 v-grace104 v-access1 v-access1-grace8 v-capratio05 v-nosearch v-thr0.1 v-thr0.2 v-thr0.1-access1; do run $v sc/$v.toml -r 20; done
for v in grace8 access1 access1-grace8 thr0.1 thr0.1-access1; do runx M15_NOSTOP=1 v-nostop-$v sc/v-$v.toml -r 20; done
# 5. size: 1k, 2k, 10k, 20k firms; one shared bank, a bank per chain, no lending stop
for ch in 4 40; do run ch$ch sc/c20-ch$ch.toml -r 20 --record aggregate; done
run ch80 sc/c20-ch80.toml -r 10 --record aggregate
for ch in 4 40; do runx M15_CHAINBANK=1 cb-ch$ch sc/c20-ch$ch.toml -r 20 --record aggregate; done
for ch in 4 40; do runx M15_NOSTOP=1 ns-ch$ch sc/c20-ch$ch.toml -r 20 --record aggregate; done
# 6. instruments: policy-mix reach, the guarantee at coverage 0 and without a shock
runx M15_DUMP=out/dump-pm pm policy-mix -r 20
run pm-cov0 sc/pm-cov0.toml -r 20 --arms guarantee
run pm-ns sc/pm-noshock.toml -r 20 --arms guarantee
# 7. monotone response of the other shock kinds today (sweep.csv, metric "failures")
for m in mono-demand mono-lockdown mono-credit; do
	[ -d out/$m ] || ./smesim sweep sc/$m.toml -r 20 $R --record aggregate -o out/$m
done
# 8. Latin hypercubes of uncalibrated parameters, shipped and without the lending stop (lhs.py)
for l in lhs lhs12; do
	[ -d out/$l-shipped ] || ./smesim sweep sc/$l.toml -r 8 $R --record aggregate -o out/$l-shipped
	[ -d out/$l-nostop ] || env M15_NOSTOP=1 ./smesim-x sweep sc/$l.toml -r 8 $R --record aggregate -o out/$l-nostop
done
# 9. the default demand shock at 0.6: shipped, without the stop, and with smoothed-demand plans
run d06 sc/d06.toml -r 20
run d06-smooth sc/d06-smooth.toml -r 20
runx M15_NOSTOP=1 d06-nostop sc/d06.toml -r 20
runx M15_NOSTOP=1 d06-smooth-nostop sc/d06-smooth.toml -r 20
