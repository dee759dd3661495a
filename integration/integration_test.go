package integration

import (
	"strings"
	"testing"
)

func TestURIRoundTrip(t *testing.T) {
	if len(Names()) == 0 {
		t.Fatal("no actions registered")
	}
	for _, name := range Names() {
		a, _ := Lookup(name)
		for _, uri := range []string{URI(a), "arn:aws-cn:apigateway:cn-north-1:states:action/" + name} {
			got, ok := FromURI(uri)
			if !ok || got.Name() != name {
				t.Errorf("FromURI(%q) = %v, %v", uri, got, ok)
			}
		}
	}
	for _, uri := range []string{"", "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/x/invocations",
		"arn:aws:apigateway:us-east-1:states:action/NoSuchAction", "https://example.com/states:action/StartExecution"} {
		if a, ok := FromURI(uri); ok {
			t.Errorf("FromURI(%q) = %s", uri, a.Name())
		}
	}
}

func TestStartExecutionDecode(t *testing.T) {
	r, err := StartExecution.Decode(`{"stateMachineArn": "arn:m", "input": "{\"a\":1}"}`)
	if err != nil || r.StateMachineArn != "arn:m" || !r.HasInput || r.Input() != `{"a":1}` {
		t.Fatalf("%+v %v", r, err)
	}
	if _, err := StartExecution.Decode(`{"input": "x`); err == nil || !strings.Contains(err.Error(), "SerializationException") {
		t.Errorf("broken body: %v", err)
	}
	if _, err := StartExecution.Decode(`{"input": "{nope"}`); err == nil || !strings.Contains(err.Error(), "InvalidExecutionInput") {
		t.Errorf("broken input: %v", err)
	}
	if p := StartExecution.Permissions(Machine{ARN: "arn:m"}); len(p) != 1 || p[0] != (Permission{"states:StartExecution", "arn:m"}) {
		t.Errorf("permissions: %v", p)
	}
}

// The other actions decode what they ask for: an execution (and its
// machine), or a task token and a success's output.
func TestActionDecode(t *testing.T) {
	r, err := Describe{}.Decode(`{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:orders:o-42"}`)
	if err != nil || r.Action != "DescribeExecution" || r.ExecutionArn != "arn:aws:states:us-east-1:123456789012:execution:orders:o-42" ||
		r.StateMachineArn != "arn:aws:states:us-east-1:123456789012:stateMachine:orders" || r.HasInput {
		t.Fatalf("describe: %+v %v", r, err)
	}
	if r, err := (Stop{}).Decode(`{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:orders:"}`); err != nil || r.StateMachineArn != "arn:aws:states:us-east-1:123456789012:stateMachine:orders" {
		t.Fatalf("stop without a name: %+v %v", r, err)
	}
	r, err = TaskSuccess{}.Decode(`{"taskToken": "AQ+/=", "output": "{\"ok\":true}"}`)
	if err != nil || r.TaskToken != "AQ+/=" || !r.HasInput || r.Document != "task output" || r.StateMachineArn != "" {
		t.Fatalf("task success: %+v %v", r, err)
	}
	if _, err := (TaskSuccess{}).Decode(`{"taskToken": "t", "output": "{nope"}`); err == nil || !strings.Contains(err.Error(), "InvalidOutput") {
		t.Errorf("broken output: %v", err)
	}
	if r, err := (TaskHeartbeat{}).Decode(`{"taskToken": "t"}`); err != nil || r.TaskToken != "t" || r.HasInput {
		t.Fatalf("heartbeat: %+v %v", r, err)
	}
	if r, err := StartExecution.Decode(`{"stateMachineArn": "arn:m", "input": "{}"}`); err != nil || r.Document != "execution input" {
		t.Fatalf("start: %+v %v", r, err)
	}
}

// TestRESTFacets: every action's REST facet declares each status its
// integration responses answer, has one default response, and declares
// the headers its responses may set: a proxying run's, no other.
func TestRESTFacets(t *testing.T) {
	proxy := StartSync{Proxy: &Proxy{Statuses: []int{201}, Headers: []string{"Location", "X-Id"}}}
	facets := map[string]REST{"proxy": proxy.REST()}
	for _, name := range Names() {
		a, _ := Lookup(name)
		facets[name] = a.REST()
	}
	for name, rest := range facets {
		declared := map[string]bool{}
		for _, s := range rest.Statuses() {
			declared[s] = true
		}
		defaults := 0
		for _, r := range rest.Responses() {
			if !declared[r.Status] {
				t.Errorf("%s: response %s is not among the statuses %v", name, r.Status, rest.Statuses())
			}
			if r.Pattern == "" {
				defaults++
			}
		}
		if defaults != 1 {
			t.Errorf("%s: %d default responses", name, defaults)
		}
		if h := rest.Headers(); name != "proxy" && len(h) > 0 {
			t.Errorf("%s: headers %v", name, h)
		}
	}
	if h := facets["proxy"].Headers(); strings.Join(h, ",") != "Location,X-Id" || !strings.Contains(strings.Join(facets["proxy"].Statuses(), ","), "201") {
		t.Errorf("proxy: headers %v, statuses %v", h, facets["proxy"].Statuses())
	}
}

// TestCheckTable: a dispatch table must have every registered action and
// nothing else.
func TestCheckTable(t *testing.T) {
	full := map[string]bool{}
	for _, n := range Names() {
		full[n] = true
	}
	if err := CheckTable(full); err != nil {
		t.Errorf("a full table: %v", err)
	}
	delete(full, StartExecution.Name())
	if err := CheckTable(full); err == nil || !strings.Contains(err.Error(), "StartExecution") {
		t.Errorf("a table without StartExecution: %v", err)
	}
	full[StartExecution.Name()], full["StartFoo"] = true, true
	if err := CheckTable(full); err == nil || !strings.Contains(err.Error(), "StartFoo") {
		t.Errorf("a table with an unknown action: %v", err)
	}
}
