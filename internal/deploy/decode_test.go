package deploy

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
)

// recorded holds response bodies in the shapes CloudFormation sends (see
// the Query protocol notes in ../shared/design/deploy.md). If an SDK
// upgrade changes how they parse, this test fails before deploy does.
var recorded = map[string]string{
	"DescribeChangeSet": `<DescribeChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeChangeSetResult>
<ChangeSetId>arn:aws:cloudformation:us-east-1:123456789012:changeSet/sfnapic-1/abc</ChangeSetId><ChangeSetName>sfnapic-1</ChangeSetName>
<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/demo/def</StackId><StackName>demo</StackName>
<CreationTime>2026-01-02T03:04:05Z</CreationTime><Status>CREATE_COMPLETE</Status><ExecutionStatus>AVAILABLE</ExecutionStatus>
<Changes><member><Type>Resource</Type><ResourceChange><Action>Modify</Action><LogicalResourceId>StateMachine</LogicalResourceId>
<PhysicalResourceId>arn:aws:states:us-east-1:123456789012:stateMachine:x</PhysicalResourceId><ResourceType>AWS::StepFunctions::StateMachine</ResourceType>
<Replacement>Conditional</Replacement><Scope><member>Properties</member></Scope></ResourceChange></member></Changes>
<NextToken>page2</NextToken></DescribeChangeSetResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></DescribeChangeSetResponse>`,
	"DescribeStacks": `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>
<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/demo/def</StackId><StackName>demo</StackName>
<CreationTime>2026-01-02T03:04:05.678Z</CreationTime><StackStatus>UPDATE_ROLLBACK_COMPLETE</StackStatus><StackStatusReason>because</StackStatusReason>
<DisableRollback>false</DisableRollback><EnableTerminationProtection>true</EnableTerminationProtection>
<Capabilities><member>CAPABILITY_IAM</member></Capabilities>
<Outputs><member><OutputKey>ApiUrl</OutputKey><OutputValue>https://abc.execute-api.us-east-1.amazonaws.com/prod</OutputValue><Description>Invoke URL</Description></member></Outputs>
</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></DescribeStacksResponse>`,
	"DescribeStackEvents": `<DescribeStackEventsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStackEventsResult><StackEvents><member>
<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/demo/def</StackId><EventId>e1</EventId><StackName>demo</StackName>
<LogicalResourceId>ApiRole</LogicalResourceId><PhysicalResourceId/><ResourceType>AWS::IAM::Role</ResourceType>
<Timestamp>2026-01-02T03:04:59Z</Timestamp><ResourceStatus>CREATE_FAILED</ResourceStatus><ResourceStatusReason>denied</ResourceStatusReason>
<ClientRequestToken>tok-1</ClientRequestToken></member></StackEvents><NextToken>page2</NextToken></DescribeStackEventsResult>
<ResponseMetadata><RequestId>r3</RequestId></ResponseMetadata></DescribeStackEventsResponse>`,
}

const recordedError = `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type>
<Code>ValidationError</Code><Message>Stack with id demo does not exist</Message></Error><RequestId>r4</RequestId></ErrorResponse>`

func TestRecordedResponsesDecode(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		w.Header().Set("Content-Type", "text/xml")
		if form.Get("StackName") == "missing" {
			w.WriteHeader(400)
			io.WriteString(w, recordedError)
			return
		}
		io.WriteString(w, recorded[form.Get("Action")])
	}))
	defer srv.Close()
	cf := cloudformation.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "s", "")},
		func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	ctx := context.Background()

	cs, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String("x")})
	if err != nil {
		t.Fatal(err)
	}
	rc := cs.Changes[0].ResourceChange
	if cs.Status != types.ChangeSetStatusCreateComplete || aws.ToString(cs.NextToken) != "page2" || rc.Action != types.ChangeActionModify ||
		rc.Replacement != types.ReplacementConditional || aws.ToString(rc.LogicalResourceId) != "StateMachine" {
		t.Fatalf("change set decoded as %+v / %+v", cs, rc)
	}
	st, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("demo")})
	if err != nil {
		t.Fatal(err)
	}
	s := st.Stacks[0]
	if s.StackStatus != types.StackStatusUpdateRollbackComplete || !aws.ToBool(s.EnableTerminationProtection) ||
		aws.ToString(s.Outputs[0].OutputValue) != "https://abc.execute-api.us-east-1.amazonaws.com/prod" ||
		!aws.ToTime(s.CreationTime).Equal(time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC)) {
		t.Fatalf("stack decoded as %+v", s)
	}
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String("demo")})
	if err != nil {
		t.Fatal(err)
	}
	e := ev.StackEvents[0]
	if e.ResourceStatus != types.ResourceStatusCreateFailed || aws.ToString(e.ClientRequestToken) != "tok-1" || aws.ToString(ev.NextToken) != "page2" {
		t.Fatalf("event decoded as %+v", e)
	}
	_, err = cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("missing")})
	var ae smithy.APIError
	if !isNotFound(err) || !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" {
		t.Fatalf("error decoded as %v", err)
	}
}
