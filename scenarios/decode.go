package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/smesim/smesim/sim/config"
)

// Parse decodes a scenario from TOML and validates it. name is the file as
// the user named it, used in messages; dir is the directory against which
// relative paths in the scenario are resolved (it becomes cfg.Dir).
//
// Keys absent from the file keep the values of config.DefaultConfig. An array
// of tables ([[banks]], [[markets]], [[shocks]], [[interventions]]) present
// in the file replaces the default list whole, each element starting from
// config.DefaultBank, config.DefaultMarket, config.DefaultShock or
// config.DefaultIntervention. Unknown keys, values of the wrong
// type, durations without a unit and values out of range are errors; every
// error is an *Error naming the file, line and key.
func Parse(name string, data []byte, dir string) (*config.Config, error) {
	cfg, keys, err := config.DecodeKeys(name, data, dir)
	if err != nil {
		return nil, err
	}
	src := &source{file: keys.File, lines: keys.Lines, present: keys.Present, readFiles: true}
	if err := validate(cfg, src); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Load reads and parses the scenario file at path. Relative paths inside it
// are resolved against the file's directory.
func Load(path string) (*config.Config, error) {
	data, err := config.ReadScenario(path)
	if errors.Is(err, config.ErrTooLarge) {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	if err != nil {
		msg := err.Error()
		var pe *fs.PathError
		if errors.As(err, &pe) {
			msg = pe.Err.Error()
		}
		return nil, &Error{File: path, Msg: "cannot read the scenario: " + msg}
	}
	return Parse(path, data, filepath.Dir(path))
}

// Open returns the scenario arg names: the built-in "default" when arg is
// empty, the built-in of that name if there is one, and otherwise the
// scenario file at path arg (a file named like a built-in needs a path:
// "./small"). If arg is neither, the error lists the built-ins.
func Open(arg string) (*config.Config, error) {
	if arg == "" {
		arg = "default"
	}
	if data, err := Source(arg); err == nil {
		return Parse(builtinFile(arg), data, "")
	}
	if _, err := os.Stat(arg); err != nil && errors.Is(err, fs.ErrNotExist) {
		names := builtinNames()
		msg := "no such file, and no built-in scenario of that name"
		if !strings.ContainsAny(arg, `/\.`) {
			if best, ok := closest(arg, names); ok {
				msg += fmt.Sprintf("; did you mean %q?", best)
			}
		}
		return nil, &Error{File: arg, Msg: msg + " (built-ins: " + strings.Join(names, ", ") + ")"}
	}
	return Load(arg)
}

// source is what is known about where a configuration came from.
type source struct {
	file    string
	lines   map[string]int  // key path → line; nil for configs built in code
	present map[string]bool // key paths set in the file; nil for configs built in code
	// readFiles: validation reads a file network's files to check the
	// names the scenario uses (Parse; Validate leaves files alone).
	readFiles bool
}

// line returns the line of path in the file, or 0.
func (s *source) line(path string) int {
	if s == nil || s.lines == nil {
		return 0
	}
	return s.lines[path]
}

func (s *source) errorf(path, format string, args ...any) *Error {
	return &Error{File: s.file, Line: s.line(path), Key: path, Msg: fmt.Sprintf(format, args...)}
}
