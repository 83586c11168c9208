package plots

import (
	"fmt"
	"slices"

	"github.com/smesim/smesim/sim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// unsplit is the one "channel" of failures when channels are not recorded.
const unsplit = "failures (channels not recorded)"

// channelShares returns the failures per step attributed to each channel,
// summed over the events given (of one arm) and divided by reps: a failure
// reached through k channels counts 1/k for each, so the channels of a
// step add up to its failures. Failures without a channel count for
// "unattributed". channels lists the channels in drawing order: the six
// contagion and shock channels always, lockdown, imports and others only
// when present.
func channelShares(events []results.EventRow, steps, reps int) (channels []string, perStep map[string][]float64) {
	perStep = map[string][]float64{}
	present := map[string]bool{}
	var extra []string
	for _, e := range events {
		chs := e.Channels
		if len(chs) == 0 {
			chs = []string{"unattributed"}
		}
		for _, ch := range chs {
			if !present[ch] {
				present[ch] = true
				if !slices.Contains(channelNames(), ch) {
					extra = append(extra, ch)
				}
			}
			s, ok := perStep[ch]
			if !ok {
				s = make([]float64, steps)
				perStep[ch] = s
			}
			if e.Step >= 0 && e.Step < steps {
				s[e.Step] += 1 / float64(len(chs)) / float64(max(reps, 1))
			}
		}
	}
	for i, ch := range channelNames() {
		if i < 6 || present[ch] {
			channels = append(channels, ch)
		}
	}
	channels = append(channels, extra...)
	for _, ch := range channels {
		if perStep[ch] == nil {
			perStep[ch] = make([]float64, steps)
		}
	}
	return channels, perStep
}

// maxBars is the most bars a panel of failures by channel holds: longer
// runs are shown in bins of several steps.
const maxBars = 150

func failuresByChannelFigure(d *runData) (*Figure, error) {
	if len(d.r.Arms) == 0 || d.steps == 0 {
		return nil, nil
	}
	arms := d.r.Arms
	const maxPanels = 4
	if len(arms) > maxPanels {
		arms = arms[:1]
	}
	byArm := map[string][]results.EventRow{}
	for _, e := range d.r.Events {
		byArm[e.Arm] = append(byArm[e.Arm], e)
	}
	// Collect the channels over the arms shown, so panels share a legend.
	var channels []string
	data := map[string]map[string][]float64{}
	for _, arm := range arms {
		chs, per := channelShares(byArm[arm], d.steps, len(d.reps[arm]))
		if d.r.Aggregate() {
			// No events: failures per step from the series, unsplit.
			chs, per = []string{unsplit}, map[string][]float64{unsplit: d.meanSeries(arm, "failures")}
		}
		data[arm] = per
		for _, ch := range chs {
			if !slices.Contains(channels, ch) {
				channels = append(channels, ch)
			}
		}
	}
	bin := (d.steps + maxBars - 1) / maxBars
	ylabel := "failures per " + d.stepUnit()
	binNote := ""
	if bin > 1 {
		binNote = fmt.Sprintf(" (means over bins of %d steps)", bin)
	}
	var panels []*plot.Plot
	ymax := 0.0
	for _, arm := range arms {
		p := runKit.plot(arm+binNote, d.timeLabel(), ylabel)
		p.Y.Tick.Marker = countTicks{}
		if s := d.shockSpans(); s != nil {
			p.Add(s)
		}
		p.Add(lightGrid())
		var rs rects
		for t0 := 0; t0 < d.steps; t0 += bin {
			t1 := min(t0+bin, d.steps)
			y := 0.0
			for _, ch := range channels {
				s := data[arm][ch]
				if s == nil {
					continue
				}
				var v float64
				for t := t0; t < t1; t++ {
					v += s[t]
				}
				v /= float64(t1 - t0)
				if v > 0 {
					rs = append(rs, rect{d.week(float64(t0)), d.week(float64(t1)), y, y + v, channelColor(ch)})
					y += v
				}
			}
			ymax = max(ymax, y)
		}
		p.Add(rs)
		p.X.Min, p.X.Max = 0, d.week(float64(d.steps))
		panels = append(panels, p)
	}
	if ymax == 0 {
		ymax = 1
	}
	for _, p := range panels {
		p.Y.Min, p.Y.Max = 0, ymax*1.05
	}
	var legend []legendEntry
	for _, ch := range channels {
		legend = append(legend, legendEntry{ch, box{channelColor(ch)}})
	}
	legend = append(legend, d.shockLegend()...)
	title := "Failures per " + d.stepUnit() + " by channel"
	shown := "panels: arms"
	if len(arms) < len(d.r.Arms) {
		shown = fmt.Sprintf("baseline only (%d arms are too many for panels; compare arms in active-firms)", len(d.r.Arms))
	}
	caption := "Failures per " + d.stepUnit() + ", mean over " + d.nReps() + ", stacked by the channels through which distress reached the firm (events.csv); " +
		"a failure reached through k channels counts 1/k in each, so a bar's height is the number of failures; " + shown + d.shockCaption() + ". Look at which channels drive failures and when."
	if d.r.Aggregate() {
		title = "Failures per " + d.stepUnit()
		caption = "Failures per " + d.stepUnit() + ", mean over " + d.nReps() + ", from the \"failures\" series of timeseries.csv; " +
			"not split by channel, as channels are recorded with each failure in events.csv, which output.record = \"aggregate\" leaves empty; " + shown + d.shockCaption() + ". Look at when failures happen."
	}
	return &Figure{
		Name:    FigFailuresByChannel,
		Title:   title,
		Caption: caption,
		Width:   8 * vg.Inch,
		Height:  vg.Length(1.2+2.3*float64(len(panels))) * vg.Inch,
		Draw: func(c draw.Canvas) {
			runKit.column(runKit.header(c, title, legend), panels)
		},
	}, nil
}
