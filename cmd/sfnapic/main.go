// Command sfnapic compiles a short YAML spec into a CloudFormation template
// that puts Step Functions state machines behind API Gateway REST routes,
// shows what a request would send, and deploys the template through
// reviewed change sets. The commands live in internal/cmd.
package main

import (
	"os"

	"github.com/sfnapic/sfnapic/internal/cmd"
)

func main() { os.Exit(cmd.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
