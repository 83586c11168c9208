#!/usr/bin/env bash
# fuzz.sh SECONDS PACKAGE TARGET [PACKAGE TARGET ...]
#
# Fuzzes each target for SECONDS of wall time. The budget is a duration, so
# the stage costs the same on a fast or a slow machine (counts tuned once
# made it 475 s on a loaded one). Minimizing a new interesting input is
# bounded by a count (-fuzzminimizetime 200x): with the default of 60 s the
# workers spent most of a short budget minimizing instead of exploring.
#
# Go 1.26's fuzz coordinator can fail a target at the end of a -fuzztime
# duration with a bare "context deadline exceeded" although nothing was
# found (go.dev/issue/75804, fixed in Go 1.27: the coordinator compares the
# child context's error where the parent's has already fired). A real
# finding always prints "Failing input written to" and adds a file under
# testdata/fuzz; this script treats a failure as that race only when the
# output has the bare message, no failing input, and no new corpus file —
# and then replays the seed corpus to be sure nothing reproducible was hit.
set -uo pipefail

secs=$1
shift
status=0
while (($# >= 2)); do
	pkg=$1 target=$2
	shift 2
	log=$(mktemp)
	corpus="$pkg/testdata/fuzz/$target"
	before=$(find "$corpus" -type f 2>/dev/null | wc -l)
	start=$SECONDS
	if go test "$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "${secs}s" -fuzzminimizetime 200x >"$log" 2>&1; then
		echo "fuzz: $pkg $target: ok in $((SECONDS - start)) s ($(grep -o 'execs: [0-9]*' "$log" | tail -n 1))"
	else
		after=$(find "$corpus" -type f 2>/dev/null | wc -l)
		if grep -q '^    context deadline exceeded$' "$log" && ! grep -q 'Failing input written to' "$log" &&
			((after == before)) && go test "$pkg" -run "^$target\$" >/dev/null 2>&1; then
			echo "fuzz: $pkg $target: ok in $((SECONDS - start)) s (the Go 1.26 coordinator's end-of-budget race, go.dev/issue/75804; corpus replays clean)"
		else
			echo "fuzz: $pkg $target: FAILED" >&2
			cat "$log" >&2
			status=1
		fi
	fi
	rm -f "$log"
done
exit $status
