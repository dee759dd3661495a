package cmd

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	cfnapigw "github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/restapi"
)

// This file is what invoke and test-invoke send to prove who calls a
// route: an API key (x-api-key), a token for the route's authorizer, and
// for an AWS_IAM route a SigV4 signature. None of these is ever printed:
// every output of those commands, their errors included, goes through
// secrets, which hides each value, whatever echoes it (API Gateway's own
// IncompleteSignatureException message repeats the Authorization header
// it was sent).

// credentialFlags are --api-key, --api-key-name and --token.
type credentialFlags struct {
	apiKey, apiKeyName, token string
}

// add declares the flags on cmd.
func (c *credentialFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&c.apiKey, "api-key", "", "send this API key `VALUE` in x-api-key (never printed)")
	f.StringVar(&c.apiKeyName, "api-key-name", "", "send the value of the spec's API key `NAME`, read from API Gateway (GetApiKey) with the key id in the stack's outputs; needs --stack (never printed)")
	f.StringVar(&c.token, "token", "", "send this `TOKEN` to the route's authorizer, in its identity header (Authorization unless the authorizer names another), as it is; @FILE reads it from a file (never printed)")
}

// check refuses flags that contradict each other.
func (c credentialFlags) check(stack string) error {
	switch {
	case c.apiKey != "" && c.apiKeyName != "":
		return usagef("give the API key once: --api-key VALUE or --api-key-name NAME")
	case c.apiKeyName != "" && stack == "":
		return usagef("--api-key-name %s reads the key's id from a deployed stack's outputs: name it with --stack NAME", c.apiKeyName)
	}
	return nil
}

// read reads --token @FILE, checks that the token and the key can be
// header values, and hides both from every output.
func (c *credentialFlags) read(sec *secrets) error {
	if name, ok := strings.CutPrefix(c.token, "@"); ok {
		b, err := readInput(name, 64<<10)
		if err != nil {
			return fmt.Errorf("cannot read the token: %w", err)
		}
		// A file ends with a line break that is not part of the token.
		c.token = strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
		if c.token == "" {
			return usagef("--token @%s: the file is empty", name)
		}
	}
	sec.add(c.token)
	sec.add(c.apiKey)
	if err := checkHeaderValue("--token", c.token); err != nil {
		return err
	}
	return checkHeaderValue("--api-key", c.apiKey)
}

// checkHeaderValue refuses a value that an HTTP header cannot carry: a control
// character other than a tab (RFC 9110, 5.5: field-vchar, SP and HTAB).
// A line break would end the header and start another. The message says
// where, never what.
func checkHeaderValue(flag, v string) error {
	for i, r := range v {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			what := fmt.Sprintf("the control character U+%04X", r)
			if r == '\n' || r == '\r' {
				what = "a line break"
			}
			return usagef("%s holds %s at byte %d of %d: a header value cannot carry it (is the value, or its file, more than one line?)", flag, what, i+1, len(v))
		}
	}
	return nil
}

// access is what a route asks of its caller, read from the template.
type access struct {
	route       string
	authType    string // NONE, AWS_IAM, COGNITO_USER_POOLS or CUSTOM
	keyRequired bool
	// tokenHeader is the header the route's authorizer reads the token
	// from.
	tokenHeader string
}

// accessOf reads what the method that takes req asks of its caller; nil
// when no method takes it (the API's answer will say why).
func accessOf(rt *target, req *gateway.Request) *access {
	m, _, _ := rt.g.API.Match(req.Method, req.Path)
	if m == nil {
		return nil
	}
	return &access{route: m.Route(), authType: authorizationType(m), keyRequired: m.Resource.ApiKeyRequired != nil && *m.Resource.ApiKeyRequired,
		tokenHeader: tokenHeader(rt.g.Template, m)}
}

// identityHeader is one header of an authorizer's IdentitySource.
var identityHeader = regexp.MustCompile(`^method\.request\.header\.([!#$%&'*+.^_` + "`" + `|~0-9A-Za-z-]+)$`)

// tokenHeader is the header the method's authorizer reads a token from:
// the one header of its IdentitySource (a Cognito or TOKEN authorizer
// has exactly one, a REQUEST authorizer may), Authorization otherwise
// (API Gateway's "Call a REST API integrated with an Amazon Cognito user
// pool": the token goes in the Authorization header, or the header the
// authorizer names).
func tokenHeader(t *cfn.Template, m *restapi.Method) string {
	if m.Resource.AuthorizerId == nil {
		return "Authorization"
	}
	id, ok := t.RefTarget(*m.Resource.AuthorizerId)
	if !ok {
		return "Authorization"
	}
	a, ok := t.CFN.Resources[id].(*cfnapigw.Authorizer)
	if !ok || a.IdentitySource == nil {
		return "Authorization"
	}
	var headers []string
	for _, source := range strings.Split(*a.IdentitySource, ",") {
		if h := identityHeader.FindStringSubmatch(strings.TrimSpace(source)); h != nil {
			headers = append(headers, h[1])
		}
	}
	if len(headers) != 1 {
		return "Authorization"
	}
	return headers[0]
}

// apply puts the key and the token in req's headers, refusing what the
// route cannot take: a token, or an Authorization header, on an AWS_IAM
// route, whose Authorization header holds the signature.
func (c credentialFlags) apply(req *gateway.Request, acc *access, apiKey string) error {
	tokenHeader := "Authorization"
	if acc != nil {
		tokenHeader = acc.tokenHeader
		if acc.authType == "AWS_IAM" {
			switch {
			case c.token != "":
				return usagef("%s is AWS_IAM: it takes a SigV4 signature in the Authorization header, which invoke makes from your AWS credentials, not a --token", acc.route)
			case len(req.Header.Values("Authorization")) > 0:
				return usagef("%s is AWS_IAM: invoke signs the request with SigV4 in the Authorization header; drop -H 'Authorization: ...'", acc.route)
			}
		}
	}
	if c.token != "" {
		if len(req.Header.Values(tokenHeader)) > 0 {
			return usagef("--token goes in the %s header, which -H sets too: give one", tokenHeader)
		}
		req.Header.Set(tokenHeader, c.token)
	}
	if apiKey != "" {
		if len(req.Header.Values("X-Api-Key")) > 0 {
			return usagef("the API key goes in the x-api-key header, which -H sets too: give one")
		}
		req.Header.Set("x-api-key", apiKey)
	}
	return nil
}

// apiKeyClient is the part of API Gateway that reading a key's value uses.
type apiKeyClient interface {
	GetApiKey(context.Context, *apigateway.GetApiKeyInput, ...func(*apigateway.Options)) (*apigateway.GetApiKeyOutput, error)
}

// apiKeyValue reads the value of the template's API key name from API
// Gateway: its id from the stack output that refers to the key, its value
// from GetApiKey with includeValue (API Gateway's "GetApiKey": the value
// is returned only when includeValue is true).
func apiKeyValue(ctx context.Context, client apiKeyClient, t *cfn.Template, outputs map[string]string, name, stack string) (string, error) {
	keys := apiKeys(t)
	keyID, ok := keys[name]
	if !ok {
		return "", fmt.Errorf("--api-key-name %s: the template has no API key %s%s", name, name, knownKeys(keys))
	}
	id := ""
	for out, o := range t.CFN.Outputs {
		if v, ok := o.Value.(string); ok {
			if target, ok := t.RefTarget(v); ok && target == keyID {
				id = outputs[out]
			}
		}
	}
	if id == "" {
		return "", missingOutput(stack, outputs, fmt.Sprintf("output with the id of API key %s (%s)", name, keyID), "deploy this spec to it first")
	}
	out, err := client.GetApiKey(ctx, &apigateway.GetApiKeyInput{ApiKey: aws.String(id), IncludeValue: aws.Bool(true)})
	if err != nil {
		return "", err
	}
	if aws.ToString(out.Value) == "" {
		return "", fmt.Errorf("API Gateway gave no value for API key %s (%s): GetApiKey returns one only with includeValue, to a caller allowed apigateway:GET on /apikeys/%s", name, id, id)
	}
	return aws.ToString(out.Value), nil
}

// apiKeys are the template's API keys, by their spec name: the name
// after "${AWS::StackName}-" in an Fn::Sub Name, or a plain Name as it
// is (the issue 18 contract).
func apiKeys(t *cfn.Template) map[string]string {
	keys := map[string]string{}
	for id, r := range t.CFN.Resources {
		k, ok := r.(*cfnapigw.ApiKey)
		if !ok || k.Name == nil {
			continue
		}
		name, err := t.Text(*k.Name, func(v string) (string, bool) { return "${" + v + "}", true })
		if err != nil {
			continue
		}
		keys[strings.TrimPrefix(name, "${AWS::StackName}-")] = id
	}
	return keys
}

// knownKeys lists the keys a name could have meant.
func knownKeys(keys map[string]string) string {
	if len(keys) == 0 {
		return " (it has none: a usage plan's keys make them)"
	}
	names := make([]string, 0, len(keys))
	for n := range keys {
		names = append(names, n)
	}
	sort.Strings(names)
	return "; its keys are " + strings.Join(names, ", ")
}

// signer signs a request for an AWS_IAM route with SigV4, as API Gateway
// checks it ("Control access to a REST API with IAM permissions": the
// execute-api service, the stage's region), with the SDK's signer and the
// credentials of the usual chain; the signature joins the secrets.
func signer(cfg aws.Config, region string, sec *secrets) func(*http.Request, []byte) error {
	return func(r *http.Request, body []byte) error {
		creds, err := cfg.Credentials.Retrieve(r.Context())
		if err != nil {
			return fmt.Errorf("signing the request for an AWS_IAM route: %w", err)
		}
		sec.add(creds.SecretAccessKey)
		sec.add(creds.SessionToken)
		sum := sha256.Sum256(body)
		if err := v4.NewSigner().SignHTTP(r.Context(), creds, r, hex.EncodeToString(sum[:]), "execute-api", region, time.Now()); err != nil {
			return fmt.Errorf("signing the request for an AWS_IAM route: %w", err)
		}
		auth := r.Header.Get("Authorization")
		sec.add(auth)
		if _, sig, ok := strings.Cut(auth, "Signature="); ok {
			sec.add(sig)
		}
		return nil
	}
}

// executeAPIHost is a stage's default host name, which names its region.
var executeAPIHost = regexp.MustCompile(`^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$`)

// signingRegion is the region a signature for the API at host is made
// for: the one its execute-api host name says, else the configuration's.
func signingRegion(host, configured string) (string, error) {
	if m := executeAPIHost.FindStringSubmatch(host); m != nil {
		return m[1], nil
	}
	if configured == "" {
		return "", usagef("the route is AWS_IAM and %s names no region to sign for: give --region REGION (or set AWS_REGION)", host)
	}
	return configured, nil
}

// secrets are values no output may show: keys, tokens, signatures.
type secrets struct{ values []string }

// hidden stands where a secret was.
const hidden = "[hidden]"

// add hides v, as it is and as JSON writes it inside a string.
func (s *secrets) add(v string) {
	if v == "" {
		return
	}
	s.values = append(s.values, v)
	if b, err := json.Marshal(v); err == nil && string(b[1:len(b)-1]) != v {
		s.values = append(s.values, string(b[1:len(b)-1]))
	}
	// The longest first, so that a secret inside another goes with it.
	sort.SliceStable(s.values, func(i, j int) bool { return len(s.values[i]) > len(s.values[j]) })
}

// hide replaces every secret in text.
func (s *secrets) hide(text string) string {
	for _, v := range s.values {
		text = strings.ReplaceAll(text, v, hidden)
	}
	return text
}

// app is a with its outputs going through the secrets.
func (s *secrets) app(a *app) *app {
	return &app{stdin: a.stdin, stdout: hidingWriter{a.stdout, s}, stderr: hidingWriter{a.stderr, s}}
}

// err is err with the secrets hidden in its message; errors.Is and As
// still see what it wraps, so that its exit code stays the same.
func (s *secrets) err(err error) error {
	if err == nil || errors.Is(err, errReported) {
		return err
	}
	if msg := s.hide(err.Error()); msg != err.Error() {
		return &hiddenError{msg: msg, err: err}
	}
	return err
}

type hiddenError struct {
	msg string
	err error
}

func (e *hiddenError) Error() string { return e.msg }
func (e *hiddenError) Unwrap() error { return e.err }

// hidingWriter writes through the secrets. Each print of the commands is
// one Write, so a secret is never cut in two.
type hidingWriter struct {
	w io.Writer
	s *secrets
}

func (h hidingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(h.w, h.s.hide(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
