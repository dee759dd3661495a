package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/internal/awsconfig"
)

// awsFlags are the flags of every command that talks to AWS (deploy,
// diff, destroy, render --stack, serve, invoke, test-invoke), declared
// once by add: which stack, where, as whom, and how much of the SDK's
// errors to show.
type awsFlags struct {
	stack string
	aws   awsconfig.Options // --region, --profile, --endpoint-url
	debug bool
}

// awsHelp are the help texts of the AWS flags that say what they do for
// one command.
type awsHelp struct {
	stack string // what --stack names
	// when prefixes --region, --profile and --endpoint-url, to say when
	// they apply ("with --stack: ").
	when     string
	region   string // empty: the usual text
	endpoint string // empty: the usual text
}

const (
	regionHelp   = "the AWS `REGION` (default: from the environment or profile)"
	endpointHelp = "the AWS endpoint `URL` (CloudFormation, Step Functions, API Gateway), such as an emulator"
)

// add declares the AWS flags on cmd.
func (o *awsFlags) add(cmd *cobra.Command, h awsHelp) {
	region, endpoint := h.region, h.endpoint
	if region == "" {
		region = regionHelp
	}
	if endpoint == "" {
		endpoint = endpointHelp
	}
	f := cmd.Flags()
	f.StringVar(&o.stack, "stack", "", h.stack)
	f.StringVar(&o.aws.Region, "region", "", h.when+region)
	f.StringVar(&o.aws.Profile, "profile", "", h.when+"the AWS shared-config `PROFILE`")
	f.StringVar(&o.aws.Endpoint, "endpoint-url", "", h.when+endpoint)
	f.BoolVar(&o.debug, "debug", false, "show the AWS SDK's error under sfnapic's explanation")
}

// config loads the AWS configuration the flags say, with --endpoint-url
// over any other endpoint.
func (o *awsFlags) config(ctx context.Context) (aws.Config, error) {
	cfg, err := awsconfig.Load(ctx, o.aws)
	if err != nil {
		return aws.Config{}, awsError(err)
	}
	return cfg, nil
}

// readStack loads the AWS configuration and reads the outputs of the
// stack the flags name.
func (o *awsFlags) readStack(ctx context.Context) (aws.Config, map[string]string, error) {
	cfg, outputs, _, err := o.readStackID(ctx)
	return cfg, outputs, err
}

// readStackID is readStack with the stack's ID.
func (o *awsFlags) readStackID(ctx context.Context) (aws.Config, map[string]string, string, error) {
	cfg, err := o.config(ctx)
	if err != nil {
		return cfg, nil, "", err
	}
	outputs, id, err := describeStack(ctx, awsconfig.CloudFormation(cfg), o.stack)
	return cfg, outputs, id, explainAWS(err, cfg, o.debug)
}

// stackDescriber is the part of CloudFormation that reading a stack's
// outputs uses: deploy.API's DescribeStacks, which the SDK's client
// satisfies, and so does a client of internal/cfnfake.
type stackDescriber interface {
	DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error)
}

// missingOutput explains an output the stack lacks. A stack with no outputs
// at all is what a deploy to moto leaves (it keeps no outputs of a stack
// made through a change set, the way deploy always works, and creates no
// AWS::ApiGateway::Stage): say so, rather than ask to deploy again, which
// would leave the same. fix is what to do on AWS.
func missingOutput(stack string, outputs map[string]string, what, fix string) error {
	if len(outputs) == 0 {
		return fmt.Errorf("stack %s has no outputs at all, so no %s: moto does not create stage outputs (it keeps none for a stack deployed through a change set); "+
			"on an emulator give --url, or run serve --endpoint-url URL --create (docs/moto.md); on AWS, %s", stack, what, fix)
	}
	return fmt.Errorf("stack %s has no %s: %s", stack, what, fix)
}

// stackOutputs reads a deployed stack's outputs.
func stackOutputs(ctx context.Context, cf stackDescriber, stack string) (map[string]string, error) {
	outputs, _, err := describeStack(ctx, cf, stack)
	return outputs, err
}

// describeStack reads a deployed stack's outputs and its ID
// (arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/UUID), which
// says where the stack is.
func describeStack(ctx context.Context, cf stackDescriber, stack string) (map[string]string, string, error) {
	out, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stack)})
	if err != nil {
		return nil, "", err
	}
	outputs, id := map[string]string{}, ""
	for _, s := range out.Stacks {
		id = aws.ToString(s.StackId)
		for _, o := range s.Outputs {
			outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
		}
	}
	return outputs, id, nil
}

// stackPlace gives vars the partition, region and account of the stack
// whose ID this is: what ${AWS::Partition}, ${AWS::Region} and
// ${AWS::AccountId} were when it was deployed (an existing machine's ARN
// may be written with them, and a spec may have no machine of its own to
// read them from).
func stackPlace(vars map[string]string, id string) {
	parts := strings.Split(id, ":")
	if len(parts) >= 6 && parts[2] == "cloudformation" {
		vars["AWS::Partition"], vars["AWS::Region"], vars["AWS::AccountId"] = parts[1], parts[3], parts[4]
	}
}
