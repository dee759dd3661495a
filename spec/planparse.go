package spec

// Parsing of api.usagePlans: the API keys, and the throttle and quota
// each key gets.

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"gopkg.in/yaml.v3"
)

// API Gateway's default account-level throttle, per Region: 10,000
// requests per second with a burst of 5,000 ("Amazon API Gateway quotas",
// "Throttle requests to your REST APIs"). A usage plan cannot go beyond
// what the account gets, so a higher plan is warned about.
const (
	AccountRateLimit  = 10000
	AccountBurstLimit = 5000
)

// maxInt32 bounds API Gateway's integer settings (burstLimit, the quota's
// limit), which are 32-bit.
const maxInt32 = math.MaxInt32

// usagePlans reads api.usagePlans, sorted by name. A key may be in one
// plan only: every plan here covers the API's one stage, and API Gateway
// refuses a key in two plans of the same stage (CreateUsagePlanKey's
// ConflictException).
func (p *parser) usagePlans(n *yaml.Node, at string) []*UsagePlan {
	var out []*UsagePlan
	owner := map[string]*UsagePlan{}
	p.mapping(n, at, nil, nil, func(name string, k, v *yaml.Node) {
		pat := child(at, name)
		if !accessName.ok(name) {
			p.errs.Add(p.pos(k), pat, "usage plan name %q must start with a letter and hold only letters, digits, '-' and '_' (at most 64 characters)", name)
			return
		}
		u := &UsagePlan{Name: name, Pos: p.pos(k)}
		p.mapping(v, pat, UsagePlanFields.Keys(), UsagePlanFields.RequiredKeys(), func(key string, fk, fv *yaml.Node) {
			switch key {
			case "keys":
				u.Keys = p.planKeys(fv, pat+".keys", u, owner)
			case "throttle":
				u.Throttle = p.throttle(fv, pat+".throttle")
			case "quota":
				u.Quota = p.quota(fv, pat+".quota")
			}
		})
		out = append(out, u)
	})
	if r := resolve(n); r.Kind == yaml.MappingNode && len(r.Content) == 0 {
		p.errs.Add(p.pos(r), at, "declare at least one usage plan, or remove usagePlans")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (p *parser) planKeys(n *yaml.Node, at string, u *UsagePlan, owner map[string]*UsagePlan) []string {
	var out []string
	for i, s := range p.stringList(n, at, "API key names") {
		kat, pos := fmt.Sprintf("%s[%d]", at, i), p.pos(resolve(resolve(n).Content[i]))
		switch prev := owner[s]; {
		case s == "":
		case !accessName.ok(s):
			p.errs.Add(pos, kat, "API key name %q must start with a letter and hold only letters, digits, '-' and '_' (at most 64 characters)", s)
		case prev == u:
			p.errs.Add(pos, kat, "key %s is listed twice", s)
		case prev != nil:
			p.errs.Add(pos, kat, "key %s is already in usage plan %s (line %d): API Gateway refuses a key in two usage plans of the same stage; keep it in one", s, prev.Name, prev.Pos.Line)
		default:
			owner[s] = u
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) throttle(n *yaml.Node, at string) *Throttle {
	t := &Throttle{}
	p.mapping(n, at, ThrottleFields.Keys(), ThrottleFields.RequiredKeys(), func(key string, k, v *yaml.Node) {
		switch key {
		case "rate":
			t.Rate, _ = p.rate(v, at+".rate")
			if t.Rate > AccountRateLimit {
				p.errs.Warn(p.pos(resolve(v)), at+".rate", "%v requests per second is more than API Gateway's default account limit (%d per Region, shared by every API): ask AWS to raise it, or the account's limit applies", t.Rate, AccountRateLimit)
			}
		case "burst":
			t.Burst, _ = p.count(v, at+".burst", "a burst")
			if t.Burst > AccountBurstLimit {
				p.errs.Warn(p.pos(resolve(v)), at+".burst", "a burst of %d is more than API Gateway's default account burst (%d per Region): ask AWS to raise it, or the account's burst applies", t.Burst, AccountBurstLimit)
			}
		}
	})
	return t
}

func (p *parser) quota(n *yaml.Node, at string) *Quota {
	q := &Quota{}
	p.mapping(n, at, QuotaFields.Keys(), QuotaFields.RequiredKeys(), func(key string, k, v *yaml.Node) {
		switch key {
		case "limit":
			q.Limit, _ = p.count(v, at+".limit", "a quota's limit")
		case "period":
			q.Period, _ = p.oneOf(v, at+".period", QuotaPeriods)
		}
	})
	return q
}

// count reads a whole number from 0 to 2147483647.
func (p *parser) count(n *yaml.Node, at, what string) (int, bool) {
	r := resolve(n)
	v, err := strconv.ParseInt(r.Value, 10, 64)
	if r.Kind != yaml.ScalarNode || r.ShortTag() != "!!int" || err != nil || v < 0 || v > maxInt32 {
		p.errs.Add(p.pos(r), at, "%s is a whole number from 0 to %d, got %s", what, maxInt32, describe(r))
		return 0, false
	}
	return int(v), true
}

// rate reads a number of requests per second, 0 or more.
func (p *parser) rate(n *yaml.Node, at string) (float64, bool) {
	r := resolve(n)
	v, err := strconv.ParseFloat(r.Value, 64)
	isNum := r.ShortTag() == "!!int" || r.ShortTag() == "!!float"
	if r.Kind != yaml.ScalarNode || !isNum || err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		p.errs.Add(p.pos(r), at, "a rate is a number of requests per second, 0 or more, got %s", describe(r))
		return 0, false
	}
	return v, true
}
