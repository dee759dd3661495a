package gateway

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/sfnapic/sfnapic/restapi"
)

// policy is a Lambda authorizer's policyDocument.
type policy struct {
	Statement oneOrMany[statement] `json:"Statement"`
}

type statement struct {
	Effect   string            `json:"Effect"`
	Action   oneOrMany[string] `json:"Action"`
	Resource oneOrMany[string] `json:"Resource"`
}

// oneOrMany reads a JSON value that IAM lets be one item or a list.
type oneOrMany[T any] []T

func (o *oneOrMany[T]) UnmarshalJSON(b []byte) error {
	var one T
	if err := json.Unmarshal(b, &one); err == nil {
		*o = []T{one}
		return nil
	}
	var many []T
	err := json.Unmarshal(b, &many)
	*o = many
	return err
}

type decision int

const (
	notAllowed decision = iota
	allowed
	denied
)

// decide applies the policy to a method ARN as IAM does: an explicit
// Deny wins, then an Allow, else the request is not allowed. A statement
// counts when one of its actions matches execute-api:Invoke (case aside)
// and one of its resources matches the ARN, * matching any run of
// characters and ? any one ("IAM JSON policy elements: Resource").
// NotAction, NotResource and Condition are not read.
func (p *policy) decide(arn string) decision {
	result := notAllowed
	for _, s := range p.Statement {
		if !s.matches(arn) {
			continue
		}
		switch s.Effect {
		case "Deny":
			return denied
		case "Allow":
			result = allowed
		}
	}
	return result
}

func (s statement) matches(arn string) bool {
	action := false
	for _, a := range s.Action {
		action = action || globMatch(strings.ToLower(a), "execute-api:invoke")
	}
	if !action {
		return false
	}
	for _, r := range s.Resource {
		if globMatch(r, arn) {
			return true
		}
	}
	return false
}

// globMatch matches text against a pattern of * and ?, iteratively
// (linear in practice, never exponential).
func globMatch(pattern, text string) bool {
	p, t := 0, 0
	star, mark := -1, 0
	for t < len(text) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == text[t]):
			p++
			t++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, t
			p++
		case star >= 0:
			p = star + 1
			mark++
			t = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// authorizerEvent is what API Gateway sends a Lambda authorizer (API
// Gateway developer guide, "Input to an API Gateway Lambda authorizer"):
// for TOKEN the token and the method ARN; for REQUEST the request's
// headers, query string, path parameters, stage variables and context.
func (g *Gateway) authorizerEvent(x *exchange, a *restapi.Authorizer, values []string, arn string) []byte {
	var ev map[string]any
	if a.Type == restapi.AuthorizerToken {
		token := ""
		if len(values) > 0 {
			token = values[0]
		}
		ev = map[string]any{"type": "TOKEN", "authorizationToken": token, "methodArn": arn}
	} else {
		req, ctx := x.req, g.vtlRequest(x).Context
		ev = map[string]any{
			"type": "REQUEST", "methodArn": arn, "resource": x.method.Path, "path": req.Path, "httpMethod": req.Method,
			"headers": last(req.Header), "multiValueHeaders": req.Header, "queryStringParameters": last(req.Query),
			"multiValueQueryStringParameters": req.Query, "pathParameters": x.params, "stageVariables": map[string]string{},
			"requestContext": map[string]any{"path": ctx["path"], "accountId": ctx["accountId"], "stage": ctx["stage"],
				"requestId": ctx["requestId"], "identity": ctx["identity"], "resourcePath": x.method.Path, "httpMethod": req.Method,
				"apiId": strings.SplitN(strings.SplitN(arn, ":", 6)[5], "/", 2)[0]},
		}
	}
	b, _ := json.Marshal(ev)
	return b
}

// cached is a Lambda authorizer's answer while its TTL lasts.
type cached struct {
	answer  *lambdaAnswer
	expires time.Time
}

// maxCached bounds the cache: past it, expired entries go, and if none
// had, all of them (a cache miss only costs a call).
const maxCached = 10000

// cacheKey names an authorizer's result for the values of its identity
// sources, as API Gateway keys its authorizer cache.
func cacheKey(a *restapi.Authorizer, values []string) string {
	var b strings.Builder
	b.WriteString(a.ID)
	for _, v := range values {
		b.WriteString("\x00" + strconv.Itoa(len(v)) + ":" + v)
	}
	return b.String()
}

func (a *Auth) cached(key string) *lambdaAnswer {
	a.mu.Lock()
	defer a.mu.Unlock()
	c, ok := a.cache[key]
	if !ok || !a.now().Before(c.expires) {
		return nil
	}
	return c.answer
}

func (a *Auth) store(key string, ans *lambdaAnswer, ttl time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	if a.cache == nil {
		a.cache = map[string]cached{}
	}
	if len(a.cache) >= maxCached {
		for k, c := range a.cache {
			if !now.Before(c.expires) {
				delete(a.cache, k)
			}
		}
		if len(a.cache) >= maxCached {
			clear(a.cache)
		}
	}
	a.cache[key] = cached{answer: ans, expires: now.Add(ttl)}
}
