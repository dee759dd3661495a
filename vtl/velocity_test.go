package vtl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/internal/golden"
)

// The reference engine: Velocity 1.7, Commons Lang 2, Jayway JsonPath and
// json-smart, as Debian packages them (.ci/run installs them).
var velocityJars = []string{"velocity", "commons-lang", "commons-collections3", "json-path", "json-smart", "accessors-smart", "asm", "slf4j-api"}

// velocityCase is one rendering, in both engines.
type velocityCase struct {
	T       string            `json:"t"`
	Body    string            `json:"body,omitempty"`
	Path    map[string]string `json:"path,omitempty"`
	Query   map[string]string `json:"query,omitempty"`
	Header  map[string]string `json:"header,omitempty"`
	Context map[string]any    `json:"context,omitempty"`
}

type velocityResult struct {
	Out   *string `json:"out"`
	Error string  `json:"error"`
}

// referenceEngine compiles testdata/velocity/Render.java and returns a
// function that renders cases with it, or skips the test.
func referenceEngine(t *testing.T) func([]velocityCase) []velocityResult {
	t.Helper()
	javac, err := exec.LookPath("javac")
	if err != nil {
		t.Skip("javac is not on PATH: the differential test needs Java and the Debian packages velocity, libcommons-lang-java, libjsonpath-java, libjson-smart-java, libslf4j-java (.ci/run installs them)")
	}
	var cp []string
	for _, j := range velocityJars {
		p := filepath.Join("/usr/share/java", j+".jar")
		if _, err := os.Stat(p); err != nil {
			t.Skipf("%s is missing: install the Debian packages velocity, libcommons-lang-java, libjsonpath-java, libjson-smart-java, libslf4j-java (.ci/run does)", p)
		}
		cp = append(cp, p)
	}
	dir := t.TempDir()
	if out, err := exec.Command(javac, "-nowarn", "-cp", strings.Join(cp, ":"), "-d", dir, "testdata/velocity/Render.java").CombinedOutput(); err != nil {
		t.Fatalf("javac: %v\n%s", err, out)
	}
	classpath := strings.Join(append([]string{dir}, cp...), ":")
	return func(cases []velocityCase) []velocityResult {
		var in bytes.Buffer
		for _, c := range cases {
			b, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			// json-smart drops a raw DEL from strings it reads: send it
			// escaped (it can only occur inside strings).
			in.Write(bytes.ReplaceAll(b, []byte{0x7f}, []byte(`\u007f`)))
			in.WriteByte('\n')
		}
		cmd := exec.Command("java", "-cp", classpath, "Render")
		cmd.Stdin = &in
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("java Render: %v", err)
		}
		var res []velocityResult
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		for sc.Scan() {
			var r velocityResult
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("java Render wrote %q: %v", sc.Text(), err)
			}
			res = append(res, r)
		}
		if len(res) != len(cases) {
			t.Fatalf("java Render answered %d of %d cases", len(res), len(cases))
		}
		return res
	}
}

// agree reports whether vtl's rendering matches the reference's: the same
// text, the same JSON value (where API Gateway's spelling of JSON is
// undocumented), or both refusing the template.
func agree(c velocityCase, want velocityResult) (string, bool) {
	res, err := RenderString(c.T, &Request{Path: c.Path, Query: c.Query, Header: c.Header, Body: c.Body, Context: c.Context}, Variant{})
	switch {
	case err != nil && want.Out == nil:
		return "both refuse", true
	case err != nil:
		return "vtl: " + err.Error(), false
	case want.Out == nil:
		return "vtl rendered " + res.Body + " where Velocity refuses: " + want.Error, false
	case res.Body == *want.Out:
		return res.Body, true
	}
	var a, b any
	if json.Unmarshal([]byte(res.Body), &a) == nil && json.Unmarshal([]byte(*want.Out), &b) == nil && reflect.DeepEqual(decodeInner(a), decodeInner(b)) {
		return res.Body, true
	}
	return res.Body, false
}

// decodeInner decodes the strings of a JSON value that hold JSON documents
// themselves (a StartExecution input): how JSON is spelled inside them
// (\u001f or \u001F, an escaped / or not) is as undocumented as outside.
func decodeInner(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = decodeInner(e)
		}
	case []any:
		for i, e := range x {
			x[i] = decodeInner(e)
		}
	case string:
		var inner any
		if t := strings.TrimSpace(x); (strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")) && json.Unmarshal([]byte(t), &inner) == nil {
			return map[string]any{"json": decodeInner(inner)}
		}
	}
	return v
}

// snippets are templates at the edges of the language: regexes, escapes,
// white space, nulls, numbers, JSONPath, case mapping and grammar, where a
// hand-written interpreter goes wrong most easily.
var snippets = []snippet{
	{`#set($s = "aaa")$s.replaceAll("^a", "b")`, ""},
	{`#set($s = "a
a")$s.replaceAll("(?m)^a", "b")`, ""},
	{`#set($s = "ab ab")$s.replaceAll("\b", "|")`, ""},
	{`#set($s = "a.b")$s.replaceAll("\Q.\E", "x")`, ""},
	{`#set($s = "a
b")$s.replaceAll("(?s)a.b", "x")`, ""},
	{`#set($s = "a:[")$s.replaceAll("[[:alpha:]]", "x")`, ""},
	{`#set($s = "abc")$s.replaceAll("[a-c&&[^b]]", "x")`, ""},
	{`#set($s = "aab")$s.replaceAll("(a)\1", "x")`, ""},
	{`#set($s = "ab")$s.replaceAll("a(?=b)", "x")`, ""},
	{`#set($s = "it's")$s.replaceAll("\\'", "'")`, ""},
	{`#set($s = "a\'b")$s.replaceAll("(?<!\\)((?:\\\\)*)\\'", "$1'")`, ""},
	{`#set($s = "abc")$s.replaceFirst("b", "[$0]")`, ""},
	{`#set($s = "a,b,,")$s.split(",").size()`, ""},
	{`#set($s = "abc")$s.matches("a.c")`, ""},
	{`#set($r = "x")\\$r`, ""},
	{`#set($r = "x")\$r`, ""},
	{`\\#if(true)y#end`, ""},
	{"#if(true)\n  a\n#end\nb", ""},
	{"  #set($a = 1)  \nb", ""},
	{"#foreach($i in [1..3])\n$i\n#end", ""},
	{`#if($nope == 1)y#{else}n#end`, ""},
	{`#foreach($i in "abc")x#end`, ""},
	{`#if("".equals($nope))y#{else}n#end`, ""},
	{`#set($s = "a")$s.nope`, ""},
	{`#set($n = 123456789012345678901234567890)$n`, ""},
	{`#set($n = 9223372036854775807)#set($m = $n + 1)$m`, ""},
	{`#set($n = 7)#set($m = $n / 2)$m`, ""},
	{`#set($s = "a" + "b")$s`, ""},
	{`#if("a" < "b")y#{else}n#end`, ""},
	{`$input.json('$..a')`, ""},
	{`$input.json('$.x[*]')`, ""},
	{`$input.json('$.*')`, ""},
	{`$input.json('$.x[?(@ > 1)]')`, ""},
	{`$input.json('$.x[0]') $input.json('$.y.z') $input.json('$.nope')`, ""},
	{`$input.path('$.y').z $input.path('$.x').size()`, ""},
	{`#set($s = "ß")$s.toUpperCase()`, ""},
	{`#set($s = "İ")$s.toLowerCase().length()`, ""},
	{`#set($s = "ΟΔΟΣ ΣΑΣ Σ ﬁ")$s.toLowerCase() $s.toUpperCase()`, ""},
	{`#set($l = [1 + 1])$l`, ""},
	{`#set($s = "abc")$s.substring(1 + 1)`, ""},
	{`#set($ = 1)x`, ""},
	{`#if(true)x#end1`, ""},
	{`#set($a = null)$a`, ""},
	{`$util.escapeJavaScript("it's ""q"" \ / é 😀 </")`, ""},
	{`$util.urlEncode("a b&c=d/é") $util.urlDecode("a+b%26")`, ""},
	{`$util.base64Encode("é") $util.base64Decode("w6k=")`, ""},
	{`$util.parseJson('{"a": [1, 2]}').a.size()`, ""},
	{`$input.params('id') $input.params().path.id $input.params('X-H') $input.params('q')`, ""},
	{`#set($m = {"a": 1, "b": "x"})$m.a $m.b $m.size()`, ""},
	{`#foreach($k in $input.params().header.keySet())$k=$input.params().header.get($k);#end`, ""},
	{`#set($x = 1)#if($x == 1 && !false)y#end #if($x != "1")ne#end`, ""},
	{`## a comment
#* block *#x#[[ $raw #if ]]#`, ""},
	{`#set($s = "Hello")${s}World $!nope $!{nope}`, ""},
	{`#set($c = $context.requestId)$c $context.identity.sourceIp`, ""},
	{`#set($context.responseOverride.status = 409)$context.responseOverride.status`, ""},
	{`#set($i = 0)#foreach($x in [1..5])#if($x == 3)#break#end#set($i = $i + $x)#end$i`, ""},
	{`#set($s = "abc")$s.indexOf("c") $s.charAt(1) $s.contains("b") $s.startsWith("a") $s.trim().length()`, ""},
	{`#set($s = "😀x")$s.length() $s.substring(2)`, ""},
	{`#stop x`, ""},
	{`#set($a = 9223372036854775807)#set($b = $a * $a)#set($c = $b / $a)$b $c #if($b > $a)gt#end`, ""},
	{`a #set($x = 1)b`, ""},
	{"$!nope #set($c = 2)$c a\t#set($x = 1)b $c\t #set($d = 3)$d $c x #set($e = 4)", ""},
	{`#set($r = "x")\$r|\\$r|\\\$r|\\\\$r|\$n|\\$n|\\\$n|\\\\$n|a\\b \\ \x|\\$!r|\\${r}|\$!{r}`, ""},
	{`#set($b = 1)$b #set($c = 2)$c`, ""},
	{`$input.json('$.y.*') $input.json('$.nope[*]') $input.json('$.x[-1]') $input.path('$..z').size()`, ""},
	{`#set($a = [1, -2, "x", $input.params('id'), [3], {"k": 4}])$a.size()`, ""},
	{`#set($r = [1..-1])$r`, ""},
	{`#set($x = 1.)$x #set($y = .5)$y #set($z = 1e3)$z #set($w = -1.5e-2)$w #set($v = 2.50)$v #set($u = 1.0 / 3)$u`, ""},
	{`#set($a = 1)#set($a = $nope)[$a] #set($nope.x = 2)[$nope] #set($s = "x")#set($s.y = 1)[$s] #set($m = {})#set($m.a.b = 1)[$m] #set($m.c = 1)[$m] #foreach($i in [1..$nope])x#end #if($nope < 1)lt#{else}nlt#end #if($nope != 1)ne#end`, ""},
	{`#set($x = 1E3)$x #set($y = 7 / 2.0)$y #set($z = 1.5 + 1)$z`, ""},
	{`#set($a = 3)#set($b = "bee")$a{$b} $a{x.y}z $a{{$b} $a{ $b} ${a}{$b} $b.length(){$a.toString()} $a{${b}} #set($m = {"k": 1})$m.k{$a}`, ""},
	{`#set($a = 3)$a{x()}`, ""},
	{`#set($a = 3)$a{$b `, ""},
	{`#set($a = 3)#set($x-y = 2)$x-y|$a-1|$a - 1|#set($c = $a-1)$c`, ""},
	{`#set($a = 3)#set($c = $a -1)$c`, ""},
	{`#set($m = {"k": 1})$m.replace("k", 5)$m $m.replace("z", 5)$m $m.put("z", 6)$m`, ""},
	{`#set($s = "it's")$s.contains(5)|$s.indexOf(116)|$s.replace("i", 5)|$s.equals(5)|$s.substring("1")|$util.escapeJavaScript(5)|$util.escapeJavaScript($nope)|$util.parseJson($nope)`, ""},
	{`#set($a = 3)#if($a + 1)y#{else}n#end #if(!($a * 2))y#end #if($a + 1 == 4)y#end`, ""},
	{`#set($c = "a" + $nope)$c #set($c = $nope.x() + "b")$c #set($c = 1 + $nope)$c`, ""},
	{`#set($a = !true)$a`, ""},
}

// snippet is a template, and, while vtl and Velocity 1.7 still disagree on
// it, what vtl gets wrong (a bug to fix; see the hardening issue). The test
// fails when such a snippet starts to agree, so that the list only shrinks.
type snippet struct {
	T         string
	Divergent string
}

// TestAgainstVelocity renders every snippet, and every golden request and
// response template under hostile requests, with vtl and with the real
// engine, and requires them to agree.
func TestAgainstVelocity(t *testing.T) {
	render := referenceEngine(t)
	body := `{"x": [1, 2, 3], "y": {"z": "a/b", "a": 7}, "a": "top"}`
	var cases []velocityCase
	for _, s := range snippets {
		cases = append(cases, velocityCase{T: s.T, Body: body, Path: map[string]string{"id": "42"},
			Query: map[string]string{"q": "it's"}, Header: map[string]string{"X-H": `a"b`},
			Context: map[string]any{"requestId": "c0ffee", "identity": map[string]any{"sourceIp": "192.0.2.1"}}})
	}
	want := render(cases)
	known := 0
	for i, c := range cases {
		got, ok := agree(c, want[i])
		switch divergent := snippets[i].Divergent; {
		case !ok && divergent == "":
			t.Errorf("vtl and Velocity disagree on\n%s\nvtl:      %s\nVelocity: %s", c.T, got, describeResult(want[i]))
		case ok && divergent != "":
			t.Errorf("now agrees (%s): clear its Divergent:\n%s", divergent, c.T)
		case !ok:
			known++
		}
	}
	t.Logf("%d of %d snippets agree; %d known divergences remain", len(cases)-known, len(cases), known)
}

func describeResult(r velocityResult) string {
	if r.Out == nil {
		return "refuses: " + r.Error
	}
	return *r.Out
}

// goldenCases are every request and response template of the golden
// templates, under requests that carry each hand-picked breaker in every
// parameter, header and body field the template reads.
func goldenCases(t *testing.T) []velocityCase {
	t.Helper()
	fieldRe := regexp.MustCompile(`\$input\.json\('\$\.([A-Za-z0-9_.]+)'\)`)
	vars := func(name string) (string, bool) {
		return "arn:aws:states:us-east-1:123456789012:stateMachine:" + name, true
	}
	var out []velocityCase
	for _, p := range golden.Files(t, "template.json") {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := cfn.Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, r := range tpl.CFN.Resources {
			switch m := r.(type) {
			case *apigateway.Method:
				for _, prop := range m.Integration.RequestTemplates {
					text, err := tpl.Text(prop, vars)
					if err != nil {
						t.Fatal(err)
					}
					for _, v := range golden.HandPicked {
						c := velocityCase{T: text, Path: map[string]string{}, Query: map[string]string{}, Header: map[string]string{},
							Context: map[string]any{"requestId": "c0ffee", "identity": map[string]any{"sourceIp": "192.0.2.1", "userAgent": v}}}
						for key := range m.RequestParameters {
							loc, name, _ := strings.Cut(strings.TrimPrefix(key, "method.request."), ".")
							map[string]map[string]string{"path": c.Path, "querystring": c.Query, "header": c.Header}[loc][name] = v
						}
						body := map[string]any{}
						for _, f := range fieldRe.FindAllStringSubmatch(text, -1) {
							at := body
							parts := strings.Split(f[1], ".")
							for _, k := range parts[:len(parts)-1] {
								next, ok := at[k].(map[string]any)
								if !ok {
									next = map[string]any{}
									at[k] = next
								}
								at = next
							}
							at[parts[len(parts)-1]] = v
						}
						jb, _ := json.Marshal(body)
						c.Body = string(jb)
						out = append(out, c)
					}
				}
				for _, ir := range m.Integration.IntegrationResponses {
					for _, v := range golden.HandPicked {
						output, _ := json.Marshal(map[string]any{"v": v, "list": []any{v, 1.5, nil}})
						replies := []map[string]any{
							{"__type": "com.amazonaws#" + v, "message": v, "executionArn": v, "startDate": 1.7e9},
							// The runs of synchronous routes.
							{"status": "FAILED", "error": v, "cause": v},
							{"status": "TIMED_OUT", "cause": v},
						}
						if !strings.Contains(v, "\x7f") {
							// json-smart, the reference's JSON reader, drops a
							// DEL that follows an escaped quote in a string, as
							// an output document's values do: API Gateway's
							// strict reader would keep it.
							replies = append(replies, map[string]any{"status": "SUCCEEDED", "output": string(output)})
						}
						for _, reply := range replies {
							b, _ := json.Marshal(reply)
							out = append(out, velocityCase{T: ir.ResponseTemplates["application/json"], Body: string(b)})
						}
					}
				}
			case *apigateway.GatewayResponse:
				for _, v := range golden.HandPicked {
					quoted, _ := json.Marshal(v)
					out = append(out, velocityCase{T: m.ResponseTemplates["application/json"],
						Context: map[string]any{"error": map[string]any{"message": v, "messageString": string(quoted), "responseType": "BAD_REQUEST_BODY"}}})
				}
			}
		}
	}
	return out
}

// TestGoldenTemplatesAgainstVelocity: every template sfnapic writes renders
// the same in vtl as in the real engine, for every hostile value.
func TestGoldenTemplatesAgainstVelocity(t *testing.T) {
	render := referenceEngine(t)
	cases := goldenCases(t)
	want := render(cases)
	bad := 0
	for i, c := range cases {
		if got, ok := agree(c, want[i]); !ok {
			if bad++; bad <= 5 {
				t.Errorf("vtl and Velocity disagree on\n%s\nrequest: path %q query %q header %q body %q context %q\nvtl:      %q\nVelocity: %q", c.T, c.Path, c.Query, c.Header, c.Body, c.Context, got, describeResult(want[i]))
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d renderings disagree", bad, len(cases))
	}
	t.Logf("%d renderings of golden templates agree", len(cases))
}

// TestCasingAgainstJava compares toUpperCase and toLowerCase with Java's,
// one code point at a time, over all of Unicode.
func TestCasingAgainstJava(t *testing.T) {
	if _, err := exec.LookPath("javac"); err != nil {
		t.Skip("javac is not on PATH: the test compares with Java's case mapping")
	}
	dir := t.TempDir()
	if out, err := exec.Command("javac", "-d", dir, "testdata/velocity/Casing.java").CombinedOutput(); err != nil {
		t.Fatalf("javac: %v\n%s", err, out)
	}
	out, err := exec.Command("java", "-cp", dir, "Casing").Output()
	if err != nil {
		t.Fatal(err)
	}
	decode := func(h string) string {
		var b strings.Builder
		for _, p := range strings.Split(h, ",") {
			n, err := strconv.ParseUint(p, 16, 32)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteRune(rune(n))
		}
		return b.String()
	}
	bad, n := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		cp, _ := strconv.ParseUint(f[0], 16, 32)
		s := string(rune(cp))
		n++
		if u, l := decode(f[1]), decode(f[2]); javaToUpper(s) != u || javaToLower(s) != l {
			if bad++; bad <= 5 {
				t.Errorf("U+%04X: upper %q lower %q, Java %q %q", cp, javaToUpper(s), javaToLower(s), u, l)
			}
		}
	}
	if bad > 0 || n < 1_000_000 {
		t.Errorf("%d of %d code points differ", bad, n)
	}
}

// randomProgram writes a template from the subset vtl supports: text,
// #set of literals and arithmetic, references and their methods, #if,
// #foreach, $input and $util. Regex methods use literal patterns only (the
// regex divergences are listed among the snippets).
func randomProgram(r *rand.Rand, depth int) string {
	vars := []string{"$a", "$b", "$s", "$l", "$m", "$nope"}
	lit := func() string {
		switch r.Intn(7) {
		case 0:
			return strconv.Itoa(r.Intn(200) - 100)
		case 1:
			return `"` + []string{"", "x", "it's", "a b", "é", "$a", "\\n"}[r.Intn(7)] + `"`
		case 2:
			return `'` + []string{"", "y", "q\"", "#x"}[r.Intn(4)] + `'`
		case 3:
			return []string{"true", "false"}[r.Intn(2)]
		case 4:
			return "[1, 2, 3]"
		case 5:
			return `{"k": "v", "n": 2}`
		}
		return "[1..3]"
	}
	ref := func() string {
		v := vars[r.Intn(len(vars))]
		switch r.Intn(9) {
		case 0:
			return v + ".length()"
		case 1:
			return v + ".toUpperCase()"
		case 2:
			return v + ".size()"
		case 3:
			return v + `.replace("a", "b")`
		case 4:
			return v + `.contains("x")`
		case 5:
			return v + ".get(0)"
		case 6:
			return "$!" + v[1:]
		}
		return v
	}
	operand := func() string {
		if r.Intn(2) == 0 {
			return lit()
		}
		return ref()
	}
	expr := func() string {
		if r.Intn(3) == 0 {
			return operand() + " " + []string{"+", "-", "*", "/", "%", "==", "!=", "<", ">", "&&", "||"}[r.Intn(11)] + " " + operand()
		}
		return operand()
	}
	var b strings.Builder
	for i := r.Intn(5) + 1; i > 0; i-- {
		switch k := r.Intn(10); {
		case k < 2:
			b.WriteString([]string{"text ", "\n", " - ", "{", "}", "\"q\" "}[r.Intn(6)])
		case k < 4:
			fmt.Fprintf(&b, "#set(%s = %s)", vars[r.Intn(5)], expr())
		case k < 6:
			b.WriteString(ref())
		case k < 7 && depth < 3:
			fmt.Fprintf(&b, "#if(%s)%s#{else}%s#end", expr(), randomProgram(r, depth+1), randomProgram(r, depth+1))
		case k < 8 && depth < 3:
			fmt.Fprintf(&b, "#foreach($i in %s)$i$foreach.count%s#end", []string{"$l", "[1..3]", "$m.keySet()", `["a", "b"]`}[r.Intn(4)], randomProgram(r, depth+1))
		case k < 9:
			b.WriteString([]string{`$input.params('id')`, `$input.json('$.x')`, `$input.json('$.y.z')`, `$input.path('$.x').size()`,
				`$util.escapeJavaScript($s)`, `$util.urlEncode("a b")`, `$input.params().querystring.q`, `$context.requestId`}[r.Intn(8)])
		default:
			b.WriteString("$a$b")
		}
	}
	return b.String()
}

// TestRandomProgramsAgainstVelocity renders a fixed corpus of generated
// programs in both engines: 500 from seed 7, whose disagreements are
// counted exactly. SFNAPIC_PROGRAM_SEED and SFNAPIC_PROGRAMS generate
// another corpus (a seed, a number of programs), whose count is only
// logged: docs/render.md quotes one.
func TestRandomProgramsAgainstVelocity(t *testing.T) {
	render := referenceEngine(t)
	seed, n, fixed := programCorpus(t)
	r := rand.New(rand.NewSource(seed))
	var cases []velocityCase
	for i := 0; i < n; i++ {
		cases = append(cases, velocityCase{T: "#set($a = 3)#set($b = \"bee\")#set($s = \"it's\")#set($l = [1, 2])#set($m = {\"k\": 1})" + randomProgram(r, 0),
			Body: `{"x": [1, 2, 3], "y": {"z": "a/b"}}`, Path: map[string]string{"id": "42"}, Query: map[string]string{"q": "it's"},
			Context: map[string]any{"requestId": "c0ffee"}})
	}
	want := render(cases)
	bad := 0
	for i, c := range cases {
		if got, ok := agree(c, want[i]); !ok {
			if bad++; bad <= 3 {
				t.Logf("vtl and Velocity disagree on\n%s\nvtl:      %q\nVelocity: %q", c.T, got, describeResult(want[i]))
			}
		}
	}
	// Two programs still disagree, both the lexer state Velocity 1.7
	// carries across a directive: "{" after "#end" when a reference ended
	// the block (vtl renders it; Velocity reads it as the inside of ${...}
	// and refuses the template). The count may only go down.
	const knownRandomDisagreements = 2
	switch {
	case !fixed:
	case bad > knownRandomDisagreements:
		t.Errorf("%d of %d programs disagree, more than the %d known", bad, len(cases), knownRandomDisagreements)
	case bad < knownRandomDisagreements:
		t.Errorf("%d of %d programs disagree, fewer than the %d known: lower knownRandomDisagreements", bad, len(cases), knownRandomDisagreements)
	}
	t.Logf("%d of %d generated programs agree (seed %d)", len(cases)-bad, len(cases), seed)
}

// programCorpus is the seed and size of TestRandomProgramsAgainstVelocity's
// corpus, and whether it is the fixed one.
func programCorpus(t *testing.T) (seed int64, n int, fixed bool) {
	seed, n = 7, 500
	if v := os.Getenv("SFNAPIC_PROGRAM_SEED"); v != "" {
		s, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("SFNAPIC_PROGRAM_SEED=%q: %v", v, err)
		}
		seed = s
	}
	if v := os.Getenv("SFNAPIC_PROGRAMS"); v != "" {
		c, err := strconv.Atoi(v)
		if err != nil || c < 1 {
			t.Fatalf("SFNAPIC_PROGRAMS=%q: want a number of programs", v)
		}
		n = c
	}
	return seed, n, seed == 7 && n == 500
}
