package results

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
)

// The network of a result directory: the network simulated in its first
// result (the baseline's first replication, which the network figure
// draws), as network.WriteCSV writes it. It is written only with firm-level
// results (output.record = "full").
const (
	NetworkDir       = "network"
	NetworkFirmsFile = "network/firms.csv"
	NetworkEdgesFile = "network/edges.csv"
	networkFirmsHead = "id,kind,role,sector,chain,region,final_demand,export_share,export_market"
	networkEdgesHead = "supplier,buyer,weight"
)

// InputDir is the folder of a result directory holding copies of the files
// its scenario reads (a file network's CSVs); scenario.toml names them
// there, so that the directory can be moved and run again.
const InputDir = "input"

// InputFile is a file a scenario names: Named as the scenario names it
// (relative to its directory, or absolute), read at Source and, when a
// run of the scenario itself reads it, copied to Name (slash-separated,
// relative to the result directory), which the result directory's
// scenario.toml gives for Key.
type InputFile struct {
	Key    string // "network.edges_file"
	Named  string // "../data/edges.csv"
	Source string // the path read
	Name   string // "input/network-edges.csv"; "" for a file only the points of a sweep read
}

// InputFiles returns the files cfg names, in a fixed order: for a file
// network its edge and firm files (and, in the inoue-todo format, final
// demand), for an io-table network its table, each with the name of its
// copy in a result directory; the damage table of each capacity shock that
// has one, with its copy; then, when cfg sweeps file keys, the files its
// points name, which only those points read (Name ""). When cfg's network
// is generated but its sweep makes it a file or io-table network, those
// files come first, without a copy. None when no run reads a file.
// Readers of one run copy the files with a Name (CopyInputs); a batch
// identifies its inputs by the content of them all (see
// batch.HashInputs), so that runs of changed files are not mixed.
func InputFiles(cfg *config.Config) []InputFile {
	if cfg == nil {
		return nil
	}
	nc := &cfg.Network
	file, table := nc.Generator == "file", nc.Generator == "io-table"
	mayFile, mayTable := file, table
	type swept struct{ key, named string }
	var sweptFiles []swept
	for _, p := range cfg.Sweep.Parameters {
		switch {
		case p.Key == "network.generator":
			mayFile = mayFile || slices.Contains(p.Texts, "file")
			mayTable = mayTable || slices.Contains(p.Texts, "io-table")
		case strings.HasSuffix(p.Key, "_file"):
			for _, t := range p.Texts {
				sweptFiles = append(sweptFiles, swept{p.Key, t})
			}
		}
	}
	var out []InputFile
	add := func(key, named, copyName string, copied bool) {
		if named == "" {
			return
		}
		if copied {
			copyName = InputDir + "/" + copyName
		} else {
			copyName = ""
		}
		out = append(out, InputFile{Key: key, Named: named, Source: resolve(cfg.Dir, named), Name: copyName})
	}
	if mayFile {
		add("network.edges_file", nc.EdgesFile, "network-edges.csv", file)
		add("network.firms_file", nc.FirmsFile, "network-firms.csv", file)
		if nc.Format == "inoue-todo" {
			add("network.final_demand_file", nc.FinalDemandFile, "network-final-demand.txt", file)
		}
	}
	if mayTable {
		add("network.io_table_file", nc.IOTableFile, "io-table.csv", table)
	}
	for i, s := range cfg.Shocks {
		if s.Kind == "capacity" {
			add(fmt.Sprintf("shocks[%d].damage_file", i), s.DamageFile, fmt.Sprintf("damage-%d.txt", i), true)
		}
	}
	for _, f := range sweptFiles {
		add(f.key, f.named, "", false)
	}
	return out
}

// Relocated returns a copy of cfg that reads its input files from their
// copies in a result directory (see InputFiles), or cfg itself when it
// copies none. Only the file names differ: the copy is for encoding
// scenario.toml, and shares cfg's slices but its shocks.
func Relocated(cfg *config.Config) *config.Config {
	files := InputFiles(cfg)
	if !slices.ContainsFunc(files, func(f InputFile) bool { return f.Name != "" }) {
		return cfg
	}
	c := *cfg
	c.Shocks = slices.Clone(cfg.Shocks)
	for _, f := range files {
		if f.Name == "" {
			continue // read by the points of a sweep, not by this run
		}
		switch f.Key {
		case "network.edges_file":
			c.Network.EdgesFile = f.Name
		case "network.firms_file":
			c.Network.FirmsFile = f.Name
		case "network.final_demand_file":
			c.Network.FinalDemandFile = f.Name
		case "network.io_table_file":
			c.Network.IOTableFile = f.Name
		default:
			var i int
			if _, err := fmt.Sscanf(f.Key, "shocks[%d].damage_file", &i); err == nil {
				c.Shocks[i].DamageFile = f.Name
			}
		}
	}
	return &c
}

// CopyInputs copies the input files that have a Name into the result
// directory dir (see InputFiles), creating InputDir.
func CopyInputs(dir string, files []InputFile) error {
	made := false
	for _, f := range files {
		if f.Name == "" {
			continue // read by the points of a sweep, not by this run
		}
		if !made {
			if err := os.MkdirAll(filepath.Join(dir, InputDir), 0o755); err != nil {
				return fmt.Errorf("results: %w", err)
			}
			made = true
		}
		if err := copyFile(filepath.Join(dir, filepath.FromSlash(f.Name)), f.Source); err != nil {
			return fmt.Errorf("results: copying %s (%s): %w", f.Source, f.Key, err)
		}
	}
	return nil
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return writeFile(dst, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}

func resolve(dir, p string) string {
	if filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}

// writeNetwork writes net as NetworkFirmsFile and NetworkEdgesFile into dir.
func writeNetwork(dir string, net *network.Network) error {
	if err := os.Mkdir(filepath.Join(dir, NetworkDir), 0o755); err != nil {
		return err
	}
	firms, err := os.OpenFile(filepath.Join(dir, filepath.FromSlash(NetworkFirmsFile)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer firms.Close()
	edges, err := os.OpenFile(filepath.Join(dir, filepath.FromSlash(NetworkEdgesFile)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer edges.Close()
	fw, ew := bufio.NewWriterSize(firms, 1<<16), bufio.NewWriterSize(edges, 1<<16)
	if err := net.WriteCSV(ew, fw); err != nil {
		return err
	}
	for _, f := range []struct {
		f *os.File
		w *bufio.Writer
	}{{firms, fw}, {edges, ew}} {
		if err := f.w.Flush(); err != nil {
			return err
		}
		if err := f.f.Sync(); err != nil {
			return err
		}
		if err := f.f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// Network is the network of a result directory as read back: firm ids in
// order, and edges as indices into them, supplier → buyer, in stored order.
type Network struct {
	Firms           []string
	Supplier, Buyer []int32
}

// ReadNetwork reads the network of result directory dir (NetworkFirmsFile
// and NetworkEdgesFile), or returns nil for a directory without NetworkDir
// (aggregate results, or written by an smesim that did not write it).
// Firm ids must be distinct and every edge must join two of them.
func ReadNetwork(dir string) (*Network, error) {
	if _, err := os.Stat(filepath.Join(dir, NetworkDir)); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	n := &Network{}
	index := map[string]int32{}
	// The optional columns of a network with size classes or an entry
	// pool (network.WriteCSV).
	head := splitHead(networkFirmsHead)
	var heads [][]string
	for _, extra := range [][]string{nil, {"size_class"}, {"dormant"}, {"size_class", "dormant"}} {
		heads = append(heads, append(slices.Clip(head), extra...))
	}
	err := readCSVOf(filepath.Join(dir, filepath.FromSlash(NetworkFirmsFile)), heads, func(rec []string, p *fieldParser) {
		if rec[0] == "" {
			p.fail(0, errors.New("empty firm id"))
			return
		}
		if _, dup := index[rec[0]]; dup {
			p.fail(0, fmt.Errorf("firm %s appears twice", quoteCut(rec[0])))
			return
		}
		index[rec[0]] = int32(len(n.Firms))
		n.Firms = append(n.Firms, rec[0])
	})
	if err != nil {
		return nil, err
	}
	err = readCSV(filepath.Join(dir, filepath.FromSlash(NetworkEdgesFile)), splitHead(networkEdgesHead), func(rec []string, p *fieldParser) {
		s, ok := index[rec[0]]
		if !ok {
			p.fail(0, fmt.Errorf("firm %s is not in %s", quoteCut(rec[0]), NetworkFirmsFile))
			return
		}
		b, ok := index[rec[1]]
		if !ok {
			p.fail(1, fmt.Errorf("firm %s is not in %s", quoteCut(rec[1]), NetworkFirmsFile))
			return
		}
		n.Supplier = append(n.Supplier, s)
		n.Buyer = append(n.Buyer, b)
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}
