// Package cfnfake is a stateful CloudFormation (and S3 PutObject) fake for
// tests. It speaks the AWS Query protocol on loopback: form-encoded POSTs,
// XML responses and XML error shapes, so the real aws-sdk-go-v2 clients
// talk to it. It models stacks, change sets, statuses and events (newest
// first, three per page), capabilities, termination protection, client
// tokens, scripted outcomes per stack and throttling per action. State
// advances on each poll, so tests run without sleeping.
package cfnfake

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

const account = "123456789012"

// Script decides what happens to one stack.
type Script struct {
	// ChangeSetFailure makes the next change set FAILED with this reason.
	ChangeSetFailure string
	// EmptyWording is the reason an empty change set gives: "" for "The
	// submitted information didn't contain changes. ...", or another text
	// such as "No updates are to be performed.".
	EmptyWording string
	// PendingPolls is how many DescribeChangeSet calls see it pending.
	PendingPolls int
	// Replace lists logical IDs whose modification replaces them: every
	// changed property of theirs requires recreation Always.
	Replace []string
	// Recreation says what changing a property does, by "LogicalID.Name":
	// Always or Conditionally (the default is Never, or Always under
	// Replace and for the properties of replacedBy). The change's
	// Replacement follows its properties.
	Recreation map[string]string
	// FailResource makes execution fail at this logical ID with FailReason,
	// then roll back.
	FailResource, FailReason string
	// ExecPolls is how many DescribeStacks calls see the operation running.
	ExecPolls int
	// DeleteFailure makes a delete end in DELETE_FAILED with this reason,
	// blamed on DeleteBlocker.
	DeleteFailure, DeleteBlocker string
}

// Event is one stack event.
type Event struct {
	ID, Logical, Type, Status, Reason, Token string
	Time                                     time.Time
}

type changeSet struct {
	id, name, token, typ string
	status, execStatus   string
	reason               string
	changes              []change
	template             map[string]any
	params               map[string]string
	pending              int
	deleted              bool
}

type change struct {
	action, logical, typ, replacement string
	details                           []detail
	// before and after are the resource's context, as JSON text.
	before, after string
}

// Stack is the fake's view of a stack.
type Stack struct {
	ID, Name, Status, Reason string
	Protected                bool
	Events                   []Event // oldest first
	// Outputs gives outputs their values; an output not here is
	// "value-of-KEY" (ApiUrl: a made-up invoke URL).
	Outputs    map[string]string
	template   map[string]any
	params     map[string]string // the parameters of the template deployed
	changeSets []*changeSet
	running    *operation
	deleted    bool
}

type operation struct {
	token, kind string // kind: CREATE, UPDATE, DELETE
	cs          *changeSet
	polls       int
}

// Fake is the server.
type Fake struct {
	mu       sync.Mutex
	Server   *httptest.Server
	Stacks   map[string]*Stack // by name, live and deleted
	Scripts  map[string]*Script
	Throttle map[string]int // action -> how many Throttling answers to give
	// StallBefore and StallAfter make the next N requests of an action
	// never get an answer: before or after the fake acted on them. The
	// request is held until the client gives up. They stand for an
	// endpoint that accepts and never answers, and for a call in flight
	// when the user presses Ctrl-C.
	StallBefore, StallAfter map[string]int
	Objects                 map[string][]byte // "bucket/key" -> body
	Requests                []Request
	clock                   time.Time
	seq                     int
	closing                 chan struct{}
	closeOnce               sync.Once
}

// Request is one call the fake received.
type Request struct {
	Action string
	Form   url.Values
}

// New starts a fake on loopback.
func New() *Fake {
	f := &Fake{Stacks: map[string]*Stack{}, Scripts: map[string]*Script{}, Throttle: map[string]int{},
		StallBefore: map[string]int{}, StallAfter: map[string]int{}, closing: make(chan struct{}),
		Objects: map[string][]byte{}, clock: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

// Close stops the server, releasing the requests it holds. It may be
// called more than once.
func (f *Fake) Close() {
	f.closeOnce.Do(func() {
		close(f.closing)
		f.Server.Close()
	})
}

// hold keeps a request unanswered until its client gives up or the fake
// closes.
func (f *Fake) hold(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-f.closing:
	}
}

// URL is the endpoint to give the SDK.
func (f *Fake) URL() string { return f.Server.URL }

// Calls returns the actions received, in order.
func (f *Fake) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.Requests {
		out = append(out, r.Action)
	}
	return out
}

// Count returns how many times an action was called.
func (f *Fake) Count(action string) int {
	n := 0
	for _, a := range f.Calls() {
		if a == action {
			n++
		}
	}
	return n
}

// AddStack puts a stack in a given state, with events of an earlier
// operation, as if it had been deployed before.
func (f *Fake) AddStack(name, status string, template map[string]any) *Stack {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.newStack(name)
	s.Status = status
	s.template = template
	for _, r := range resources(template) {
		f.event(s, r.logical, r.typ, "CREATE_COMPLETE", "", "old-token")
	}
	f.event(s, name, "AWS::CloudFormation::Stack", status, "", "old-token")
	return s
}

func (f *Fake) now() time.Time {
	f.clock = f.clock.Add(time.Second)
	return f.clock
}

func (f *Fake) newStack(name string) *Stack {
	f.seq++
	s := &Stack{ID: fmt.Sprintf("arn:aws:cloudformation:us-east-1:%s:stack/%s/%08d", account, name, f.seq), Name: name}
	f.Stacks[name] = s
	return s
}

func (f *Fake) event(s *Stack, logical, typ, status, reason, token string) {
	f.seq++
	s.Events = append(s.Events, Event{ID: fmt.Sprintf("ev-%d", f.seq), Logical: logical, Type: typ, Status: status, Reason: reason, Token: token, Time: f.now()})
}

func (f *Fake) script(name string) *Script {
	if s := f.Scripts[name]; s != nil {
		return s
	}
	return &Script{}
}

// replacedBy lists, for the resource types sfnapic makes, the properties
// whose change replaces the resource ("Update requires: Replacement" on
// each type's page of the CloudFormation resource and property types
// reference).
var replacedBy = map[string][]string{
	"AWS::StepFunctions::StateMachine": {"StateMachineName", "StateMachineType"},
	"AWS::ApiGateway::Resource":        {"ParentId", "PathPart", "RestApiId"},
	"AWS::ApiGateway::Method":          {"ResourceId", "RestApiId"},
	"AWS::ApiGateway::Stage":           {"RestApiId", "StageName"},
	"AWS::ApiGateway::Deployment":      {"RestApiId"},
	"AWS::IAM::Role":                   {"Path", "RoleName"},
}

// recreation is what changing each property of a resource does.
func (sc *Script) recreation(logical, typ string) func(name string) string {
	return func(name string) string {
		if r := sc.Recreation[logical+"."+name]; r != "" {
			return r
		}
		if slices.Contains(sc.Replace, logical) || slices.Contains(replacedBy[typ], name) {
			return "Always"
		}
		return "Never"
	}
}

type resource struct {
	logical, typ string
	body         string
}

func resources(t map[string]any) []resource {
	res, _ := t["Resources"].(map[string]any)
	var out []resource
	for id, r := range res {
		m, _ := r.(map[string]any)
		typ, _ := m["Type"].(string)
		b, _ := json.Marshal(m)
		out = append(out, resource{id, typ, string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].logical < out[j].logical })
	return out
}

// --- the protocol ---

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPut {
		f.putObject(w, r)
		return
	}
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		http.Error(w, "the fake speaks the AWS Query protocol: form-encoded POST", http.StatusBadRequest)
		return
	}
	body, _ := io.ReadAll(r.Body)
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("Version") != "2010-05-15" {
		http.Error(w, "bad query request", http.StatusBadRequest)
		return
	}
	action := form.Get("Action")
	f.mu.Lock()
	f.Requests = append(f.Requests, Request{Action: action, Form: form})
	if f.StallBefore[action] > 0 {
		f.StallBefore[action]--
		f.mu.Unlock()
		f.hold(r)
		return
	}
	stallAfter := f.StallAfter[action] > 0
	if stallAfter {
		f.StallAfter[action]--
		defer f.hold(r)
		// The fake acts on the request, but the answer never leaves.
		w = discardWriter{w.Header()}
	}
	defer f.mu.Unlock()
	if f.Throttle[action] > 0 {
		f.Throttle[action]--
		writeError(w, 400, "Throttling", "Rate exceeded")
		return
	}
	var result string
	var code, msg string
	switch action {
	case "DescribeStacks":
		result, code, msg = f.describeStacks(form)
	case "CreateChangeSet":
		result, code, msg = f.createChangeSet(form)
	case "DescribeChangeSet":
		result, code, msg = f.describeChangeSet(form)
	case "ExecuteChangeSet":
		code, msg = f.executeChangeSet(form)
	case "DeleteChangeSet":
		code, msg = f.deleteChangeSet(form)
	case "DeleteStack":
		code, msg = f.deleteStack(form)
	case "DescribeStackEvents":
		result, code, msg = f.describeStackEvents(form)
	case "UpdateTerminationProtection":
		result, code, msg = f.updateTerminationProtection(form)
	default:
		http.Error(w, "unknown action "+action, http.StatusBadRequest)
		return
	}
	if code != "" {
		writeError(w, 400, code, msg)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%sResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><%sResult>%s</%sResult><ResponseMetadata><RequestId>req-%d</RequestId></ResponseMetadata></%sResponse>`,
		action, action, result, action, len(f.Requests), action)
}

// discardWriter swallows an answer.
type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header         { return d.h }
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d discardWriter) WriteHeader(int)             {}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>err</RequestId></ErrorResponse>`, code, esc(msg))
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (f *Fake) putObject(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	key := strings.TrimPrefix(r.URL.Path, "/")
	f.Requests = append(f.Requests, Request{Action: "PutObject", Form: url.Values{"Key": {key}}})
	f.Objects[key] = body
	w.Header().Set("ETag", `"etag"`)
	w.WriteHeader(http.StatusOK)
}

// find returns the stack named by name or ID; deleted stacks only by ID.
func (f *Fake) find(nameOrID string) *Stack {
	for _, s := range f.Stacks {
		if s.ID == nameOrID {
			return s
		}
	}
	if s, ok := f.Stacks[nameOrID]; ok && !s.deleted {
		return s
	}
	return nil
}

func notExist(name string) (string, string, string) {
	return "", "ValidationError", fmt.Sprintf("Stack with id %s does not exist", name)
}

func (f *Fake) describeStacks(form url.Values) (string, string, string) {
	name := form.Get("StackName")
	s := f.find(name)
	if s == nil {
		return notExist(name)
	}
	f.advance(s)
	var b strings.Builder
	fmt.Fprintf(&b, "<Stacks><member><StackId>%s</StackId><StackName>%s</StackName><CreationTime>2026-11-25T10:00:00Z</CreationTime><StackStatus>%s</StackStatus>",
		s.ID, s.Name, s.Status)
	if s.Reason != "" {
		fmt.Fprintf(&b, "<StackStatusReason>%s</StackStatusReason>", esc(s.Reason))
	}
	fmt.Fprintf(&b, "<EnableTerminationProtection>%t</EnableTerminationProtection>", s.Protected)
	if strings.HasSuffix(s.Status, "_COMPLETE") && s.template != nil {
		outs, _ := s.template["Outputs"].(map[string]any)
		keys := make([]string, 0, len(outs))
		for k := range outs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("<Outputs>")
		for _, k := range keys {
			v, set := s.Outputs[k]
			switch {
			case set:
			case k == "ApiUrl":
				v = "https://abc123.execute-api.us-east-1.amazonaws.com/prod"
			default:
				v = "value-of-" + k
			}
			fmt.Fprintf(&b, "<member><OutputKey>%s</OutputKey><OutputValue>%s</OutputValue></member>", k, esc(v))
		}
		b.WriteString("</Outputs>")
	}
	b.WriteString("</member></Stacks>")
	return b.String(), "", ""
}

// advance moves a running operation one step on each poll.
func (f *Fake) advance(s *Stack) {
	op := s.running
	if op == nil {
		return
	}
	op.polls++
	sc := f.script(s.Name)
	if op.polls <= sc.ExecPolls {
		return
	}
	s.running = nil
	switch op.kind {
	case "DELETE":
		if sc.DeleteFailure != "" {
			f.event(s, sc.DeleteBlocker, "AWS::S3::Bucket", "DELETE_FAILED", sc.DeleteFailure, op.token)
			s.Status, s.Reason = "DELETE_FAILED", "The following resource(s) failed to delete: ["+sc.DeleteBlocker+"]"
			f.event(s, s.Name, "AWS::CloudFormation::Stack", s.Status, s.Reason, op.token)
			return
		}
		for _, r := range resources(s.template) {
			f.event(s, r.logical, r.typ, "DELETE_COMPLETE", "", op.token)
		}
		s.Status = "DELETE_COMPLETE"
		f.event(s, s.Name, "AWS::CloudFormation::Stack", s.Status, "", op.token)
		s.deleted = true
		return
	}
	verb := op.kind // CREATE or UPDATE
	failed := false
	for _, c := range op.cs.changes {
		status := verb
		if c.action == "Remove" {
			continue
		}
		if c.action == "Add" {
			status = "CREATE"
		} else {
			status = "UPDATE"
		}
		if failed {
			f.event(s, c.logical, c.typ, status+"_FAILED", "Resource creation cancelled", op.token)
			continue
		}
		f.event(s, c.logical, c.typ, status+"_IN_PROGRESS", "", op.token)
		if c.logical == sc.FailResource {
			f.event(s, c.logical, c.typ, status+"_FAILED", sc.FailReason, op.token)
			failed = true
			continue
		}
		f.event(s, c.logical, c.typ, status+"_COMPLETE", "", op.token)
	}
	if failed {
		rollback := "ROLLBACK"
		if verb == "UPDATE" {
			rollback = "UPDATE_ROLLBACK"
		}
		f.event(s, s.Name, "AWS::CloudFormation::Stack", verb+"_FAILED", "The following resource(s) failed: ["+sc.FailResource+"]", op.token)
		f.event(s, s.Name, "AWS::CloudFormation::Stack", rollback+"_IN_PROGRESS", "The following resource(s) failed: ["+sc.FailResource+"]", op.token)
		s.Status = rollback + "_COMPLETE"
		f.event(s, s.Name, "AWS::CloudFormation::Stack", s.Status, "", op.token)
		return
	}
	for _, c := range op.cs.changes {
		if c.action == "Remove" {
			f.event(s, c.logical, c.typ, "DELETE_COMPLETE", "", op.token)
		}
	}
	s.template, s.params = op.cs.template, op.cs.params
	s.Status = verb + "_COMPLETE"
	f.event(s, s.Name, "AWS::CloudFormation::Stack", s.Status, "", op.token)
}

func (f *Fake) createChangeSet(form url.Values) (string, string, string) {
	name, csName, typ := form.Get("StackName"), form.Get("ChangeSetName"), form.Get("ChangeSetType")
	if typ == "" {
		typ = "UPDATE"
	}
	s := f.find(name)
	// Replays of the same request return the same change set.
	if s != nil {
		for _, cs := range s.changeSets {
			if cs.token != "" && cs.token == form.Get("ClientToken") {
				return fmt.Sprintf("<Id>%s</Id><StackId>%s</StackId>", cs.id, s.ID), "", ""
			}
		}
	}
	switch {
	case typ == "CREATE" && s != nil && s.Status != "REVIEW_IN_PROGRESS":
		return "", "AlreadyExistsException", fmt.Sprintf("Stack [%s] already exists", name)
	case typ == "UPDATE" && s == nil:
		return notExist(name)
	case typ == "UPDATE" && s.Status == "ROLLBACK_COMPLETE":
		return "", "ValidationError", fmt.Sprintf("Stack:%s is in ROLLBACK_COMPLETE state and can not be updated.", s.ID)
	case typ == "UPDATE" && strings.HasSuffix(s.Status, "_IN_PROGRESS"):
		return "", "ValidationError", fmt.Sprintf("Stack:%s is in %s state and can not be updated.", s.ID, s.Status)
	}
	var body []byte
	if u := form.Get("TemplateURL"); u != "" {
		pu, err := url.Parse(u)
		if err != nil || pu.Scheme != "https" {
			return "", "ValidationError", "TemplateURL must be an https URL"
		}
		bucket := strings.SplitN(pu.Host, ".", 2)[0]
		obj, ok := f.Objects[bucket+"/"+strings.TrimPrefix(pu.Path, "/")]
		if !ok {
			return "", "ValidationError", "S3 error: Access Denied"
		}
		body = obj
	} else {
		body = []byte(form.Get("TemplateBody"))
	}
	var tpl map[string]any
	if err := json.Unmarshal(body, &tpl); err != nil {
		return "", "ValidationError", "Template format error: JSON not well-formed."
	}
	iam := false
	for _, r := range resources(tpl) {
		iam = iam || strings.HasPrefix(r.typ, "AWS::IAM::")
	}
	caps := []string{}
	for i := 1; form.Get(fmt.Sprintf("Capabilities.member.%d", i)) != ""; i++ {
		caps = append(caps, form.Get(fmt.Sprintf("Capabilities.member.%d", i)))
	}
	if iam && len(caps) == 0 {
		return "", "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM]"
	}
	if s == nil {
		s = f.newStack(name)
		s.Status = "REVIEW_IN_PROGRESS"
		f.event(s, name, "AWS::CloudFormation::Stack", "REVIEW_IN_PROGRESS", "User Initiated", "")
	}
	f.seq++
	cs := &changeSet{id: fmt.Sprintf("arn:aws:cloudformation:us-east-1:%s:changeSet/%s/%08d", account, csName, f.seq),
		name: csName, token: form.Get("ClientToken"), typ: typ, template: tpl, params: parameters(form), pending: f.script(name).PendingPolls,
		status: "CREATE_PENDING", execStatus: "UNAVAILABLE"}
	sc := f.script(name)
	cs.changes = diff(s, cs, sc)
	switch {
	case sc.ChangeSetFailure != "":
		cs.status, cs.reason = "FAILED", sc.ChangeSetFailure
		sc.ChangeSetFailure = ""
	case len(cs.changes) == 0:
		cs.status, cs.reason = "FAILED", "The submitted information didn't contain changes. Submit different information to create a change set."
		if sc.EmptyWording != "" {
			cs.reason = sc.EmptyWording
		}
	default:
		cs.status, cs.execStatus = "CREATE_COMPLETE", "AVAILABLE"
	}
	s.changeSets = append(s.changeSets, cs)
	return fmt.Sprintf("<Id>%s</Id><StackId>%s</StackId>", cs.id, s.ID), "", ""
}

// diff is what the change set changes in the stack: each resource added,
// modified (with its property details) or removed.
func diff(s *Stack, cs *changeSet, sc *Script) []change {
	old, new := s.template, cs.template
	before := map[string]resource{}
	for _, r := range resources(old) {
		before[r.logical] = r
	}
	oldCtx, newCtx := contexts(old, s.params), contexts(new, cs.params)
	var out []change
	for _, r := range resources(new) {
		o, ok := before[r.logical]
		switch {
		case !ok:
			out = append(out, change{action: "Add", logical: r.logical, typ: r.typ, after: newCtx[r.logical].text})
		case o.body != r.body || !reflect.DeepEqual(oldCtx[r.logical].raw, newCtx[r.logical].raw): // the template, or a parameter's value
			c := change{action: "Modify", logical: r.logical, typ: r.typ, before: oldCtx[r.logical].text, after: newCtx[r.logical].text}
			c.details = details(oldCtx[r.logical], newCtx[r.logical], sc.recreation(r.logical, r.typ))
			c.replacement = replacement(c.details)
			if slices.Contains(sc.Replace, r.logical) {
				c.replacement = "True"
			}
			out = append(out, c)
		}
		delete(before, r.logical)
	}
	for _, r := range resources(old) {
		if _, gone := before[r.logical]; gone {
			out = append(out, change{action: "Remove", logical: r.logical, typ: r.typ, before: oldCtx[r.logical].text})
		}
	}
	return out
}

func (f *Fake) changeSet(id string) (*Stack, *changeSet) {
	for _, s := range f.Stacks {
		for _, cs := range s.changeSets {
			if (cs.id == id || cs.name == id) && !cs.deleted {
				return s, cs
			}
		}
	}
	return nil, nil
}

func (f *Fake) describeChangeSet(form url.Values) (string, string, string) {
	s, cs := f.changeSet(form.Get("ChangeSetName"))
	if cs == nil {
		return "", "ChangeSetNotFound", "ChangeSet [" + form.Get("ChangeSetName") + "] does not exist"
	}
	status := cs.status
	if cs.pending > 0 {
		cs.pending--
		status = "CREATE_IN_PROGRESS"
	}
	// Two changes per page, to exercise NextToken.
	start, _ := strconv.Atoi(form.Get("NextToken"))
	end := min(start+2, len(cs.changes))
	var b strings.Builder
	fmt.Fprintf(&b, "<ChangeSetId>%s</ChangeSetId><ChangeSetName>%s</ChangeSetName><StackId>%s</StackId><StackName>%s</StackName><Status>%s</Status><ExecutionStatus>%s</ExecutionStatus>",
		cs.id, cs.name, s.ID, s.Name, status, cs.execStatus)
	if cs.reason != "" && status == cs.status {
		fmt.Fprintf(&b, "<StatusReason>%s</StatusReason>", esc(cs.reason))
	}
	if status == "CREATE_COMPLETE" {
		b.WriteString("<Changes>")
		values := form.Get("IncludePropertyValues") == "true"
		for _, c := range cs.changes[start:end] {
			fmt.Fprintf(&b, "<member><Type>Resource</Type><ResourceChange><Action>%s</Action><LogicalResourceId>%s</LogicalResourceId><ResourceType>%s</ResourceType>", c.action, c.logical, c.typ)
			if c.replacement != "" {
				fmt.Fprintf(&b, "<Replacement>%s</Replacement>", c.replacement)
			}
			writeDetails(&b, c, values)
			b.WriteString("</ResourceChange></member>")
		}
		b.WriteString("</Changes>")
		if end < len(cs.changes) {
			fmt.Fprintf(&b, "<NextToken>%d</NextToken>", end)
		}
	}
	return b.String(), "", ""
}

func (f *Fake) executeChangeSet(form url.Values) (string, string) {
	s, cs := f.changeSet(form.Get("ChangeSetName"))
	if cs == nil {
		return "ChangeSetNotFound", "ChangeSet does not exist"
	}
	if cs.execStatus != "AVAILABLE" || cs.pending > 0 {
		return "InvalidChangeSetStatus", "ChangeSet is in " + cs.status + " and cannot be executed"
	}
	kind := "UPDATE"
	if cs.typ == "CREATE" {
		kind = "CREATE"
	}
	token := form.Get("ClientRequestToken")
	cs.execStatus = "EXECUTE_IN_PROGRESS"
	s.Status = kind + "_IN_PROGRESS"
	f.event(s, s.Name, "AWS::CloudFormation::Stack", s.Status, "User Initiated", token)
	s.running = &operation{token: token, kind: kind, cs: cs}
	// Executing a change set deletes the stack's other change sets.
	for _, other := range s.changeSets {
		if other != cs {
			other.deleted = true
		}
	}
	return "", ""
}

func (f *Fake) deleteChangeSet(form url.Values) (string, string) {
	_, cs := f.changeSet(form.Get("ChangeSetName"))
	if cs == nil {
		return "ChangeSetNotFound", "ChangeSet does not exist"
	}
	if cs.pending > 0 {
		return "InvalidChangeSetStatus", "Cannot delete ChangeSet in status CREATE_IN_PROGRESS"
	}
	cs.deleted = true
	return "", ""
}

func (f *Fake) deleteStack(form url.Values) (string, string) {
	s := f.find(form.Get("StackName"))
	if s == nil {
		return "", "" // deleting a missing stack succeeds
	}
	if s.Protected {
		return "ValidationError", fmt.Sprintf("Stack [%s] cannot be deleted while TerminationProtection is enabled", s.Name)
	}
	token := form.Get("ClientRequestToken")
	if s.Status == "REVIEW_IN_PROGRESS" {
		s.Status, s.deleted = "DELETE_COMPLETE", true
		f.event(s, s.Name, "AWS::CloudFormation::Stack", "DELETE_COMPLETE", "", token)
		return "", ""
	}
	s.Status = "DELETE_IN_PROGRESS"
	f.event(s, s.Name, "AWS::CloudFormation::Stack", s.Status, "User Initiated", token)
	s.running = &operation{token: token, kind: "DELETE"}
	return "", ""
}

func (f *Fake) describeStackEvents(form url.Values) (string, string, string) {
	s := f.find(form.Get("StackName"))
	if s == nil {
		return notExist(form.Get("StackName"))
	}
	start, _ := strconv.Atoi(form.Get("NextToken"))
	var b strings.Builder
	b.WriteString("<StackEvents>")
	n := 0
	for i := len(s.Events) - 1 - start; i >= 0 && n < 3; i-- {
		e := s.Events[i]
		fmt.Fprintf(&b, "<member><StackId>%s</StackId><EventId>%s</EventId><StackName>%s</StackName><LogicalResourceId>%s</LogicalResourceId><ResourceType>%s</ResourceType><Timestamp>%s</Timestamp><ResourceStatus>%s</ResourceStatus>",
			s.ID, e.ID, s.Name, e.Logical, e.Type, e.Time.Format(time.RFC3339), e.Status)
		if e.Reason != "" {
			fmt.Fprintf(&b, "<ResourceStatusReason>%s</ResourceStatusReason>", esc(e.Reason))
		}
		if e.Token != "" {
			fmt.Fprintf(&b, "<ClientRequestToken>%s</ClientRequestToken>", esc(e.Token))
		}
		b.WriteString("</member>")
		n++
	}
	b.WriteString("</StackEvents>")
	if start+n < len(s.Events) {
		fmt.Fprintf(&b, "<NextToken>%d</NextToken>", start+n)
	}
	return b.String(), "", ""
}

func (f *Fake) updateTerminationProtection(form url.Values) (string, string, string) {
	s := f.find(form.Get("StackName"))
	if s == nil {
		return notExist(form.Get("StackName"))
	}
	s.Protected = form.Get("EnableTerminationProtection") == "true"
	return "<StackId>" + s.ID + "</StackId>", "", ""
}
