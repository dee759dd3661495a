package spec

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// alias reads a machine's alias.
func (p *parser) alias(n *yaml.Node, at string) *Alias {
	a := &Alias{Pos: p.pos(resolve(n))}
	p.mapping(n, at, AliasFields.Keys(), AliasFields.RequiredKeys(), func(key string, k, v *yaml.Node) {
		switch key {
		case "name":
			s, ok := p.str(v, at+".name")
			if ok && !aliasName.ok(s) {
				// A name of digits alone would read as a version number in
				// the qualified ARN.
				p.errs.Add(p.pos(resolve(v)), at+".name", "alias name %q must start with a letter and hold only letters, digits, '-' and '_' (at most 80 characters), such as live", s)
			}
			a.Name = s
		case "deployment":
			a.Deployment = p.deployment(v, at+".deployment")
		}
	})
	return a
}

// deployment reads how an alias moves to a new version.
func (p *parser) deployment(n *yaml.Node, at string) *Deployment {
	d := &Deployment{}
	var percentage, interval *yaml.Node
	p.mapping(n, at, DeploymentFields.Keys(), DeploymentFields.RequiredKeys(), func(key string, k, v *yaml.Node) {
		switch key {
		case "type":
			d.Type, _ = p.oneOf(v, at+".type", DeploymentTypes)
		case "percentage":
			percentage = v
			d.Percentage = p.percentage(v, at+".percentage")
		case "interval":
			interval = v
			if secs, ok := p.duration(v, at+".interval", "an interval", MaxIntervalMinutes*60, "2100m (35h)"); ok {
				d.IntervalMinutes = p.minutes(v, at+".interval", secs)
			}
		case "alarms":
			d.Alarms = p.alarms(v, at+".alarms")
		}
	})
	switch d.Type {
	case "CANARY", "LINEAR":
		if percentage == nil || interval == nil {
			p.errs.Add(p.pos(resolve(n)), at, "a %s deployment needs percentage (of traffic per step, 1 to 99) and interval (between steps, such as 5m)", d.Type)
		}
	case "ALL_AT_ONCE":
		if percentage != nil {
			p.errs.Add(p.pos(resolve(percentage)), at+".percentage", "ALL_AT_ONCE moves all traffic at once: remove percentage, or choose CANARY or LINEAR")
		}
	}
	return d
}

// percentage reads the share of traffic a step moves: 1 to 99, since a
// step of 100 is ALL_AT_ONCE.
func (p *parser) percentage(n *yaml.Node, at string) int {
	r := resolve(n)
	v, ok := 0, r.Kind == yaml.ScalarNode && r.ShortTag() == "!!int"
	if ok {
		if err := r.Decode(&v); err != nil {
			ok = false
		}
	}
	if !ok || v < 1 || v > 99 {
		p.errs.Add(p.pos(r), at, "a percentage is a whole number from 1 to 99, got %s", describe(r))
		return 0
	}
	return v
}

// minutes turns a duration into the whole minutes AWS counts intervals in.
func (p *parser) minutes(n *yaml.Node, at string, secs int) int {
	if secs < 60 || secs%60 != 0 {
		p.errs.Add(p.pos(resolve(n)), at, "AWS counts an interval in whole minutes, from 1m to 2100m; write it in minutes or hours, such as 5m")
		return 0
	}
	return secs / 60
}

func alarmName(s string) bool { return s != "" && len(s) <= 255 }

// nonPseudo is the first ${Name} of text that is not a pseudo parameter.
func nonPseudo(text string) string {
	for _, name := range DeployRefs(text) {
		if !contains(pseudoParams, name) {
			return name
		}
	}
	return ""
}

// alarms reads the CloudWatch alarms that roll a deployment back. AWS wants
// their names: an ARN there names no alarm, which CloudWatch reads as OK, so
// the deployment would never roll back (AWS::StepFunctions::StateMachineAlias
// DeploymentPreference). An alarm ARN is taken, and its name kept.
func (p *parser) alarms(n *yaml.Node, at string) []string {
	r := resolve(n)
	if r.Kind != yaml.SequenceNode || len(r.Content) == 0 {
		p.errs.Add(p.pos(r), at, "expected a list of CloudWatch alarm names, got %s", describe(r))
		return nil
	}
	if len(r.Content) > MaxAlarms {
		p.errs.Add(p.pos(r), at, "%d alarms given; a deployment watches at most %d", len(r.Content), MaxAlarms)
	}
	var out []string
	for i, c := range r.Content {
		iat := fmt.Sprintf("%s[%d]", at, i)
		s, ok := p.str(c, iat)
		if !ok {
			continue
		}
		if m := alarmArnRe().FindStringSubmatch(s); m != nil {
			if other := nonPseudo(strings.TrimSuffix(s, m[4])); other != "" {
				// Only the name is kept: a parameter (or a typo) before it
				// would vanish unchecked; the stack's own region and
				// account are what a name means anyway.
				p.errs.Add(p.pos(resolve(c)), iat, "%q: a deployment takes alarms by name, and only the name of an alarm ARN is kept, so its ${%s} would be dropped; write the alarm's name (%s), in the stack's region and account", s, other, m[4])
				continue
			}
			s = m[4]
		}
		if p.deferDeployed(c, iat, s, alarmName, "an alarm name of 1 to 255 characters") {
			out = append(out, s)
			continue
		}
		if !alarmName(s) {
			p.errs.Add(p.pos(resolve(c)), iat, "an alarm name holds 1 to 255 characters")
			continue
		}
		out = append(out, s)
	}
	return out
}
