#!/usr/bin/env bash
# measure-china-2020.sh — issue 16, must-shows 3 and 4 on the built-in china-2020.
#
#   docs/uncertainty/measure-china-2020.sh OUT_DIR
#
# run from anywhere inside the repository (or with SMESIM=/path/to/smesim).
# It writes into OUT_DIR:
#
#   china-sens.toml, china-cal.toml  `smesim init china-2020` with the
#                                    [[uncertain]] tables of
#                                    sensitivity-params.toml and
#                                    calibrate-params.toml
#   cal/         must-show 4: smesim calibrate on 5 parameters with facts;
#                cal/posterior-summary.csv, cal/posterior-facts.csv
#   post-run/    smesim run china-2020 --posterior cal/posterior.csv: both
#                intervals of firms saved and cost per firm saved
#                (post-run/intervals.csv, post-run/summary.json)
#   postmean/    post-run/fixed merged: the scenario at the posterior mean;
#                check-facts.txt is `smesim check-facts postmean`
#   sens/        must-show 3: smesim sensitivity run (Sobol, Saltelli design)
#                on 8 uncalibrated parameters; sens/indices.csv
#   timings.txt  runs and wall time of each step, appended by each invocation
#
# Every step resumes: after Ctrl-C or a kill, the same command carries on
# from the runs already stored. Sizes (environment; the defaults finish in
# about 30 minutes on 2 otherwise idle cores at about 0.2 s of CPU per
# china-2020 arm-replication):
#
#   WORKERS=2      runs in parallel
#   SENS_N=256     Saltelli base samples (a power of two; must-show 3 wants >= 256)
#   SENS_REPS=2    replications per design row and arm (the scenario has 100)
#   CAL_PARTICLES=200 CAL_GENERATIONS=8 CAL_REPS=3   ABC-SMC sizes
#   POST_REPS=100  replications of each batch of run --posterior
#
# Run it at low priority on a shared machine: nice -n 10 measure-china-2020.sh OUT
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 OUT_DIR" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)

WORKERS=${WORKERS:-2}
SENS_N=${SENS_N:-256}
SENS_REPS=${SENS_REPS:-2}
CAL_PARTICLES=${CAL_PARTICLES:-200}
CAL_GENERATIONS=${CAL_GENERATIONS:-8}
CAL_REPS=${CAL_REPS:-3}
POST_REPS=${POST_REPS:-100}

if [ -z "${SMESIM:-}" ]; then
	SMESIM=$out/smesim
	(cd "$here/../.." && go build -o "$SMESIM" ./cmd/smesim)
fi
S=$SMESIM

# scenario FILE PARAMS: china-2020 as built in, its line `uncertain = []`
# replaced by the tables of PARAMS.
scenario() {
	"$S" init china-2020 | awk -v params="$2" '
		$0 == "uncertain = []" { while ((getline line < params) > 0) print line; next }
		{ print }' >"$1"
	"$S" validate "$1" >/dev/null
}
scenario "$out/china-sens.toml" "$here/sensitivity-params.toml"
scenario "$out/china-cal.toml" "$here/calibrate-params.toml"

k=$(grep -c '^\[\[uncertain\]\]' "$here/sensitivity-params.toml")
arms=2 # china-2020: the baseline and "all"
report() { echo "$1" | tee -a "$out/timings.txt"; }
# timings.txt keeps every invocation: a resumed step reports only the runs
# it still had to do, and its time.
report "# $(date -u '+%Y-%m-%d %H:%M UTC'): commit $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown), SENS_N=$SENS_N SENS_REPS=$SENS_REPS CAL_PARTICLES=$CAL_PARTICLES CAL_GENERATIONS=$CAL_GENERATIONS CAL_REPS=$CAL_REPS POST_REPS=$POST_REPS WORKERS=$WORKERS"
elapsed() { local s=$(($(date +%s) - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
t_all=$(date +%s)

# Must-show 4: ABC on the facts, then the two intervals under the posterior.
t=$(date +%s)
"$S" calibrate "$out/china-cal.toml" --particles "$CAL_PARTICLES" \
	--generations "$CAL_GENERATIONS" -r "$CAL_REPS" -w "$WORKERS" --progress none \
	--out "$out/cal" >"$out/cal.txt"
gens=$(($(wc -l <"$out/cal/generations.csv") - 1))
particles=$(tail -n 1 "$out/cal/generations.csv" | cut -d, -f3) # runs_so_far: particles run
report "calibrate: $gens generations, $particles particles x $CAL_REPS replications of arm all = $((particles * CAL_REPS)) runs in $(elapsed "$t")"

t=$(date +%s)
"$S" run china-2020 --posterior "$out/cal/posterior.csv" -r "$POST_REPS" -w "$WORKERS" \
	--progress none --out "$out/post-run" >"$out/post-run.txt"
report "run --posterior: 2 batches x $POST_REPS replications x $arms arms = $((2 * POST_REPS * arms)) runs in $(elapsed "$t")"

# The facts at the posterior mean: post-run/fixed is a plain batch of it.
rm -rf "$out/postmean"
"$S" merge --out "$out/postmean" --plots none "$out/post-run/fixed" >/dev/null
status=0
"$S" check-facts "$out/postmean" >"$out/check-facts.txt" || status=$?
if [ "$status" -gt 1 ]; then
	cat "$out/check-facts.txt" >&2
	exit "$status"
fi
report "check-facts at the posterior mean: exit $status (1: some fact missed), 0 runs"

# Must-show 3: Sobol indices of no-policy failures and firms saved.
t=$(date +%s)
"$S" sensitivity run "$out/china-sens.toml" --method sobol -n "$SENS_N" \
	-r "$SENS_REPS" -w "$WORKERS" --record aggregate --progress none --plots png,svg \
	--metrics baseline:failures,all:firms_saved,all:cost_per_firm_saved \
	--out "$out/sens" >"$out/sens.txt"
report "sensitivity: $SENS_N x ($k+2) = $((SENS_N * (k + 2))) rows x $arms arms x $SENS_REPS replications = $((SENS_N * (k + 2) * arms * SENS_REPS)) runs in $(elapsed "$t")"

report "total wall time $(elapsed "$t_all"), $WORKERS workers"
