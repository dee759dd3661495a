package cmd

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestPackageLayoutCommandFiles pins that no command's file uses what
// another command's file declares: what two commands share lives in a
// shared file (target.go, stack.go, request.go, load.go, root.go, ...). A
// command file is one that declares a newXCmd constructor, root.go's
// apart.
func TestPackageLayoutCommandFiles(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	declaredIn := map[string]string{} // top-level name -> command file
	files := map[string]*ast.File{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") || name == "root.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !declaresCommand(f) {
			continue
		}
		files[name] = f
		for id := range f.Scope.Objects {
			declaredIn[id] = name
		}
	}
	if len(files) < 7 {
		t.Fatalf("found %d command files; the test no longer finds them", len(files))
	}
	for name, f := range files {
		var crossing []string
		for _, id := range f.Unresolved {
			if other, ok := declaredIn[id.Name]; ok && other != name {
				crossing = append(crossing, id.Name+" ("+other+")")
			}
		}
		sort.Strings(crossing)
		if len(crossing) > 0 {
			t.Errorf("%s uses what other command files declare: %s; move it to a shared file", name, strings.Join(crossing, ", "))
		}
	}
}

// declaresCommand reports whether f declares a command's constructor,
// newXCmd.
func declaresCommand(f *ast.File) bool {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && strings.HasPrefix(fd.Name.Name, "new") && strings.HasSuffix(fd.Name.Name, "Cmd") {
			return true
		}
	}
	return false
}
