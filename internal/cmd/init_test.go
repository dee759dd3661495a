package cmd

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/sfnapic/sfnapic/internal/schema"
)

// initFilesOf are the files init writes for each example.
var initFilesOf = map[string][]string{
	"item":   {".github/workflows/sfnapic.yml", "items.asl.yaml", "sfnapic.schema.json", "sfnapic.yaml", "template.json"},
	"orders": {".github/workflows/sfnapic.yml", "orders.asl.yaml", "quote.asl.yaml", "sfnapic.schema.json", "sfnapic.yaml", "template.json"},
}

// TestInitProjects writes each example's project and uses it as a
// newcomer would, in it, with no SPEC and no flag: it validates without a
// warning, CI's sfnapic steps pass as written (build --check against the
// committed template among them), cfn-lint finds nothing, and serve
// answers a request through each route as the spec's comments promise.
func TestInitProjects(t *testing.T) {
	for example, want := range initFilesOf {
		t.Run(example, func(t *testing.T) {
			t.Chdir(t.TempDir())
			if code, out, errs := runMain("init", "proj", "--example", example); code != 0 || out != "" {
				t.Fatalf("init: exit %d, stdout %q\n%s", code, out, errs)
			}
			if got := filesUnder(t, "proj"); !reflect.DeepEqual(got, want) {
				t.Fatalf("init wrote %v, want %v", got, want)
			}
			t.Chdir("proj")
			checkInitSpec(t)
			if code, out, errs := runMain("validate"); code != 0 || out != "" || errs != "sfnapic.yaml: ok\n" {
				t.Errorf("validate: exit %d\n%s%s", code, out, errs)
			}
			runWorkflow(t)
			cfnLintTemplate(t)
			serveEachRoute(t, initRequests[example])
		})
	}
}

// checkInitSpec: the spec's first line is the modeline, and the schema it
// names is the one sfnapic schema prints.
func checkInitSpec(t *testing.T) {
	t.Helper()
	src, err := os.ReadFile(defaultSpec)
	if err != nil {
		t.Fatal(err)
	}
	const modeline = "# yaml-language-server: $schema=./sfnapic.schema.json\n"
	if !bytes.HasPrefix(src, []byte(modeline)) {
		t.Errorf("the spec does not begin with %q", modeline)
	}
	if b, err := os.ReadFile("sfnapic.schema.json"); err != nil || !bytes.Equal(b, schema.JSON) {
		t.Errorf("sfnapic.schema.json is not sfnapic schema's output (%v)", err)
	}
}

// runWorkflow runs the sfnapic steps of the CI workflow, as written, in
// the project: every one must pass, and one must check the template.
func runWorkflow(t *testing.T) {
	t.Helper()
	b, err := os.ReadFile(filepath.FromSlash(workflowFile))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct{ Run string }
		}
	}
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatalf("%s: %v", workflowFile, err)
	}
	checked := false
	for _, job := range wf.Jobs {
		for _, step := range job.Steps {
			args, ok := strings.CutPrefix(step.Run, "sfnapic ")
			if !ok {
				continue
			}
			checked = checked || args == "build --check template.json"
			if code, _, errs := runMain(strings.Fields(args)...); code != 0 {
				t.Errorf("CI step %q: exit %d\n%s", step.Run, code, errs)
			}
		}
	}
	if !checked {
		t.Errorf("%s runs no sfnapic build --check template.json:\n%s", workflowFile, b)
	}
}

// cfnLintTemplate runs cfn-lint on the committed template when it is on
// PATH (CI requires it, as for TestCfnLint).
func cfnLintTemplate(t *testing.T) {
	t.Helper()
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Log("cfn-lint is not on PATH: the template is not linted (pip install cfn-lint)")
		return
	}
	if out, err := exec.Command(bin, "template.json").CombinedOutput(); err != nil {
		t.Errorf("cfn-lint template.json: %v\n%s", err, out)
	}
}

// initRequest is one request to an init project's route, and what it
// must answer. {id} in the path is the executionId the last start
// answered.
type initRequest struct {
	method, path, contentType, body string
	headers                         []string
	status                          int
	has                             string // a part of the body
}

var initRequests = map[string][]initRequest{
	"item": {
		{"POST", "/42", "application/json", `{"note": "hello"}`, nil, 200, `"executionId": "`},
		{"GET", "/executions/{id}", "", "", nil, 200, `"status": "RUNNING"`},
		// curl -d alone sends a form: the 415 says what the route takes.
		{"POST", "/42", "application/x-www-form-urlencoded", `note=hello`, nil, 415,
			`{"error": "UNSUPPORTED_MEDIA_TYPE", "message": "Unsupported Media Type: send Content-Type: application/json"}`},
	},
	"orders": {
		{"POST", "/quotes", "application/json", `{"items": [{"sku": "tea", "quantity": 2}]}`, nil, 200, `"cart":[{"sku":"tea","quantity":2}]`},
		{"POST", "/orders", "application/json", `{"items": []}`, nil, 400, `"BAD_REQUEST_BODY"`},
		{"POST", "/orders", "application/json", `{"items": [{"sku": "tea", "quantity": 2}]}`, []string{"Idempotency-Key", "order-1"}, 200, `"executionId": "order-1"`},
		{"GET", "/orders/{id}", "", "", nil, 200, `"status": "RUNNING"`},
		{"DELETE", "/orders/{id}", "application/json", `{"reason": "changed my mind"}`, nil, 200, `"stopDate"`},
		{"GET", "/orders/{id}", "", "", nil, 200, `"status": "ABORTED", "startDate"`},
		{"POST", "/approvals/approve", "application/json", `{"taskToken": "t-1", "manager": "ann"}`, nil, 200, `{`},
		{"POST", "/approvals/reject", "application/json", `{"taskToken": "t-1", "error": "Refused", "reason": "out of stock"}`, nil, 200, `{`},
	},
}

// serveEachRoute serves ./sfnapic.yaml with the mock and sends each
// request; every route of the spec must have been tried.
func serveEachRoute(t *testing.T, requests []initRequest) {
	t.Helper()
	s := startServe(t)
	tried := map[string]bool{}
	id := ""
	for _, r := range requests {
		p := strings.Replace(r.path, "{id}", id, 1)
		status, _, body := s.do(t, r.method, p, r.contentType, r.body, r.headers...)
		if status != r.status || !strings.Contains(body, r.has) {
			t.Errorf("%s %s %s: %d %s, want %d with %s", r.method, p, r.body, status, body, r.status, r.has)
			continue
		}
		if v, ok := jsonOf(t, body)["executionId"].(string); ok && r.method == "POST" {
			id = v
		}
		tried[r.method+" "+r.path] = true
	}
	for _, route := range routesOf(t) {
		if route = strings.Replace(route, "{item_id}", "42", 1); !tried[route] {
			t.Errorf("no request tried route %s", route)
		}
	}
}

// routesOf lists the routes of ./sfnapic.yaml.
func routesOf(t *testing.T) []string {
	t.Helper()
	rt, _, err := loadTarget(defaultSpec, "")
	if err != nil {
		t.Fatal(err)
	}
	routes := rt.g.API.Routes()
	sort.Strings(routes)
	return routes
}

// filesUnder lists the files under dir, as sorted slash paths.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestInitNeverOverwrites: when a file init would write exists, init
// names it, writes nothing (not even the files that are missing) and
// exits 1; the file keeps what it had.
func TestInitNeverOverwrites(t *testing.T) {
	t.Chdir(t.TempDir())
	writeTestFile(t, "sfnapic.yaml", "mine\n")
	if err := os.MkdirAll(".github/workflows", 0o777); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, ".github/workflows/sfnapic.yml", "mine too\n")
	code, _, errs := runMain("init")
	if code != exitFailure || !strings.Contains(errs, ".github/workflows/sfnapic.yml, sfnapic.yaml already exist: init writes nothing over a file") {
		t.Errorf("init over a project: exit %d\n%s", code, errs)
	}
	if got := filesUnder(t, "."); !reflect.DeepEqual(got, []string{".github/workflows/sfnapic.yml", "sfnapic.yaml"}) {
		t.Errorf("init wrote beside the existing files: %v", got)
	}
	if b, _ := os.ReadFile("sfnapic.yaml"); string(b) != "mine\n" {
		t.Errorf("sfnapic.yaml was changed: %q", b)
	}
}

// TestInitUsage: an unknown example and a second DIR are usage errors,
// and nothing is written.
func TestInitUsage(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"init", "--example", "order"}, `--example "order": choose one of item, orders (did you mean "orders"?)`},
		{[]string{"init", "a", "b"}, "expected one DIR (or none, for the current folder), got 2 arguments"},
	} {
		code, _, errs := runMain(c.args...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d\n%s", c.args, code, errs)
		}
	}
	if got := filesUnder(t, "."); len(got) != 0 {
		t.Errorf("a refused init wrote %v", got)
	}
}

// TestInitNamesTheAPIAfterDIR: api.name, and so the stack deploy and
// destroy act on, is DIR's name made a stack name, so that two projects
// are two stacks; the template init writes is built from that spec (CI's
// build --check passes), and init says the name.
func TestInitNamesTheAPIAfterDIR(t *testing.T) {
	long := strings.Repeat("a", 130)
	for _, c := range []struct{ dir, example, want string }{
		{"shop", "orders", "shop"},
		{"My Shop!", "item", "My-Shop"},
		{"2024", "item", "api-2024"},
		{"null", "item", "null"},
		{"___", "orders", "orders-api"},
		{long, "item", long[:128]},
	} {
		t.Run(c.dir[:min(len(c.dir), 8)], func(t *testing.T) {
			t.Chdir(t.TempDir())
			code, _, errs := runMain("init", c.dir, "--example", c.example)
			if code != 0 || !strings.Contains(errs, "api.name is "+c.want+" (from the folder's name)") {
				t.Fatalf("init %s: exit %d\n%s", c.dir, code, errs)
			}
			t.Chdir(c.dir)
			rt, _, err := loadTarget(defaultSpec, "")
			if err != nil || rt.apiName != c.want {
				t.Errorf("api.name %q (%v), want %q", rt.apiName, err, c.want)
			}
			if tt, _, err := loadTarget("", "template.json"); err != nil || tt.apiName != c.want {
				t.Errorf("template.json's RestApi Name is not %q (%v)", c.want, err)
			}
			runWorkflow(t)
		})
	}
}

// TestInitHereNamedAfterTheFolder: init with no DIR names the API after
// the current folder, not ".".
func TestInitHereNamedAfterTheFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "team.api")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if code, _, errs := runMain("init"); code != 0 || !strings.Contains(errs, "api.name is team-api ") {
		t.Errorf("init here: exit %d\n%s", code, errs)
	}
}

// TestInitRemovesWhatItWrote: when a file cannot be written, init removes
// the files and folders it made, says so, and exits 1; what was there
// before stays.
func TestInitRemovesWhatItWrote(t *testing.T) {
	t.Chdir(t.TempDir())
	writeTestFile(t, "notes.txt", "mine\n")
	n := 0
	write := initWrite
	initWrite = func(f *os.File, data []byte) (int, error) {
		if n++; n == 3 {
			return 0, errors.New("no space left on device")
		}
		return write(f, data)
	}
	t.Cleanup(func() { initWrite = write })
	for _, dir := range []string{".", "new/proj"} {
		n = 0
		code, _, errs := runMain("init", dir)
		if code != exitFailure || !strings.Contains(errs, "no space left on device: init removed the files it had written in "+dir) {
			t.Errorf("init %s: exit %d\n%s", dir, code, errs)
		}
		if got := filesUnder(t, "."); !reflect.DeepEqual(got, []string{"notes.txt"}) {
			t.Errorf("init %s left %v", dir, got)
		}
		if _, err := os.Stat(".github"); err == nil {
			t.Errorf("init %s left .github", dir)
		}
		if _, err := os.Stat("new"); err == nil {
			t.Errorf("init %s left the folder new it made", dir)
		}
	}
}

// TestInitDIRNotAFolder: a DIR, or a folder init writes in, that is a
// file is named as such, not as a file that already exists.
func TestInitDIRNotAFolder(t *testing.T) {
	t.Chdir(t.TempDir())
	writeTestFile(t, "afile", "x\n")
	if err := os.Mkdir("p", 0o777); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, "p/.github", "x\n")
	for dir, want := range map[string]string{"afile": "afile is a file, not a folder", "p": "p/.github is a file, not a folder"} {
		code, _, errs := runMain("init", dir)
		if code != exitFailure || !strings.Contains(errs, want) || strings.Contains(errs, "already exist") {
			t.Errorf("init %s: exit %d, want %q\n%s", dir, code, want, errs)
		}
	}
	if got := filesUnder(t, "."); !reflect.DeepEqual(got, []string{"afile", "p/.github"}) {
		t.Errorf("init wrote %v", got)
	}
}
