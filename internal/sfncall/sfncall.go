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

// Call sends the call's rendered body as the SDK input of its action.
func (c *Client) Call(ctx context.Context, call *gateway.Call) (gateway.Reply, error) {
	var raw rawReply
	opt := raw.option
	body := []byte(call.Body)
	var err error
	switch call.Action {
	case "StartExecution":
		err = send(ctx, body, c.sfn.StartExecution, opt)
	case "StartSyncExecution":
		err = send(ctx, body, c.sfn.StartSyncExecution, opt)
	case "DescribeExecution":
		err = send(ctx, body, c.sfn.DescribeExecution, opt)
	case "StopExecution":
		err = send(ctx, body, c.sfn.StopExecution, opt)
	case "SendTaskSuccess":
		err = send(ctx, body, c.sfn.SendTaskSuccess, opt)
	case "SendTaskFailure":
		err = send(ctx, body, c.sfn.SendTaskFailure, opt)
	case "SendTaskHeartbeat":
		err = send(ctx, body, c.sfn.SendTaskHeartbeat, opt)
	default:
		return serialization("sfnapic cannot call " + call.Action), nil
	}
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

// serialization is Step Functions' answer to a body it cannot read.
// send decodes a rendered body into the SDK's input of one action (its
// members are the wire's names, which decoding matches in any case) and
// calls it; the reply is what opt keeps.
func send[In, Out any](ctx context.Context, body []byte, action func(context.Context, *In, ...func(*sfn.Options)) (Out, error), opt func(*sfn.Options)) error {
	var in In
	if err := json.Unmarshal(body, &in); err != nil {
		return err
	}
	_, err := action(ctx, &in, opt)
	return err
}

func serialization(message string) gateway.Reply {
	return gateway.ErrorReply(http.StatusBadRequest, gateway.ServiceError, "SerializationException", message)
}
