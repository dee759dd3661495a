// Package sfncall makes serve's calls to Step Functions on AWS or an
// emulator with the real SDK client: its endpoints, signing and error
// handling. It sends what the route's request template rendered and hands
// back the reply exactly as it came, status and raw JSON body, because the
// route's response templates read Step Functions' own wire format, not the
// SDK's decoding of it.
package sfncall

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/integration"
)

// Client calls Step Functions for a gateway.Server.
type Client struct {
	sfn *sfn.Client
}

// New wraps an SDK client.
func New(c *sfn.Client) *Client { return &Client{sfn: c} }

// NoHostPrefix is a client option for emulators: the SDK sends
// StartSyncExecution to a sync- host, which AWS has and an emulator at
// one URL has not. The switch is a value of the call's context, so it is
// set inside the stack.
func NoHostPrefix(o *sfn.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("sfnapicNoHostPrefix",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
			}), middleware.Before)
	})
}

// rawReply keeps the HTTP reply of one call as it came.
type rawReply struct {
	status int
	body   []byte
}

// option makes one call as API Gateway makes it (once, without the SDK's
// retries: a throttled call is the caller's 429) and keeps its raw reply.
func (r *rawReply) option(o *sfn.Options) {
	o.Retryer = aws.NopRetryer{}
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		// Added last to the deserialize step, it is the innermost: it
		// sees the HTTP response before the SDK's deserializer reads it.
		return s.Deserialize.Add(middleware.DeserializeMiddlewareFunc("sfnapicRawReply",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp.Body != nil {
					b, rerr := io.ReadAll(io.LimitReader(resp.Body, gateway.MaxBody))
					_ = resp.Body.Close()
					resp.Body = io.NopCloser(bytes.NewReader(b))
					if rerr == nil {
						r.status, r.body = resp.StatusCode, b
					}
				}
				return out, md, err
			}), middleware.After)
	})
}

// calls sends a rendered body as the SDK input of each action, by the
// action's name: one entry per action that integration registers (a test
// keeps the two in step).
var calls = map[string]caller{
	integration.StartExecution.Name():  sender((*sfn.Client).StartExecution),
	integration.StartSync{}.Name():     sender((*sfn.Client).StartSyncExecution),
	integration.Describe{}.Name():      sender((*sfn.Client).DescribeExecution),
	integration.Stop{}.Name():          sender((*sfn.Client).StopExecution),
	integration.TaskSuccess{}.Name():   sender((*sfn.Client).SendTaskSuccess),
	integration.TaskFailure{}.Name():   sender((*sfn.Client).SendTaskFailure),
	integration.TaskHeartbeat{}.Name(): sender((*sfn.Client).SendTaskHeartbeat),
}

// Call sends the call's rendered body as the SDK input of its action.
func (c *Client) Call(ctx context.Context, call *gateway.Call) (gateway.Reply, error) {
	send, ok := calls[call.Action]
	if !ok {
		return serialization("sfnapic cannot call " + call.Action), nil
	}
	var raw rawReply
	err := send(ctx, c.sfn, []byte(call.Body), raw.option)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if raw.status == 0 && (errors.As(err, &syntax) || errors.As(err, &typ)) {
		// Step Functions refuses a body it cannot read the same way.
		return serialization(err.Error()), nil
	}
	if raw.status != 0 {
		return gateway.Reply{Status: raw.status, Body: raw.body}, nil
	}
	if err == nil {
		err = errors.New("the reply of Step Functions could not be read")
	}
	return gateway.Reply{}, err
}

// caller sends a rendered body with the client as one action's call; the
// reply is what opt keeps.
type caller func(ctx context.Context, c *sfn.Client, body []byte, opt func(*sfn.Options)) error

// sender is the caller of one SDK method: it decodes a rendered body into
// the method's input (its members are the wire's names, which decoding
// matches in any case) and calls it.
func sender[In, Out any](method func(*sfn.Client, context.Context, *In, ...func(*sfn.Options)) (Out, error)) caller {
	return func(ctx context.Context, c *sfn.Client, body []byte, opt func(*sfn.Options)) error {
		var in In
		if err := json.Unmarshal(body, &in); err != nil {
			return err
		}
		_, err := method(c, ctx, &in, opt)
		return err
	}
}

// serialization is Step Functions' answer to a body it cannot read.
func serialization(message string) gateway.Reply {
	return gateway.ErrorReply(http.StatusBadRequest, gateway.ServiceError, "SerializationException", message)
}
