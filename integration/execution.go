package integration

import (
	"strings"
)

func init() {
	register(Describe{})
	register(Stop{})
}

// Describe answers with the state of one STANDARD execution
// (DescribeExecution): its status, dates, and the output of a run that
// succeeded or the error and cause of one that did not. The input stays
// out unless IncludeInput, since it may hold personal data.
type Describe struct {
	IncludeInput bool
}

// Stop stops one STANDARD execution (StopExecution), with the error and
// cause the request gives, if any.
type Stop struct{}

func (Describe) Name() string { return "DescribeExecution" }
func (Stop) Name() string     { return "StopExecution" }

// Both are allowed on the machine's executions only: IAM names an
// execution arn:...:execution:MACHINE:NAME.
func (Describe) Permissions(m Machine) []Permission {
	return []Permission{{Action: "states:DescribeExecution", Resource: m.Executions}}
}

func (Stop) Permissions(m Machine) []Permission {
	return []Permission{{Action: "states:StopExecution", Resource: m.Executions}}
}

func (a Describe) REST() REST {
	return plainREST(func(p RequestParts) string { return executionRequest(a, p) }, a.describeTemplate(), "describe the execution")
}

func (a Stop) REST() REST {
	return plainREST(func(p RequestParts) string { return executionRequest(a, p) },
		`{"stopDate": `+jsonOrNull("stopDate")+`}`+"\n", "stop the execution")
}

// executionRequest names the execution by its ARN, which the template
// builds from the machine's and the id in the request. The Setup checks
// the id against Step Functions' rules for names: one that breaks them
// (a colon, a slash, a quote, ...) leaves the ARN without a name, which
// Step Functions refuses as InvalidArn (400), so no request can reach an
// execution of another machine.
func executionRequest(a Action, p RequestParts) string {
	return "## sfnapic: " + p.Route + " -> " + a.Name() + "; the id is checked, then escaped once\n" +
		p.Setup +
		`{"executionArn": "` + p.ExecutionARN + `"` + p.Members + `}` + "\n"
}

// jsonOrNull copies a member of the reply as JSON, or writes null when
// the reply lacks it ($input.json of a missing path is "" on API Gateway,
// which would leave the body without a value).
func jsonOrNull(member string) string {
	return `#if("$!input.path('$.` + member + `')" != "")$input.json('$.` + member + `')#{else}null#end`
}

// executionID sets $id to the execution's id, escaped once: the name at
// the end of the reply's executionArn, which fits in a URL path where the
// ARN's colons do not. It needs QuotePattern.
var executionID = strings.Join([]string{
	`#set($arn = "$!input.path('$.executionArn')")`,
	`#set($i = $arn.lastIndexOf(':') + 1)`,
	`#set($id = ` + EscapeJSON("$arn.substring($i)") + `)`,
}, "\n")

// describeTemplate shapes DescribeExecution's reply. The id is the name at
// the end of the ARN; the output and input are JSON documents held in
// strings, written out as they are; the status, error and cause are
// escaped once.
func (a Describe) describeTemplate() string {
	lines := []string{
		"## sfnapic: DescribeExecution reply -> the execution's status, dates, and output or error",
		QuotePattern,
		executionID,
		`#set($st = "$!input.path('$.status')")`,
		`#set($st = ` + EscapeJSON("$st") + `)`,
		`{"executionId": "$id", "status": "$st", "startDate": ` + jsonOrNull("startDate"),
		`#if("$!input.path('$.stopDate')" != ""), "stopDate": $input.json('$.stopDate')#end`,
		`#if($st == "SUCCEEDED")#set($out = "$!input.path('$.output')"), "output": #if($out == "")null#{else}$out#end#end`,
		// DescribeExecution gives error and cause each only when it has
		// one (both "Required: No" in DescribeExecution's reply): a stop
		// with a cause and no error has no error to show, so each is
		// written on its own, and on the line of its #if, so that no line
		// break is left before the closing brace.
		`#set($e = "$!input.path('$.error')")`,
		`#set($m = "$!input.path('$.cause')")`,
		`#if($e != "")#set($e = ` + EscapeJSON("$e") + `), "error": "$e"#end`,
		`#if($m != "")#set($m = ` + EscapeJSON("$m") + `), "cause": "$m"#end`,
	}
	if a.IncludeInput {
		lines = append(lines, `#set($in = "$!input.path('$.input')"), "input": #if($in == "")null#{else}$in#end`)
	}
	lines = append(lines, "}", "")
	return strings.Join(lines, "\n")
}

func (a Describe) Decode(body string) (*Request, error) { return decodeExecution(a, body) }
func (a Stop) Decode(body string) (*Request, error)     { return decodeExecution(a, body) }

// decodeExecution reads the body of an action on one execution.
func decodeExecution(a Action, body string) (*Request, error) {
	var b struct {
		ExecutionArn string `json:"executionArn"`
	}
	if err := decodeBody(a, body, &b); err != nil {
		return nil, err
	}
	r := &Request{Action: a.Name(), ExecutionArn: b.ExecutionArn}
	// The machine is the ARN's machine: arn:...:execution:MACHINE:NAME.
	if head, rest, ok := strings.Cut(b.ExecutionArn, ":execution:"); ok {
		if machine, _, ok := strings.Cut(rest, ":"); ok {
			r.StateMachineArn = head + ":stateMachine:" + machine
		}
	}
	return r, nil
}
