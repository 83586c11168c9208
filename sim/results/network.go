package results

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

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

// InputFile is a file a scenario reads: Source, as the scenario resolves
// it, is copied to Name (slash-separated, relative to the result
// directory), which the result directory's scenario.toml gives for Key.
type InputFile struct {
	Key    string // "network.edges_file"
	Source string // the path read by the run
	Name   string // "input/network-edges.csv"
}

// InputFiles returns the files cfg reads, in a fixed order: for a file
// network its edge and firm CSVs; none otherwise.
func InputFiles(cfg *config.Config) []InputFile {
	if cfg == nil || cfg.Network.Generator != "file" {
		return nil
	}
	return []InputFile{
		{Key: "network.edges_file", Source: resolve(cfg.Dir, cfg.Network.EdgesFile), Name: InputDir + "/network-edges.csv"},
		{Key: "network.firms_file", Source: resolve(cfg.Dir, cfg.Network.FirmsFile), Name: InputDir + "/network-firms.csv"},
	}
}

// Relocated returns a copy of cfg that reads its input files from their
// copies in a result directory (see InputFiles), or cfg itself when it
// reads none. Only the file names differ: the copy is for encoding
// scenario.toml, and shares cfg's slices.
func Relocated(cfg *config.Config) *config.Config {
	files := InputFiles(cfg)
	if len(files) == 0 {
		return cfg
	}
	c := *cfg
	c.Network.EdgesFile, c.Network.FirmsFile = files[0].Name, files[1].Name
	return &c
}

// CopyInputs copies the input files into the result directory dir (see
// InputFiles), creating InputDir.
func CopyInputs(dir string, files []InputFile) error {
	if len(files) == 0 {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(dir, InputDir), 0o755); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	for _, f := range files {
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
	err := readCSV(filepath.Join(dir, filepath.FromSlash(NetworkFirmsFile)), splitHead(networkFirmsHead), func(rec []string, p *fieldParser) {
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
