package sim

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestODDNamesEverySimFile checks that docs/odd.md, the model description
// in the ODD protocol, names every Go file of package sim (tests aside),
// so that a new mechanism cannot go undescribed (issue 18, must-show 6).
func TestODDNamesEverySimFile(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "odd.md"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	named := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		named++
		if !strings.Contains(string(doc), "`"+f+"`") {
			t.Errorf("docs/odd.md does not name %s: describe its mechanism and add it to the checklist (section 8)", f)
		}
	}
	if named < 25 {
		t.Errorf("found %d Go files in sim, want the engine's (at least 25)", named)
	}
	// And every file it names is still there.
	for _, m := range regexp.MustCompile("`([a-z0-9_]+\\.go)`").FindAllStringSubmatch(string(doc), -1) {
		if _, err := os.Stat(m[1]); err != nil {
			t.Errorf("docs/odd.md names %s, which sim does not have", m[1])
		}
	}
}
