package main

import (
	"io"
	"os"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// progress is a terminal progress bar over runs (arms × replications), or
// nothing.
type progress struct {
	p   *mpb.Progress
	bar *mpb.Bar
}

// newProgress returns a progress bar over total runs on w when w is a
// terminal, CI is not set and there are several runs; otherwise a silent
// one.
func newProgress(w io.Writer, total int) *progress {
	if total < 2 || os.Getenv("CI") != "" || !isTerminal(w) {
		return &progress{}
	}
	p := mpb.New(mpb.WithOutput(w), mpb.WithWidth(40), mpb.WithRefreshRate(200*time.Millisecond))
	bar := p.AddBar(int64(total),
		mpb.PrependDecorators(decor.Name("runs "), decor.CountersNoUnit("%d/%d")),
		mpb.AppendDecorators(decor.Percentage(decor.WCSyncSpace), decor.Name(" "),
			decor.AverageSpeed(0, "%.2f runs/s", decor.WCSyncSpace), decor.Name("  left "),
			decor.AverageETA(decor.ET_STYLE_GO)),
	)
	return &progress{p: p, bar: bar}
}

// update is a sim.RunOptions.Progress callback.
func (pr *progress) update(done, total int) {
	if pr.bar == nil {
		return
	}
	pr.bar.SetTotal(int64(total), false)
	pr.bar.SetCurrent(int64(done))
}

// finish completes the bar (or drops it when the run failed) and waits for
// its last render.
func (pr *progress) finish(ok bool) {
	if pr.p == nil {
		return
	}
	if ok {
		pr.bar.SetTotal(-1, true)
	} else {
		pr.bar.Abort(true)
	}
	pr.p.Wait()
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
