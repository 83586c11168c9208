package calibrate

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim/sensitivity"
)

// Posterior is a weighted sample of a posterior distribution, as a
// posterior file holds it.
type Posterior struct {
	Scenario   string      // the scenario's name
	Identity   string      // what identifies the scenario calibrated (a hash), checked by its users
	Keys       []string    // the parameters, in column order
	Units      []string    // per key, the unit of a duration key's values; "" for a number
	Values     [][]float64 // per particle, one value per key, in the key's units
	Weights    []float64   // per particle, normalised to sum to 1
	Generation int         // the last generation
	Runs       int         // particles simulated, all generations
	Tolerance  float64     // ε of the last generation
	Acceptance float64     // the last generation's acceptance
}

// Header lines of a posterior file.
const (
	fileMagic      = "# smesim posterior 1"
	lineScenario   = "# scenario: "
	lineIdentity   = "# identity: "
	lineGeneration = "# generation: "
	lineRuns       = "# simulations: "
	lineTolerance  = "# tolerance: "
	lineAcceptance = "# acceptance: "
	lineUnit       = "# unit: "
)

// MaxParticles bounds the particles a posterior file may hold.
const MaxParticles = 1_000_000

// Normalise scales the weights to sum to 1.
func normalise(w []float64) []float64 {
	var total float64
	for _, x := range w {
		total += x
	}
	out := make([]float64, len(w))
	for i, x := range w {
		out[i] = x / total
	}
	return out
}

// ESS returns the effective sample size of the weights, (Σw)² / Σw²
// (Kish 1965): the number of equally weighted particles worth as much.
func ESS(w []float64) float64 {
	var s, s2 float64
	for _, x := range w {
		s += x
		s2 += x * x
	}
	if s2 == 0 {
		return 0
	}
	return s * s / s2
}

// WeightedMean returns Σ w·x / Σ w.
func WeightedMean(x, w []float64) float64 {
	var s, sw float64
	for i := range x {
		s += w[i] * x[i]
		sw += w[i]
	}
	return s / sw
}

// WeightedQuantile returns the smallest x whose cumulative weight, x
// sorted, reaches the share p of the total (the inverse of the weighted
// empirical CDF).
func WeightedQuantile(x, w []float64, p float64) float64 {
	var total float64
	for _, v := range w {
		total += v
	}
	idx := ascending(x)
	var c float64
	for _, i := range idx {
		c += w[i]
		if c >= p*total*(1-1e-12) {
			return x[i]
		}
	}
	return x[idx[len(idx)-1]]
}

// Column returns parameter j's values, one per particle.
func (p *Posterior) Column(j int) []float64 {
	out := make([]float64, len(p.Values))
	for i, v := range p.Values {
		out[i] = v[j]
	}
	return out
}

// Pick returns the particle whose cumulative weight first exceeds r in
// [0, 1): a draw from the posterior for a uniform r.
func (p *Posterior) Pick(r float64) int {
	var c float64
	for i, w := range p.Weights {
		c += w
		if r < c {
			return i
		}
	}
	return len(p.Weights) - 1
}

// Write writes the posterior as a CSV file: header lines starting with
// "#", then a row "weight,KEY…" and a row per particle.
func (p *Posterior) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, fileMagic)
	fmt.Fprintf(bw, "%s%s\n", lineScenario, strconv.Quote(p.Scenario))
	fmt.Fprintf(bw, "%s%s\n", lineIdentity, p.Identity)
	fmt.Fprintf(bw, "%s%d\n", lineGeneration, p.Generation)
	fmt.Fprintf(bw, "%s%d\n", lineRuns, p.Runs)
	fmt.Fprintf(bw, "%s%s\n", lineTolerance, formatFloat(p.Tolerance))
	fmt.Fprintf(bw, "%s%s\n", lineAcceptance, formatFloat(p.Acceptance))
	for j, u := range p.Units {
		if u != "" {
			fmt.Fprintf(bw, "%s%s %s\n", lineUnit, p.Keys[j], u)
		}
	}
	fmt.Fprintf(bw, "weight,%s\n", strings.Join(p.Keys, ","))
	buf := make([]byte, 0, 128)
	for i, row := range p.Values {
		buf = strconv.AppendFloat(buf[:0], p.Weights[i], 'g', -1, 64)
		for _, v := range row {
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
		}
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Read reads a posterior file written by Write; name is the file named in
// errors, which give its line: "name:3: identity: …".
func Read(name string, r io.Reader) (*Posterior, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	p := &Posterior{}
	units := map[string]string{}
	seen := map[string]bool{}
	var total float64
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			if text != fileMagic {
				return nil, fail("not a smesim posterior file: the first line must be %q (written by smesim calibrate)", fileMagic)
			}
			continue
		}
		if p.Keys == nil {
			var err error
			switch {
			case strings.HasPrefix(text, lineScenario):
				p.Scenario, err = strconv.Unquote(strings.TrimPrefix(text, lineScenario))
			case strings.HasPrefix(text, lineIdentity):
				p.Identity = strings.TrimPrefix(text, lineIdentity)
				if len(p.Identity) != 64 || strings.Trim(p.Identity, "0123456789abcdef") != "" {
					err = errors.New("not a SHA-256 in hex")
				}
			case strings.HasPrefix(text, lineGeneration):
				p.Generation, err = strconv.Atoi(strings.TrimPrefix(text, lineGeneration))
			case strings.HasPrefix(text, lineRuns):
				p.Runs, err = strconv.Atoi(strings.TrimPrefix(text, lineRuns))
			case strings.HasPrefix(text, lineTolerance):
				p.Tolerance, err = strconv.ParseFloat(strings.TrimPrefix(text, lineTolerance), 64)
			case strings.HasPrefix(text, lineAcceptance):
				p.Acceptance, err = strconv.ParseFloat(strings.TrimPrefix(text, lineAcceptance), 64)
			case strings.HasPrefix(text, lineUnit):
				key, unit, ok := strings.Cut(strings.TrimPrefix(text, lineUnit), " ")
				if !ok || key == "" || unit == "" {
					err = errors.New(`want "KEY UNIT"`)
				}
				units[key] = unit
			case strings.HasPrefix(text, "#"):
				err = errors.New("unknown header line")
			default:
				head := strings.Split(text, ",")
				if head[0] != "weight" || len(head) < 2 {
					return nil, fail("the column header must be weight,KEY... (one column per parameter), not %q", text)
				}
				for _, k := range head[1:] {
					if k == "" || seen[k] {
						return nil, fail("column %q: a key must be named, once", k)
					}
					seen[k] = true
				}
				p.Keys = head[1:]
				for k := range units {
					if !seen[k] {
						return nil, fail("a unit is given for %q, which is not a column", k)
					}
				}
				for _, k := range p.Keys {
					p.Units = append(p.Units, units[k])
				}
			}
			if err != nil {
				return nil, fail("%s: %v", strings.TrimSpace(text), err)
			}
			continue
		}
		if len(p.Values) == MaxParticles {
			return nil, fail("more than %d particles", MaxParticles)
		}
		fields := strings.Split(text, ",")
		if len(fields) != len(p.Keys)+1 {
			return nil, fail("%d fields, want %d: weight and a value per key", len(fields), len(p.Keys)+1)
		}
		row := make([]float64, len(p.Keys))
		for c, f := range fields {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				col := "weight"
				if c > 0 {
					col = p.Keys[c-1]
				}
				return nil, fail("%s: %q is not a finite number", col, f)
			}
			if c == 0 {
				if v < 0 {
					return nil, fail("weight: %v is negative", v)
				}
				p.Weights = append(p.Weights, v)
				total += v
				continue
			}
			row[c-1] = v
		}
		p.Values = append(p.Values, row)
	}
	if err := sc.Err(); err != nil {
		line++
		return nil, fail("%v", err)
	}
	switch {
	case line == 0:
		return nil, fmt.Errorf("%s: empty: not a smesim posterior file", name)
	case p.Identity == "":
		return nil, fmt.Errorf("%s: no %q line: not a whole posterior file", name, strings.TrimSpace(lineIdentity))
	case p.Keys == nil:
		return nil, fmt.Errorf("%s: no column header weight,KEY...: not a whole posterior file", name)
	case len(p.Values) == 0:
		return nil, fmt.Errorf("%s: no particle", name)
	case !(total > 0):
		return nil, fmt.Errorf("%s: the weights sum to 0", name)
	}
	p.Weights = normalise(p.Weights)
	return p, nil
}

// NewPosterior returns the posterior that population pop holds for the
// parameters params (the prior of each, whose quantile maps the unit cube
// to its values), with neither scenario nor identity nor units.
func NewPosterior(pop *Population, params []sensitivity.Param) *Posterior {
	p := &Posterior{Generation: pop.Generation, Runs: pop.Runs, Tolerance: pop.Tolerance, Acceptance: pop.Acceptance,
		Weights: normalise(pop.Weights), Units: make([]string, len(params))}
	for _, q := range params {
		p.Keys = append(p.Keys, q.Name)
	}
	for _, u := range pop.U {
		row := make([]float64, len(params))
		for j, q := range params {
			row[j] = q.Dist.Quantile(u[j])
		}
		p.Values = append(p.Values, row)
	}
	return p
}
