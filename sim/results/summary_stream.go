package results

// SummarizeStream is Summarize on results read one at a time from src: of
// each it keeps only the few numbers the summary needs, so that the
// results of a point need not be in memory at once.
func SummarizeStream(src Stream) (Summary, error) {
	pair := newPairing()
	ds := make([]digest, 0, src.Len())
	for i := 0; i < src.Len(); i++ {
		r, err := src.Result(i)
		if err != nil {
			return Summary{}, err
		}
		pair.add(r) // the baseline comes first: the arms pair with it
		d := digestOf(r)
		d.additionality = pair.classify(r)
		ds = append(ds, d)
	}
	return summarize(ds)
}
