package compile

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/spec"
)

// This file owns API keys and usage plans: one UsagePlan per plan, one
// ApiKey per key (API Gateway generates the value; sfnapic never sees or
// writes one), the UsagePlanKeys that join them, and an output naming each
// key's id. None of them is part of a Deployment, so none is hashed.
//
// What `apiKey: PLAN` means on AWS: API Gateway accepts, on a method with
// ApiKeyRequired, a key of ANY usage plan associated with the stage ("Usage
// plans and API keys for REST APIs": a plan gives its keys access to the
// associated API stages). To keep a route to its plan's keys, every other
// plan carries, in its ApiStages' method-level Throttle, a rate and burst
// of 0 for that route: API Gateway then throttles those keys on it
// (429 Too Many Requests, the THROTTLED gateway response), as the console
// does for a method set to 0 requests per second (aws/aws-cdk#10071).

// planIDs names the usage plans (UsagePlan<Name>); keyIDs the keys
// (ApiKey<Name>), one ApiKey per key name even when plans share it; and
// planKeyIDs their joins (PlanKey<Plan><Key>), keyed "plan/key".
func (b *builder) planIDs() (plans, keys, planKeys namer) {
	var pn, kn, pk []string
	for _, p := range b.s.API.UsagePlans {
		pn = append(pn, p.Name)
		for _, k := range p.Keys {
			kn = append(kn, k)
			pk = append(pk, p.Name+"/"+k)
		}
	}
	joined := func(s string) string {
		p, k, _ := strings.Cut(s, "/")
		return pascal(p) + pascal(k)
	}
	return newNamer(pn, pascal), newNamer(kn, pascal), newNamer(pk, joined)
}

// usagePlans creates the plans, their keys and the keys' outputs.
func (b *builder) usagePlans() {
	plans, keys, planKeys := b.planIDs()
	for _, p := range b.s.API.UsagePlans {
		id := "UsagePlan" + plans[p.Name]
		// Stage is a Ref, so CloudFormation creates the Stage first: a
		// plan made before it fails with "Invalid API Stage"
		// (aws/aws-cdk#6169). A DependsOn besides would be redundant
		// (cfn-lint W3005).
		plan := &apigateway.UsagePlan{
			UsagePlanName: ptr(p.Name),
			ApiStages: []apigateway.UsagePlan_ApiStage{{
				ApiId:    ptr(b.t.Ref(idAPI)),
				Stage:    ptr(b.t.Ref(idStage)),
				Throttle: b.closedRoutes(p),
			}},
			Tags: b.tags(),
		}
		switch {
		case p.Throttle != nil:
			plan.Throttle = &apigateway.UsagePlan_ThrottleSettings{RateLimit: ptr(p.Throttle.Rate), BurstLimit: ptr(p.Throttle.Burst)}
		case len(plan.ApiStages[0].Throttle) > 0:
			// API Gateway refuses method throttles in a plan without a
			// plan throttle ("Can not define fine grain throttling if
			// usage plan throttle is not defined", aws/aws-cdk#6411):
			// the account's default limits (10,000 a second, burst
			// 5,000: the guide's "Amazon API Gateway quotas") add no
			// limit the plan did not have.
			plan.Throttle = &apigateway.UsagePlan_ThrottleSettings{RateLimit: ptr(float64(spec.AccountRateLimit)), BurstLimit: ptr(spec.AccountBurstLimit)}
		}
		if p.Quota != nil {
			plan.Quota = &apigateway.UsagePlan_QuotaSettings{Limit: ptr(p.Quota.Limit), Period: ptr(p.Quota.Period)}
		}
		b.t.CFN.Resources[id] = plan
		for _, k := range p.Keys {
			b.apiKey(k, keys[k], p.Name)
			b.t.CFN.Resources["PlanKey"+planKeys[p.Name+"/"+k]] = &apigateway.UsagePlanKey{
				KeyId:       b.t.Ref("ApiKey" + keys[k]),
				KeyType:     "API_KEY",
				UsagePlanId: b.t.Ref(id),
			}
		}
	}
}

// apiKey creates one key, once, and the output that names its id.
func (b *builder) apiKey(name, frag, plan string) {
	id := "ApiKey" + frag
	if _, done := b.t.CFN.Resources[id]; done {
		return
	}
	// The stack's name keeps the keys of two stacks of one spec apart
	// (key names need not be unique, but people find keys by name).
	b.t.CFN.Resources[id] = &apigateway.ApiKey{
		Name:    ptr(b.t.Sub("${AWS::StackName}-" + strings.ReplaceAll(name, "${", "${!"))),
		Enabled: ptr(true),
		Tags:    b.tags(),
	}
	b.t.CFN.Outputs[KeyOutput(id)] = cloudformation.Output{
		Description: ptr(fit("ID of API key "+name+" (usage plan "+plan+"); its value: aws apigateway get-api-key --api-key <this ID> --include-value --query value --output text", maxOutputDescription)),
		Value:       b.t.Ref(id),
	}
}

// closedRoutes is a plan's method-level throttle: rate and burst 0 on every
// route that asks for another plan's keys, so this plan's keys cannot call
// it (see the top of this file). The keys are API Gateway's
// "/resource/path/VERB" (ApiStage.throttle).
func (b *builder) closedRoutes(p *spec.UsagePlan) map[string]apigateway.UsagePlan_ThrottleSettings {
	out := map[string]apigateway.UsagePlan_ThrottleSettings{}
	for _, r := range b.s.Routes {
		if r.APIKey == nil || r.APIKey.Name == p.Name {
			continue
		}
		out[throttleKey(r)] = apigateway.UsagePlan_ThrottleSettings{RateLimit: ptr(0.0), BurstLimit: ptr(0)}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// throttleKey is a method's key in a usage plan's Throttle map.
func throttleKey(r *spec.Route) string {
	return "/" + strings.Join(r.Segments, "/") + "/" + r.Method
}
