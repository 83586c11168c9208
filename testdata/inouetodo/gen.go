//go:build ignore

// gen writes a random production network in the input format of Inoue and
// Todo's ProductionNetworkSimulator, for comparing smesim with it (see
// compare.sh): links.txt "supplier client amount", final.txt "firm
// amount", affiliation.txt "firm sector 0", pini.txt "firm output" and
// damage.txt "firm depth start end".
//
//	go run gen.go -firms 10000 -seed 1 -out DIR
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
)

func main() {
	firms := flag.Int("firms", 10000, "number of firms")
	sectors := flag.Int("sectors", 20, "number of sectors")
	inputs := flag.Int("input-sectors", 3, "input sectors per firm")
	suppliers := flag.Int("suppliers", 3, "suppliers per firm and input sector")
	damaged := flag.Float64("damaged", 0.05, "share of firms in the damage table")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", ".", "output directory")
	flag.Parse()
	rng := rand.New(rand.NewPCG(*seed, 18))
	n, ns := *firms, *sectors
	if n < ns**suppliers {
		log.Fatalf("%d firms are too few for %d sectors of %d suppliers", n, ns, *suppliers)
	}
	sector := make([]int, n)
	bySector := make([][]int, ns)
	for i := range sector {
		sector[i] = i % ns
		bySector[sector[i]] = append(bySector[sector[i]], i)
	}
	w := func(name string) (*bufio.Writer, func()) {
		f, err := os.Create(filepath.Join(*out, name))
		if err != nil {
			log.Fatal(err)
		}
		b := bufio.NewWriter(f)
		return b, func() {
			if err := b.Flush(); err != nil {
				log.Fatal(err)
			}
			if err := f.Close(); err != nil {
				log.Fatal(err)
			}
		}
	}
	sales := make([]float64, n)
	links, closeLinks := w("links.txt")
	for b := 0; b < n; b++ {
		for _, s := range rng.Perm(ns)[:*inputs] {
			if s == sector[b] {
				continue
			}
			pool := bySector[s]
			for _, k := range rng.Perm(len(pool))[:*suppliers] {
				a := float64(1+rng.IntN(100)) / 10
				fmt.Fprintf(links, "%d %d %g\n", pool[k]+1, b+1, a)
				sales[pool[k]] += a
			}
		}
	}
	closeLinks()
	final, closeFinal := w("final.txt")
	pini, closePini := w("pini.txt")
	for i := range sales {
		c := float64(100 + rng.IntN(900))
		fmt.Fprintf(final, "%d %g\n", i+1, c)
		fmt.Fprintf(pini, "%d %g\n", i+1, c+sales[i])
	}
	closeFinal()
	closePini()
	// Their simulator reads three fields per firm ("firm sector sales").
	aff, closeAff := w("affiliation.txt")
	for i := range sector {
		fmt.Fprintf(aff, "%d %d 0\n", i+1, sector[i]+1)
	}
	closeAff()
	damage, closeDamage := w("damage.txt")
	for i := 0; i < n; i++ {
		if rng.Float64() < *damaged {
			depth := float64(1+rng.IntN(9)) / 10
			start := rng.IntN(10)
			fmt.Fprintf(damage, "%d %g %d %d\n", i+1, depth, start, start+5+rng.IntN(40))
		}
	}
	closeDamage()
}
