package console_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/coder/websocket"
)

// bidi is a WebDriver BiDi session (W3C WebDriver BiDi; Firefox serves
// it itself at ws://HOST:PORT/session when started with
// --remote-debugging-port) on one browsing context. It sends one command
// at a time and reads until that command's answer, skipping events (none
// are subscribed). Every exchange is bounded by step and by the test's
// context.
type bidi struct {
	ctx  context.Context
	conn *websocket.Conn
	id   int
	tab  string // the browsing context the page commands act on
}

// bidiStep bounds one command, and one wait for an element.
const bidiStep = 30 * time.Second

// dialBiDi opens a session on the browser listening at ws and takes its
// first top-level browsing context (the window Firefox opens at start).
func dialBiDi(ctx context.Context, ws string) (*bidi, error) {
	dctx, cancel := context.WithTimeout(ctx, bidiStep)
	defer cancel()
	conn, _, err := websocket.Dial(dctx, ws+"/session", nil)
	if err != nil {
		return nil, fmt.Errorf("connect to Firefox's WebDriver BiDi at %s/session: %w", ws, err)
	}
	// A full-page screenshot or the hostile page's text is megabytes; the
	// library's default read limit is 32 KiB.
	conn.SetReadLimit(256 << 20)
	b := &bidi{ctx: ctx, conn: conn}
	if err := b.call("session.new", map[string]any{"capabilities": map[string]any{}}, nil); err != nil {
		conn.CloseNow()
		return nil, err
	}
	var tree struct {
		Contexts []struct{ Context string } `json:"contexts"`
	}
	if err := b.call("browsingContext.getTree", map[string]any{"maxDepth": 0}, &tree); err != nil || len(tree.Contexts) == 0 {
		conn.CloseNow()
		return nil, fmt.Errorf("browsingContext.getTree: no browsing context (%v)", err)
	}
	b.tab = tree.Contexts[0].Context
	return b, nil
}

// call sends a command and decodes its result into result (unless nil).
func (b *bidi) call(method string, params, result any) error {
	b.id++
	msg, err := json.Marshal(map[string]any{"id": b.id, "method": method, "params": params})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(b.ctx, bidiStep)
	defer cancel()
	if err := b.conn.Write(ctx, websocket.MessageText, msg); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	for {
		_, data, err := b.conn.Read(ctx)
		if err != nil {
			return fmt.Errorf("%s: no answer: %w", method, err)
		}
		var r struct {
			Type    string          `json:"type"`
			ID      int             `json:"id"`
			Error   string          `json:"error"`
			Message string          `json:"message"`
			Result  json.RawMessage `json:"result"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			return fmt.Errorf("%s: %w", method, err)
		}
		switch {
		case r.Type == "event" || r.ID != b.id:
			continue
		case r.Type == "error":
			return fmt.Errorf("%s: %s: %s", method, r.Error, r.Message)
		case result == nil:
			return nil
		}
		return json.Unmarshal(r.Result, result)
	}
}

// remoteValue is BiDi's serialized script value (script.RemoteValue): a
// type, a value for primitives, a sharedId for DOM nodes.
type remoteValue struct {
	Type     string          `json:"type"`
	Value    json.RawMessage `json:"value"`
	SharedID string          `json:"sharedId"`
}

// callFunction calls a JavaScript function in the page with string
// arguments (script.callFunction) and returns its value; a thrown
// exception is an error.
func (b *bidi) callFunction(fn string, args ...string) (remoteValue, error) {
	local := make([]map[string]string, len(args))
	for i, a := range args {
		local[i] = map[string]string{"type": "string", "value": a}
	}
	var r struct {
		Type      string      `json:"type"`
		Result    remoteValue `json:"result"`
		Exception struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	err := b.call("script.callFunction", map[string]any{"functionDeclaration": fn, "arguments": local,
		"target": map[string]string{"context": b.tab}, "awaitPromise": false,
		"serializationOptions": map[string]any{"maxDomDepth": 0}}, &r)
	if err == nil && r.Type == "exception" {
		err = errors.New(r.Exception.Text)
	}
	return r.Result, err
}

// json calls fn and returns its value as JSON (JSON.stringify in the
// page, as chromedp's Evaluate returns values by value).
func (b *bidi) json(fn string, args ...string) ([]byte, error) {
	v, err := b.callFunction(`(...a) => JSON.stringify((`+fn+`)(...a))`, args...)
	if err != nil {
		return nil, err
	}
	var s string
	if v.Type != "string" || json.Unmarshal(v.Value, &s) != nil {
		return nil, fmt.Errorf("the script gave %s, not a JSON value", v.Type)
	}
	return []byte(s), nil
}
