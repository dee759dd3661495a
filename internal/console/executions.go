package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/sfnapic/sfnapic/gateway"
)

// Source describes an execution: serve's mock, or Step Functions (an
// emulator, or a deployed stack's).
type Source interface {
	Execution(ctx context.Context, arn string) (*Execution, error)
}

// Execution is what the page shows of one execution.
type Execution struct {
	ARN          string `json:"arn"`
	StateMachine string `json:"stateMachineArn"`
	Status       string `json:"status"`
	Input        string `json:"input"`
	Output       string `json:"output"`
	Error        string `json:"error"`
	Cause        string `json:"cause"`
	Start        string `json:"startDate"`
	Stop         string `json:"stopDate"`
	// History is the execution's events, oldest first; nil when the
	// source keeps none (Note says so). Path is the states it entered.
	History []HistoryEvent `json:"history"`
	Path    []string       `json:"path"`
	Note    string         `json:"note"`
}

// HistoryEvent is one event of an execution's history.
type HistoryEvent struct {
	ID    int64  `json:"id"`
	Type  string `json:"type"`
	State string `json:"state"`
	Time  string `json:"time"`
}

// BackendSource describes executions through serve's backend with
// DescribeExecution, the action a status route calls: the mock answers
// it for the STANDARD executions it keeps. It has no history.
type BackendSource struct{ Backend gateway.StepFunctions }

// Execution describes arn through the backend.
func (s BackendSource) Execution(ctx context.Context, arn string) (*Execution, error) {
	body, _ := json.Marshal(map[string]string{"executionArn": arn})
	reply, err := s.Backend.Call(ctx, &gateway.Call{Action: "DescribeExecution", Body: string(body), Timeout: 10 * time.Second})
	if err != nil {
		return nil, err
	}
	var v struct {
		ExecutionArn, StateMachineArn, Status, Input, Output, Error, Cause, Message string
		StartDate, StopDate                                                         float64
	}
	_ = json.Unmarshal(reply.Body, &v)
	if reply.Status != 200 {
		return nil, fmt.Errorf("DescribeExecution: %d %s", reply.Status, v.Message)
	}
	return &Execution{ARN: v.ExecutionArn, StateMachine: v.StateMachineArn, Status: v.Status, Input: v.Input, Output: v.Output,
		Error: v.Error, Cause: v.Cause, Start: epochText(v.StartDate), Stop: epochText(v.StopDate),
		Note: "serve's mock runs no workflow: it keeps no history, so no path is drawn (an emulator's executions have one)"}, nil
}

func epochText(s float64) string {
	if s == 0 {
		return ""
	}
	return time.UnixMilli(int64(s * 1000)).UTC().Format(time.RFC3339Nano)
}

// HistoryClient is what SDKSource needs of Step Functions' client.
type HistoryClient interface {
	DescribeExecution(context.Context, *sfn.DescribeExecutionInput, ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error)
	GetExecutionHistory(context.Context, *sfn.GetExecutionHistoryInput, ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error)
}

// maxHistory bounds the events read of one history (Step Functions keeps
// up to 25,000).
const maxHistory = 1000

// SDKSource describes executions with Step Functions' DescribeExecution
// and GetExecutionHistory, at an emulator or in AWS.
type SDKSource struct{ Client HistoryClient }

// Execution describes arn and reads its history, up to maxHistory events.
func (s SDKSource) Execution(ctx context.Context, arn string) (*Execution, error) {
	d, err := s.Client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		return nil, err
	}
	e := &Execution{ARN: arn, StateMachine: aws.ToString(d.StateMachineArn), Status: string(d.Status), Input: aws.ToString(d.Input),
		Output: aws.ToString(d.Output), Error: aws.ToString(d.Error), Cause: aws.ToString(d.Cause), Start: timeText(d.StartDate),
		Stop: timeText(d.StopDate), History: []HistoryEvent{}}
	p := sfn.NewGetExecutionHistoryPaginator(s.Client, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), MaxResults: 500})
	for p.HasMorePages() && len(e.History) < maxHistory {
		page, err := p.NextPage(ctx)
		if err != nil {
			e.Note = "the history could not be read: " + err.Error()
			break
		}
		for _, ev := range page.Events {
			e.History = append(e.History, historyEvent(ev))
		}
	}
	e.Path = PathOf(e.History)
	return e, nil
}

func timeText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// historyEvent keeps an event's id, type, time and the state it entered
// or left.
func historyEvent(ev sfntypes.HistoryEvent) HistoryEvent {
	out := HistoryEvent{ID: ev.Id, Type: string(ev.Type), Time: timeText(ev.Timestamp)}
	switch {
	case ev.StateEnteredEventDetails != nil:
		out.State = aws.ToString(ev.StateEnteredEventDetails.Name)
	case ev.StateExitedEventDetails != nil:
		out.State = aws.ToString(ev.StateExitedEventDetails.Name)
	}
	return out
}

// PathOf is the states a history entered, in order: its *StateEntered
// events' names (Step Functions' "GetExecutionHistory": TaskStateEntered,
// ChoiceStateEntered, ...).
func PathOf(history []HistoryEvent) []string {
	var path []string
	for _, ev := range history {
		if strings.HasSuffix(ev.Type, "StateEntered") && ev.State != "" {
			path = append(path, ev.State)
		}
	}
	return path
}

// errNoSource is the answer when serve gave the console no source.
var errNoSource = errors.New("this backend cannot describe executions")
