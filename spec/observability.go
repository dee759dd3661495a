package spec

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Logs is where and how much a state machine logs: its execution history
// in CloudWatch Logs (Step Functions' LoggingConfiguration).
type Logs struct {
	// Level is ALL, ERROR (the default), FATAL or OFF.
	Level       string
	IncludeData bool
	// RetentionDays keeps the events of the log group sfnapic creates
	// that many days; 0 keeps them forever.
	RetentionDays int
	// GroupARN is an existing log group to write to instead, ending in
	// ":*" as Step Functions wants it.
	GroupARN string
	Pos      Pos
}

// Log levels of a state machine (Step Functions' LogLevel).
var LogLevels = []string{"ALL", "ERROR", "FATAL", "OFF"}

// Alias is a state machine alias the routes start executions through.
type Alias struct {
	Name string
	// Deployment shifts the alias to a new version gradually; nil moves it
	// at once.
	Deployment *Deployment
	Pos        Pos
}

// Deployment is how an alias moves to a new version (the alias's
// DeploymentPreference, which CloudFormation runs).
type Deployment struct {
	Type            string // CANARY, LINEAR or ALL_AT_ONCE
	Percentage      int    // per increment; 0 with ALL_AT_ONCE
	IntervalMinutes int    // between increments (or of monitoring); 0: AWS's default
	Alarms          []string
}

// DeploymentTypes are the deployment preference types of an alias.
var DeploymentTypes = []string{"CANARY", "LINEAR", "ALL_AT_ONCE"}

// RetentionDays are the retention periods CloudWatch Logs accepts, in days
// (AWS::Logs::LogGroup, RetentionInDays).
var RetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// DefaultRetentionDays is the retention of a log group when the spec gives
// none: two years, the CDK's default for a log group.
const DefaultRetentionDays = 731

// Limits of a deployment preference (AWS::StepFunctions::StateMachineAlias
// DeploymentPreference): minutes between increments, and alarms watched.
const (
	MaxIntervalMinutes = 2100
	MaxAlarms          = 100
)

var (
	logGroupArnRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[.\-_/#A-Za-z0-9]{1,512}(:\*)?$`)
	})
	alarmArnRe = sync.OnceValue(func() *regexp.Regexp {
		// The partition, region and account may come from the deployment.
		return regexp.MustCompile(`^arn:(aws[a-z-]*|\$\{[^}]*\}):cloudwatch:([a-z0-9-]+|\$\{[^}]*\}):([0-9]{12}|\$\{[^}]*\}):alarm:(.+)$`)
	})
	aliasName = nameRule{letters, alnum + "_-", 80}
)

// operations reads a created machine's logs, tracing, publish and alias:
// how it is watched and released. existing is set for a machine given by
// arn, which keeps its own settings.
func (p *parser) operations(m *StateMachine, n *yaml.Node, at string, existing bool) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return
	}
	var aliasNode *yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if seen[k.Value] { // reported by mapping
			continue
		}
		seen[k.Value] = true
		fat := at + "." + k.Value
		switch k.Value {
		case "logs", "tracing", "publish", "alias", "encryption":
			if existing {
				p.errs.Add(p.pos(k), fat, "%s applies only to state machines sfnapic creates; an existing machine keeps its own", k.Value)
				continue
			}
		}
		switch k.Value {
		case "logs":
			m.Logs = p.logs(v, fat)
		case "tracing":
			m.Tracing = p.boolean(v, fat)
		case "publish":
			m.Publish = p.boolean(v, fat)
		case "alias":
			aliasNode = k
			m.Alias = p.alias(v, fat)
		case "encryption":
			m.Encryption = p.encryption(v, fat)
		}
	}
	if aliasNode != nil && !m.Publish {
		p.errs.Add(p.pos(aliasNode), at+".alias", "an alias points at published versions: add `publish: true` beside it")
	}
	if !existing && m.Type == TypeExpress && (m.Logs == nil || m.Logs.Level == "OFF") {
		p.errs.Warn(m.Pos, at, "an EXPRESS machine keeps no execution history: without logs its runs leave no trace; add `logs: {level: ERROR}` (or ALL)")
	}
}

// boolean reads true or false.
func (p *parser) boolean(n *yaml.Node, at string) bool {
	r := resolve(n)
	if r.Kind != yaml.ScalarNode || r.ShortTag() != "!!bool" {
		p.errs.Add(p.pos(r), at, "expected true or false, got %s", describe(r))
		return false
	}
	return r.Value == "true"
}

// logs reads a machine's logs.
func (p *parser) logs(n *yaml.Node, at string) *Logs {
	l := &Logs{Level: "ERROR", RetentionDays: DefaultRetentionDays, Pos: p.pos(resolve(n))}
	var retention, group *yaml.Node
	p.mapping(n, at, LogsFields.Keys(), LogsFields.RequiredKeys(), func(key string, k, v *yaml.Node) {
		switch key {
		case "level":
			if s, ok := p.oneOf(v, at+".level", LogLevels); ok {
				l.Level = s
			}
		case "includeData":
			l.IncludeData = p.boolean(v, at+".includeData")
		case "retention":
			retention = v
			if d, ok := p.retention(v, at+".retention"); ok {
				l.RetentionDays = d
			}
		case "logGroupArn":
			group = v
			l.GroupARN = p.logGroupArn(v, at+".logGroupArn")
		}
	})
	switch {
	case retention != nil && group != nil:
		p.errs.Add(p.pos(resolve(retention)), at+".retention", "retention applies to the log group sfnapic creates; an existing one (logGroupArn) keeps its own: remove one")
	case l.Level == "OFF" && (retention != nil || group != nil):
		p.errs.Add(l.Pos, at, "level OFF logs nothing, so no log group is used: remove retention and logGroupArn, or choose ERROR or ALL")
	}
	return l
}

// retention reads a retention period: a number of days CloudWatch Logs
// offers, written 30d, or never.
func (p *parser) retention(n *yaml.Node, at string) (int, bool) {
	v, ok := p.str(n, at)
	if !ok {
		return 0, false
	}
	if v == "never" {
		return 0, true
	}
	days, err := strconv.Atoi(strings.TrimSuffix(v, "d"))
	if err != nil || !strings.HasSuffix(v, "d") || strings.HasPrefix(v, "+") {
		p.errs.Add(p.pos(resolve(n)), at, "%q is not a retention period: write a number of days such as 30d, or never", v)
		return 0, false
	}
	for _, d := range RetentionDays {
		if d == days {
			return d, true
		}
	}
	p.errs.Add(p.pos(resolve(n)), at, "CloudWatch Logs keeps events for one of %s days (or never); %s%s", retentionList(), v, nearestRetention(days))
	return 0, false
}

func retentionList() string {
	parts := make([]string, len(RetentionDays))
	for i, d := range RetentionDays {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, ", ")
}

// nearestRetention suggests the allowed periods either side of days.
func nearestRetention(days int) string {
	below, above := 0, 0
	for _, d := range RetentionDays {
		if d < days {
			below = d
		} else if above == 0 {
			above = d
		}
	}
	switch {
	case below == 0:
		return fmt.Sprintf(" is not one; did you mean %dd?", above)
	case above == 0:
		return fmt.Sprintf(" is not one; did you mean %dd?", below)
	}
	return fmt.Sprintf(" is not one; did you mean %dd or %dd?", below, above)
}

// logGroupArn reads an existing log group's ARN. Step Functions takes it
// with ":*" at the end (Logging using CloudWatch Logs in Step Functions);
// one given without gets it added.
func (p *parser) logGroupArn(n *yaml.Node, at string) string {
	v, ok := p.str(n, at)
	if !ok {
		return ""
	}
	what := "a log group ARN such as arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/orders:*"
	fits := logGroupArnRe().MatchString
	if strings.HasSuffix(v, "}") {
		// Ending in a parameter's value, which ":*" cannot be added to
		// here: the value must end with it.
		fits = func(s string) bool { return logGroupArnRe().MatchString(s) && strings.HasSuffix(s, ":*") }
		what += " (ending in :*, as Step Functions wants it)"
	}
	if !p.deferDeployed(n, at, v, fits, what) && !fits(v) {
		p.errs.Add(p.pos(resolve(n)), at, "%q is not %s", v, what)
		return ""
	}
	if !strings.HasSuffix(v, ":*") && !strings.HasSuffix(v, "}") {
		v += ":*"
	}
	p.machineARNLength(n, at, v) // as written into the template, with :*
	return v
}
