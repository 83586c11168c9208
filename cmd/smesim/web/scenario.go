package web

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/results"
	"github.com/smesim/smesim/sim/units"
)

// A scenario on the page is named by its source: "builtin:NAME" or
// "upload:ID". It is parsed afresh for every run, so that a run never
// sees another's slider values.
const (
	builtinPrefix = "builtin:"
	uploadPrefix  = "upload:"
)

// upload is a scenario file sent by the page.
type upload struct {
	id   string
	name string // the file's base name, in messages
	data []byte
}

// view is a scenario as the page shows it: what it is, and the sliders of
// the parameters that matter.
type view struct {
	Source       string   `json:"source"`
	Name         string   `json:"name"`
	Description  string   `json:"description"`
	Horizon      string   `json:"horizon"` // "104 steps of 1w"
	Currency     string   `json:"currency"`
	Params       []param  `json:"params"`
	Replications param    `json:"replications"`
	Arms         []string `json:"arms"`  // the arms besides the baseline, as the scenario runs them
	Facts        int      `json:"facts"` // [[facts]] the scenario checks
}

// param is one slider: a key of the scenario (as smesim sweep names keys),
// in the unit the slider shows, with its range and documentation.
type param struct {
	Key   string  `json:"key"`
	Label string  `json:"label"`
	Unit  string  `json:"unit"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Step  float64 `json:"step"`
	Value float64 `json:"value"`
	Doc   string  `json:"doc"`

	suffix string // a duration's unit: the slider's value v is "v" + suffix
}

// maxShockSliders bounds the shocks given sliders, so that the page stays
// short for a scenario with many.
const maxShockSliders = 6

// paramsOf lists the sliders of cfg: each shock's depth and duration, each
// intervention's budget, and the finance parameters that decide who can
// borrow and how long an SME lasts without revenue.
func paramsOf(cfg *config.Config) []param {
	var ps []param
	add := func(key, label, unit string, value, lo, hi, step float64, suffix string) {
		info, err := scenarios.DescribeKey(cfg, key)
		if err != nil {
			return // the key does not apply (the depth of a payment-terms shock)
		}
		if info.HasMin && !info.Duration {
			lo = math.Max(lo, info.Min)
		}
		if info.HasMax && !info.Duration {
			hi = math.Min(hi, info.Max)
		}
		ps = append(ps, param{Key: key, Label: label, Unit: unit, Min: lo, Max: math.Max(hi, value), Step: step,
			Value: value, Doc: info.Doc, suffix: suffix})
	}
	runDays := float64(cfg.Steps) * cfg.Step.Days()
	for i, sh := range cfg.Shocks {
		if i == maxShockSliders {
			break
		}
		name := sh.Name
		if name == "" {
			name = sh.Kind
		}
		lo := 0.0
		if sh.Kind == "demand" {
			lo = -1 // a rise in demand
		}
		add(fmt.Sprintf("shocks[%d].depth", i), "depth of "+quote(name), "share lost at full depth", sh.Depth, lo, 1, 0.01, "")
		// The shock must end within the run.
		longest := math.Floor((runDays - sh.Start.Days() - sh.Recovery.Days()) / 7)
		shortest := 0.0
		if sh.Recovery.IsZero() {
			shortest = 1 // a shock without recovery needs a duration
		}
		add(fmt.Sprintf("shocks[%d].duration", i), "duration of "+quote(name), "weeks at full depth", sh.Duration.Days()/7, shortest, math.Max(longest, shortest), 1, "w")
	}
	for i, iv := range cfg.Interventions {
		name := iv.Name
		if name == "" {
			name = iv.Kind
		}
		hi := 4 * iv.Budget
		if hi == 0 {
			hi = 1e9
		}
		add(fmt.Sprintf("interventions[%d].budget", i), "budget of "+quote(name), cfg.Currency, iv.Budget, 0, hi, hi/200, "")
	}
	add("finance.score_threshold", "banks' minimum credit score", "score, 0 to 1", cfg.Finance.ScoreThreshold, 0, 1, 0.01, "")
	add("firms.sme.cash_runway_median", "SMEs' median cash runway", "months of costs", cfg.Firms.SME.CashRunwayMedian.Days()/units.DaysPerMonth, 0.25, 24, 0.25, "mo")
	add("firms.sme.credit_access", "SMEs with a credit line", "share of SMEs", cfg.Firms.SME.CreditAccess, 0, 1, 0.01, "")
	return ps
}

// quote puts a name in typographic quotes for labels.
func quote(name string) string { return "‘" + name + "’" }

// maxReplications is the most replications the page offers: enough for
// tight intervals, few enough that a run stays interactive.
const maxReplications = 200

// viewOf describes cfg, from source, for the page.
func viewOf(source string, cfg *config.Config) view {
	v := view{Source: source, Name: cfg.Name, Description: cfg.Description,
		Horizon:  fmt.Sprintf("%d steps of %s", cfg.Steps, cfg.Step),
		Currency: cfg.Currency, Params: paramsOf(cfg), Arms: []string{}, Facts: len(cfg.Facts)}
	reps := max(cfg.Replications, 1)
	v.Replications = param{Key: "replications", Label: "replications", Unit: "runs per arm, on common random numbers",
		Min: 1, Max: float64(min(max(20, 2*reps), maxReplications)), Step: 1, Value: float64(reps)}
	if info, err := scenarios.DescribeKey(cfg, "replications"); err == nil {
		v.Replications.Doc = info.Doc
	}
	if arms, err := cfg.ResolveArms(nil); err == nil {
		for _, a := range arms[1:] { // the baseline always runs
			v.Arms = append(v.Arms, a.Name)
		}
	}
	return v
}

// open parses the scenario named by source afresh, with its label for
// messages.
func (s *Server) open(source string) (*config.Config, string, error) {
	if name, ok := strings.CutPrefix(source, builtinPrefix); ok {
		if _, err := scenarios.Source(name); err != nil {
			return nil, "", err
		}
		cfg, err := scenarios.Open(name)
		return cfg, name, err
	}
	if id, ok := strings.CutPrefix(source, uploadPrefix); ok {
		s.mu.Lock()
		var up *upload
		for _, u := range s.uploads {
			if u.id == id {
				up = u
			}
		}
		s.mu.Unlock()
		if up == nil {
			return nil, "", fmt.Errorf("the uploaded scenario %s is no longer kept: upload it again", id)
		}
		cfg, err := s.parseUpload(up)
		return cfg, up.name, err
	}
	return nil, "", fmt.Errorf("unknown scenario source %q: want builtin:NAME or upload:ID", clip(source))
}

// parseUpload parses an uploaded scenario: as smesim validate would, but
// without the files a scenario may name, which an upload does not bring.
func (s *Server) parseUpload(up *upload) (*config.Config, error) {
	cfg, err := scenarios.Parse(up.name, up.data, s.root)
	if err != nil {
		return nil, err
	}
	if files := results.InputFiles(cfg); len(files) > 0 {
		named := make([]string, len(files))
		for i, f := range files {
			named[i] = f.Named
		}
		return nil, fmt.Errorf("%s: the scenario reads files (%s), which an upload does not bring: run it with smesim run",
			up.name, strings.Join(named, ", "))
	}
	return cfg, nil
}

// builtin answers GET /api/scenario?name=NAME with the built-in's view.
func (s *Server) builtin(w http.ResponseWriter, r *http.Request) {
	source := builtinPrefix + r.URL.Query().Get("name")
	cfg, _, err := s.open(source)
	if err != nil {
		fail(w, http.StatusBadRequest, oneLine(err))
		return
	}
	writeJSON(w, http.StatusOK, viewOf(source, cfg))
}

// upload answers POST /api/upload (the scenario file as the form field
// "scenario") with the scenario's view, or a 400 with the one-line error
// smesim validate prints, naming the file and line.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	// The form's own fields and boundaries take well under 4 KiB.
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxUpload+4096)
	f, hdr, err := r.FormFile("scenario")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the file is larger than %d KiB: a scenario may be at most %d KiB", s.opts.MaxUpload>>10, s.opts.MaxUpload>>10))
			return
		}
		fail(w, http.StatusBadRequest, "no scenario file in the upload (form field \"scenario\"): "+oneLine(err))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, s.opts.MaxUpload+1))
	if err != nil {
		fail(w, http.StatusBadRequest, "reading the upload: "+oneLine(err))
		return
	}
	name := safeFileName(hdr.Filename)
	if int64(len(data)) > s.opts.MaxUpload {
		fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("%s: larger than %d KiB: a scenario may be at most %d KiB", name, s.opts.MaxUpload>>10, s.opts.MaxUpload>>10))
		return
	}
	s.mu.Lock()
	s.seq++
	up := &upload{id: strconv.Itoa(s.seq), name: name, data: data}
	s.mu.Unlock()
	cfg, err := s.parseUpload(up)
	if err != nil {
		fail(w, http.StatusBadRequest, oneLine(err))
		return
	}
	s.mu.Lock()
	s.uploads = append(s.uploads, up)
	if len(s.uploads) > maxUploads {
		s.uploads = s.uploads[1:]
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, viewOf(uploadPrefix+up.id, cfg))
}

// safeFileName is the base name of an uploaded file, as messages name it:
// printable, at most 64 bytes, "upload.toml" when empty.
func safeFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if len(name) > 64 {
		name = name[:64]
	}
	if name == "" || name == "." || name == "/" {
		return "upload.toml"
	}
	return strings.ToValidUTF8(name, "")
}

// oneLine is err's message on one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// clip shortens text quoted in a message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
