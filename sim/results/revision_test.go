package results

import (
	"runtime/debug"
	"testing"
)

func TestBuildRevision(t *testing.T) {
	cases := []struct {
		settings []debug.BuildSetting
		rev      string
		modified bool
	}{
		{nil, "", false},
		{[]debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "9c50564abc"}, {Key: "vcs.modified", Value: "false"}}, "9c50564abc", false},
		{[]debug.BuildSetting{{Key: "vcs.modified", Value: "true"}, {Key: "vcs.revision", Value: "2420a48"}}, "2420a48", true},
	}
	for _, c := range cases {
		rev, mod := buildRevision(&debug.BuildInfo{Settings: c.settings})
		if rev != c.rev || mod != c.modified {
			t.Errorf("%v: got %q %v, want %q %v", c.settings, rev, mod, c.rev, c.modified)
		}
	}
}
