package console_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/console"
	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/internal/sfncall"
	"github.com/sfnapic/sfnapic/internal/sfnfake"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

// orderArn is the execution the fake's StartExecution names.
const orderArn = "arn:aws:states:us-east-1:123456789012:execution:StateMachineOrders:o-1"

// site is an API served as serve serves it, with its console: the
// console under its prefix, everything else through the API's guard.
type site struct {
	URL     string
	console *console.Console
	fake    *sfnfake.Server
}

// ordersGateway serves golden/orders-open's template.
func ordersGateway(t testing.TB, file string) *gateway.Gateway {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(golden.Root(), file, "template.json"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := cfn.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gateway.New(tpl)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// startSite serves golden/orders-open with Step Functions' fake behind
// it (the real SDK client, as an emulator would be called), scripted so
// that an order's execution went AskManager, then Ship; or with the mock
// when mock is set.
func startSite(t *testing.T, mock bool) *site {
	t.Helper()
	g := ordersGateway(t, "orders-open")
	s := &site{}
	var backend gateway.StepFunctions
	var source console.Source
	if mock {
		m := sfnmock.New(nil)
		backend, source = m, console.BackendSource{Backend: m}
	} else {
		s.fake = sfnfake.Start()
		t.Cleanup(s.fake.Close)
		scriptOrder(s.fake)
		client := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.fake.URL), Credentials: aws.AnonymousCredentials{}}, sfncall.NoHostPrefix)
		backend, source = sfncall.New(client), console.SDKSource{Client: client}
	}
	var srv *gateway.Server
	s.console = console.New(func() *gateway.Gateway { return srv.Gateway() }, source)
	srv = gateway.NewServer(g, backend, s.console.Record)
	api := srv.Guard(true)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, console.Prefix) {
			s.console.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	}))
	hs.Config.RegisterOnShutdown(s.console.Close)
	t.Cleanup(func() { s.console.Close(); hs.Close() })
	s.URL = hs.URL
	return s
}

// scriptOrder scripts the fake: a start, its description, and a history
// through AskManager and Ship.
func scriptOrder(f *sfnfake.Server) {
	f.Script("StartExecution", sfnfake.Reply{Status: 200, Body: map[string]any{"executionArn": orderArn, "startDate": 1.7e9}})
	f.Script("DescribeExecution", sfnfake.Reply{Status: 200, Body: map[string]any{"executionArn": orderArn,
		"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachineOrders", "name": "o-1",
		"status": "SUCCEEDED", "startDate": 1.7e9, "stopDate": 1.7e9 + 1, "input": `{"order":{"id":"o-1"}}`, "output": `{"shipped":true}`}})
	events := []map[string]any{{"id": 1, "type": "ExecutionStarted", "timestamp": 1.7e9}}
	for i, st := range [][2]string{{"Task", "AskManager"}, {"Pass", "Ship"}} {
		events = append(events,
			map[string]any{"id": 2*i + 2, "type": st[0] + "StateEntered", "timestamp": 1.7e9, "stateEnteredEventDetails": map[string]any{"name": st[1]}},
			map[string]any{"id": 2*i + 3, "type": st[0] + "StateExited", "timestamp": 1.7e9, "stateExitedEventDetails": map[string]any{"name": st[1]}})
	}
	events = append(events, map[string]any{"id": 6, "type": "ExecutionSucceeded", "timestamp": 1.7e9 + 1})
	f.Script("GetExecutionHistory", sfnfake.Reply{Status: 200, Body: map[string]any{"events": events}})
}

// recorder is a minimal http.ResponseWriter for handler tests.
type recorder struct {
	code int
	h    http.Header
	body strings.Builder
}

func newRecorder() *recorder                    { return &recorder{code: 200, h: http.Header{}} }
func (r *recorder) Header() http.Header         { return r.h }
func (r *recorder) WriteHeader(code int)        { r.code = code }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
