package scenarios

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
)

// echo quotes a user's value for a message, cut to maxEchoed characters
// with "…" after a longer one.
func echo(s string) string {
	if utf8.RuneCountInString(s) <= maxEchoed {
		return strconv.Quote(s)
	}
	n := 0
	for i := range s {
		if n == maxEchoed {
			return strconv.Quote(s[:i]) + "…"
		}
		n++
	}
	return strconv.Quote(s)
}

// maxListed is how many allowed names a message lists.
const maxListed = 12

// listNames writes names for a message, the first maxListed of them.
func listNames(names []string) string {
	if len(names) <= maxListed {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:maxListed], ", ") + fmt.Sprintf(", … (%d in all)", len(names))
}

// names checks what [[shocks]], [[banks]] and [[interventions]] name in the
// network — sectors, regions, demand-shock markets and supply-chain-finance cores —
// against the names the network will have, so that a run never stops on
// them. A generated network's names follow from its parameters. A file
// network is read, and so checked whole, only when checking a parsed file
// (source.readFiles), so that the thousands of points of a sweep do not
// read it again.
func (v *validator) names() error {
	c := v.cfg
	switch {
	case c.Network.Generator == "file" && !v.src.readFiles:
		return nil
	case c.Network.Generator != "file" && !v.namesNeeded():
		return nil
	}
	nn, err := sim.Names(c)
	if err != nil {
		return &Error{File: v.src.file, Msg: err.Error()}
	}
	for i, s := range c.Shocks {
		p := index("shocks", i)
		switch s.Kind {
		case "lockdown", "imports":
			if err := v.nameList(join(p, "sectors"), s.Sectors, "sector", nn.HasSector, nn.Sectors, nn.From); err != nil {
				return err
			}
			if s.Kind == "lockdown" {
				if err := v.nameList(join(p, "regions"), s.Regions, "region", nn.HasRegion, nn.Regions, nn.From); err != nil {
					return err
				}
			}
		case "demand":
			if c.Network.Generator == "file" && !has(reservedMarkets, s.Market) && !has(nn.Markets, s.Market) {
				return v.errorAt(join(p, "market"), []string{p}, "%s is not a market of the network (its export markets, from %s: %s; or domestic, export, all)",
					echo(s.Market), nn.From, listNames(nn.Markets))
			}
		}
	}
	for i, b := range c.Banks {
		if err := v.nameList(join(index("banks", i), "regions"), b.Regions, "region", nn.HasRegion, nn.Regions, nn.From); err != nil {
			return err
		}
	}
	for i, iv := range c.Interventions {
		p := index("interventions", i)
		if iv.Kind == config.KindSupplyChainFinance {
			if err := v.cores(join(p, "cores"), iv.Cores, nn); err != nil {
				return err
			}
		}
		if err := v.firmIDs(join(p, "suppliers_of"), iv.SuppliersOf, nn); err != nil {
			return err
		}
		switch iv.Kind {
		case config.KindPaymentTermCap:
		default:
			if err := v.nameList(join(p, "sectors"), iv.Sectors, "sector", nn.HasSector, nn.Sectors, nn.From); err != nil {
				return err
			}
			if err := v.nameList(join(p, "regions"), iv.Regions, "region", nn.HasRegion, nn.Regions, nn.From); err != nil {
				return err
			}
		}
	}
	return nil
}

// namesNeeded reports whether the scenario names anything in its network.
func (v *validator) namesNeeded() bool {
	c := v.cfg
	for _, s := range c.Shocks {
		if len(s.Sectors)+len(s.Regions) > 0 || s.Kind == "demand" && c.Network.Generator == "file" {
			return true
		}
	}
	for _, b := range c.Banks {
		if len(b.Regions) > 0 {
			return true
		}
	}
	for _, iv := range c.Interventions {
		if len(iv.Cores)+len(iv.Sectors)+len(iv.Regions)+len(iv.SuppliersOf) > 0 {
			return true
		}
	}
	return false
}

// nameList checks that every name of list (key p) is one the network has;
// all lists the network's names for the message.
func (v *validator) nameList(p string, list []string, what string, has func(string) bool, all func() []string, from string) error {
	for j, name := range list {
		if has(name) {
			continue
		}
		known := all()
		msg := fmt.Sprintf("%s is not a %s of the network", echo(name), what)
		if best, ok := closest(name, known); ok {
			msg += fmt.Sprintf("; did you mean %q?", best)
		}
		return v.errorAt(index(p, j), []string{p}, "%s (%ss of the network, from %s: %s)", msg, what, from, listNames(known))
	}
	return nil
}

// firmIDs checks the ids of firms a programme's suppliers_of names (key
// p): firms of a file network.
func (v *validator) firmIDs(p string, ids []string, nn *sim.NetworkNames) error {
	if len(ids) == 0 {
		return nil
	}
	if nn.Firm == nil {
		return v.errorAt(p, nil, "%s draws its firms anew in each replication, so no id names a firm: leave suppliers_of out, or use a file network", nn.From)
	}
	for j, id := range ids {
		if exists, _ := nn.Firm(id); !exists {
			return v.errorAt(index(p, j), []string{p}, "no firm %s in the network (%s)", echo(id), nn.From)
		}
	}
	return nil
}

// cores checks the ids of a supply-chain-finance programme's cores (key p).
func (v *validator) cores(p string, ids []string, nn *sim.NetworkNames) error {
	if len(ids) == 0 {
		return nil
	}
	if nn.Firm == nil {
		return v.errorAt(p, nil, "%s draws which firms are core firms anew in each replication, so no id names a core firm: leave cores out and set core_share, or use a file network",
			nn.From)
	}
	for j, id := range ids {
		exists, core := nn.Firm(id)
		switch {
		case !exists:
			return v.errorAt(index(p, j), []string{p}, "no firm %s in the network (%s)", echo(id), nn.From)
		case !core:
			return v.errorAt(index(p, j), []string{p}, "firm %s is an SME, not a core firm (%s)", echo(id), nn.From)
		}
	}
	return nil
}
