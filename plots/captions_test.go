package plots

import (
	"image/color"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

// TestColourWord checks the words captions use for the kit's colours:
// the shading once drawn beige was called grey.
func TestColourWord(t *testing.T) {
	tests := []struct {
		c    color.Color
		want string
	}{
		{shockColor, "beige"},
		{greyActive, "light grey"},
		{color.NRGBA{0x88, 0x88, 0x88, 0xff}, "grey"},
		{color.Black, "black"},
		{color.White, "white"},
		{armColors[1], "orange"},
		{armColors[2], "blue"},
		{armColors[3], "green"},
		{armColors[5], "orange"}, // vermillion
		{color.NRGBA{0xee, 0x22, 0x22, 0xff}, "red"},
	}
	for _, tt := range tests {
		if got := colourWord(tt.c); got != tt.want {
			t.Errorf("colourWord(%v) = %q, want %q", tt.c, got, tt.want)
		}
	}
}

// TestCaptionsNameShadingColour checks that every run figure with shock
// shading names its colour as drawn, and none says grey for it.
func TestCaptionsNameShadingColour(t *testing.T) {
	figs, err := RunFigures(loadFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		switch f.Name {
		case FigActiveFirms, FigRelativeLevels, FigFailuresByChannel:
			if !strings.Contains(f.Caption, "beige: shock windows") {
				t.Errorf("%s caption lacks \"beige: shock windows\": %s", f.Name, f.Caption)
			}
		}
		if strings.Contains(f.Caption, "grey: shock") {
			t.Errorf("%s caption calls the shading grey: %s", f.Name, f.Caption)
		}
	}
}

// TestRevenueWindow checks that the revenue figure's caption names the
// window of output.revenue_from and revenue_to when they are set.
func TestRevenueWindow(t *testing.T) {
	d := units.MustDuration
	tests := []struct {
		out  config.OutputConfig
		want string
	}{
		{config.OutputConfig{}, "from the first shock to the end of the run"},
		{config.OutputConfig{RevenueFrom: d("4w"), RevenueTo: d("20w")}, "from week 4 to week 20 (output.revenue_from to revenue_to)"},
		{config.OutputConfig{RevenueFrom: d("0d"), RevenueTo: d("1y")}, "from week 0 to week 52 (output.revenue_from to revenue_to)"},
		{config.OutputConfig{RevenueFrom: d("28d"), RevenueTo: d("200w")}, "from week 4 to week 104 (output.revenue_from to revenue_to)"},
	}
	for _, tt := range tests {
		if got := revenueWindow(tt.out, 7, 104); got != tt.want {
			t.Errorf("revenueWindow(%+v) = %q, want %q", tt.out, got, tt.want)
		}
	}
}

// TestRevenueCaptionWindow checks the revenue figure's caption of a run
// with output.revenue_from and revenue_to set (it once said "from the
// shock to the end of the run" whatever they were).
func TestRevenueCaptionWindow(t *testing.T) {
	r := loadFixture(t)
	r.Config.Output.RevenueFrom, r.Config.Output.RevenueTo = units.MustDuration("4w"), units.MustDuration("20w")
	figs, err := RunFigures(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if f.Name == FigRevenueChange && !strings.Contains(f.Caption, "Mean revenue from week 4 to week 20 ") {
			t.Errorf("revenue caption does not name weeks 4 to 20: %s", f.Caption)
		}
	}
}
