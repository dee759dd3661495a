package gateway

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/sfnapic/sfnapic/internal/loopback"
)

// Guard returns s behind the checks that keep a web page from driving a
// server on a developer's machine, whose calls go out with the
// developer's credentials. API Gateway itself has no such checks: it is
// reached by its own name only, and a browser that a page drives sends the
// page's origin, which the API's CORS settings answer. Locally, two holes
// open instead:
//
//   - DNS rebinding: a page whose own name comes to resolve to 127.0.0.1
//     sends requests that the browser deems same-origin, and reads the
//     answers. When loopback is set (the server listens on loopback only),
//     a Host that is not a name of this machine (localhost, *.localhost,
//     127.0.0.0/8, [::1], with any port or none) is refused. Off loopback
//     other machines use whatever name they know the server by, so the
//     Host is not checked there.
//   - Cross-site requests: a page may send a "simple" request (a form
//     post, or fetch with mode no-cors: no preflight) to any address; the
//     browser hides the answer, but the call is made. A request that a
//     browser marks as coming from another site (an Origin other than the
//     server's own, or Sec-Fetch-Site cross-site or same-site) is refused
//     unless the API's CORS headers allow that origin
//     (Gateway.AllowsOrigin).
//
// A refusal is a 403 whose JSON body, {"error": ..., "message": ...}, says
// why without repeating what the request sent; the report's Reason names
// the Host or origin. A client that is not a browser (curl, an SDK) sends
// neither header and is not affected.
func (s *Server) Guard(loopback bool) http.Handler {
	return &guard{s: s, loopback: loopback}
}

type guard struct {
	s        *Server
	loopback bool
}

func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	began := time.Now()
	typ, message, reason := g.check(r)
	if typ == "" {
		g.s.ServeHTTP(w, r)
		return
	}
	body, _ := json.Marshal(map[string]string{"error": typ, "message": message})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write(body)
	if g.s.report != nil {
		g.s.report(Event{Method: r.Method, Path: r.URL.EscapedPath(), Status: http.StatusForbidden,
			Latency: time.Since(began), Reason: reason})
	}
}

// check returns why a request is refused (an error type, a message for
// the client, a reason for the log), or empty strings when it may pass.
func (g *guard) check(r *http.Request) (typ, message, reason string) {
	if g.loopback && !LoopbackHost(r.Host) {
		return "ForbiddenHost", "The Host header does not name this machine: a server on loopback answers localhost, 127.0.0.1 or [::1] only (a guard against DNS rebinding).",
			fmt.Sprintf("refused: Host %q is not a loopback name (DNS rebinding?)", r.Host)
	}
	origin, site := r.Header.Get("Origin"), r.Header.Get("Sec-Fetch-Site")
	foreign := (origin != "" && !strings.EqualFold(origin, "http://"+r.Host)) || site == "cross-site" || site == "same-site"
	if !foreign || g.s.Gateway().AllowsOrigin(r.Method, r.URL.EscapedPath(), origin) {
		return "", "", ""
	}
	from := fmt.Sprintf("origin %q", origin)
	if origin == "" {
		from = "a page of another site (Sec-Fetch-Site: " + site + ")"
	}
	return "CrossSiteRequest", "A web page of another origin sent this request, and the API's CORS headers do not allow that origin: add it to the spec's api.cors.origins (in a hand-written template, to the Access-Control-Allow-Origin of the path's OPTIONS method).",
		fmt.Sprintf("refused: a cross-site request from %s, which the API's CORS headers do not allow", from)
}

// LoopbackHost reports whether a Host header (a name or address, with a
// port or none) names this machine: localhost or a name under
// .localhost (which RFC 6761 reserves for loopback, and which no one can
// register), or an address in 127.0.0.0/8 or ::1. An empty Host (an
// HTTP/1.0 client; browsers always send one) passes.
func LoopbackHost(hostport string) bool {
	if hostport == "" {
		return true
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	return loopback.Host(host)
}
