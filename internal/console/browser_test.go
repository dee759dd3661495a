package console_test

import (
	"context"
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

// browser starts a headless Chromium for a test, or skips the test when
// none is installed (apt-get install chromium); CI installs it and
// requires these tests to pass (.ci/run).
func browser(t *testing.T) context.Context {
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
	return ctx
}

// screenshot keeps a picture of the page under $SFNAPIC_ARTIFACTS (else
// _artifacts/ at the module's root, which git ignores), named after the
// test.
func screenshot(t *testing.T, ctx context.Context) {
	t.Helper()
	dir := os.Getenv("SFNAPIC_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(filepath.Dir(golden.Root()), "_artifacts")
	}
	dir = filepath.Join(dir, "console")
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
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

// TestConsoleInBrowserForm opens the console, sends an order from the
// route's form, and sees the request API Gateway would send to Step
// Functions, then the execution's path on its machine's graph.
func TestConsoleInBrowserForm(t *testing.T) {
	ctx := browser(t)
	s := startSite(t, false)
	form := `form[data-route="POST /orders"]`
	do(t, ctx, chromedp.Navigate(s.URL+"/_sfnapic/"), chromedp.WaitReady(chromedp.CSS(form)))
	js[bool](t, ctx, `document.querySelector('`+form+`').closest('details').open = true`)
	do(t, ctx, chromedp.SetValue(chromedp.CSS(form+` textarea[name=body]`), `{"id": "o-1", "items": [{"sku": "it's \"x\"", "qty": 2}]}`),
		chromedp.Click(chromedp.CSS(form+` button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(form+` .result .status-2`)),
		chromedp.WaitReady(chromedp.CSS(`#requests details.request`)))
	js[bool](t, ctx, `document.querySelector('#requests details.request').open = true`)
	integration := run(t, ctx, chromedp.Text(chromedp.CSS(`#requests details.request pre.integration`)))
	do(t, ctx, chromedp.Click(chromedp.CSS(`#requests details.request .execution-link`)),
		chromedp.WaitVisible(chromedp.CSS(`#graph svg g.state.visited[data-state="Ship"]`)))
	if errs := js[int](t, ctx, `document.querySelectorAll('pre.error').length`); errs != 0 {
		t.Errorf("the page shows %d errors", errs)
	}
	visited := js[[]string](t, ctx, `[...document.querySelectorAll('#graph svg g.state.visited')].map(g => g.dataset.state)`)
	screenshot(t, ctx)
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

// TestConsoleInBrowserHostile sends hostile requests from another client
// while the console is open: they show, live, as text, and nothing of
// theirs runs or becomes markup.
func TestConsoleInBrowserHostile(t *testing.T) {
	ctx := browser(t)
	s := startSite(t, true)
	do(t, ctx, chromedp.Navigate(s.URL+"/_sfnapic/"), chromedp.WaitVisible(chromedp.CSS(`#live:not(.off)`)))
	body := `{"id": ` + jsonText(strings.Join(hostile, " ")) + `, "note": "` + strings.Repeat("x", 200_000) + `"}`
	send(t, "POST", s.URL+"/orders?q="+urlText(hostile[2]), body, map[string]string{"X-Customer": hostile[1], "Content-Type": "application/json", "X-" + "Evil": hostile[0]})
	send(t, "GET", s.URL+"/orders/"+urlText(hostile[0]+hostile[6]), "", map[string]string{"X-Customer": hostile[3]})
	do(t, ctx, chromedp.WaitReady(chromedp.CSS(`#requests details.request[data-id="2"]`)))
	js[bool](t, ctx, `document.querySelectorAll('details').forEach(d => d.open = true), true`)
	pwned := js[bool](t, ctx, `window.pwned !== undefined`)
	scripts := js[int](t, ctx, `document.scripts.length`)
	imgs := js[int](t, ctx, `document.querySelectorAll('img, iframe, object, embed, main svg:not(.aslgraph)').length`)
	handlers := js[int](t, ctx, `[...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length`)
	text := run(t, ctx, chromedp.Text(chromedp.CSS(`#requests`)))
	screenshot(t, ctx)
	if errs := js[int](t, ctx, `document.querySelectorAll('pre.error').length`); errs != 0 {
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

// do runs browser actions, and fails the test (with a screenshot) at the
// first that fails.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	run(t, ctx, chromedp.Steps(steps...))
}

func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		screenshot(t, ctx)
		t.Fatal(err)
	}
	return v
}

func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	return run(t, ctx, chromedp.Evaluate[T](expr))
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
