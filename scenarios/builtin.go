package scenarios

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
)

//go:embed builtin/*.toml
var builtinFS embed.FS

// Builtin describes one scenario of the built-in library.
type Builtin struct {
	Name    string // what Open, Source and Template take, e.g. "lockdown"
	Summary string // one line: the first line of the file's header comment, without "name — "
}

// Builtins lists the built-in scenarios, sorted by name.
func Builtins() []Builtin {
	var out []Builtin
	for _, name := range builtinNames() {
		src, _ := Source(name)
		out = append(out, Builtin{Name: name, Summary: summary(name, src)})
	}
	return out
}

// Source returns the TOML text of built-in scenario name ("" means
// "default").
func Source(name string) ([]byte, error) {
	if name == "" {
		name = "default"
	}
	if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return nil, unknownBuiltin(name)
	}
	data, err := builtinFS.ReadFile("builtin/" + name + ".toml")
	if err != nil {
		return nil, unknownBuiltin(name)
	}
	return data, nil
}

func unknownBuiltin(name string) error {
	names := builtinNames()
	msg := "no built-in scenario of that name"
	if best, ok := closest(name, names); ok {
		msg += fmt.Sprintf("; did you mean %q?", best)
	}
	return &Error{File: name, Msg: msg + " (built-ins: " + strings.Join(names, ", ") + ")"}
}

// builtinFile is the name a built-in goes by in messages.
func builtinFile(name string) string { return "builtin/" + name + ".toml" }

// builtinNames lists the names of the built-ins, sorted.
func builtinNames() []string {
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		panic(err) // embedded at build time
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".toml"); ok && !e.IsDir() {
			names = append(names, path.Base(n))
		}
	}
	sort.Strings(names)
	return names
}

// headerLines returns the comment block at the top of a scenario file.
func headerLines(src []byte) []string {
	var out []string
	for _, l := range strings.Split(string(src), "\n") {
		l = strings.TrimRight(l, "\r")
		if !strings.HasPrefix(l, "#") {
			break
		}
		out = append(out, l)
	}
	return out
}

// summary is the first header line without "#" and the "name — " prefix.
func summary(name string, src []byte) string {
	h := headerLines(src)
	if len(h) == 0 {
		return ""
	}
	s := strings.TrimSpace(strings.TrimPrefix(h[0], "#"))
	for _, sep := range []string{" — ", " - ", ": "} {
		if rest, ok := strings.CutPrefix(s, name+sep); ok {
			return strings.TrimSpace(rest)
		}
	}
	return s
}
