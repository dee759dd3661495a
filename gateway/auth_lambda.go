package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sfnapic/sfnapic/restapi"
)

// Lambda stands in for a Lambda authorizer, which serve cannot run: a
// program on this machine that reads API Gateway's authorizer event on
// stdin and writes the function's answer on stdout, or a fixed answer.
type Lambda struct {
	// Command is the program and its arguments (no shell reads them).
	Command []string
	// Answer, when Command is empty, is the answer for every request.
	Answer []byte
	// Timeout bounds a run of the program: API Gateway waits 10 s for a
	// Lambda authorizer ("Timeout for Lambda authorizer response, 10000
	// ms", in the HTTP API quotas; the REST API quotas give no other
	// number). DefaultLambdaTimeout when zero.
	Timeout time.Duration
	calls   atomic.Int64
}

// DefaultLambdaTimeout is how long a Lambda authorizer's program may run.
const DefaultLambdaTimeout = 10 * time.Second

// MaxLambdaAnswer bounds what a program may write on stdout; one that
// writes more is stopped and its answer refused (serve's own bound: a
// real authorizer's answer is a policy and a small context).
const MaxLambdaAnswer = 1 << 20

// Calls is how many times the program ran (a cached result runs none).
func (l *Lambda) Calls() int64 { return l.calls.Load() }

// lambdaAnswer is a Lambda authorizer's output (API Gateway developer
// guide, "Output from an API Gateway Lambda authorizer").
type lambdaAnswer struct {
	PrincipalID        *string                    `json:"principalId"`
	PolicyDocument     *policy                    `json:"policyDocument"`
	Context            map[string]json.RawMessage `json:"context"`
	UsageIdentifierKey string                     `json:"usageIdentifierKey"`
	// unauthorized is the function's "Unauthorized" error: 401.
	unauthorized bool
}

// NewLambdaAnswer is a Lambda authorizer that gives the same answer to
// every request; it fails on an answer API Gateway would not take.
func NewLambdaAnswer(answer []byte) (*Lambda, error) {
	if _, err := parseLambdaAnswer(answer); err != nil {
		return nil, err
	}
	return &Lambda{Answer: answer}, nil
}

// parseLambdaAnswer reads an authorizer's answer: the word Unauthorized
// (the error a function raises for a 401), or {"principalId": ...,
// "policyDocument": {...}, "context": {...}, "usageIdentifierKey": ...}.
// API Gateway fails the request (500) on an answer without principalId
// or policyDocument, or with a context value that is an object or a list
// ("You can't set a JSON object or array as a valid value of any key in
// the context map").
func parseLambdaAnswer(b []byte) (*lambdaAnswer, error) {
	b = bytes.TrimSpace(b)
	if string(b) == "Unauthorized" {
		return &lambdaAnswer{unauthorized: true}, nil
	}
	var a lambdaAnswer
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("the answer is neither Unauthorized nor a JSON object: %v", err)
	}
	if a.PrincipalID == nil || a.PolicyDocument == nil {
		return nil, errors.New("the answer lacks principalId or policyDocument")
	}
	for k, v := range a.Context {
		if t := bytes.TrimSpace(v); len(t) > 0 && (t[0] == '{' || t[0] == '[' || t[0] == 'n') {
			return nil, fmt.Errorf("context value %q is %s: only strings, numbers and booleans are allowed", k, kindOf(t))
		}
	}
	return &a, nil
}

func kindOf(v []byte) string {
	switch v[0] {
	case '{':
		return "an object"
	case '[':
		return "a list"
	}
	return "null"
}

// checkLambda runs the method's Lambda authorizer (its stand-in), or
// takes its cached result, and applies its policy to the method's ARN.
// A TOKEN authorizer whose header is missing or empty, or fails the
// IdentityValidationExpression, and a cached REQUEST authorizer whose
// identity sources are not all there, answer 401 without a call
// (knowledge center, "Why am I getting API Gateway 401 Unauthorized
// errors after creating a Lambda authorizer?").
func (g *Gateway) checkLambda(x *exchange, a *restapi.Authorizer) (*authResult, *Rejection) {
	values, rej := g.identityValues(x, a)
	if rej != nil {
		return nil, rej
	}
	l := g.Auth.Lambdas[a.Name]
	if l == nil {
		return nil, reject(500, "AUTHORIZER_CONFIGURATION_ERROR", "Internal server error",
			fmt.Sprintf("serve cannot run Lambda authorizer %s: give it a program with --authorizer %s=COMMAND, or an answer with --authorizer %s=@FILE", a.Name, a.Name, a.Name))
	}
	arn := g.methodARN(x)
	key := cacheKey(a, values)
	ans := g.Auth.cached(key)
	if ans == nil {
		var err error
		if ans, err = l.run(g.authorizerEvent(x, a, values, arn)); err != nil {
			return nil, reject(500, "AUTHORIZER_CONFIGURATION_ERROR", "Internal server error", fmt.Sprintf("Lambda authorizer %s: %v", a.Name, err))
		}
		// API Gateway caches the policy, not the decision: a cached
		// policy is applied to each method it is used for.
		if a.TTL > 0 && !ans.unauthorized {
			g.Auth.store(key, ans, a.TTL)
		}
	}
	if ans.unauthorized {
		return nil, unauthorized(fmt.Sprintf("Lambda authorizer %s answered Unauthorized", a.Name))
	}
	switch ans.PolicyDocument.decide(arn) {
	case denied:
		return nil, reject(403, "ACCESS_DENIED", "User is not authorized to access this resource with an explicit deny",
			fmt.Sprintf("Lambda authorizer %s's policy denies %s", a.Name, arn))
	case notAllowed:
		return nil, reject(403, "ACCESS_DENIED", "User is not authorized to access this resource",
			fmt.Sprintf("Lambda authorizer %s's policy allows no execute-api:Invoke on %s", a.Name, arn))
	}
	ctx := map[string]any{"principalId": *ans.PrincipalID}
	for k, v := range ans.Context {
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = string(bytes.TrimSpace(v)) // a number or a boolean, as written
		}
		ctx[k] = s
	}
	return &authResult{Context: ctx, UsageIdentifierKey: ans.UsageIdentifierKey}, nil
}

// identityValues reads the authorizer's identity sources from the
// request, or refuses it as API Gateway does when one is missing.
func (g *Gateway) identityValues(x *exchange, a *restapi.Authorizer) ([]string, *Rejection) {
	values := make([]string, len(a.Identity))
	for i, s := range a.Identity {
		values[i] = g.identityValue(x, s)
		if values[i] == "" && (a.Type == restapi.AuthorizerToken || a.TTL > 0) {
			return nil, unauthorized(fmt.Sprintf("the request has no %s, which Lambda authorizer %s reads", s, a.Name))
		}
	}
	if a.Type == restapi.AuthorizerToken && a.ValidationExpression != "" && len(values) > 0 {
		re, err := g.pattern(a.ValidationExpression)
		if err != nil || !re.MatchString(values[0]) {
			return nil, unauthorized(fmt.Sprintf("the token does not match Lambda authorizer %s's IdentityValidationExpression", a.Name))
		}
	}
	return values, nil
}

// methodARN is the ARN of the method a request calls, as an authorizer's
// policy names it: arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/VERB/PATH.
// The API ID is the REST API's logical ID until Vars give its real one.
func (g *Gateway) methodARN(x *exchange) string {
	api := "api"
	if id, ok := g.Template.RefTarget(x.method.Resource.RestApiId); ok {
		api = id
		if v, ok := g.Vars[id]; ok {
			api = v
		}
	}
	return fmt.Sprintf("arn:%s:execute-api:%s:%s:%s/%s/%s/%s", g.Vars["AWS::Partition"], g.Vars["AWS::Region"], g.Vars["AWS::AccountId"],
		api, g.Stage, x.req.Method, strings.TrimPrefix(x.req.Path, "/"))
}

// run runs the program with the event on stdin, within its timeout and
// output bound, and reads its answer; a fixed answer is read as it is.
func (l *Lambda) run(event []byte) (*lambdaAnswer, error) {
	l.calls.Add(1)
	if len(l.Command) == 0 {
		return parseLambdaAnswer(l.Answer)
	}
	timeout := l.Timeout
	if timeout <= 0 {
		timeout = DefaultLambdaTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, l.Command[0], l.Command[1:]...)
	out := &capped{max: MaxLambdaAnswer, stop: cancel}
	cmd.Stdin, cmd.Stdout = bytes.NewReader(event), out
	// A child the program left behind may hold stdout open: stop
	// waiting for it a second after the program is ended.
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	switch {
	case out.over:
		return nil, fmt.Errorf("the program wrote more than %d bytes", MaxLambdaAnswer)
	case ctx.Err() == context.DeadlineExceeded:
		return nil, fmt.Errorf("the program did not answer within %s (API Gateway waits 10 s for a Lambda authorizer)", timeout)
	}
	if ans, perr := parseLambdaAnswer(out.buf.Bytes()); perr == nil && ans.unauthorized {
		return ans, nil
	}
	if err != nil {
		// Its stderr is not quoted: it may hold the token it was given.
		return nil, fmt.Errorf("the program failed (%v)", err)
	}
	return parseLambdaAnswer(out.buf.Bytes())
}

// capped keeps up to max bytes, and stops the program past that.
type capped struct {
	buf  bytes.Buffer
	max  int
	over bool
	stop func()
}

func (c *capped) Write(p []byte) (int, error) {
	if c.buf.Len()+len(p) > c.max {
		c.over = true
		c.stop()
		return 0, errors.New("too much output")
	}
	return c.buf.Write(p)
}
