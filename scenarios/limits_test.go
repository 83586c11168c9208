package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInputLimits: inputs that made the decoder or the line locator use
// gigabytes (issue 13, defect 6) are refused, before decoding, with the
// line and the limit; valid inputs near the limits, and brackets, dots
// and quotes inside strings and comments, are not.
func TestInputLimits(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	dotted := func(n int) string { return "a" + strings.Repeat(".a", n-1) }
	tests := []struct {
		name, src, want string // want "" means no limit error
	}{
		{"64 KB of nested arrays", "name = \"x\"\narms = " + deep(32<<10) + "\n",
			"s.toml:2: arrays and inline tables nested more than 16 deep: a scenario nests at most 16"},
		{"17 nested arrays", "arms = " + deep(17), "s.toml:1: arrays and inline tables nested more than 16 deep: a scenario nests at most 16"},
		{"nested inline tables", "x = " + strings.Repeat("{a = ", 17) + "1" + strings.Repeat("}", 17),
			"s.toml:1: arrays and inline tables nested more than 16 deep: a scenario nests at most 16"},
		{"6,000-part dotted key", "\n\n" + dotted(6000) + " = 1\n", "s.toml:3: a key of more than 16 dotted parts: a scenario key has at most 16"},
		{"17-part table name", "[" + dotted(17) + "]\n", "s.toml:1: a key of more than 16 dotted parts: a scenario key has at most 16"},
		{"17-part key in an inline table", "x = {b = 1, " + dotted(17) + " = 2}", "s.toml:1: a key of more than 16 dotted parts: a scenario key has at most 16"},
		{"more than 1 MiB", "# " + strings.Repeat("x", 1<<20) + "\n", "s.toml: larger than 1024 KiB: a scenario file may be at most 1024 KiB"},

		{"a float that underflows", "[network]\nfinal_demand_mean = 1e-400\n", "s.toml:2: 1e-400 is too small to represent: it underflows to 0 (write 0, or a number of at least about 5e-324)"},
		{"an underflow in an array", "[sweep]\n[[sweep.parameters]]\nkey = \"shocks.demand.depth\"\nvalues = [\n  0.1,\n  -1_0e-4_00,\n]\n", "s.toml:6: -1_0e-4_00 is too small to represent: it underflows to 0 (write 0, or a number of at least about 5e-324)"},

		{"zero and small floats", "x = [0e0, 0.0e-400, 5e-324, 1e-300, 2020-01-01, 1979-05-27T07:32:00.999]", ""},
		{"16 nested arrays", "arms = " + deep(16), ""},
		{"16-part key", dotted(16) + " = 1", ""},
		{"array of tables", "[[shocks]]\nkind = \"demand\"\n[[shocks]]\nkind = \"credit\"", ""},
		{"numbers and dates have dots", "x = 1.5\ny = 1979-05-27T07:32:00.999\nz = [1.5, 2.5e3, " + strings.Repeat("0.1, ", 40) + "]", ""},
		{"brackets and dots in strings and comments", "description = \"" + deep(40) + dotted(40) + "\" # " + deep(40) + "\n" +
			"a = '''" + deep(40) + "\n" + dotted(40) + "'''\nb = \"\"\"\\\"\"\"" + deep(40) + "\"\"\"\n\"" + dotted(40) + "\" = 1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.toml", []byte(tt.src), "")
			if tt.want != "" {
				if err == nil || err.Error() != tt.want {
					t.Errorf("Parse = %v, want %s", err, tt.want)
				}
				return
			}
			// Other rules may refuse these, but not the limits.
			if err != nil && (strings.Contains(err.Error(), "at most 16") || strings.Contains(err.Error(), "KiB")) {
				t.Errorf("Parse = %v, want no limit error", err)
			}
		})
	}
}

// TestLoadEndlessFile: Load reads at most the limit of an endless or huge
// file, and says why it stops.
func TestLoadEndlessFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.toml")
	if err := os.WriteFile(path, []byte(strings.Repeat("#\n", 1<<20)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, "/dev/zero"} {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		_, err := Load(p)
		want := p + ": larger than 1024 KiB: a scenario file may be at most 1024 KiB"
		if err == nil || err.Error() != want {
			t.Errorf("Load(%s) = %v, want %s", p, err, want)
		}
	}
}
