package gateway

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// StepFunctions is what a Server calls for each request: the call's action
// (Call.Action) with the body its request template rendered (Call.Body).
// It returns Step Functions' reply as API Gateway receives it, an HTTP
// status and a JSON body, whether the reply is a success or an error. An
// error means that no reply came: the call could not be made, or ctx
// ended first.
type StepFunctions interface {
	Call(ctx context.Context, call *Call) (Reply, error)
}

// MaxBody is the largest request body API Gateway takes (10 MB); a larger
// one is refused with 413.
const MaxBody = 10 << 20

// Event is one request a Server answered, for its log.
type Event struct {
	Method, Path string // the request's verb and path
	// Route is the route that took the request, such as POST /items/{id};
	// empty when none did.
	Route  string
	Status int
	// Execution is the execution the request started or acted on, when
	// there is one.
	Execution string
	Latency   time.Duration
	// Input is the body the request template rendered and Step Functions
	// received; empty when the request was refused before.
	Input string
	// Reason says why the API answered an error of its own (a refused
	// request, a failed call), for people; empty otherwise.
	Reason string
	// Exchange is the whole request and answer, for serve's console; the
	// log prints none of it.
	Exchange
}

// Exchange is what a request sent and what it got, at each step: the
// request as received, Step Functions' reply, the answer sent, and how
// long Step Functions took. Its values are the server's own (no copies):
// a reader keeps what it needs and must not change them.
type Exchange struct {
	Query  string      // the raw query string
	Header http.Header // the request's headers
	// Body is the request's body; empty when it was refused before its
	// body was read.
	Body string
	// Action is the Step Functions action called (Input is its body), and
	// Reply its reply; nil when no call answered (a refusal, a timeout).
	Action string
	Reply  *Reply
	// ResponseBody and ResponseHeaders are the answer sent (Status its
	// status), as the response template or gateway response wrote it.
	ResponseBody    string
	ResponseHeaders map[string]string
	// CallTime is how long Step Functions (or the stand-in) took.
	CallTime time.Duration
}

// Server serves an API over HTTP as API Gateway would: it routes each
// request, checks it, renders the route's request template, calls Step
// Functions through a StepFunctions, and answers with the integration
// response (or the gateway response) that API Gateway would. It reports
// every request to its report function and prints nothing itself.
type Server struct {
	gw      atomic.Pointer[Gateway]
	backend StepFunctions
	report  func(Event)
	room    *byteBudget
}

// NewServer serves g, calling backend; report, when not nil, is called
// once per request, from the request's goroutine.
func NewServer(g *Gateway, backend StepFunctions, report func(Event)) *Server {
	s := &Server{backend: backend, report: report, room: newByteBudget(MaxInFlight)}
	s.gw.Store(g)
	return s
}

// Swap serves g from now on; requests already in flight finish on the
// gateway they began with.
func (s *Server) Swap(g *Gateway) { s.gw.Store(g) }

// Gateway is the gateway being served.
func (s *Server) Gateway() *Gateway { return s.gw.Load() }

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	began := time.Now()
	g := s.gw.Load()
	id := UUID()
	ev := Event{Method: r.Method, Path: r.URL.EscapedPath(), Exchange: Exchange{Query: r.URL.RawQuery, Header: r.Header}}
	resp, call := s.answer(r.Context(), g, r, id, &ev)
	if resp.mapped != nil { // a gateway response, which may map request values
		var pathParams map[string]string
		if call != nil {
			pathParams = call.PathParams
		}
		resp.MapRequest(Header(r.Header), r.URL.Query(), pathParams)
	}

	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-Requestid", id)
	for name, value := range resp.Headers {
		h.Set(name, value)
	}
	w.WriteHeader(resp.Status)
	_, _ = io.WriteString(w, resp.Body)

	ev.Status, ev.Latency = resp.Status, time.Since(began)
	ev.ResponseBody, ev.ResponseHeaders = resp.Body, resp.Headers
	if call != nil {
		ev.Route, ev.Input, ev.Action = call.Verb+" "+call.Path, call.Body, call.Action
		if ev.Execution == "" {
			ev.Execution = call.Request.ExecutionArn
		}
	}
	if s.report != nil {
		s.report(ev)
	}
}

// answer does what API Gateway does with a request, in its order: route,
// check, render, call, respond.
func (s *Server) answer(ctx context.Context, g *Gateway, r *http.Request, id string, ev *Event) (*Response, *Call) {
	// API Gateway's front end refuses oversized headers before anything
	// else, then an oversized body; a body is read only once there is
	// room for it.
	if rej := CheckHeaders(&Request{Header: Header(r.Header), DomainName: r.Host}); rej != nil {
		ev.Reason = rej.Reason
		return &rej.Response, nil
	}
	if r.ContentLength > MaxBody {
		return s.tooLarge(g, ev), nil
	}
	held, refused := s.reserve(ctx, g, r, ev)
	if refused != nil {
		return refused, nil
	}
	defer func() { s.room.release(*held) }()
	body, err := s.readBody(ctx, r, held)
	if errors.Is(err, errNoRoom) {
		return s.throttled(g, ev), nil
	}
	if err != nil {
		return s.refuse(g, ev, 400, "BAD_REQUEST_BODY", "Could not read the request body", err.Error()), nil
	}
	if len(body) > MaxBody {
		return s.tooLarge(g, ev), nil
	}
	ev.Body = body
	req := &Request{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: Header(r.Header.Clone()),
		Body: body, RequestID: id, SourceIP: sourceIP(r.RemoteAddr), Time: time.Now(), Protocol: r.Proto, DomainName: r.Host}
	call, err := g.Start(req)
	var rej *Rejection
	if errors.As(err, &rej) {
		ev.Reason = rej.Reason
		return &rej.Response, nil
	}
	var broken *BodyError
	if errors.As(err, &broken) {
		// API Gateway does not read what it sends: Step Functions answers.
		ev.Reason = broken.Error()
	} else if err != nil {
		// The request template failed: API Gateway answers 500 and logs
		// "Execution failed due to configuration error".
		return s.refuse(g, ev, 500, "API_CONFIGURATION_ERROR", "Internal server error", err.Error()), nil
	}
	reply, mocked := call.Mocked()
	if !mocked {
		var refused *Response
		if reply, refused = s.call(ctx, g, call, ev); refused != nil {
			return refused, call
		}
	}
	ev.Reply = &reply
	ev.Execution = ExecutionArn(reply.Body)
	if reply.Status >= 300 && !mocked {
		ev.Reason = replyError(reply)
	}
	resp, _, err := call.Respond(reply)
	if err != nil {
		return s.refuse(g, ev, 500, "API_CONFIGURATION_ERROR", "Internal server error", err.Error()), call
	}
	return resp, call
}

// call calls Step Functions within the integration's timeout; when no
// reply comes, it returns API Gateway's answer instead.
func (s *Server) call(ctx context.Context, g *Gateway, call *Call, ev *Event) (Reply, *Response) {
	cctx, cancel := context.WithTimeout(ctx, call.Timeout)
	defer cancel()
	began := time.Now()
	reply, err := s.backend.Call(cctx, call)
	ev.CallTime = time.Since(began)
	switch {
	case err != nil && cctx.Err() == context.DeadlineExceeded && ctx.Err() == nil:
		return reply, s.refuse(g, ev, 504, "INTEGRATION_TIMEOUT", "Endpoint request timed out", fmt.Sprintf("Step Functions did not answer %s within %s", call.Action, call.Timeout))
	case err != nil:
		return reply, s.refuse(g, ev, 504, "INTEGRATION_FAILURE", "Internal server error", fmt.Sprintf("%s: %v", call.Action, err))
	}
	return reply, nil
}

// refuse answers with a gateway response, as API Gateway answers what it
// refuses or what fails on its side.
func (s *Server) refuse(g *Gateway, ev *Event, status int, typ, message, reason string) *Response {
	ev.Reason = reason
	return &g.answer(reject(status, typ, message, reason)).Response
}

// ExecutionArn is the execution a reply names (a start's answer, or the
// reply of a start route), if any.
func ExecutionArn(body []byte) string {
	if !strings.Contains(string(body), `"executionArn"`) {
		return ""
	}
	var v struct {
		ExecutionArn string `json:"executionArn"`
	}
	_ = json.Unmarshal(body, &v)
	return v.ExecutionArn
}

// replyError says what Step Functions' error reply was, for the log:
// "Step Functions: 400 ExecutionDoesNotExist: Execution Does Not Exist: '...'".
func replyError(reply Reply) string {
	var v struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(reply.Body, &v)
	name := v.Type[strings.LastIndexByte(v.Type, '#')+1:]
	out := fmt.Sprintf("Step Functions: %d", reply.Status)
	if name != "" {
		out += " " + name
	}
	if v.Message != "" {
		out += ": " + v.Message
	}
	return out
}

// sourceIP is the address of the caller, without its port.
func sourceIP(remote string) string {
	if host, _, err := net.SplitHostPort(remote); err == nil {
		return host
	}
	return remote
}

// UUID is a random (version 4) UUID, as API Gateway's request ids are.
func UUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
