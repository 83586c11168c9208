package main

import (
	"strings"
	"testing"
)

// threadsScenario has about 10,500 firms, so that a step's passes split
// into three chunks, with interventions, two banks, a lockdown and
// partner search, and firms failing.
const threadsScenario = `
name = "threads"
description = "thread test"
replications = 2
steps = 30
[network]
chains = 40
[production]
partner_search = true
rewiring_delay = "2w"
[[banks]]
name = "a"
share = 0.6
[[banks]]
name = "b"
share = 0.4
[[shocks]]
kind = "demand"
start = "4w"
duration = "10w"
depth = 0.5
market = "domestic"
[[shocks]]
kind = "lockdown"
start = "5w"
duration = "3w"
depth = 0.3
[[interventions]]
kind = "supply-chain-finance"
end = "20w"
budget = 1e9
[[interventions]]
kind = "policy-loan"
end = "20w"
budget = 5e7
[[interventions]]
kind = "tax-relief"
end = "20w"
budget = 5e7
`

// TestRunThreadsSameBytes: smesim run with --threads 1, 2 and 3 writes the
// same bytes (every file but meta.json, which records the command line).
func TestRunThreadsSameBytes(t *testing.T) {
	inTempDir(t)
	writeFile(t, "th.toml", threadsScenario)
	var ref map[string][]byte
	for _, threads := range []string{"1", "2", "3"} {
		out := "t" + threads
		code, _, errs := smesim(t, "run", "th.toml", "--out", out, "--workers", "1", "--threads", threads, "--plots", "none")
		if code != 0 {
			t.Fatalf("--threads %s: exit %d: %s", threads, code, errs)
		}
		files := treeFiles(t, out)
		if ref == nil {
			ref = files
			events := string(ref["events.csv"])
			if strings.Count(events, "\n") < 10 {
				t.Fatalf("only %d failure events: the scenario tests little", strings.Count(events, "\n")-1)
			}
			continue
		}
		sameTree(t, "--threads "+threads, ref, files)
	}
}

// TestRunThreadsBad: a thread count out of range is refused with exit 2.
func TestRunThreadsBad(t *testing.T) {
	inTempDir(t)
	for _, v := range []string{"0", "-1", "5000"} {
		code, _, errs := smesim(t, "run", "small", "--threads", v, "--out", "x")
		if code != 2 || !strings.Contains(errs, "--threads "+v+": must be between 1 and 1024") {
			t.Errorf("--threads %s: exit %d, %q", v, code, errs)
		}
	}
}
