// Package sfnfake is a Step Functions fake for tests. It speaks the AWS
// JSON 1.0 protocol on loopback, as Step Functions does: a POST whose
// X-Amz-Target header names the action (AWSStepFunctions.StartSyncExecution),
// a JSON body, and a JSON reply, or an error as {"__type": ..., "message":
// ...} with a 4xx or 5xx status. The real aws-sdk-go-v2 client talks to
// it, and so can anything that posts what an API Gateway request template
// rendered. Replies are scripted per action; every request is recorded.
package sfnfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/sfnapic/sfnapic/gateway"
)

// Reply is one scripted answer: an HTTP status and a JSON body.
type Reply struct {
	Status int
	Body   any
	// Delay holds the reply back, as a slow service would.
	Delay time.Duration
}

// Error is the reply of a Step Functions error, in the wire format: the
// type's full name, as Step Functions writes it, and a message.
func Error(status int, name, message string) Reply {
	r := gateway.ErrorReply(status, gateway.ModelError, name, message)
	return Reply{Status: r.Status, Body: r.Body}
}

// Request is one request the fake received.
type Request struct {
	Action string // such as StartSyncExecution
	Body   []byte
}

// Server is a running fake.
type Server struct {
	URL string

	srv      *httptest.Server
	mu       sync.Mutex
	replies  map[string]Reply
	requests []Request
	model    *model // what the fake keeps, once Stateful
}

// Start runs a fake on loopback until Close.
func Start() *Server {
	s := &Server{replies: map[string]Reply{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the fake.
func (s *Server) Close() { s.srv.Close() }

// Script sets the reply to an action until the next Script for it.
// Unscripted actions answer 200 with {}, or as the model of Stateful
// answers.
func (s *Server) Script(action string, r Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies[action] = r
}

// Creates scripts CreateStateMachine to answer with the ARN arn, as
// serve --create needs.
func (s *Server) Creates(arn string) {
	s.Script("CreateStateMachine", Reply{Status: 200, Body: map[string]any{"stateMachineArn": arn, "creationDate": 1.7e9}})
}

// Requests returns what the fake received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	action, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "AWSStepFunctions.")
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	if r.Method != http.MethodPost || !ok {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(gateway.ErrorReply(0, gateway.ServiceError, "UnknownOperationException", "not a Step Functions action").Body)
		return
	}
	if !json.Valid(body) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(gateway.ErrorReply(0, gateway.ServiceError, "SerializationException", "the body is not JSON").Body)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Action: action, Body: body})
	reply, scripted := s.replies[action]
	if !scripted {
		reply = Reply{Status: http.StatusOK, Body: map[string]any{}}
		if s.model != nil {
			if answer, kept := s.model.answer(action, signedRegion(r), body); kept {
				reply = answer
			}
		}
	}
	s.mu.Unlock()
	if reply.Delay > 0 {
		select {
		case <-time.After(reply.Delay):
		case <-r.Context().Done():
			return
		}
	}
	w.WriteHeader(reply.Status)
	_ = json.NewEncoder(w).Encode(reply.Body)
}

// signedRegion is the region a request was signed for (the credential
// scope of its SigV4 Authorization header), or us-east-1.
func signedRegion(r *http.Request) string {
	_, scope, _ := strings.Cut(r.Header.Get("Authorization"), "Credential=")
	if parts := strings.Split(scope, "/"); len(parts) >= 3 && parts[2] != "" {
		return parts[2]
	}
	return "us-east-1"
}
