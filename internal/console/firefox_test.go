package console_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"
)

// firefoxPrefs keep a throwaway profile quiet and offline: no first-run
// pages, default-browser check, updates or telemetry. Firefox's remote
// agent sets its own recommended preferences on top (remote.prefs.recommended).
const firefoxPrefs = `user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("browser.startup.page", 0);
user_pref("app.update.disabledForTesting", true);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
user_pref("browser.aboutwelcome.enabled", false);
`

// firefox starts a headless Firefox (Debian's firefox-esr) on a fresh
// profile and drives it over WebDriver BiDi, or skips the test when none
// is installed (apt-get install firefox-esr); CI installs it and requires
// these tests to pass (.ci/run). The browser (its whole process group) is
// killed when the test ends, then its profile removed.
func firefox(t *testing.T) page {
	t.Helper()
	path := ""
	for _, name := range []string{"firefox-esr", "firefox"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("no Firefox on PATH (apt-get install firefox-esr): the console's Firefox tests need one")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	profile := t.TempDir() // removed after the cleanup below has killed Firefox
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(firefoxPrefs), 0o644); err != nil {
		t.Fatal(err)
	}
	log := &firefoxLog{url: make(chan string, 1)}
	ws, err := startFirefox(t, ctx, path, profile, log)
	if err != nil {
		t.Fatalf("%v\nFirefox said:\n%s", err, log.String())
	}
	b, err := dialBiDi(ctx, ws)
	if err != nil {
		t.Fatalf("%v\nFirefox said:\n%s", err, log.String())
	}
	t.Cleanup(func() { b.conn.CloseNow() })
	viewport := map[string]any{"context": b.tab, "viewport": map[string]int{"width": 1400, "height": 1000}}
	if err := b.call("browsingContext.setViewport", viewport, nil); err != nil {
		t.Fatal(err)
	}
	return firefoxPage{b}
}

// startFirefox starts Firefox with its WebDriver BiDi server on a port of
// its choosing (0), and returns the address it prints on stderr.
func startFirefox(t *testing.T, ctx context.Context, path, profile string, log *firefoxLog) (string, error) {
	cmd := exec.Command(path, "--headless", "--no-remote", "--remote-debugging-port=0", "--profile", profile)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Env = append(os.Environ(), "MOZ_CRASHREPORTER_DISABLE=1")
	// Its own process group, so that the content processes it starts are
	// killed with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start %s: %w", path, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			t.Errorf("Firefox (process group %d) did not exit after SIGKILL", cmd.Process.Pid)
		}
	})
	select {
	case ws := <-log.url:
		return ws, nil
	case <-exited:
		return "", fmt.Errorf("%s exited before serving WebDriver BiDi (%v)", path, cmd.ProcessState)
	case <-ctx.Done():
		return "", fmt.Errorf("%s did not serve WebDriver BiDi in time", path)
	}
}

// firefoxLog keeps what Firefox prints (the first MiB, for failures) and
// sends the WebDriver BiDi address once it has printed it.
type firefoxLog struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	url  chan string
	sent bool
}

var bidiListening = regexp.MustCompile(`WebDriver BiDi listening on (ws://\S+)\r?\n`)

func (l *firefoxLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buf.Len() < 1<<20 {
		l.buf.Write(p)
	}
	if m := bidiListening.FindSubmatch(l.buf.Bytes()); m != nil && !l.sent {
		l.sent = true
		l.url <- string(m[1])
	}
	return len(p), nil
}

func (l *firefoxLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// firefoxPage drives Firefox over WebDriver BiDi. Like chromedp's
// queries, the element commands wait for their element first.
type firefoxPage struct{ b *bidi }

func (f firefoxPage) Navigate(url string) error {
	return f.b.call("browsingContext.navigate", map[string]string{"context": f.b.tab, "url": url, "wait": "complete"}, nil)
}

func (f firefoxPage) WaitReady(css string) error {
	return f.wait(css, `css => document.querySelector(css) !== null`)
}

// WaitVisible waits for a box, as chromedp's NodeVisible does.
func (f firefoxPage) WaitVisible(css string) error {
	return f.wait(css, `css => { const e = document.querySelector(css);
		return e !== null && (e.offsetWidth > 0 || e.offsetHeight > 0 || e.getClientRects().length > 0); }`)
}

// wait polls the predicate until it holds, for bidiStep at most.
func (f firefoxPage) wait(css, predicate string) error {
	deadline := time.Now().Add(bidiStep)
	for {
		v, err := f.b.json(predicate, css)
		if err != nil || string(v) == "true" {
			return err
		}
		if time.Now().After(deadline) || f.b.ctx.Err() != nil {
			return fmt.Errorf("waited %v for %s", bidiStep, css)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (f firefoxPage) SetValue(css, value string) error {
	if err := f.WaitReady(css); err != nil {
		return err
	}
	_, err := f.b.json(`(css, v) => { document.querySelector(css).value = v; return true; }`, css, value)
	return err
}

// Click moves the mouse to the element's centre and presses its button
// (input.performActions with the element as the origin), as a user and
// chromedp's Click do, so that a covered or hidden element fails.
func (f firefoxPage) Click(css string) error {
	if err := f.WaitVisible(css); err != nil {
		return err
	}
	el, err := f.b.callFunction(`css => { const e = document.querySelector(css); e.scrollIntoView({block: "center"}); return e; }`, css)
	if err != nil || el.SharedID == "" {
		return fmt.Errorf("click %s: no element reference (%v)", css, err)
	}
	origin := map[string]any{"type": "element", "element": map[string]string{"sharedId": el.SharedID}}
	mouse := map[string]any{"type": "pointer", "id": "mouse", "parameters": map[string]string{"pointerType": "mouse"},
		"actions": []map[string]any{{"type": "pointerMove", "x": 0, "y": 0, "origin": origin},
			{"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}}}
	return f.b.call("input.performActions", map[string]any{"context": f.b.tab, "actions": []any{mouse}}, nil)
}

func (f firefoxPage) Text(css string) (string, error) {
	if err := f.WaitReady(css); err != nil {
		return "", err
	}
	v, err := f.b.json(`css => document.querySelector(css).innerText`, css)
	var s string
	if err == nil {
		err = json.Unmarshal(v, &s)
	}
	return s, err
}

func (f firefoxPage) Eval(expr string) ([]byte, error) { return f.b.json(`() => (` + expr + `)`) }

// Screenshot captures the whole document, not only the viewport, as
// chromedp's FullScreenshot does.
func (f firefoxPage) Screenshot() ([]byte, error) {
	var shot struct {
		Data string `json:"data"`
	}
	if err := f.b.call("browsingContext.captureScreenshot", map[string]string{"context": f.b.tab, "origin": "document"}, &shot); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(shot.Data)
}
