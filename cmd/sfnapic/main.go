// Command sfnapic compiles a short YAML spec into a CloudFormation template
// that puts Step Functions state machines behind API Gateway REST routes.
package main

import "os"

func main() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
