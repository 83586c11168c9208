package plots

import (
	"image/color"
	"math"
	"slices"

	"github.com/smesim/smesim/sim/results"
	"gonum.org/v1/gonum/stat/distuv"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// stepMeans are the means over replications of a series and their
// intervals, per step.
type stepMeans struct {
	mean, lo, hi []float64
}

// meanBand returns, per step t, the mean over replications of reps[k][t]
// and its Student-t interval at level results.Confidence, mean ±
// t·sd/√n, over the n values that are not NaN: lo = hi = mean when n = 1,
// all NaN when n = 0. It agrees with results.Describe.
func meanBand(reps [][]float64) stepMeans {
	T := 0
	for _, r := range reps {
		T = max(T, len(r))
	}
	b := stepMeans{make([]float64, T), make([]float64, T), make([]float64, T)}
	tq := map[int]float64{}
	for t := 0; t < T; t++ {
		var sum float64
		n := 0
		for _, r := range reps {
			if t < len(r) && !math.IsNaN(r[t]) {
				sum += r[t]
				n++
			}
		}
		if n == 0 {
			b.mean[t], b.lo[t], b.hi[t] = math.NaN(), math.NaN(), math.NaN()
			continue
		}
		m := sum / float64(n)
		b.mean[t], b.lo[t], b.hi[t] = m, m, m
		if n < 2 || math.IsInf(m, 0) {
			continue
		}
		var ss float64
		for _, r := range reps {
			if t < len(r) && !math.IsNaN(r[t]) {
				ss += (r[t] - m) * (r[t] - m)
			}
		}
		q, ok := tq[n]
		if !ok {
			q = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.5 + results.Confidence/2)
			tq[n] = q
		}
		half := q * math.Sqrt(ss/float64(n-1)) / math.Sqrt(float64(n))
		b.lo[t], b.hi[t] = m-half, m+half
	}
	return b
}

// clamp limits the intervals to [lo, hi], the range the metric can take:
// a mean of counts between 0 and N lies between them, whatever its
// Student-t interval says.
func (m stepMeans) clamp(lo, hi float64) {
	for t := range m.lo {
		m.lo[t] = math.Max(m.lo[t], lo)
		m.hi[t] = math.Min(m.hi[t], hi)
	}
}

// band is a plotter filling the band between a lower and an upper edge,
// without outline: the interval of a mean. It is its own legend
// thumbnail, a filled box. (The idea is go-hep's hplot.Band.)
type band struct {
	ring  plotter.XYs // the upper edge left to right, then the lower edge back
	color color.Color
}

var (
	_ plot.Plotter     = (*band)(nil)
	_ plot.DataRanger  = (*band)(nil)
	_ plot.Thumbnailer = (*band)(nil)
)

// newBand returns the band from lo[t] to hi[t] at x[t], over the t where
// both are finite, in colour c, or nil when it has fewer than two points
// or no width anywhere (one replication). Beyond maxPoints it is
// decimated to the envelope of each bucket of bucketsOf, at the middle of
// the bucket.
func newBand(x, lo, hi []float64, c color.Color) *band {
	var up, down plotter.XYs
	wide := false
	add := func(xv, l, h float64) {
		up = append(up, plotter.XY{X: xv, Y: h})
		down = append(down, plotter.XY{X: xv, Y: l})
		if h > l {
			wide = true
		}
	}
	if bk := bucketsOf(len(lo)); bk == nil {
		for t := range lo {
			if isFinite(lo[t]) && isFinite(hi[t]) {
				add(x[t], lo[t], hi[t])
			}
		}
	} else {
		for i := 0; i+1 < len(bk); i++ {
			l, h, ok := math.Inf(1), math.Inf(-1), false
			for t := bk[i]; t < bk[i+1]; t++ {
				if isFinite(lo[t]) && isFinite(hi[t]) {
					l, h, ok = math.Min(l, lo[t]), math.Max(h, hi[t]), true
				}
			}
			if ok {
				add((x[bk[i]]+x[bk[i+1]-1])/2, l, h)
			}
		}
	}
	if !wide || len(up) < 2 {
		return nil
	}
	slices.Reverse(down)
	return &band{ring: append(up, down...), color: c}
}

// Plot fills the band, clipped to the data area, as gonum's Polygon with
// an outline of width 0. Nothing of the outline is drawn, but the PDF
// canvas writes its line style into the file: kept so that the figures stay
// byte-identical to those drawn with plotter.Polygon.
func (b *band) Plot(c draw.Canvas, p *plot.Plot) {
	poly := plotter.Polygon{XYs: []plotter.XYs{b.ring}, Color: b.color, LineStyle: draw.LineStyle{Color: color.Black}}
	poly.Plot(c, p)
}

// DataRange returns the range of the band's edges.
func (b *band) DataRange() (xmin, xmax, ymin, ymax float64) { return plotter.XYRange(b.ring) }

// Thumbnail fills the legend's thumbnail with the band's colour.
func (b *band) Thumbnail(c *draw.Canvas) { box{b.color}.Thumbnail(c) }

// addArmSeries adds arm i's mean line and band to p and returns its legend
// thumbnail.
func addArmSeries(p *plot.Plot, i int, x []float64, m stepMeans) (plot.Thumbnailer, error) {
	col := ArmColor(i)
	var th thumbs
	alpha := 0.18
	if i == 0 {
		alpha = 0.16 // black
	}
	if b := newBand(x, m.lo, m.hi, withAlpha(col, alpha)); b != nil {
		p.Add(b)
		th = append(th, b)
	}
	xys := lineXYs(x, m.mean)
	if len(xys) == 0 {
		return thumbs{}, nil
	}
	l, err := addLine(p, xys, draw.LineStyle{Color: col, Width: vg.Points(1.5)})
	if err != nil {
		return nil, err
	}
	if len(xys) == 1 {
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
		p.Add(s)
	}
	th = append(th, l)
	return th, nil
}
