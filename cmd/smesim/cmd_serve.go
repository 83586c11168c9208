package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/cmd/smesim/web"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/results"
)

// defaultServeAddr is where smesim serve listens by default: this
// computer only.
const defaultServeAddr = "127.0.0.1:8080"

func serveCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "serve a local web page to run scenarios with sliders and see their figures",
		Description: "Serves a web page at --addr (default " + defaultServeAddr + ", this computer only) and prints its\n" +
			"address. On it, pick a built-in scenario or upload a scenario file, move the sliders of the\n" +
			"parameters that matter (shock depths and durations, intervention budgets, credit access and\n" +
			"runway, replications), choose the arms and press Run: the run goes through the same code as\n" +
			"smesim run, with live progress, and its figures and arm table redraw; the previous run can be\n" +
			"overlaid on the same axes (as smesim compare draws them), the run's report.html opened and\n" +
			"its result directory downloaded. One run at a time: a new run, Cancel, or\n" +
			"closing the page, cancels the one under way. A bad upload gets smesim validate's one-line\n" +
			"message, with its line, on the page. Everything the page needs is built in: it works\n" +
			"offline. Results live in a temporary directory removed when the server stops (Ctrl-C).",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Usage: "`HOST:PORT` to listen on (port 0: any free port); a host other than localhost makes the page reachable from other computers", Value: defaultServeAddr},
			workersFlag("replications run"),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return badInputf("serve takes no arguments (got %s): choose the scenario on the page", clip(c.Args().First()))
			}
			workers := c.Int("workers")
			if c.IsSet("workers") && workers < 1 {
				return badInputf("--workers %d: must be at least 1", workers)
			}
			return serve(c.Context, e, c.String("addr"), workers)
		},
	}
}

// serve listens on addr and serves the page until ctx is cancelled (by
// Ctrl-C), then stops the run under way and removes its files.
func serve(ctx context.Context, e *env, addr string, workers int) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return badInputf("--addr %s: %w", addr, unwrapNet(err))
	}
	srv, err := web.New(web.Options{Runner: serveRunner(workers), Comparer: serveComparer})
	if err != nil {
		ln.Close()
		return err
	}
	hs := &http.Server{
		Handler: srv.Handler(),
		// Requests, and so runs, end with the server's context.
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ReadHeaderTimeout: 10 * time.Second,
	}
	page := ln.Addr().String()
	tcp, _ := ln.Addr().(*net.TCPAddr)
	if tcp != nil && tcp.IP.IsUnspecified() {
		// Every interface: this computer reaches it on its loopback.
		page = net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	fmt.Fprintf(e.stdout, "smesim serve: open http://%s/ in a browser; Ctrl-C stops the server\n", page)
	if tcp != nil && !tcp.IP.IsLoopback() {
		// On stdout with the address: stderr is for the one-line error.
		fmt.Fprintf(e.stdout, "smesim serve: listening on %s, which other computers may reach: anyone who can open the page can run scenarios here (use --addr 127.0.0.1:PORT for this computer only)\n", ln.Addr())
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		srv.Close()
		return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	// The run under way sees the cancelled context and stops well within
	// the second a command has after Ctrl-C.
	stop, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	hs.Shutdown(stop)
	hs.Close()
	if err := srv.Close(); err != nil {
		return &interruptError{"interrupted; the server stopped, but its temporary files could not all be removed: " + err.Error(), ctx.Err()}
	}
	return &interruptError{"interrupted; the server stopped", ctx.Err()}
}

// unwrapNet drops the "listen tcp" prefix of a net.OpError, which the
// message's --addr already says.
func unwrapNet(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}

// serveRunner runs a scenario from the page as smesim run would: the same
// runRun, with SVG figures, into the result directory the page asked for.
func serveRunner(workers int) web.Runner {
	return func(ctx context.Context, req web.RunRequest) (*web.RunResult, error) {
		var stdout bytes.Buffer
		opts := runOptions{out: req.Out, workers: workers, plots: []string{"svg"}, plotsSet: true, progress: "none",
			arms: req.Arms, now: time.Now()}
		if req.Progress != nil {
			opts.onProgress = func(p batch.Progress) { req.Progress(p.Done, p.Total) }
		}
		if req.Figures != nil {
			opts.onFigures = func(plotsDir string) {
				if svgs := readSVGs(plotsDir); len(svgs) > 0 {
					req.Figures(svgs)
				}
			}
		}
		// meta.json records the command that reproduces the run from the
		// result directory's own scenario.toml.
		e := &env{stdout: &stdout, stderr: io.Discard, args: []string{"smesim", "run", "scenario.toml", "--plots", "svg"}}
		if err := runRun(ctx, e, opts, req.Scenario); err != nil {
			return nil, err
		}
		sum, err := results.ReadSummary(req.Out)
		if err != nil {
			return nil, err
		}
		res := &web.RunResult{Text: stdout.String()}
		res.Header, res.Rows, _ = armTable(*sum, req.Currency)
		for _, a := range sum.Arms {
			res.Failures = append(res.Failures, a.Headline.Value(results.Failures).Mean)
		}
		return res, nil
	}
}

// serveComparer overlays runs from the page as smesim compare does, with
// SVG figures.
func serveComparer(ctx context.Context, dirs, labels []string, out string) error {
	e := &env{stdout: io.Discard, stderr: io.Discard}
	return compareRuns(ctx, e, dirs, labels, out, []string{"svg"})
}

// readSVGs reads the SVG files of dir, by name without extension; one
// that cannot be read is left out (the page gets it with the others when
// the run is done).
func readSVGs(dir string) map[string][]byte {
	m, _ := filepath.Glob(filepath.Join(dir, "*.svg"))
	svgs := map[string][]byte{}
	for _, p := range m {
		if data, err := os.ReadFile(p); err == nil {
			svgs[strings.TrimSuffix(filepath.Base(p), ".svg")] = data
		}
	}
	return svgs
}
