package spec

import (
	"strings"

	"gopkg.in/yaml.v3"
)

func (p *parser) routes(n *yaml.Node, machines []*StateMachine) []*Route {
	var out []*Route
	byKey := map[string]*Route{}
	names := make([]string, 0, len(machines))
	for _, m := range machines {
		names = append(names, m.Name)
	}
	p.mapping(n, "routes", nil, nil, func(key string, k, v *yaml.Node) {
		at := child("routes", key)
		r := p.routeKey(k, key, at)
		p.mapping(v, at, []string{"stateMachine", "input"}, []string{"stateMachine"}, func(field string, fk, fv *yaml.Node) {
			switch field {
			case "stateMachine":
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
				p.errs.Add(p.pos(resolve(fv)), at+".stateMachine", "state machine %q is not declared under stateMachines%s; declared: %s", name, suggest(name, names), strings.Join(names, ", "))
			case "input":
				if r != nil {
					r.Input = p.input(fv, at+".input", r)
				}
			}
		})
		if r == nil {
			return
		}
		p.unusedParams(r, r.Input, at)
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
		case strings.HasPrefix(s, "{") || strings.HasSuffix(s, "}"):
			name, isParam := PathParam(s)
			greedy := strings.HasSuffix(s, "+}")
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
			if _, ok := PathParam(s); ok {
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
	params := r.Params()
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
		var src *yaml.Node
		switch resolve(v).Kind {
		case yaml.MappingNode:
			p.mapping(v, kat, []string{"from", "required"}, []string{"from"}, func(field string, fk, fv *yaml.Node) {
				switch field {
				case "from":
					src = fv
				case "required":
					fv = resolve(fv)
					if fv.Kind != yaml.ScalarNode || fv.ShortTag() != "!!bool" {
						p.errs.Add(p.pos(fv), kat+".required", "expected true or false, got %s", describe(fv))
						return
					}
					m.Required = fv.Value == "true"
					if fv.Value != "true" && fv.Value != "false" {
						p.errs.Add(p.pos(fv), kat+".required", "write true or false, not %s", fv.Value)
					}
				}
			})
			if src == nil {
				return
			}
		default:
			src = v
		}
		if !p.source(src, kat, m, params) {
			return
		}
		out = append(out, m)
	})
	p.keyConflicts(out, at)
	return out
}

// source parses "path.NAME", "query.NAME", "header.NAME", "body" or
// "body.FIELD.PATH".
func (p *parser) source(n *yaml.Node, at string, m *Mapping, params []string) bool {
	s, ok := p.str(n, at)
	if !ok {
		return false
	}
	pos := p.pos(resolve(n))
	loc, rest, _ := strings.Cut(s, ".")
	m.From = Location(loc)
	switch m.From {
	case FromBody:
		if rest == "" {
			if strings.Contains(s, ".") {
				p.errs.Add(pos, at, "%q: write body for the whole body, or body.FIELD for one field", s)
				return false
			}
			return p.bodyOnly(pos, at, m)
		}
		m.Field = strings.Split(rest, ".")
		for _, f := range m.Field {
			if !fieldName.ok(f) {
				p.errs.Add(pos, at, "body field %q: each dot-separated part must start with a letter or '_' and hold letters, digits and '_'", rest)
				return false
			}
		}
		return p.bodyOnly(pos, at, m)
	case FromPath, FromQuery, FromHeader:
	default:
		p.errs.Add(pos, at, "%q does not say where the value comes from; start it with one of path., query., header. or body%s", s, suggest(loc, locations))
		return false
	}
	if rest == "" {
		p.errs.Add(pos, at, "%q names no parameter; write %s.NAME", s, loc)
		return false
	}
	m.Name = rest
	switch m.From {
	case FromPath:
		if !contains(params, rest) {
			hint := "the path has no parameters"
			if len(params) > 0 {
				hint = "the path has {" + strings.Join(params, "}, {") + "}"
			}
			p.errs.Add(pos, at, "path parameter %q is not in the route's path%s; %s", rest, suggest(rest, params), hint)
			return false
		}
		if m.Required {
			// Redundant but harmless: path parameters are always required.
			break
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

func (p *parser) bodyOnly(pos Pos, at string, m *Mapping) bool {
	if m.Required {
		p.errs.Add(pos, at, "required applies to path, query and header parameters, not to the body")
		return false
	}
	return true
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
