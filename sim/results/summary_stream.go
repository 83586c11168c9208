package results

// SummarizeStream is Summarize on results read one at a time from src: of
// each it keeps only the few numbers the summary needs, so that the
// results of a point need not be in memory at once.
func SummarizeStream(src Stream) (Summary, error) {
	ds := make([]digest, 0, src.Len())
	for i := 0; i < src.Len(); i++ {
		r, err := src.Result(i)
		if err != nil {
			return Summary{}, err
		}
		ds = append(ds, digestOf(r))
	}
	return summarize(ds)
}
