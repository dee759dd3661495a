package main

import (
	"os"
	"regexp"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sfnapic/sfnapic/internal/cfnfake"
)

// cmdCFNFake starts the CloudFormation fake for the rest of the script
// and points the AWS SDK at it, with made-up credentials and no shared
// AWS files:
//
//	cfnfake
func cmdCFNFake(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: cfnfake")
	}
	f := cfnfake.New()
	ts.Defer(f.Close)
	for k, v := range map[string]string{"AWS_ENDPOINT_URL": f.URL(), "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret",
		"AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": os.DevNull, "AWS_SHARED_CREDENTIALS_FILE": os.DevNull} {
		ts.Setenv(k, v)
	}
}

// changeSetName is what deploy names a change set: its time and a random
// suffix.
var changeSetName = regexp.MustCompile(`sfnapic-\d{8}T\d{6}-[0-9a-f]{4}`)

// cmdRedact writes the last command's stderr to FILE with what changes
// from run to run (change set names) replaced, for cmp:
//
//	redact FILE
func cmdRedact(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: redact FILE")
	}
	out := changeSetName.ReplaceAllString(ts.ReadFile("stderr"), "sfnapic-NAME")
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(out), 0o644))
}
