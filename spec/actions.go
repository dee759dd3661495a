package spec

// The route fields that depend on a route's action: what each action
// needs and refuses (actionFits, callbackFits), a synchronous route's
// errors, response and timeout.

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// timeout reads an integration timeout written with its unit: 500ms, 10s.
func (p *parser) timeout(n *yaml.Node, at string) (int, bool) {
	if r := resolve(n); r.Kind == yaml.ScalarNode && r.ShortTag() == "!!int" {
		p.errs.Add(p.pos(r), at, "a timeout is written with its unit: %sms or %ss", r.Value, r.Value)
		return 0, false
	}
	v, ok := p.str(n, at)
	if !ok {
		return 0, false
	}
	scale, num := 1, v
	if before, ms := strings.CutSuffix(v, "ms"); ms {
		num = before
	} else if before, s := strings.CutSuffix(v, "s"); s {
		scale, num = 1000, before
	}
	count, err := strconv.Atoi(num)
	if err != nil || num == v || count < 0 {
		p.errs.Add(p.pos(resolve(n)), at, "%q is not a timeout: write a whole number of milliseconds or seconds with its unit, such as 500ms or 10s", v)
		return 0, false
	}
	ms := MaxTimeoutMillis + 1 // anything too long, without overflowing
	if count <= MaxTimeoutMillis {
		ms = count * scale
	}
	switch {
	case ms < MinTimeoutMillis:
		p.errs.Add(p.pos(resolve(n)), at, "%s is shorter than API Gateway allows a REST integration: 50ms at the least", v)
		return 0, false
	case ms > MaxTimeoutMillis:
		p.errs.Add(p.pos(resolve(n)), at, "%s is longer than API Gateway allows a REST integration: 29s at the most, unless AWS raises the quota (Regional and private APIs can ask); a run that long suits action: start", v)
		return 0, false
	}
	return ms, true
}

// errorStatuses reads a synchronous route's map of workflow error names to
// HTTP statuses.
func (p *parser) errorStatuses(n *yaml.Node, at string) []ErrorStatus {
	var out []ErrorStatus
	p.mapping(n, at, nil, nil, func(name string, k, v *yaml.Node) {
		eat := child(at, name)
		if name == "" || len(name) > 256 {
			p.errs.Add(p.pos(k), eat, "an error name has 1 to 256 characters")
			return
		}
		if !p.noControls(k, eat, name) {
			return
		}
		vn := resolve(v)
		status, err := strconv.Atoi(vn.Value)
		if vn.Kind != yaml.ScalarNode || vn.ShortTag() != "!!int" || err != nil {
			p.errs.Add(p.pos(vn), eat, "expected an HTTP status such as 404, got %s", describe(vn))
			return
		}
		if status < 400 || status > 599 {
			p.errs.Add(p.pos(vn), eat, "%d is not an error status: a failed run answers with a status from 400 to 599", status)
			return
		}
		out = append(out, ErrorStatus{Name: name, Status: status, Pos: p.pos(k)})
	})
	return out
}

// actionFits checks the fields and the state machine that the route's
// action needs. actionNode and includeNode are the action's and
// includeInput's values, nil when not written.
func (p *parser) actionFits(actionNode, includeNode *yaml.Node, at string, r *Route) {
	only := func(m *Mapping, field, action, what string) {
		if m != nil && r.Action != action {
			p.errs.Add(m.Pos, at+"."+field, "%s: it needs action: %s", what, action)
		}
	}
	if r.Response != nil && r.Action != ActionStartSync {
		p.errs.Add(r.Response.Pos, at+".response", "response lets a synchronous run choose its answer: it needs action: startSync")
	}
	if r.Errors != nil && r.Action != ActionStartSync {
		p.errs.Add(r.Errors[0].Pos, at+".errors", "errors maps the failures of a synchronous run: it needs action: startSync")
	}
	if r.Action != ActionTaskFailure {
		only(r.StopError, "error", ActionStop, "error is the error a stop route stops an execution (or a taskFailure route fails a task) with")
		only(r.StopCause, "cause", ActionStop, "cause is the cause a stop route stops an execution (or a taskFailure route fails a task) with")
	}
	if Callback(r.Action) {
		p.callbackFits(actionNode, at, r)
	} else if r.Token != nil {
		p.errs.Add(r.Token.Pos, at+".token", "token is where a callback route finds the task token: it needs action: taskSuccess, taskFailure or taskHeartbeat")
	}
	byID := r.Action == ActionStatus || r.Action == ActionStop
	if r.Execution != nil && !byID {
		p.errs.Add(r.Execution.Pos, at+".execution", "execution finds the execution a status or stop route acts on: it needs action: status or action: stop")
	}
	if r.IncludeInput && r.Action != ActionStatus {
		p.errs.Add(p.pos(resolve(includeNode)), at+".includeInput", "includeInput puts the input in a status route's answer: it needs action: status")
	}
	m := r.StateMachine
	known := m != nil && !m.Existing()
	switch {
	case r.Action == ActionStartSync && known && m.Type != TypeExpress:
		p.errs.Add(p.pos(resolve(actionNode)), at+".action", "startSync runs EXPRESS state machines only (StartSyncExecution refuses STANDARD ones): set type: EXPRESS on %s, or use action: start", m.Name)
	case byID && known && m.Type == TypeExpress:
		p.errs.Add(p.pos(resolve(actionNode)), at+".action", "%s acts on STANDARD executions only: Step Functions keeps no record of EXPRESS executions to describe or stop (their history is in CloudWatch Logs); use action: startSync to answer with the run's result", r.Action)
	}
	if !byID {
		return
	}
	switch {
	case r.unreadExecution: // reported where it was read
	case r.Execution == nil:
		p.errs.Add(p.pos(resolve(actionNode)), at+".execution", "a %s route needs execution: where the request gives the execution's id, such as path.id", r.Action)
	case r.Execution.From == FromContext || r.Execution.From == FromValue:
		p.errs.Add(r.Execution.Pos, at+".execution", "the execution's id comes from the request: path.NAME, query.NAME, header.NAME or body.FIELD")
	}
	if r.Input != nil {
		p.errs.Add(r.Input[0].Pos, at+".input", "a %s route sends no execution input: remove input", r.Action)
	}
	if r.ExecutionName != nil {
		p.errs.Add(r.ExecutionName.Pos, at+".executionName", "a %s route names no execution: it finds one with execution", r.Action)
	}
}

// callbackFits checks a route that answers a task token: where the token
// comes from (body.taskToken unless written), and what it may not carry.
func (p *parser) callbackFits(actionNode *yaml.Node, at string, r *Route) {
	if r.Token == nil {
		r.Token = &Mapping{Key: "token", Pos: p.pos(resolve(actionNode)), From: FromBody, Field: []string{"taskToken"}}
	}
	switch r.Token.From {
	case FromContext, FromValue:
		p.errs.Add(r.Token.Pos, at+".token", "the task token comes from the request: body.FIELD (the safe default), header.NAME, or query.NAME")
	case FromPath:
		p.errs.Add(r.Token.Pos, at+".token", "a task token holds /, which a path cannot carry (API Gateway would split the path or refuse it): take it from the body (body.taskToken) or a header")
	case FromBody:
		if bodiless(r.Method) {
			p.errs.Add(r.Token.Pos, at+".token", "a %s request has no body to take the task token from (browsers cannot send one, and an edge-optimized API's CloudFront refuses one with 403): take it from a header (token: header.X-Task-Token), or make the route POST", r.Method)
		}
	case FromQuery:
		p.errs.Warn(r.Token.Pos, at+".token", "a task token holds + / and =: in a query string the client must percent-encode them (%%2B %%2F %%3D), or a + arrives as a space and the token is refused; body.taskToken or a header carries them as they are")
	}
	if r.Action == ActionTaskSuccess && r.Input == nil {
		// Without output, the whole body is the task's output (its token
		// member too, when the token comes from the body).
		r.Input = []*Mapping{{Key: "output", From: FromBody, Pos: r.Token.Pos}}
	}
	if r.ExecutionName != nil {
		p.errs.Add(r.ExecutionName.Pos, at+".executionName", "a callback route answers a task by its token: it names no execution")
	}
}

// bodiless says whether requests with this verb carry no body a route
// could read: HTTP gives a GET's body no meaning, and clients and
// CloudFront do not pass one.
func bodiless(method string) bool {
	return method == "GET" || method == "HEAD" || method == "OPTIONS"
}

// response reads what a synchronous workflow may answer itself.
func (p *parser) response(n *yaml.Node, at string) *Response {
	out := &Response{Pos: p.pos(resolve(n))}
	p.mapping(n, at, []string{"statuses", "headers"}, nil, func(field string, k, v *yaml.Node) {
		l := resolve(v)
		if l.Kind != yaml.SequenceNode {
			p.errs.Add(p.pos(l), at+"."+field, "expected a list, got %s", describe(l))
			return
		}
		for i, item := range l.Content {
			iat := fmt.Sprintf("%s.%s[%d]", at, field, i)
			it := resolve(item)
			switch field {
			case "statuses":
				code, err := strconv.Atoi(it.Value)
				if it.Kind != yaml.ScalarNode || it.ShortTag() != "!!int" || err != nil || code < 200 || code > 599 {
					p.errs.Add(p.pos(it), iat, "expected an HTTP status from 200 to 599, got %s", describe(it))
					continue
				}
				out.Statuses = append(out.Statuses, code)
			case "headers":
				name, ok := p.str(it, iat)
				if ok && !headerToken.ok(name) {
					p.errs.Add(p.pos(it), iat, "%q is not a header name the template can set: letters, digits and hyphens, starting with a letter", name)
					continue
				}
				if ok {
					out.Headers = append(out.Headers, name)
				}
			}
		}
	})
	return out
}

// headerToken is a header name that a template can set as a property of
// $context.responseOverride.header: a Velocity 1.7 identifier as well.
var headerToken = nameRule{letters, alnum + "-", 128}
