// Package console is serve's local test console: a web page, on serve's
// own listener under /_sfnapic/, that lists the API's routes with a form
// for each, shows every request the API answers (from the form or any
// client) step by step — the request as received, the integration
// request API Gateway would send to Step Functions, Step Functions'
// reply, the answer and its status, the timings — with the executions
// they started, and draws each state machine (internal/aslgraph) with an
// execution's path on it. It updates live over server-sent events.
//
// Requests are hostile, so the page is static: its script builds the
// DOM with textContent only, the values come as JSON, and a strict
// Content-Security-Policy (no inline script or style) backs that up. It
// answers loopback names only and refuses other sites' requests, and it
// changes nothing: a form's request goes to the API itself, through the
// page's same-origin fetch and the API's own guard. It keeps the last
// MaxRecords requests and MaxExecutions executions, and cuts each value
// it shows at MaxValue bytes.
package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sfnapic/sfnapic/gateway"
)

// Prefix is where the console is served; no route of the API may be
// under it (Mountable).
const Prefix = "/_sfnapic/"

// Bounds on what the console keeps, so that a long serve does not grow.
const (
	MaxRecords    = 100
	MaxExecutions = 200
	MaxValue      = 16 << 10
	maxHeaderList = 4 * MaxValue // the bytes of one record's headers
	maxClients    = 16           // live pages at once
)

// Record is one request the API answered, as the page shows it.
type Record struct {
	ID       int64      `json:"id"`
	Time     string     `json:"time"`
	Method   string     `json:"method"`
	Path     string     `json:"path"`
	Query    string     `json:"query"`
	Header   [][]string `json:"header"` // name, value; sorted
	Body     string     `json:"body"`
	Route    string     `json:"route"`
	Action   string     `json:"action"`
	Input    string     `json:"integrationRequest"`
	Reply    *Reply     `json:"reply"`
	Status   int        `json:"status"`
	Response string     `json:"response"`
	RespHdr  [][]string `json:"responseHeader"`
	Exec     string     `json:"execution"`
	Reason   string     `json:"reason"`
	Latency  float64    `json:"latencyMs"`
	CallTime float64    `json:"callMs"`
}

// Reply is Step Functions' reply to a request's call.
type Reply struct {
	Status int    `json:"status"`
	Body   string `json:"body"`
}

// seenExecution is an execution a request started or acted on.
type seenExecution struct {
	ARN   string `json:"arn"`
	Route string `json:"route"`
	Time  string `json:"time"`
}

// Console keeps what the page shows and serves it. Its zero value is not
// usable; call New.
type Console struct {
	gateway func() *gateway.Gateway
	source  Source

	mu         sync.Mutex
	next       int64
	records    []*Record // oldest first, at most MaxRecords
	executions []seenExecution
	clients    map[chan []byte]bool
	done       chan struct{}
	closeOnce  sync.Once
}

// Close ends the live streams, so that a stop need not wait for the
// pages that are open (http.Server.RegisterOnShutdown).
func (c *Console) Close() { c.closeOnce.Do(func() { close(c.done) }) }

// New is a console for the gateway that gw returns (serve swaps it on a
// reload), describing executions through source (nil: none).
func New(gw func() *gateway.Gateway, source Source) *Console {
	return &Console{gateway: gw, source: source, clients: map[chan []byte]bool{}, done: make(chan struct{})}
}

// Record keeps one request's event and sends it to the live pages. It
// copies what it keeps (cut to MaxValue), as the event's values are the
// server's: call it from the request's goroutine, as gateway.Server's
// report is.
func (c *Console) Record(ev gateway.Event) {
	sec := c.secretsOf(ev.Route)
	r := &Record{Time: time.Now().UTC().Format(time.RFC3339Nano), Method: capped(ev.Method), Path: capped(ev.Path),
		Query: capped(sec.hideQuery(ev.Query)), Header: headerList(ev.Header, sec), Body: capped(ev.Body), Route: ev.Route, Action: ev.Action,
		Input: capped(ev.Input), Status: ev.Status, Response: capped(ev.ResponseBody), RespHdr: mapList(ev.ResponseHeaders, sec),
		Exec: capped(ev.Execution), Reason: capped(ev.Reason), Latency: ms(ev.Latency), CallTime: ms(ev.CallTime)}
	if ev.Reply != nil {
		r.Reply = &Reply{Status: ev.Reply.Status, Body: capped(string(ev.Reply.Body))}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next++
	r.ID = c.next
	c.records = append(c.records, r)
	if len(c.records) > MaxRecords {
		c.records = append([]*Record(nil), c.records[len(c.records)-MaxRecords:]...)
	}
	if ev.Execution != "" && len(ev.Execution) <= 2048 {
		c.executions = append(c.executions, seenExecution{ARN: ev.Execution, Route: ev.Route, Time: r.Time})
		if len(c.executions) > MaxExecutions {
			c.executions = append([]seenExecution(nil), c.executions[len(c.executions)-MaxExecutions:]...)
		}
	}
	c.broadcast(r)
}

// broadcast sends a record to every live page; a page too slow to take
// it misses it (it reloads the list when it sees a gap). The caller
// holds c.mu.
func (c *Console) broadcast(r *Record) {
	b, err := json.Marshal(r)
	if err != nil {
		return
	}
	for ch := range c.clients {
		select {
		case ch <- b:
		default:
		}
	}
}

// subscribe adds a live page, or returns nil when there are maxClients.
func (c *Console) subscribe() chan []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.clients) >= maxClients {
		return nil
	}
	ch := make(chan []byte, 64)
	c.clients[ch] = true
	return ch
}

func (c *Console) unsubscribe(ch chan []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.clients, ch)
}

// capped cuts a value to MaxValue bytes, at a character's start, and
// says how much it left out.
func capped(s string) string {
	if len(s) <= MaxValue {
		return s
	}
	cut := MaxValue
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d more bytes not shown)", len(s)-cut)
}

// headerList is a request's headers as sorted name, value pairs, secrets
// hidden (secrets.go).
func headerList(h http.Header, sec secretNames) [][]string {
	var out [][]string
	size, left := 0, 0
	for _, name := range sortedKeys(h) {
		for _, v := range h[name] {
			if canon := http.CanonicalHeaderKey(name); sec.header[canon] {
				v = hidden(canon, v)
			}
			if size += len(name) + len(v); size > maxHeaderList {
				left++
				continue
			}
			out = append(out, []string{capped(name), capped(v)})
		}
	}
	sortPairs(out)
	if left > 0 {
		out = append(out, []string{"…", fmt.Sprintf("%d more headers not shown", left)})
	}
	return out
}

func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func mapList(m map[string]string, sec secretNames) [][]string {
	var out [][]string
	for k, v := range m {
		if canon := http.CanonicalHeaderKey(k); sec.header[canon] {
			v = hidden(canon, v)
		}
		out = append(out, []string{capped(k), capped(v)})
	}
	sortPairs(out)
	return out
}

func sortPairs(p [][]string) {
	sort.Slice(p, func(i, j int) bool {
		if !strings.EqualFold(p[i][0], p[j][0]) {
			return strings.ToLower(p[i][0]) < strings.ToLower(p[j][0])
		}
		return p[i][1] < p[j][1]
	})
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
