package config

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// locate maps every key path set in a TOML document to the line where it is
// first set. BurntSushi/toml keeps key positions to itself, so this is a
// small scanner of its own. Paths are written as TOML writes them, with
// indices for arrays of tables and array elements: "network.chains",
// "shocks[2].depth", "shocks[0].roles[1]". A table defined by a header maps
// to the header's line; parents of a dotted key map to the key's line.
//
// It runs only on documents the TOML parser has accepted, and is used only
// for line numbers in messages: on anything it does not understand it stops
// and returns what it has found (missing paths give line 0).
func locate(src []byte) (lines map[string]int) {
	l := &locator{
		src:      src,
		line:     1,
		lines:    map[string]int{},
		aotIndex: map[string]int{},
		aotCount: map[string]int{},
	}
	defer func() {
		if recover() != nil {
			lines = l.lines
		}
	}()
	if strings.HasPrefix(string(src[:min(3, len(src))]), "\uFEFF") {
		l.i = 3 // byte order mark
	}
	l.document()
	return l.lines
}

type locator struct {
	src      []byte
	i        int
	line     int
	lines    map[string]int
	aotIndex map[string]int // array of tables → index of its current element
	aotCount map[string]int // array of tables → number of elements so far
}

func (l *locator) eof() bool { return l.i >= len(l.src) }

func (l *locator) peek() byte {
	if l.i < len(l.src) {
		return l.src[l.i]
	}
	return 0
}

func (l *locator) at(k int) byte {
	if l.i+k < len(l.src) {
		return l.src[l.i+k]
	}
	return 0
}

func (l *locator) next() {
	if l.i < len(l.src) {
		if l.src[l.i] == '\n' {
			l.line++
		}
		l.i++
	}
}

func (l *locator) hasPrefix(s string) bool {
	if l.i >= len(l.src) {
		return false
	}
	return strings.HasPrefix(string(l.src[l.i:min(l.i+len(s), len(l.src))]), s)
}

// skipSpace skips blanks; with newlines, also line breaks and comments.
func (l *locator) skipSpace(newlines bool) {
	for !l.eof() {
		switch c := l.peek(); {
		case c == ' ' || c == '\t':
			l.next()
		case newlines && (c == '\n' || c == '\r'):
			l.next()
		case newlines && c == '#':
			for !l.eof() && l.peek() != '\n' {
				l.next()
			}
		default:
			return
		}
	}
}

func (l *locator) mark(path string, line int) {
	if _, ok := l.lines[path]; !ok {
		l.lines[path] = line
	}
}

// resolve appends key segments to base, adding the current index of any
// array of tables on the way, and marks every path it passes.
func (l *locator) resolve(base string, segs []string, line int) string {
	p := base
	for _, s := range segs {
		p = Join(p, QuoteKey(s))
		if n, ok := l.aotIndex[p]; ok {
			p = Index(p, n)
		}
		l.mark(p, line)
	}
	return p
}

func (l *locator) document() {
	prefix := ""
	for {
		l.skipSpace(true)
		if l.eof() {
			return
		}
		start, line := l.i, l.line
		if l.peek() == '[' {
			aot := l.at(1) == '['
			l.next()
			if aot {
				l.next()
			}
			segs := l.key()
			if len(segs) == 0 {
				return
			}
			l.skipSpace(false)
			l.next()
			if aot {
				l.next()
			}
			parent := l.resolve("", segs[:len(segs)-1], line)
			p := Join(parent, QuoteKey(segs[len(segs)-1]))
			l.mark(p, line)
			if aot {
				n := l.aotCount[p]
				l.aotCount[p] = n + 1
				l.aotIndex[p] = n
				p = Index(p, n)
				l.mark(p, line)
			}
			prefix = p
		} else {
			if !l.keyValue(prefix) {
				return
			}
		}
		if l.i == start {
			return
		}
	}
}

// keyValue reads `key = value` and marks the key (and keys inside the value).
func (l *locator) keyValue(base string) bool {
	line := l.line
	segs := l.key()
	if len(segs) == 0 {
		return false
	}
	l.skipSpace(false)
	if l.peek() != '=' {
		return false
	}
	l.next()
	l.skipSpace(false)
	l.value(l.resolve(base, segs, line))
	return true
}

// key reads a possibly dotted key and returns its segments.
func (l *locator) key() []string {
	var segs []string
	for {
		l.skipSpace(false)
		switch c := l.peek(); {
		case c == '"':
			segs = append(segs, l.basicString())
		case c == '\'':
			segs = append(segs, l.literalString())
		case isBareChar(c):
			start := l.i
			for !l.eof() && isBareChar(l.peek()) {
				l.next()
			}
			segs = append(segs, string(l.src[start:l.i]))
		default:
			return segs
		}
		l.skipSpace(false)
		if l.peek() != '.' {
			return segs
		}
		l.next()
	}
}

func (l *locator) value(path string) {
	switch c := l.peek(); {
	case l.hasPrefix(`"""`), l.hasPrefix(`'''`):
		q := string(l.src[l.i : l.i+3])
		l.i += 3
		for !l.eof() && !l.hasPrefix(q) {
			if q[0] == '"' && l.peek() == '\\' {
				l.next()
			}
			l.next()
		}
		l.i += 3
		for k := 0; k < 2 && l.peek() == q[0]; k++ { // up to two quotes may end the string
			l.next()
		}
	case c == '"':
		l.basicString()
	case c == '\'':
		l.literalString()
	case c == '[':
		l.array(path)
	case c == '{':
		l.inlineTable(path)
	default:
		for !l.eof() && !strings.ContainsRune(",]}#\r\n", rune(l.peek())) {
			l.next()
		}
	}
}

func (l *locator) array(path string) {
	l.next() // [
	for k := 0; ; k++ {
		l.skipSpace(true)
		if l.eof() {
			return
		}
		if l.peek() == ']' {
			l.next()
			return
		}
		start := l.i
		p := Index(path, k)
		l.mark(p, l.line)
		l.value(p)
		l.skipSpace(true)
		if l.peek() == ',' {
			l.next()
		}
		if l.i == start {
			panic("locate: stuck in an array")
		}
	}
}

func (l *locator) inlineTable(path string) {
	l.next() // {
	for {
		l.skipSpace(true)
		if l.eof() {
			return
		}
		if l.peek() == '}' {
			l.next()
			return
		}
		start := l.i
		if !l.keyValue(path) {
			panic("locate: bad inline table")
		}
		l.skipSpace(true)
		if l.peek() == ',' {
			l.next()
		}
		if l.i == start {
			panic("locate: stuck in an inline table")
		}
	}
}

// basicString reads a "quoted" string and returns its value.
func (l *locator) basicString() string {
	l.next() // "
	var b strings.Builder
	for !l.eof() {
		c := l.peek()
		switch c {
		case '"':
			l.next()
			return b.String()
		case '\n':
			return b.String()
		case '\\':
			l.next()
			e := l.peek()
			l.next()
			switch e {
			case 'b':
				b.WriteByte('\b')
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			case 'f':
				b.WriteByte('\f')
			case 'r':
				b.WriteByte('\r')
			case 'e':
				b.WriteByte(0x1b)
			case 'u', 'U', 'x':
				n := map[byte]int{'u': 4, 'U': 8, 'x': 2}[e]
				end := min(l.i+n, len(l.src))
				v, err := strconv.ParseUint(string(l.src[l.i:end]), 16, 32)
				if err == nil && utf8.ValidRune(rune(v)) {
					b.WriteRune(rune(v))
				}
				l.i = end
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
			l.next()
		}
	}
	return b.String()
}

// literalString reads a 'quoted' string and returns its value.
func (l *locator) literalString() string {
	l.next() // '
	start := l.i
	for !l.eof() && l.peek() != '\'' && l.peek() != '\n' {
		l.next()
	}
	s := string(l.src[start:l.i])
	if l.peek() == '\'' {
		l.next()
	}
	return s
}
