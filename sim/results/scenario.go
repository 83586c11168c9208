package results

import (
	"path/filepath"

	"github.com/smesim/smesim/sim/config"
)

// MaxScenarioBytes bounds the scenario.toml of a result directory that
// readers read.
const MaxScenarioBytes = 16 << 20

// ReadScenario reads the resolved scenario of the result directory dir
// (scenario.toml) and returns it decoded, with the file's bytes. It is a
// record of what was run, not input: decoded without validation (see
// config.Decode), so that the directory stays readable wherever it is moved
// and whatever files the scenario named; a reader checks what it uses.
// cfg.Dir is dir.
func ReadScenario(dir string) (cfg *config.Config, data []byte, err error) {
	path := filepath.Join(dir, ScenarioFile)
	if data, err = ReadFile(path, MaxScenarioBytes); err != nil {
		return nil, nil, err
	}
	if cfg, err = config.Decode(path, data, dir); err != nil {
		return nil, nil, err
	}
	return cfg, data, nil
}
