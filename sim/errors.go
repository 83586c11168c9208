package sim

// ScenarioError reports a scenario that cannot run on its network: a
// sector, region, market or core firm the network does not have, or a
// combination the engine cannot apply. It is an error in the user's input
// that shows only once the network is built, so scenario validation cannot
// catch it.
type ScenarioError struct{ Err error }

func (e *ScenarioError) Error() string { return e.Err.Error() }
func (e *ScenarioError) Unwrap() error { return e.Err }
