package scenarios

import "testing"

// TestShapeFollowsRecovery: a shock that sets a recovery but no shape
// recovers linearly; before, the default "step" ignored the recovery
// silently (issue 13, defect 12).
func TestShapeFollowsRecovery(t *testing.T) {
	tests := []struct {
		name, shock, want string
	}{
		{"recovery without shape", `recovery = "12w"`, "linear"},
		{"recovery with shape", "recovery = \"12w\"\nshape = \"exponential\"", "exponential"},
		{"no recovery", ``, "step"},
		{"recovery 0", `recovery = "0w"`, "step"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "steps = 52\n[[shocks]]\nkind = \"demand\"\nstart = \"4w\"\nduration = \"8w\"\ndepth = 0.3\n" + tt.shock + "\n"
			cfg, err := Parse("s.toml", []byte(src), "")
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Shocks[0].Shape; got != tt.want {
				t.Errorf("shape = %q, want %q", got, tt.want)
			}
		})
	}
}
