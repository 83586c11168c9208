package config

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Limits on a scenario file, checked before it is decoded, so that no
// input makes the decoder or the line locator use unbounded time or memory.
// The schema nests three tables deep and has keys of at most four parts; the
// limits leave room for any valid scenario and its inline forms.
const (
	maxScenarioBytes = 1 << 20 // a scenario file; the largest built-in is 24 KB
	maxNesting       = 16      // arrays and inline tables inside one another
	maxKeyParts      = 16      // parts of a dotted key or table name
)

// ReadScenario reads the scenario file at path, refusing one larger than
// maxScenarioBytes without reading the rest (the file may be endless, like
// /dev/zero).
func ReadScenario(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxScenarioBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxScenarioBytes {
		return nil, ErrTooLarge
	}
	return data, nil
}

// ErrTooLarge is ReadScenario's error for a file over the limit.
var ErrTooLarge = fmt.Errorf("larger than %d KiB: a scenario file may be at most %d KiB", maxScenarioBytes>>10, maxScenarioBytes>>10)

// checkShape checks data against the limits before it is decoded: its
// size, how deep arrays and inline tables nest, how many parts a key has,
// and numbers too small to represent. It scans the TOML lexically (strings and comments are skipped) and
// reports the line where a limit is passed.
func checkShape(name string, data []byte) error {
	if len(data) > maxScenarioBytes {
		return &Error{File: name, Msg: ErrTooLarge.Error()}
	}
	const (
		array  = 'a' // [ in a value
		table  = 't' // { an inline table
		header = 'h' // [ or [[ of a table header
	)
	var stack []byte
	line, parts := 1, 1
	keyMode := true // reading a key (or table name) rather than a value
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
			line++
			if len(stack) == 0 {
				keyMode, parts = true, 1
			}
		case c == '#':
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
		case c == '"' || c == '\'':
			i, line = skipString(data, i, line)
		case c == '=' && keyMode:
			keyMode = false
		case c == '.' && keyMode:
			parts++
			if parts > maxKeyParts {
				return &Error{File: name, Line: line, Msg: fmt.Sprintf("a key of more than %d dotted parts: a scenario key has at most %d", maxKeyParts, maxKeyParts)}
			}
		case c == '[' || c == '{':
			kind := byte(array)
			switch {
			case c == '{':
				kind = table
				keyMode, parts = true, 1
			case keyMode && (len(stack) == 0 || stack[len(stack)-1] == header):
				kind = header
			}
			stack = append(stack, kind)
			if len(stack) > maxNesting {
				return &Error{File: name, Line: line, Msg: fmt.Sprintf("arrays and inline tables nested more than %d deep: a scenario nests at most %d", maxNesting, maxNesting)}
			}
		case c == ']' || c == '}':
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if top != header {
					keyMode = false
				}
				if top == header && (len(stack) == 0 || stack[len(stack)-1] != header) {
					keyMode = false // the rest of a header's line holds no key
				}
			}
		case c == ',' && len(stack) > 0 && stack[len(stack)-1] == table:
			keyMode, parts = true, 1
		case !keyMode && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
			j := i
			for j < len(data) && strings.IndexByte("0123456789+-._eE", data[j]) >= 0 {
				j++
			}
			if tok := string(data[i:j]); underflows(tok) {
				return &Error{File: name, Line: line, Msg: fmt.Sprintf("%s is too small to represent: it underflows to 0 (write 0, or a number of at least about 5e-324)", tok)}
			}
			i = j - 1
		}
	}
	return nil
}

// skipString skips the string starting at data[i] (basic, literal or
// multi-line) and returns the index of its last byte and the line there.
func skipString(data []byte, i, line int) (int, int) {
	q := data[i]
	if i+2 < len(data) && data[i+1] == q && data[i+2] == q {
		// Multi-line: up to the closing triple quote.
		for j := i + 3; j < len(data); j++ {
			switch {
			case data[j] == '\n':
				line++
			case data[j] == '\\' && q == '"':
				if j+1 < len(data) && data[j+1] == '\n' {
					line++
				}
				j++
			case data[j] == q && j+2 < len(data) && data[j+1] == q && data[j+2] == q:
				// Up to two more quotes may end the string's content.
				j += 2
				for k := 0; k < 2 && j+1 < len(data) && data[j+1] == q; k++ {
					j++
				}
				return j, line
			}
		}
		return len(data) - 1, line
	}
	for j := i + 1; j < len(data); j++ {
		switch {
		case data[j] == '\n':
			return j - 1, line // unterminated: the decoder reports it
		case data[j] == '\\' && q == '"':
			j++
		case data[j] == q:
			return j, line
		}
	}
	return len(data) - 1, line
}

// underflows reports whether tok is a TOML float that is not zero but
// reads as 0: the decoder would take 1e-400 for 0 without a word.
func underflows(tok string) bool {
	t := strings.ReplaceAll(tok, "_", "")
	mant, _, hasExp := strings.Cut(strings.ToLower(t), "e")
	if !hasExp || !strings.ContainsAny(mant, "123456789") {
		return false
	}
	v, err := strconv.ParseFloat(t, 64)
	return err == nil && v == 0
}
