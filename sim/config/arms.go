package config

import (
	"fmt"
	"slices"
	"strings"
)

// BaselineArm is the name of the arm without interventions, against which
// every other arm is compared.
const BaselineArm = "baseline"

// AllArm names the arm that applies every intervention of the scenario.
const AllArm = "all"

// Arm is one arm of a scenario: a name and the indexes, into
// Config.Interventions, of the interventions it applies.
type Arm struct {
	Name          string
	Interventions []int
}

// InterventionName returns the name of intervention i: its name, or its
// kind when it has none.
func (c *Config) InterventionName(i int) string {
	if n := c.Interventions[i].Name; n != "" {
		return n
	}
	return c.Interventions[i].Kind
}

// ArmError reports an arm that cannot be resolved. Index is its position in
// the list resolved (Config.Arms or the list given to ResolveArms).
type ArmError struct {
	Index int
	Arm   string
	Msg   string
}

func (e *ArmError) Error() string { return fmt.Sprintf("arm %q: %s", e.Arm, e.Msg) }

// ResolveArms returns the arms to run: names (when not empty), else
// c.Arms, else the baseline, each intervention alone and, when there are
// several interventions of distinct kinds, "all". The baseline always comes
// first, whether listed or not; duplicates are dropped. An arm is
// "baseline", "all", an intervention's name, or names joined by "+"; it may
// not apply two interventions of the same kind, whose mechanisms would
// overlap.
func (c *Config) ResolveArms(names []string) ([]Arm, error) {
	if len(names) == 0 {
		names = c.Arms
	}
	if len(names) == 0 {
		names = c.defaultArmNames()
	}
	byName := map[string]int{}
	for i := range c.Interventions {
		byName[c.InterventionName(i)] = i
	}
	arms := []Arm{{Name: BaselineArm}}
	seen := map[string]bool{BaselineArm: true}
	for idx, name := range names {
		if seen[name] {
			continue
		}
		seen[name] = true
		var ivs []int
		switch {
		case name == AllArm:
			if len(c.Interventions) == 0 {
				return nil, &ArmError{idx, name, "the scenario has no interventions"}
			}
			for i := range c.Interventions {
				ivs = append(ivs, i)
			}
		default:
			for _, part := range strings.Split(name, "+") {
				i, ok := byName[part]
				if !ok {
					return nil, &ArmError{idx, name, c.unknownArmMsg(part)}
				}
				if slices.Contains(ivs, i) {
					return nil, &ArmError{idx, name, fmt.Sprintf("names %q twice", part)}
				}
				ivs = append(ivs, i)
			}
		}
		kinds := map[string]string{}
		for _, i := range ivs {
			k := c.Interventions[i].Kind
			if other, dup := kinds[k]; dup {
				return nil, &ArmError{idx, name, fmt.Sprintf("combines %q and %q, both %s interventions: an arm may apply one intervention of each kind", other, c.InterventionName(i), k)}
			}
			kinds[k] = c.InterventionName(i)
		}
		slices.Sort(ivs)
		arms = append(arms, Arm{Name: name, Interventions: ivs})
	}
	return arms, nil
}

func (c *Config) unknownArmMsg(part string) string {
	known := []string{BaselineArm}
	for i := range c.Interventions {
		known = append(known, c.InterventionName(i))
	}
	if len(c.Interventions) > 0 {
		known = append(known, AllArm)
	}
	if part == "" {
		return fmt.Sprintf("empty name: allowed %s, or names joined by \"+\"", strings.Join(known, ", "))
	}
	return fmt.Sprintf("%q is not an intervention of the scenario: allowed %s, or names joined by \"+\"", part, strings.Join(known, ", "))
}

func (c *Config) defaultArmNames() []string {
	var names []string
	kinds := map[string]bool{}
	distinct := true
	for i := range c.Interventions {
		names = append(names, c.InterventionName(i))
		if kinds[c.Interventions[i].Kind] {
			distinct = false
		}
		kinds[c.Interventions[i].Kind] = true
	}
	if len(c.Interventions) > 1 && distinct {
		names = append(names, AllArm)
	}
	return names
}
