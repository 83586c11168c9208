#!/bin/sh
# frontier-policy-mix.sh — issue 17's must-show 3: the budget curve of each
# instrument of the built-in policy-mix, and of the whole mix, at 7 budgets
# from 1M to 1B, with 95% intervals paired with the baseline. It writes
# OUT/frontier.csv and OUT/plots/frontier-*.png, and copies them beside
# this script (docs/policy/policy-mix-frontier.csv and
# docs/policy/policy-mix-frontier-*.png) unless COPY=0.
#
# Usage: docs/policy/frontier-policy-mix.sh [OUT]   (default smesim-out/frontier-policy-mix)
# Environment: SMESIM (default smesim), REPS (default 100), WORKERS (default 2).
set -eu

smesim=${SMESIM:-smesim}
reps=${REPS:-100}
workers=${WORKERS:-2}
out=${1:-smesim-out/frontier-policy-mix}
here=$(cd "$(dirname "$0")" && pwd)

nice -n 10 "$smesim" frontier policy-mix --budgets 1e6,3e6,1e7,3e7,1e8,3e8,1e9 --mixes all \
	-r "$reps" -w "$workers" --plots png --progress none --out "$out" | tee "$out.txt"
if [ "${COPY:-1}" = 1 ]; then
	cp "$out/frontier.csv" "$here/policy-mix-frontier.csv"
	for m in firms_saved jobs_saved cost_per_firm_saved cost_per_job_saved; do
		cp "$out/plots/frontier-$m.png" "$here/policy-mix-frontier-$m.png"
	done
fi
