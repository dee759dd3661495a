package gateway

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sfnapic/sfnapic/restapi"
)

// Keys are the API key values a local gateway takes, by the name of the
// template's key they stand for (API Gateway generates the real values,
// which sfnapic never reads or prints), and what each key has used since
// the Keys were made: its throttles' token buckets and its quota's count,
// in memory. A server keeps one Keys across reloads of its template.
type Keys struct {
	byValue map[string]string // value -> key name
	names   []string          // the names given, sorted
	now     func() time.Time
	start   time.Time

	mu      sync.Mutex
	buckets map[string]*bucket // plan, key and method (or "") -> bucket
	used    map[string]*quotaUse
}

// NewKeys holds the values of the keys named (name -> value).
func NewKeys(values map[string]string) *Keys {
	k := &Keys{byValue: map[string]string{}, now: time.Now, buckets: map[string]*bucket{}, used: map[string]*quotaUse{}}
	for name, v := range values {
		k.byValue[v] = name
		k.names = append(k.names, name)
	}
	sort.Strings(k.names)
	k.start = k.now()
	return k
}

// Names are the key names given, sorted.
func (k *Keys) Names() []string { return k.names }

// UnknownKeyError is a key name given that the template has no key of.
type UnknownKeyError struct {
	Name  string
	Known []string // the template's key names, sorted
}

func (e *UnknownKeyError) Error() string {
	known := "it has none"
	if len(e.Known) > 0 {
		known = "its keys are " + strings.Join(e.Known, ", ")
	}
	return fmt.Sprintf("the template has no API key named %q (%s)", e.Name, known)
}

// UseKeys checks requests to methods that require an API key against
// keys. Each name it holds must be a key of the template; the first that
// is not is an *UnknownKeyError. With no keys, such methods refuse every
// request, as API Gateway does when no key is valid; without UseKeys,
// nothing is checked (a render).
func (g *Gateway) UseKeys(keys *Keys) error {
	known := make([]string, 0, len(g.API.Keys))
	for _, k := range g.API.Keys {
		known = append(known, k.Name)
	}
	for _, name := range keys.names {
		if g.key(name) == nil {
			return &UnknownKeyError{Name: name, Known: known}
		}
	}
	g.keys = keys
	return nil
}

func (g *Gateway) key(name string) *restapi.APIKey {
	for _, k := range g.API.Keys {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// apiKeyStage checks a method's API key as API Gateway does (the guide's
// "Usage plans and API keys for REST APIs"): the x-api-key header (its
// name in any case, as HTTP's) must be the value of an enabled key of a
// usage plan whose ApiStages include the stage; a key of any such plan
// opens every method of the stage that requires a key. Missing, unknown,
// disabled or of a plan without the stage, it is refused with
// INVALID_API_KEY, 403 {"message":"Forbidden"} ("Gateway response types
// for API Gateway"). Then the plan's throttle (per method where its
// ApiStages set one, else plan-wide) and its quota, per key: THROTTLED
// (429 "Too Many Requests") and QUOTA_EXCEEDED (429 "Limit Exceeded").
// A gateway that was given no keys (render, test-invoke's local render)
// checks none, as one without an Auth checks no caller; serve always
// gives keys, none if none were named, so that nothing is open by
// accident there.
func (g *Gateway) apiKeyStage(x *exchange) error {
	if !x.method.APIKeyRequired || g.keys == nil {
		return nil
	}
	stage := g.Stage
	if x.req.Stage != "" {
		stage = x.req.Stage
	}
	key, plan, why := g.findKey(x.req.Header.Get("X-Api-Key"), stage)
	if plan == nil {
		return g.answer(reject(403, "INVALID_API_KEY", "Forbidden", why))
	}
	return g.keys.meter(g, key, plan, x.method)
}

// findKey finds the key a value stands for and its plan on stage; with
// no plan, it says why, without the value.
func (g *Gateway) findKey(value, stage string) (*restapi.APIKey, *restapi.UsagePlan, string) {
	if value == "" {
		return nil, nil, "the route requires an API key, and the request has no x-api-key header"
	}
	var name string
	if g.keys != nil {
		name = g.keys.byValue[value]
	}
	key := g.key(name)
	switch {
	case key == nil:
		return nil, nil, "the x-api-key header is not the value of a key given with --api-key"
	case !key.Enabled:
		return key, nil, fmt.Sprintf("API key %s is disabled in the template (Enabled is not true)", name)
	}
	for _, p := range key.Plans {
		if p.HasStage(stage) {
			return key, p, ""
		}
	}
	return key, nil, fmt.Sprintf("API key %s is in no usage plan of stage %s", name, stage)
}

// bucket is a token bucket: it holds up to size tokens, refilled at rate
// a second; each request takes one.
type bucket struct {
	tokens, size, rate float64
	last               time.Time
}

// take takes a token at now, if there is one.
func (b *bucket) take(now time.Time) bool {
	b.tokens = math.Min(b.size, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// quotaUse counts a key's requests in the current period of its plan's
// quota; periods run from when the Keys were made.
type quotaUse struct {
	n   int
	end time.Time // when the current period ends
}

// meter takes a request of key on a method from its plan's throttle and
// quota.
func (k *Keys) meter(g *Gateway, key *restapi.APIKey, plan *restapi.UsagePlan, m *restapi.Method) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.now()
	th, scope := plan.Throttle, ""
	if mt := plan.MethodThrottles[m.MethodKey()]; mt != nil {
		th, scope = mt, m.MethodKey()
	}
	if th != nil && th.Rate != nil {
		id := plan.ID + "\x00" + key.Name + "\x00" + scope
		b := k.buckets[id]
		if b == nil {
			size := math.Max(1, *th.Rate)
			if th.Burst != nil {
				size = float64(*th.Burst)
			}
			b = &bucket{tokens: size, size: size, rate: *th.Rate, last: now}
			k.buckets[id] = b
		}
		if !b.take(now) {
			return g.answer(reject(429, "THROTTLED", "Too Many Requests",
				fmt.Sprintf("API key %s is over usage plan %s's throttle (rate %g a second, burst %g)", key.Name, plan.Name, b.rate, b.size)))
		}
	}
	if plan.Quota == nil {
		return nil
	}
	id := plan.ID + "\x00" + key.Name
	u := k.used[id]
	if u == nil {
		u = &quotaUse{end: k.start}
		k.used[id] = u
	}
	for !now.Before(u.end) {
		u.n, u.end = 0, nextPeriod(u.end, plan.Quota.Period)
	}
	if u.n >= plan.Quota.Limit {
		return g.answer(reject(429, "QUOTA_EXCEEDED", "Limit Exceeded",
			fmt.Sprintf("API key %s has made the %d requests usage plan %s allows a %s (counted from serve's start)", key.Name, plan.Quota.Limit, plan.Name, strings.ToLower(plan.Quota.Period))))
	}
	u.n++
	return nil
}

// nextPeriod is when a quota period that begins at t ends.
func nextPeriod(t time.Time, period string) time.Time {
	switch period {
	case "WEEK":
		return t.AddDate(0, 0, 7)
	case "MONTH":
		return t.AddDate(0, 1, 0)
	}
	return t.AddDate(0, 0, 1)
}
