package config

// DemographyConfig sets firm size classes, background exits and entry
// (docs/model.md, "Firm demography"). Its defaults change nothing: no size
// classes, no exit hazard, no entry pool.
type DemographyConfig struct {
	SizeClasses     bool         `toml:"size_classes" doc:"give each SME an NBS size class (micro, small, medium; cores are large) drawn by class_shares, with its final demand scaled by class_scale (false: no classes)"`
	ClassShares     ClassShares  `toml:"class_shares" doc:"shares of SMEs by number in each size class"`
	ClassScale      ClassScale   `toml:"class_scale" doc:"mean final demand of each SME size class, relative to the others; the mean over SMEs stays that of network.final_demand_mean"`
	ExitHazard      ClassHazards `toml:"exit_hazard" doc:"background exit probability per year by size class: orderly closures, not distress failures, drawn alike in every arm (needs size_classes; 0: no background exit)"`
	OrderlyRecovery float64      `toml:"orderly_recovery" min:"0" max:"1" doc:"share of book value an exiting firm's assets fetch in an orderly wind-up: creditors get min(1, that over liabilities) of their claims, its owners the rest"`
	EntryPool       float64      `toml:"entry_pool" min:"0" max:"2" doc:"dormant firms added to the network, as a share of each sector's SMEs, that may enter during the run (0: no entry)"`
	EntryRate       float64      `toml:"entry_rate" min:"0" max:"10" doc:"background entry into a sector per step, as a multiple of the sector's expected background exits that step (1: entries replace exits in expectation)"`
	EntryResponse   float64      `toml:"entry_response" min:"0" max:"52" doc:"extra entry per year, per firm the sector has lost since the start and not replaced (failures and exits)"`
	CreditByClass   bool         `toml:"credit_by_class" doc:"an SME has a bank credit line with the probability credit_access of its size class instead of firms.sme.credit_access (needs size_classes)"`
	CreditAccess    ClassShares  `toml:"credit_access" doc:"credit_by_class: share of SMEs of each size class with a bank credit line (design defaults, to be calibrated on the 25.4M inclusive small-business borrowers of end-2020)"`
	EntrantSize     float64      `toml:"entrant_size" minx:"0" max:"1" doc:"an entrant's starting sales to final markets relative to its drawn final demand; it grows by taking over the links of firms that leave"`
	RunwayScale     ClassFactor  `toml:"runway_scale" omitdefault:"true" doc:"cash runway of each SME size class relative to the others (cash buffers by size), with the SMEs' log-mean runway kept that of firms.sme.cash_runway_*: the classes change who holds the cash, not how much SMEs hold (1 each: runway independent of size; needs size_classes)"`
}

// ClassShares holds one share per SME size class.
type ClassShares struct {
	Micro  float64 `toml:"micro" min:"0" max:"1"`
	Small  float64 `toml:"small" min:"0" max:"1"`
	Medium float64 `toml:"medium" min:"0" max:"1"`
}

// ClassScale holds one relative size per SME size class.
type ClassScale struct {
	Micro  float64 `toml:"micro" minx:"0" max:"1e6"`
	Small  float64 `toml:"small" minx:"0" max:"1e6"`
	Medium float64 `toml:"medium" minx:"0" max:"1e6"`
}

// ClassFactor holds one relative factor per SME size class.
type ClassFactor struct {
	Micro  float64 `toml:"micro" minx:"0" max:"10"`
	Small  float64 `toml:"small" minx:"0" max:"10"`
	Medium float64 `toml:"medium" minx:"0" max:"10"`
}

// Neutral reports whether every class has factor 1.
func (f ClassFactor) Neutral() bool { return f == ClassFactor{Micro: 1, Small: 1, Medium: 1} }

// ClassHazards holds one yearly probability per size class.
type ClassHazards struct {
	Micro  float64 `toml:"micro" min:"0" max:"0.99"`
	Small  float64 `toml:"small" min:"0" max:"0.99"`
	Medium float64 `toml:"medium" min:"0" max:"0.99"`
	Large  float64 `toml:"large" min:"0" max:"0.99"`
}

// Any reports whether some class has a positive hazard.
func (h ClassHazards) Any() bool { return h.Micro > 0 || h.Small > 0 || h.Medium > 0 || h.Large > 0 }

// On reports whether d changes anything.
func (d *DemographyConfig) On() bool { return d.SizeClasses || d.ExitHazard.Any() || d.EntryPool > 0 }

// RecordsDemography reports whether a run of c has exits or entry (and so
// records the demography metrics): finance on, with an exit hazard or an
// entry pool.
func (c *Config) RecordsDemography() bool {
	d := &c.Demography
	return c.Finance.Enabled && (d.ExitHazard.Any() || d.EntryPool > 0)
}

// DefaultDemography returns the neutral demography: the shares and scales
// of size classes are documented defaults, used once size_classes is on.
func DefaultDemography() DemographyConfig {
	return DemographyConfig{
		ClassShares:     ClassShares{Micro: 0.8, Small: 0.17, Medium: 0.03},
		ClassScale:      ClassScale{Micro: 1, Small: 7.7, Medium: 89},
		OrderlyRecovery: 0.8,
		EntryRate:       1,
		EntrantSize:     0.5,
		CreditAccess:    ClassShares{Micro: 0.35, Small: 0.6, Medium: 0.85},
		RunwayScale:     ClassFactor{Micro: 1, Small: 1, Medium: 1},
	}
}
