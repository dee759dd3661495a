package gateway_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/memtest"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

// orderItem is one item of a large order: apostrophes, quotes,
// backslashes and a character beyond ASCII, all of which the template
// escapes.
const orderItem = `{"sku": "it's \"x\" \\ é", "qty": 2, "note": "l'article <\/b>"}`

// bigOrder streams a POST /orders body of size bytes (an order with as
// many items as fit, padded with spaces) without holding it: what is
// measured is the server's memory, not the client's.
func bigOrder(size int) io.Reader {
	head, tail := `{"id": "o-1", "items": [`, `]}`
	n := (size - len(head) - len(tail)) / (len(orderItem) + 2)
	pad := size - len(head) - len(tail) - n*(len(orderItem)+2) + 2
	items := io.MultiReader(&repeated{s: orderItem + ", ", n: n - 1}, strings.NewReader(orderItem))
	return io.MultiReader(strings.NewReader(head), items, strings.NewReader(strings.Repeat(" ", pad)+tail))
}

// repeated reads s n times.
type repeated struct {
	s   string
	n   int
	off int
}

func (r *repeated) Read(p []byte) (int, error) {
	done := 0
	for done < len(p) && r.n > 0 {
		c := copy(p[done:], r.s[r.off:])
		done += c
		if r.off += c; r.off == len(r.s) {
			r.off, r.n = 0, r.n-1
		}
	}
	if done == 0 {
		return 0, io.EOF
	}
	return done, nil
}

func postBig(s *gateway.Server, size int, header string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/orders", bigOrder(size))
	r.ContentLength = int64(size)
	r.Header.Set("Content-Type", "application/json")
	if header != "" {
		r.Header.Set("X-Customer", header)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// TestBigBodiesAreAnsweredAsAWSWould: a 10 MB body mapped whole renders
// (API Gateway's renderer has no budget that a linear scan exhausts);
// Step Functions (the mock, which refuses what it refuses) then refuses
// an input over 256 KiB, which the route's error response maps to a 4xx.
// A header of a megabyte never reaches the renderer: API Gateway's front
// end refuses header lines over 10,240 bytes (431). Never a 500 of the
// gateway's own.
func TestBigBodiesAreAnsweredAsAWSWould(t *testing.T) {
	s := serverWith(t, sfnmock.New(nil), nil)
	w := postBig(s, gateway.MaxBody, "")
	if w.Code != 400 || !strings.Contains(w.Body.String(), "ValidationException") {
		t.Errorf("a 10 MB body: %d %.300s", w.Code, w.Body)
	}
	w = postBig(s, 1000, strings.Repeat(`it's "x" \ `, 100_000))
	if w.Code != 431 {
		t.Errorf("a header of 1 MB: %d %.300s", w.Code, w.Body)
	}
	// Under the bound, the same request starts its execution.
	if w = postBig(s, 200<<10, ""); w.Code != 200 {
		t.Errorf("a body of 200 KiB: %d %.300s", w.Code, w.Body)
	}
}

// memoryChild is set in the child process that TestBigBodyMemory starts:
// how many 10 MB bodies it sends at once.
const memoryChild = "SFNAPIC_BIGBODY_CHILD"

// TestBigBodyMemory measures, in a process of its own, the peak resident
// memory (VmHWM) that serving 10 MB bodies adds: under 1 GiB for 20 at
// once (SFNAPIC_LOAD=1; 136 MiB measured, 3 GB before serve bounded the
// bytes in flight). One body costs about twice its size at its peak (21
// MiB measured, the body included; 65 before the second pass, 167 before
// the first): the body (10 MB) and its escaped form (12 MB), which
// replaceAll rewrites in place and the rendered body is made around; the
// compact JSON of $input.json('$') is never built, the integration
// keeps the input in the body, and the mock only measures it. The bound
// kept here is the aim, 3 times.
func TestBigBodyMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/status")
	}
	if raceDetector {
		t.Skip("the race detector's shadow memory swamps the measure: .ci/run measures it in a plain build")
	}
	cases := []struct {
		n     int
		limit int64
	}{{1, 3 * gateway.MaxBody}}
	if os.Getenv("SFNAPIC_LOAD") != "" {
		cases = append(cases, struct {
			n     int
			limit int64
		}{20, 1 << 30})
	} else {
		t.Log("20 bodies at once take a while: set SFNAPIC_LOAD=1 to send them")
	}
	for _, c := range cases {
		base, peak := memtest.Growth(t, "TestBigBodyMemoryChild", memoryChild+"="+strconv.Itoa(c.n))
		t.Logf("%d bodies of 10 MB at once: resident memory %d MiB before, peak %d MiB (+%d MiB)", c.n, base>>20, peak>>20, (peak-base)>>20)
		if peak-base > c.limit {
			t.Errorf("%d bodies of 10 MB at once: the peak grew by %d MiB, want under %d MiB", c.n, (peak-base)>>20, c.limit>>20)
		}
	}
}

// TestBigBodyMemoryChild is the child of TestBigBodyMemory.
func TestBigBodyMemoryChild(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv(memoryChild))
	if n == 0 {
		t.Skip("run by TestBigBodyMemory")
	}
	s := serverWith(t, sfnmock.New(nil), nil)
	runtime.GC()
	codes := make([]int, n)
	memtest.Measure(t, func() {
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = postBig(s, gateway.MaxBody, "").Code
			}()
		}
		wg.Wait()
	})
	// A body that could not get room in time is throttled (429), as API
	// Gateway sheds load; every other is refused by Step Functions.
	for i, c := range codes {
		if c != 400 && c != 429 {
			t.Errorf("body %d: %d", i, c)
		}
	}
}

var _ http.Handler = (*gateway.Server)(nil)

// TestBodyOfUnknownLength: a chunked body (no Content-Length) takes room
// as it grows: one of 200 KiB is answered, one over 10 MB refused with
// 413, and the room is all given back (a 10 MB body still fits after).
func TestBodyOfUnknownLength(t *testing.T) {
	s := serverWith(t, sfnmock.New(nil), nil)
	post := func(size int) int {
		r := httptest.NewRequest("POST", "/orders", bigOrder(size))
		r.ContentLength = -1
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w.Code
	}
	for i := 0; i < 8; i++ {
		if code := post(200 << 10); code != 200 {
			t.Fatalf("a chunked body of 200 KiB: %d", code)
		}
	}
	if code := post(gateway.MaxBody + 1); code != 413 {
		t.Errorf("a chunked body over 10 MB: %d", code)
	}
	if code := postBig(s, gateway.MaxBody, "").Code; code != 400 {
		t.Errorf("a 10 MB body after them: %d", code)
	}
}

// gatedOrder is a chunked 10 MB order whose reader, once it has handed
// over 7 MiB, waits up to 2 s until every body of its group has too
// (with room doubling as a body grows, each then holds 8 MiB).
func gatedOrder(reached *sync.WaitGroup, all <-chan struct{}) io.Reader {
	body := bigOrder(gateway.MaxBody)
	head := io.LimitReader(body, 7<<20)
	return io.MultiReader(head, readerFunc(func(p []byte) (int, error) {
		if reached != nil {
			reached.Done()
			reached = nil
			select {
			case <-all:
			case <-time.After(2 * time.Second):
			}
		}
		return body.Read(p)
	}))
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// TestChunkedBodiesDoNotBlockEachOther: four 10 MB bodies of unknown
// length growing together (more than the 32 MiB in flight holds) are all
// answered, a few at a time; none waits for room while holding some, so
// none is throttled for want of room the others hold.
func TestChunkedBodiesDoNotBlockEachOther(t *testing.T) {
	if raceDetector {
		// Each 10 MB body renders for seconds under the race detector,
		// so on a busy machine the fourth waits past the 30 s a body
		// waits for room, before and after this design: a measure of
		// the machine, not of the bound. .ci/run runs it in a plain
		// build.
		t.Skip("slowed past serve's 30 s wait for room by the race detector: .ci/run runs it in a plain build")
	}
	s := serverWith(t, sfnmock.New(nil), nil)
	var reached sync.WaitGroup
	reached.Add(4)
	all := make(chan struct{})
	go func() { reached.Wait(); close(all) }()
	codes := make([]int, 4)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := httptest.NewRequest("POST", "/orders", gatedOrder(&reached, all))
			r.ContentLength = -1
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			codes[i] = w.Code
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != 400 {
			t.Errorf("body %d: %d, want Step Functions' 400 for its input (429: blocked by the others)", i, c)
		}
	}
}
