package compile

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/integration"
	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/spec"
	"github.com/sfnapic/sfnapic/vtl"
)

// handPicked are the classic breakers of mapping templates.
var handPicked = golden.HandPicked

// trickyValues are the request values every template must carry unchanged
// (see golden.TrickyStrings).
var trickyValues = golden.TrickyStrings

// deliverable reports whether HTTP can carry v in a location at all.
func deliverable(loc spec.Location, v string) bool {
	switch loc {
	case spec.FromPath:
		// A path segment cannot be empty or hold a '/'.
		return v != "" && !strings.Contains(v, "/")
	case spec.FromHeader:
		// Header values hold no control characters and no outer spaces.
		if strings.TrimSpace(v) != v {
			return false
		}
		for _, c := range v {
			if c < 0x20 || c == 0x7f {
				return false
			}
		}
	}
	return true
}

// routeCase is one request template: a route and a content type.
type routeCase struct {
	route       *spec.Route
	contentType string
	tpl         *vtl.Template
	arn         string // the ARN the body must carry
}

// requestTemplates returns every request template of a spec, parsed from
// the text API Gateway receives (after Fn::Sub).
func requestTemplates(t *testing.T, s *spec.Spec) []routeCase {
	b := compile(s)
	tpl := b.t
	vars := map[string]string{"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws"}
	for id, r := range tpl.CFN.Resources {
		if r.AWSCloudFormationType() == "AWS::StepFunctions::StateMachine" {
			vars[id] = "arn:aws:states:us-east-1:123456789012:stateMachine:" + id
			vars[id+".Name"] = id
		}
	}
	for _, par := range s.Parameters {
		// An existing machine's ARN may take parameters' values.
		vars[par.Name] = "value-of-" + par.Name
		if par.Default != nil {
			vars[par.Name] = *par.Default
		}
	}
	lookup := func(name string) (string, bool) { v, ok := vars[name]; return v, ok }
	var out []routeCase
	for i, r := range s.Routes {
		m := tpl.CFN.Resources[b.methods[i]].(*apigateway.Method)
		if len(m.Integration.RequestTemplates) != len(r.ContentTypes) {
			t.Fatalf("%s %s: %d templates for %d content types", r.Method, r.Path, len(m.Integration.RequestTemplates), len(r.ContentTypes))
		}
		for _, ct := range r.ContentTypes {
			text, err := tpl.Text(m.Integration.RequestTemplates[ct], lookup)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := vtl.Parse(text)
			if err != nil {
				t.Fatalf("%s %s (%s): %v\n%s", r.Method, r.Path, ct, err, text)
			}
			arn, err := cfn.Substitute(b.machines[r.StateMachine].ARNText, lookup)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, routeCase{r, ct, parsed, arn})
		}
	}
	return out
}

// setContext puts v at a dotted $context path.
func setContext(ctx map[string]any, path, v string) {
	parts := strings.Split(path, ".")
	if strings.HasPrefix(path, "authorizer.claims.") {
		parts = []string{"authorizer", "claims", strings.TrimPrefix(path, "authorizer.claims.")}
	}
	for _, p := range parts[:len(parts)-1] {
		next, ok := ctx[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			ctx[p] = next
		}
		ctx = next
	}
	ctx[parts[len(parts)-1]] = v
}

// checkRender renders a request template with value v in every mapped
// location (with absent set, the values a request may lack are left out)
// and checks that the body is strict JSON, that input is a JSON document,
// that every mapped value arrives exactly as sent, that absent values are
// null, their default, or left out, as the spec says, and that the
// execution name arrives exactly.
func checkRender(rc routeCase, v string, variant vtl.Variant, absent bool) error {
	if !utf8.ValidString(v) {
		// API Gateway decodes requests as UTF-8: invalid bytes are
		// replaced before any template runs, so they cannot be carried.
		return nil
	}
	r, form := rc.route, rc.contentType == spec.ContentForm
	req := vtl.Request{Path: map[string]string{}, Query: map[string]string{}, Header: map[string]string{}, Context: map[string]any{}}
	body := map[string]any{}
	formBody := url.Values{}
	sources := append([]*spec.Mapping(nil), r.Input...)
	for _, m := range []*spec.Mapping{r.ExecutionName, r.Execution, r.StopError, r.StopCause, r.Token} {
		if m != nil {
			sources = append(sources, m)
		}
	}
	sent := map[*spec.Mapping]bool{}
	for _, m := range sources {
		if m.From.IsString() && !deliverable(m.From, v) {
			return nil
		}
		if absent && m.CanBeAbsent() {
			continue
		}
		sent[m] = true
		switch m.From {
		case spec.FromPath:
			req.Path[m.Name] = v
		case spec.FromQuery:
			req.Query[m.Name] = v
		case spec.FromHeader:
			// Header names arrive in whatever case the client used
			// (HTTP/2: lower case); the template must find them anyway.
			name := strings.ToLower(m.Name)
			if len(v)%2 == 1 {
				name = strings.ToUpper(m.Name)
			}
			req.Header[name] = v
		case spec.FromContext:
			setContext(req.Context, m.Name, v)
		case spec.FromBody:
			if form {
				if len(m.Field) > 0 {
					formBody.Set(m.Field[0], v)
				} else {
					formBody.Set("whole", v)
				}
				continue
			}
			obj := body
			for i, f := range m.Field {
				if i == len(m.Field)-1 {
					obj[f] = v
					break
				}
				next, ok := obj[f].(map[string]any)
				if !ok {
					next = map[string]any{}
					obj[f] = next
				}
				obj = next
			}
			if len(m.Field) == 0 {
				body["whole"] = v
			}
		}
	}
	if form {
		req.Body = formBody.Encode()
	} else {
		req.Body = marshalJSON(body)
	}
	res, err := rc.tpl.Render(&req, variant)
	if err != nil {
		return fmt.Errorf("render: %v", err)
	}
	out := res.Body
	if !utf8.ValidString(out) || !json.Valid([]byte(out)) {
		return fmt.Errorf("the request body is not JSON:\n%s", out)
	}
	if r.Execution != nil {
		return checkExecutionBody(rc, out, v, sent)
	}
	var sfn struct {
		StateMachineArn string
		Name            *string
		Input           *string
		// A callback's token, and a success's output: an input by
		// another name.
		TaskToken *string
		Output    *string
	}
	if err := json.Unmarshal([]byte(out), &sfn); err != nil {
		return fmt.Errorf("the body is not an object: %v\n%s", err, out)
	}
	if r.Token != nil {
		if err := checkToken(r.Token, sfn.TaskToken, v, sent); err != nil {
			return fmt.Errorf("%v:\n%s", err, out)
		}
		if err := checkMembers(r, out, v, sent); err != nil || r.Action != spec.ActionTaskSuccess {
			return err
		}
		sfn.Input, sfn.StateMachineArn = sfn.Output, rc.arn
	}
	if sfn.Input == nil {
		return fmt.Errorf("the body has no input string:\n%s", out)
	}
	if sfn.StateMachineArn != rc.arn {
		return fmt.Errorf("stateMachineArn = %q, want %q", sfn.StateMachineArn, rc.arn)
	}
	if !utf8.ValidString(*sfn.Input) || !json.Valid([]byte(*sfn.Input)) {
		return fmt.Errorf("input is not a JSON document: %q", *sfn.Input)
	}
	var input map[string]any
	if err := json.Unmarshal([]byte(*sfn.Input), &input); err != nil {
		return fmt.Errorf("input is not a JSON object: %v: %q", err, *sfn.Input)
	}
	if n := r.ExecutionName; n != nil {
		want := v
		if n.From == spec.FromValue {
			want = n.Value.(string)
		}
		switch {
		case !sent[n] && n.From != spec.FromValue || want == "":
			if sfn.Name != nil {
				return fmt.Errorf("name %q without a value", *sfn.Name)
			}
		case sfn.Name == nil || *sfn.Name != want:
			return fmt.Errorf("name = %v, want %q:\n%s", sfn.Name, want, out)
		}
	}
	for _, m := range r.Input {
		var got any = input
		present := true
		for _, k := range m.KeyPath {
			obj, _ := got.(map[string]any)
			got, present = obj[k]
		}
		var want any = v
		switch {
		case m.From == spec.FromValue:
			want, _ = golden.Normalize(m.Value) // a spec value: always JSON
		case !sent[m] && m.Omit:
			if present {
				return fmt.Errorf("input key %s = %#v, want it left out (input %q)", m.Key, got, *sfn.Input)
			}
			continue
		case !sent[m] && m.HasDefault:
			want, _ = golden.Normalize(m.Default)
		case !sent[m]:
			want = nil
		case m.From == spec.FromBody && len(m.Field) == 0 && form:
			fields := map[string]any{}
			for k := range formBody {
				fields[k] = formBody.Get(k)
			}
			want = fields
		case m.From == spec.FromBody && len(m.Field) == 0:
			var whole any
			_ = json.Unmarshal([]byte(req.Body), &whole)
			want = whole
		}
		if !present || !reflect.DeepEqual(got, want) {
			return fmt.Errorf("input key %s = %#v, want %#v (input %q)", m.Key, got, want, *sfn.Input)
		}
	}
	return nil
}

// checkExecutionBody checks the body of a route that acts on one
// execution: the ARN ends in the id the request gave when the id is a
// valid execution name, and in nothing otherwise (so that Step Functions
// refuses it); a stop route's error and cause arrive exactly, or not at
// all when the request lacks them.
func checkExecutionBody(rc routeCase, out, v string, sent map[*spec.Mapping]bool) error {
	r := rc.route
	var body struct {
		ExecutionArn string
		Error, Cause *string
	}
	if err := json.Unmarshal([]byte(out), &body); err != nil {
		return fmt.Errorf("the body is not an object: %v\n%s", err, out)
	}
	// An execution started through an alias (arn:...:stateMachine:NAME:ALIAS)
	// is named by the machine alone: arn:...:execution:NAME:ID.
	machine := strings.Join(strings.SplitN(rc.arn, ":", 8)[:min(7, strings.Count(rc.arn, ":")+1)], ":")
	prefix := strings.Replace(machine, ":stateMachine:", ":execution:", 1) + ":"
	want := prefix
	if sent[r.Execution] && validExecutionID(v) {
		want += v
	}
	if body.ExecutionArn != want {
		return fmt.Errorf("executionArn = %q, want %q", body.ExecutionArn, want)
	}
	return checkMembers(r, out, v, sent)
}

// checkToken: a callback carries the token the request gave, exactly, or
// "" when it gave none (Step Functions then refuses it).
func checkToken(m *spec.Mapping, got *string, v string, sent map[*spec.Mapping]bool) error {
	want := ""
	if sent[m] {
		want = v
	}
	if got == nil || *got != want {
		return fmt.Errorf("taskToken = %v, want %q", got, want)
	}
	return nil
}

// checkMembers: a stop or taskFailure route's error and cause arrive
// exactly, or not at all when the request lacks them.
func checkMembers(r *spec.Route, out, v string, sent map[*spec.Mapping]bool) error {
	var body struct{ Error, Cause *string }
	if err := json.Unmarshal([]byte(out), &body); err != nil {
		return err
	}
	for _, f := range []struct {
		m   *spec.Mapping
		got *string
	}{{r.StopError, body.Error}, {r.StopCause, body.Cause}} {
		switch {
		case f.m == nil || !sent[f.m] || v == "":
			if f.got != nil {
				return fmt.Errorf("a member %q the request did not give:\n%s", *f.got, out)
			}
		case f.got == nil || *f.got != v:
			return fmt.Errorf("stop member = %v, want %q:\n%s", f.got, v, out)
		}
	}
	return nil
}

// validExecutionID is Step Functions' rule for execution names: 1 to 80
// UTF-16 units, none of whitespace, brackets, ? * " # % \ ^ | ~ ` $ & , ;
// : / or control characters.
func validExecutionID(v string) bool {
	n := len(utf16.Encode([]rune(v)))
	if n < 1 || n > 80 {
		return false
	}
	for _, c := range v {
		if c <= 0x20 || c >= 0x7f && c <= 0x9f || strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", c) {
			return false
		}
	}
	return true
}

func validGoldenSpecs(t *testing.T) map[string]*spec.Spec {
	out := map[string]*spec.Spec{}
	for _, dir := range golden.Cases(t) {
		src, err := os.ReadFile(filepath.Join(dir, "spec.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if s, errs := spec.Parse("spec.yaml", src, os.DirFS(dir)); s != nil && !errs.HasErrors() {
			out[filepath.Base(dir)] = s
		}
	}
	return out
}

// TestRequestTemplatesCarryEveryValue is the property the request templates
// exist for: no request value breaks or alters the execution input, under
// every variant of API Gateway's undocumented behaviour; and a value a
// request lacks is null, its default, or left out, never "" by accident.
func TestRequestTemplatesCarryEveryValue(t *testing.T) {
	vals := trickyValues()
	for name, s := range validGoldenSpecs(t) {
		for _, rc := range requestTemplates(t, s) {
			variants := vtl.Variants()
			for vi, variant := range variants {
				set := vals
				if vi != 0 && vi != len(variants)-1 {
					// The variants that differ from both extremes in only
					// some respects get the hand-picked breakers.
					set = handPicked
				}
				for _, v := range set {
					if err := checkRender(rc, v, variant, false); err != nil {
						t.Fatalf("%s: %s %s (%s), value %q, variant %+v: %v", name, rc.route.Method, rc.route.Path, rc.contentType, v, variant, err)
					}
				}
				if err := checkRender(rc, "x", variant, true); err != nil {
					t.Fatalf("%s: %s %s (%s), absent values, variant %+v: %v", name, rc.route.Method, rc.route.Path, rc.contentType, variant, err)
				}
			}
		}
	}
}

// TestRequestTemplatesCarryPairsAndLargeValues covers every pair of ASCII
// characters and a value near the 256 KiB input limit on a route that maps
// path, header and body values.
func TestRequestTemplatesCarryPairsAndLargeValues(t *testing.T) {
	s := validGoldenSpecs(t)["reddit-api"]
	rc := requestTemplates(t, s)[1] // POST /r/{subreddit}/submit
	if rc.route.Path != "/r/{subreddit}/submit" {
		t.Fatalf("unexpected route %s", rc.route.Path)
	}
	for _, variant := range []vtl.Variant{{}, {Velocity2: true, KeepSlash: true, KeepNonASCII: true, KeepApostrophe: true, MissingJSONIsNull: true}} {
		for a := 0; a < 128; a++ {
			for b := 0; b < 128; b++ {
				v := string([]byte{byte(a), byte(b)})
				if err := checkRender(rc, v, variant, false); err != nil {
					t.Fatalf("value %q: %v", v, err)
				}
			}
		}
	}
	big := strings.Repeat(`a'"\é😀`, 200_000/12)
	if err := checkRender(rc, big, vtl.Variant{}, false); err != nil {
		t.Fatalf("large value: %v", err)
	}
}

// TestTutorialTemplateFails shows that the property check has teeth: the
// tutorial's single-escape template fails it.
func TestTutorialTemplateFails(t *testing.T) {
	r := &spec.Route{Input: []*spec.Mapping{{Key: "item_id", KeyPath: []string{"item_id"}, From: spec.FromPath, Name: "item_id"}}, ContentTypes: []string{spec.ContentJSON}}
	tutorial, err := vtl.Parse(`{"stateMachineArn": "arn", "input": "{\"item_id\": \"$util.escapeJavaScript($input.params('item_id'))\"}"}`)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, v := range []string{`"`, `\`, `it's`, "a\nb"} {
		if checkRender(routeCase{r, spec.ContentJSON, tutorial, "arn"}, v, vtl.Variant{}, false) != nil {
			failed++
		}
	}
	if failed != 4 {
		t.Fatalf("the tutorial template passed %d of 4 values it breaks on", 4-failed)
	}
}

// TestResponseTemplates checks the integration responses: the 200 body, and
// the error envelope with an honest status for each Step Functions error.
func TestResponseTemplates(t *testing.T) {
	responses := integration.StartExecution.REST().Responses()
	res, err := vtl.RenderString(responses[0].Template, &vtl.Request{Body: `{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:x","startDate":1.7e9}`}, vtl.Variant{})
	if err != nil {
		t.Fatal(err)
	}
	var ok map[string]any
	if err := json.Unmarshal([]byte(res.Body), &ok); err != nil || ok["executionArn"] != "arn:aws:states:us-east-1:123456789012:execution:m:x" || ok["startDate"] != 1.7e9 {
		t.Fatalf("success body %q: %v", res.Body, err)
	}

	errTpl, err := vtl.Parse(integration.ErrorResponse.Template)
	if err != nil {
		t.Fatal(err)
	}
	for typ, want := range map[string]int{
		"com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists": 409,
		"ExecutionLimitExceeded":                                    429,
		"ThrottlingException":                                       429,
		"KmsThrottlingException":                                    429,
		"StateMachineDoesNotExist":                                  500,
		"AccessDeniedException":                                     500,
		"InvalidExecutionInput":                                     0, // stays the response's own 400
		"ValidationException":                                       0,
		"InvalidName":                                               0,
		"":                                                          0,
	} {
		for _, msg := range handPicked {
			for _, variant := range vtl.Variants() {
				body := marshalJSON(map[string]any{"__type": typ, "message": msg})
				res, err := errTpl.Render(&vtl.Request{Body: body}, variant)
				if err != nil {
					t.Fatal(err)
				}
				var got struct{ Error, Message string }
				if !json.Valid([]byte(res.Body)) || json.Unmarshal([]byte(res.Body), &got) != nil {
					t.Fatalf("%s %q: error body is not JSON: %s", typ, msg, res.Body)
				}
				wantErr := typ[strings.LastIndex(typ, "#")+1:]
				if wantErr == "" {
					wantErr = "ServiceError"
				}
				if got.Error != wantErr || got.Message != msg {
					t.Fatalf("%s %q: envelope %+v", typ, msg, got)
				}
				status, _ := res.StatusOverride()
				if status != want {
					t.Fatalf("%s: status override %v, want %v", typ, status, want)
				}
			}
		}
	}
	// API Gateway's own errors: messageString is the message, quoted.
	for _, msg := range handPicked {
		quoted, _ := json.Marshal(msg)
		ctx := map[string]any{"error": map[string]any{"message": msg, "messageString": string(quoted), "responseType": "BAD_REQUEST_BODY"}}
		res, err := vtl.RenderString(GatewayEnvelope, &vtl.Request{Context: ctx}, vtl.Variant{})
		var got struct{ Error, Message string }
		if err != nil || json.Unmarshal([]byte(res.Body), &got) != nil || got.Error != "BAD_REQUEST_BODY" || got.Message != msg {
			t.Fatalf("gateway envelope for %q: %v %+v", msg, err, got)
		}
	}
	res, err = vtl.RenderString(responses[2].Template, &vtl.Request{Body: `{"__type":"InternalFailure"}`}, vtl.Variant{})
	if err != nil || !json.Valid([]byte(res.Body)) {
		t.Fatalf("502 body %v: %v", res, err)
	}
}

// marshalJSON encodes v as compact JSON without HTML escaping.
func marshalJSON(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

// TestSyncResponseTemplates: whatever a synchronous run answers, hostile
// error names, causes and outputs included, the body is JSON that carries
// them exactly, and the status is the documented one: 200 for a success,
// the mapped status for a mapped error (the hostile names are mapped
// themselves), 500 for another failure, 504 for a timeout.
func TestSyncResponseTemplates(t *testing.T) {
	for i, name := range handPicked {
		if name == "" {
			continue // the spec refuses an empty error name
		}
		mapped := 400 + i%200
		a := integration.StartSync{Errors: []integration.ErrorStatus{{Name: "Other", Status: 599}, {Name: name, Status: mapped}}}
		tpl, err := vtl.Parse(a.REST().Responses()[0].Template)
		if err != nil {
			t.Fatal(err)
		}
		for _, variant := range vtl.Variants() {
			render := func(reply map[string]any) (string, int) {
				res, err := tpl.Render(&vtl.Request{Body: marshalJSON(reply)}, variant)
				if err != nil {
					t.Fatalf("%v: %v", reply, err)
				}
				status, _ := res.StatusOverride()
				return res.Body, status
			}
			envelope := func(body string) (e, m string) {
				var got struct{ Error, Message string }
				if err := json.Unmarshal([]byte(body), &got); err != nil {
					t.Fatalf("variant %+v: the error body is not JSON: %q", variant, body)
				}
				return got.Error, got.Message
			}
			for _, out := range []any{name, map[string]any{name: []any{name, 1.5, nil, true}}} {
				body, status := render(map[string]any{"status": "SUCCEEDED", "output": marshalJSON(out)})
				var got any
				if json.Unmarshal([]byte(body), &got) != nil || !reflect.DeepEqual(got, out) || status != 0 {
					t.Fatalf("variant %+v: output %q gave %q (status %d)", variant, marshalJSON(out), body, status)
				}
			}
			body, status := render(map[string]any{"status": "FAILED", "error": name, "cause": name})
			if e, m := envelope(body); e != name || m != name || status != mapped {
				t.Fatalf("variant %+v: failure %q gave %q %q, status %d (want %d)", variant, name, e, m, status, mapped)
			}
			body, status = render(map[string]any{"status": "FAILED", "error": name + "x", "cause": name})
			if e, _ := envelope(body); e != name+"x" || status != 500 {
				t.Fatalf("variant %+v: unmapped failure %q gave %q, status %d", variant, name+"x", e, status)
			}
			body, status = render(map[string]any{"status": "TIMED_OUT", "cause": name})
			if e, m := envelope(body); e != "States.Timeout" || m != name || status != 504 {
				t.Fatalf("variant %+v: timeout gave %q %q, status %d", variant, e, m, status)
			}
		}
	}
}

// TestLiteralsAreExact: a literal value or a default in the spec reaches
// the execution input exactly, whatever it holds, \uXXXX text included,
// which Velocity would decode in a string literal.
func TestLiteralsAreExact(t *testing.T) {
	for _, v := range append([]string{`\u0041`, `\\u0041`, `a\u`, `\uZZZZ\u00e9'`, `\`}, handPicked...) {
		yv, _ := json.Marshal(v)
		src := "version: 1\napi: {name: a}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}\n" +
			"routes: {POST /a: {stateMachine: m, input: {lit: {value: " + string(yv) + "}, obj: {value: {k: " + string(yv) + "}}, d: {from: query.q, default: " + string(yv) + "}}}}\n"
		s, errs := spec.Parse("spec.yaml", []byte(src), nil)
		if s == nil || errs.HasErrors() {
			continue // the spec refuses it (control characters), with a positioned error
		}
		if lit, _ := s.Routes[0].Input[0].Value.(string); lit != v {
			continue // YAML itself reads it otherwise (it folds U+0085, a line break to YAML 1.1)
		}
		rc := requestTemplates(t, s)[0]
		res, err := rc.tpl.Render(&vtl.Request{Path: map[string]string{}, Query: map[string]string{}, Header: map[string]string{}}, vtl.Variant{})
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		var body struct{ Input string }
		var in struct {
			Lit string
			Obj struct{ K string }
			D   string
		}
		if err := json.Unmarshal([]byte(res.Body), &body); err != nil {
			t.Fatalf("%q: the body is not JSON: %v\n%s", v, err, res.Body)
		}
		if err := json.Unmarshal([]byte(body.Input), &in); err != nil || in.Lit != v || in.Obj.K != v || in.D != v {
			t.Fatalf("%q: the input is %s (%v)", v, body.Input, err)
		}
	}
}

// TestDescribeResponseTemplates: whatever a DescribeExecution reply holds,
// the answer is JSON carrying the status, error and cause exactly, the
// output (and, when asked, the input) as documents, and nothing of the
// input unless asked.
func TestDescribeResponseTemplates(t *testing.T) {
	for _, include := range []bool{false, true} {
		tpl, err := vtl.Parse(integration.Describe{IncludeInput: include}.REST().Responses()[0].Template)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range handPicked {
			doc := marshalJSON(map[string]any{"v": v})
			for _, variant := range vtl.Variants() {
				for _, reply := range []map[string]any{
					{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:m:e-1", "status": "SUCCEEDED", "startDate": 1.7e9, "stopDate": 1.7e9, "output": doc, "input": doc},
					{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:m:e-1", "status": "FAILED", "startDate": 1.7e9, "error": v, "cause": v, "input": doc},
					{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:m:e-1", "status": "RUNNING", "startDate": 1.7e9, "input": doc},
				} {
					res, err := tpl.Render(&vtl.Request{Body: marshalJSON(reply)}, variant)
					if err != nil {
						t.Fatal(err)
					}
					var got map[string]any
					if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
						t.Fatalf("variant %+v, %q: the answer is not JSON: %s", variant, v, res.Body)
					}
					want := map[string]any{"executionId": "e-1", "status": reply["status"], "startDate": 1.7e9}
					if reply["stopDate"] != nil {
						want["stopDate"] = 1.7e9
					}
					if reply["status"] == "SUCCEEDED" {
						want["output"] = map[string]any{"v": v}
					}
					if reply["error"] != nil && v != "" {
						// Empty ones are left out.
						want["error"], want["cause"] = v, v
					}
					if include {
						want["input"] = map[string]any{"v": v}
					}
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("variant %+v, value %q, reply %v:\ngot  %v\nwant %v", variant, v, reply["status"], got, want)
					}
				}
			}
		}
	}
}

// TestProxyResponseTemplates: a workflow that chooses its answer gets it,
// whatever its header values and body hold: the declared status, each
// declared header with its line breaks removed, the body exactly.
func TestProxyResponseTemplates(t *testing.T) {
	a := integration.StartSync{Proxy: &integration.Proxy{Statuses: []int{201}, Headers: []string{"Location", "X-Id"}}}
	tpl, err := vtl.Parse(a.REST().Responses()[0].Template)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range handPicked {
		output := marshalJSON(map[string]any{"statusCode": 201, "headers": map[string]any{"Location": v, "X-Other": v},
			"body": marshalJSON(map[string]any{"v": v})})
		for _, variant := range vtl.Variants() {
			res, err := tpl.Render(&vtl.Request{Body: marshalJSON(map[string]any{"status": "SUCCEEDED", "output": output})}, variant)
			if err != nil {
				t.Fatal(err)
			}
			var body map[string]any
			if err := json.Unmarshal([]byte(res.Body), &body); err != nil || body["v"] != v {
				t.Fatalf("variant %+v, %q: body %q (%v)", variant, v, res.Body, err)
			}
			status, _ := res.StatusOverride()
			h := res.HeaderOverrides()
			want := strings.NewReplacer("\r", "", "\n", "").Replace(v)
			if status != 201 || h["X-Other"] != "" || h["X-Id"] != "" || h["Location"] != want {
				t.Fatalf("variant %+v, %q: status %d, headers %q", variant, v, status, h)
			}
		}
	}
}
