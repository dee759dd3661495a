package cmd

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"
)

type buildOptions struct {
	output string
	format string
	check  string
	// formatSet: --format was given, so it wins over the extension of the
	// -o or --check file.
	formatSet bool
}

const buildDoc = `Build compiles SPEC into a CloudFormation template and prints it on stdout
(JSON by default), or writes it to -o FILE in the format of FILE's extension
(.yaml or .yml for YAML) unless --format is given. Diagnostics go to stderr.
The same spec always gives the same bytes, so the template can be committed,
reviewed and diffed.

With --check FILE, nothing is written: build compares FILE with what it would
write and exits 1 with a diff when FILE is stale. The format follows FILE's
extension (.yaml or .yml for YAML) unless --format is given.

` + specHelp + `

Examples:
  sfnapic build
  sfnapic build examples/item-api.yaml
  sfnapic build examples/item-api.yaml -o template.yaml
  sfnapic build examples/item-api.yaml --format yaml
  sfnapic build examples/item-api.yaml --check template.json`

func newBuildCmd(a *app) *cobra.Command {
	var o buildOptions
	cmd := &cobra.Command{
		Use:   "build [SPEC] [-o FILE] [--format json|yaml|yml] [--check FILE]",
		Short: "compile a spec into a CloudFormation template",
		Long:  buildDoc,
		Args:  optionalSpec,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			o.formatSet = cmd.Flags().Changed("format")
			name, err := specOrDefault(firstArg(args))
			if err != nil {
				return err
			}
			return runBuild(a, name, o)
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "", "write the template to `FILE` instead of stdout")
	f.StringVar(&o.format, "format", "", "template `FORMAT`, json or yaml (or yml) (default: the -o or --check file's extension, else json)")
	f.StringVar(&o.check, "check", "", "compare `FILE` with the template instead of writing; exit 1 if it is stale")
	return cmd
}

func runBuild(a *app, name string, o buildOptions) error {
	if o.output != "" && o.check != "" {
		return usagef("--check compares and writes nothing; drop -o")
	}
	format, err := templateFormat(o.format, o.formatSet, o.output+o.check)
	if err != nil {
		return err
	}
	c, err := compileFile(name, format)
	if err != nil {
		return err
	}
	fmt.Fprint(a.stderr, c.diags.String())
	if c.diags.HasErrors() {
		return errReported
	}
	switch {
	case o.check != "":
		have, err := readInput(o.check, maxReadBytes)
		if err != nil {
			return fmt.Errorf("cannot read %s: %w", o.check, err)
		}
		if !bytes.Equal(have, c.out) {
			fmt.Fprintf(a.stderr, "%s is stale: it differs from what %s compiles to.\n", o.check, name)
			a.stderr.Write(diff.Diff(o.check, have, "sfnapic build "+name, c.out))
			fmt.Fprintf(a.stderr, "Run: sfnapic build %s --format %s -o %s\n", name, format, o.check)
			return errReported
		}
		return nil
	case o.output != "":
		if err := protect(o.output, name, c); err != nil {
			return err
		}
		return writeFile(o.output, c.out)
	}
	_, err = io.Copy(a.stdout, bytes.NewReader(c.out))
	return err
}

// protect refuses to let -o overwrite the spec or one of its definition
// files: nothing the user wrote is ever lost.
func protect(out, specName string, c *compiled) error {
	inputs := []string{specName}
	for _, m := range c.spec.StateMachines {
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
			return usagef("-o %s would overwrite the input %s; choose another file", out, in)
		}
	}
	return nil
}
