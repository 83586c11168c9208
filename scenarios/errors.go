package scenarios

import (
	"fmt"
	"strconv"
	"strings"
)

// Error is a problem in a scenario: where it is and what is wrong. Every error
// returned by Parse, Load, Open and Validate is an *Error (use errors.As).
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
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return oneLine(b.String())
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
	if best, ok := closest(key, allowed); ok {
		return fmt.Sprintf("unknown key; did you mean %q?", best)
	}
	return "unknown key; allowed keys here: " + strings.Join(allowed, ", ")
}

// closest returns the candidate nearest to s in edit distance (insertions,
// deletions, substitutions and transpositions of adjacent letters, ignoring
// case) if it is a plausible typo: at most 3 edits and at most about half the
// length of s. Ties go to the earlier candidate.
func closest(s string, candidates []string) (string, bool) {
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

// article returns "a" or "an" for the word w.
func article(w string) string {
	if w != "" && strings.ContainsRune("aeiouAEIOU", rune(w[0])) {
		return "an"
	}
	return "a"
}
