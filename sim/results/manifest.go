package results

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// ManifestFile identifies a batch directory (a sweep's or a sensitivity
// run's): see Manifest.
const ManifestFile = "manifest.json"

// ManifestFormat is the version of the batch directory layout.
const ManifestFormat = 1

// Manifest identifies a batch: two directories with equal manifests hold
// runs of the same batch and may be merged.
type Manifest struct {
	Format         int      `json:"format"`
	Kind           string   `json:"kind"`
	ScenarioSHA256 string   `json:"scenario_sha256"`
	Points         int      `json:"points"`
	Arms           []string `json:"arms"`
	Replications   int      `json:"replications"`
	Runs           int      `json:"runs"`
	Inputs         []Input  `json:"inputs,omitempty"` // files the scenario names, by content
}

// Equal reports whether m and o identify the same batch.
func (m Manifest) Equal(o Manifest) bool {
	return m.Format == o.Format && m.Kind == o.Kind && m.ScenarioSHA256 == o.ScenarioSHA256 &&
		m.Points == o.Points && slices.Equal(m.Arms, o.Arms) && m.Replications == o.Replications && m.Runs == o.Runs &&
		slices.Equal(m.Inputs, o.Inputs)
}

// InputsChanged describes how the inputs of o differ from those of m when
// the rest is equal, for messages; "" when they do not.
func (m Manifest) InputsChanged(o Manifest) string {
	same := m
	same.Inputs = o.Inputs
	if slices.Equal(m.Inputs, o.Inputs) || !same.Equal(o) {
		return ""
	}
	was := map[string]string{}
	for _, in := range m.Inputs {
		was[in.File] = in.SHA256
	}
	now := map[string]bool{}
	var parts []string
	for _, in := range o.Inputs {
		now[in.File] = true
		switch old, ok := was[in.File]; {
		case !ok:
			parts = append(parts, fmt.Sprintf("%s is new (sha256 %.12s…)", in.File, in.SHA256))
		case old != in.SHA256:
			parts = append(parts, fmt.Sprintf("%s changed (sha256 %.12s…, now %.12s…)", in.File, old, in.SHA256))
		}
	}
	for _, in := range m.Inputs {
		if !now[in.File] {
			parts = append(parts, fmt.Sprintf("%s is no longer named", in.File))
		}
	}
	return strings.Join(parts, "; ")
}

// Input is a file a batch's scenario names, identified by its content.
type Input struct {
	File   string `json:"file"`   // as the scenario names it: relative to the scenario's directory, or absolute
	SHA256 string `json:"sha256"` // of its content
}

// ReadManifest reads the manifest of the batch directory dir (a sweep's or
// a sensitivity run's), refusing another format.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	data, err := ReadFile(filepath.Join(dir, ManifestFile), MaxJSONBytes)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	if m.Format != ManifestFormat {
		return m, fmt.Errorf("%s: format %d, this smesim reads format %d", filepath.Join(dir, ManifestFile), m.Format, ManifestFormat)
	}
	return m, nil
}
