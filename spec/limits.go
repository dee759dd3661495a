package spec

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// AWS's limits on the text a spec puts into a template, each refused
// with its position rather than left for CloudFormation to refuse (a
// failed deploy) or to cut short.
const (
	// maxParamValue: "Parameter value: 4,096 bytes" (CloudFormation
	// quotas), for a default, an environment's value and a --param.
	maxParamValue = 4096
	// maxParamDescription: a parameter's Description, "up to 4000
	// characters" (CloudFormation User Guide, "Parameters syntax").
	maxParamDescription = 4000
	// maxTemplateKey bounds a mapping key written into the template, in
	// characters of its JSON form (quotes and escapes included): cfn-lint
	// reads a JSON template with a YAML reader, and YAML limits an
	// implicit key to 1024 characters (YAML 1.2 §7.4, 1.1 §9.1.3).
	maxTemplateKey = 1024
	// maxRequestParamName bounds a query or header name, which the
	// template writes as the key "method.request.querystring.NAME" (or
	// .header.NAME) of the method's RequestParameters: the longest such
	// prefix and the quotes leave this much of maxTemplateKey.
	maxRequestParamName = maxTemplateKey - len(`"method.request.querystring."`)
	// maxMachineARN bounds the ARNs a state machine takes: its RoleArn
	// and its logging's LogGroupArn, 1 to 256 characters each
	// (AWS::StepFunctions::StateMachine RoleArn and
	// CloudWatchLogsLogGroup LogGroupArn).
	maxMachineARN = 256
)

// paramValueLength says what is wrong with v's length as a parameter
// value, or "".
func paramValueLength(v string) string {
	if len(v) > maxParamValue {
		return fmt.Sprintf("the value is %d bytes; CloudFormation takes a parameter value of at most %d: keep long text in SSM Parameter Store and give its name with type AWS::SSM::Parameter::Value<String>", len(v), maxParamValue)
	}
	return ""
}

// requestParamLength refuses a query or header name too long for the
// template key it becomes. Path names are part of a route's key, which
// templateKeys bounds.
func (p *parser) requestParamLength(pos Pos, at string, from Location, name string) bool {
	if (from != FromQuery && from != FromHeader) || len(name) <= maxRequestParamName {
		return true
	}
	p.errs.Add(pos, at, "the %s name %q is %d characters; the template's key method.request.%s.NAME takes at most %d", from, truncate(name, 40), len(name), map[Location]string{FromQuery: "querystring", FromHeader: "header"}[from], maxRequestParamName)
	return false
}

// machineARNLength refuses an ARN longer than a state machine takes. One
// with a ${Name} in it has its length only at deploy.
func (p *parser) machineARNLength(n *yaml.Node, at, arn string) {
	if len(arn) > maxMachineARN && !strings.Contains(arn, "${") {
		p.errs.Add(p.pos(resolve(n)), at, "the ARN is %d characters; Step Functions takes at most %d here", len(arn), maxMachineARN)
	}
}

// paramDescription refuses a parameter description CloudFormation would.
func (p *parser) paramDescription(n *yaml.Node, at, s string) {
	if c := utf8.RuneCountInString(s); c > maxParamDescription {
		p.errs.Add(p.pos(resolve(n)), at, "the description is %d characters; CloudFormation takes at most %d for a parameter", c, maxParamDescription)
	}
}

// templateKeys refuses each mapping key of a document (a spec or a
// definition file) whose JSON form is longer than maxTemplateKey. Keys
// reach the template as they are: definitions' fields, body schemas'
// properties, route paths. Aliases are not followed: their anchors are
// visited where they stand.
func (p *parser) templateKeys(file string, n *yaml.Node, at string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			kat := child(at, truncate(k.Value, 40))
			if c := jsonKeyChars(k.Value); c > maxTemplateKey {
				p.errs.Add(Pos{File: file, Line: k.Line, Col: k.Column}, kat,
					"this key is %d characters written as JSON; a template's keys may have at most %d (YAML's limit on a key, which cfn-lint applies to JSON templates): shorten it", c, maxTemplateKey)
			}
			p.templateKeys(file, v, kat)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p.templateKeys(file, c, fmt.Sprintf("%s[%d]", at, i))
		}
	}
}

// jsonKeyChars counts the characters of s written as a JSON string the
// way the template is: quoted, with encoding/json's escapes and compile's
// \u escapes of what YAML cannot hold raw.
func jsonKeyChars(s string) int {
	n := 2
	for i, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '\b' || r == '\f' || r == '\n' || r == '\r' || r == '\t':
			n += 2
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f && r != 0x85, r == 0x2028, r == 0x2029, r == 0xfffe, r == 0xffff:
			n += 6
		case r == utf8.RuneError && !validAt(s, i):
			n += 6
		default:
			n++
		}
	}
	return n
}

// validAt reports whether s holds a real U+FFFD at byte i, not a byte
// that is not UTF-8.
func validAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size == 3
}

// truncate keeps the first n characters of s for a message, marking the
// cut with "...".
func truncate(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "..."
		}
		i++
	}
	return s
}
