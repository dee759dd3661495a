package restapi

import (
	"sort"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/cfn"
)

// UsagePlan is one AWS::ApiGateway::UsagePlan: the stages its keys open,
// and how much each key may call them.
type UsagePlan struct {
	ID   string // the plan's logical ID
	Name string // UsagePlanName, else the logical ID
	// Stages are the stage names its ApiStages name (a Ref to the
	// template's AWS::ApiGateway::Stage, or a name).
	Stages []string
	// Throttle is the plan-wide rate and burst, per key; nil when the
	// plan sets none.
	Throttle *Throttle
	// MethodThrottles are the per-method throttles of its ApiStages, by
	// "/path/VERB" (API Gateway's key: the resource path, then the
	// method), per key.
	MethodThrottles map[string]*Throttle
	// Quota is how many requests a key may make per period; nil when
	// there is none.
	Quota *Quota
	Keys  []*APIKey // the keys its UsagePlanKeys add, sorted by name
}

// Throttle is a token bucket: Rate requests a second refill it, up to
// Burst. A nil field sets no limit.
type Throttle struct {
	Rate  *float64
	Burst *int
}

// Quota is a number of requests per DAY, WEEK or MONTH.
type Quota struct {
	Limit  int
	Period string
}

// APIKey is one AWS::ApiGateway::ApiKey. Its value is never in a
// template that sfnapic writes: API Gateway generates it.
type APIKey struct {
	ID string // the key's logical ID
	// Name is the key's name as the spec wrote it: the template's
	// Name without the "${AWS::StackName}-" that makes it unique per
	// stack, a plain string Name as itself, else the logical ID.
	Name string
	// Enabled is the key's Enabled; API Gateway's default is false.
	Enabled bool
	Plans   []*UsagePlan // the plans it belongs to
}

// HasStage reports whether the plan's keys open stage.
func (p *UsagePlan) HasStage(stage string) bool {
	for _, s := range p.Stages {
		if s == stage {
			return true
		}
	}
	return false
}

// MethodKey is how a usage plan's ApiStages name a method for its
// throttle: the resource path and the verb, "/orders/POST".
func (m *Method) MethodKey() string { return m.Path + "/" + m.Verb }

// readKeys reads the usage plans, the API keys and the keys' plans.
func (a *API) readKeys(t *cfn.Template, ids []string) {
	plans := map[string]*UsagePlan{}
	keys := map[string]*APIKey{}
	for _, id := range ids {
		switch r := t.CFN.Resources[id].(type) {
		case *apigateway.UsagePlan:
			plans[id] = readPlan(t, id, r)
			a.UsagePlans = append(a.UsagePlans, plans[id])
		case *apigateway.ApiKey:
			keys[id] = &APIKey{ID: id, Name: keyName(t, id, r), Enabled: r.Enabled != nil && *r.Enabled}
			a.Keys = append(a.Keys, keys[id])
		}
	}
	for _, id := range ids {
		upk, ok := t.CFN.Resources[id].(*apigateway.UsagePlanKey)
		if !ok {
			continue
		}
		k, p := keys[refOr(t, upk.KeyId)], plans[refOr(t, upk.UsagePlanId)]
		if k == nil || p == nil {
			continue
		}
		k.Plans = append(k.Plans, p)
		p.Keys = append(p.Keys, k)
	}
	sort.Slice(a.Keys, func(i, j int) bool { return a.Keys[i].Name < a.Keys[j].Name })
	for _, p := range a.UsagePlans {
		sort.Slice(p.Keys, func(i, j int) bool { return p.Keys[i].Name < p.Keys[j].Name })
	}
}

// readPlan reads one usage plan; its stages are named as the template's
// stage resources name them.
func readPlan(t *cfn.Template, id string, r *apigateway.UsagePlan) *UsagePlan {
	p := &UsagePlan{ID: id, Name: id, MethodThrottles: map[string]*Throttle{}}
	if r.UsagePlanName != nil {
		if name, err := t.Text(*r.UsagePlanName, keepVariable); err == nil {
			p.Name = name
		}
	}
	if r.Throttle != nil {
		p.Throttle = &Throttle{Rate: r.Throttle.RateLimit, Burst: r.Throttle.BurstLimit}
	}
	if r.Quota != nil && r.Quota.Limit != nil && r.Quota.Period != nil {
		p.Quota = &Quota{Limit: *r.Quota.Limit, Period: *r.Quota.Period}
	}
	for _, s := range r.ApiStages {
		if s.Stage != nil {
			p.Stages = append(p.Stages, stageName(t, *s.Stage))
		}
		for k, th := range s.Throttle {
			p.MethodThrottles[k] = &Throttle{Rate: th.RateLimit, Burst: th.BurstLimit}
		}
	}
	return p
}

// stageName is the name of the stage a property names: a Ref to an
// AWS::ApiGateway::Stage gives its StageName.
func stageName(t *cfn.Template, value string) string {
	if id, ok := t.RefTarget(value); ok {
		if s, ok := t.CFN.Resources[id].(*apigateway.Stage); ok && s.StageName != nil {
			return *s.StageName
		}
		return id
	}
	return value
}

// keyName reads a key's name back as the spec wrote it.
func keyName(t *cfn.Template, id string, r *apigateway.ApiKey) string {
	if r.Name == nil {
		return id
	}
	name, err := t.Text(*r.Name, keepVariable)
	if err != nil {
		return id
	}
	return strings.TrimPrefix(name, "${AWS::StackName}-")
}

// refOr is the logical ID a {"Ref": id} value names, else the value.
func refOr(t *cfn.Template, value string) string {
	if id, ok := t.RefTarget(value); ok {
		return id
	}
	return value
}
