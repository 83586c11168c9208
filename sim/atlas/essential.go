package atlas

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Essential says, per pair (input sector, buyer sector), whether a buyer
// of the buyer sector stops when the input is missing (essential) or loses
// output in proportion to the input's share (non-essential), as in Pichler
// et al. (2022) and Diem et al. (2022). Pairs not listed are essential.
type Essential struct {
	sectors      int
	nonEssential []bool // input*sectors + buyer
}

// Is reports whether input sector in is essential to buyer sector buyer; a
// nil table makes every input essential.
func (t *Essential) Is(in, buyer int) bool {
	return t == nil || !t.nonEssential[in*t.sectors+buyer]
}

// ReadEssential reads an essential-input table from r, a CSV file named
// name with the header input_sector,buyer_sector,essential and one row per
// pair; essential is true or false; sectors are names of sectors. An error
// names the file and line and says what is allowed.
func ReadEssential(r io.Reader, name string, sectors []string) (*Essential, error) {
	index := make(map[string]int, len(sectors))
	for i, s := range sectors {
		index[s] = i
	}
	t := &Essential{sectors: len(sectors), nonEssential: make([]bool, len(sectors)*len(sectors))}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 3
	cr.ReuseRecord = true
	line := func() int { l, _ := cr.FieldPos(0); return l }
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s:1: empty file: want the header input_sector,buyer_sector,essential", name)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if strings.Join(head, ",") != "input_sector,buyer_sector,essential" {
		return nil, fmt.Errorf("%s:1: header %q: want input_sector,buyer_sector,essential", name, strings.Join(head, ","))
	}
	seen := make([]bool, len(t.nonEssential))
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		in, ok := index[rec[0]]
		if !ok {
			return nil, fmt.Errorf("%s:%d: input_sector %q is not a sector of the network (%s)", name, line(), clip(rec[0]), strings.Join(sectors, ", "))
		}
		buyer, ok := index[rec[1]]
		if !ok {
			return nil, fmt.Errorf("%s:%d: buyer_sector %q is not a sector of the network (%s)", name, line(), clip(rec[1]), strings.Join(sectors, ", "))
		}
		k := in*len(sectors) + buyer
		if seen[k] {
			return nil, fmt.Errorf("%s:%d: pair %s,%s listed twice", name, line(), rec[0], rec[1])
		}
		seen[k] = true
		switch rec[2] {
		case "true":
		case "false":
			t.nonEssential[k] = true
		default:
			return nil, fmt.Errorf("%s:%d: essential %q: allowed values are true, false", name, line(), clip(rec[2]))
		}
	}
}

// clip shortens s for a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
