package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
)

// RunsHeader is the header of runs.csv: one row per arm and replication,
// with the HeadlineMetrics of that run.
var RunsHeader = append([]string{"arm", "replication"}, HeadlineMetrics...)

// formats returns which per-row files output.format asks for.
func formats(format string) (csvs, parquet bool, err error) {
	switch format {
	case "", FormatCSV:
		return true, false, nil
	case FormatParquet:
		return false, true, nil
	case FormatBoth:
		return true, true, nil
	}
	return false, false, fmt.Errorf("results: output format %q: allowed %s, %s, %s", format, FormatCSV, FormatParquet, FormatBoth)
}

// writeRuns writes runs.csv into dir and, with parquet, runs.parquet: the
// headline metrics of each run, in the order of the digests (file order).
// The numbers of runs.csv are written in full (the shortest decimal that
// reads back to the same float64), so that the mean of a column over an
// arm's rows, summed in row order, is summary.json's headline mean
// exactly.
func writeRuns(dir string, ds []digest, parquet bool) error {
	if err := writeFile(filepath.Join(dir, RunsFile), func(w io.Writer) error { return writeRunsCSV(w, ds) }); err != nil {
		return err
	}
	if !parquet {
		return nil
	}
	p, err := createParquet[runRow](filepath.Join(dir, RunsParquet), RunsParquet, RunsUnits(), nil)
	if err != nil {
		return err
	}
	defer p.abort()
	for k := range ds {
		if err := p.add(runParquetRow(&ds[k])); err != nil {
			return err
		}
	}
	return p.close()
}

func writeRunsCSV(w io.Writer, ds []digest) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(RunsHeader); err != nil {
		return err
	}
	var row []string
	for k := range ds {
		row = runCSVRow(&ds[k], row)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
