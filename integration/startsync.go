package integration

import (
	"sort"
	"strconv"
	"strings"
)

func init() { register(StartSync{}) }

// StartSync runs an EXPRESS state machine to its end and answers with the
// run's output (StartSyncExecution). Step Functions answers HTTP 200
// whether the run succeeded, failed or timed out, so the response
// template reads the run's status and sets the HTTP status itself.
type StartSync struct {
	// Errors maps the workflow's error names to the HTTP statuses of the
	// runs that fail with them; other failures answer 500.
	Errors []ErrorStatus
	// Proxy, when set, lets the workflow choose the answer.
	Proxy *Proxy
}

// Proxy is what a workflow may answer itself, as a Lambda proxy does: its
// output is {"statusCode": 201, "headers": {...}, "body": "<JSON text>"}.
type Proxy struct {
	Statuses []int    // besides 200
	Headers  []string // names it may set
}

// ErrorStatus is the HTTP status of a run that fails with an error name.
type ErrorStatus struct {
	Name   string
	Status int
}

func (StartSync) Name() string { return "StartSyncExecution" }

func (StartSync) Permissions(m Machine) []Permission {
	return []Permission{{Action: "states:StartSyncExecution", Resource: m.ARN}}
}

func (a StartSync) Decode(body string) (*Request, error) { return decodeStart(a, body) }

// REST answers with the run's output, or an error with the status the
// run's end maps to; a proxy's run chooses its status and headers.
func (a StartSync) REST() REST {
	r := rest{
		request:   func(p RequestParts) string { return startRequest(a, p) },
		responses: responses(a.runTemplate(), "run the execution"),
		statuses:  a.statuses(),
	}
	if a.Proxy != nil {
		r.headers = a.Proxy.Headers
	}
	return r
}

// statuses adds 504 (a timed-out run) and the mapped statuses to what
// every method answers.
func (a StartSync) statuses() []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range MethodStatuses {
		add(s)
	}
	add("504")
	for _, e := range a.Errors {
		add(strconv.Itoa(e.Status))
	}
	if a.Proxy != nil {
		for _, c := range a.Proxy.Statuses {
			add(strconv.Itoa(c))
		}
	}
	sort.Strings(out)
	return out
}

// runTemplate turns the run's reply into the response. A run that
// succeeded answers 200 with its output as the body: the output is a JSON
// document in a string, written out as it is, so the caller gets the
// document and not a string holding it. Any other run answers the error
// envelope, with the run's error and cause escaped once (whatever they
// hold, the body stays JSON) and a status chosen once, at the end, since
// API Gateway allows one override per template: 504 for a timeout, the
// mapped status for a mapped error, 500 for another failure, and 502 for
// a reply that is neither.
func (a StartSync) runTemplate() string {
	lines := []string{
		"## sfnapic: StartSyncExecution reply -> the run's output, or {\"error\", \"message\"} and an honest status",
	}
	// The mapped names, set first: a name is written as a Velocity
	// expression, which a condition cannot hold.
	for i, e := range a.Errors {
		lines = append(lines, `#set($n`+strconv.Itoa(i)+` = `+VelocityText(e.Name)+`)`)
	}
	lines = append(lines,
		`#set($run = "$!input.path('$.status')")`,
		`#if($run == "SUCCEEDED")`,
		`#set($out = "$!input.path('$.output')")`,
	)
	if a.Proxy == nil {
		lines = append(lines, `#if($out == "")null#{else}$out#end`)
	} else {
		lines = append(lines, a.proxyLines()...)
	}
	lines = append(lines,
		`#{else}`,
		QuotePattern,
		`#set($e = "$!input.path('$.error')")`,
		`#set($m = "$!input.path('$.cause')")`,
		`#if($run == "TIMED_OUT")#set($s = 504)#if($e == "")#set($e = "States.Timeout")#end#if($m == "")#set($m = "the execution did not finish in time")#end`,
		`#elseif($run != "FAILED")#set($s = 502)#set($m = "Step Functions answered a run with status $run")#set($e = "BadGateway")`,
	)
	for i, e := range a.Errors {
		lines = append(lines, `#elseif($e == $n`+strconv.Itoa(i)+`)#set($s = `+strconv.Itoa(e.Status)+`)`)
	}
	lines = append(lines,
		`#{else}#set($s = 500)#end`,
		`#if($e == "")#set($e = "ExecutionFailed")#end`,
		`#set($context.responseOverride.status = $s)`,
		`#set($e = `+EscapeJSON("$e")+`)`,
		`#set($m = `+EscapeJSON("$m")+`)`,
		`{"error": "$e", "message": "$m"}`,
		`#end`,
		"",
	)
	return strings.Join(lines, "\n")
}

// proxyLines answer a run that succeeded with what its output chooses:
// statusCode (200 when absent; a number the route declares, else 502),
// the declared headers (line breaks removed), and body, JSON text written
// out as it is (a body that is not text is a 502: the template cannot
// write an object as JSON, so the workflow makes the text, with
// States.JsonToString). The status is set once, at the end.
func (a StartSync) proxyLines() []string {
	allowed := []string{"200"}
	for _, c := range a.Proxy.Statuses {
		allowed = append(allowed, strconv.Itoa(c))
	}
	lines := []string{
		`#if($out == "")#set($out = "{}")#end`,
		`#set($r = $util.parseJson($out))`,
		`#set($sc = "$!r.statusCode")`,
		`#set($code = 0 + $r.statusCode)`,
		`#set($bl = "$!r.body.length()")`,
		`#if($sc == "")#set($code = 200)#elseif("$!code" != $sc || !$sc.matches(` + VelocityText(strings.Join(allowed, "|")) + `))#set($code = 0)#end`,
		`#if($code == 0 || $bl == "" && "$!r.body" != "")`,
		`#set($context.responseOverride.status = 502)`,
		`{"error": "BadGateway", "message": "the workflow answered a statusCode the route does not declare, or a body that is not JSON text"}`,
		`#{else}`,
		`#set($context.responseOverride.status = $code)`,
	}
	for i, h := range a.Proxy.Headers {
		v := "$h" + strconv.Itoa(i)
		lines = append(lines, `#set(`+v+` = "$!r.headers.get(`+VelocityText(h)+`)")#if(`+v+` != "")#set($context.responseOverride.header.`+h+` = `+v+`.replaceAll('[\r\n]', ''))#end`)
	}
	return append(lines,
		`#set($b = "$!r.body")`,
		`#if($b == "")null#{else}$b#end`,
		`#end`,
	)
}
