package sensitivity

// DistKey is a key of a distribution in a parameters file or a scenario's
// [[uncertain]] table: lo, hi, mean, sd, alpha, beta, values or weights.
type DistKey struct {
	Name     string
	Optional bool
}

// distKeys lists, per family, the keys it takes: the one definition of the
// vocabulary, which the parameters files of smesim sensitivity and the
// scenarios' [[uncertain]] tables both read.
var distKeys = map[Kind][]DistKey{
	Uniform:     {{"lo", false}, {"hi", false}},
	LogUniform:  {{"lo", false}, {"hi", false}},
	Normal:      {{"mean", false}, {"sd", false}},
	TruncNormal: {{"mean", false}, {"sd", false}, {"lo", false}, {"hi", false}},
	Beta:        {{"alpha", false}, {"beta", false}, {"lo", true}, {"hi", true}},
	Discrete:    {{"values", false}, {"weights", true}},
}

// DistKeyNames lists every key any family takes, in a fixed order.
var DistKeyNames = []string{"lo", "hi", "mean", "sd", "alpha", "beta", "values", "weights"}

// Keys returns the keys family k takes, in the order the documentation
// lists them. A Beta takes lo and hi both or neither (then [0, 1]).
func Keys(k Kind) []DistKey { return distKeys[k] }

// Takes reports whether family k takes key.
func Takes(k Kind, key string) bool {
	for _, dk := range distKeys[k] {
		if dk.Name == key {
			return true
		}
	}
	return false
}
