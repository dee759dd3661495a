package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

// ordersServer serves golden/orders-open's committed template with the
// mock, which answers at once.
func ordersServer(tb testing.TB) *gateway.Server { return serverWith(tb, sfnmock.New(nil), nil) }

// orderRequest is a start with a body to map and a header to name it.
func orderRequest(i int) *http.Request {
	r := httptest.NewRequest("POST", "/orders", strings.NewReader(`{"id": "o-1", "items": [{"sku": "it's \"x\"", "qty": 2}], "note": "</script> \\ $x"}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Idempotency-Key", "order-"+itoa(i))
	return r
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		if i /= 10; i == 0 {
			return string(b[n:])
		}
	}
}

// BenchmarkServe is one request's whole path through serve: route, check,
// render the request template, call a stand-in that answers at once, and
// render the integration response. It reports the median and the 99th
// percentile of the requests' latencies.
func BenchmarkServe(b *testing.B) {
	b.Run("plain", func(b *testing.B) { benchServe(b, ordersServer(b), orderRequest) })
	// A route with everything issue 18 checks before the integration:
	// an API key (a plan without throttle or quota, which would refuse
	// the benchmark's requests), body validation against the order's
	// model (and the item model it names), and CORS for two origins on
	// the answer.
	b.Run("cors-key-body", func(b *testing.B) {
		g := gatewayWith(b, func(tpl *cfn.Template) {
			addKeys(tpl)
			addValidation(tpl)
			addCORS(tpl)
			p := tpl.CFN.Resources["UsagePlanPartners"].(*apigateway.UsagePlan)
			p.Throttle, p.Quota = nil, nil
			tpl.CFN.Resources["RouteOrdersPost"].(*apigateway.Method).ApiKeyRequired = ptr(true)
		})
		if err := g.UseKeys(gateway.NewKeys(map[string]string{"acme": acmeKey})); err != nil {
			b.Fatal(err)
		}
		benchServe(b, gateway.NewServer(g, sfnmock.New(nil), nil), checkedOrderRequest)
	})
}

// checkedOrderRequest is orderRequest with a key and a browser's Origin.
func checkedOrderRequest(i int) *http.Request {
	r := orderRequest(i)
	r.Header.Set("X-Api-Key", acmeKey)
	r.Header.Set("Origin", "https://shop.example.com")
	return r
}

// benchServe sends b.N requests made by req through s.
func benchServe(b *testing.B, s *gateway.Server, req func(int) *http.Request) {
	// The requests are made before the clock starts: what is measured
	// (time and allocations) is serve's work alone.
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		reqs[i] = req(i)
	}
	lat := make([]time.Duration, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	var w *httptest.ResponseRecorder
	for i := 0; i < b.N; i++ {
		w = httptest.NewRecorder()
		began := time.Now()
		s.ServeHTTP(w, reqs[i])
		lat[i] = time.Since(began)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	b.StopTimer()
	if o := reqs[0].Header.Get("Origin"); o != "" && w.Header().Get("Access-Control-Allow-Origin") != o {
		b.Fatalf("Access-Control-Allow-Origin %q, want %q", w.Header().Get("Access-Control-Allow-Origin"), o)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// TestServeMemoryIsFlat sends 100,000 requests through a server and checks
// that the heap after the first 20,000 (past the mock's bound on the
// executions it keeps) does not grow over the next 80,000: nothing
// caches without bound.
func TestServeMemoryIsFlat(t *testing.T) {
	if os.Getenv("SFNAPIC_LOAD") == "" {
		t.Skip("100,000 requests take a while (minutes under -race): set SFNAPIC_LOAD=1 to run them; .ci/run does")
	}
	s := ordersServer(t)
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	send := func(from, to int) {
		for i := from; i < to; i++ {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, orderRequest(i))
			if w.Code != 200 {
				t.Fatalf("request %d: %d %s", i, w.Code, w.Body)
			}
		}
	}
	send(0, 20000)
	before := heap()
	send(20000, 100000)
	after := heap()
	runtime.KeepAlive(s)
	t.Logf("heap after 20,000 requests: %d KiB; after 100,000: %d KiB", before>>10, after>>10)
	if after > before+2<<20 {
		t.Errorf("the heap grew from %d KiB to %d KiB over 80,000 requests", before>>10, after>>10)
	}
}

// FuzzServe sends arbitrary requests through a server: whatever the
// method, path, content type and body, and however many and large their
// values (scale: as many query parameters, a header of the key repeated
// as often, and a body wrapped around a value of about 200 bytes a
// unit), it answers with a status API Gateway could give and a JSON
// body, within 3 s, and never panics.
func FuzzServe(f *testing.F) {
	f.Add("POST", "/orders", "application/json", `{"id": "o-1"}`, "k-1", uint16(0))
	f.Add("GET", "/orders/%2F..%2Fx", "", "", "", uint16(0))
	f.Add("DELETE", "/orders/a:b", "application/json", `{"reason": "\u2028"}`, "", uint16(0))
	f.Add("POST", "/quotes", "application/json; charset=utf-8", `{"items": [1, {"a": null}]}`, "", uint16(0))
	f.Add("POST", "/approvals/approve", "application/json", `{"taskToken": "a+b/c=", "manager": "'\\"}`, "", uint16(0))
	f.Add("PATCH", "//", "text/plain", "\x00\xff", "\r\n", uint16(0))
	f.Add("OPTIONS", "/orders", "", `{"statusCode": 404}`, "", uint16(0))
	f.Add("POST", "/orders", "application/json", `{"id": "o-1"}`, "k'\\", uint16(3000))
	f.Add("POST", "/quotes", "", `[]`, "", uint16(65535))
	// Token- and signature-shaped values (FuzzAuth sends them where
	// authorizers read them).
	f.Add("POST", "/orders", "application/json", `{}`, "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.e30.c2ln", uint16(0))
	f.Add("POST", "/orders", "application/json", `{}`, "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00", uint16(2))
	f.Add("POST", "/orders", "application/json", `{"items": [{"sku": "a", "qty": 0}]}`, acmeKey, uint16(0))
	f.Add("GET", "/orders/o-1", "", "", "https://shop.example.com", uint16(0))
	f.Add("OPTIONS", "/orders", "", "", "https://admin.example.com", uint16(0))
	f.Add("POST", "/orders", "application/json", `{"items": [[[[[[[[[[]]]]]]]]]], "qty": 1e400}`, "\x00'\"", uint16(7))
	// The orders API with issue 18's checks: keys (POST /orders needs
	// one too), a validated body, CORS for two origins, and the path's
	// preflight answering a body that passes through.
	g := gatewayWith(f, func(tpl *cfn.Template) {
		addKeys(tpl)
		addValidation(tpl)
		addCORS(tpl)
		tpl.CFN.Resources["RouteOrdersPost"].(*apigateway.Method).ApiKeyRequired = ptr(true)
		options := tpl.CFN.Resources["RouteOrdersOptions"].(*apigateway.Method).Integration
		options.RequestTemplates = nil
		options.IntegrationResponses[0].ResponseTemplates["application/json"] += `{"ok": true}`
	})
	if err := g.UseKeys(gateway.NewKeys(map[string]string{"acme": acmeKey})); err != nil {
		f.Fatal(err)
	}
	s := gateway.NewServer(g, sfnmock.New(nil), nil)
	f.Fuzz(func(t *testing.T, method, path, contentType, body, key string, scale uint16) {
		if !validMethod(method) || !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \t\r\n#?\x00") {
			return
		}
		n := int(scale) % 5000
		if n > 0 && json.Valid([]byte(body)) {
			body = `{"big": "` + strings.Repeat(`it's \"x\" \\ é `, n) + `", "v": ` + body + `}`
		}
		r, err := http.NewRequest(method, "http://api.test"+path+manyParams(n), strings.NewReader(body))
		if err != nil {
			return
		}
		if n > 0 && key != "" {
			r.Header["X-Customer"] = []string{strings.Repeat(key, n)}
		}
		if contentType != "" {
			r.Header["Content-Type"] = []string{contentType}
		}
		if key != "" {
			// The key is the idempotency key, the API key and the
			// origin at once.
			r.Header["Idempotency-Key"] = []string{key}
			r.Header["X-Api-Key"] = []string{key}
			r.Header["Origin"] = []string{key}
			r.Header["Authorization"] = []string{key}
		}
		w := httptest.NewRecorder()
		done := make(chan bool)
		go func() {
			select {
			case <-done:
			case <-time.After(3 * time.Second):
				panic(fmt.Sprintf("%s %q (%q) %q key %q: no answer in 3 s", method, path, contentType, body, key))
			}
		}()
		s.ServeHTTP(w, r)
		close(done)
		if w.Code < 200 || w.Code > 599 {
			t.Fatalf("%s %s: status %d", method, path, w.Code)
		}
		if method != "HEAD" && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s %s (%s) %q: the answer %d is not JSON: %q", method, path, contentType, body, w.Code, w.Body)
		}
	})
}

// manyParams is a query string of n parameters.
func manyParams(n int) string {
	if n == 0 {
		return ""
	}
	var b strings.Builder
	for i := range n {
		b.WriteString("&p" + itoa(i) + "=" + itoa(i))
	}
	return "?" + b.String()[1:]
}

// validMethod is a token HTTP allows as a method.
func validMethod(m string) bool {
	if m == "" || len(m) > 16 {
		return false
	}
	for _, c := range m {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// failing is a StepFunctions whose call never gets a reply.
type failing struct{}

func (failing) Call(context.Context, *gateway.Call) (gateway.Reply, error) {
	return gateway.Reply{}, errors.New("connection refused")
}

// serverWith serves golden/orders-open's template, changed by edit, with
// backend.
func serverWith(t testing.TB, backend gateway.StepFunctions, edit func(*cfn.Template)) *gateway.Server {
	t.Helper()
	return gateway.NewServer(gatewayWith(t, edit), backend, nil)
}

// gatewayWith is a gateway over golden/orders-open's template, changed by
// edit.
func gatewayWith(t testing.TB, edit func(*cfn.Template)) *gateway.Gateway {
	t.Helper()
	g, err := gateway.New(templateWith(t, edit))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// templateWith is golden/orders-open's template, changed by edit.
func templateWith(t testing.TB, edit func(*cfn.Template)) *cfn.Template {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(golden.Root(), "orders-open", "template.json"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := cfn.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(tpl)
	}
	return tpl
}

// TestServerAnswersItsOwnFailures: what fails on the server's side
// answers through the gateway responses, as API Gateway's would: a body
// over 10 MB, a call that gets no reply, and a request template that
// renders a body Step Functions cannot read (sent on all the same: API
// Gateway does not check it, Step Functions refuses it).
func TestServerAnswersItsOwnFailures(t *testing.T) {
	post := func(s *gateway.Server, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/orders", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	s := ordersServer(t)
	if w := post(s, `{"pad": "`+strings.Repeat("x", gateway.MaxBody)+`"}`); w.Code != 413 || !strings.Contains(w.Body.String(), "REQUEST_TOO_LARGE") {
		t.Errorf("a body over 10 MB: %d %.200s", w.Code, w.Body)
	}
	if w := post(serverWith(t, failing{}, nil), `{}`); w.Code != 504 || !strings.Contains(w.Body.String(), "INTEGRATION_FAILURE") {
		t.Errorf("a call without a reply: %d %s", w.Code, w.Body)
	}
	broken := serverWith(t, sfnmock.New(nil), func(tpl *cfn.Template) {
		m := tpl.CFN.Resources["RouteOrdersPost"].(*apigateway.Method)
		m.Integration.RequestTemplates["application/json"] = "not {json"
	})
	if w := post(broken, `{}`); w.Code != 400 || !strings.Contains(w.Body.String(), `"error": "SerializationException"`) {
		t.Errorf("a rendered body that is not JSON: %d %s", w.Code, w.Body)
	}
}

// TestBodyLimitIsAPIGatewaysTenMB: the limit is the 10 MB API Gateway
// documents, 10,485,760 bytes, written out here rather than read from the
// constant the server uses: a body of exactly that size goes through, one
// byte more is refused with 413 before anything else.
func TestBodyLimitIsAPIGatewaysTenMB(t *testing.T) {
	const documented = 10_485_760
	s := ordersServer(t)
	for size, want := range map[int]int{documented: 200, documented + 1: 413} {
		// Padded with white space, which no template reads: a value
		// of megabytes would spend the regular expressions' budget.
		pad := size - len(`{"id": "o-1"}`)
		r := httptest.NewRequest("POST", "/orders", strings.NewReader(`{"id": "o-1"`+strings.Repeat(" ", pad)+`}`))
		r.Header.Set("Content-Type", "application/json")
		if r.ContentLength != int64(size) {
			t.Fatalf("the body is %d bytes, want %d", r.ContentLength, size)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != want || (want == 413) != strings.Contains(w.Body.String(), "REQUEST_TOO_LARGE") {
			t.Errorf("a body of %d bytes: %d %.200s, want %d", size, w.Code, w.Body, want)
		}
	}
}
