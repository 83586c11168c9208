#!/bin/sh
# measure-china-2020.sh — issue 17's must-shows 2 and 4 on the built-in
# china-2020, as docs/interventions.md reports them:
#
#   1. the deadweight share of each 2020 instrument's spending, with its 95%
#      interval, in the 2020 mix (arm all) and each instrument alone;
#   2. the same mix targeted by need at the same budgets, paired with the
#      untargeted mix replication by replication;
#   3. the optimiser at the 2020 budget: the best split, its firms saved and
#      its paired gain over the 2020 split, on fresh replications;
#   4. the budget curves of its instruments, where each saturates (the
#      spent column), which explain the best split.
#
# Usage: docs/policy/measure-china-2020.sh [OUT]   (default smesim-out/measure-china-2020)
# Environment: SMESIM (the smesim binary, default smesim), REPS (replications,
# default 100), WORKERS (default 2), STEPS (the optimiser's grid, default 4),
# FIRST (the optimiser's replications per split in its first rung, default
# 16: the paired difference of two splits has a standard deviation of
# 8 to 12 firms a replication on china-2020, so 4 replications cannot
# tell apart splits 7 firms apart).
#
# Pairing two scenarios. The targeted scenario is china-2020 with targeting
# keys added and nothing else changed, run with the same seed and the same
# replication numbers: replication r of both draws the same network, shocks
# and firm draws, so their baselines are the same runs (the script checks
# that row by row) and the difference of their `all` arms in replication r
# is paired. The interval is Student's t over the replications' differences.
set -eu

smesim=${SMESIM:-smesim}
reps=${REPS:-100}
workers=${WORKERS:-2}
steps=${STEPS:-4}
first=${FIRST:-16}
out=${1:-smesim-out/measure-china-2020}
here=$(cd "$(dirname "$0")" && pwd)
builtin="$here/../../scenarios/builtin/china-2020.toml"
mkdir -p "$out"

echo "== 1. deadweight share of each instrument's spending ($reps replications)"
[ -f "$out/untargeted/summary.json" ] ||
	nice -n 10 "$smesim" run china-2020 -r "$reps" -w "$workers" --arms all,deferral,relending,guarantees,contributions \
		--plots none --progress none --out "$out/untargeted" > "$out/untargeted.txt"
cat "$out/untargeted.txt"

echo
echo "== 2. the 2020 mix targeted by need, at the same budgets"
# Every instrument that spends money reaches only firms whose starting cash
# covered under 3 months of costs and whose revenue is down by 20% or more;
# relending serves the most in need first (its allocation was first-come).
awk '
	/^name = "(deferral|relending|guarantees|contributions)"$/ {
		print; print "runway_below = \"3mo\"       # targeted by need (measure-china-2020.sh)"; print "revenue_drop = 0.2"; next }
	/^allocation = "first-come"$/ { print "priority = \"most-in-need\""; next }
	{ print }' "$builtin" > "$out/china-2020-targeted.toml"
[ -f "$out/targeted/summary.json" ] ||
	nice -n 10 "$smesim" run "$out/china-2020-targeted.toml" -r "$reps" -w "$workers" --arms all \
		--plots none --progress none --out "$out/targeted" > "$out/targeted.txt"
cat "$out/targeted.txt"

# paired MEASURE ARM: replication by replication, the untargeted minus the
# targeted value of the runs.csv column MEASURE in ARM, with Student's t
# 95% interval (the baselines of both must be the same runs).
paired() {
	awk -F, -v col="$1" -v arm="$2" '
		FNR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
		FILENAME == ARGV[1] && $1 == "baseline" { base[$2] = $0; next }
		FILENAME == ARGV[1] && $1 == arm { u[$2] = $c; next }
		FILENAME == ARGV[2] && $1 == "baseline" && base[$2] != $0 { bad = 1 }
		FILENAME == ARGV[2] && $1 == arm { t[$2] = $c }
		END {
			if (bad) { print "the baselines differ: the runs are not paired" > "/dev/stderr"; exit 1 }
			n = 0; s = 0
			for (r in u) { d[n++] = u[r] - t[r]; s += u[r] - t[r]; su += u[r]; st += t[r] }
			m = s / n; ss = 0
			for (i = 0; i < n; i++) ss += (d[i] - m) ^ 2
			# Student t quantile 0.975 with n-1 degrees of freedom (Cornish-Fisher, exact to 1e-3 for n >= 5)
			z = 1.959964; v = n - 1
			q = z + (z^3 + z) / (4 * v) + (5 * z^5 + 16 * z^3 + 3 * z) / (96 * v^2) + (3 * z^7 + 19 * z^5 + 17 * z^3 - 15 * z) / (384 * v^3)
			h = q * sqrt(ss / (n - 1) / n)
			printf "%s, arm %s: untargeted %.6g, targeted %.6g, untargeted - targeted %.6g [%.6g, %.6g] (%d paired replications)\n", col, arm, su / n, st / n, m, m - h, m + h, n
		}' "$out/untargeted/runs.csv" "$out/targeted/runs.csv"
}
echo
echo "paired, untargeted minus targeted (a positive failures difference: targeting saves more firms):"
paired failures all
paired jobs_lost all
paired fiscal_cost all

echo
echo "== 3. the best split of the 2020 budget (steps of 1/$steps, $first to $reps replications)"
nice -n 10 "$smesim" optimise china-2020 --arm all -r "$reps" --first "$first" --steps "$steps" -w "$workers" \
	--progress none --out "$out/optimise-first$first" | tee "$out/optimise-first$first.txt"

echo
echo "== 4. where each instrument saturates: china-2020's budget curves (30 replications), which explain the best split"
nice -n 10 "$smesim" frontier china-2020 --budgets 3e7,1e8,2e8,3e8,5.5e8,1.1e9 -r 30 -w "$workers" \
	--plots none --progress none --out "$out/frontier" | tee "$out/frontier.txt"
cut -d, -f1,2,21 "$out/frontier/frontier.csv"
