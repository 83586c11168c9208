package machine

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMemoryLimits: the memory available is the least of MemAvailable, the
// room under the cgroup limits (v1 and v2, nested) and the address space
// left under RLIMIT_AS (issue 13, defect 5: only MemAvailable was read, so
// a 2Gi pod or ulimit -v let a run start that could not fit).
func TestMemoryLimits(t *testing.T) {
	const gib = 1 << 30
	meminfo := "MemTotal:       25000000 kB\nMemAvailable:   20971520 kB\n" // 20 GiB
	for _, c := range []struct {
		name     string
		files    map[string]string
		asLimit  int64
		vmSize   int64
		want     int64
		wantWhat string
	}{
		{"meminfo only", map[string]string{"/proc/meminfo": meminfo}, 0, 0, 20 * gib, "the machine's available memory"},
		{"nothing known", map[string]string{}, 0, 0, 0, ""},
		{"cgroup v2 limit", map[string]string{
			"/proc/meminfo": meminfo, "/proc/self/cgroup": "0::/kubepods/pod1\n",
			"/sys/fs/cgroup/kubepods/pod1/memory.max":     "2147483648\n",
			"/sys/fs/cgroup/kubepods/pod1/memory.current": "536870912\n",
		}, 0, 0, 3 * gib / 2, "the memory limit of the process's cgroup: 2.0 GiB, 0.5 GiB of it in use"},
		{"cgroup v2 page cache", map[string]string{
			"/proc/meminfo": meminfo, "/proc/self/cgroup": "0::/\n",
			"/sys/fs/cgroup/memory.max": "2147483648\n", "/sys/fs/cgroup/memory.current": "1610612736\n",
			"/sys/fs/cgroup/memory.stat": "anon 536870912\nfile 1073741824\ninactive_anon 0\ninactive_file 1073741824\n",
		}, 0, 0, 3 * gib / 2, "the memory limit of the process's cgroup: 2.0 GiB, 0.5 GiB of it in use"},
		{"cgroup v2 unlimited, parent limited", map[string]string{
			"/proc/meminfo": meminfo, "/proc/self/cgroup": "0::/a/b\n",
			"/sys/fs/cgroup/a/b/memory.max": "max\n", "/sys/fs/cgroup/a/b/memory.current": "100\n",
			"/sys/fs/cgroup/a/memory.max": "1073741824\n", "/sys/fs/cgroup/a/memory.current": "0\n",
		}, 0, 0, gib, "the memory limit of the process's cgroup: 1.0 GiB, 0.0 GiB of it in use"},
		{"cgroup v2 in a namespace: the mount's root", map[string]string{
			"/proc/meminfo": meminfo, "/proc/self/cgroup": "0::/\n",
			"/sys/fs/cgroup/memory.max": "1073741824\n", "/sys/fs/cgroup/memory.current": "1073741824\n",
		}, 0, 0, 1, "the memory limit of the process's cgroup: 1.0 GiB, 1.0 GiB of it in use"},
		{"cgroup v1 limit, host path absent", map[string]string{
			"/proc/meminfo": meminfo, "/proc/self/cgroup": "5:cpu,cpuacct:/\n4:memory:/docker/abc\n",
			"/sys/fs/cgroup/memory/memory.limit_in_bytes": "4294967296\n",
			"/sys/fs/cgroup/memory/memory.usage_in_bytes": "1610612736\n",
			"/sys/fs/cgroup/memory/memory.stat":           "cache 536870912\ntotal_inactive_file 536870912\n",
		}, 0, 0, 3 * gib, "the memory limit of the process's cgroup: 4.0 GiB, 1.0 GiB of it in use"},
		{"cgroup v1 unlimited", map[string]string{
			"/proc/meminfo": meminfo, "/proc/self/cgroup": "4:memory:/\n",
			"/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
			"/sys/fs/cgroup/memory/memory.usage_in_bytes": "1073741824\n",
		}, 0, 0, 20 * gib, "the machine's available memory"},
		{"address space", map[string]string{"/proc/meminfo": meminfo}, 2000000 << 10, 1100000 << 10, (900000 - 196608) << 10,
			"the address space left under ulimit -v 2000000: 1.0 GiB of it in use, 192 MiB kept for the Go runtime"},
		{"address space within the reserve", map[string]string{"/proc/meminfo": meminfo}, 1250000 << 10, 1100000 << 10, 1,
			"the address space left under ulimit -v 1250000: 1.0 GiB of it in use, 192 MiB kept for the Go runtime"},
		{"address space exhausted", map[string]string{"/proc/meminfo": meminfo}, 1 << 30, 2 << 30, 1,
			"the address space left under ulimit -v 1048576: 2.0 GiB of it in use, 192 MiB kept for the Go runtime"},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			for name, text := range c.files {
				p := filepath.Join(root, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got := memoryIn(root, c.asLimit, c.vmSize)
			if got.Available != c.want || got.Limit != c.wantWhat {
				t.Errorf("memoryIn = %d (%s), want %d (%s)", got.Available, got.Limit, c.want, c.wantWhat)
			}
		})
	}
}
