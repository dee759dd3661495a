// Command sfnapic-aws runs sfnapic's AWS commands (deploy, diff, destroy).
// sfnapic hands them to it, so that the compiler links no AWS SDK. Install
// both programs: go install ./cmd/...
package main

import (
	"os"

	"github.com/sfnapic/sfnapic/internal/awscli"
)

func main() { os.Exit(awscli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
