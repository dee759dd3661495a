// Package apigwfake is an API Gateway fake for tests of test-invoke: it
// speaks API Gateway's REST-JSON protocol on loopback, so the real
// aws-sdk-go-v2 client talks to it, and answers GetResources (the API's
// resources and their paths), TestInvokeMethod (the console's Test
// button, whose answer the test decides) and GetApiKey (a key's value,
// only when asked with includeValue, as API Gateway gives it). moto has
// no TestInvokeMethod.
package apigwfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
)

// Invocation is a TestInvokeMethod request, as the fake received it.
type Invocation struct {
	RestAPIID, ResourceID, Method string
	PathWithQueryString           string            `json:"pathWithQueryString"`
	Body                          string            `json:"body"`
	Headers                       map[string]string `json:"headers"`
}

// Result is TestInvokeMethod's answer.
type Result struct {
	Status  int               `json:"status"`
	Body    string            `json:"body"`
	Headers map[string]string `json:"headers"`
	Latency int64             `json:"latency"`
	Log     string            `json:"log"`
}

// Server is a running fake.
type Server struct {
	URL string

	srv *httptest.Server
	// Resources are the API's resources: path -> id.
	resources map[string]string
	invoke    func(Invocation) Result

	mu    sync.Mutex
	calls []Invocation
	keys  map[string]APIKey
	reads []KeyRead
}

// APIKey is an API key the fake holds.
type APIKey struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Value string `json:"value,omitempty"`
}

// KeyRead is a GetApiKey request, as the fake received it.
type KeyRead struct {
	ID           string
	IncludeValue bool
}

// Start runs a fake of the API restAPIID with these resources (path ->
// id), answering TestInvokeMethod with invoke.
func Start(restAPIID string, resources map[string]string, invoke func(Invocation) Result) *Server {
	s := &Server{resources: resources, invoke: invoke}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /restapis/{api}/resources", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("api") != restAPIID {
			notFound(w, "Invalid API identifier specified")
			return
		}
		paths := make([]string, 0, len(s.resources))
		for p := range s.resources {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		var items []map[string]string
		for _, p := range paths {
			items = append(items, map[string]string{"id": s.resources[p], "path": p})
		}
		writeJSON(w, http.StatusOK, map[string]any{"item": items})
	})
	mux.HandleFunc("POST /restapis/{api}/resources/{resource}/methods/{method}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("api") != restAPIID {
			notFound(w, "Invalid API identifier specified")
			return
		}
		in := Invocation{RestAPIID: r.PathValue("api"), ResourceID: r.PathValue("resource"), Method: r.PathValue("method")}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
		if err := json.Unmarshal(body, &in); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "the request is not JSON"})
			return
		}
		known := false
		for _, id := range s.resources {
			known = known || id == in.ResourceID
		}
		if !known {
			notFound(w, "Invalid Resource identifier specified")
			return
		}
		s.mu.Lock()
		s.calls = append(s.calls, in)
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, s.invoke(in))
	})
	mux.HandleFunc("GET /apikeys/{key}", s.getAPIKey)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	return s
}

// AddKey makes an API key known to GetApiKey.
func (s *Server) AddKey(k APIKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys == nil {
		s.keys = map[string]APIKey{}
	}
	s.keys[k.ID] = k
}

// KeyReads returns the GetApiKey requests received, in order.
func (s *Server) KeyReads() []KeyRead {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]KeyRead(nil), s.reads...)
}

// getAPIKey answers GetApiKey: the key, with its value only when the
// request says includeValue=true (API Gateway's "GetApiKey").
func (s *Server) getAPIKey(w http.ResponseWriter, r *http.Request) {
	include := r.URL.Query().Get("includeValue") == "true"
	s.mu.Lock()
	s.reads = append(s.reads, KeyRead{ID: r.PathValue("key"), IncludeValue: include})
	k, ok := s.keys[r.PathValue("key")]
	s.mu.Unlock()
	if !ok {
		notFound(w, "Invalid API Key identifier specified")
		return
	}
	answer := map[string]any{"id": k.ID, "name": k.Name, "enabled": true}
	if include {
		answer["value"] = k.Value
	}
	writeJSON(w, http.StatusOK, answer)
}

// Close stops the fake.
func (s *Server) Close() { s.srv.Close() }

// Calls returns the TestInvokeMethod requests received, in order.
func (s *Server) Calls() []Invocation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Invocation(nil), s.calls...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func notFound(w http.ResponseWriter, message string) {
	w.Header().Set("X-Amzn-Errortype", "NotFoundException")
	writeJSON(w, http.StatusNotFound, map[string]string{"message": message})
}
