package spec

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sfnapic/sfnapic/restapi/pathparam"

	"gopkg.in/yaml.v3"
)

func (p *parser) routes(n *yaml.Node, machines []*StateMachine, api *API) []*Route {
	if r := resolve(n); r.Kind == yaml.MappingNode && len(r.Content)/2 > MaxRoutes {
		p.errs.Add(p.pos(r), "routes", "the spec has %d routes; a stack holds at most %d resources, one or more per route: split the routes over several specs", len(r.Content)/2, MaxRoutes)
		return nil
	}
	var out []*Route
	byKey := map[string]*Route{}
	names := make([]string, 0, len(machines))
	for _, m := range machines {
		names = append(names, m.Name)
	}
	p.mapping(n, "routes", nil, nil, func(key string, k, v *yaml.Node) {
		at := child("routes", key)
		r := p.route(k, v, key, at, machines, names, api)
		if r == nil {
			return
		}
		id := r.Method + " " + strings.Join(r.Segments, "/")
		if prev, dup := byKey[id]; dup {
			p.errs.Add(r.Pos, at, "route %s %s is declared twice (first on line %d); remove one", r.Method, r.Path, prev.Pos.Line)
			return
		}
		byKey[id] = r
		out = append(out, r)
	})
	if resolve(n).Kind == yaml.MappingNode && len(resolve(n).Content) == 0 {
		p.errs.Add(p.pos(resolve(n)), "routes", "declare at least one route, such as `POST /items/{id}:`")
	}
	p.siblings(out)
	return out
}

// routeNodes are the fields of a route that are read once all the others
// are: what they may hold depends on the action and the content types.
type routeNodes struct {
	input, output, errors, action, include *yaml.Node
	access                                 map[string]*yaml.Node // auth, scopes, apiKey, body
}

// route reads one route; nil when its key is unusable (its fields are
// still checked, so that every error is reported at once).
func (p *parser) route(k, v *yaml.Node, key, at string, machines []*StateMachine, names []string, api *API) *Route {
	r := p.routeKey(k, key, at)
	if r != nil {
		r.ContentTypes = []string{ContentJSON}
		r.Action = ActionStart
	}
	nodes := &routeNodes{access: map[string]*yaml.Node{}}
	p.mapping(v, at, RouteFields.Keys(), RouteFields.RequiredKeys(), func(field string, fk, fv *yaml.Node) {
		p.routeField(field, fv, at, r, nodes, machines, names)
	})
	if r == nil {
		return nil
	}
	p.finishRoute(r, nodes, at, api)
	return r
}

// routeField reads one field of a route (r is nil when the route's key was
// unusable) or keeps its node for finishRoute.
func (p *parser) routeField(field string, fv *yaml.Node, at string, r *Route, nodes *routeNodes, machines []*StateMachine, names []string) {
	switch field {
	case "stateMachine":
		p.routeMachine(fv, at, r, machines, names)
	case "input":
		nodes.input = fv
	case "output":
		nodes.output = fv
	case "executionName":
		if r != nil {
			r.ExecutionName = p.executionName(fv, at+".executionName", r)
		}
	case "contentTypes":
		if r != nil {
			r.ContentTypes = p.contentTypes(fv, at+".contentTypes")
		}
	case "action":
		nodes.action = fv
		if a, ok := p.oneOf(fv, at+".action", Actions); ok && r != nil {
			r.Action = a
		}
	case "execution", "error", "cause", "token":
		p.actionValue(field, fv, at, r)
	case "includeInput":
		nodes.include = fv
		if b := resolve(fv); b.Kind != yaml.ScalarNode || b.ShortTag() != "!!bool" {
			p.errs.Add(p.pos(b), at+".includeInput", "expected true or false, got %s", describe(b))
		} else if r != nil {
			r.IncludeInput = b.Value == "true"
		}
	case "errors":
		nodes.errors = fv
	case "response":
		if r != nil {
			r.Response = p.response(fv, at+".response")
		}
	case "timeout":
		if ms, ok := p.timeout(fv, at+".timeout"); ok && r != nil {
			r.TimeoutMillis = ms
		}
	case "auth", "scopes", "apiKey", "body":
		nodes.access[field] = fv
	}
}

// routeMachine finds the state machine a route names, and marks it used.
func (p *parser) routeMachine(fv *yaml.Node, at string, r *Route, machines []*StateMachine, names []string) {
	name, ok := p.str(fv, at+".stateMachine")
	if !ok {
		return
	}
	for _, m := range machines {
		if m.Name == name {
			if r != nil {
				r.StateMachine = m
			}
			m.Used = true
			return
		}
	}
	if len(names) == 0 {
		p.errs.Add(p.pos(resolve(fv)), at+".stateMachine", "state machine %q is not declared under stateMachines", name)
		return
	}
	p.errs.Add(p.pos(resolve(fv)), at+".stateMachine", "state machine %q is not declared under stateMachines%s; declared: %s", name, suggest(name, names), listNames(names))
}

// actionValue reads where a route's action finds the execution, the
// error, the cause or the task token.
func (p *parser) actionValue(field string, fv *yaml.Node, at string, r *Route) {
	if r == nil {
		return
	}
	m := &Mapping{Key: field, Pos: p.pos(resolve(fv))}
	if !p.mappingValue(fv, at+"."+field, m, r, true) {
		r.unreadExecution = r.unreadExecution || field == "execution"
		return
	}
	*map[string]**Mapping{"execution": &r.Execution, "error": &r.StopError, "cause": &r.StopCause, "token": &r.Token}[field] = m
}

// finishRoute reads the fields whose meaning depends on the others, then
// checks the route as a whole.
func (p *parser) finishRoute(r *Route, nodes *routeNodes, at string, api *API) {
	p.routeAccess(r, nodes.access, at, api)
	if nodes.errors != nil {
		r.Errors = p.errorStatuses(nodes.errors, at+".errors")
	}
	// Input last: what a body field may be depends on the content types.
	switch in := nodes.input; {
	case in != nil && r.Action == ActionTaskSuccess:
		p.errs.Add(p.pos(resolve(in)), at+".input", "a taskSuccess route gives a task its output, not an execution its input: write output")
	case in != nil && Callback(r.Action):
		p.errs.Add(p.pos(resolve(in)), at+".input", "a %s route sends no execution input: remove input", r.Action)
	case in != nil:
		r.Input = p.input(in, at+".input", r)
	}
	if nodes.output != nil {
		if r.Action != ActionTaskSuccess {
			p.errs.Add(p.pos(resolve(nodes.output)), at+".output", "output is the output a taskSuccess route completes a task with: it needs action: taskSuccess")
		} else {
			r.Input = p.input(nodes.output, at+".output", r)
		}
	}
	p.actionFits(nodes.action, nodes.include, at, r)
	if r.ExecutionName != nil && r.StateMachine != nil && r.StateMachine.Type == TypeExpress {
		p.errs.Warn(r.ExecutionName.Pos, at+".executionName", "EXPRESS state machines do not deduplicate executions by name")
	}
	if !r.unreadPath {
		p.unusedParams(r, r.Input, at)
	}
}

// routeKey parses "VERB /path".
func (p *parser) routeKey(k *yaml.Node, key, at string) *Route {
	pos := p.pos(k)
	fields := strings.Fields(key)
	if len(fields) != 2 {
		p.errs.Add(pos, at, "a route is written \"VERB /path\", such as \"POST /items/{item_id}\"")
		return nil
	}
	method, rpath := fields[0], fields[1]
	ok := true
	if !contains(Methods, method) {
		p.errs.Add(pos, at, "unknown HTTP method %q%s; use one of %s", method, suggest(method, Methods), strings.Join(Methods, ", "))
		ok = false
	}
	segs, good := p.path(pos, at, rpath)
	if !ok || !good {
		return nil
	}
	return &Route{Method: method, Path: rpath, Segments: segs, Pos: pos}
}

// path checks a route path and splits it into segments.
func (p *parser) path(pos Pos, at, rpath string) ([]string, bool) {
	if !strings.HasPrefix(rpath, "/") {
		p.errs.Add(pos, at, "path %q must start with '/'", rpath)
		return nil, false
	}
	if rpath == "/" {
		return nil, true
	}
	if strings.HasSuffix(rpath, "/") {
		p.errs.Add(pos, at, "path %q must not end with '/'", rpath)
		return nil, false
	}
	segs := strings.Split(rpath[1:], "/")
	seen := map[string]bool{}
	ok := true
	for i, s := range segs {
		switch {
		case s == "":
			p.errs.Add(pos, at, "path %q has an empty segment (\"//\")", rpath)
			ok = false
		case s == "." || s == "..":
			p.errs.Add(pos, at, "path %q has a %q segment; API Gateway paths have no relative segments", rpath, s)
			ok = false
		case strings.HasPrefix(s, "{") || strings.HasSuffix(s, "}"):
			name, greedy, isParam := pathparam.Parse(s)
			switch {
			case !isParam || !paramName.ok(name):
				p.errs.Add(pos, at, "path segment %q is not a parameter such as {item_id}: a name starts with a letter or '_' and holds letters, digits, '_' and '-'", s)
				ok = false
			case greedy && i != len(segs)-1:
				p.errs.Add(pos, at, "greedy parameter %s must be the last path segment", s)
				ok = false
			case seen[name]:
				p.errs.Add(pos, at, "path parameter {%s} appears twice in %q", name, rpath)
				ok = false
			}
			seen[name] = true
		case !literalSeg.ok(s):
			p.errs.Add(pos, at, "path segment %q may hold only letters, digits, '.', '_', ':' and '-'", s)
			ok = false
		}
	}
	return segs, ok
}

// siblings reports parameter segments that API Gateway would reject: one
// resource can have only one parameter child, so /a/{id} and /a/{name}
// cannot both exist.
func (p *parser) siblings(routes []*Route) {
	type owner struct {
		seg   string
		route *Route
	}
	param := map[string]owner{} // parent path -> parameter segment
	for _, r := range routes {
		parent := ""
		for _, s := range r.Segments {
			if _, _, ok := pathparam.Parse(s); ok {
				if o, taken := param[parent]; taken && o.seg != s {
					p.errs.Add(r.Pos, child("routes", r.Method+" "+r.Path),
						"path segment %s conflicts with %s of route %s %s (line %d): API Gateway allows one parameter segment per level; use the same name in both",
						s, o.seg, o.route.Method, o.route.Path, o.route.Pos.Line)
					break
				} else if !taken {
					param[parent] = owner{s, r}
				}
			}
			parent += "/" + s
		}
	}
}

// input parses a route's input mapping: input key -> source.
func (p *parser) input(n *yaml.Node, at string, r *Route) []*Mapping {
	var out []*Mapping
	p.mapping(n, at, nil, nil, func(key string, k, v *yaml.Node) {
		kat := child(at, key)
		m := &Mapping{Key: key, Pos: p.pos(k)}
		m.KeyPath = strings.Split(key, ".")
		for _, s := range m.KeyPath {
			if !inputKey.ok(s) {
				p.errs.Add(m.Pos, kat, "input key %q: each dot-separated part must start with a letter or '_' and hold letters, digits, '_' and '-'", key)
				return
			}
		}
		if p.mappingValue(v, kat, m, r, false) {
			out = append(out, m)
		}
	})
	p.keyConflicts(out, at)
	return out
}

// mappingValue parses what an input key (or the execution name) takes: a
// source string, or {from, required, default, absent} or {value}.
func (p *parser) mappingValue(v *yaml.Node, at string, m *Mapping, r *Route, name bool) bool {
	if resolve(v).Kind != yaml.MappingNode {
		return p.source(v, at, m, r, name)
	}
	fields := InputFields.Keys()
	if name {
		fields = NameFields.Keys()
	}
	var from, value, def, absent *yaml.Node
	ok := true
	p.mapping(v, at, fields, nil, func(field string, fk, fv *yaml.Node) {
		switch field {
		case "from":
			from = fv
		case "value":
			value = fv
		case "default":
			def = fv
		case "absent":
			absent = fv
		case "required":
			fv = resolve(fv)
			if fv.Kind != yaml.ScalarNode || fv.ShortTag() != "!!bool" {
				p.errs.Add(p.pos(fv), at+".required", "expected true or false, got %s", describe(fv))
				ok = false
				return
			}
			m.Required = fv.Value == "true"
		}
	})
	pos := p.pos(resolve(v))
	switch {
	case value != nil && (from != nil || def != nil || absent != nil || m.Required):
		p.errs.Add(pos, at, "value is a literal: it takes no from, required, default or absent")
		return false
	case value != nil:
		before := len(p.errs)
		m.From, m.Value = FromValue, p.value(value, p.file, at+".value", 0)
		if len(p.errs) > before || !p.noControls(value, at+".value", m.Value) {
			return false
		}
		if name {
			s, isStr := m.Value.(string)
			if !isStr {
				p.errs.Add(p.pos(resolve(value)), at+".value", "an execution name must be a string")
				return false
			}
			if reason := badExecutionName(s); reason != "" {
				p.errs.Add(p.pos(resolve(value)), at+".value", "%q can never be an execution name: %s", s, reason)
				return false
			}
		}
		return true
	case from == nil:
		p.errs.Add(pos, at, "missing required field \"from\" (or give a literal with value)")
		return false
	}
	if !ok || !p.source(from, at, m, r, name) {
		return false
	}
	if def != nil {
		before := len(p.errs)
		m.Default, m.HasDefault = p.value(def, p.file, at+".default", 0), true
		if len(p.errs) > before || !p.noControls(def, at+".default", m.Default) {
			return false
		}
	}
	if absent != nil {
		s, isStr := p.oneOf(absent, at+".absent", []string{"null", "omit"})
		if !isStr {
			return false
		}
		m.Omit = s == "omit"
	}
	switch {
	case m.Required && m.From != FromQuery && m.From != FromHeader && m.From != FromPath:
		p.errs.Add(pos, at, "required applies to path, query and header parameters, not to %s", m.From)
		return false
	case (def != nil || absent != nil) && !m.CanBeAbsent():
		why := "it is always present"
		if m.Required && m.From != FromPath {
			why = "it is required, so never absent"
		}
		p.errs.Add(pos, at, "default and absent apply to values a request can lack; %s", why)
		return false
	case def != nil && absent != nil:
		p.errs.Add(pos, at, "give default or absent, not both")
		return false
	}
	return true
}

// source parses "path.NAME", "query.NAME", "header.NAME", "body",
// "body.FIELD.PATH" or "context.FIELD". For an execution name (name), the
// whole body is not allowed and "requestId" is short for
// "context.requestId".
func (p *parser) source(n *yaml.Node, at string, m *Mapping, r *Route, name bool) bool {
	s, ok := p.str(n, at)
	if !ok {
		return false
	}
	if name && s == "requestId" {
		s = "context.requestId"
	}
	pos := p.pos(resolve(n))
	loc, rest, _ := strings.Cut(s, ".")
	m.From = Location(loc)
	form := contains(r.ContentTypes, ContentForm)
	switch m.From {
	case FromBody:
		if rest == "" {
			if strings.Contains(s, ".") {
				p.errs.Add(pos, at, "%q: write body for the whole body, or body.FIELD for one field", s)
				return false
			}
			if name {
				p.errs.Add(pos, at, "an execution name cannot be the whole body; name a field: body.FIELD")
				return false
			}
			return true
		}
		m.Field = strings.Split(rest, ".")
		for _, f := range m.Field {
			if !fieldName.ok(f) {
				p.errs.Add(pos, at, "body field %q: each dot-separated part must start with a letter or '_' and hold letters, digits and '_'", rest)
				return false
			}
		}
		if form && len(m.Field) > 1 {
			p.errs.Add(pos, at, "body field %q is nested, but form bodies (contentTypes: form) are flat: use one field name", rest)
			return false
		}
		return true
	case FromContext:
		m.Name = rest
		if !contains(ContextFields, rest) && !validAuthorizerField(rest) {
			p.errs.Add(pos, at, "unknown context field %q%s; use one of %s, authorizer.claims.NAME or authorizer.NAME", rest, didYouMean("context.", closest(rest, ContextFields)), strings.Join(ContextFields, ", "))
			return false
		}
		if name && contains(contextNeverName, rest) {
			p.errs.Add(pos, at, "context.%s always holds '/' or ':', which execution names may not contain", rest)
			return false
		}
		return true
	case FromPath, FromQuery, FromHeader:
		return p.requestParam(pos, at, s, loc, rest, m, r)
	default:
		p.errs.Add(pos, at, "%q does not say where the value comes from; start it with one of path., query., header., body or context.%s", s, suggestWhole(s, locations))
		r.unreadPath = true
		return false
	}
}

// requestParam reads a path, query or header source: its name (rest, of
// the source s as written) must be one the route's requests can carry.
func (p *parser) requestParam(pos Pos, at, s, loc, rest string, m *Mapping, r *Route) bool {
	if rest == "" {
		p.errs.Add(pos, at, "%q names no parameter; write %s.NAME", s, loc)
		return false
	}
	m.Name = rest
	if !p.requestParamLength(pos, at, m.From, rest) {
		return false
	}
	switch m.From {
	case FromPath:
		params := r.Params()
		if !contains(params, rest) {
			hint := "the path has no parameters"
			if len(params) > 0 {
				hint = "the path has {" + strings.Join(params, "}, {") + "}"
			}
			p.errs.Add(pos, at, "path parameter %q is not in the route's path%s; %s", rest, didYouMean("path.", guessParam(rest, params)), hint)
			r.unreadPath = true
			return false
		}
		m.Required = true
	case FromQuery:
		if !queryName.ok(rest) {
			p.errs.Add(pos, at, "query parameter name %q may hold only letters, digits and '_', '.', '~', '-'", rest)
			return false
		}
	case FromHeader:
		if !headerName.ok(rest) {
			p.errs.Add(pos, at, "%q is not a valid HTTP header name", rest)
			return false
		}
	}
	return true
}

// noControls rejects control characters other than tab, newline and
// carriage return in a literal: they would need \uXXXX escapes in the
// request template, which Velocity may decode in string literals.
func (p *parser) noControls(n *yaml.Node, at string, v any) bool {
	var bad func(v any) bool
	bad = func(v any) bool {
		switch x := v.(type) {
		case string:
			for _, r := range x {
				if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
					return true
				}
			}
		case Object:
			for _, m := range x {
				if bad(m.Key) || bad(m.Value) {
					return true
				}
			}
		case []any:
			for _, it := range x {
				if bad(it) {
					return true
				}
			}
		}
		return false
	}
	if bad(v) {
		p.errs.Add(p.pos(resolve(n)), at, "a literal may not hold control characters other than tab, newline and carriage return")
		return false
	}
	return true
}

var claimName = nameRule{alnum + "_:.-", alnum + "_:.-", 128}

func validAuthorizerField(f string) bool {
	if c, ok := strings.CutPrefix(f, "authorizer.claims."); ok {
		return claimName.ok(c)
	}
	if a, ok := strings.CutPrefix(f, "authorizer."); ok {
		return a != "claims" && fieldName.ok(a)
	}
	return false
}

// badExecutionName says why s breaks the StartExecution name rules, or ""
// if it does not: 1 to 80 characters, no whitespace, no control
// characters, none of < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /.
func badExecutionName(s string) string {
	if s == "" || utf8.RuneCountInString(s) > 80 {
		return "a name has 1 to 80 characters"
	}
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			return "it holds whitespace"
		case r < 0x20 || 0x7f <= r && r <= 0x9f:
			return "it holds a control character"
		case strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r):
			return fmt.Sprintf("it holds %q", r)
		}
	}
	return ""
}

func (p *parser) executionName(n *yaml.Node, at string, r *Route) *Mapping {
	m := &Mapping{Key: "name", Pos: p.pos(resolve(n))}
	if !p.mappingValue(n, at, m, r, true) {
		return nil
	}
	return m
}

func (p *parser) contentTypes(n *yaml.Node, at string) []string {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.errs.Add(p.pos(n), at, "expected a list of content types (json, form), got %s", describe(n))
		return []string{ContentJSON}
	}
	var out []string
	for i, c := range n.Content {
		cat := fmt.Sprintf("%s[%d]", at, i)
		s, ok := p.oneOf(c, cat, []string{"json", "form"})
		if !ok {
			continue
		}
		mt := map[string]string{"json": ContentJSON, "form": ContentForm}[s]
		if contains(out, mt) {
			p.errs.Add(p.pos(resolve(c)), cat, "%s is listed twice", s)
			continue
		}
		out = append(out, mt)
	}
	if len(out) == 0 {
		return []string{ContentJSON}
	}
	return out
}

// keyConflicts reports input keys that cannot both exist, such as customer
// and customer.id: one wants a value, the other an object.
func (p *parser) keyConflicts(ms []*Mapping, at string) {
	for i, a := range ms {
		for _, b := range ms[:i] {
			short, long := b, a
			if len(a.KeyPath) < len(b.KeyPath) {
				short, long = a, b
			}
			if len(short.KeyPath) == len(long.KeyPath) {
				continue // equal keys are caught as duplicate YAML keys
			}
			if strings.Join(long.KeyPath[:len(short.KeyPath)], ".") == short.Key {
				p.errs.Add(a.Pos, child(at, a.Key), "input key %q conflicts with %q (line %d): %q cannot be both a value and an object holding %q", a.Key, b.Key, b.Pos.Line, short.Key, long.Key)
			}
		}
	}
}

func (p *parser) unusedParams(r *Route, ms []*Mapping, at string) {
	used := map[string]bool{}
	for _, m := range []*Mapping{r.ExecutionName, r.Execution, r.StopError, r.StopCause, r.Token} {
		if m != nil {
			ms = append(ms[:len(ms):len(ms)], m)
		}
	}
	for _, m := range ms {
		if m.From == FromPath {
			used[m.Name] = true
		}
	}
	for _, name := range r.Params() {
		if !used[name] {
			p.errs.Warn(r.Pos, at, "path parameter {%s} is not mapped into the input; add `%s: path.%s` to use it", name, name, name)
		}
	}
}
