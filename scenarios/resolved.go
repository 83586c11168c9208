package scenarios

import (
	"reflect"

	"github.com/BurntSushi/toml"

	"github.com/smesim/smesim/sim/config"
)

// Decode decodes a scenario from TOML as Parse does, but does not validate
// it: for readers of a result directory, whose scenario.toml is a record
// of what was run, not input. Its values may break the rules Validate
// checks today (a network file not found from dir, a rule added since the
// run): a reader checks what it uses. Syntax errors, unknown keys and
// values of the wrong type are still errors naming the file, line and key.
// dir becomes cfg.Dir.
func Decode(name string, data []byte, dir string) (*config.Config, error) {
	cfg, _, err := decode(name, data, dir)
	return cfg, err
}

// decode decodes a scenario without validating it, and says where its
// keys are.
//
// The input limits apply (checkShape), and a shock's shape left out
// follows its recovery (defaultShapes), as for Parse.
func decode(name string, data []byte, dir string) (*config.Config, *source, error) {
	if err := checkShape(name, data); err != nil {
		return nil, nil, err
	}
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return nil, nil, syntaxError(name, data, err)
	}
	src := &source{file: name, lines: locate(data), present: map[string]bool{}, readFiles: true}
	cfg := config.DefaultConfig()
	d := decoder{src: src}
	if err := d.table("", doc, reflect.ValueOf(&cfg).Elem()); err != nil {
		return nil, nil, err
	}
	normalize(reflect.ValueOf(&cfg).Elem())
	defaultShapes(&cfg, src)
	cfg.Dir = dir
	return &cfg, src, nil
}
