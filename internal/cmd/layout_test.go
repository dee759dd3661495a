package cmd

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/sfnapic/sfnapic"

// TestPackageLayout pins which of sfnapic's packages may depend on which
// (directly or not), as docs/contributing.md's layout section explains: the
// language, the renderer and the template model stand alone; the local
// gateway and the deploy engine never see a spec or the compiler; and only
// the command layer reads AWS configuration.
func TestPackageLayout(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-json=ImportPath,Deps,Imports", "../../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	imports := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath    string
			Deps, Imports []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		deps[p.ImportPath], imports[p.ImportPath] = p.Deps, p.Imports
	}
	ours := func(pkg string) []string {
		var out []string
		for _, d := range deps[module+"/"+pkg] {
			if strings.HasPrefix(d, module+"/") {
				out = append(out, strings.TrimPrefix(d, module+"/"))
			}
		}
		return out
	}
	allowed := map[string][]string{
		"restapi/pathparam":    nil,
		"spec":                 {"restapi/pathparam", "internal/jsonschema4"},
		"vtl":                  nil,
		"cfn":                  nil,
		"integration":          {"cfn"},
		"restapi":              {"cfn", "integration", "restapi/pathparam"},
		"compile":              {"spec", "integration", "cfn", "restapi/pathparam", "internal/jsonschema4"},
		"gateway":              {"restapi", "cfn", "vtl", "integration", "restapi/pathparam", "internal/loopback", "internal/jsonschema4"},
		"internal/loopback":    nil,
		"internal/deploy":      {"cfn"},
		"internal/schema":      nil,
		"internal/jsonschema4": nil,
		"internal/sfnmock":     {"gateway", "restapi", "cfn", "vtl", "integration", "restapi/pathparam", "internal/loopback", "internal/jsonschema4"},
		"internal/sfncall":     {"gateway", "restapi", "cfn", "vtl", "integration", "restapi/pathparam", "internal/loopback", "internal/jsonschema4"},
	}
	for pkg, ok := range allowed {
		if _, found := deps[module+"/"+pkg]; !found {
			t.Errorf("package %s is gone; update this test and docs/contributing.md's layout", pkg)
			continue
		}
		for _, d := range ours(pkg) {
			if !slices.Contains(ok, d) {
				t.Errorf("%s depends on %s; it may depend only on %v of sfnapic's packages", pkg, d, ok)
			}
		}
	}
	// The commands choose no renderer variant themselves: it is a gateway
	// setting, so they do not import vtl.
	for _, cmdPkg := range []string{"internal/cmd", "cmd/sfnapic"} {
		if slices.Contains(imports[module+"/"+cmdPkg], module+"/vtl") {
			t.Errorf("%s imports vtl; the renderer is the gateway's business", cmdPkg)
		}
	}
	// Body schemas are checked and bodies validated by internal/jsonschema4:
	// a general validator's package init (santhosh-tekuri/jsonschema
	// compiles every draft's metaschema) cost every start 2.7 ms. It
	// stays a test dependency.
	for pkg, d := range deps {
		if strings.HasPrefix(pkg, module+"/") && slices.Contains(d, "github.com/santhosh-tekuri/jsonschema/v6") {
			t.Errorf("%s depends on github.com/santhosh-tekuri/jsonschema/v6; use internal/jsonschema4 (the library is for tests only)", pkg)
		}
	}
	const awsConfig = "github.com/aws/aws-sdk-go-v2/config"
	for pkg, imps := range imports {
		if slices.Contains(imps, awsConfig) && pkg != module+"/internal/awsconfig" {
			t.Errorf("%s imports %s; only internal/awsconfig (the command layer) may load AWS configuration", pkg, awsConfig)
		}
	}
	for pkg := range allowed {
		if slices.Contains(deps[module+"/"+pkg], awsConfig) {
			t.Errorf("%s depends on %s", pkg, awsConfig)
		}
	}
}

// TestFunctionsStayShort keeps the functions of the packages that grow
// with each feature (the gateway's stages, the REST API model, the
// compiler, the commands) under about 60 lines: a longer one is a missing
// seam. vtl's interpreter dispatch and the tests are exempt.
func TestFunctionsStayShort(t *testing.T) {
	const limit = 62
	fset := token.NewFileSet()
	for _, dir := range []string{"../../gateway", "../../restapi", "../../compile", "../../integration", "../console", "../aslgraph", "."} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || fn.Body == nil {
					continue
				}
				if n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1; n > limit {
					t.Errorf("%s: %s is %d lines; split it into named steps (at most about 60)", fset.Position(fn.Pos()), fn.Name.Name, n)
				}
			}
		}
	}
}
