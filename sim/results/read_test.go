package results

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanTimeseries checks the layout timeseries.csv must have (issue 13,
// defect 8): rows run by run and step by step, the same metrics at every
// step and in every run of an arm, every run the same steps, within the
// scenario's limits; each error names the file and line.
func TestScanTimeseries(t *testing.T) {
	const head = "arm,replication,step,date,metric,value\n"
	const good = "a,0,0,d,m1,1\na,0,0,d,m2,1\na,0,1,d,m1,1\na,0,1,d,m2,1\n" +
		"a,1,0,d,m1,1\na,1,0,d,m2,1\na,1,1,d,m1,1\na,1,1,d,m2,1\n" +
		"b,0,0,d,m1,1\nb,0,1,d,m1,1\n"
	for _, tc := range []struct {
		name string
		rows string
		lim  Limits
		want string // the error, after the file's path; "" for none
	}{
		{"as written", good, Limits{Steps: 2, Replications: 2}, ""},
		{"no rows", "", Limits{Steps: 2}, ""},
		{"metrics out of order", "a,0,0,d,m1,1\na,0,0,d,m2,1\na,0,1,d,m2,1\na,0,1,d,m1,1\n", Limits{},
			`:4: column metric: "m2": want "m1" (each step lists the metrics of step 0 in the same order)`},
		{"run ends within a step", "a,0,0,d,m1,1\na,0,0,d,m2,1\na,0,1,d,m1,1\na,1,0,d,m1,1\n", Limits{},
			`:5: arm "a" replication 0 ends within step 1: every step lists the 2 metrics of step 0`},
		{"last run ends within a step", "a,0,0,d,m1,1\na,0,0,d,m2,1\na,0,1,d,m1,1\n", Limits{},
			`: arm "a" replication 0 ends within step 1: every step lists the 2 metrics of step 0`},
		{"runs of other lengths", "a,0,0,d,m1,1\na,0,1,d,m1,1\na,1,0,d,m1,1\nb,0,0,d,m1,1\n", Limits{},
			`:5: arm "a" replication 1 has 1 steps, the runs before it 2`},
		{"other metrics in an arm", "a,0,0,d,m1,1\na,1,0,d,m2,1\nb,0,0,d,m1,1\n", Limits{},
			`:4: arm "a" replication 1 lists other metrics than the arm's first replication`},
		{"arm again", "a,0,0,d,m1,1\nb,0,0,d,m1,1\na,1,0,d,m1,1\n", Limits{},
			`:4: column arm: arm "a" appears again after arm "b": rows come arm by arm`},
		{"replications decreasing", "a,1,0,d,m1,1\na,0,0,d,m1,1\n", Limits{},
			`:3: column replication: replication 0 comes after replication 1 of arm "a": replications come in increasing order`},
		{"first step not 0", "a,0,1,d,m1,1\n", Limits{},
			`:2: column step: 1: the rows of arm "a" replication 0 start at step 0`},
		{"step skipped", "a,0,0,d,m1,1\na,0,2,d,m1,1\n", Limits{},
			`:3: column step: 2: want step 0 or 1 of arm "a" replication 0 (rows come step by step from 0)`},
		{"step beyond the scenario", good, Limits{Steps: 1},
			`:4: column step: 1 is not a step of the scenario (0 to 0)`},
		{"replication beyond the scenario", good, Limits{Replications: 1},
			`:6: column replication: 1 is not a replication of the scenario (0 to 0)`},
		{"fewer steps than the scenario", good, Limits{Steps: 3},
			`: the runs have 2 steps, the scenario 3`},
		{"step beyond int", "a,0,99999999999999999999,d,m1,1\n", Limits{},
			`:2: column step: "99999999999999999999" is not an integer`},
		{"negative step", "a,0,-5,d,m1,1\n", Limits{},
			`:2: column step: -5: must be 0 or more`},
		{"wrong field count", "a,0,0,d,m1\n", Limits{},
			`:2: column 1: wrong number of fields`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, TimeseriesFile), []byte(head+tc.rows), 0o644); err != nil {
				t.Fatal(err)
			}
			n := 0
			lay, err := ScanTimeseries(dir, tc.lim, func(TimeseriesRow) error { n++; return nil })
			path := filepath.Join(dir, TimeseriesFile)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.want == "":
				if got, want := n, strings.Count(tc.rows, "\n"); got != want {
					t.Errorf("%d rows, want %d", got, want)
				}
			case err == nil:
				t.Fatalf("no error, want %q", path+tc.want)
			case err.Error() != path+tc.want:
				t.Fatalf("error %q\nwant      %q", err, path+tc.want)
			}
			if tc.name == "as written" {
				got := fmt.Sprint(lay.Arms, lay.Reps["a"], lay.Reps["b"], lay.Steps)
				if want := "[a b] [0 1] [0] 2"; got != want {
					t.Errorf("layout %s, want %s", got, want)
				}
			}
		})
	}
}

// TestReadFileLimit: a file over the limit, or a device without end, is
// refused, not read whole.
func TestReadFileLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(path, make([]byte, 2<<20+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(path, 2<<20); err == nil || !strings.Contains(err.Error(), "larger than 2 MiB") {
		t.Errorf("ReadFile of 2 MiB + 1 byte with a limit of 2 MiB: %v", err)
	}
	if _, err := ReadFile("/dev/zero", 1<<20); err == nil || !strings.Contains(err.Error(), "/dev/zero: larger than 1 MiB") {
		t.Errorf("ReadFile of /dev/zero: %v", err)
	}
}
