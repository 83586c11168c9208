package plots

import (
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/results"
)

// The names the result files share with the engine. The figures refer to
// the engine (package sim) here only, besides the loaders (load.go,
// sweep.go) and the report's words for the scenario (scenario_words.go).

// baselineArm is the name of the arm without interventions.
const baselineArm = config.BaselineArm

// failedStatus is the status of a failed firm in firms.csv.
func failedStatus() string { return outcome.Failed.String() }

// inEntryPool reports whether firm row f belongs to the entry pool: it
// entered during the run, or is still dormant. The other firms were active
// at the start, the count of firms the report gives (results.FirmCount).
func inEntryPool(f *results.FirmRow) bool {
	return f.EnteredStep >= 0 || f.Status == outcome.Dormant.String()
}

// channelNames are the failure channels of events.csv, in the engine's
// order.
func channelNames() []string { return outcome.ChannelNames() }

// coreKind is the kind of a core enterprise in firms.csv.
func coreKind() string { return network.Core.String() }
