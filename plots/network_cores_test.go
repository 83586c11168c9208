package plots

import (
	"slices"
	"testing"

	"github.com/smesim/smesim/sim/results"
)

// TestNetworkHighlightsCores checks that the network figure marks every
// core enterprise apart from the SMEs, and says so in its legend and
// caption (core firms were once dots like any other).
func TestNetworkHighlightsCores(t *testing.T) {
	r := loadFixture(t)
	d := newRunData(r)
	var firms []results.FirmRow
	for _, f := range r.Firms {
		if f.Arm == baselineArm && f.Replication == r.Firms[0].Replication {
			firms = append(firms, f)
		}
	}
	nCore := 0
	for _, f := range firms {
		if f.Kind == "core" {
			nCore++
		}
	}
	if nCore == 0 {
		t.Fatal("fixture has no core firm")
	}
	l := layoutNetwork(firms, 800, 600)
	live, dead, cores := networkDots(firms, l, d.stepDays, &failScale{min: 0, max: 24, alpha: 1})
	if len(cores) != nCore || len(live)+len(dead)+len(cores) != len(firms) {
		t.Errorf("%d core marks, %d other dots, want %d cores of %d firms", len(cores), len(live)+len(dead), nCore, len(firms))
	}
	figs, err := RunFigures(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if f.Name != FigNetwork {
			continue
		}
		svg, err := Render(f, "svg")
		if err != nil {
			t.Fatal(err)
		}
		if texts := svgTexts(t, svg); !slices.Contains(texts, "core enterprise") {
			t.Errorf("network legend lacks \"core enterprise\": %q", texts)
		}
		return
	}
	t.Error("no network figure")
}
