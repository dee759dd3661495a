package gateway

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// sigV4Skew is how far a signature's time may be from API Gateway's
// clock: execute-api answers "Signature expired: T is now earlier than
// ... (NOW - 5 min.)" past five minutes (as reported in mhart/aws4#118).
const sigV4Skew = 5 * time.Minute

// sigV4Mismatch is API Gateway's answer to a signature that does not
// verify. AWS adds the canonical request and the string to sign; serve
// does not, as they carry the request's headers (a session token).
const sigV4Mismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// sigV4Header is an Authorization header of AWS Signature Version 4.
type sigV4Header struct {
	credential, signedHeaders, signature string
	keyID, date, region, service         string
}

// checkSigV4 checks an AWS_IAM method's caller: the Authorization header's
// Signature Version 4 signature, recomputed with the AWS SDK's signer
// from the request as received and the secret of the --iam-key the
// credential names, compared in constant time. The service must be
// execute-api; the region is the credential scope's. IAM policies are
// not evaluated: a caller whose signature verifies may call every
// AWS_IAM method. Query-string (presigned) signatures are not checked.
func (g *Gateway) checkSigV4(x *exchange) (*authResult, *Rejection) {
	req := x.req
	header := req.Header.Get("Authorization")
	if header == "" {
		if _, presigned := req.Query["X-Amz-Signature"]; presigned {
			return nil, reject(403, "INVALID_SIGNATURE", sigV4Mismatch, "serve checks signatures in the Authorization header only, not presigned URLs")
		}
		return nil, reject(403, "MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token", "the method is AWS_IAM and the request is not signed")
	}
	h, rej := parseSigV4(header, req)
	if rej != nil {
		return nil, rej
	}
	secret, ok := g.Auth.IAMKeys[h.keyID]
	if !ok {
		return nil, reject(403, "INVALID_SIGNATURE", "The security token included in the request is invalid.",
			"the access key ID is none of serve's --iam-key")
	}
	when, rej := g.signingTime(req, h)
	if rej != nil {
		return nil, rej
	}
	signed, sig, err := resign(req, h, aws.Credentials{AccessKeyID: h.keyID, SecretAccessKey: secret}, when)
	if err != nil {
		return nil, reject(403, "INVALID_SIGNATURE", sigV4Mismatch, "serve could not recompute the signature: "+err.Error())
	}
	if signed != h.signedHeaders {
		return nil, reject(403, "INVALID_SIGNATURE", sigV4Mismatch,
			fmt.Sprintf("the request signed the headers %s; serve's recomputation signs %s", h.signedHeaders, signed))
	}
	if subtle.ConstantTimeCompare([]byte(sig), []byte(h.signature)) != 1 {
		return nil, reject(403, "INVALID_SIGNATURE", sigV4Mismatch, "the signature does not match the request and the secret of "+h.keyID)
	}
	account := g.Vars["AWS::AccountId"]
	return &authResult{Identity: map[string]any{
		"accessKey": h.keyID, "caller": h.keyID, "user": h.keyID, "accountId": account,
		// A placeholder: serve knows the key, not the IAM user it
		// belongs to.
		"userArn": "arn:" + g.Vars["AWS::Partition"] + ":iam::" + account + ":user/" + h.keyID,
	}}, nil
}

// parseSigV4 reads an Authorization header of SigV4, or refuses it with
// API Gateway's messages (without echoing the header, as AWS does: it
// may be a token meant for another route).
func parseSigV4(header string, req *Request) (*sigV4Header, *Rejection) {
	rest, ok := strings.CutPrefix(header, "AWS4-HMAC-SHA256 ")
	if !ok {
		return nil, reject(403, "MISSING_AUTHENTICATION_TOKEN", "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.",
			"the method is AWS_IAM and the Authorization header is not an AWS4-HMAC-SHA256 signature")
	}
	h := &sigV4Header{}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			h.credential = v
		case "SignedHeaders":
			h.signedHeaders = v
		case "Signature":
			h.signature = v
		}
	}
	var missing []string
	for _, p := range [][2]string{{"Credential", h.credential}, {"Signature", h.signature}, {"SignedHeaders", h.signedHeaders}} {
		if p[1] == "" {
			missing = append(missing, "Authorization header requires '"+p[0]+"' parameter.")
		}
	}
	if req.Header.Get("X-Amz-Date") == "" && req.Header.Get("Date") == "" {
		missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if len(missing) > 0 {
		return nil, reject(403, "INVALID_SIGNATURE", strings.Join(missing, " "), "the SigV4 Authorization header is incomplete")
	}
	scope := strings.Split(h.credential, "/")
	if len(scope) != 5 || scope[4] != "aws4_request" || scope[0] == "" {
		return nil, reject(403, "INVALID_SIGNATURE", "Credential should be scoped with a valid terminator: 'aws4_request'.", "the credential is not KEY_ID/DATE/REGION/SERVICE/aws4_request")
	}
	h.keyID, h.date, h.region, h.service = scope[0], scope[1], scope[2], scope[3]
	if h.service != "execute-api" {
		return nil, reject(403, "INVALID_SIGNATURE", "Credential should be scoped to correct service: 'execute-api'.", "the credential is scoped to service "+h.service)
	}
	return h, nil
}

// signingTime is the request's X-Amz-Date (or Date), which must be
// within five minutes of the clock and on the credential scope's day.
func (g *Gateway) signingTime(req *Request, h *sigV4Header) (time.Time, *Rejection) {
	text := req.Header.Get("X-Amz-Date")
	when, err := time.Parse("20060102T150405Z", text)
	if text == "" {
		when, err = http.ParseTime(req.Header.Get("Date"))
	}
	if err != nil {
		return when, reject(403, "INVALID_SIGNATURE", "Date must be in ISO-8601 'basic format'.", "X-Amz-Date is not YYYYMMDDTHHMMSSZ")
	}
	now := g.Auth.now().UTC()
	stamp := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	switch {
	case when.Before(now.Add(-sigV4Skew)):
		msg := fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 5 min.)", stamp(when), stamp(now.Add(-sigV4Skew)), stamp(now))
		return when, reject(403, "INVALID_SIGNATURE", msg, "the signature is more than 5 minutes old")
	case when.After(now.Add(sigV4Skew)):
		msg := fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 5 min.)", stamp(when), stamp(now.Add(sigV4Skew)), stamp(now))
		return when, reject(403, "INVALID_SIGNATURE", msg, "the signature is more than 5 minutes in the future")
	case when.Format("20060102") != h.date:
		return when, reject(403, "INVALID_SIGNATURE", sigV4Mismatch, "the credential scope's date is not the day of X-Amz-Date")
	}
	return when, nil
}

// resign signs the request as received, with only the headers the
// caller signed, using the SDK's signer, and returns the headers it
// signed and its signature.
func resign(req *Request, h *sigV4Header, creds aws.Credentials, when time.Time) (string, string, error) {
	path, err := url.PathUnescape(req.Path)
	if err != nil {
		return "", "", err
	}
	r := &http.Request{Method: req.Method, Host: req.DomainName, Header: http.Header{},
		URL: &url.URL{Scheme: "http", Host: req.DomainName, Path: path, RawPath: req.Path, RawQuery: url.Values(req.Query).Encode()}}
	for _, name := range strings.Split(h.signedHeaders, ";") {
		switch name {
		case "host":
		case "content-length":
			r.ContentLength = int64(len(req.Body))
		default:
			for _, v := range req.Header.Values(name) {
				r.Header.Add(name, v)
			}
		}
	}
	sum := sha256.Sum256([]byte(req.Body))
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "execute-api", h.region, when); err != nil {
		return "", "", err
	}
	mine, _ := parseSigV4(r.Header.Get("Authorization"), req)
	if mine == nil {
		return "", "", fmt.Errorf("the SDK's signer wrote no signature")
	}
	return mine.signedHeaders, mine.signature, nil
}
