package sim

import (
	"fmt"
	"math"
	"slices"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
)

type shockKind uint8

const (
	shockDemand shockKind = iota
	shockCredit
	shockImports
	shockPaymentTerms
	shockLockdown
	shockCapacity
	shockCreditSupply
)

var shockKinds = map[string]shockKind{
	"demand": shockDemand, "credit": shockCredit, "imports": shockImports,
	"payment-terms": shockPaymentTerms, "lockdown": shockLockdown, "capacity": shockCapacity,
	"credit-supply": shockCreditSupply,
}

type recoveryShape uint8

const (
	shapeStep recoveryShape = iota
	shapeLinear
	shapeExponential
)

// Market indexes used by demand shocks, besides 0 (domestic) and 1+k
// (export market k).
const (
	marketAll    = -1
	marketExport = -2
)

// shock is a ShockConfig compiled into steps.
type shock struct {
	kind                 shockKind
	start, end, recovery float64 // steps: full depth on [start, end), back to normal by end+recovery
	shape                recoveryShape
	depth                float64
	market               int     // demand
	spread, score        float64 // credit: yearly spread add-on and score tightening at full depth
	termStretch          float64 // payment-terms: extra steps
	scoreEasing, takeUp  float64 // credit-supply: SMEs' score threshold fall and first-loan take-up at full depth
	pushed               []bool  // credit-supply: banks whose SME lending depth raises (nil: all)
	targets              []bool  // lockdown, imports, capacity: firms hit (nil: all)
	// capacity from a damage table: its rows, in file order, and the
	// depth of each firm's last active row this step (-1: none), scratch
	// of evalShocks.
	damage     []network.Damage
	damageLoss []float64
}

// intensity returns how much of the shock is felt at step t, in [0,1]: 0
// before start, 1 at full depth, then back to 0 along the shape. An
// exponential recovery has time constant recovery/3, so it is 95% done after
// recovery.
func (s *shock) intensity(t int) float64 {
	x := float64(t)
	switch {
	case x < s.start:
		return 0
	case x < s.end:
		return 1
	}
	if s.recovery <= 0 {
		return 0
	}
	u := (x - s.end) / s.recovery
	switch s.shape {
	case shapeLinear:
		return math.Max(0, 1-u)
	case shapeExponential:
		return math.Exp(-3 * u)
	}
	return 0
}

// compileShocks converts the scenario's shocks into steps and resolves their
// markets and targets on the network.
func compileShocks(cfg *config.Config, net *network.Network, stepDays float64) ([]shock, error) {
	out := make([]shock, 0, len(cfg.Shocks))
	for i, sc := range cfg.Shocks {
		kind, ok := shockKinds[sc.Kind]
		if !ok {
			return nil, fmt.Errorf("shocks[%d].kind: unknown kind %q", i, sc.Kind)
		}
		s := shock{
			kind:     kind,
			start:    math.Round(sc.Start.Steps(stepDays)),
			depth:    sc.Depth,
			recovery: sc.Recovery.Steps(stepDays),
			spread:   sc.SpreadIncrease,
			score:    sc.ScoreTightening,
		}
		s.end = s.start + math.Max(1, math.Round(sc.Duration.Steps(stepDays)))
		switch sc.Shape {
		case "linear":
			s.shape = shapeLinear
		case "exponential":
			s.shape = shapeExponential
		}
		s.termStretch = sc.TermStretch.Steps(stepDays)
		if kind == shockCreditSupply {
			s.scoreEasing, s.takeUp = sc.ScoreEasing, sc.FirstLoanTakeUp
			s.pushed = pushedBanks(sc.BankKinds, cfg.Banks)
		}
		if kind == shockDemand {
			switch sc.Market {
			case "", "all":
				s.market = marketAll
			case "domestic":
				s.market = 0
			case "export":
				s.market = marketExport
			default:
				k := slices.Index(net.MarketNames, sc.Market)
				if k < 0 {
					return nil, fmt.Errorf("shocks[%d].market: %q is not a market of the network (markets: domestic, %v)", i, sc.Market, net.MarketNames)
				}
				s.market = 1 + k
			}
		}
		if kind == shockCapacity && sc.DamageFile != "" {
			rows, err := network.ReadDamageTable(resolvePath(cfg.Dir, sc.DamageFile), net)
			if err != nil {
				return nil, fmt.Errorf("shocks[%d].damage_file: %w", i, err)
			}
			s.damage = rows
			s.damageLoss = make([]float64, net.N())
			for f := range s.damageLoss {
				s.damageLoss[f] = -1
			}
			// The shock starts with its first row and lasts to its last.
			s.start, s.end, s.recovery, s.depth = math.Inf(1), 0, 0, 0
			for _, r := range rows {
				s.start, s.end = min(s.start, float64(r.Start)), max(s.end, float64(r.End)+1)
				s.depth = max(s.depth, r.Depth)
			}
			if len(rows) == 0 {
				s.start = 0
			}
		} else if kind == shockLockdown || kind == shockImports || kind == shockCapacity {
			t, err := shockTargets(sc, net)
			if err != nil {
				return nil, fmt.Errorf("shocks[%d]: %w", i, err)
			}
			s.targets = t
		}
		out = append(out, s)
	}
	return out, nil
}

// shockTargets marks the firms whose sector, region and role are all among
// those the shock names (an empty list matches everything).
func shockTargets(sc config.ShockConfig, net *network.Network) ([]bool, error) {
	return selectFirms(net, false, sc.Sectors, sc.Regions, sc.Roles)
}

// selectFirms marks the firms of net that are SMEs (if smeOnly) and whose
// sector, region and role are among those named (an empty list matches
// everything); nil when nothing is selected against, so every firm.
func selectFirms(net *network.Network, smeOnly bool, sectorNames, regionNames, roleNames []string) ([]bool, error) {
	if !smeOnly && len(sectorNames) == 0 && len(regionNames) == 0 && len(roleNames) == 0 {
		return nil, nil
	}
	sectors, err := nameSet("sectors", sectorNames, net.SectorNames)
	if err != nil {
		return nil, err
	}
	regions, err := nameSet("regions", regionNames, net.RegionNames)
	if err != nil {
		return nil, err
	}
	roles, err := nameSet("roles", roleNames, network.RoleNames())
	if err != nil {
		return nil, err
	}
	sel := make([]bool, net.N())
	for i := range sel {
		sel[i] = (!smeOnly || net.Kind[i] == network.SME) &&
			(sectors == nil || sectors[net.Sector[i]]) &&
			(regions == nil || regions[net.Region[i]]) &&
			(roles == nil || roles[net.Role[i]])
	}
	return sel, nil
}

func nameSet(key string, names, known []string) ([]bool, error) {
	if len(names) == 0 {
		return nil, nil
	}
	set := make([]bool, max(len(known), 1))
	for _, n := range names {
		k := slices.Index(known, n)
		if k < 0 {
			return nil, fmt.Errorf("%s: %q is not in the network (known: %v)", key, n, known)
		}
		set[k] = true
	}
	return set, nil
}

// shockState is what the shocks say for one step.
type shockState struct {
	demand      []float64 // multiplier per market: 0 domestic, 1+k export market k
	credit      float64   // bank capacity multiplier
	spread      float64   // yearly spread add-on
	score       float64   // score threshold add-on
	termStretch float64   // extra steps core firms take to pay SMEs
	anyDemand   bool
	// The credit-supply push (creditpush.go): per bank, the factor ≥ 1 on
	// SMEs' loan limits and on its share of new money granted; the fall of
	// SMEs' score threshold; the floor of the first-loan take-up; and
	// whether any push acts this step.
	push           []float64
	scoreEasing    float64
	firstLoanFloor float64
	anyPush        bool
}

func (e *engine) evalShocks(t int) {
	st := &e.shock
	for m := range st.demand {
		st.demand[m] = 1
	}
	st.credit, st.spread, st.score, st.termStretch, st.anyDemand = 1, 0, 0, 0, false
	if st.anyPush {
		for b := range st.push {
			st.push[b] = 1
		}
		st.scoreEasing, st.firstLoanFloor, st.anyPush = 0, 0, false
	}
	e.lockdownShare = e.lockdownShare[:0]
	if e.capacityLeft != nil {
		for i := range e.capacityLeft {
			e.capacityLeft[i] = 1
		}
	}
	e.importAvail = e.importAvail[:0]
	for k := range e.shocks {
		s := &e.shocks[k]
		x := s.intensity(t)
		switch s.kind {
		case shockDemand:
			if x == 0 {
				continue
			}
			st.anyDemand = true
			mult := 1 - s.depth*x
			for m := range st.demand {
				if s.market == marketAll || s.market == m || (s.market == marketExport && m > 0) {
					st.demand[m] *= mult
				}
			}
		case shockCredit:
			st.credit *= 1 - s.depth*x
			st.spread += s.spread * x
			st.score += s.score * x
		case shockCreditSupply:
			st.addPush(s, x)
		case shockPaymentTerms:
			st.termStretch += s.termStretch * x
		case shockLockdown:
			e.lockdownShare = append(e.lockdownShare, s.depth*x)
		case shockImports:
			e.importAvail = append(e.importAvail, 1-s.depth*x)
		case shockCapacity:
			e.capacityShock(s, t, x)
		}
	}
}

// capacityShock takes what capacity shock s destroys at step t, at
// intensity x, off each firm's capacity left. A damage table's rows apply
// from start to end, both included; where rows of one firm overlap, the
// last in the file holds, as in Inoue and Todo's simulator. Selector
// shocks take depth × intensity from every firm they target. Shocks
// compound: two losses of 50% leave 25%.
func (e *engine) capacityShock(s *shock, t int, x float64) {
	left := e.capacityLeft
	if s.damage != nil {
		step := int32(t)
		for _, r := range s.damage {
			if r.Start <= step && step <= r.End {
				s.damageLoss[r.Firm] = r.Depth
			}
		}
		for _, r := range s.damage {
			if d := s.damageLoss[r.Firm]; d >= 0 {
				left[r.Firm] *= 1 - d
				s.damageLoss[r.Firm] = -1
			}
		}
		return
	}
	if x == 0 {
		return
	}
	loss := s.depth * x
	for i := range left {
		if s.targets == nil || s.targets[i] {
			left[i] *= 1 - loss
		}
	}
}

// CheckDamageTables reads the damage table of every capacity shock of cfg
// against net, so that a bad one is found before any run; the error is
// the table's own, "file:line: problem".
func CheckDamageTables(cfg *config.Config, net *network.Network) error {
	for _, sc := range cfg.Shocks {
		if sc.Kind == "capacity" && sc.DamageFile != "" {
			if _, err := network.ReadDamageTable(resolvePath(cfg.Dir, sc.DamageFile), net); err != nil {
				return err
			}
		}
	}
	return nil
}
