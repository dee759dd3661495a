package cmd

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/internal/schema"
	"github.com/sfnapic/sfnapic/spec"
)

// initData holds the projects init writes: one folder per example (the
// spec and its definitions), and the CI workflow they share.
//
//go:embed initdata
var initData embed.FS

// initExamples are the projects init can write, by --example.
var initExamples = []string{"item", "orders"}

// workflowFile is where init writes the CI workflow, in GitHub Actions'
// folder of the project.
const workflowFile = ".github/workflows/sfnapic.yml"

const initDoc = `Init writes a working project into DIR (the current folder by default):

  sfnapic.yaml          the spec, whose first line points editors at
  sfnapic.schema.json   the spec's JSON Schema, for completion and checks
  *.asl.yaml            the state machines' definitions
  template.json         the template the spec compiles to, to commit
  .github/workflows/sfnapic.yml
                        CI that runs sfnapic build --check template.json

--example item (the default) is the tutorial's API: one route that starts
an execution and one that follows it. --example orders is a shop's orders:
a synchronous quote, orders that wait for a manager's approval, their
status and cancellation, the approvals; every route is open, so that it
can be tried at once (the spec's comments say how to protect them).

Init never overwrites a file: if one it would write exists, it says which
and writes nothing (exit 1). What it writes builds, validates and serves
as it is: cd DIR, then sfnapic serve, and try a route with the curl lines
in the spec's comments.

Examples:
  sfnapic init my-api
  sfnapic init --example orders shop
  sfnapic init`

type initOptions struct {
	example string
}

func newInitCmd(a *app) *cobra.Command {
	var o initOptions
	cmd := &cobra.Command{
		Use:   "init [DIR] [--example item|orders]",
		Short: "write a working project: a spec, its definitions, its template and CI",
		Long:  initDoc,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("expected one DIR (or none, for the current folder), got %d arguments", len(args))
			}
			return nil
		},
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			dir := firstArg(args)
			if dir == "" {
				dir = "."
			}
			return runInit(a, dir, o)
		}),
	}
	cmd.Flags().StringVar(&o.example, "example", "item", "the project to write: `item` (the tutorial's API) or orders")
	return cmd
}

func runInit(a *app, dir string, o initOptions) error {
	files, err := initFiles(o.example)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	if err := refuseExisting(dir, names); err != nil {
		return err
	}
	for _, name := range names {
		if err := writeNew(filepath.Join(dir, filepath.FromSlash(name)), files[name]); err != nil {
			return err
		}
	}
	printInitDone(a, dir, names, firstCurl(files[defaultSpec]))
	return nil
}

// firstCurl is the first request the spec's comments show ("#   curl
// ..."), which init's last line repeats, so the two cannot disagree.
func firstCurl(src []byte) string {
	for _, line := range strings.Split(string(src), "\n") {
		if c, ok := strings.CutPrefix(strings.TrimLeft(line, "# "), "curl "); ok && strings.HasPrefix(line, "#") {
			return "curl " + c
		}
	}
	return ""
}

// initFiles are the files of the example's project, by their slash path
// in it: the spec and its definitions as embedded, the schema, the
// workflow, and the template built from them in memory, so that nothing
// is written unless all of it could be made.
func initFiles(example string) (map[string][]byte, error) {
	if !slices.Contains(initExamples, example) {
		return nil, usagef("--example %q: choose one of %s%s", example, strings.Join(initExamples, ", "), spec.Suggest(example, initExamples))
	}
	project, err := fs.Sub(initData, "initdata/"+example)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	err = fs.WalkDir(project, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files[p], err = fs.ReadFile(project, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	wf, err := initData.ReadFile("initdata/workflow.yml")
	if err != nil {
		return nil, err
	}
	files[workflowFile] = []byte(strings.Replace(string(wf), "@VERSION", "@"+installVersion(), 1))
	files["sfnapic.schema.json"] = schema.JSON
	s, diags := spec.Parse(defaultSpec, files[defaultSpec], project)
	if diags.HasErrors() {
		return nil, fmt.Errorf("the %s example does not compile (a bug in sfnapic):\n%s", example, diags.String())
	}
	out, limits, err := compile.Build(s, "json")
	if err != nil || limits.HasErrors() {
		return nil, fmt.Errorf("the %s example does not build (a bug in sfnapic): %v %s", example, err, limits.String())
	}
	files["template.json"] = out
	return files, nil
}

// installVersion is the version CI installs: this sfnapic's release, so
// that CI builds the template this sfnapic wrote, or latest for a build
// that is not a release (a checkout, or a change not yet committed).
func installVersion() string {
	v := version()
	if !strings.HasPrefix(v, "v") || strings.Contains(v, "+") {
		return "latest"
	}
	return v
}

// refuseExisting fails, naming every one, when any file init would write
// is already in dir: nothing the user has is overwritten, and nothing is
// written half.
func refuseExisting(dir string, names []string) error {
	var there []string
	for _, name := range names {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(name))); !errors.Is(err, fs.ErrNotExist) {
			there = append(there, path.Join(filepath.ToSlash(dir), name))
		}
	}
	switch len(there) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("%s already exists: init writes nothing over a file; choose another DIR, or move it away", there[0])
	}
	return fmt.Errorf("%s already exist: init writes nothing over a file; choose another DIR, or move them away", strings.Join(there, ", "))
}

// writeNew creates a file that must not exist yet (O_EXCL: not even one
// made since refuseExisting looked), and its folders.
func writeNew(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// printInitDone says, on stderr, what init wrote and what to do next.
func printInitDone(a *app, dir string, names []string, curl string) {
	for _, name := range names {
		fmt.Fprintf(a.stderr, "wrote %s\n", path.Join(filepath.ToSlash(dir), name))
	}
	fmt.Fprintln(a.stderr, "Next, with no AWS account (the spec's comments have a request for each route):")
	if dir != "." {
		fmt.Fprintf(a.stderr, "  cd %s\n", dir)
	}
	fmt.Fprintln(a.stderr, "  sfnapic serve")
	if curl != "" {
		fmt.Fprintf(a.stderr, "and in another terminal:\n  %s\n", curl)
	}
}
