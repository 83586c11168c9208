package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smesim/smesim/cmd/smesim/web"
)

// serveEvent is one line of the stream POST /api/run answers with.
type serveEvent struct {
	Event   string   `json:"event"`
	Done    int      `json:"done"`
	Total   int      `json:"total"`
	Run     string   `json:"run"`
	Figures []string `json:"figures"`
	Message string   `json:"message"`
	Result  *struct {
		Rows     [][]string `json:"rows"`
		Failures []float64  `json:"failures"`
	} `json:"result"`
}

// newTestServer serves the page with smesim run's runner, its runs under
// the returned directory.
func newTestServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	tmp := t.TempDir()
	srv, err := web.New(web.Options{Runner: serveRunner(0), TempDir: tmp, MaxUpload: 4 << 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs, tmp
}

// postRun posts a run and returns the response.
func postRun(t *testing.T, ctx context.Context, url, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "POST", url+"/api/run", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// readEvents reads the stream to its end.
func readEvents(t *testing.T, resp *http.Response) []serveEvent {
	t.Helper()
	defer resp.Body.Close()
	var evs []serveEvent
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		var e serveEvent
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("bad event %q: %v", sc.Text(), err)
		}
		evs = append(evs, e)
	}
	return evs
}

// TestServeRunIsSmesimRun: a run from the page writes the result
// directory smesim run writes for the same scenario, byte for byte, with
// the slider's value in its scenario.toml, and the page gets the arm
// table's rows and the figures.
func TestServeRunIsSmesimRun(t *testing.T) {
	hs, tmp := newTestServer(t)
	resp := postRun(t, context.Background(), hs.URL, `{"source":"builtin:small","values":{"shocks[0].depth":0.55},"replications":3}`)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	evs := readEvents(t, resp)
	last := evs[len(evs)-1]
	if last.Event != "done" || last.Result == nil {
		t.Fatalf("last event %+v, want done", last)
	}
	if len(last.Result.Rows) != len(last.Result.Failures) || last.Result.Rows[0][0] != "baseline" {
		t.Errorf("arm table %v, failures %v", last.Result.Rows, last.Result.Failures)
	}
	if len(last.Figures) == 0 {
		t.Error("no figures")
	}
	// The figures are announced, drawn, before the report is written.
	if early := evs[len(evs)-2]; early.Event != "figures" || !slices.Equal(early.Figures, last.Figures) {
		t.Errorf("the event before done is %+v, want the figures %v", early, last.Figures)
	}
	dirs, _ := filepath.Glob(filepath.Join(tmp, "smesim-serve-*", "run-"+last.Run))
	if len(dirs) != 1 {
		t.Fatalf("result directory of run %s: %v", last.Run, dirs)
	}
	scenario, err := os.ReadFile(filepath.Join(dirs[0], "scenario.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(scenario, []byte("depth = 0.55\n")) || !bytes.Contains(scenario, []byte("replications = 3\n")) {
		t.Error("scenario.toml does not hold the slider's depth 0.55 and 3 replications")
	}
	cli := filepath.Join(t.TempDir(), "cli")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"smesim", "run", filepath.Join(dirs[0], "scenario.toml"), "--out", cli, "--plots", "svg", "--progress", "none"}, &stdout, &stderr); code != 0 {
		t.Fatalf("smesim run: %d %s", code, stderr.String())
	}
	for _, f := range []string{"scenario.toml", "timeseries.csv", "firms.csv", "events.csv", "summary.json", "plots/active-firms.svg", "report.html"} {
		a, errA := os.ReadFile(filepath.Join(dirs[0], f))
		b, errB := os.ReadFile(filepath.Join(cli, f))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between the page's run and smesim run (%v, %v)", f, errA, errB)
		}
	}
	// The figures and the result directory are served.
	for _, path := range []string{"/runs/" + last.Run + "/plots/" + last.Figures[0] + ".svg", "/runs/" + last.Run + "/report.html", "/runs/" + last.Run + "/download"} {
		r, err := http.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != 200 || len(body) == 0 {
			t.Errorf("GET %s: %d, %d bytes", path, r.StatusCode, len(body))
		}
	}
}

// upload posts a scenario file as the page does.
func upload(t *testing.T, url, name, content string) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("scenario", name)
	fw.Write([]byte(content))
	mw.Close()
	resp, err := http.Post(url+"/api/upload", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		Error  string `json:"error"`
		Source string `json:"source"`
	}
	json.NewDecoder(resp.Body).Decode(&e)
	return resp.StatusCode, e.Error + e.Source
}

// TestServeBadInput: what smesim validate refuses is refused with its
// one-line message and status 400 (413 for an upload too large), before
// any run starts.
func TestServeBadInput(t *testing.T) {
	hs, _ := newTestServer(t)
	uploads := []struct {
		name, file, content string
		code                int
		msg                 string
	}{
		{"wrong type", "bad.toml", "name = \"bad\"\nsteps = 30\n\n[network]\nchains = \"eight\"\n", 400, "bad.toml:5: network.chains: expected an integer, got a string"},
		{"unknown key", "typo.toml", "name = \"t\"\nstep = \"1w\"\nstpes = 3\n", 400, "typo.toml:3: stpes: unknown key; did you mean \"steps\"?"},
		{"syntax", "syntax.toml", "name = \"t\"\n[network\n", 400, "syntax.toml:2:"},
		{"reads files", "files.toml", "name = \"f\"\n[network]\ngenerator = \"file\"\nedges_file = \"e.csv\"\nfirms_file = \"f.csv\"\n", 400, "files.toml"},
		{"too large", "big.toml", "name = \"big\"\n" + strings.Repeat("# padding\n", 1000), 413, "the file is larger than 4 KiB: a scenario may be at most 4 KiB"},
		{"good", "good.toml", "name = \"good\"\nsteps = 60\n", 200, "upload:"},
	}
	for _, c := range uploads {
		code, msg := upload(t, hs.URL, c.file, c.content)
		if code != c.code || !strings.HasPrefix(msg, c.msg) || strings.Contains(msg, "\n") {
			t.Errorf("upload %s: %d %q, want %d %q", c.name, code, msg, c.code, c.msg)
		}
	}
	runs := []struct{ name, body, msg string }{
		{"depth out of range", `{"source":"builtin:default","values":{"shocks[0].depth":3}}`, "default (with shocks[0].depth = 3): shocks[0].depth: 3 is out of range: allowed -1 to 1"},
		{"no such slider", `{"source":"builtin:default","values":{"seed":3}}`, `default has no slider "seed"`},
		{"replications", `{"source":"builtin:default","replications":100000}`, "replications 100000: allowed 1 to 200"},
		{"unknown built-in", `{"source":"builtin:defualt"}`, `defualt: no built-in scenario of that name; did you mean "default"?`},
		{"unknown arm", `{"source":"builtin:policy-mix","arms":["loan"]}`, `arms: arm "loan"`},
		{"unknown field", `{"source":"builtin:default","depth":0.3}`, `bad run request: json: unknown field "depth"`},
	}
	for _, c := range runs {
		resp := postRun(t, context.Background(), hs.URL, c.body)
		var e struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.HasPrefix(e.Error, c.msg) {
			t.Errorf("run %s: %d %q, want 400 %q", c.name, resp.StatusCode, e.Error, c.msg)
		}
	}
}

// TestServeOneRunAtATime: a new run cancels the one under way, whose
// stream ends "cancelled" and whose files are removed; a page that goes
// away cancels its run.
func TestServeOneRunAtATime(t *testing.T) {
	hs, tmp := newTestServer(t)
	long := `{"source":"builtin:default","replications":200}`
	first := postRun(t, context.Background(), hs.URL, long)
	started := make(chan []serveEvent)
	go func() { started <- readEvents(t, first) }()
	time.Sleep(200 * time.Millisecond)
	second := postRun(t, context.Background(), hs.URL, `{"source":"builtin:small","replications":1}`)
	evs := readEvents(t, second)
	if last := evs[len(evs)-1]; last.Event != "done" {
		t.Errorf("the second run ended %+v", last)
	}
	firstEvs := <-started
	if last := firstEvs[len(firstEvs)-1]; last.Event != "cancelled" {
		t.Errorf("the first run ended %+v, want cancelled", last)
	} else if m, _ := filepath.Glob(filepath.Join(tmp, "smesim-serve-*", "run-"+last.Run)); len(m) > 0 {
		t.Errorf("the cancelled run left %v", m)
	}

	// The page goes away: its run stops, and the next starts at once.
	ctx, cancel := context.WithCancel(context.Background())
	gone := postRun(t, ctx, hs.URL, long)
	br := bufio.NewReader(gone.Body)
	br.ReadString('\n') // started
	cancel()
	gone.Body.Close()
	start := time.Now()
	evs = readEvents(t, postRun(t, context.Background(), hs.URL, `{"source":"builtin:small","replications":1}`))
	if last := evs[len(evs)-1]; last.Event != "done" {
		t.Errorf("the run after a page went away ended %+v", last)
	}
	t.Logf("run after the page went away done in %v", time.Since(start).Round(time.Millisecond))
}

// TestServeInterruptedDuringRun: Ctrl-C while a run is under way stops
// the server and the run (exit 130, one line) and leaves no temporary
// directory. The latency is logged; TestEveryCommandHonoursSignals has
// the idle server.
func TestServeInterruptedDuringRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and signals a subprocess")
	}
	pkg, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	bin := buildSmesim(t, pkg, t.TempDir())
	tmp := t.TempDir()
	// Listening on every interface, it says that others may reach it.
	cmd := exec.Command(bin, "serve", "--addr", "0.0.0.0:0")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	out := bufio.NewReader(stdout)
	line, err := out.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	warning, err := out.ReadString('\n')
	if err != nil || !strings.Contains(warning, "other computers may reach") {
		t.Errorf("listening on 0.0.0.0, it says %q, %v; want that other computers may reach it", warning, err)
	}
	url := strings.TrimSuffix(strings.Fields(line[strings.Index(line, "http://"):])[0], "/")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("the page's address %s: want this computer's loopback", url)
	}
	resp := postRun(t, context.Background(), url, `{"source":"builtin:default","replications":200}`)
	br := bufio.NewReader(resp.Body)
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("the run's stream ended before progress: %v", err)
		}
		if strings.Contains(l, `"progress"`) {
			break
		}
	}
	start := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err = <-exited:
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 s after SIGINT")
	}
	t.Logf("stopped %v after SIGINT during a run", time.Since(start).Round(time.Millisecond))
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("%v, want exit 130; stderr %q", err, stderr.String())
	}
	oneErrorLine(t, stderr.String(), "interrupted")
	if left, _ := filepath.Glob(filepath.Join(tmp, "*")); len(left) > 0 {
		t.Errorf("left %v", left)
	}
}
