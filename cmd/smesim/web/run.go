package web

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smesim/smesim/scenarios"
)

// runForm is the body of POST /api/run: the scenario's source, the values
// of the sliders the user moved (by key), the replications and the arms.
type runForm struct {
	Source       string             `json:"source"`
	Values       map[string]float64 `json:"values"`
	Replications int                `json:"replications"`
	Arms         []string           `json:"arms"` // nil: the scenario's arms
}

// maxRunForm bounds the body of POST /api/run: a few dozen keys.
const maxRunForm = 64 << 10

// event is one line of the stream POST /api/run answers with: progress
// while the run goes, then done, cancelled or error.
type event struct {
	Event   string     `json:"event"`
	Done    int        `json:"done,omitempty"`
	Total   int        `json:"total,omitempty"`
	Run     string     `json:"run,omitempty"`
	Figures []string   `json:"figures,omitempty"`
	Result  *RunResult `json:"result,omitempty"`
	Message string     `json:"message,omitempty"`
	Seconds float64    `json:"seconds,omitempty"`
}

// progressEvery is the least time between two progress events.
const progressEvery = 100 * time.Millisecond

// run answers POST /api/run: it checks the form and the scenario it makes
// (400 with the one-line message when either is bad), then runs it,
// streaming events as JSON lines. A new run cancels this one, and so does
// the page going away (the request's context).
func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	var form runForm
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRunForm))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&form); err != nil {
		fail(w, http.StatusBadRequest, "bad run request: "+oneLine(err))
		return
	}
	cfg, label, err := s.open(form.Source)
	if err != nil {
		fail(w, http.StatusBadRequest, oneLine(err))
		return
	}
	allowed := map[string]param{}
	for _, p := range paramsOf(cfg) {
		allowed[p.Key] = p
	}
	keys := make([]string, 0, len(form.Values))
	for k := range form.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var set []string
	for _, k := range keys {
		p, ok := allowed[k]
		if !ok {
			fail(w, http.StatusBadRequest, fmt.Sprintf("%s has no slider %q", label, clip(k)))
			return
		}
		v := form.Values[k]
		var value any = v
		text := formatValue(v, p.suffix)
		if p.suffix != "" {
			value = text
		}
		if err := scenarios.SetKey(cfg, k, value); err != nil {
			fail(w, http.StatusBadRequest, oneLine(err))
			return
		}
		set = append(set, k+" = "+text)
	}
	if form.Replications != 0 {
		if form.Replications < 1 || form.Replications > maxReplications {
			fail(w, http.StatusBadRequest, fmt.Sprintf("replications %d: allowed 1 to %d", form.Replications, maxReplications))
			return
		}
		cfg.Replications = form.Replications
		set = append(set, "replications = "+strconv.Itoa(form.Replications))
	}
	if len(set) > 0 {
		if err := scenarios.Validate(cfg, label+" (with "+strings.Join(set, ", ")+")"); err != nil {
			fail(w, http.StatusBadRequest, oneLine(err))
			return
		}
	}
	if _, err := cfg.ResolveArms(form.Arms); err != nil {
		fail(w, http.StatusBadRequest, "arms: "+oneLine(err))
		return
	}
	toml, err := scenarios.Encode(cfg)
	if err != nil {
		fail(w, http.StatusInternalServerError, "encoding the scenario: "+oneLine(err))
		return
	}

	ctx, release, id, err := s.startRun(r.Context())
	if err != nil {
		fail(w, http.StatusServiceUnavailable, oneLine(err))
		return
	}
	defer release()
	scenarioFile := filepath.Join(s.root, "run-"+id+".toml")
	if err := os.WriteFile(scenarioFile, toml, 0o644); err != nil {
		fail(w, http.StatusInternalServerError, oneLine(err))
		return
	}
	defer os.Remove(scenarioFile)

	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	var wmu sync.Mutex
	enc := json.NewEncoder(w)
	send := func(e event) {
		wmu.Lock()
		defer wmu.Unlock()
		enc.Encode(e)
		if flusher != nil {
			flusher.Flush()
		}
	}
	send(event{Event: "started", Run: id})
	var last time.Time
	start := time.Now()
	out := filepath.Join(s.root, "run-"+id)
	res, err := s.opts.Runner(ctx, RunRequest{Scenario: scenarioFile, Out: out, Arms: form.Arms, Currency: cfg.Currency,
		Progress: func(done, total int) {
			if now := time.Now(); done == total || now.Sub(last) >= progressEvery {
				last = now
				send(event{Event: "progress", Done: done, Total: total})
			}
		},
		Figures: func(svgs map[string][]byte) {
			names := make([]string, 0, len(svgs))
			for name := range svgs {
				names = append(names, name)
			}
			s.mu.Lock()
			s.early[id] = svgs
			s.mu.Unlock()
			send(event{Event: "figures", Run: id, Figures: orderFigures(names), Seconds: time.Since(start).Seconds()})
		}})
	switch {
	case ctx.Err() != nil:
		os.RemoveAll(out)
		send(event{Event: "cancelled", Run: id, Message: "cancelled"})
	case err != nil:
		os.RemoveAll(out)
		send(event{Event: "error", Run: id, Message: oneLine(err)})
	default:
		s.keep(id)
		send(event{Event: "done", Run: id, Figures: figuresIn(out), Result: res, Seconds: time.Since(start).Seconds()})
	}
	// Served from the result directory from now on, or gone with the run.
	s.mu.Lock()
	delete(s.early, id)
	s.mu.Unlock()
}

// formatValue writes a slider's value as the scenario takes it: a
// number, or a duration with its unit suffix ("12w").
func formatValue(v float64, suffix string) string {
	return strconv.FormatFloat(v, 'g', -1, 64) + suffix
}

// startRun cancels the run under way, waits for it to stop and starts a
// new one under parent: its context, the function ending it and its id.
func (s *Server) startRun(parent context.Context) (context.Context, func(), string, error) {
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
	s.runMu.Lock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		s.runMu.Unlock()
		return nil, nil, "", errors.New("the server is stopping")
	}
	ctx, cancel := context.WithCancel(parent)
	s.cancel = cancel
	s.seq++
	id := strconv.Itoa(s.seq)
	return ctx, func() {
		cancel()
		s.runMu.Unlock()
	}, id, nil
}

// keep records the result directory of run id, removing the oldest
// beyond keptRuns.
func (s *Server) keep(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runs = append(s.runs, id)
	for len(s.runs) > keptRuns {
		old := s.runs[0]
		os.RemoveAll(filepath.Join(s.root, "run-"+old))
		// Its comparisons go with it.
		for _, pat := range []string{"compare-" + old + "-*", "compare-*-" + old} {
			m, _ := filepath.Glob(filepath.Join(s.root, pat))
			for _, d := range m {
				os.RemoveAll(d)
			}
		}
		s.runs = s.runs[1:]
	}
}

// runDir returns the result directory of a kept run, or "".
func (s *Server) runDir(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.runs {
		if k == id {
			return filepath.Join(s.root, "run-"+id)
		}
	}
	return ""
}

// figureOrder puts the figures a reader looks at first first; the others
// follow by name.
var figureOrder = []string{"active-firms", "failures-by-channel", "effects", "relative-levels", "network"}

// figuresIn lists the SVG figures of result directory dir, by their name
// without extension.
func figuresIn(dir string) []string { return svgsIn(filepath.Join(dir, "plots")) }

// svgsIn lists the SVG files of dir by their name without extension, the
// figures a reader looks at first first.
func svgsIn(dir string) []string {
	m, _ := filepath.Glob(filepath.Join(dir, "*.svg"))
	names := make([]string, len(m))
	for i, p := range m {
		names[i] = strings.TrimSuffix(filepath.Base(p), ".svg")
	}
	return orderFigures(names)
}

// orderFigures sorts figure names, those in figureOrder first.
func orderFigures(names []string) []string {
	rank := func(name string) int {
		for i, f := range figureOrder {
			if f == name {
				return i
			}
		}
		return len(figureOrder)
	}
	sort.SliceStable(names, func(i, j int) bool {
		ri, rj := rank(names[i]), rank(names[j])
		if ri != rj {
			return ri < rj
		}
		return names[i] < names[j]
	})
	return names
}

// figure serves a figure of a run: GET /runs/ID/plots/NAME.svg, from
// memory while the run writes its files, then from its result directory.
func (s *Server) figure(w http.ResponseWriter, r *http.Request) {
	id, file := r.PathValue("id"), r.PathValue("file")
	s.mu.Lock()
	svg, early := s.early[id][strings.TrimSuffix(file, ".svg")]
	s.mu.Unlock()
	if early {
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(svg)
		return
	}
	dir := s.runDir(id)
	if dir == "" || file != filepath.Base(file) || !strings.HasSuffix(file, ".svg") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.ServeFile(w, r, filepath.Join(dir, "plots", file))
}

// report serves a kept run's report.html, which loads nothing else: its
// policy lets it show its inline styles and data: images only.
func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	dir := s.runDir(r.PathValue("id"))
	if dir == "" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'")
	w.Header().Set("Cache-Control", "no-store")
	http.ServeFile(w, r, filepath.Join(dir, "report.html"))
}

// download serves a kept run's result directory as a zip file.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	dir := s.runDir(id)
	if dir == "" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="smesim-run-`+id+`.zip"`)
	zw := zip.NewWriter(w)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if r.Context().Err() != nil {
			return r.Context().Err()
		}
		rel, _ := filepath.Rel(dir, path)
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		zf, err := zw.Create("smesim-run-" + id + "/" + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		_, err = io.Copy(zf, f)
		return err
	})
	if err == nil {
		zw.Close()
	}
}

// compareForm is the body of POST /api/compare: two kept runs, the
// earlier first.
type compareForm struct {
	Runs []string `json:"runs"`
}

// compare answers POST /api/compare with the figures of smesim compare on
// two kept runs (drawn once, then reused): {"id": ..., "figures": [...]}.
func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	if s.opts.Comparer == nil {
		fail(w, http.StatusNotFound, "this server does not overlay runs")
		return
	}
	var form compareForm
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRunForm))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&form); err != nil || len(form.Runs) != 2 {
		fail(w, http.StatusBadRequest, "bad compare request: want {\"runs\": [A, B]}")
		return
	}
	var dirs, labels []string
	for _, id := range form.Runs {
		dir := s.runDir(id)
		if dir == "" {
			fail(w, http.StatusNotFound, fmt.Sprintf("run %s is no longer kept", clip(id)))
			return
		}
		dirs = append(dirs, dir)
		labels = append(labels, "run "+id)
	}
	id := form.Runs[0] + "-" + form.Runs[1]
	out := filepath.Join(s.root, "compare-"+id)
	s.cmpMu.Lock()
	defer s.cmpMu.Unlock()
	if _, err := os.Stat(out); err != nil {
		if err := s.opts.Comparer(r.Context(), dirs, labels, out); err != nil {
			fail(w, http.StatusInternalServerError, oneLine(err))
			return
		}
	}
	writeJSON(w, http.StatusOK, struct {
		ID      string   `json:"id"`
		Figures []string `json:"figures"`
	}{id, svgsIn(out)})
}

// compareFigure serves a figure of a comparison: GET /compares/A-B/NAME.svg.
func (s *Server) compareFigure(w http.ResponseWriter, r *http.Request) {
	a, b, ok := strings.Cut(r.PathValue("id"), "-")
	file := r.PathValue("file")
	if !ok || s.runDir(a) == "" || s.runDir(b) == "" || file != filepath.Base(file) || !strings.HasSuffix(file, ".svg") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.ServeFile(w, r, filepath.Join(s.root, "compare-"+a+"-"+b, file))
}
