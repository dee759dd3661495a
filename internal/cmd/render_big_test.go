package cmd

import (
	"bufio"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/memtest"
)

// renderChild names, in the child process TestRenderBigBodyMemory starts,
// the body file to render.
const renderChild = "SFNAPIC_RENDER_BIG_CHILD"

// bigBodySize is API Gateway's largest body, 10 MB.
const bigBodySize = 10 << 20

// writeBigOrder writes an order of size bytes to name: items with
// apostrophes, quotes, backslashes and a character beyond ASCII, all of
// which the orders template escapes.
func writeBigOrder(t *testing.T, name string, size int) {
	const item = `{"sku": "it's \"x\" \\ é", "qty": 2, "note": "l'article <\/b>"}`
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	head, tail := `{"id": "o-1", "items": [`, `]}`
	n := (size - len(head) - len(tail)) / (len(item) + 2)
	w.WriteString(head)
	for i := 0; i < n; i++ {
		if i > 0 {
			w.WriteString(", ")
		}
		w.WriteString(item)
	}
	w.WriteString(strings.Repeat(" ", size-len(head)-len(tail)-n*(len(item)+2)+2) + tail)
	if err := w.Flush(); err != nil || f.Close() != nil {
		t.Fatal(err)
	}
}

// TestRenderBigBodyMemory: `render -d @big.json` of a 10 MB order, in a
// process of its own, raises the peak resident memory (VmHWM) by a
// bounded multiple of the body, as serve does for one body.
func TestRenderBigBodyMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/status")
	}
	if raceEnabled {
		t.Skip("the race detector's shadow memory swamps the measure")
	}
	body := t.TempDir() + "/big.json"
	writeBigOrder(t, body, bigBodySize)
	base, peak := memtest.Growth(t, "TestRenderBigBodyMemoryChild", renderChild+"="+body)
	t.Logf("render -d @big.json (10 MB): resident memory %d MiB before, peak %d MiB (+%d MiB)", base>>20, peak>>20, (peak-base)>>20)
	if limit := int64(maxRenderGrowth * bigBodySize); peak-base > limit {
		t.Errorf("render -d @big.json: the peak grew by %d MiB, want under %d MiB", (peak-base)>>20, limit>>20)
	}
}

// maxRenderGrowth bounds render's peak for a 10 MB body, in multiples of
// the body: 35 MiB measured (89 before the file was read once at its
// size and kept as read, the rendering built only the escaped form, and
// the request and input were indented straight to the output; 155
// before the first pass). What remains: the body (10 MB), its escaped
// form, which is the rendered request (12 MB), and the input, decoded
// to be printed (10 MB).
const maxRenderGrowth = 4

// TestRenderBigBodyMemoryChild is the child of TestRenderBigBodyMemory:
// it renders the body to nowhere (what is measured is render, not a
// buffer of its output).
func TestRenderBigBodyMemoryChild(t *testing.T) {
	body := os.Getenv(renderChild)
	if body == "" {
		t.Skip("run by TestRenderBigBodyMemory")
	}
	runtime.GC()
	var code int
	memtest.Measure(t, func() {
		code = Main([]string{"render", "../../golden/orders-open/spec.yaml", "POST /orders", "-d", "@" + body}, strings.NewReader(""), io.Discard, io.Discard)
	})
	if code != 0 {
		t.Errorf("render: exit %d", code)
	}
}

// TestRenderSaysAnInputIsTooBig: render shows an input over Step
// Functions' 256 KiB as API Gateway sends it, and says Step Functions
// refuses it (it is not decoded, so render would not say otherwise).
func TestRenderSaysAnInputIsTooBig(t *testing.T) {
	body := t.TempDir() + "/big.json"
	if err := os.WriteFile(body, []byte(`{"note": "`+strings.Repeat("é", 150_000)+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "render", "../../golden/orders-open/spec.yaml", "POST /orders", "-d", "@"+body)
	if code != 0 || !strings.Contains(stderr, "Step Functions refuses one over 262144 (ValidationException)") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}
