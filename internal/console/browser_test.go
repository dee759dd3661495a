package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sfnapic/sfnapic/internal/golden"
)

// page is one browser tab as the console's browser tests drive it. The
// scenarios below are written once against it and run in Chromium
// (chromedp, the DevTools protocol) and in Firefox (WebDriver BiDi,
// firefox_test.go). Selectors are CSS; each wait is bounded.
type page interface {
	Navigate(url string) error
	WaitReady(css string) error   // the element is in the DOM
	WaitVisible(css string) error // the element is in the DOM and has a box
	SetValue(css, value string) error
	Click(css string) error // a real mouse click at the element's centre
	Text(css string) (string, error)
	Eval(expr string) ([]byte, error) // the expression's value as JSON
	Screenshot() ([]byte, error)      // PNG of the whole document
}

// chromium starts a headless Chromium for a test, or skips the test when
// none is installed (apt-get install chromium); CI installs it and
// requires these tests to pass (.ci/run).
func chromium(t *testing.T) page {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("no Chromium on PATH (apt-get install chromium): the console's browser tests need one")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.WindowSize(1400, 1000), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	return chromePage{ctx}
}

// chromePage drives Chromium with chromedp.
type chromePage struct{ ctx context.Context }

func (c chromePage) do(a chromedp.Action[chromedp.Void]) error {
	_, err := chromedp.Run(c.ctx, a)
	return err
}

func (c chromePage) Navigate(url string) error { return c.do(chromedp.Navigate(url)) }
func (c chromePage) WaitReady(css string) error {
	return c.do(chromedp.WaitReady(chromedp.CSS(css)))
}
func (c chromePage) WaitVisible(css string) error {
	return c.do(chromedp.WaitVisible(chromedp.CSS(css)))
}
func (c chromePage) SetValue(css, value string) error {
	return c.do(chromedp.SetValue(chromedp.CSS(css), value))
}
func (c chromePage) Click(css string) error { return c.do(chromedp.Click(chromedp.CSS(css))) }
func (c chromePage) Text(css string) (string, error) {
	return chromedp.Run(c.ctx, chromedp.Text(chromedp.CSS(css)))
}
func (c chromePage) Eval(expr string) ([]byte, error) {
	return chromedp.Run(c.ctx, chromedp.Evaluate[[]byte](expr))
}
func (c chromePage) Screenshot() ([]byte, error) {
	return chromedp.Run(c.ctx, chromedp.FullScreenshot(100))
}

// tab runs a scenario's steps on a page, and fails the test (with a
// screenshot) at the first step that fails.
type tab struct {
	t *testing.T
	p page
}

func (b tab) check(err error) {
	b.t.Helper()
	if err != nil {
		b.screenshot()
		b.t.Fatal(err)
	}
}

func (b tab) navigate(url string)        { b.t.Helper(); b.check(b.p.Navigate(url)) }
func (b tab) waitReady(css string)       { b.t.Helper(); b.check(b.p.WaitReady(css)) }
func (b tab) waitVisible(css string)     { b.t.Helper(); b.check(b.p.WaitVisible(css)) }
func (b tab) setValue(css, value string) { b.t.Helper(); b.check(b.p.SetValue(css, value)) }
func (b tab) click(css string)           { b.t.Helper(); b.check(b.p.Click(css)) }

func (b tab) text(css string) string {
	b.t.Helper()
	s, err := b.p.Text(css)
	b.check(err)
	return s
}

// js evaluates a JavaScript expression in the page and decodes its value.
func js[T any](b tab, expr string) T {
	b.t.Helper()
	var v T
	raw, err := b.p.Eval(expr)
	if err == nil {
		err = json.Unmarshal(raw, &v)
	}
	b.check(err)
	return v
}

// screenshot keeps a picture of the page under $SFNAPIC_ARTIFACTS (else
// _artifacts/ at the module's root, which git ignores), named after the
// test.
func (b tab) screenshot() {
	t := b.t
	t.Helper()
	dir := os.Getenv("SFNAPIC_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(filepath.Dir(golden.Root()), "_artifacts")
	}
	dir = filepath.Join(dir, "console")
	png, err := b.p.Screenshot()
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+".png")
	if err := os.WriteFile(name, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", name)
}

// TestConsoleInBrowserForm and TestConsoleInBrowserFormInFirefox run
// formScenario in Chromium and in Firefox.
func TestConsoleInBrowserForm(t *testing.T)          { formScenario(t, chromium(t)) }
func TestConsoleInBrowserFormInFirefox(t *testing.T) { formScenario(t, firefox(t)) }

// formScenario opens the console, sends an order from the route's form,
// and sees the request API Gateway would send to Step Functions, then the
// execution's path on its machine's graph.
func formScenario(t *testing.T, p page) {
	b := tab{t, p}
	s := startSite(t, false)
	form := `form[data-route="POST /orders"]`
	b.navigate(s.URL + "/_sfnapic/")
	b.waitReady(form)
	js[bool](b, `document.querySelector('`+form+`').closest('details').open = true`)
	b.setValue(form+` textarea[name=body]`, `{"id": "o-1", "items": [{"sku": "it's \"x\"", "qty": 2}]}`)
	b.click(form + ` button[type=submit]`)
	b.waitVisible(form + ` .result .status-2`)
	b.waitReady(`#requests details.request`)
	js[bool](b, `document.querySelector('#requests details.request').open = true`)
	integration := b.text(`#requests details.request pre.integration`)
	b.click(`#requests details.request .execution-link`)
	b.waitVisible(`#graph svg g.state.visited[data-state="Ship"]`)
	if errs := js[int](b, `document.querySelectorAll('pre.error').length`); errs != 0 {
		t.Errorf("the page shows %d errors", errs)
	}
	visited := js[[]string](b, `[...document.querySelectorAll('#graph svg g.state.visited')].map(g => g.dataset.state)`)
	b.screenshot()
	for _, want := range []string{`"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachineOrders"`, `\"sku\":\"it's \\\"x\\\"\"`} {
		if !strings.Contains(integration, want) {
			t.Errorf("the integration request shown lacks %s:\n%s", want, integration)
		}
	}
	if strings.Join(visited, ",") != "AskManager,Ship" {
		t.Errorf("the graph highlights %v, want AskManager and Ship", visited)
	}
	if n := len(s.fake.Requests()); n < 3 {
		t.Errorf("Step Functions got %d calls, want the start, a description and the history", n)
	}
}

// hostile are values a request may carry to break or take over the page.
var hostile = []string{`<script>window.pwned=1</script>`, `"onmouseover="window.pwned=2" x="`, `</textarea><img src=x onerror="window.pwned=3">`,
	`javascript:window.pwned=4`, "line\u2028break\u2029para", "bidi\u202Eexe.txt", `</pre><svg onload="window.pwned=5">`}

// TestConsoleInBrowserHostile and TestConsoleInBrowserHostileInFirefox
// run hostileScenario in Chromium and in Firefox.
func TestConsoleInBrowserHostile(t *testing.T)          { hostileScenario(t, chromium(t)) }
func TestConsoleInBrowserHostileInFirefox(t *testing.T) { hostileScenario(t, firefox(t)) }

// hostileScenario sends hostile requests from another client while the
// console is open: they show, live, as text, and nothing of theirs runs
// or becomes markup.
func hostileScenario(t *testing.T, p page) {
	b := tab{t, p}
	s := startSite(t, true)
	b.navigate(s.URL + "/_sfnapic/")
	b.waitVisible(`#live:not(.off)`)
	body := `{"id": ` + jsonText(strings.Join(hostile, " ")) + `, "note": "` + strings.Repeat("x", 200_000) + `"}`
	send(t, "POST", s.URL+"/orders?q="+urlText(hostile[2]), body, map[string]string{"X-Customer": hostile[1], "Content-Type": "application/json", "X-" + "Evil": hostile[0]})
	send(t, "GET", s.URL+"/orders/"+urlText(hostile[0]+hostile[6]), "", map[string]string{"X-Customer": hostile[3]})
	b.waitReady(`#requests details.request[data-id="2"]`)
	js[bool](b, `document.querySelectorAll('details').forEach(d => d.open = true), true`)
	pwned := js[bool](b, `window.pwned !== undefined`)
	scripts := js[int](b, `document.scripts.length`)
	imgs := js[int](b, `document.querySelectorAll('img, iframe, object, embed, main svg:not(.aslgraph)').length`)
	handlers := js[int](b, `[...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length`)
	text := b.text(`#requests`)
	b.screenshot()
	if errs := js[int](b, `document.querySelectorAll('pre.error').length`); errs != 0 {
		t.Errorf("the page shows %d errors", errs)
	}
	if strings.ContainsAny(text, "\u202E\u2028\u2029") {
		t.Errorf("the page shows a bidi control or a line separator as is")
	}
	if pwned || scripts != 1 || imgs != 0 || handlers != 0 {
		t.Errorf("the page was changed by a request: pwned %v, scripts %d, images %d, event handlers %d", pwned, scripts, imgs, handlers)
	}
	for _, want := range []string{`<script>window.pwned=1</script>`, `"onmouseover="window.pwned=2" x="`, "more bytes not shown", "javascript:window.pwned=4", `bidi\u202Eexe.txt`, `line\u2028break`} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not show %q as text", want)
		}
	}
}

func send(t *testing.T, method, url, body string, header map[string]string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func jsonText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

func urlText(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
	}
	return b.String()
}
