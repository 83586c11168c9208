package plots

import (
	"math"
	"slices"

	"github.com/smesim/smesim/sim/results"
	"gonum.org/v1/gonum/stat/distuv"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// band is a mean over replications with its interval, per step.
type band struct {
	mean, lo, hi []float64
}

// meanBand returns, per step t, the mean over replications of reps[k][t]
// and its Student-t interval at level results.Confidence, mean ±
// t·sd/√n, over the n values that are not NaN: lo = hi = mean when n = 1,
// all NaN when n = 0. It agrees with results.Describe.
func meanBand(reps [][]float64) band {
	T := 0
	for _, r := range reps {
		T = max(T, len(r))
	}
	b := band{make([]float64, T), make([]float64, T), make([]float64, T)}
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

// bandPolygon returns the polygon of the band lo..hi (upper edge left to
// right, then the lower edge back), decimated to the envelope of each
// bucket, or nil when the band is empty or has no width.
func bandPolygon(x, lo, hi []float64) plotter.XYs {
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
	return append(up, down...)
}

// addArmSeries adds arm i's mean line and band to p and returns its legend
// thumbnail.
func addArmSeries(p *plot.Plot, i int, x []float64, b band) (plot.Thumbnailer, error) {
	col := ArmColor(i)
	var th thumbs
	if poly := bandPolygon(x, b.lo, b.hi); poly != nil {
		pg, err := plotter.NewPolygon(poly)
		if err != nil {
			return nil, err
		}
		alpha := 0.18
		if i == 0 {
			alpha = 0.16 // black
		}
		pg.Color = translucent(col, alpha)
		pg.LineStyle.Width = 0
		p.Add(pg)
		th = append(th, box{pg.Color})
	}
	xys := lineXYs(x, b.mean)
	if len(xys) == 0 {
		return thumbs{}, nil
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	l.Color = col
	l.Width = vg.Points(1.5)
	p.Add(l)
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
