package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// MaxInFlight bounds the request bytes a Server holds at once, across
// all the requests it is answering: a body is read only once there is
// room for it. Rendering a large body costs about twice its size at its
// peak besides the body (the escaped form the template makes of it, which
// becomes the rendered body in place; TestBigBodyMemory), so 32 MiB of bodies
// (three of 10 MB) keep the process well under 1 GiB however many 10 MB
// requests arrive together, while small requests never wait.
const MaxInFlight = 32 << 20

// MaxWaitForRoom is how long a request waits for room before it is
// refused. API Gateway takes a burst of large requests (it throttles by
// requests a second, thousands of them, not by bytes), so serve answers
// them too, a few at a time, rather than refuse them at once; only a
// request that cannot get room within this time gets the answer API
// Gateway gives when it sheds load: 429, gateway response THROTTLED,
// "Too Many Requests". 30 s is about API Gateway's longest integration
// timeout (29 s): a client waiting longer would have had a 504 on AWS.
const MaxWaitForRoom = 30 * time.Second

var errNoRoom = errors.New("no room for the body")

// byteBudget is a counting semaphore of bytes.
type byteBudget struct {
	mu   sync.Mutex
	free int64
	max  int64
	wake chan struct{} // closed when room is released
}

func newByteBudget(max int64) *byteBudget {
	return &byteBudget{free: max, max: max, wake: make(chan struct{})}
}

// acquire takes n bytes (at most the whole budget), waiting until ctx
// ends or the deadline passes; it reports whether it took them.
func (b *byteBudget) acquire(ctx context.Context, n int64, deadline time.Time) bool {
	if n > b.max {
		n = b.max
	}
	var timer *time.Timer
	for {
		b.mu.Lock()
		if n <= b.free {
			b.free -= n
			b.mu.Unlock()
			if timer != nil {
				timer.Stop()
			}
			return true
		}
		wake := b.wake
		b.mu.Unlock()
		if timer == nil {
			timer = time.NewTimer(time.Until(deadline))
			defer timer.Stop()
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return false
		case <-timer.C:
			return false
		}
	}
}

// release gives n bytes back (as acquire capped them) and wakes the
// waiters.
func (b *byteBudget) release(n int64) {
	if n <= 0 {
		return
	}
	if n > b.max {
		n = b.max
	}
	b.mu.Lock()
	b.free += n
	close(b.wake)
	b.wake = make(chan struct{})
	b.mu.Unlock()
}

// firstReservation is what a body of unknown length (chunked) reserves
// before its first read; past it, it reserves room for the largest body.
const firstReservation = 64 << 10

// reserve takes room for the request's body before it is read: its
// Content-Length, or a first part of a body of unknown length. held is
// what was taken, for release.
func (s *Server) reserve(ctx context.Context, g *Gateway, r *http.Request, ev *Event) (*int64, *Response) {
	held := new(int64)
	want := r.ContentLength
	if want < 0 {
		want = firstReservation
	}
	if want > 0 && !s.room.acquire(ctx, want, time.Now().Add(MaxWaitForRoom)) {
		return held, s.throttled(g, ev)
	}
	*held = want
	return held, nil
}

// readBody reads the body (up to one byte over MaxBody) into a string
// without a second copy, taking more room as a body of unknown length
// grows.
func (s *Server) readBody(ctx context.Context, r *http.Request, held *int64) (string, error) {
	if r.ContentLength == 0 || r.Body == nil || r.Body == http.NoBody {
		return "", nil
	}
	var b strings.Builder
	if r.ContentLength > 0 {
		b.Grow(int(r.ContentLength) + 1)
	}
	size := int64(32 << 10)
	if r.ContentLength >= 0 && r.ContentLength+1 < size {
		size = r.ContentLength + 1
	}
	buf := make([]byte, size)
	deadline := time.Now().Add(MaxWaitForRoom)
	in := io.LimitReader(r.Body, MaxBody+1)
	for {
		n, err := in.Read(buf)
		if n > 0 && int64(b.Len()+n) > *held && b.Len()+n <= MaxBody {
			// A body of unknown length that outgrows its first part gives
			// that back and takes room for the largest body in one step:
			// a request never waits for room while it holds some, so
			// bodies that grow together cannot block each other.
			s.room.release(*held)
			*held = 0
			if !s.room.acquire(ctx, MaxBody+1, deadline) {
				return "", errNoRoom
			}
			*held = MaxBody + 1
		}
		b.Write(buf[:n])
		if err == io.EOF {
			return b.String(), nil
		}
		if err != nil {
			return "", err
		}
	}
}

func (s *Server) tooLarge(g *Gateway, ev *Event) *Response {
	return s.refuse(g, ev, 413, "REQUEST_TOO_LARGE", "Request Too Long", fmt.Sprintf("the body is over API Gateway's %d bytes", MaxBody))
}

// throttled is API Gateway's answer to a request it sheds: 429, gateway
// response THROTTLED, "Too Many Requests" (the AWS guide "Gateway
// response types": THROTTLED, 429; the knowledge-center article
// "api-gateway-429-limit").
func (s *Server) throttled(g *Gateway, ev *Event) *Response {
	return s.refuse(g, ev, 429, "THROTTLED", "Too Many Requests",
		fmt.Sprintf("no room for the body within %s: %d MiB of request bodies are being answered (serve's bound on the bytes in flight)", MaxWaitForRoom, MaxInFlight>>20))
}
