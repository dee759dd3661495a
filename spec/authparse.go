package spec

// Parsing of who may call a route (issue 18): api.auth, api.authorizers
// and a route's auth, scopes and apiKey. CORS, usage plans and body
// schemas have files of their own.

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// accessName is the rule for authorizer, usage plan and API key names:
// they become parts of logical IDs and resource names.
var accessName = machineName

// ARN syntax, from AWS's API references. Lambda's function ARN is the
// pattern of FunctionArn in the Lambda API reference (CreateFunction);
// the user pool ARN is arn:PARTITION:cognito-idp:REGION:ACCOUNT:userpool/ID
// with the UserPoolId pattern of the Cognito user pools API reference
// ([\w-]+_[0-9a-zA-Z]+), the region being the ID's prefix.
var (
	lambdaArnRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:function:[a-zA-Z0-9_-]{1,64}(:(\$LATEST|[a-zA-Z0-9_-]{1,128}))?$`)
	})
	userPoolArnRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):[0-9]{12}:userpool/([a-z0-9-]+)_[0-9A-Za-z]+$`)
	})
	// poolRegionsRe finds the two regions of a user pool ARN whose
	// ${...} literalParts masked.
	poolRegionsRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^arn:[^:]*:cognito-idp:([a-z0-9-]+):[^:]*:userpool/([a-z0-9-]+)_`)
	})
)

// FindAuthorizer returns the authorizer of that name, or nil.
func (a *API) FindAuthorizer(name string) *Authorizer {
	for _, z := range a.Authorizers {
		if z.Name == name {
			return z
		}
	}
	return nil
}

// FindUsagePlan returns the usage plan of that name, or nil.
func (a *API) FindUsagePlan(name string) *UsagePlan {
	for _, u := range a.UsagePlans {
		if u.Name == name {
			return u
		}
	}
	return nil
}

// authorizers reads api.authorizers, sorted by name.
func (p *parser) authorizers(n *yaml.Node, at string) []*Authorizer {
	var out []*Authorizer
	p.mapping(n, at, nil, nil, func(name string, k, v *yaml.Node) {
		aat := child(at, name)
		switch {
		case name == AuthNone || name == AuthIAM:
			p.errs.Add(p.pos(k), aat, "%q is a value of auth itself: name the authorizer otherwise", name)
			return
		case !accessName.ok(name):
			p.errs.Add(p.pos(k), aat, "authorizer name %q must start with a letter and hold only letters, digits, '-' and '_' (at most 64 characters)", name)
			return
		}
		if z := p.authorizer(v, aat); z != nil {
			z.Name, z.Pos = name, p.pos(k)
			out = append(out, z)
		}
	})
	if r := resolve(n); r.Kind == yaml.MappingNode && len(r.Content) == 0 {
		p.errs.Add(p.pos(r), at, "declare at least one authorizer, or remove authorizers")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// authorizer reads one authorizer; the fields of the other type are
// refused, so that a spec says what it does.
func (p *parser) authorizer(n *yaml.Node, at string) *Authorizer {
	z := &Authorizer{}
	fields := map[string]*yaml.Node{}
	p.mapping(n, at, AuthorizerFields.Keys(), AuthorizerFields.RequiredKeys(), func(key string, k, v *yaml.Node) {
		fields[key] = v
	})
	if resolve(n).Kind != yaml.MappingNode || fields["type"] == nil {
		return nil
	}
	typ, ok := p.oneOf(fields["type"], at+".type", []string{AuthorizerCognito, AuthorizerLambda})
	if !ok {
		return nil
	}
	z.Type = typ
	own := map[string][]string{AuthorizerCognito: {"userPools"}, AuthorizerLambda: {"function", "identity", "ttl"}}[typ]
	for _, f := range AuthorizerFields.Keys() {
		if v := fields[f]; v != nil && f != "type" && !contains(own, f) {
			p.errs.Add(p.pos(resolve(v)), at+"."+f, "%s applies to type: %s authorizers, not %s", f, otherType(typ), typ)
		}
	}
	if typ == AuthorizerCognito {
		p.cognito(z, fields, n, at)
	} else {
		p.lambda(z, fields, n, at)
	}
	return z
}

func otherType(t string) string {
	if t == AuthorizerCognito {
		return AuthorizerLambda
	}
	return AuthorizerCognito
}

func (p *parser) cognito(z *Authorizer, fields map[string]*yaml.Node, n *yaml.Node, at string) {
	pools := fields["userPools"]
	if pools == nil {
		p.errs.Add(p.pos(resolve(n)), at, "a cognito authorizer needs userPools: the ARNs of the user pools whose tokens it accepts")
		return
	}
	for i, s := range p.stringList(pools, at+".userPools", "user pool ARNs") {
		if s == "" {
			continue
		}
		c := resolve(pools).Content[i]
		pat := fmt.Sprintf("%s.userPools[%d]", at, i)
		p.deployed(c, pat, s, userPoolArnRe().MatchString, "a user pool ARN such as arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf")
		// The regions compared are those written: a part the deployment
		// fills in is not known here, and a literal that is no ARN has
		// had its error.
		m := poolRegionsRe().FindStringSubmatch(literalParts(s))
		if m != nil && m[1] != m[2] && (strings.Contains(s, "${") || userPoolArnRe().MatchString(s)) {
			p.errs.Add(p.pos(resolve(c)), pat, "user pool %q is in region %s but the ARN says %s: a pool ID starts with its region", s, m[2], m[1])
		}
		z.UserPools = append(z.UserPools, s)
	}
	if len(z.UserPools) > 1000 {
		p.errs.Add(p.pos(resolve(pools)), at+".userPools", "%d user pools given; API Gateway accepts at most 1000 per authorizer", len(z.UserPools))
	}
}

func (p *parser) lambda(z *Authorizer, fields map[string]*yaml.Node, n *yaml.Node, at string) {
	fn := fields["function"]
	if fn == nil {
		p.errs.Add(p.pos(resolve(n)), at, "a lambda authorizer needs function: the ARN of the Lambda function that decides")
	} else if s, ok := p.str(fn, at+".function"); ok {
		p.deployed(fn, at+".function", s, lambdaArnRe().MatchString, "a Lambda function ARN such as arn:aws:lambda:eu-west-1:123456789012:function:check-partner")
		z.Function = s
	}
	z.Identity, z.TTL = []string{"header.Authorization"}, DefaultAuthorizerTTL
	if id := fields["identity"]; id != nil {
		z.Identity = p.identity(id, at+".identity")
	}
	if ttl := fields["ttl"]; ttl != nil {
		if secs, ok := p.duration(ttl, at+".ttl", "a ttl", MaxAuthorizerTTL, "3600s (1h), API Gateway's longest cache"); ok {
			z.TTL = secs
		}
	}
}

// identitySources are the prefixes of a Lambda authorizer's identity.
var identitySources = []string{"header", "query", "context", "stageVariables"}

// identity reads a Lambda authorizer's identity sources (API Gateway's
// identitySource: method.request.header.X, method.request.querystring.X,
// context.X, stageVariables.X).
func (p *parser) identity(n *yaml.Node, at string) []string {
	var out []string
	seen := map[string]bool{}
	for i, s := range p.stringList(n, at, "identity sources such as header.Authorization") {
		if s == "" {
			continue
		}
		iat, pos := fmt.Sprintf("%s[%d]", at, i), p.pos(resolve(resolve(n).Content[i]))
		if reason := badIdentity(s); reason != "" {
			p.errs.Add(pos, iat, "%s", reason)
			continue
		}
		key := s
		if strings.HasPrefix(s, "header.") {
			key = strings.ToLower(s) // header names match in any case
		}
		if seen[key] {
			p.errs.Add(pos, iat, "%s is listed twice", s)
			continue
		}
		seen[key] = true
		out = append(out, s)
	}
	return out
}

// badIdentity says what is wrong with an identity source, or "".
func badIdentity(s string) string {
	kind, name, _ := strings.Cut(s, ".")
	if !contains(identitySources, kind) {
		return fmt.Sprintf("%q does not say where the identity is; start it with header., query., context. or stageVariables.%s", s, suggestWhole(s, identitySources))
	}
	ok := false
	switch kind {
	case "header":
		ok = headerName.ok(name)
	case "query":
		ok = queryName.ok(name)
	case "stageVariables":
		ok = stageVarName.ok(name)
	case "context":
		if name != "" && !contains(ContextFields, name) && !strings.HasPrefix(name, "authorizer.") {
			return fmt.Sprintf("unknown context field %q%s; use one of %s", name, didYouMean("context.", closest(name, ContextFields)), strings.Join(ContextFields, ", "))
		}
		ok = name != "" && !strings.HasPrefix(name, "authorizer.")
	}
	if !ok {
		return fmt.Sprintf("%q names no valid %s; write %s.NAME", s, kind, kind)
	}
	return ""
}

var stageVarName = nameRule{alnum + "_", alnum + "_", 64}

// stringList reads a non-empty list of strings; an entry that is not a
// string is reported and left "" so that indexes stay those of the list.
func (p *parser) stringList(n *yaml.Node, at, what string) []string {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.errs.Add(p.pos(n), at, "expected a list of %s, got %s", what, describe(n))
		return nil
	}
	out := make([]string, len(n.Content))
	for i, c := range n.Content {
		out[i], _ = p.str(c, fmt.Sprintf("%s[%d]", at, i))
	}
	return out
}

// apiAuth reads api.auth once the authorizers are known.
func (p *parser) apiAuth(n *yaml.Node, a *API) {
	a.Auth = AuthNone
	if n == nil {
		return
	}
	a.AuthPos = p.pos(resolve(n))
	if s, ok := p.authValue(n, "api.auth", a); ok {
		a.Auth = s
		if z := a.FindAuthorizer(s); z != nil {
			z.Used = true
		}
	}
}

// authValue reads an auth value: none, iam or a declared authorizer.
func (p *parser) authValue(n *yaml.Node, at string, a *API) (string, bool) {
	s, ok := p.str(n, at)
	if !ok {
		return "", false
	}
	if s == AuthNone || s == AuthIAM || a.FindAuthorizer(s) != nil {
		return s, true
	}
	names := []string{AuthNone, AuthIAM}
	for _, z := range a.Authorizers {
		names = append(names, z.Name)
	}
	p.errs.Add(p.pos(resolve(n)), at, "%q is not none, iam or an authorizer under api.authorizers%s; allowed: %s", s, suggest(s, names), listNames(names))
	return "", false
}

// routeAccess reads a route's auth, scopes, apiKey and body, once the
// route's other fields are known.
func (p *parser) routeAccess(r *Route, nodes map[string]*yaml.Node, at string, api *API) {
	r.Auth = api.Auth
	if r.Auth == "" {
		r.Auth = AuthNone
	}
	if n := nodes["auth"]; n != nil {
		if s, ok := p.authValue(n, at+".auth", api); ok {
			r.Auth = s
		}
	}
	if r.Authorizer = api.FindAuthorizer(r.Auth); r.Authorizer != nil {
		r.Authorizer.Used = true
	}
	if n := nodes["scopes"]; n != nil {
		r.Scopes = p.scopes(n, at+".scopes", r)
	}
	if n := nodes["apiKey"]; n != nil {
		r.APIKey = p.apiKey(n, at+".apiKey", api)
	}
	if n := nodes["body"]; n != nil {
		p.bodyFits(n, at+".body", r)
		r.Body = p.body(n, at+".body")
	}
	if api.CORS != nil && r.Method == "OPTIONS" {
		p.errs.Add(r.Pos, at, "with api.cors, sfnapic answers OPTIONS on every path itself: the browsers' preflight, which must need no authorizer and no key; remove this route, or remove api.cors")
	}
}

// scopes reads a Cognito route's OAuth scopes. Cognito's scope names are
// printable ASCII without '"' and '\' (ResourceServerScopeType), and a
// custom scope is RESOURCE-SERVER/NAME.
func (p *parser) scopes(n *yaml.Node, at string, r *Route) []string {
	if r.Authorizer == nil || r.Authorizer.Type != AuthorizerCognito {
		p.errs.Add(p.pos(resolve(n)), at, "scopes apply to routes whose auth is a cognito authorizer; this route's auth is %s: remove scopes, or give the route a cognito authorizer", describeAuth(r))
		return nil
	}
	var out []string
	for i, s := range p.stringList(n, at, "OAuth scopes such as orders/write") {
		sat, pos := fmt.Sprintf("%s[%d]", at, i), p.pos(resolve(resolve(n).Content[i]))
		switch {
		case s == "":
		case !scopeName.ok(s):
			p.errs.Add(pos, sat, "%q is not an OAuth scope: 1 to 256 printable ASCII characters, without spaces, '\"' and '\\'", s)
		case contains(out, s):
			p.errs.Add(pos, sat, "%s is listed twice", s)
		default:
			out = append(out, s)
		}
	}
	return out
}

var scopeName = func() nameRule {
	var b strings.Builder
	for c := byte(0x21); c <= 0x7e; c++ {
		if c != '"' && c != '\\' {
			b.WriteByte(c)
		}
	}
	return nameRule{b.String(), b.String(), 256}
}()

func describeAuth(r *Route) string {
	if r.Authorizer != nil {
		return fmt.Sprintf("%s, a %s authorizer", r.Auth, r.Authorizer.Type)
	}
	return r.Auth
}

// apiKey reads the usage plan a route's callers need a key of.
func (p *parser) apiKey(n *yaml.Node, at string, api *API) *UsagePlan {
	s, ok := p.str(n, at)
	if !ok {
		return nil
	}
	if u := api.FindUsagePlan(s); u != nil {
		u.Used = true
		return u
	}
	if len(api.UsagePlans) == 0 {
		p.errs.Add(p.pos(resolve(n)), at, "usage plan %q is not declared: declare it under api.usagePlans with its keys", s)
		return nil
	}
	names := make([]string, len(api.UsagePlans))
	for i, u := range api.UsagePlans {
		names[i] = u.Name
	}
	p.errs.Add(p.pos(resolve(n)), at, "usage plan %q is not declared under api.usagePlans%s; declared: %s", s, suggest(s, names), listNames(names))
	return nil
}

// bodyFits refuses a body schema on a route that never gets a JSON body,
// or that also takes form bodies: API Gateway validates the body of the
// content types the method has a model for, and "if no matching content
// type is found, request validation is not performed" (the guide's
// "Request validation for REST APIs"); sfnapic gives the model to
// application/json, and a form body, which is not JSON, could not have
// one, so a form body would reach the workflow unchecked.
func (p *parser) bodyFits(n *yaml.Node, at string, r *Route) {
	switch {
	case r.Method == "GET" || r.Method == "HEAD":
		p.errs.Add(p.pos(resolve(n)), at, "a %s request has no body to validate: remove body, or use POST, PUT or PATCH", r.Method)
	case !contains(r.ContentTypes, ContentJSON):
		p.errs.Add(p.pos(resolve(n)), at, "body validates JSON bodies, and this route takes only form bodies: add json to contentTypes, or remove body")
	case contains(r.ContentTypes, ContentForm):
		p.errs.Add(p.pos(resolve(n)), at, "body validates JSON bodies only, and this route takes form bodies too, which API Gateway would pass on unchecked: take only json (contentTypes: [json]), or remove body")
	}
}

// unusedAccess warns about authorizers and usage plans that no route
// uses. After an error in a route, they may look unused only because the
// route could not be read.
func (p *parser) unusedAccess(a *API, haveRoutes bool) {
	if !haveRoutes || p.errs.HasErrors() {
		return
	}
	for _, u := range a.UsagePlans {
		if !u.Used {
			p.errs.Warn(u.Pos, child("api.usagePlans", u.Name), "no route names this usage plan in apiKey: add `apiKey: %s` to the routes its keys are for, or remove it", u.Name)
		}
	}
	for _, z := range a.Authorizers {
		if !z.Used {
			p.errs.Warn(z.Pos, child("api.authorizers", z.Name), "no route uses this authorizer: name it in api.auth or in a route's auth, or remove it")
		}
	}
}
