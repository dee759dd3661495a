package cmd

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"syscall"
	"unicode"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

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

The spec's api.name, which names the stack deploy and destroy act on, is
DIR's name (the current folder's for "."), made a stack name: letters,
digits and hyphens, starting with a letter.

Init never overwrites a file: if one it would write exists, it says which
and writes nothing (exit 1); if a file cannot be written, it removes those
it wrote. What it writes builds, validates and serves
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
	apiName, err := projectName(dir, o.example)
	if err != nil {
		return err
	}
	files, err := initFiles(o.example, apiName)
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
	if err := writeProject(dir, names, files); err != nil {
		return err
	}
	printInitDone(a, dir, names, firstCurl(files[defaultSpec]))
	fmt.Fprintf(a.stderr, "api.name is %s (from the folder's name): the stack sfnapic deploy and destroy act on unless --stack names another\n", apiName)
	return nil
}

// writeProject writes the files into dir. When one cannot be written, it
// removes what this run made (the files, created with O_EXCL, are its
// own; and the folders it created, once empty), so that no half project
// is left, and says so.
func writeProject(dir string, names []string, files map[string][]byte) error {
	var made []string // files, then folders, in the order they were made
	var err error
	for _, name := range names {
		if made, err = writeNew(filepath.Join(dir, filepath.FromSlash(name)), files[name], made); err != nil {
			break
		}
	}
	if err == nil {
		return nil
	}
	for i := len(made) - 1; i >= 0; i-- {
		os.Remove(made[i]) // a folder someone else wrote into since stays
	}
	return fmt.Errorf("%v: init removed the files it had written in %s (it writes a project whole or not at all)", err, dir)
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
func initFiles(example, apiName string) (map[string][]byte, error) {
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
	if files[defaultSpec], err = renameAPI(files[defaultSpec], example+"-api", apiName); err != nil {
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

// projectName is the api.name init writes, and so the stack deploy and
// destroy name by default: DIR's base name (the current folder's for
// "."), so that two projects are two stacks, made a CloudFormation stack
// name (see stackName): each run of other characters a hyphen, "api-"
// before a name that does not start with a letter, at most 128. A name
// with no letter or digit keeps the example's.
func projectName(dir, example string) (string, error) {
	if !slices.Contains(initExamples, example) {
		return "", usagef("--example %q: choose one of %s%s", example, strings.Join(initExamples, ", "), spec.Suggest(example, initExamples))
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	name := strings.Trim(nonStackChars.ReplaceAllString(filepath.Base(abs), "-"), "-")
	switch {
	case name == "":
		return example + "-api", nil
	case !unicode.IsLetter(rune(name[0])):
		name = "api-" + name
	}
	return strings.TrimRight(name[:min(len(name), 128)], "-"), nil
}

var nonStackChars = regexp.MustCompile(`[^A-Za-z0-9]+`)

// renameAPI writes name for the example's in its spec: api.name, and the
// comment that opens the spec. The name goes through yaml.v3, which
// quotes one YAML would read as another type (true, null).
func renameAPI(src []byte, old, name string) ([]byte, error) {
	value, err := yaml.Marshal(name)
	if err != nil {
		return nil, err
	}
	out := string(src)
	for _, r := range [][2]string{{"\n# " + old + ", ", "\n# " + name + ", "}, {"\n  name: " + old + "\n", "\n  name: " + string(value)}} {
		if strings.Count(out, r[0]) != 1 {
			return nil, fmt.Errorf("the %s example has no %q to rename (a bug in sfnapic)", old, r[0])
		}
		out = strings.Replace(out, r[0], r[1], 1)
	}
	return []byte(out), nil
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
		_, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(name)))
		switch {
		case errors.Is(err, syscall.ENOTDIR):
			return notAFolder(dir, name)
		case err == nil:
			there = append(there, path.Join(filepath.ToSlash(dir), name))
		case !errors.Is(err, fs.ErrNotExist):
			return err
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

// notAFolder names the first of dir and the folders of name in it that
// is a file (the Lstat of a path through a file fails with ENOTDIR).
func notAFolder(dir, name string) error {
	p := dir
	for _, part := range append([]string{""}, strings.Split(path.Dir(name), "/")...) {
		p = filepath.Join(p, part)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return fmt.Errorf("%s is a file, not a folder: init writes %s there; choose another DIR, or move the file away", filepath.ToSlash(p), path.Join(filepath.ToSlash(dir), name))
		}
	}
	return fmt.Errorf("%s: a folder of it is not a folder", path.Join(filepath.ToSlash(dir), name))
}

// writeNew creates a file that must not exist yet (O_EXCL: not even one
// made since refuseExisting looked), and its folders, adding to made each
// folder and the file as soon as it exists.
func writeNew(name string, data []byte, made []string) ([]string, error) {
	made, err := mkdirs(filepath.Dir(name), made)
	if err != nil {
		return made, err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return made, err
	}
	made = append(made, name)
	_, err = initWrite(f, data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return made, err
}

// initWrite writes a file's content; tests make it fail.
var initWrite = func(f *os.File, data []byte) (int, error) { return f.Write(data) }

// mkdirs makes dir and the folders above it that are missing, adding to
// made those it made, outermost first.
func mkdirs(dir string, made []string) ([]string, error) {
	if _, err := os.Stat(dir); err == nil {
		return made, nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		var err error
		if made, err = mkdirs(parent, made); err != nil {
			return made, err
		}
	}
	if err := os.Mkdir(dir, 0o777); err != nil {
		return made, err
	}
	return append(made, dir), nil
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
