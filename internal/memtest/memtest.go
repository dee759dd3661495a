// Package memtest measures, for tests, the resident memory a piece of work
// adds at its peak: the test runs the work in a child process of its own
// test binary (so nothing else it did counts), and the child reports its
// resident memory before and its high-water mark after from
// /proc/self/status. Linux only; the callers skip elsewhere.
package memtest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// Growth runs the test named child in a child process of this test binary,
// with env added to its environment, and returns the resident memory it
// reported before its work and its peak (VmRSS, then VmHWM, in bytes).
func Growth(t testing.TB, child string, env ...string) (base, peak int64) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+child+"$", "-test.v")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", child, err, out)
	}
	for sc := bufio.NewScanner(strings.NewReader(string(out))); sc.Scan(); {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "memtest: rss "); i >= 0 {
			fmt.Sscanf(line[i:], "memtest: rss %d peak %d", &base, &peak)
		}
	}
	if peak == 0 {
		t.Fatalf("%s: no measure in\n%s", child, out)
	}
	return base, peak
}

// Measure, in the child, runs work and reports the resident memory before
// it and the peak after it, for Growth to read.
func Measure(t testing.TB, work func()) {
	t.Helper()
	base := Status(t, "VmRSS")
	work()
	t.Logf("memtest: rss %d peak %d", base, Status(t, "VmHWM"))
}

// Status is a size /proc/self/status gives (VmRSS, VmHWM), in bytes.
func Status(t testing.TB, field string) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}
