// Package web is the page of smesim serve: a local web application on
// which a student or a policy team picks a built-in scenario or uploads
// one, moves the few parameters that matter with sliders, runs it with
// live progress and sees the run's figures and arm table redraw.
//
// The package knows scenarios, not how to run them: the run itself is the
// Runner it is given, which smesim serve makes from the code of smesim run,
// so that a run from the page writes the same result directory as one from
// the command line. Every asset is embedded (one page, one script, one
// style sheet, no framework): the page makes no request beyond its own
// server, and works offline.
//
// One user on a laptop: one run at a time (a new run, or the page going
// away, cancels the one under way), uploads bounded in size and count,
// result directories in a temporary directory that Close removes, the last
// two kept so that a run can be compared with the one before.
package web

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"sync"

	"github.com/smesim/smesim/scenarios"
)

//go:embed assets
var assets embed.FS

// Runner runs the scenario file req.Scenario into the new result
// directory req.Out, with figures as SVG files in req.Out/plots, calling
// req.Progress as runs finish, and stops soon after ctx is cancelled.
type Runner func(ctx context.Context, req RunRequest) (*RunResult, error)

// RunRequest is one run asked of a Runner.
type RunRequest struct {
	Scenario string   // path of the scenario file to run
	Out      string   // result directory to create
	Arms     []string // arms to run, as smesim run --arms takes them; nil: the scenario's
	Currency string   // the scenario's currency, for the arm table
	Progress func(done, total int)
	// Figures, called once the SVG figures are drawn and before the rest
	// (the report) is written, gives them by name, so that the page shows
	// them early.
	Figures func(svgs map[string][]byte)
}

// RunResult is what the page shows of a finished run besides its figures.
type RunResult struct {
	Header   []string   `json:"header"`   // the arm table's columns, as smesim run prints them
	Rows     [][]string `json:"rows"`     // one row per arm
	Failures []float64  `json:"failures"` // each row's mean failures, unrounded
	Text     string     `json:"text"`     // what smesim run prints after a run
}

// Comparer draws the figures of smesim compare for the result
// directories dirs, named by labels, as SVG files in the new directory
// out.
type Comparer func(ctx context.Context, dirs, labels []string, out string) error

// Options configure a Server.
type Options struct {
	Runner    Runner
	Comparer  Comparer // nil: runs are not overlaid
	MaxUpload int64    // largest scenario upload in bytes; 0: 1 MiB
	TempDir   string   // where the result directories go; "": the system's
}

// defaultMaxUpload is the largest scenario file smesim reads (see
// package scenarios).
const defaultMaxUpload = 1 << 20

// maxUploads is how many uploaded scenarios are kept; the oldest goes
// first.
const maxUploads = 8

// keptRuns is how many result directories are kept: the last run and the
// one before, to compare.
const keptRuns = 2

// Server serves the page. Its zero value is not usable: use New.
type Server struct {
	opts  Options
	root  string // temporary directory of uploads and runs
	page  *template.Template
	mux   *http.ServeMux
	runMu sync.Mutex // held by the one run under way
	cmpMu sync.Mutex // held by the one comparison drawn

	mu      sync.Mutex
	seq     int
	uploads []*upload                    // oldest first
	runs    []string                     // ids of the kept result directories, oldest first
	early   map[string]map[string][]byte // run id → figures drawn before its directory is complete
	cancel  context.CancelFunc
	closed  bool
}

// New returns a server whose runs go through opts.Runner, with its
// temporary directory created.
func New(opts Options) (*Server, error) {
	if opts.Runner == nil {
		return nil, fmt.Errorf("web: no runner")
	}
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = defaultMaxUpload
	}
	root, err := os.MkdirTemp(opts.TempDir, "smesim-serve-")
	if err != nil {
		return nil, fmt.Errorf("web: temporary directory for runs: %w", err)
	}
	page, err := template.ParseFS(assets, "assets/index.html")
	if err != nil {
		os.RemoveAll(root)
		return nil, fmt.Errorf("web: page template: %w", err)
	}
	s := &Server{opts: opts, root: root, page: page, mux: http.NewServeMux(), early: map[string]map[string][]byte{}}
	static, _ := fs.Sub(assets, "assets")
	s.mux.HandleFunc("GET /{$}", s.index)
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /api/scenario", s.builtin)
	s.mux.HandleFunc("POST /api/upload", s.upload)
	s.mux.HandleFunc("POST /api/run", s.run)
	s.mux.HandleFunc("GET /runs/{id}/plots/{file}", s.figure)
	s.mux.HandleFunc("GET /runs/{id}/report.html", s.report)
	s.mux.HandleFunc("GET /runs/{id}/download", s.download)
	s.mux.HandleFunc("POST /api/compare", s.compare)
	s.mux.HandleFunc("GET /compares/{id}/{file}", s.compareFigure)
	return s, nil
}

// Handler is the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.mux }

// Close cancels the run under way, waits for it to stop and removes the
// temporary directory.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
	s.runMu.Lock() // the run under way has returned
	defer s.runMu.Unlock()
	return os.RemoveAll(s.root)
}

// index renders the page with the list of built-ins.
func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", contentPolicy)
	if err := s.page.Execute(w, struct{ Builtins []scenarios.Builtin }{scenarios.Builtins()}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// contentPolicy lets the page load only from its own server: a request
// elsewhere (a CDN, a font) is blocked, and seen in the browser test.
const contentPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'"

// writeJSON writes v as the JSON response with status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// fail writes the one-line message msg as a JSON error with status code.
func fail(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, struct {
		Error string `json:"error"`
	}{msg})
}
