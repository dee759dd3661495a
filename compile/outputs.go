package compile

// The outputs of every stack sfnapic builds, named once here for the
// commands that read them back from a deployed stack.
const (
	// OutputAPIURL is the stage's invoke URL.
	OutputAPIURL = "ApiUrl"
	// OutputAPIID is the REST API's id.
	OutputAPIID = "ApiId"
)

// MachineOutput names the output that carries the ARN of the state
// machine with this logical ID.
func MachineOutput(id string) string { return id + "Arn" }

// KeyOutput names the output that carries the id of the API key with this
// logical ID (never its value: read that with `aws apigateway get-api-key
// --api-key ID --include-value`).
func KeyOutput(id string) string { return id + "Id" }
