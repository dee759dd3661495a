package console_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/console"
)

// TestConsoleRefusesOtherSites: the console answers its own page and a
// typed address, with its security headers, and refuses a Host that is
// not this machine's (DNS rebinding), another origin, another site's
// fetch, and anything but reading.
func TestConsoleRefusesOtherSites(t *testing.T) {
	s := startSite(t, true)
	for _, c := range []struct {
		method string
		header map[string]string
		want   int
	}{
		{"GET", nil, 200},
		{"GET", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": strings.Replace(s.URL, "127.0.0.1", "127.0.0.1", 1)}, 200},
		{"GET", map[string]string{"Sec-Fetch-Site": "none"}, 200},
		{"GET", map[string]string{"Host": "evil.example"}, 403},
		{"GET", map[string]string{"Origin": "http://evil.example"}, 403},
		{"GET", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"GET", map[string]string{"Sec-Fetch-Site": "same-site"}, 403},
		{"POST", nil, 405},
	} {
		req, _ := http.NewRequest(c.method, s.URL+"/_sfnapic/api/requests", nil)
		for k, v := range c.header {
			if k == "Host" {
				req.Host = v
			} else {
				req.Header.Set(k, v)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if resp.StatusCode != c.want || !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self';") ||
			!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %v: %d %v, want %d with the security headers", c.method, c.header, resp.StatusCode, h, c.want)
		}
	}
}

// TestConsoleBounds: the console keeps the last MaxRecords requests and
// cuts each value at MaxValue bytes.
func TestConsoleBounds(t *testing.T) {
	c := console.New(func() *gateway.Gateway { return ordersGateway(t, "orders-open") }, nil)
	big := strings.Repeat("é", console.MaxValue)
	for i := range console.MaxRecords + 5 {
		c.Record(gateway.Event{Method: "POST", Path: "/orders/" + string(rune('a'+i%26)), Status: 200,
			Exchange: gateway.Exchange{Body: big, Header: http.Header{"Authorization": {"Bearer secret-token-value"}}}})
	}
	var got []console.Record
	getJSON(t, c, "/_sfnapic/api/requests", &got)
	if len(got) != console.MaxRecords || got[0].ID != 6 {
		t.Fatalf("%d records from %d, want %d from 6", len(got), got[0].ID, console.MaxRecords)
	}
	r := got[0]
	if len(r.Body) > console.MaxValue+64 || !strings.HasSuffix(r.Body, "more bytes not shown)") || !json.Valid([]byte(`"`+r.Body[:len(r.Body)-40]+`"`)) {
		t.Errorf("the body is not cut at a character within %d bytes: %d bytes, ends %q", console.MaxValue, len(r.Body), r.Body[len(r.Body)-40:])
	}
	if strings.Contains(r.Header[0][1], "secret-token-value") {
		t.Errorf("the Authorization header is shown whole: %q", r.Header[0][1])
	}
}

func getJSON(t *testing.T, h http.Handler, path string, v any) {
	t.Helper()
	rec := newRecorder()
	req, _ := http.NewRequest("GET", "http://127.0.0.1"+path, nil)
	req.Host = "127.0.0.1"
	h.ServeHTTP(rec, req)
	if rec.code != 200 {
		t.Fatalf("%s: %d %s", path, rec.code, rec.body.String())
	}
	if err := json.Unmarshal([]byte(rec.body.String()), v); err != nil {
		t.Fatal(err)
	}
}

// TestConsoleLive: a request reaches an open stream as one server-sent
// event, and Close ends the stream.
func TestConsoleLive(t *testing.T) {
	s := startSite(t, true)
	resp, err := http.Get(s.URL + "/_sfnapic/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	lines.Scan() // ": live"
	send(t, "POST", s.URL+"/orders", `{"id": "</script>\u2028"}`, map[string]string{"Content-Type": "application/json"})
	var ev, data string
	for lines.Scan() && data == "" {
		if v, ok := strings.CutPrefix(lines.Text(), "event: "); ok {
			ev = v
		}
		if v, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
			data = v
		}
	}
	var r console.Record
	if err := json.Unmarshal([]byte(data), &r); err != nil || ev != "request" || r.Route != "POST /orders" || r.Exec == "" {
		t.Fatalf("event %q, data %q: %v", ev, data, err)
	}
	if strings.Contains(data, "</script>") || strings.Contains(data, "\u2028") {
		t.Errorf("the event's JSON carries markup or a line separator as is: %s", data)
	}
	done := make(chan bool)
	go func() {
		for lines.Scan() {
		}
		done <- true
	}()
	s.console.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the stream")
	}
}

// TestForms: each route's form has its path parameters, its parameters,
// its authorizer's and API key's headers, and a body from its model.
func TestForms(t *testing.T) {
	c := console.New(func() *gateway.Gateway { return ordersGateway(t, "orders-api") }, nil)
	var info struct{ Routes []console.Form }
	getJSON(t, c, "/_sfnapic/api/routes", &info)
	byRoute := map[string]console.Form{}
	for _, f := range info.Routes {
		byRoute[f.Route] = f
	}
	get, post := byRoute["GET /orders/{id}"], byRoute["POST /orders"]
	if strings.Join(get.Params, ",") != "id" || get.Auth != "COGNITO_USER_POOLS" || !hasHeader(get, "Authorization") {
		t.Errorf("GET /orders/{id}: %+v", get)
	}
	if post.Machine != "StateMachineOrders" || !strings.Contains(post.Body, `"items"`) || post.ContentType != "application/json" {
		t.Errorf("POST /orders: %+v", post)
	}
	keyed := 0
	for _, f := range info.Routes {
		if hasHeader(f, "x-api-key") {
			keyed++
		}
	}
	if keyed == 0 {
		t.Errorf("no route asks for an API key: %+v", info.Routes)
	}
}

func hasHeader(f console.Form, name string) bool {
	for _, h := range f.Header {
		if strings.EqualFold(h.Name, name) {
			return true
		}
	}
	return false
}

// TestPathOf: the path is the states entered, in order.
func TestPathOf(t *testing.T) {
	got := console.PathOf([]console.HistoryEvent{{Type: "ExecutionStarted"}, {Type: "ChoiceStateEntered", State: "A"},
		{Type: "ChoiceStateExited", State: "A"}, {Type: "TaskStateEntered", State: "B"}, {Type: "TaskFailed"}, {Type: "FailStateEntered", State: "C"}})
	if strings.Join(got, ",") != "A,B,C" {
		t.Errorf("got %v", got)
	}
}

// TestConsoleStuckPage: a page that opens the stream and never reads
// does not hold up a stop: once the socket's buffers are full the handler
// is blocked in a write, and Close (RegisterOnShutdown) ends that write,
// so that the server's Shutdown returns at once, not when the page goes.
func TestConsoleStuckPage(t *testing.T) {
	c := console.New(func() *gateway.Gateway { return ordersGateway(t, "orders-open") }, nil)
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	srv.Config.RegisterOnShutdown(c.Close)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.(*net.TCPConn).SetReadBuffer(4 << 10)
	if _, err := fmt.Fprintf(conn, "GET /_sfnapic/api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	// Records of control characters, which JSON writes six times as long,
	// for a second: far more than the socket's buffers hold.
	body := strings.Repeat("\x01", console.MaxValue)
	for end := time.Now().Add(time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
		c.Record(gateway.Event{Method: "POST", Path: "/orders", Status: 200, Exchange: gateway.Exchange{Body: body}})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	if err := srv.Config.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown waited %v for a page that does not read: %v", time.Since(start), err)
	}
}

// TestConsoleHidesCredentials: a record shows only the length of every
// credential, short ones too: the usual credential headers, Set-Cookie in
// the answer, and the route's own Lambda authorizer's identity sources
// (header X-Tenant, query string tenant), while a route without that
// authorizer shows its X-Tenant and tenant as sent.
func TestConsoleHidesCredentials(t *testing.T) {
	c := console.New(func() *gateway.Gateway { return ordersGateway(t, "access-variants") }, nil)
	secrets := http.Header{"Authorization": {"Bearer abc"}, "Proxy-Authorization": {"Basic dXNlcjpwdw=="}, "X-Api-Key": {"k1"},
		"X-Amz-Security-Token": {"tok"}, "Cookie": {"s=1"}, "X-Tenant": {"acme"}}
	for _, route := range []string{"POST /tickets", "GET /tickets/{id}"} {
		c.Record(gateway.Event{Method: "POST", Path: "/tickets", Route: route, Status: 200, Exchange: gateway.Exchange{
			Query: "priority=high&tenant=acme", Header: secrets, ResponseHeaders: map[string]string{"Set-Cookie": "sid=42"}}})
	}
	var got []console.Record
	getJSON(t, c, "/_sfnapic/api/requests", &got)
	shown := func(r console.Record) string {
		b, _ := json.Marshal([]any{r.Query, r.Header, r.RespHdr})
		return string(b)
	}
	own := shown(got[0])
	for _, v := range []string{"abc", "dXNlcjpwdw", "k1", "tok", "s=1", "acme", "sid=42"} {
		if strings.Contains(own, v) {
			t.Errorf("POST /tickets: %q is shown: %s", v, own)
		}
	}
	for _, v := range []string{"Bearer (3 characters, hidden by the console)", "priority=high", "tenant=(4 characters, hidden by the console)"} {
		if !strings.Contains(own, v) {
			t.Errorf("POST /tickets: %q is not shown: %s", v, own)
		}
	}
	if other := shown(got[1]); !strings.Contains(other, `"acme"`) || !strings.Contains(other, "tenant=acme") || strings.Contains(other, "k1") {
		t.Errorf("GET /tickets/{id}, without the authorizer: %s", other)
	}
}

// controlEvent is a request whose every value is control characters,
// which JSON writes six times as long (\u0001).
func controlEvent() gateway.Event {
	v := strings.Repeat("\x01", 2*console.MaxValue)
	h := http.Header{}
	for i := range 40 {
		h.Set(fmt.Sprintf("X-H%d", i), v[:4000])
	}
	return gateway.Event{Method: "POST", Path: "/orders/" + v, Route: "POST /orders", Status: 200, Input: v, Reason: v, Execution: v,
		Exchange: gateway.Exchange{Query: v, Header: h, Body: v, ResponseBody: v, ResponseHeaders: map[string]string{"X-R": v},
			Reply: &gateway.Reply{Status: 200, Body: []byte(v)}}}
}

// TestConsoleRecordBound: a record, as JSON, takes at most MaxRecordJSON
// bytes however its values escape, and says that it was cut; a value
// alone is cut at MaxValue bytes of JSON.
func TestConsoleRecordBound(t *testing.T) {
	c := console.New(func() *gateway.Gateway { return ordersGateway(t, "orders-open") }, nil)
	c.Record(controlEvent())
	c.Record(gateway.Event{Method: "POST", Path: "/orders", Status: 200, Exchange: gateway.Exchange{Body: strings.Repeat("<", console.MaxValue)}})
	var got []json.RawMessage
	getJSON(t, c, "/_sfnapic/api/requests", &got)
	if len(got[0]) > console.MaxRecordJSON {
		t.Errorf("a record of control characters takes %d bytes of JSON, more than %d", len(got[0]), console.MaxRecordJSON)
	}
	var r console.Record
	if err := json.Unmarshal(got[0], &r); err != nil || !strings.Contains(r.Cut, "the longest are cut at") {
		t.Errorf("the record does not say it was cut (%v): %q", err, r.Cut)
	}
	if b, _ := json.Marshal(r.Body); len(b) > console.MaxValue || len(got[1]) > console.MaxValue+1024 {
		t.Errorf("a value takes %d bytes of JSON, a record of one value %d: want at most %d", len(b), len(got[1]), console.MaxValue)
	}
}

// TestConsoleRequestsSince: api/requests?since=ID lists the records after
// ID only, so that a page that missed some reloads those, not all.
func TestConsoleRequestsSince(t *testing.T) {
	c := console.New(func() *gateway.Gateway { return ordersGateway(t, "orders-open") }, nil)
	for range 5 {
		c.Record(gateway.Event{Method: "GET", Path: "/orders/1", Status: 200})
	}
	for since, want := range map[string][]int64{"3": {4, 5}, "5": {}, "0": {1, 2, 3, 4, 5}, "x": {1, 2, 3, 4, 5}} {
		var got []console.Record
		getJSON(t, c, "/_sfnapic/api/requests?since="+since, &got)
		ids := []int64{}
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Errorf("since=%s: ids %v, want %v", since, ids, want)
		}
	}
}

// TestConsoleEncodesOnlyForPages: with no page open, Record does not
// encode the record: it allocates far less than the record's JSON, which
// it does encode once a page listens.
func TestConsoleEncodesOnlyForPages(t *testing.T) {
	g := ordersGateway(t, "orders-open")
	c := console.New(func() *gateway.Gateway { return g }, nil)
	ev := gateway.Event{Method: "POST", Path: "/orders", Route: "POST /orders", Status: 200, Exchange: gateway.Exchange{Body: strings.Repeat("<", 2000)}}
	perRecord := func() uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range 20 {
			c.Record(ev)
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / 20
	}
	const json = 6 * 2000 // each < is \u003c
	if per := perRecord(); per > json/2 {
		t.Errorf("Record with no page open allocates %d bytes a request, about its JSON's %d", per, json)
	}
	srv := httptest.NewServer(c)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/_sfnapic/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if per := perRecord(); per < json {
		t.Errorf("Record with a page open allocates %d bytes a request, less than its JSON's %d: the measure does not see encoding", per, json)
	}
}
