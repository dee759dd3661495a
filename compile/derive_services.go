package compile

import (
	"fmt"
	"strings"

	"github.com/sfnapic/sfnapic/spec"
)

// lambda grants an action on the function a Task names, and on its
// versions and aliases (function:NAME:*), as the CDK's LambdaInvoke does:
// FunctionName may be a name, a name with a qualifier, a partial ARN
// (ACCOUNT:function:NAME) or a full ARN ("Invoke" in the Lambda API
// Reference).
func (d *deriver) lambda(t *spec.Task, action string) {
	actions := []string{action}
	name, ok := d.fixed(t, "FunctionName", actions, "[<the function's ARN>, <its ARN>:*]")
	if !ok {
		return
	}
	if par := d.param(name); par != nil && !d.isARN(name) {
		// Names, but a partial ARN (ACCOUNT:function:NAME) is no name to
		// build the ARN around.
		for _, v := range d.paramValues(par) {
			if strings.Contains(v, ":function:") {
				p, _ := t.Param("FunctionName")
				d.warn(t, p.Pos, actions, "[<the function's ARN>, <its ARN>:*]", fmt.Sprintf("FunctionName is %s, and parameter %s holds the partial ARN %q: give it the function's name or its full ARN", name, par.Name, v))
				return
			}
		}
	}
	parts := splitARN(name) // ${AWS::Region} is one part
	var base string
	switch {
	case d.param(name) != nil && d.isARN(name):
		base = name
	case len(parts) >= 7 && parts[0] == "arn" && parts[5] == "function":
		base = strings.Join(parts[:7], ":")
	case len(parts) >= 3 && parts[1] == "function":
		base = "arn:" + partition + ":lambda:${AWS::Region}:" + parts[0] + ":function:" + parts[2]
	default:
		base = "arn:" + partition + ":lambda:" + here + ":function:" + parts[0]
	}
	d.grant(t, actions, base, base+":*")
}

// dynamodb grants an action on the table a Task names (TableName takes a
// name or, since 2024, the table's ARN), or on the index a query or scan
// reads.
func (d *deriver) dynamodb(t *spec.Task, action string) {
	actions := []string{action}
	table, ok := d.fixed(t, "TableName", actions, "<the table's ARN>")
	if !ok {
		return
	}
	if !d.isARN(table) {
		table = "arn:" + partition + ":dynamodb:" + here + ":table/" + table
	}
	if _, has := t.Param("IndexName"); has {
		index, ok := d.fixed(t, "IndexName", actions, "<the index's ARN>")
		if !ok {
			return
		}
		table += "/index/" + index
	}
	d.grant(t, actions, table)
}

// sqs grants an action on the queue whose URL a Task gives.
func (d *deriver) sqs(t *spec.Task, action string) {
	actions := []string{action}
	u, ok := d.fixed(t, "QueueUrl", actions, "<the queue's ARN>")
	if !ok {
		return
	}
	arn, ok := queueARN(u)
	if !ok {
		p, _ := t.Param("QueueUrl")
		d.warn(t, p.Pos, actions, "<the queue's ARN>", "QueueUrl "+quote(u)+" is not a queue URL such as https://sqs.eu-west-1.amazonaws.com/123456789012/orders")
		return
	}
	d.grant(t, actions, arn)
}

// queueARN turns a queue URL into the queue's ARN. Both the current form
// (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME) and the legacy one
// (https://REGION.queue.amazonaws.com/ACCOUNT/NAME) are read ("Amazon SQS
// queue and message identifiers").
func queueARN(u string) (string, bool) {
	rest, ok := strings.CutPrefix(u, "https://")
	if !ok {
		return "", false
	}
	host, path, _ := strings.Cut(rest, "/")
	segs := strings.Split(strings.Trim(path, "/"), "/")
	labels := strings.Split(host, ".")
	if len(segs) != 2 || segs[0] == "" || segs[1] == "" || len(labels) < 3 {
		return "", false
	}
	var region string
	switch {
	case labels[0] == "sqs" && labels[2] == "amazonaws":
		region = labels[1]
	case labels[1] == "queue" && labels[2] == "amazonaws":
		region = labels[0]
	default:
		return "", false
	}
	return "arn:" + partition + ":sqs:" + region + ":" + segs[0] + ":" + segs[1], true
}

// sns grants an action on the topic (or endpoint) a Task publishes to. A
// message to a phone number has no resource to name.
func (d *deriver) sns(t *spec.Task, action string) {
	actions := []string{action}
	key := "TopicArn"
	if _, ok := t.Param(key); !ok {
		if _, ok := t.Param("TargetArn"); ok {
			key = "TargetArn"
		}
	}
	if arn, ok := d.fixed(t, key, actions, "<the topic's ARN>"); ok {
		d.grant(t, actions, arn)
	}
}

// events grants PutEvents on each bus a Task's Entries name; an entry
// without EventBusName goes to the account's default bus.
func (d *deriver) events(t *spec.Task, action string) {
	actions := []string{action}
	const what = "<the event bus's ARN>"
	p, ok := t.Param("Entries")
	entries, isList := p.Value.([]any)
	switch {
	case !ok: // no position of its own: the Task's
		d.warn(t, t.Pos, actions, what, "the Task gives no Entries")
		return
	case p.Dynamic() || !isList:
		d.warn(t, p.Pos, actions, what, "the Task's Entries are not a list written in the definition")
		return
	}
	var buses []string
	for _, e := range entries {
		obj, _ := e.(spec.Object)
		bus := "default"
		if _, dyn := obj.Get("EventBusName.$"); dyn {
			d.warn(t, p.Pos, actions, what, "an entry's EventBusName is chosen at run time")
			return
		}
		if v, has := obj.Get("EventBusName"); has {
			s, _ := v.(string)
			if s == "" || spec.IsJSONata(s) {
				d.warn(t, p.Pos, actions, what, "an entry's EventBusName is not a name or ARN written in the definition")
				return
			}
			if par := d.param(s); par != nil && d.holds(par) == "" {
				d.nameOrARN(t, p.Pos, "EventBusName", s, par, actions, what)
				return
			}
			bus = s
		}
		if !d.isARN(bus) {
			bus = "arn:" + partition + ":events:" + here + ":event-bus/" + bus
		}
		if !containsString(buses, bus) {
			buses = append(buses, bus)
		}
	}
	d.grant(t, actions, buses...)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
