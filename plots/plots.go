// This file holds Figure and its writing as PNG, SVG and PDF files.

package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure is one figure: Name is the file stem ("active-firms"), Title what it shows,
// Caption one line saying what to look at; Draw draws it on a canvas of the
// given size (the default size is Width × Height).
type Figure struct {
	Name, Title, Caption string
	Width, Height        vg.Length
	Draw                 func(c draw.Canvas)
}

// DPI is the resolution of PNG files: a figure of Width × Height is
// written as an image of Width/vg.Inch·DPI × Height/vg.Inch·DPI pixels
// (rounded as vgimg does).
const DPI = 150

// Default figure size, used when a Figure's Width or Height is zero.
const (
	DefaultWidth  = 8 * vg.Inch
	DefaultHeight = 5 * vg.Inch
)

// Formats are the file formats Save writes, in the order of "all".
var Formats = []string{"png", "svg", "pdf"}

// ParseFormats reads the --plots flag: "none", "all" (png, svg, pdf), or a comma list of png, svg, pdf.
// "none" gives an empty list; a list keeps its order and drops repeats.
func ParseFormats(s string) ([]string, error) {
	switch strings.TrimSpace(s) {
	case "none":
		return []string{}, nil
	case "all":
		return slices.Clone(Formats), nil
	case "":
		return nil, fmt.Errorf("empty list of formats: give none, all, or a comma list of %s", strings.Join(Formats, ", "))
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		switch {
		case f == "":
			return nil, fmt.Errorf("formats %q: empty element", s)
		case f == "none" || f == "all":
			return nil, fmt.Errorf("formats %q: %q cannot be combined with other formats", s, f)
		case !slices.Contains(Formats, f):
			return nil, fmt.Errorf("unknown format %q: allowed values are none, all, or a comma list of %s", f, strings.Join(Formats, ", "))
		case !slices.Contains(out, f):
			out = append(out, f)
		}
	}
	return out, nil
}

// Save writes each figure as dir/<Name>.<format> for each format ("png", "svg", "pdf"),
// creating dir, and returns the file names written (sorted). PNG at 150 dpi or so; readable at default size.
//
// The names returned are paths: filepath.Join(dir, Name+"."+format). A
// figure whose drawing fails (gonum/plot panics on some degenerate data)
// is an error naming it; the files written before it are returned with
// the error.
func Save(dir string, figs []Figure, formats []string) ([]string, error) {
	for _, f := range formats {
		if !slices.Contains(Formats, f) {
			return nil, fmt.Errorf("plots: unknown format %q (allowed: %s)", f, strings.Join(Formats, ", "))
		}
	}
	if len(figs) == 0 || len(formats) == 0 {
		return []string{}, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	names := []string{}
	for _, fig := range figs {
		for _, format := range formats {
			b, err := Render(fig, format)
			if err != nil {
				slices.Sort(names)
				return names, err
			}
			name := filepath.Join(dir, fig.Name+"."+format)
			if err := os.WriteFile(name, b, 0o644); err != nil {
				slices.Sort(names)
				return names, fmt.Errorf("plots: %w", err)
			}
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names, nil
}

// Render draws fig at its default size on a white background and returns
// the file content in format ("png", "svg" or "pdf").
func Render(fig Figure, format string) (b []byte, err error) {
	w, h := fig.Size()
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))}
	case "svg":
		c = vgsvg.New(w, h)
	case "pdf":
		c = vgpdf.New(w, h)
	default:
		return nil, fmt.Errorf("plots: unknown format %q (allowed: %s)", format, strings.Join(Formats, ", "))
	}
	defer func() {
		if p := recover(); p != nil {
			b, err = nil, fmt.Errorf("plots: figure %s (%s): %v", fig.Name, format, p)
		}
	}()
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(rectPath(dc.Rectangle))
	if fig.Draw != nil {
		fig.Draw(dc)
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: figure %s (%s): %w", fig.Name, format, err)
	}
	return buf.Bytes(), nil
}

// Size returns the figure's default size: Width × Height, or DefaultWidth
// and DefaultHeight where they are zero.
func (f Figure) Size() (w, h vg.Length) {
	w, h = f.Width, f.Height
	if w <= 0 {
		w = DefaultWidth
	}
	if h <= 0 {
		h = DefaultHeight
	}
	return w, h
}

func rectPath(r vg.Rectangle) vg.Path {
	var p vg.Path
	p.Move(r.Min)
	p.Line(vg.Point{X: r.Max.X, Y: r.Min.Y})
	p.Line(r.Max)
	p.Line(vg.Point{X: r.Min.X, Y: r.Max.Y})
	p.Close()
	return p
}
