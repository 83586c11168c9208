package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/smesim/smesim/sim/sensitivity"
)

// The parameters file of smesim sensitivity sample and analyze: the
// [[uncertain]] tables of a TOML file, or a CSV file with their keys as
// columns, decoded into sensitivity.Params with every error naming the
// file and line.

// uncertainColumns are the columns of a CSV parameters file: the keys of
// an [[uncertain]] table.
var uncertainColumns = []string{"name", "distribution", "lo", "hi", "mean", "sd", "alpha", "beta", "values", "weights", "source"}

// loadUncertain reads a parameters file: a TOML array of tables
// [[uncertain]], each with name, distribution, the distribution's
// parameters and an optional source; or, when path ends in .csv, a CSV
// file with those keys as columns, one parameter a row. Every error names
// the file and line.
func loadUncertain(path string) ([]sensitivity.Param, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, badInputf("%s: %v", path, errors.Unwrap(err))
	}
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		return loadUncertainCSV(path, data)
	}
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, badInputf("%s:%d: syntax error: %s", path, pe.Position.Line, pe.Message)
		}
		return nil, badInputf("%s: %v", path, err)
	}
	lines := uncertainLines(data)
	for key := range doc {
		if key != "uncertain" {
			return nil, badInputf("%s:%d: %s: unknown key: a parameters file holds [[uncertain]] tables only", path, lines.at(-1, key), key)
		}
	}
	tables, ok := doc["uncertain"].([]map[string]any)
	if list, inline := doc["uncertain"].([]any); inline { // uncertain = [{…}, …]
		ok = true
		for _, e := range list {
			m, isTable := e.(map[string]any)
			ok = ok && isTable
			tables = append(tables, m)
		}
	}
	if !ok || len(tables) == 0 {
		return nil, badInputf("%s:%d: no [[uncertain]] table: list each parameter as [[uncertain]] with name and distribution", path, max(1, lines.at(-1, "uncertain")))
	}
	return decodeUncertainTables(path, tables, lines)
}

// loadUncertainCSV reads a CSV parameters file. An empty cell leaves its
// key out; values and weights list numbers separated by spaces.
func loadUncertainCSV(path string, data []byte) ([]sensitivity.Param, error) {
	r := csv.NewReader(strings.NewReader(string(data)))
	r.Comment = '#'
	header, err := r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, badInputf("%s:%d: %v", path, pe.Line, pe.Err)
		}
		return nil, badInputf("%s: empty: a header of columns %s is needed", path, strings.Join(uncertainColumns, ","))
	}
	line, _ := r.FieldPos(0)
	for _, h := range header {
		if !slices.Contains(uncertainColumns, h) {
			return nil, badInputf("%s:%d: unknown column %q: the columns are %s", path, line, h, strings.Join(uncertainColumns, ", "))
		}
	}
	for _, h := range []string{"name", "distribution"} {
		if !slices.Contains(header, h) {
			return nil, badInputf("%s:%d: no %s column: the columns are %s", path, line, h, strings.Join(uncertainColumns, ", "))
		}
	}
	lines := tomlLines{}
	var tables []map[string]any
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, badInputf("%s:%d: %v", path, pe.Line, pe.Err)
			}
			return nil, badInputf("%s: %v", path, err)
		}
		line, _ := r.FieldPos(0)
		lines[[2]string{strconv.Itoa(len(tables)), ""}] = line
		tbl := map[string]any{}
		for c, cell := range rec {
			cell = strings.TrimSpace(cell)
			switch col := header[c]; {
			case cell == "":
			case col == "name" || col == "distribution" || col == "source":
				tbl[col] = cell
			case col == "values" || col == "weights":
				var list []any
				for _, f := range strings.Fields(cell) {
					list = append(list, csvNumber(f))
				}
				tbl[col] = list
			default:
				tbl[col] = csvNumber(cell)
			}
		}
		tables = append(tables, tbl)
	}
	if len(tables) == 0 {
		return nil, badInputf("%s: no parameters: one row per parameter is needed after the header", path)
	}
	return decodeUncertainTables(path, tables, lines)
}

// csvNumber returns the number in s, or s itself for the decoder to refuse.
func csvNumber(s string) any {
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		return x
	}
	return s
}

// decodeUncertainTables decodes and checks the parameters' tables.
func decodeUncertainTables(path string, tables []map[string]any, lines tomlLines) ([]sensitivity.Param, error) {
	params := make([]sensitivity.Param, len(tables))
	for i, tbl := range tables {
		p, err := decodeUncertain(path, i, tbl, lines)
		if err != nil {
			return nil, err
		}
		params[i] = p
	}
	// Checks across and within parameters, at the line of the table.
	for i := range params {
		at := func(key string) string {
			return fmt.Sprintf("%s:%d: uncertain[%d]", path, lines.at(i, key), i+1)
		}
		for j := range i {
			if params[j].Name == params[i].Name {
				return nil, badInputf("%s.name: %q is also the name of uncertain[%d] (line %d)", at("name"), params[i].Name, j+1, lines.at(j, "name"))
			}
		}
		if err := params[i].Dist.Check(); err != nil {
			key := "distribution"
			var ke *sensitivity.KeyError
			if errors.As(err, &ke) {
				key = ke.Key
			}
			return nil, badInputf("%s.%s: %s's %s distribution: %v", at(key), key, params[i].Name, params[i].Dist.Kind, err)
		}
	}
	return params, nil
}

// decodeUncertain decodes table i of the parameters file.
func decodeUncertain(path string, i int, tbl map[string]any, lines tomlLines) (sensitivity.Param, error) {
	fail := func(key, format string, args ...any) error {
		return badInputf("%s:%d: uncertain[%d].%s: %s", path, lines.at(i, key), i+1, key, fmt.Sprintf(format, args...))
	}
	var p sensitivity.Param
	str := func(key string) (string, error) {
		v, ok := tbl[key]
		if !ok {
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return "", fail(key, "must be a string, not %v", v)
		}
		return s, nil
	}
	var err error
	if p.Name, err = str("name"); err != nil {
		return p, err
	}
	if p.Name == "" {
		return p, fail("name", "missing: every [[uncertain]] needs a name (later, a scenario key)")
	}
	if p.Name == "id" {
		return p, fail("name", `"id" names the designs' row column: choose another name`)
	}
	if p.Source, err = str("source"); err != nil {
		return p, err
	}
	dist, err := str("distribution")
	if err != nil {
		return p, err
	}
	kind, ok := sensitivity.ParseKind(dist)
	if !ok {
		if dist == "" {
			return p, fail("distribution", "missing: one of %s", strings.Join(sensitivity.KindNames(), ", "))
		}
		return p, fail("distribution", "unknown distribution %q: one of %s", dist, strings.Join(sensitivity.KindNames(), ", "))
	}
	p.Dist.Kind = kind
	allowed := map[string]bool{"name": true, "distribution": true, "source": true}
	var takes []string
	for _, k := range sensitivity.Keys(kind) {
		allowed[k.Name] = true
		takes = append(takes, k.Name)
		if _, ok := tbl[k.Name]; !ok && !k.Optional {
			return p, fail("distribution", "a %s distribution needs %s", dist, k.Name)
		}
	}
	if _, lo := tbl["lo"]; kind == sensitivity.Beta {
		if _, hi := tbl["hi"]; lo != hi {
			return p, fail("distribution", "a beta distribution takes both lo and hi (its range), or neither (then [0, 1])")
		}
	}
	keys := make([]string, 0, len(tbl))
	for k := range tbl {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return lines.at(i, a) - lines.at(i, b) })
	for _, k := range keys {
		if !allowed[k] {
			return p, fail(k, "unknown key for a %s distribution, which takes name, distribution, source, %s", dist, strings.Join(takes, ", "))
		}
		v := tbl[k]
		switch k {
		case "name", "distribution", "source":
		case "values", "weights":
			list, err := numbers(v)
			if err != nil {
				return p, fail(k, "%v", err)
			}
			if k == "values" {
				p.Dist.Values = list
			} else {
				p.Dist.Weights = list
			}
		default:
			x, ok := number(v)
			if !ok {
				return p, fail(k, "must be a number, not %v", v)
			}
			switch k {
			case "lo":
				p.Dist.Lo = x
			case "hi":
				p.Dist.Hi = x
			case "mean":
				p.Dist.Mean = x
			case "sd":
				p.Dist.SD = x
			case "alpha":
				p.Dist.Alpha = x
			case "beta":
				p.Dist.Beta = x
			}
		}
	}
	return p, nil
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

func numbers(v any) ([]float64, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("must be a list of numbers, not %v", v)
	}
	out := make([]float64, len(list))
	for i, e := range list {
		x, ok := number(e)
		if !ok {
			return nil, fmt.Errorf("entry %d is %v: must be a number", i+1, e)
		}
		out[i] = x
	}
	return out, nil
}

// tomlLines maps (table index, key) to the line of the key in a parameters
// file; index -1 is the top level, and key "" a table's header.
type tomlLines map[[2]string]int

func (l tomlLines) at(i int, key string) int {
	if n, ok := l[[2]string{strconv.Itoa(i), key}]; ok {
		return n
	}
	if n, ok := l[[2]string{strconv.Itoa(i), ""}]; ok {
		return n
	}
	// Tables written inline (uncertain = [{…}, …]) are found at the key.
	return max(1, l[[2]string{"-1", "uncertain"}])
}

// uncertainLines scans a parameters file for its [[uncertain]] headers and
// key lines (the TOML decoder does not tell where keys are).
func uncertainLines(data []byte) tomlLines {
	l := tomlLines{}
	table := -1
	for n, line := range strings.Split(string(data), "\n") {
		s := strings.TrimSpace(line)
		switch {
		case s == "" || strings.HasPrefix(s, "#"):
		case strings.HasPrefix(s, "[["):
			if strings.TrimSpace(strings.Trim(s, "[]")) == "uncertain" {
				table++
				l[[2]string{strconv.Itoa(table), ""}] = n + 1
			} else {
				name := strings.TrimSpace(strings.Trim(s, "[]"))
				l[[2]string{"-1", name}] = n + 1
			}
		case strings.HasPrefix(s, "["):
			name := strings.TrimSpace(strings.Trim(s, "[]"))
			l[[2]string{"-1", name}] = n + 1
		default:
			key, _, ok := strings.Cut(s, "=")
			if !ok {
				continue
			}
			key = strings.Trim(strings.TrimSpace(key), `"'`)
			k := [2]string{strconv.Itoa(table), key}
			if _, seen := l[k]; !seen {
				l[k] = n + 1
			}
		}
	}
	return l
}
