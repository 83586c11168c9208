// Package plots draws smesim's figures from result files alone.
//
// A figure is a Figure: a name (the file stem), a title, a one-line caption
// saying what to look at, a default size and a function drawing it on any
// canvas. RunFigures makes the figures of one result directory (read back
// with LoadRun); Save writes figures as PNG, SVG or PDF files. Every figure
// draws each arm in the colour ArmColor gives its index in the scenario's
// arm order (the baseline first), so that an arm keeps its colour across
// figures.
//
// The package never runs the model nor rebuilds its network: everything it
// draws is in the result files (the network figure draws the network of
// the result directory's network/).
//
// # Where things are
//
// One file per figure or family of figures, named after it:
//
//   - run.go: RunFigures, the figures of a result directory, and the data
//     they share (time series per arm and replication, shock windows);
//   - fig_active_firms.go, fig_failures_by_channel.go,
//     fig_relative_levels.go, fig_cascades.go, fig_revenue_change.go,
//     fig_effects.go, fig_network.go (with network_layout.go and
//     network_colours.go): one run figure each;
//   - sweep.go (LoadSweep), sweep_figures.go (SweepFigures),
//     sweep_heatmap.go, sweep_lines.go, sweep_axes.go, sweep_colours.go:
//     the figures of a sweep;
//   - compare.go: CompareFigures, separate runs on the same axes;
//   - report.go and scenario_words.go: report.html, and the scenario in
//     words.
//
// One kit draws them all:
//
//   - style.go: fonts, colours, panels (kit: runKit, sweepKit), lines,
//     grids and the tiling of panels;
//   - legend.go: the header of a figure, its title and legend, and the
//     legend's thumbnails;
//   - band.go: the mean over replications with its interval, and band,
//     the plotter of that interval; thin.go: the decimation of long
//     series; plotters.go: the other small plotters; ticks.go: readable
//     ticks, and whole ticks for counts; effect_scale.go: the symmetric
//     log of the effects panels; colour_words.go: the kit's colours in
//     words, for captions;
//   - load.go: LoadRun; plots.go: Figure, Save and Render;
//     engine_names.go: the names shared with the engine.
//
// Numbers in tables are written by package results (results.Compact,
// Stat.HalfWidthText, Stat.RatioText), as in the CLI's tables.
package plots
