// Package spec owns the sfnapic spec language: the types a spec decodes
// into, the YAML parser that keeps a file:line:col position for every
// element, and the checks that make a spec valid before anything is
// compiled. It is pure: bytes (and a read-only file system for definition
// files) in, values and diagnostics out. It is a library (Parse, the spec
// types, the field Tables and the positioned ErrorList are its API) and
// imports nothing of sfnapic's, nor goformation or the AWS SDK.
package spec

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"sync"

	"github.com/sfnapic/sfnapic/restapi/pathparam"
)

// Version is the spec language version this package reads. A spec declares
// it with `version: 1` so that the language can evolve without silently
// changing the meaning of old specs.
const Version = 1

// Spec is a parsed, checked spec.
type Spec struct {
	File          string // the spec's name as given, slash-separated
	Version       int
	API           API
	StateMachines []*StateMachine // in spec order
	Routes        []*Route        // in spec order
	RoutesPos     Pos             // the routes key, for spec-wide diagnostics
	Parameters    []*Parameter    // in spec order
	Environments  []*Environment  // in spec order
	// deployTexts are the fields that take ${Name}, kept to check the
	// values a deployment gives (CheckFields).
	deployTexts []deployText
}

// Endpoint types of a REST API.
const (
	EndpointRegional = "REGIONAL"
	EndpointEdge     = "EDGE"
	EndpointPrivate  = "PRIVATE"
)

// API holds the REST API settings.
type API struct {
	Name         string
	Description  string
	Stage        string // defaults to "prod"
	Endpoint     string // REGIONAL (default), EDGE or PRIVATE
	VPCEndpoints []string
	Tags         []Tag // sorted by key
	// Auth is the default of every route's auth: AuthNone (also when
	// unset), AuthIAM or an authorizer's name.
	Auth        string
	AuthPos     Pos
	Authorizers []*Authorizer // sorted by name
	CORS        *CORS         // nil: no CORS
	UsagePlans  []*UsagePlan  // sorted by name
}

// DefaultStage is the stage name used when the spec names none.
const DefaultStage = "prod"

// Tag is one resource tag.
type Tag struct {
	Key, Value string
}

// State machine types.
const (
	TypeStandard = "STANDARD"
	TypeExpress  = "EXPRESS"
)

// StateMachine is one state machine that routes can start: either created
// by the template from a definition, or an existing one referenced by ARN.
type StateMachine struct {
	Name           string
	Pos            Pos
	Type           string // STANDARD or EXPRESS; empty for an existing machine
	Definition     any    // ordered JSON value (see Object); nil for an existing machine
	DefinitionFile string // the file the definition came from, if any
	ARN            string // set for an existing machine
	// Policies are IAM statements for the execution role sfnapic creates
	// (what the definition's tasks may do); RoleARN replaces that role.
	Policies []Object
	RoleARN  string
	Used     bool // started by at least one route
	// Substitutions are the ${Name} the definition uses, sorted by key;
	// Literals: it writes ${!Name} for the text ${Name}.
	Substitutions []Substitution
	Literals      bool
	// Tasks are the definition's Task states, nested ones included, in
	// document order: what the execution role's statements derive from.
	Tasks []Task
	// Logs (nil: none), Tracing, Publish and Alias (nil: none) are how the
	// machine is watched and released (observability.go).
	Logs    *Logs
	Tracing bool
	Publish bool
	Alias   *Alias
	// Encryption is its customer managed KMS key; nil: AWS's own.
	Encryption *Encryption
}

// Existing reports whether the machine is referenced by ARN rather than
// created by the template.
func (m *StateMachine) Existing() bool { return m.ARN != "" }

// Route is one HTTP verb on one path, starting one state machine.
type Route struct {
	Method       string
	Path         string   // as written, e.g. /r/{subreddit}/comments
	Segments     []string // path split on "/", empty for the root
	Pos          Pos
	StateMachine *StateMachine
	Input        []*Mapping // in spec order; a taskSuccess route's output
	// ExecutionName, when set, names each execution: from the request id
	// or a request value (a business key, for idempotency). Absent values
	// leave the name to Step Functions.
	ExecutionName *Mapping
	// ContentTypes lists the request content types the route accepts, each
	// with its own request template: ContentJSON, and ContentForm if asked.
	ContentTypes []string
	// Action is what the route asks of Step Functions: one of Actions,
	// ActionStart by default.
	Action string
	// Errors maps the workflow's error names to HTTP statuses, for the
	// runs a synchronous route reports: in spec order.
	Errors []ErrorStatus
	// TimeoutMillis is how long API Gateway waits for Step Functions, in
	// milliseconds; 0 leaves API Gateway's default (29 s).
	TimeoutMillis int
	// Execution is where a status or stop route finds the execution's id
	// (the name at the end of its ARN).
	Execution *Mapping
	// IncludeInput puts the execution's input in a status route's answer.
	IncludeInput bool
	// StopError and StopCause, for a stop or taskFailure route, are where
	// the request gives the error and cause; nil when it does not.
	StopError, StopCause *Mapping
	// Token, for a callback route, is where the request gives the task
	// token: body.taskToken unless the spec says otherwise, a JSON body
	// member carrying the token's + / and = as they are.
	Token *Mapping
	// Response, for a synchronous route, lets the workflow choose the
	// answer; nil when its output is the body of a 200.
	Response *Response
	// Auth is who may call the route, resolved against api.auth: AuthNone,
	// AuthIAM or an authorizer's name (then Authorizer is that authorizer).
	Auth       string
	Authorizer *Authorizer
	// Scopes, for a Cognito authorizer, are the OAuth scopes of which an
	// access token must hold one.
	Scopes []string
	// APIKey, when set, is the usage plan whose keys may call the route.
	APIKey *UsagePlan
	// Body, when set, validates the request body.
	Body *Body
	// unreadExecution: execution was written but could not be read (that
	// error is reported), so the route does not lack one; unreadPath: a
	// mapping that may name a path parameter could not be read, so a
	// parameter may look unused only because of it.
	unreadExecution, unreadPath bool
}

// Response declares what a synchronous workflow may answer itself: its
// output is {"statusCode": 201, "headers": {...}, "body": "<JSON text>"}.
type Response struct {
	Statuses []int    // the statuses it may choose, besides 200
	Headers  []string // the headers it may set
	Pos      Pos
}

// The actions a route can take.
const (
	// ActionStart starts an execution and answers with its ARN at once.
	ActionStart = "start"
	// ActionStartSync runs an EXPRESS execution to its end and answers
	// with its output (StartSyncExecution).
	ActionStartSync = "startSync"
	// ActionStatus describes a STANDARD execution (DescribeExecution).
	ActionStatus = "status"
	// ActionStop stops a STANDARD execution (StopExecution).
	ActionStop = "stop"
	// ActionTaskSuccess, ActionTaskFailure and ActionTaskHeartbeat answer
	// a task that waits for a token (SendTaskSuccess, SendTaskFailure,
	// SendTaskHeartbeat).
	ActionTaskSuccess   = "taskSuccess"
	ActionTaskFailure   = "taskFailure"
	ActionTaskHeartbeat = "taskHeartbeat"
)

// Actions lists the actions a route can take.
var Actions = []string{ActionStart, ActionStartSync, ActionStatus, ActionStop, ActionTaskSuccess, ActionTaskFailure, ActionTaskHeartbeat}

// Callback reports whether an action answers a task token.
func Callback(action string) bool {
	return action == ActionTaskSuccess || action == ActionTaskFailure || action == ActionTaskHeartbeat
}

// ErrorStatus maps one workflow error name to an HTTP status.
type ErrorStatus struct {
	Name   string
	Status int
	Pos    Pos
}

// Integration timeouts API Gateway accepts for a REST API, in
// milliseconds. Beyond 29 s needs a raised quota, which a Regional API can
// ask AWS for.
const (
	MinTimeoutMillis = 50
	MaxTimeoutMillis = 29_000
)

// Params returns the names of the path parameters, in path order.
func (r *Route) Params() []string {
	var out []string
	for _, s := range r.Segments {
		if name, _, ok := pathparam.Parse(s); ok {
			out = append(out, name)
		}
	}
	return out
}

// Location is where a request value comes from.
type Location string

// The locations an input value can come from.
const (
	FromPath    Location = "path"
	FromQuery   Location = "query"
	FromHeader  Location = "header"
	FromBody    Location = "body"
	FromContext Location = "context" // API Gateway's $context: request id, source IP, claims, ...
	FromValue   Location = "value"   // a literal in the spec
)

var locations = []string{string(FromPath), string(FromQuery), string(FromHeader), string(FromBody), string(FromContext)}

// IsString reports whether values from this location are strings (as
// opposed to JSON values from the body, or literals).
func (l Location) IsString() bool {
	return l == FromPath || l == FromQuery || l == FromHeader || l == FromContext
}

// Content types a route can accept.
const (
	ContentJSON = "application/json"
	ContentForm = "application/x-www-form-urlencoded"
)

// ContextFields are the $context fields an input key or execution name can
// take. authorizer.claims.NAME and authorizer.NAME are accepted as well.
var ContextFields = []string{
	"requestId", "extendedRequestId", "requestTime", "requestTimeEpoch", "stage", "httpMethod",
	"resourcePath", "path", "domainName", "apiId", "accountId", "protocol",
	"identity.sourceIp", "identity.userAgent", "identity.caller", "identity.user", "identity.userArn",
	"identity.accountId", "identity.cognitoIdentityId", "authorizer.principalId",
}

// contextNeverName lists context fields that always hold a character that
// StartExecution forbids in a name ('/' or ':').
var contextNeverName = []string{"requestTime", "resourcePath", "path", "identity.userArn", "identity.userAgent"}

// Mapping puts one request value (or a literal) into one key of the
// execution input.
type Mapping struct {
	Key      string   // as written, dotted for nesting: customer.id
	KeyPath  []string // Key split on "."
	From     Location
	Name     string   // parameter name (path, query, header) or context field
	Field    []string // body field path; empty means the whole body
	Required bool     // for query and header parameters; path ones always are
	Value    any      // the literal, for FromValue (an ordered JSON value)
	Default  any      // the value when the source is absent, if HasDefault
	// HasDefault is set when the spec gives a default (which may be null).
	HasDefault bool
	// Omit leaves the key out of the input when the source is absent;
	// otherwise an absent value is null (or the default).
	Omit bool
	Pos  Pos
}

// CanBeAbsent reports whether a request may lack the value: path
// parameters and literals are always there, required parameters are
// enforced by API Gateway, context values are always set, and an empty
// body reads as {}.
func (m *Mapping) CanBeAbsent() bool {
	switch m.From {
	case FromPath, FromValue, FromContext:
		return false
	case FromQuery, FromHeader:
		return !m.Required
	case FromBody:
		return len(m.Field) > 0
	}
	return true
}

// Member is one key and value of an Object.
type Member struct {
	Key   string
	Value any
}

// Object is a JSON object that keeps the order its keys were written in, so
// that a user's state machine definition reaches the template as written.
type Object []Member

// MarshalJSON encodes the object with its keys in order and without HTML
// escaping, so that text such as "a < b" is carried as written.
func (o Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(m.Key); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode adds a newline
		b.WriteByte(':')
		if err := enc.Encode(m.Value); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Get returns the value of key and whether it is present.
func (o Object) Get(key string) (any, bool) {
	for _, m := range o {
		if m.Key == key {
			return m.Value, true
		}
	}
	return nil, false
}

// Names that end up in VTL, JSONPath or logical IDs are kept to characters
// that need no quoting in any of them. The checks are character classes
// rather than regular expressions: compiling a dozen regexps cost half a
// millisecond at every start, a third of a whole build.
const (
	letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	digits  = "0123456789"
	alnum   = letters + digits
)

// nameRule accepts 1 to max characters (0: no limit), the first from first
// and the others from rest.
type nameRule struct {
	first, rest string
	max         int
}

func (r nameRule) ok(s string) bool {
	if s == "" || r.max > 0 && len(s) > r.max {
		return false
	}
	for i := 0; i < len(s); i++ {
		set := r.rest
		if i == 0 {
			set = r.first
		}
		if strings.IndexByte(set, s[i]) < 0 {
			return false
		}
	}
	return true
}

var (
	machineName = nameRule{letters, alnum + "_-", 64}
	paramName   = nameRule{letters + "_", alnum + "_-", 0}
	literalSeg  = nameRule{alnum + "._:-", alnum + "._:-", 0}
	queryName   = nameRule{alnum + "_.~-", alnum + "_.~-", 0}
	headerName  = nameRule{alnum + "!#$%&*+.^_|~-", alnum + "!#$%&*+.^_|~-", 0}
	fieldName   = nameRule{letters + "_", alnum + "_", 0}
	inputKey    = nameRule{letters + "_", alnum + "_-", 0}
	stageName   = nameRule{alnum + "_-", alnum + "_-", 128}
	lowerHex    = nameRule{"0123456789abcdef", "0123456789abcdef", 17}
)

func validVPCEndpoint(s string) bool {
	id, ok := strings.CutPrefix(s, "vpce-")
	return ok && len(id) >= 8 && lowerHex.ok(id)
}

// Regular expressions that only some specs need are compiled on first use.
var (
	roleArnRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$`)
	})
	arnRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]{1,80}$`)
	})
	jsonNumberRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`) })
	yamlLineRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): (.*)$`) })
)

// Methods are the HTTP verbs a route can use; ANY matches every verb.
var Methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"}
