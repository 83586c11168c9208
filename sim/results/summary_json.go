package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
)

// jsonNumber is a float64 written as in the result files (10 significant
// digits), NaN and infinities as null; null reads back as NaN.
type jsonNumber float64

func (v jsonNumber) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	err := jsonFloat(&buf, float64(v))
	return buf.Bytes(), err
}

func (v *jsonNumber) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*v = jsonNumber(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*v = jsonNumber(f)
	return nil
}

// interventionJSON is the layout of an Intervention in summary.json.
type interventionJSON struct {
	Name           string         `json:"name"`
	Kind           string         `json:"kind"`
	Budget         jsonNumber     `json:"budget"`
	Used           Stat           `json:"used"`
	FiscalCost     Stat           `json:"fiscal_cost"`
	Firms          Stat           `json:"firms"`
	ExhaustedShare jsonNumber     `json:"exhausted_share"`
	ExhaustedStep  jsonNumber     `json:"mean_exhausted_step"`
	Additionality  *Additionality `json:"additionality,omitempty"`
}

// MarshalJSON writes the intervention as {"name", "kind", "budget", "used",
// "fiscal_cost", "firms", "exhausted_share", "mean_exhausted_step"}.
func (iv Intervention) MarshalJSON() ([]byte, error) {
	return json.Marshal(interventionJSON{iv.Name, iv.Kind, jsonNumber(iv.Budget), iv.Used, iv.FiscalCost, iv.Firms,
		jsonNumber(iv.ExhaustedShare), jsonNumber(iv.ExhaustedStep), iv.Additionality})
}

// UnmarshalJSON reads an intervention written by MarshalJSON.
func (iv *Intervention) UnmarshalJSON(b []byte) error {
	nan := jsonNumber(math.NaN())
	v := interventionJSON{Budget: nan, ExhaustedShare: nan, ExhaustedStep: nan}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	v.Used.Metric, v.FiscalCost.Metric, v.Firms.Metric = "used", "fiscal_cost", "firms"
	*iv = Intervention{v.Name, v.Kind, float64(v.Budget), v.Used, v.FiscalCost, v.Firms,
		float64(v.ExhaustedShare), float64(v.ExhaustedStep), v.Additionality}
	return nil
}

// jsonFloat writes v as FormatFloat does (10 significant digits, a valid
// JSON number), or null when it is not finite.
func jsonFloat(buf *bytes.Buffer, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		buf.WriteString("null")
		return nil
	}
	buf.WriteString(FormatFloat(v))
	return nil
}

// MarshalJSON writes the Stat without its metric name, fields in the
// fixed order mean, lo, hi, sd, n; numbers have 10 significant digits, as
// in the CSV files, and NaN and infinities are null.
func (s Stat) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	for i, f := range []struct {
		k string
		v float64
	}{{"mean", s.Mean}, {"lo", s.Lo}, {"hi", s.Hi}, {"sd", s.SD}} {
		if i == 0 {
			buf.WriteString(`{"`)
		} else {
			buf.WriteString(`,"`)
		}
		buf.WriteString(f.k)
		buf.WriteString(`":`)
		if err := jsonFloat(&buf, f.v); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(&buf, `,"n":%d}`, s.N)
	return buf.Bytes(), nil
}

// UnmarshalJSON reads a Stat written by MarshalJSON; null is NaN.
func (s *Stat) UnmarshalJSON(b []byte) error {
	var v struct {
		Mean, Lo, Hi, SD *float64
		N                int
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	get := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	s.Mean, s.Lo, s.Hi, s.SD, s.N = get(v.Mean), get(v.Lo), get(v.Hi), get(v.SD), v.N
	return nil
}

// MarshalJSON writes the list as an object keyed by metric name, in order.
func (s Stats) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, st := range s {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := json.Marshal(st.Metric)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		v, err := st.MarshalJSON()
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON reads an object keyed by metric name, keeping its order.
func (s *Stats) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("results: stats: want a JSON object, got %v", tok)
	}
	out := Stats{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, ok := tok.(string)
		if !ok {
			return fmt.Errorf("results: stats: want a metric name, got %v", tok)
		}
		var st Stat
		if err := dec.Decode(&st); err != nil {
			return fmt.Errorf("results: stats: %s: %w", name, err)
		}
		st.Metric = name
		out = append(out, st)
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	*s = out
	return nil
}
