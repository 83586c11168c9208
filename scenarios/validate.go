package scenarios

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

// reservedMarkets are the words a demand shock uses for groups of markets.
var reservedMarkets = []string{"domestic", "all", "export"}

// maxHorizonDays bounds the length of a run: 100 years. It bounds every
// duration too: none means anything beyond the longest run, and the engine
// turns durations into step counts and rates that must stay finite.
const maxHorizonDays = 100 * units.DaysPerYear

// maxFinalDemand is the largest yearly final demand of a firm the network
// generators and files take (see network.Sizes), and finalDemandTailZ how
// many standard deviations of the log-normal draw validation allows for:
// a draw beyond it has probability below 1e-19.
const (
	maxFinalDemand   = 1e18
	finalDemandTailZ = 9
)

// Validate checks a configuration: every number against the range of its
// tags (NaN and ±Inf are never allowed, nor negative values), every string
// against its enum, [[shocks]] and [[interventions]] keys against the kinds
// (and, for supply-chain-finance, the mode) they apply to, and the rules
// that tie fields together (step length and horizon, shock and intervention
// timing, market names, banks, network files, production shares, keys of
// liquidity beyond banks changed while their mechanism is off, positive
// durations, intervention names and arms), [[facts]] (names, the keys
// each quantity needs and no others, dates within the run, arms the
// scenario can run) and [sweep]: its parameters
// against their keys, and the configurations of its points — every point
// of a grid of up to 10,000 points, otherwise (larger grids, latin
// hypercubes) the corners of the parameters' ranges, which stand for every
// point since the rules are monotone in each number. name is used as the
// file in messages. Parse calls it; call it yourself on configurations built or
// changed in code.
//
// For a configuration built in code, a [[shocks]] or [[interventions]] key
// counts as set when it differs from config.DefaultShock or
// config.DefaultIntervention; an intervention's end is missing when it is zero,
// and its budget may be left at 0. A [[facts]] entry's target and
// tolerance must be present in a file; in code they may be left at 0.
func Validate(cfg *config.Config, name string) error {
	if cfg == nil {
		return &Error{File: name, Msg: "no configuration"}
	}
	return validate(cfg, &source{file: name})
}

func validate(cfg *config.Config, src *source) error {
	v := &validator{cfg: cfg, src: src}
	if err := v.fields("", reflect.ValueOf(cfg).Elem()); err != nil {
		return err
	}
	for _, check := range []func() error{v.time, v.network, v.markets, v.production, v.finance, v.liquidity, v.demography, v.shocks, v.interventions, v.names, v.arms, v.frontier, v.facts, v.sweep, v.uncertain} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

type validator struct {
	cfg *config.Config
	src *source
}

func (v *validator) errorf(path, format string, args ...any) error {
	return v.src.errorf(path, format, args...)
}

// lineOf returns the line of the first of paths set in the file.
func (v *validator) lineOf(paths ...string) int {
	for _, p := range paths {
		if l := v.src.line(p); l > 0 {
			return l
		}
	}
	return 0
}

// errorAt is errorf with the line of the first of lines set in the file, for
// errors about a key that may come from a default while a related key is in
// the file.
func (v *validator) errorAt(path string, lines []string, format string, args ...any) error {
	e := v.src.errorf(path, format, args...)
	if e.Line == 0 {
		e.Line = v.lineOf(lines...)
	}
	return e
}

// fields checks every field of struct rv against its tags. In an element
// of a kinded table, a key that does not apply to the element is an error
// if it is set and is otherwise not checked.
func (v *validator) fields(path string, rv reflect.Value) error {
	for _, f := range fieldsOf(rv.Type()) {
		p := join(path, f.key)
		fv := rv.Field(f.index)
		if msg, _ := notApplicable(p, f, rv); msg != "" {
			if v.keySet(p, f, rv) {
				return v.errorf(p, "%s", msg)
			}
			continue
		}
		switch {
		case f.typ == durationType:
			if err := v.duration(p, fv.Interface().(units.Duration), f); err != nil {
				return err
			}
		case f.typ.Kind() == reflect.Struct:
			if err := v.fields(p, fv); err != nil {
				return err
			}
		case isTableSlice(f.typ):
			for i := 0; i < fv.Len(); i++ {
				if err := v.fields(index(p, i), fv.Index(i)); err != nil {
					return err
				}
			}
		case f.typ.Kind() == reflect.Slice && f.typ.Elem().Kind() == reflect.Float64:
			r := f.rng
			for i := 0; i < fv.Len(); i++ {
				if x := fv.Index(i).Float(); !r.contains(x) {
					e := v.src.errorf(index(p, i), "%s is out of range: allowed %s", formatNumber(x), r)
					if e.Line == 0 {
						e.Line = v.src.line(p)
					}
					return e
				}
			}
		case f.typ.Kind() == reflect.Slice && f.typ.Elem().Kind() == reflect.String:
			allowed := f.enum
			for i := 0; i < fv.Len(); i++ {
				s := fv.Index(i).String()
				if allowed != nil && !has(allowed, s) {
					ep := index(p, i)
					e := v.src.errorf(ep, "%s", enumMsg(s, allowed))
					if e.Line == 0 {
						e.Line = v.src.line(p)
					}
					return e
				}
			}
		case f.typ.Kind() == reflect.String:
			if allowed := f.enum; allowed != nil && !has(allowed, fv.String()) {
				if fv.String() == "" {
					return v.errorAt(p, []string{path}, "missing: set one of %s", strings.Join(allowed, ", "))
				}
				return v.errorf(p, "%s", enumMsg(fv.String(), allowed))
			}
		case f.typ.Kind() == reflect.Float64:
			if r := f.rng; !r.contains(fv.Float()) {
				return v.errorf(p, "%s is out of range: allowed %s", formatNumber(fv.Float()), r)
			}
		case f.typ.Kind() == reflect.Int || f.typ.Kind() == reflect.Int64:
			if r := f.rng; !r.contains(float64(fv.Int())) {
				return v.errorf(p, "%d is out of range: allowed %s", fv.Int(), r)
			}
		case f.typ.Kind() == reflect.Uint64 || f.typ.Kind() == reflect.Uint:
			if fv.Uint() > math.MaxInt64 {
				return v.errorf(p, "%d is too large: TOML integers go up to %d", fv.Uint(), int64(math.MaxInt64))
			}
		}
	}
	return nil
}

func enumMsg(s string, allowed []string) string {
	return fmt.Sprintf("%q is not allowed: allowed %s", s, strings.Join(allowed, ", "))
}

// duration checks a duration: a known unit, finite, not negative, and the
// rule of its key if there is one.
func (v *validator) duration(p string, d units.Duration, f field) error {
	if math.IsNaN(d.Value) || math.IsInf(d.Value, 0) || d.Value < 0 {
		return v.errorf(p, "duration %s must be a finite number ≥ 0 with a unit", d)
	}
	if d.Value != 0 && !has([]string{"d", "w", "mo", "y"}, d.Unit) {
		return v.errorf(p, "duration %s has an unknown unit: write %s", d, units.AllowedUnits)
	}
	if d.Days() > maxHorizonDays {
		return v.errorf(p, "%s is out of range: every duration is at most 100y, the longest run", d)
	}
	if r, ok := f.durRng, f.hasDur; ok && !r.contains(d.Days()) {
		return v.errorf(p, "%s is out of range: allowed %s", d, r)
	}
	rule, ok := durationRules[stripIndices(p)]
	if !ok {
		return nil
	}
	days := d.Days()
	switch {
	case rule.positive && days <= 0 && !(p == "production.demand_smoothing" && v.cfg.Production.PlannedOutput != "smoothed-demand"):
		return v.errorf(p, "%s is out of range: allowed %s", d, rule.text)
	case days < rule.minDays || rule.maxDays > 0 && days > rule.maxDays:
		return v.errorf(p, "%s is out of range: allowed %s", d, rule.text)
	}
	return nil
}

// keySet reports whether key f of element ev, at path p, is set: present in
// the file, or, for a configuration built in code, different from the
// element's default.
func (v *validator) keySet(p string, f field, ev reflect.Value) bool {
	if v.src.present != nil {
		return v.src.present[p]
	}
	return !sameValue(ev.Field(f.index), defaultElement(ev.Type()).Field(f.index))
}

// sameValue compares two field values, treating nil and empty lists as equal
// and zero durations of any unit as equal.
func sameValue(a, b reflect.Value) bool {
	if a.Type() == durationType {
		da, db := a.Interface().(units.Duration), b.Interface().(units.Duration)
		return da == db || da.Value == 0 && db.Value == 0
	}
	if a.Kind() == reflect.Slice && a.Len() == 0 && b.Len() == 0 {
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// horizonDays is the length of the run in days.
func (v *validator) horizonDays() float64 {
	return float64(v.cfg.Steps) * v.cfg.Step.Days()
}

func (v *validator) horizonText() string {
	return fmt.Sprintf("%d steps of %s = %s days", v.cfg.Steps, v.cfg.Step, formatDays(v.horizonDays()))
}

// formatDays writes a number of days rounded to a tenth.
func formatDays(d float64) string {
	return strconv.FormatFloat(math.Round(d*10)/10, 'f', -1, 64)
}

func (v *validator) time() error {
	c := v.cfg
	if h := v.horizonDays(); h > maxHorizonDays {
		return v.errorAt("steps", []string{"step"}, "%d steps of %s last %s years: allowed at most 100 years",
			c.Steps, c.Step, formatNumber(math.Round(h/units.DaysPerYear*10)/10))
	}
	start, err := time.Parse("2006-01-02", c.StartDate)
	if err != nil {
		return v.errorf("start_date", "%q is not a date: write YYYY-MM-DD, e.g. \"2020-01-01\"", c.StartDate)
	}
	// Result files write dates YYYY-MM-DD and facts compare them as text,
	// so every step's date needs a four-digit year.
	if end := start.Add(time.Duration(v.horizonDays()*24*float64(time.Hour)) - time.Nanosecond); end.Year() > 9999 {
		latest := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC).Add(-time.Duration(v.horizonDays()*24*float64(time.Hour))).AddDate(0, 0, 1)
		return v.errorAt("start_date", []string{"steps"}, "%s: the run (%s) would end after 9999-12-31, the last date result files can write: allowed up to %s",
			c.StartDate, v.horizonText(), latest.Format(dateLayout))
	}
	return nil
}

func (v *validator) network() error {
	n := v.cfg.Network
	// The largest final demand drawn: the log-normal of sizes with a mean-
	// preserving spread, finalDemandTailZ deviations up.
	sigma := n.FinalDemandDispersion
	if top := n.FinalDemandMean * math.Exp(finalDemandTailZ*sigma-sigma*sigma/2); top > maxFinalDemand {
		return v.errorAt("network.final_demand_mean", []string{"network.final_demand_dispersion"},
			"%s with final_demand_dispersion %s draws final demands up to about %.2g, above %g: lower final_demand_mean to at most %.2g or the dispersion",
			formatNumber(n.FinalDemandMean), formatNumber(sigma), top, maxFinalDemand, maxFinalDemand/math.Exp(finalDemandTailZ*sigma-sigma*sigma/2))
	}
	switch n.Generator {
	case "core-satellite":
		if n.SupplierSectors > n.SuppliersPerChain {
			return v.errorAt("network.supplier_sectors", []string{"network.suppliers_per_chain"},
				"%d sectors need at least as many suppliers per chain (suppliers_per_chain = %d)", n.SupplierSectors, n.SuppliersPerChain)
		}
		if n.RawMaterialSectors > n.RawMaterialsPerChain {
			return v.errorAt("network.raw_material_sectors", []string{"network.raw_materials_per_chain"},
				"%d sectors need at least as many raw-material firms per chain (raw_materials_per_chain = %d)", n.RawMaterialSectors, n.RawMaterialsPerChain)
		}
		if n.MultiSourcing > n.SuppliersPerChain {
			return v.errorAt("network.multi_sourcing", []string{"network.suppliers_per_chain"},
				"%d suppliers per buyer and sector is more than suppliers_per_chain = %d", n.MultiSourcing, n.SuppliersPerChain)
		}
		if n.MultiSourcing > n.RawMaterialsPerChain {
			return v.errorAt("network.multi_sourcing", []string{"network.raw_materials_per_chain"},
				"%d suppliers per buyer and sector is more than raw_materials_per_chain = %d", n.MultiSourcing, n.RawMaterialsPerChain)
		}
	case "barabasi-albert", "erdos-renyi":
		if n.Sectors > n.Firms {
			return v.errorAt("network.sectors", []string{"network.firms"}, "%d sectors need at least as many firms (firms = %d)", n.Sectors, n.Firms)
		}
		if n.MeanDegree > float64(n.Firms-1) {
			return v.errorAt("network.mean_degree", []string{"network.firms"}, "%s suppliers per firm is more than the other firms (firms = %d)", formatNumber(n.MeanDegree), n.Firms)
		}
		// Each newcomer of a Barabási–Albert network attaches to at least
		// one earlier firm.
		if n.Generator == "barabasi-albert" && n.MeanDegree < 1 {
			return v.errorAt("network.mean_degree", []string{"network.generator"}, "%s is out of range: allowed 1 to 1000 for barabasi-albert (0.1 to 1000 for erdos-renyi)", formatNumber(n.MeanDegree))
		}
	case "file":
		files := []struct{ key, path string }{{"edges_file", n.EdgesFile}, {"firms_file", n.FirmsFile}}
		if n.Format == "inoue-todo" {
			files = append(files, struct{ key, path string }{"final_demand_file", n.FinalDemandFile})
		} else if n.FinalDemandFile != "" {
			return v.errorAt("network.final_demand_file", []string{"network.format"}, "applies to format \"inoue-todo\" only: a CSV network gives final demand in the firms file")
		}
		for _, k := range files {
			p := "network." + k.key
			if k.path == "" && k.key == "final_demand_file" {
				return v.errorAt(p, []string{"network.format"}, "missing: format \"inoue-todo\" needs final_demand_file, lines \"firm amount\"")
			}
			if k.path == "" {
				return v.errorAt(p, []string{"network.generator"}, "missing: the file generator needs %s", k.key)
			}
			if err := v.inputFile(p, k.path); err != nil {
				return err
			}
		}
	}
	if n.Generator == "io-table" {
		if n.IOTableFile == "" {
			return v.errorAt("network.io_table_file", []string{"network.generator"}, "missing: the io-table generator needs io_table_file")
		}
		if err := v.inputFile("network.io_table_file", n.IOTableFile); err != nil {
			return err
		}
	}
	if n.Normalise && (n.Generator != "file" || n.Format != "csv") {
		return v.errorAt("network.normalise", []string{"network.generator", "network.format"}, "applies to CSV file networks only (generator = \"file\", format = \"csv\")")
	}
	if n.Generator != "file" && n.Format != "csv" {
		return v.errorAt("network.format", []string{"network.generator"}, "applies to the file generator only (generator = %q)", n.Generator)
	}
	return nil
}

// inputFile checks that the file at path (relative to the scenario),
// named by key p, is a regular file that exists.
func (v *validator) inputFile(p, path string) error {
	resolved := path
	if !filepath.IsAbs(resolved) {
		resolved = filepath.Join(v.cfg.Dir, resolved)
	}
	if abs, err := filepath.Abs(resolved); err == nil {
		resolved = abs
	}
	st, err := os.Stat(resolved)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return v.errorf(p, "%q not found (resolved to %s)", path, resolved)
	case err != nil:
		return v.errorf(p, "%q cannot be read: %v", path, err)
	case st.IsDir():
		return v.errorf(p, "%q is a directory, not a CSV file (resolved to %s)", path, resolved)
	case !st.Mode().IsRegular():
		// A device or a pipe may never end, or never start.
		return v.errorf(p, "%q is not a regular file (resolved to %s): write the network to a CSV file", path, resolved)
	}
	return nil
}

func (v *validator) markets() error {
	ms := v.cfg.Markets
	seen := map[string]int{}
	anyWeight := false
	for i, m := range ms {
		p := index("markets", i)
		switch {
		case m.Name == "":
			return v.errorAt(join(p, "name"), []string{p}, "missing: every market needs a name")
		case m.Name == "export" && len(ms) == 1:
			// The only export market may be called "export": the word then
			// means that market either way.
		case has(reservedMarkets, m.Name):
			return v.errorf(join(p, "name"), "%q is reserved for shocks (%s): choose another name", m.Name, strings.Join(reservedMarkets, ", "))
		}
		if j, dup := seen[m.Name]; dup {
			return v.errorf(join(p, "name"), "%q is already the name of markets[%d]", m.Name, j)
		}
		seen[m.Name] = i
		anyWeight = anyWeight || m.Weight > 0
	}
	if len(ms) > 0 && !anyWeight {
		return v.errorAt("markets[0].weight", []string{"markets[0]"}, "every market has weight 0: at least one must be positive")
	}
	if len(ms) == 0 {
		roles := reflect.ValueOf(v.cfg.Production.ExportShare)
		for _, f := range fieldsOf(roles.Type()) {
			if roles.Field(f.index).Float() > 0 {
				p := "production.export_share." + f.key
				return v.errorAt(p, []string{"production.export_share", "markets"}, "%s of sales are exported but no export market is declared: add [[markets]] or set export_share to 0",
					formatNumber(roles.Field(f.index).Float()))
			}
		}
	}
	return nil
}

func (v *validator) production() error {
	pr := v.cfg.Production
	in, im, ex := reflect.ValueOf(pr.InputShare), reflect.ValueOf(pr.ImportShare), reflect.ValueOf(pr.ExportShare)
	for _, f := range fieldsOf(in.Type()) {
		a, b := in.Field(f.index).Float(), im.Field(f.index).Float()
		if a+b >= 1 {
			p := "production.input_share." + f.key
			return v.errorAt(p, []string{"production.import_share." + f.key, "production.input_share", "production.import_share"},
				"%s + import_share %s = %s: inputs per unit of output must sum to less than 1", formatNumber(a), formatNumber(b), formatNumber(a+b))
		}
		if s := ex.Field(f.index).Float(); s > 1 {
			p := "production.export_share." + f.key
			return v.errorAt(p, []string{"production.export_share"}, "%s is out of range: allowed 0 to 1", formatNumber(s))
		}
	}
	if pr.InventoryDays <= 0 {
		return v.errorf("production.inventory_days", "%s is out of range: allowed > 0", formatNumber(pr.InventoryDays))
	}
	return nil
}

func (v *validator) finance() error {
	if v.cfg.Finance.Enabled && len(v.cfg.Banks) == 0 {
		return v.errorAt("banks", []string{"finance.enabled"}, "finance is enabled but no bank is declared: add [[banks]] or set finance.enabled = false")
	}
	seen := map[string]int{}
	for i, b := range v.cfg.Banks {
		p := join(index("banks", i), "name")
		if b.Name == "" {
			return v.errorAt(p, []string{index("banks", i)}, "missing: every bank needs a name")
		}
		if j, dup := seen[b.Name]; dup {
			return v.errorf(p, "%q is already the name of banks[%d]", b.Name, j)
		}
		seen[b.Name] = i
		if v.cfg.Finance.Banking == "system" && b.CARStart <= b.CARMin {
			p := join(index("banks", i), "car_start")
			return v.errorAt(p, []string{join(index("banks", i), "car_min"), index("banks", i)},
				"%s is out of range: with finance.banking = \"system\" a bank starts above its minimum, car_min = %s", formatNumber(b.CARStart), formatNumber(b.CARMin))
		}
		if len(b.Regions) > 0 && b.National() {
			p := join(index("banks", i), "regions")
			return v.errorAt(p, []string{index("banks", i)}, "only a city or rural bank serves regions: this bank's kind is %q (national banks serve every region)", b.Kind)
		}
	}
	return v.bankBooks()
}

// bankBooks rejects the NPL workout and the outside book while they would
// have no effect: either without the banking system, and the outside
// book's terms without an outside book. Their defaults are always
// accepted.
func (v *validator) bankBooks() error {
	f, def := v.cfg.Finance, config.DefaultConfig().Finance
	if f.Banking != "system" {
		switch {
		case !f.NPLWorkout.IsZero():
			return v.errorAt("finance.npl_workout", []string{"finance.banking", "finance"},
				"%s has no effect while finance.banking is %q: set banking = \"system\", or leave the key out", f.NPLWorkout, f.Banking)
		case f.OutsideBook != 0:
			return v.errorAt("finance.outside_book", []string{"finance.banking", "finance"},
				"%s has no effect while finance.banking is %q: set banking = \"system\", or leave the key out", formatNumber(f.OutsideBook), f.Banking)
		case f.CoreSyndication:
			return v.errorAt("finance.core_syndication", []string{"finance.banking", "finance"},
				"true has no effect while finance.banking is %q: set banking = \"system\", or leave the key out", f.Banking)
		}
	}
	if f.Banking != "system" && f.ResolutionCAR != 0 {
		return v.errorAt("finance.resolution_car", []string{"finance.banking", "finance"},
			"%s has no effect while finance.banking is %q: set banking = \"system\", or leave the key out", formatNumber(f.ResolutionCAR), f.Banking)
	}
	if f.ResolutionCAR > 0 {
		for i, b := range v.cfg.Banks {
			if f.ResolutionCAR > b.CARMin {
				return v.errorAt("finance.resolution_car", []string{"finance"},
					"%s is above banks[%d].car_min %s: the state resolves a bank below the minimum without its buffers, at most car_min (or leave the key out: car_min)", formatNumber(f.ResolutionCAR), i, formatNumber(b.CARMin))
			}
		}
	}
	if f.Banking == "system" && f.CoreSyndication && !v.hasNationalBank() {
		return v.errorAt("finance.core_syndication", []string{"finance"},
			"true has no effect without a national bank (kind large-state or joint-stock) among [[banks]]: add one, or leave the key out")
	}
	if f.OutsideBook == 0 {
		for _, k := range []struct {
			key      string
			val, def float64
		}{{"outside_default_rate", f.OutsideDefaultRate, def.OutsideDefaultRate}, {"outside_rate", f.OutsideRate, def.OutsideRate}} {
			if k.val != k.def {
				return v.errorAt("finance."+k.key, []string{"finance.outside_book", "finance"},
					"%s has no effect while finance.outside_book is 0: set outside_book, or leave the key out", formatNumber(k.val))
			}
		}
	}
	return nil
}

// hasNationalBank reports whether a bank of the scenario lends nationally
// (a kind other than city or rural; the default bank when none is listed).
func (v *validator) hasNationalBank() bool {
	if len(v.cfg.Banks) == 0 {
		return true
	}
	for _, b := range v.cfg.Banks {
		if b.National() {
			return true
		}
	}
	return false
}

// liquidity rejects a key of liquidity beyond banks changed from its
// default while the key that turns its mechanism on leaves it without
// effect: the continuation value's keys without firms.value_exit, the
// terms of informal credit without an informal_limit, the spread and the
// share of owner funds without owner_funds. Their defaults, which `smesim init` writes,
// are always accepted.
func (v *validator) liquidity() error {
	cfg, def := v.cfg, config.DefaultConfig()
	if !cfg.Firms.ValueExit {
		for _, k := range []struct {
			key     string
			set     bool
			current string
		}{
			{"horizon", cfg.Firms.Horizon.Days() != def.Firms.Horizon.Days(), cfg.Firms.Horizon.String()},
			{"discount_rate", cfg.Firms.DiscountRate != def.Firms.DiscountRate, formatNumber(cfg.Firms.DiscountRate)},
			{"expected_recovery", cfg.Firms.ExpectedRecovery.Days() != def.Firms.ExpectedRecovery.Days(), cfg.Firms.ExpectedRecovery.String()},
		} {
			if k.set {
				return v.errorAt("firms."+k.key, []string{"firms.value_exit", "firms"},
					"%s has no effect while firms.value_exit is false: set value_exit = true, or leave the key out", k.current)
			}
		}
	}
	for _, kind := range []struct {
		name string
		p, d config.FirmParams
	}{{"sme", cfg.Firms.SME, def.Firms.SME}, {"core", cfg.Firms.Core, def.Firms.Core}} {
		p, d, path := kind.p, kind.d, "firms."+kind.name+"."
		if p.InformalLimit == 0 {
			if p.InformalRate != d.InformalRate {
				return v.errorAt(path+"informal_rate", []string{path + "informal_limit", "firms." + kind.name},
					"%s has no effect while informal_limit is 0: set informal_limit, or leave the key out", formatNumber(p.InformalRate))
			}
			if p.InformalMaturity.Days() != d.InformalMaturity.Days() {
				return v.errorAt(path+"informal_maturity", []string{path + "informal_limit", "firms." + kind.name},
					"%s has no effect while informal_limit is 0: set informal_limit, or leave the key out", p.InformalMaturity)
			}
		}
		if p.OwnerFunds == 0 && p.OwnerFundsDispersion != d.OwnerFundsDispersion {
			return v.errorAt(path+"owner_funds_dispersion", []string{path + "owner_funds", "firms." + kind.name},
				"%s has no effect while owner_funds is 0: set owner_funds, or leave the key out", formatNumber(p.OwnerFundsDispersion))
		}
		if p.OwnerFunds == 0 && p.OwnerFundsShare != d.OwnerFundsShare {
			return v.errorAt(path+"owner_funds_share", []string{path + "owner_funds", "firms." + kind.name},
				"%s has no effect while owner_funds is 0: set owner_funds, or leave the key out", formatNumber(p.OwnerFundsShare))
		}
	}
	return nil
}

func (v *validator) shocks() error {
	h := v.horizonDays()
	for i, s := range v.cfg.Shocks {
		p := index("shocks", i)
		if s.Start.Days() >= h {
			return v.errorAt(join(p, "start"), []string{p}, "%s starts after the end of the run (%s)", s.Start, v.horizonText())
		}
		if s.Kind == "capacity" && s.DamageFile != "" {
			if err := v.damageTable(p, s); err != nil {
				return err
			}
			continue
		}
		if s.Duration.Days()+s.Recovery.Days() <= 0 {
			return v.errorAt(join(p, "duration"), []string{p}, "the shock has no effect: set duration or recovery above 0")
		}
		if end := s.Start.Days() + s.Duration.Days() + s.Recovery.Days(); end > h {
			key := "recovery"
			if s.Start.Days()+s.Duration.Days() > h {
				key = "duration"
			}
			return v.errorAt(join(p, key), []string{p}, "the shock ends on day %s (start %s + duration %s + recovery %s), after the end of the run on day %s (%d steps of %s)",
				formatDays(end), s.Start, s.Duration, s.Recovery, formatDays(h), v.cfg.Steps, v.cfg.Step)
		}
		if s.Kind == "credit-supply" {
			if s.Depth > 0 {
				return v.errorAt(join(p, "depth"), []string{p}, "%s is a contraction: a credit-supply shock is a push, depth -1 to 0 (a credit shock contracts credit)", formatNumber(s.Depth))
			}
			for _, k := range s.BankKinds {
				if !slices.ContainsFunc(v.cfg.Banks, func(b config.BankConfig) bool { return b.Kind == k }) {
					return v.errorAt(join(p, "bank_kinds"), []string{p, "banks"}, "no bank of kind %q in [[banks]]: allowed the kinds of the scenario's banks, or empty for every bank", k)
				}
			}
		} else if s.Depth < 0 && s.Kind != "demand" {
			return v.errorAt(join(p, "depth"), []string{p}, "%s is a rise: only demand and credit-supply shocks may have a negative depth; allowed 0 to 1 for %s %s shock", formatNumber(s.Depth), article(s.Kind), s.Kind)
		}
		switch s.Kind {
		case "demand":
			if !has(reservedMarkets, s.Market) && !v.marketDeclared(s.Market) {
				allowed := append([]string{}, reservedMarkets...)
				for _, m := range v.cfg.Markets {
					if !has(allowed, m.Name) {
						allowed = append(allowed, m.Name)
					}
				}
				return v.errorAt(join(p, "market"), []string{p}, "%q is not a market: allowed %s", s.Market, strings.Join(allowed, ", "))
			}
		case "payment-terms":
			if s.TermStretch.Days() <= 0 {
				return v.errorAt(join(p, "term_stretch"), []string{p}, "missing: a payment-terms shock needs term_stretch > 0, e.g. \"30d\"")
			}
		}
	}
	return nil
}

// damageTable checks a capacity shock given by a damage table: the table
// sets its firms, depths and timing, so those keys must be left out, and
// it names firms, so the network must be read from files. The table itself
// is read against the network with the network's names (sim.Names).
func (v *validator) damageTable(p string, s config.ShockConfig) error {
	key := join(p, "damage_file")
	if v.cfg.Network.Generator != "file" {
		return v.errorAt(key, []string{"network.generator"}, "a damage table names firms: it needs a network read from files (generator = \"file\")")
	}
	def := config.DefaultShock()
	for _, k := range []struct {
		key string
		set bool
	}{{"depth", s.Depth != 0}, {"start", s.Start != def.Start}, {"duration", s.Duration != def.Duration}, {"recovery", s.Recovery != def.Recovery},
		{"sectors", len(s.Sectors) > 0}, {"regions", len(s.Regions) > 0}, {"roles", len(s.Roles) > 0}} {
		if k.set {
			return v.errorAt(join(p, k.key), []string{key}, "the damage table sets which firms lose how much and when: leave %s out", k.key)
		}
	}
	return v.inputFile(key, s.DamageFile)
}

func (v *validator) marketDeclared(name string) bool {
	for _, m := range v.cfg.Markets {
		if m.Name == name {
			return true
		}
	}
	return false
}
