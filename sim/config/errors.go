package config

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is a problem in a scenario: where it is and what is wrong. Every
// error returned by Decode is an *Error, and so is every error of package
// scenarios' Parse, Load, Open and Validate (use errors.As).
type Error struct {
	File string // the scenario file as the user named it; may be empty
	Line int    // 1-based line of the key in the file; 0 when unknown (e.g. a default value)
	Key  string // dotted key path as TOML writes it, with indices for arrays of tables: "shocks[2].depth"; may be empty
	Msg  string // what is wrong, and what is allowed
}

// Error formats the error on one line as "FILE:LINE: KEY: MSG", leaving out
// ":LINE" when the line is unknown and "KEY: " when there is no key.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Key != "" {
		b.WriteString(cutKey(e.Key))
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return shortenQuoted(oneLine(b.String()))
}

// MaxEchoed is how many characters of a quoted value or name a message
// repeats.
const MaxEchoed = 40

// maxKeyEchoed is how many characters of a key path a message repeats;
// the schema's longest is about 40.
const maxKeyEchoed = 80

// cutKey cuts a key path (which may hold a key the user made up) to
// maxKeyEchoed characters and an ellipsis.
func cutKey(k string) string {
	n := 0
	for i := range k {
		if n == maxKeyEchoed {
			return k[:i] + "…"
		}
		n++
	}
	return k
}

// shortenQuoted cuts every quoted string of msg (a value from the user,
// quoted as Go or TOML quote it) to its first MaxEchoed characters and an
// ellipsis, so that a message stays one readable line whatever the input:
// a 1 MB name is echoed as its first 40 characters.
func shortenQuoted(msg string) string {
	if len(msg) <= MaxEchoed {
		return msg
	}
	var b strings.Builder
	for i := 0; i < len(msg); {
		if msg[i] != '"' {
			b.WriteByte(msg[i])
			i++
			continue
		}
		// Find the closing quote, counting characters (an escape sequence
		// is one) and noting where the MaxEchoed-th ends.
		j, n, cut := i+1, 0, -1
		for j < len(msg) && msg[j] != '"' {
			if n == MaxEchoed && cut < 0 {
				cut = j
			}
			j += quotedCharLen(msg[j:])
			n++
		}
		if j >= len(msg) { // no closing quote: not a quoted value
			b.WriteString(msg[i:])
			break
		}
		if cut < 0 {
			b.WriteString(msg[i : j+1])
		} else {
			b.WriteString(msg[i:cut])
			b.WriteString(`"…`)
		}
		i = j + 1
	}
	return b.String()
}

// quotedCharLen returns the length in bytes of the first character of s,
// a quoted string's content: an escape sequence or one UTF-8 character.
func quotedCharLen(s string) int {
	if s[0] != '\\' || len(s) < 2 {
		_, size := utf8.DecodeRuneInString(s)
		return size
	}
	n := 2
	switch s[1] {
	case 'x':
		n = 4
	case 'u':
		n = 6
	case 'U':
		n = 10
	case '0', '1', '2', '3', '4', '5', '6', '7':
		n = 4
	}
	return min(n, len(s))
}

// oneLine replaces line breaks so that an error always prints on one line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", " ")
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}

// unknownKeyMsg is the message for an unknown key: the nearest allowed key
// when it is close enough to be a typo, otherwise the list of allowed keys.
func unknownKeyMsg(key string, allowed []string) string {
	if best, ok := Closest(key, allowed); ok {
		return fmt.Sprintf("unknown key; did you mean %q?", best)
	}
	return "unknown key; allowed keys here: " + strings.Join(allowed, ", ")
}

// Closest returns the candidate nearest to s in edit distance (insertions,
// deletions, substitutions and transpositions of adjacent letters, ignoring
// case) if it is a plausible typo: at most 3 edits and at most about half the
// length of s. Ties go to the earlier candidate.
func Closest(s string, candidates []string) (string, bool) {
	best, bestD := "", -1
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := editDistance(ls, strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if bestD < 0 || bestD > 3 || 2*bestD > len([]rune(s))+1 {
		return "", false
	}
	return best, true
}

// editDistance is the optimal-string-alignment distance between a and b:
// Levenshtein distance where swapping two adjacent characters costs one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	n, m := len(ra), len(rb)
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[n][m]
}

// Article returns "a" or "an" for the word w.
func Article(w string) string {
	if w != "" && strings.ContainsRune("aeiouAEIOU", rune(w[0])) {
		return "an"
	}
	return "a"
}

// ErrorAt returns the error msg about key of the scenario file named
// file, whose content is src (nil when unknown: a built-in), at the line
// where src sets key: for checks that commands make beyond Validate's
// (smesim calibrate's tolerances above 0).
func ErrorAt(file string, src []byte, key, msg string) *Error {
	e := &Error{File: file, Key: key, Msg: msg}
	if src != nil {
		e.Line = locate(src)[key]
	}
	return e
}
