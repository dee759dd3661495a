package spec

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Parse reads the spec in src. name is the spec's file name as the user gave
// it; every diagnostic starts with it. files resolves definition files
// relative to the spec's directory (os.DirFS of that directory at the CLI,
// fstest.MapFS in tests); it may be nil when the spec uses none.
//
// Parse never stops at the first problem: it returns every error and
// warning it finds, sorted. The spec is nil when there are errors.
func Parse(name string, src []byte, files fs.FS) (*Spec, ErrorList) {
	p := &parser{file: path.Clean(strings.ReplaceAll(name, `\`, "/")), files: files}
	if len(src) > MaxFileBytes {
		p.errs.Add(Pos{File: p.file, Line: 1, Col: 1}, "", "the spec is %d bytes; a spec file may have at most %d", len(src), MaxFileBytes)
		return nil, p.errs
	}
	s := p.parse(src)
	p.errs.Sort()
	if p.errs.HasErrors() {
		return nil, p.errs
	}
	return s, p.errs
}

type parser struct {
	file  string
	files fs.FS
	errs  ErrorList
	// subRefs are the definitions' ${...}, checked once all is read.
	subRefs []subRef
	// deployTexts are the other fields holding ${...}, checked once the
	// parameters and environments are read.
	deployTexts []deployText
	// deployChecks counts the sets of values they were checked with,
	// which deployCheckBudget bounds.
	deployChecks int
	// policyRefs are the policies' Ref and Fn::Sub names, likewise.
	policyRefs []policyRef
	// machine is the state machine whose definition is being read.
	machine *StateMachine
	spec    *Spec // set once the machines are read
	nodes   int   // definition values converted so far, against maxNodes
	bytes   int   // their size, against maxValueBytes
}

// Limits on what a spec may make the parser do: no input may exhaust
// memory or time.
const (
	// MaxFileBytes bounds a spec file and each definition file. A
	// CloudFormation template holds at most 1,000,000 bytes.
	MaxFileBytes = 4 << 20
	// maxNesting bounds how deeply a file's YAML may nest (block
	// indentation in columns, or flow brackets), before it is decoded.
	maxNesting = 512
	// maxValueBytes bounds the size that the definitions and literals of
	// a spec expand to; YAML aliases can repeat a large value many times.
	maxValueBytes = 8 << 20
	// MaxRoutes bounds the routes of a spec: each needs at least one
	// resource, and CloudFormation allows 500 per stack. Larger specs are
	// refused before their routes are read.
	MaxRoutes = 500
)

func (p *parser) pos(n *yaml.Node) Pos { return Pos{File: p.file, Line: n.Line, Col: n.Column} }

func (p *parser) parse(src []byte) *Spec {
	root, ok := p.document(p.file, src)
	if !ok {
		return nil
	}
	if root == nil {
		p.errs.Add(Pos{File: p.file, Line: 1, Col: 1}, "", "the spec is empty; start it with `version: %d`", Version)
		return nil
	}
	s := &Spec{File: p.file}
	var routes, machines, params, envs *yaml.Node
	p.mapping(root, "", TopFields.Keys(), TopFields.RequiredKeys(),
		func(key string, k, v *yaml.Node) {
			switch key {
			case "version":
				s.Version = p.version(v)
			case "api":
				p.api(v, &s.API)
			case "stateMachines":
				machines = v
			case "routes":
				routes = v
				s.RoutesPos = p.pos(k)
			case "parameters":
				params = v
			case "environments":
				envs = v
			}
		})
	p.deployValues(s, params, envs)
	if machines != nil {
		s.StateMachines = p.stateMachines(machines)
	}
	p.resolveSubstitutions(s)
	p.resolveDeployTexts(s)
	s.deployTexts = p.deployTexts
	p.resolveEncryption(s)
	p.checkPolicyRefs(s)
	if routes != nil {
		s.Routes = p.routes(routes, s.StateMachines, &s.API)
	}
	p.existingExecutions(s)
	p.unusedAccess(&s.API, routes != nil)
	p.unusedParameters(s)
	for _, m := range s.StateMachines {
		// After an error in a route, a machine may look unused only
		// because the route that starts it could not be read.
		if !m.Used && routes != nil && !p.errs.HasErrors() {
			p.errs.Warn(m.Pos, "stateMachines."+m.Name, "no route calls this state machine")
		}
	}
	return s
}

// document decodes one YAML document into a node tree, turning YAML syntax
// errors into positioned diagnostics. It returns a nil node for an empty
// document.
func (p *parser) document(file string, src []byte) (*yaml.Node, bool) {
	if line, ok := nestingWithin(src, maxNesting); !ok {
		p.errs.Add(Pos{File: file, Line: line, Col: 1}, "", "the YAML nests deeper than %d levels here", maxNesting)
		return nil, false
	}
	dec := yaml.NewDecoder(strings.NewReader(string(src)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, true
		}
		p.yamlError(file, src, err)
		return nil, false
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		p.errs.Add(Pos{File: file, Line: extra.Line, Col: extra.Column}, "", "a second YAML document starts here; a spec file holds exactly one")
		return nil, false
	} else if !errors.Is(err, io.EOF) {
		p.yamlError(file, src, err)
		return nil, false
	}
	if len(doc.Content) == 0 {
		return nil, true
	}
	p.templateKeys(file, doc.Content[0], "")
	return doc.Content[0], true
}

// yamlError reports a YAML syntax error at yaml.v3's line, or, when the
// error is one a bad indent causes and the file has a line whose
// indentation YAML cannot place at or after it, at that line with the
// indentation that would fit (see misIndent). Any other error (a
// character that cannot start a token, say) is yaml.v3's to tell, even
// when a later line is also mis-indented.
func (p *parser) yamlError(file string, src []byte, err error) {
	msg, line := strings.TrimPrefix(err.Error(), "yaml: "), 1
	if m := yamlLineRe().FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if !indentShaped(msg) {
		p.errs.Add(Pos{File: file, Line: line, Col: 1}, "", "invalid YAML: %s", msg)
		return
	}
	if bad, ok := misIndent(src); ok && bad.line >= line {
		p.errs.Add(Pos{File: file, Line: bad.line, Col: bad.indent + 1}, "", "%s", bad.message())
		return
	}
	p.errs.Add(Pos{File: file, Line: line, Col: 1}, "", "invalid YAML: %s", msg)
}

// indentShaped tells whether yaml.v3's message is one it gives at the
// block a mis-indented line ends, rather than at the line itself (a
// first line indented deeper than the next ends the document: "did not
// find expected <document start>").
func indentShaped(msg string) bool {
	for _, m := range []string{"did not find expected key", "mapping values are not allowed in this context", "did not find expected '-' indicator", "did not find expected <document start>"} {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}

func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// describe names the kind of value a node holds, for "expected X, got Y".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str":
			return fmt.Sprintf("the string %q", n.Value)
		case "!!int":
			return "the integer " + n.Value
		case "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		case "!!null":
			return "nothing (null)"
		case "!!timestamp":
			return "the timestamp " + n.Value
		}
		return "a " + n.ShortTag() + " value"
	}
	return "an unsupported YAML node"
}

// child renders the field path of key below parent.
func child(parent, key string) string {
	if fieldName.ok(key) {
		if parent == "" {
			return key
		}
		return parent + "." + key
	}
	return parent + "[" + strconv.Quote(key) + "]"
}

// mapping walks a YAML mapping, reporting duplicate keys, unknown keys (with
// a suggestion) and missing required keys; each is called for every key in
// order. known == nil accepts any key.
func (p *parser) mapping(n *yaml.Node, at string, known, required []string, each func(key string, k, v *yaml.Node)) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		p.errs.Add(p.pos(n), at, "expected a mapping, got %s", describe(n))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errs.Add(p.pos(k), at, "a key must be a plain string, got %s", describe(k))
			continue
		}
		key := k.Value
		if line, dup := seen[key]; dup {
			p.errs.Add(p.pos(k), child(at, key), "%q is given twice (first on line %d); remove one", key, line)
			continue
		}
		seen[key] = k.Line
		if known != nil && !contains(known, key) {
			p.errs.Add(p.pos(k), child(at, key), "unknown field %q%s; allowed fields: %s", key, suggest(key, known), strings.Join(known, ", "))
			continue
		}
		each(key, k, v)
	}
	for _, r := range required {
		if _, ok := seen[r]; !ok {
			p.errs.Add(p.pos(n), at, "missing required field %q", r)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// str returns a string scalar, or reports a type error.
func (p *parser) str(n *yaml.Node, at string) (string, bool) {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		hint := ""
		switch {
		case n.Kind == yaml.ScalarNode && shortForm(n.Tag, n.Value) != "":
			hint = shortForm(n.Tag, n.Value)
		case n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null":
			hint = fmt.Sprintf("; quote it if you mean the text: %q", n.Value)
		}
		p.errs.Add(p.pos(n), at, "expected a string, got %s%s", describe(n), hint)
		return "", false
	}
	return n.Value, true
}

// shortForm is the hint for a CloudFormation short form (!Sub, !Ref,
// !GetAtt): a spec is read as plain YAML, so the tag is no intrinsic and
// quoting it would give the text, not the value; the full form is what
// works, in a policy. "" for any other tag.
func shortForm(tag, value string) string {
	fn, ok := strings.CutPrefix(tag, "!")
	if !ok || strings.HasPrefix(fn, "!") || !contains(intrinsics, "Fn::"+fn) && fn != "Ref" {
		return ""
	}
	if fn != "Ref" {
		fn = "Fn::" + fn
	}
	full := fmt.Sprintf("{%q: %q}", fn, value)
	if res, attr, dotted := strings.Cut(value, "."); fn == "Fn::GetAtt" && dotted {
		full = fmt.Sprintf("{%q: [%q, %q]}", fn, res, attr)
	}
	return fmt.Sprintf("; a spec is plain YAML, which does not read CloudFormation's short form %s: in a policy write %s (a field that takes an ARN takes ${Name} in its text)", tag, full)
}

// oneOf returns a string that must be one of allowed.
func (p *parser) oneOf(n *yaml.Node, at string, allowed []string) (string, bool) {
	v, ok := p.str(n, at)
	if !ok {
		return "", false
	}
	if !contains(allowed, v) {
		p.errs.Add(p.pos(resolve(n)), at, "%q is not one of %s%s", v, strings.Join(allowed, ", "), suggest(v, allowed))
		return "", false
	}
	return v, true
}

func (p *parser) version(n *yaml.Node) int {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		p.errs.Add(p.pos(n), "version", "expected the integer %d, got %s", Version, describe(n))
		return 0
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil || v != Version {
		p.errs.Add(p.pos(n), "version", "unsupported spec version %s; this sfnapic reads version %d", n.Value, Version)
		return 0
	}
	return v
}

func (p *parser) api(n *yaml.Node, a *API) {
	a.Stage = DefaultStage
	a.Endpoint = EndpointRegional
	var vpcePos, authNode *yaml.Node
	p.mapping(n, "api", APIFields.Keys(), APIFields.RequiredKeys(),
		func(key string, k, v *yaml.Node) {
			at := "api." + key
			switch key {
			case "name":
				if s, ok := p.str(v, at); ok {
					if strings.TrimSpace(s) == "" {
						p.errs.Add(p.pos(v), at, "the API name must not be empty")
					}
					p.noControl(v, at, s)
					a.Name = s
				}
			case "description":
				a.Description, _ = p.str(v, at)
				p.noControl(v, at, a.Description)
			case "stage":
				if s, ok := p.str(v, at); ok {
					if !stageName.ok(s) {
						p.errs.Add(p.pos(v), at, "stage name %q may hold only letters, digits, '-' and '_' (1 to 128 characters)", s)
					}
					a.Stage = s
				}
			case "endpoint":
				if s, ok := p.oneOf(v, at, []string{EndpointRegional, EndpointEdge, EndpointPrivate}); ok {
					a.Endpoint = s
				}
			case "vpcEndpoints":
				vpcePos = k
				a.VPCEndpoints = p.vpcEndpoints(v, at)
			case "tags":
				a.Tags = p.tags(v, at)
			case "auth":
				authNode = v
			case "authorizers":
				a.Authorizers = p.authorizers(v, at)
			case "cors":
				a.CORS = p.cors(v, at)
			case "usagePlans":
				a.UsagePlans = p.usagePlans(v, at)
			}
		})
	p.apiAuth(authNode, a) // after the authorizers, wherever auth is written
	if a.Endpoint == EndpointPrivate && len(a.VPCEndpoints) == 0 {
		p.errs.Add(p.pos(resolve(n)), "api", "a PRIVATE endpoint needs vpcEndpoints: the VPC endpoint IDs (vpce-...) allowed to call the API")
	}
	if a.Endpoint != EndpointPrivate && vpcePos != nil {
		p.errs.Add(p.pos(vpcePos), "api.vpcEndpoints", "vpcEndpoints apply only to endpoint: PRIVATE")
	}
}

func (p *parser) vpcEndpoints(n *yaml.Node, at string) []string {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		p.errs.Add(p.pos(n), at, "expected a list of VPC endpoint IDs, got %s", describe(n))
		return nil
	}
	var out []string
	for i, c := range n.Content {
		cat := fmt.Sprintf("%s[%d]", at, i)
		if s, ok := p.str(c, cat); ok {
			p.deployed(c, cat, s, validVPCEndpoint, "a VPC endpoint ID such as vpce-0123456789abcdef0")
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) tags(n *yaml.Node, at string) []Tag {
	var out []Tag
	p.mapping(n, at, nil, nil, func(key string, k, v *yaml.Node) {
		kat := child(at, key)
		switch {
		case key == "" || utf8.RuneCountInString(key) > 128: // AWS counts characters, not bytes
			p.errs.Add(p.pos(k), kat, "a tag key must be 1 to 128 characters")
		case strings.HasPrefix(strings.ToLower(key), "aws:"):
			p.errs.Add(p.pos(k), kat, "tag keys starting with \"aws:\" are reserved by AWS")
		case !tagText(key):
			p.errs.Add(p.pos(k), kat, "tag key %q may hold only letters, digits, spaces and _ . : / = + - @", key)
		}
		if s, ok := p.str(v, kat); ok {
			if p.deferDeployed(v, kat, s, tagValue, "a tag value: 1 to 256 characters, only letters, digits, spaces and _ . : / = + - @") {
				out = append(out, Tag{Key: key, Value: s})
				return
			}
			// Step Functions takes a state machine's tag value of 1 to 256
			// characters (AWS::StepFunctions::StateMachine TagsEntry).
			if s == "" || utf8.RuneCountInString(s) > 256 {
				p.errs.Add(p.pos(v), kat, "a tag value must be 1 to 256 characters (Step Functions refuses an empty one on a state machine)")
			}
			if !tagText(s) {
				p.errs.Add(p.pos(v), kat, "tag value %q may hold only letters, digits, spaces and _ . : / = + - @", s)
			}
			out = append(out, Tag{Key: key, Value: s})
		}
	})
	if len(out) > 50 {
		p.errs.Add(p.pos(resolve(n)), at, "%d tags given; AWS allows at most 50 per resource", len(out))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func (p *parser) stateMachines(n *yaml.Node) []*StateMachine {
	var out []*StateMachine
	p.mapping(n, "stateMachines", nil, nil, func(name string, k, v *yaml.Node) {
		at := child("stateMachines", name)
		if !machineName.ok(name) {
			p.errs.Add(p.pos(k), at, "state machine name %q must start with a letter and hold only letters, digits, '-' and '_' (at most 64 characters)", name)
			return
		}
		m := &StateMachine{Name: name, Pos: p.pos(k)}
		p.machine = m
		var f machineNodes
		p.mapping(v, at, StateMachineFields.Keys(), StateMachineFields.RequiredKeys(), func(key string, k, v *yaml.Node) {
			switch key {
			case "policies":
				f.policies = v
			case "roleArn":
				f.role = v
			case "type":
				f.typ = v
			case "definition":
				f.def = v
			case "definitionFile":
				f.file = v
			case "arn":
				f.arn = v
			}
		})
		if resolve(v).Kind != yaml.MappingNode {
			return
		}
		p.machineType(m, k, at, f)
		p.machineRole(m, k, at, f)
		p.machineSource(m, at, f)
		p.operations(m, v, at, f.arn != nil)
		out = append(out, m)
	})
	if resolve(n).Kind == yaml.MappingNode && len(out) == 0 && len(p.errs) == 0 {
		p.errs.Add(p.pos(resolve(n)), "stateMachines", "declare at least one state machine")
	}
	return out
}

// machineNodes are the fields of a state machine that decide what it is.
type machineNodes struct {
	def, file, arn, typ, policies, role *yaml.Node
}

// machineType checks that the machine has one source, and reads its type.
func (p *parser) machineType(m *StateMachine, k *yaml.Node, at string, f machineNodes) {
	given := 0
	for _, x := range []*yaml.Node{f.def, f.file, f.arn} {
		if x != nil {
			given++
		}
	}
	if given != 1 {
		p.errs.Add(p.pos(k), at, "give exactly one of definition (inline ASL), definitionFile (a .asl.json or .asl.yaml file) or arn (an existing state machine)")
	}
	if f.typ != nil {
		if f.arn != nil {
			p.errs.Add(p.pos(resolve(f.typ)), at+".type", "type applies only to state machines sfnapic creates; an existing machine keeps its own")
		} else if s, ok := p.oneOf(f.typ, at+".type", []string{TypeStandard, TypeExpress}); ok {
			m.Type = s
		}
	} else if f.arn == nil {
		m.Type = TypeStandard
	}
}

// machineRole reads the machine's policies or the role it runs as.
func (p *parser) machineRole(m *StateMachine, k *yaml.Node, at string, f machineNodes) {
	switch {
	case f.arn != nil && (f.policies != nil || f.role != nil):
		p.errs.Add(p.pos(k), at, "policies and roleArn apply only to state machines sfnapic creates; an existing machine keeps its own role")
	case f.policies != nil && f.role != nil:
		p.errs.Add(p.pos(k), at, "give policies (for the execution role sfnapic creates) or roleArn (your own role), not both")
	case f.policies != nil:
		m.Policies = p.policies(f.policies, at+".policies")
	case f.role != nil:
		if s, ok := p.str(f.role, at+".roleArn"); ok {
			p.deployed(f.role, at+".roleArn", s, roleArnRe().MatchString, "an IAM role ARN such as arn:aws:iam::123456789012:role/orders-workflow")
			p.machineARNLength(f.role, at+".roleArn", s)
			m.RoleARN = s
		}
	}
}

// machineSource reads the machine's ARN, or its definition inline or from
// its file.
func (p *parser) machineSource(m *StateMachine, at string, f machineNodes) {
	switch {
	case f.arn != nil:
		if s, ok := p.str(f.arn, at+".arn"); ok {
			p.deployed(f.arn, at+".arn", s, arnRe().MatchString, "a state machine ARN such as arn:aws:states:us-east-1:123456789012:stateMachine:orders")
			m.ARN = s
		}
	case f.def != nil:
		m.Definition, m.Tasks = p.definition(f.def, p.file, at+".definition")
	case f.file != nil:
		if s, ok := p.str(f.file, at+".definitionFile"); ok {
			m.DefinitionFile = s
			m.Definition, m.Tasks = p.definitionFile(resolve(f.file), s, at+".definitionFile")
		}
	}
}

// policies reads IAM policy statements for a state machine's execution
// role. Each needs Effect, Action and Resource; Sid and Condition may be
// given. Values are kept as written, so {"Fn::Sub": ...} works.
func (p *parser) policies(n *yaml.Node, at string) []Object {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.errs.Add(p.pos(n), at, "expected a list of IAM policy statements (Effect, Action, Resource), got %s", describe(n))
		return nil
	}
	var out []Object
	for i, c := range n.Content {
		sat := fmt.Sprintf("%s[%d]", at, i)
		before := len(p.errs)
		p.mapping(c, sat, StatementFields.Keys(), StatementFields.RequiredKeys(), func(key string, k, v *yaml.Node) {
			switch key {
			case "Effect":
				p.oneOf(v, sat+".Effect", []string{"Allow", "Deny"})
			case "Action", "Resource":
				p.statementValues(key, v, sat+"."+key)
				for _, s := range p.strings(v, sat+"."+key) {
					if s == "*" || key == "Action" && strings.HasSuffix(s, ":*") {
						p.errs.Warn(p.pos(resolve(v)), sat+"."+key, "%q is a wildcard: prefer the exact %ss the workflow needs", s, strings.ToLower(key))
					}
				}
			}
		})
		if len(p.errs) > before && p.errs[len(p.errs)-1].Severity == SevError {
			continue
		}
		if obj, ok := p.value(c, p.file, sat, 0).(Object); ok {
			out = append(out, obj)
		}
	}
	return out
}

// strings reads a string or a list of strings; an intrinsic mapping (such
// as Fn::Sub) passes unchecked.
func (p *parser) strings(n *yaml.Node, at string) []string {
	n = resolve(n)
	switch n.Kind {
	case yaml.ScalarNode:
		if s, ok := p.str(n, at); ok {
			return []string{s}
		}
	case yaml.SequenceNode:
		var out []string
		for i, c := range n.Content {
			if resolve(c).Kind == yaml.MappingNode {
				continue
			}
			if s, ok := p.str(c, fmt.Sprintf("%s[%d]", at, i)); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// definitionFile loads an ASL file next to the spec.
func (p *parser) definitionFile(n *yaml.Node, name, at string) (any, []Task) {
	ext := path.Ext(name)
	if ext != ".json" && ext != ".yaml" && ext != ".yml" {
		p.errs.Add(p.pos(n), at, "%q: a definition file must end in .asl.json, .asl.yaml or .asl.yml", name)
		return nil, nil
	}
	file, root := p.fileNextTo(n, name, at, "definition file")
	if root == nil {
		return nil, nil
	}
	return p.definition(root, file, "")
}

// fileNextTo reads a file the spec names (what it is, such as "definition
// file", starts each message) and decodes it as YAML, which JSON is too.
// Only files inside the spec's directory tree can be named, through the
// file system given to Parse, so a spec cannot reach elsewhere; the file
// must be regular and at most MaxFileBytes. It returns the file's name for
// positions, and nil when it reported an error.
func (p *parser) fileNextTo(n *yaml.Node, name, at, what string) (string, *yaml.Node) {
	if !fs.ValidPath(name) {
		p.errs.Add(p.pos(n), at, "%q: name the file relative to the spec's directory, with '/' separators and no '..'", name)
		return "", nil
	}
	if p.files == nil {
		p.errs.Add(p.pos(n), at, "cannot read %s %q: no directory to read it from", what, name)
		return "", nil
	}
	src, err := readRegular(p.files, name)
	var irregular *irregularFile
	if errors.As(err, &irregular) {
		p.errs.Add(p.pos(n), at, "%s %q %s", what, name, irregular.reason)
		return "", nil
	}
	if err != nil {
		reason := "cannot be read"
		if errors.Is(err, fs.ErrNotExist) {
			reason = "does not exist"
		}
		p.errs.Add(p.pos(n), at, "%s %q %s (it is read relative to the spec's directory)", what, name, reason)
		return "", nil
	}
	file := path.Join(path.Dir(p.file), name)
	if path.Ext(name) == ".json" {
		if pos, msg, bad := jsonSyntax(src); bad {
			pos.File = file
			p.errs.Add(pos, "", "%s is not valid JSON: %s", what, msg)
			return "", nil
		}
	}
	root, ok := p.document(file, src)
	if !ok {
		return "", nil
	}
	if root == nil {
		p.errs.Add(Pos{File: file, Line: 1, Col: 1}, "", "%s is empty", what)
		return "", nil
	}
	return file, root
}

// nestingWithin reports whether YAML source nests at most limit levels,
// counting block indentation (in columns) and open flow brackets outside
// quotes and comments; otherwise it gives the line where it goes deeper.
// It is a cheap check before decoding, which is slow on deep input.
func nestingWithin(src []byte, limit int) (int, bool) {
	line, depth := 1, 0
	atStart, indent := true, 0
	var quote byte
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\n' {
			// A quote stays open across lines: quoted scalars may span them.
			line, atStart, indent = line+1, true, 0
			continue
		}
		if atStart {
			if c == ' ' {
				if indent++; indent > limit {
					return line, false
				}
				continue
			}
			atStart = false
		}
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || src[i-1] == ' ' || src[i-1] == '\t'):
			for i < len(src) && src[i] != '\n' {
				i++
			}
			i--
		case c == '[' || c == '{':
			if depth++; depth > limit {
				return line, false
			}
		case c == ']' || c == '}':
			depth = max(0, depth-1)
		}
	}
	return 0, true
}

// irregularFile is a file next to the spec that is not a regular file, or
// too large.
type irregularFile struct{ reason string }

func (e *irregularFile) Error() string { return e.reason }

// readRegular reads a regular file of at most MaxFileBytes: never a
// device, a FIFO (which would block) or a directory.
func readRegular(files fs.FS, name string) ([]byte, error) {
	info, err := fs.Stat(files, name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &irregularFile{"is not a regular file (" + info.Mode().Type().String() + ")"}
	}
	if info.Size() > MaxFileBytes {
		return nil, &irregularFile{fmt.Sprintf("is %d bytes; a file next to the spec may have at most %d", info.Size(), MaxFileBytes)}
	}
	f, err := files.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err == nil && len(src) > MaxFileBytes {
		return nil, &irregularFile{fmt.Sprintf("is over %d bytes", MaxFileBytes)}
	}
	return src, err
}

// noControl reports a control character in a string that AWS takes as a
// name or description (CloudFormation refuses them).
func (p *parser) noControl(n *yaml.Node, at, s string) {
	for _, r := range s {
		if unicode.IsControl(r) {
			p.errs.Add(p.pos(resolve(n)), at, "control character %U is not allowed here", r)
			return
		}
	}
}

// tagValue is AWS's rule for a tag's value: 1 to 256 characters (not
// bytes: übersetzung is 11).
func tagValue(s string) bool { return s != "" && utf8.RuneCountInString(s) <= 256 && tagText(s) }

// tagText reports whether s holds only what AWS allows in tags: letters,
// digits, white space and _ . : / = + - @.
func tagText(s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.IsNumber(r), r == ' ' || unicode.Is(unicode.Zs, r):
		case strings.ContainsRune("_.:/=+-@", r):
		default:
			return false
		}
	}
	return true
}
