package console

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/aslgraph"
)

//go:embed static
var static embed.FS

// csp lets the page run its own script and style and nothing else: no
// inline script or style (a value that slipped into markup could not
// run), no other origin, no frames around it, no form posts.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

// ServeHTTP answers the console's page and its API, under Prefix.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	if why := refuse(r); why != "" {
		http.Error(w, why, http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "the console only reads: its forms send their requests to the API itself", http.StatusMethodNotAllowed)
		return
	}
	switch strings.TrimPrefix(r.URL.Path, Prefix) {
	case "", "index.html":
		c.file(w, "static/index.html", "text/html; charset=utf-8")
	case "app.js":
		c.file(w, "static/app.js", "text/javascript; charset=utf-8")
	case "favicon.svg":
		c.file(w, "static/favicon.svg", "image/svg+xml")
	case "app.css":
		c.file(w, "static/app.css", "text/css; charset=utf-8")
	case "api/routes":
		g := c.gateway()
		writeJSON(w, map[string]any{"routes": forms(g), "machines": machines(g), "stage": g.Stage, "describes": c.source != nil})
	case "api/requests":
		writeJSON(w, c.requestsSince(r.URL.Query().Get("since")))
	case "api/executions":
		c.mu.Lock()
		list := append([]seenExecution{}, c.executions...)
		c.mu.Unlock()
		writeJSON(w, list)
	case "api/execution":
		c.execution(w, r)
	case "api/graph":
		c.graph(w, r)
	case "api/events":
		c.events(w, r)
	default:
		http.NotFound(w, r)
	}
}

// requestsSince are the records kept after the one whose id is since
// (all of them when since is not a number): a page that missed some asks
// for those only, not the MaxRecords records again.
func (c *Console) requestsSince(since string) []*Record {
	after, _ := strconv.ParseInt(since, 10, 64)
	c.mu.Lock()
	defer c.mu.Unlock()
	i := sort.Search(len(c.records), func(i int) bool { return c.records[i].ID > after })
	return append([]*Record{}, c.records[i:]...)
}

// refuse says why a request may not read the console: a Host that is not
// this machine (DNS rebinding: another site's page whose name now
// resolves to 127.0.0.1 would read the requests' headers), or a request
// another site's page sent (Origin, Sec-Fetch-Site). The page's own
// requests and a typed address pass.
func refuse(r *http.Request) string {
	if !gateway.LoopbackHost(r.Host) || r.Host == "" {
		return "the console answers requests to localhost, 127.0.0.1 or [::1] only"
	}
	if o := r.Header.Get("Origin"); o != "" && !strings.EqualFold(o, "http://"+r.Host) {
		return "the console answers its own page only, not another origin's"
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
		return ""
	}
	return "the console answers its own page only, not another site's"
}

func (c *Console) file(w http.ResponseWriter, name, typ string) {
	b, err := static.ReadFile(name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", typ)
	_, _ = w.Write(b)
}

// writeJSON answers v as JSON; encoding/json writes <, >, &, U+2028 and
// U+2029 as \u escapes, so the text is safe in any context.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// execution describes the execution ?arn= names, with its machine.
func (c *Console) execution(w http.ResponseWriter, r *http.Request) {
	arn := r.URL.Query().Get("arn")
	if c.source == nil {
		http.Error(w, errNoSource.Error(), http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	e, err := c.source.Execution(ctx, arn)
	if err != nil {
		http.Error(w, capped(err.Error()), http.StatusBadGateway)
		return
	}
	e.Input, e.Output, e.Cause = capped(e.Input), capped(e.Output), capped(e.Cause)
	writeJSON(w, map[string]any{"execution": e, "machine": machineOfExecution(c.gateway(), arn)})
}

// graph draws ?machine=, with the path of the execution ?arn= when given.
func (c *Console) graph(w http.ResponseWriter, r *http.Request) {
	g := c.gateway()
	id, arn := r.URL.Query().Get("machine"), r.URL.Query().Get("arn")
	if id == "" && arn != "" {
		id = machineOfExecution(g, arn)
	}
	def, ok := definition(g, id)
	if !ok {
		http.Error(w, fmt.Sprintf("no state machine %q in the template", capped(id)), http.StatusNotFound)
		return
	}
	var path []string
	if arn != "" && c.source != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
		defer cancel()
		if e, err := c.source.Execution(ctx, arn); err == nil {
			path = e.Path
		}
	}
	svg, err := aslgraph.Draw(def, path)
	if err != nil {
		http.Error(w, capped(err.Error()), http.StatusUnprocessableEntity)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	_, _ = w.Write(svg)
}

// sseWriteTimeout bounds each write to a live page: a page that stops
// reading (a client that never reads, a frozen tab) costs its stream, not
// a handler blocked in Write that a stop of serve would wait for.
const sseWriteTimeout = 10 * time.Second

var errClosed = errors.New("the console is closed")

// events streams each new record as a server-sent event ("request"),
// with a comment every 15 s to keep the connection open.
func (c *Console) events(w http.ResponseWriter, r *http.Request) {
	ch := c.subscribe()
	if ch == nil {
		http.Error(w, "too many live pages: close one", http.StatusServiceUnavailable)
		return
	}
	defer c.unsubscribe(ch)
	rc := http.NewResponseController(w)
	// Close ends a write in progress too: its deadline becomes now.
	ended := make(chan struct{})
	defer close(ended)
	go func() {
		select {
		case <-c.done:
			_ = rc.SetWriteDeadline(time.Now())
		case <-ended:
		}
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	msg := []byte(": live\n\n")
	for {
		if sendEvent(rc, w, msg, c.done) != nil {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-c.done:
			return
		case <-tick.C:
			msg = []byte(": still here\n\n")
		case b := <-ch:
			// JSON has no line break in it: one data line.
			msg = fmt.Appendf(nil, "event: request\ndata: %s\n\n", b)
		}
	}
}

// sendEvent writes one event and flushes it, within sseWriteTimeout
// (serve's minute for an answer does not fit a stream that lasts until
// the page or serve goes). After the deadline is set it looks at done
// once more, so that Close's deadline (now) is never overwritten by it.
func sendEvent(rc *http.ResponseController, w http.ResponseWriter, msg []byte, done chan struct{}) error {
	if err := rc.SetWriteDeadline(time.Now().Add(sseWriteTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	select {
	case <-done:
		return errClosed
	default:
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	return rc.Flush()
}
