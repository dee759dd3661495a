package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/internal/cli"
)

type buildOptions struct {
	output string
	format string
	check  string
}

const buildDoc = `Build compiles SPEC into a CloudFormation template and prints it on stdout
(JSON by default). Diagnostics go to stderr. The same spec always gives the
same bytes, so the template can be committed, reviewed and diffed.

With --check FILE, nothing is written: build compares FILE with what it would
write and exits 1 with a diff when FILE is stale. The format follows FILE's
extension (.yaml or .yml for YAML) unless --format is given.

Examples:
  sfnapic build examples/item-api.yaml
  sfnapic build examples/item-api.yaml --format yaml -o template.yaml
  sfnapic build examples/item-api.yaml --check template.json`

func newBuildCmd(a *app) *cobra.Command {
	var o buildOptions
	cmd := &cobra.Command{
		Use:   "build SPEC [-o FILE] [--format json|yaml] [--check FILE]",
		Short: "compile a spec into a CloudFormation template",
		Long:  buildDoc,
		Args:  cli.ExactArgs(1, "one SPEC file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("format") && o.check != "" && isYAMLName(o.check) {
				o.format = "yaml"
			}
			return runBuild(a, args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "", "write the template to `FILE` instead of stdout")
	f.StringVar(&o.format, "format", "json", "template format: json or yaml")
	f.StringVar(&o.check, "check", "", "compare `FILE` with the template instead of writing; exit 1 if it is stale")
	return cmd
}

func isYAMLName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

func runBuild(a *app, name string, o buildOptions) error {
	if o.format != "json" && o.format != "yaml" {
		return cli.Usagef("--format must be json or yaml, not %q", o.format)
	}
	if o.output != "" && o.check != "" {
		return cli.Usagef("--check compares and writes nothing; drop -o")
	}
	c, err := cli.CompileFile(name, o.format)
	if err != nil {
		return err
	}
	fmt.Fprint(a.stderr, c.Diags.String())
	if c.Diags.HasErrors() {
		return cli.ErrReported
	}
	switch {
	case o.check != "":
		have, err := os.ReadFile(o.check)
		if err != nil {
			return fmt.Errorf("cannot read %s: %w", o.check, err)
		}
		if !bytes.Equal(have, c.Out) {
			fmt.Fprintf(a.stderr, "%s is stale: it differs from what %s compiles to.\n", o.check, name)
			a.stderr.Write(diff.Diff(o.check, have, "sfnapic build "+name, c.Out))
			fmt.Fprintf(a.stderr, "Run: sfnapic build %s --format %s -o %s\n", name, o.format, o.check)
			return cli.ErrReported
		}
		return nil
	case o.output != "":
		if err := protect(o.output, name, c); err != nil {
			return err
		}
		return cli.WriteFile(o.output, c.Out)
	}
	_, err = io.Copy(a.stdout, bytes.NewReader(c.Out))
	return err
}

// protect refuses to let -o overwrite the spec or one of its definition
// files: nothing the user wrote is ever lost.
func protect(out, specName string, c *cli.Compiled) error {
	inputs := []string{specName}
	for _, m := range c.Spec.StateMachines {
		if m.DefinitionFile != "" {
			inputs = append(inputs, filepath.Join(filepath.Dir(specName), filepath.FromSlash(m.DefinitionFile)))
		}
	}
	oi, err := os.Stat(out)
	if err != nil {
		return nil // a new file
	}
	for _, in := range inputs {
		if ii, err := os.Stat(in); err == nil && os.SameFile(oi, ii) {
			return cli.Usagef("-o %s would overwrite the input %s; choose another file", out, in)
		}
	}
	return nil
}
