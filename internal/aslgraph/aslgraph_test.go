package aslgraph

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/golden"
)

// TestDrawGolden draws each testdata/NAME.asl.json with the path in
// NAME.path (one state a line), if any, and compares with NAME.svg.
func TestDrawGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.asl.json")
	if len(files) < 3 {
		t.Fatalf("found %d definitions in testdata", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(f, ".asl.json")
		t.Run(filepath.Base(name), func(t *testing.T) {
			def, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var path []string
			if b, err := os.ReadFile(name + ".path"); err == nil {
				path = strings.Fields(string(b))
			}
			got, err := Draw(def, path)
			if err != nil {
				t.Fatal(err)
			}
			wellFormed(t, got)
			golden.Check(t, name+".svg", got, "refresh with SFNAPIC_UPDATE=1 go test ./internal/aslgraph and review the pictures")
		})
	}
}

// wellFormed fails unless the SVG parses as XML.
func wellFormed(t *testing.T, svg []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
	}
}

// TestDrawPath checks what the highlight marks: the states entered, the
// transitions between consecutive ones, the start and the end, and
// nothing else.
func TestDrawPath(t *testing.T) {
	def, _ := os.ReadFile("testdata/choice.asl.json")
	svg, err := Draw(def, []string{"Price", "EmptyCart"})
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	for _, want := range []string{`class="state type-Choice visited" data-state="Price"`, `class="state type-Fail visited current" data-state="EmptyCart"`,
		`class="state type-Pass" data-state="Priced"`, `class="state type-Pass" data-state="Discount"`} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %s", want)
		}
	}
	// Start->Price, Price->EmptyCart, EmptyCart->End: three, no more.
	if n := strings.Count(s, `class="edge visited"`); n != 3 {
		t.Errorf("%d edges highlighted, want 3:\n%s", n, s)
	}
	if !strings.Contains(s, `<g class="edge visited"><path d="M`) || !strings.Contains(s, "IsPresent false</text>") {
		t.Errorf("the rule's edge is not labelled or not highlighted:\n%s", s)
	}
}

// TestDrawEscapes gives states hostile names: the SVG stays well-formed,
// carries no markup of theirs, and shows invisible or reordering
// characters as escapes.
func TestDrawEscapes(t *testing.T) {
	names := []string{`<script>alert(1)</script>`, `"onmouseover=alert(1) x="`, `</text></svg><img src=x onerror=alert(1)>`,
		"line\u2028sep", "bidi\u202Eevil", "nul\x00byte", "bad\xffutf8", "javascript:alert(1)", strings.Repeat("long", 2000)}
	var b strings.Builder
	b.WriteString(`{"StartAt": ` + jsonString(names[0]) + `, "States": {`)
	for i, n := range names {
		next := `"End": true`
		if i+1 < len(names) {
			next = `"Next": ` + jsonString(names[i+1])
		}
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(jsonString(n) + `: {"Type": "Pass", ` + next + `}`)
	}
	b.WriteString("}}")
	svg, err := Draw([]byte(b.String()), names)
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, svg)
	s := string(svg)
	for _, bad := range []string{"<script", "<img", `" onmouseover`, "\u2028", "\u202E", "\x00", "\xff", strings.Repeat("long", 70)} {
		if strings.Contains(s, bad) {
			t.Errorf("the SVG carries %q", bad)
		}
	}
	for _, want := range []string{`&lt;script&gt;`, `\u2028`, `\u202E`, `\u0000`, "…"} {
		if !strings.Contains(s, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range []byte(s) {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteByte(r)
		case r < 0x20:
			b.WriteString(`\u00` + string("0123456789abcdef"[r>>4]) + string("0123456789abcdef"[r&15]))
		default:
			b.WriteByte(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// TestDrawRefuses: a broken definition is an error that says what is
// wrong, never a panic or an empty picture.
func TestDrawRefuses(t *testing.T) {
	for def, want := range map[string]string{
		`not json`:                                "not an Amazon States Language document",
		`{"StartAt": "X", "States": {}}`:          `StartAt "X" names no state`,
		`{"StartAt": "X", "States": {"X": null}}`: `StartAt "X" names no state`,
		`{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [null]}}}`:                           "branch 0 is empty",
		`{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "Q", "States": {}}]}}}`: `state "P": StartAt "Q" names no state`,
	} {
		_, err := Draw([]byte(def), nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", def, err, want)
		}
	}
}
