package machine

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"strconv"
	"strings"
)

// Available is the memory this process can still allocate and what limits
// it.
type Available struct {
	// Available is the least of the limits below that are known, in
	// bytes; 0 when none is.
	Available int64
	// Limit says which limit gives Available, for messages: "the
	// machine's available memory", "the memory limit of the process's
	// cgroup: 2.0 GiB, 1.2 GiB of it in use", "the address space left
	// under ulimit -v 2000000: 1.2 GiB of it in use".
	Limit string
	// AddressSpace is the address space left under RLIMIT_AS (ulimit -v),
	// 0 without such a limit. The Go runtime reserves address space it
	// does not use, so this bounds more than the memory in use.
	AddressSpace int64
}

// Memory returns the memory this process can still allocate: the least of
// the machine's available memory (MemAvailable of /proc/meminfo), the room
// left under the memory limit of its cgroup and of every cgroup above it
// (cgroup v2 memory.max less memory.current, or v1 memory.limit_in_bytes
// less memory.usage_in_bytes, as a container or a Kubernetes pod sets
// them; the usage less the inactive page cache, which is reclaimed), and the address space left under RLIMIT_AS (its limit less this
// process's VmSize). A limit that cannot be read is left out.
func Memory() Available {
	limit, _ := addressSpaceLimit()
	return memoryIn("", limit, statusBytes("VmSize:"))
}

// memoryIn is Memory with /proc and /sys read under root, an address-space
// limit asLimit (0: none) and a virtual size vmSize.
func memoryIn(root string, asLimit, vmSize int64) Available {
	var a Available
	consider := func(bytes int64, what string) {
		bytes = max(bytes, 1) // a limit reached leaves nothing, which is not "unknown"
		if a.Available == 0 || bytes < a.Available {
			a.Available, a.Limit = bytes, what
		}
	}
	if m := procBytesIn(root, "/proc/meminfo", "MemAvailable:"); m > 0 {
		consider(m, "the machine's available memory")
	}
	if room, what, ok := cgroupRoom(root); ok {
		consider(room, what)
	}
	if asLimit > 0 {
		a.AddressSpace = max(asLimit-vmSize-addressSpaceReserve, 1)
		consider(a.AddressSpace, fmt.Sprintf("the address space left under ulimit -v %d: %s of it in use, %s kept for the Go runtime",
			asLimit>>10, formatGiB(vmSize), fmt.Sprintf("%d MiB", addressSpaceReserve>>20)))
	}
	return a
}

// addressSpaceReserve is the address space kept back under RLIMIT_AS for
// what no estimate counts: the Go runtime reserves heap address space 64
// MiB at a time (three such arenas are kept), and the result writers and
// figures (a PNG canvas alone is a few MiB) come after the runs. Without
// it, `smesim run small` under ulimit -v 1300000 (0.1 GiB left at the
// check) died allocating a figure in one run of four.
const addressSpaceReserve = 192 << 20

// unlimited is the least value cgroup v1 uses for no limit (it writes the
// largest multiple of the page size).
const unlimited = 1 << 62

// cgroupRoom returns the memory left under the tightest limit of this
// process's cgroup and its ancestors, and describes that limit; ok is
// false when no limit is set or none can be read.
func cgroupRoom(root string) (room int64, what string, ok bool) {
	f, err := os.Open(root + "/proc/self/cgroup")
	if err != nil {
		return 0, "", false
	}
	defer f.Close()
	type group struct {
		mounts                      []string
		limit, usage, inactive, dir string
	}
	var groups []group
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// "hierarchy-ID:controller-list:cgroup-path"
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "":
			groups = append(groups, group{[]string{"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}, "memory.max", "memory.current", "inactive_file", parts[2]})
		case hasController(parts[1], "memory"):
			groups = append(groups, group{[]string{"/sys/fs/cgroup/memory"}, "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file", parts[2]})
		}
	}
	for _, g := range groups {
		for _, mount := range g.mounts {
			// In a container the path may be the host's while the mount
			// shows the container's own cgroup: try the path, then the
			// mount's root.
			for _, dir := range []string{path.Join(mount, g.dir), mount} {
				for d := dir; ; d = path.Dir(d) {
					limit, lok := readBytes(root + path.Join(d, g.limit))
					usage, _ := readBytes(root + path.Join(d, g.usage))
					// The usage counts the page cache, whose inactive
					// part the kernel reclaims before it fails an
					// allocation (the working set, as Kubernetes counts).
					usage = max(usage-statValue(root+path.Join(d, "memory.stat"), g.inactive), 0)
					if lok && limit < unlimited {
						r := max(limit-usage, 0)
						if !ok || r < room {
							room, ok = r, true
							what = fmt.Sprintf("the memory limit of the process's cgroup: %s, %s of it in use", formatGiB(limit), formatGiB(usage))
						}
					}
					if len(d) <= len(mount) {
						break
					}
				}
				if ok {
					return room, what, true
				}
			}
		}
	}
	return room, what, ok
}

// statValue returns the field key of a cgroup memory.stat file, 0 where
// unknown.
func statValue(file, key string) int64 {
	f, err := os.Open(file)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key+" "); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
			if err != nil {
				return 0
			}
			return n
		}
	}
	return 0
}

func hasController(list, name string) bool {
	for _, c := range strings.Split(list, ",") {
		if c == name {
			return true
		}
	}
	return false
}

// readBytes reads a cgroup file holding a number of bytes; "max" and an
// unreadable file are not ok.
func readBytes(file string) (int64, bool) {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n, err == nil
}

func formatGiB(b int64) string { return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30)) }
