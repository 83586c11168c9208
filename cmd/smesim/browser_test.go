package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/smesim/smesim/cmd/smesim/web"
)

// The browser tests drive headless Chromium (Debian package chromium) with
// chromedp. Without a Chromium binary they skip, unless
// SMESIM_BROWSER_TEST is set (as .ci/browser.sh sets it), when they fail.
// SMESIM_SCREENSHOTS names a directory for the pages' screenshots.

// chromiumPath returns the Chromium to drive: $CHROMIUM, else the first of
// chromium, chromium-browser, google-chrome on PATH, or "".
func chromiumPath() string {
	if c := os.Getenv("CHROMIUM"); c != "" {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
		return ""
	}
	for _, c := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	return ""
}

// browserTab starts headless Chromium and returns a tab's context, ended
// with the test.
func browserTab(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("drives a browser")
	}
	path := chromiumPath()
	if path == "" {
		msg := "no Chromium found (set CHROMIUM, or apt-get install chromium; .ci/browser.sh does)"
		if os.Getenv("SMESIM_BROWSER_TEST") != "" {
			t.Fatal(msg + ", and SMESIM_BROWSER_TEST is set")
		}
		t.Skip(msg)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.WindowSize(1400, 1000),
		chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}

// requestLog records every request the tab makes and the status of every
// response.
type requestLog struct {
	mu     sync.Mutex
	urls   []string
	status map[string]int64
}

func logRequests(t *testing.T, ctx context.Context) *requestLog {
	t.Helper()
	l := &requestLog{status: map[string]int64{}}
	err := chromedp.Listen(ctx, func(ev any) {
		l.mu.Lock()
		defer l.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			l.urls = append(l.urls, e.Request.URL)
		case *network.EventResponseReceived:
			l.status[e.Response.URL] = e.Response.Status
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// outside returns the requests not to a URL starting with one of allowed;
// data: URIs load nothing and are allowed.
func (l *requestLog) outside(allowed ...string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var bad []string
next:
	for _, u := range l.urls {
		if strings.HasPrefix(u, "data:") {
			continue
		}
		for _, a := range allowed {
			if strings.HasPrefix(u, a) {
				continue next
			}
		}
		bad = append(bad, u)
	}
	return bad
}

// screenshot saves the whole page as NAME.png in $SMESIM_SCREENSHOTS, if
// set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("SMESIM_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

// elementShot saves the element of id as NAME.png in
// $SMESIM_SCREENSHOTS, if set.
func elementShot(t *testing.T, ctx context.Context, id, name string) {
	t.Helper()
	dir := os.Getenv("SMESIM_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.ID(id)))
	if err != nil {
		t.Fatalf("screenshot of #%s: %v", id, err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

// image is what the page says of one <img>.
type image struct {
	Src      string `json:"src"`
	Complete bool   `json:"complete"`
	Width    int    `json:"width"`
}

// images lists the images matching selector, once every one has loaded
// or failed.
func images(t *testing.T, ctx context.Context, selector string) []image {
	t.Helper()
	all := fmt.Sprintf("Array.from(document.querySelectorAll(%q))", selector)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](all+".every(i => i.complete)", chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("waiting for the images to load: %v", err)
	}
	imgs, err := chromedp.Run(ctx, chromedp.Evaluate[[]image](all+".map(i => ({src: i.src.slice(0, 80), complete: i.complete, width: i.naturalWidth}))"))
	if err != nil {
		t.Fatal(err)
	}
	return imgs
}

// checkImagesLoaded fails the test unless there are images and every one
// has loaded (naturalWidth > 0).
func checkImagesLoaded(t *testing.T, imgs []image, what string) {
	t.Helper()
	if len(imgs) == 0 {
		t.Errorf("%s: no images", what)
	}
	for _, im := range imgs {
		if im.Width <= 0 {
			t.Errorf("%s: image %s did not load", what, im.Src)
		}
	}
}

// TestServePageInBrowser is issue 19's must-show 1 and 2: on the page of
// smesim serve, a built-in run at two shock depths shows more failures at
// the deeper shock, with every figure loaded; a bad upload shows the
// validate message with its line, and the page asks nothing of any other
// server. The time from pressing Run to the first figure drawn is logged
// (not asserted).
func TestServePageInBrowser(t *testing.T) {
	ctx := browserTab(t)
	srv, err := web.New(web.Options{Runner: serveRunner(0), Comparer: serveComparer, TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	requests := logRequests(t, ctx)

	state := func(want string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf("document.body.dataset.state === %q", want),
			chromedp.WithPollingTimeout(2*time.Minute))); err != nil {
			st, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("document.body.dataset.state + ': ' + document.getElementById('status').textContent + ' ' + document.getElementById('error').textContent"))
			t.Fatalf("waiting for the page to be %s: %v (it is %s)", want, err, st)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(hs.URL)); err != nil {
		t.Fatal(err)
	}
	state("ready")
	// Choose the built-in, as a user does with the list.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.getElementById("builtin"); s.value = "default"; s.dispatchEvent(new Event("change")); })()`)); err != nil {
		t.Fatal(err)
	}
	state("ready")
	screenshot(t, ctx, "serve-1-ready")

	depths := []string{"0.2", "0.6"}
	var failures []float64
	for i, depth := range depths {
		moved, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
			const s = document.querySelector('input[data-key="shocks[0].depth"]');
			s.value = %q; s.dispatchEvent(new Event("input")); return s.value; })()`, depth)))
		if err != nil || moved != depth {
			t.Fatalf("moving the depth slider to %s: got %q, %v", depth, moved, err)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("run"))); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf("document.body.dataset.runs === %q", fmt.Sprint(i+1)),
			chromedp.WithPollingTimeout(2*time.Minute))); err != nil {
			t.Fatalf("run at depth %s: %v", depth, err)
		}
		state("done")
		imgs := images(t, ctx, "#figures img")
		checkImagesLoaded(t, imgs, "depth "+depth)
		f, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`Number(document.querySelector('#arm-table tr[data-arm="baseline"]').dataset.failures)`))
		if err != nil {
			t.Fatalf("reading the baseline's failures: %v", err)
		}
		first, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.firstFigureMs || ""`))
		status, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("status")))
		t.Logf("depth %s: %g failures, %d figures; from pressing Run to the first figure drawn: %s ms (server: %s)", depth, f, len(imgs), first, status)
		failures = append(failures, f)
		screenshot(t, ctx, "serve-"+fmt.Sprint(i+2)+"-depth-"+depth)
	}
	if !(failures[1] > failures[0]) {
		t.Errorf("failures at depth %s: %g, at %s: %g; want more at the deeper shock", depths[0], failures[0], depths[1], failures[1])
	}

	// The two runs on the same axes, as smesim compare draws them.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const c = document.getElementById("compare"); c.checked = true; c.dispatchEvent(new Event("change")); })()`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll("#overlay img").length > 0`, chromedp.WithPollingTimeout(time.Minute))); err != nil {
		t.Fatalf("no overlay of the two runs: %v", err)
	}
	overlay := images(t, ctx, "#overlay img")
	checkImagesLoaded(t, overlay, "overlay")
	rows, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#arm-table tr.previous").length`))
	if rows != 1 {
		t.Errorf("the table shows %d rows of the previous run, want its baseline", rows)
	}
	t.Logf("overlay of runs 1 and 2: %d figures", len(overlay))
	screenshot(t, ctx, "serve-4-overlay")

	// A bad upload: the one-line message with file and line, HTTP 400.
	bad := filepath.Join(t.TempDir(), "bad.toml")
	writeFile(t, bad, "name = \"bad\"\nsteps = 30\n\n[network]\nchains = \"eight\"\n")
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#upload"), []string{bad})); err != nil {
		t.Fatal(err)
	}
	state("error")
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("error")))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("bad upload: %s", msg)
	if !strings.HasPrefix(msg, "bad.toml:5: network.chains") || strings.Contains(msg, "\n") {
		t.Errorf("the page shows %q, want one line starting bad.toml:5: network.chains", msg)
	}
	requests.mu.Lock()
	code := requests.status[hs.URL+"/api/upload"]
	requests.mu.Unlock()
	if code != 400 {
		t.Errorf("POST /api/upload of a bad scenario: status %d, want 400", code)
	}
	screenshot(t, ctx, "serve-5-bad-upload")
	if out := requests.outside(hs.URL + "/"); len(out) > 0 {
		t.Errorf("the page requested %v outside its server", out)
	}
}

// TestReportsInBrowser is issue 19's must-show 4: report.html of
// china-2020 and of policy-mix, and the report of smesim compare on the
// two, opened from the file in headless Chromium, show every image and
// request nothing but the file itself.
func TestReportsInBrowser(t *testing.T) {
	ctx := browserTab(t)
	var dirs []string
	open := func(t *testing.T, dir, name string) {
		requests := logRequests(t, ctx)
		url := "file://" + filepath.Join(dir, "report.html")
		if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
			t.Fatal(err)
		}
		imgs := images(t, ctx, "img")
		checkImagesLoaded(t, imgs, name)
		summary, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("summary")))
		if err != nil {
			t.Errorf("no summary: %v", err)
		}
		requests.mu.Lock()
		made := slices.Clone(requests.urls)
		requests.mu.Unlock()
		for i, u := range made {
			made[i] = u[:min(len(u), 40)]
		}
		t.Logf("%s: %d images loaded; requests %q; summary: %.300s…", name, len(imgs), made, summary)
		if bad := requests.outside(url); len(bad) > 0 {
			t.Errorf("the report requested %v", bad)
		}
		screenshot(t, ctx, "report-"+name)
		elementShot(t, ctx, "summary", "report-"+name+"-summary")
	}
	// The checks can fail: a page that loads an image from elsewhere is
	// caught by both.
	t.Run("guard", func(t *testing.T) {
		page := filepath.Join(t.TempDir(), "report.html")
		writeFile(t, page, `<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png" alt="x"></body></html>`)
		requests := logRequests(t, ctx)
		if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page)); err != nil {
			t.Fatal(err)
		}
		imgs := images(t, ctx, "img")
		if len(imgs) != 1 || imgs[0].Width != 0 {
			t.Errorf("the external image: %+v, want one not loaded", imgs)
		}
		if bad := requests.outside("file://" + page); len(bad) != 1 || bad[0] != "http://127.0.0.1:9/x.png" {
			t.Errorf("requests outside the file: %q, want the image's", bad)
		}
	})
	for _, name := range []string{"china-2020", "policy-mix"} {
		out := filepath.Join(t.TempDir(), name)
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run([]string{"smesim", "run", name, "-r", "10", "--out", out, "--progress", "none"}, &stdout, &stderr); code != 0 {
				t.Fatalf("smesim run %s: exit %d: %s", name, code, stderr.String())
			}
			dirs = append(dirs, out)
			open(t, out, name)
		})
	}
	t.Run("compare", func(t *testing.T) {
		if len(dirs) != 2 {
			t.Skip("a run failed")
		}
		out := filepath.Join(t.TempDir(), "cmp")
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"smesim", "compare", "--out", out}, dirs...), &stdout, &stderr); code != 0 {
			t.Fatalf("smesim compare: exit %d: %s", code, stderr.String())
		}
		open(t, out, "compare")
	})
}
