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

	"github.com/sfnapic/sfnapic/gateway"
)

// Prefix is where the console is served; no route of the API may be
// under it (Mountable).
const Prefix = "/_sfnapic/"

// Bounds on what the console keeps, so that a long serve does not grow.
const (
	MaxRecords    = 100
	MaxExecutions = 200
	MaxValue      = 16 << 10     // bytes of JSON of one value
	MaxRecordJSON = 4 * MaxValue // of one record's values (bounds.go)
	maxHeaderList = 2 * MaxValue // of one record's headers
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
	// Cut says that the record's values were cut further to fit
	// MaxRecordJSON; empty when they were not.
	Cut string `json:"cut,omitempty"`
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
// copies what it keeps (cut to MaxValue, and the record to
// MaxRecordJSON), as the event's values are the server's: call it from
// the request's goroutine, as gateway.Server's report is.
func (c *Console) Record(ev gateway.Event) {
	sec := c.secretsOf(ev.Route)
	r := &Record{Time: time.Now().UTC().Format(time.RFC3339Nano), Method: capped(ev.Method), Path: capped(ev.Path),
		Query: capped(sec.hideQuery(ev.Query)), Header: headerList(ev.Header, sec), Body: capped(ev.Body), Route: ev.Route, Action: ev.Action,
		Input: capped(ev.Input), Status: ev.Status, Response: capped(ev.ResponseBody), RespHdr: mapList(ev.ResponseHeaders, sec),
		Exec: capped(ev.Execution), Reason: capped(ev.Reason), Latency: ms(ev.Latency), CallTime: ms(ev.CallTime)}
	if ev.Reply != nil {
		r.Reply = &Reply{Status: ev.Reply.Status, Body: capped(string(ev.Reply.Body))}
	}
	fitRecord(r)
	if c.keep(r, ev) {
		c.broadcast(r)
	}
}

// keep adds a record (and the execution it names) to those kept, and
// tells whether a page listens.
func (c *Console) keep(r *Record, ev gateway.Event) (listened bool) {
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
	return len(c.clients) > 0
}

// broadcast sends a record to every live page; a page too slow to take
// it misses it (it reloads the list when it sees a gap). The record is
// encoded outside c.mu (it no longer changes once kept), so that other
// requests and pages do not wait for it.
func (c *Console) broadcast(r *Record) {
	b, err := json.Marshal(r)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
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

// headerList is a request's headers as sorted name, value pairs, secrets
// hidden (secrets.go).
func headerList(h http.Header, sec secretNames) [][]string {
	var out [][]string
	size, left := 0, 0
	for _, key := range sortedKeys(h) {
		for _, v := range h[key] {
			if canon := http.CanonicalHeaderKey(key); sec.header[canon] {
				v = hidden(canon, v)
			}
			name, v := capped(key), capped(v)
			if size += jsonLen(name) + jsonLen(v) + pairOverhead; size > maxHeaderList {
				left++
				continue
			}
			out = append(out, []string{name, v})
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

// mapList is the answer's headers as headerList lists a request's.
func mapList(m map[string]string, sec secretNames) [][]string {
	h := make(http.Header, len(m))
	for k, v := range m {
		h[k] = []string{v}
	}
	return headerList(h, sec)
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
