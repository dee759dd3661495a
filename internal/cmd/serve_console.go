package cmd

import (
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/console"
)

// serveConsole makes serve's test console (internal/console) when serve
// listens on loopback only and no route of the API is under
// console.Prefix; otherwise it says why there is none. The console
// describes executions through the backend: the mock's own records, or
// Step Functions' DescribeExecution and GetExecutionHistory.
func serveConsole(ln net.Listener, g *gateway.Gateway, be *backend, srv func() *gateway.Server) (*console.Console, string) {
	if !ln.Addr().(*net.TCPAddr).IP.IsLoopback() {
		return nil, "off: serve is not on loopback, and the console shows every request's headers and body"
	}
	if r := consoleRoute(g); r != "" {
		return nil, fmt.Sprintf("off: route %s is under %s, where the console would be", r, console.Prefix)
	}
	var source console.Source
	switch {
	case be.mock:
		source = console.BackendSource{Backend: be.sf}
	case be.client != nil:
		source = console.SDKSource{Client: be.client}
	}
	c := console.New(func() *gateway.Gateway { return srv().Gateway() }, source)
	return c, ""
}

// consoleRoute is a route of g under the console's prefix, if any.
func consoleRoute(g *gateway.Gateway) string {
	for _, r := range g.Routes() {
		_, path, _ := strings.Cut(r, " ")
		if path+"/" == console.Prefix || strings.HasPrefix(path, console.Prefix) {
			return r
		}
	}
	return ""
}

// withConsole serves the console under its prefix and everything else
// through next (the API behind its guard). A reload that brings a route
// under the prefix gives the path back to the API.
func withConsole(c *console.Console, srv *gateway.Server, next http.Handler) http.Handler {
	if c == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, console.Prefix) && consoleRoute(srv.Gateway()) == "" {
			c.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// both reports an event to the log, then to the console when there is one.
func both(log func(gateway.Event), c *console.Console) func(gateway.Event) {
	if c == nil {
		return log
	}
	return func(ev gateway.Event) {
		log(ev)
		c.Record(ev)
	}
}

var _ console.HistoryClient = (*sfn.Client)(nil)

// consoleLine says where the console is, or why there is none.
func consoleLine(ln net.Listener, off string) string {
	if off != "" {
		return "console: " + off
	}
	return fmt.Sprintf("console: http://%s%s", ln.Addr(), console.Prefix)
}
