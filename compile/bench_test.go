package compile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/spec"
)

// benchSpec generates a spec of n routes: n/4 resources, each with four
// verbs, nested two levels deep, each route mapping a path parameter, a
// query parameter, a header and a body field. The parser refuses more than
// spec.MaxRoutes routes (a stack could not hold them), so larger specs are
// parsed in chunks and joined: the compiler's own cost is what is measured.
func benchSpec(tb testing.TB, n int) *spec.Spec { return benchSpecOf(tb, n, false) }

// benchSpecOf is benchSpec, with access set: every route behind a Cognito
// authorizer (the default), CORS for two origins, a key of a usage plan on
// every GET and a body schema on every POST and PUT.
func benchSpecOf(tb testing.TB, n int, access bool) *spec.Spec {
	return benchSpecWith(tb, n, access, benchPlainMachine)
}

// benchPlainMachine is the one state machine of the benchmark spec, which
// every route starts.
const benchPlainMachine = "stateMachines:\n  flow:\n    definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}\n"

// benchSpecWith is benchSpecOf with the given top-level sections after
// api (a state machine called flow among them) instead of the plain one.
func benchSpecWith(tb testing.TB, n int, access bool, sections string) *spec.Spec {
	var whole *spec.Spec
	for first := 0; first < n; first += spec.MaxRoutes {
		s := benchChunk(tb, first, min(n, first+spec.MaxRoutes), access, sections)
		if whole == nil {
			whole = s
			continue
		}
		for _, r := range s.Routes {
			r.StateMachine = whole.StateMachines[0]
		}
		whole.Routes = append(whole.Routes, s.Routes...)
	}
	return whole
}

// benchChunk parses routes [first, last) of the benchmark spec.
func benchChunk(tb testing.TB, first, last int, access bool, sections string) *spec.Spec {
	var b strings.Builder
	b.WriteString("version: 1\napi:\n  name: bench\n")
	if access {
		b.WriteString(benchAccess)
	}
	b.WriteString(sections + "routes:\n")
	verbs := []string{"GET", "POST", "PUT", "DELETE"}
	for i := first; i < last; i++ {
		fmt.Fprintf(&b, "  %s /things%d/{id}:\n    stateMachine: flow\n    input:\n      id: path.id\n      page: query.page\n      who: header.X-User\n      thing.name: body.name\n", verbs[i%4], i/4)
		switch {
		case !access:
		case verbs[i%4] == "GET":
			b.WriteString("    apiKey: partners\n")
		case verbs[i%4] != "DELETE":
			b.WriteString("    body: {schema: {type: object, required: [name], properties: {name: {type: string, maxLength: 100}}}}\n")
		}
	}
	s, errs := spec.Parse("bench.yaml", []byte(b.String()), nil)
	if s == nil || len(errs) > 0 {
		tb.Fatalf("bench spec: %s", errs)
	}
	return s
}

// benchAccess is the api settings of benchSpecOf's access spec.
const benchAccess = `  auth: users
  authorizers:
    users: {type: cognito, userPools: [arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf]}
  cors: {origins: [https://shop.example.com, https://admin.example.com], headers: [Content-Type], maxAge: 10m}
  usagePlans:
    partners: {throttle: {rate: 50, burst: 100}, keys: [acme]}
`

// BenchmarkBuildAccess is BenchmarkBuild's 100 routes with who may call
// each (issue 18): an authorizer, CORS for two origins, keys, bodies; the
// docs/performance.md compares its time per route, and per byte written, with the
// plain spec's.
//
//	go test ./compile -run '^$' -bench 'Build(Access)?/routes=100/json' -benchmem -count 5
func BenchmarkBuildAccess(b *testing.B) {
	s := benchSpecOf(b, 100, true)
	b.Run("routes=100/json", func(b *testing.B) {
		b.ReportAllocs()
		var size int
		for b.Loop() {
			out, _, err := Build(s, "json")
			if err != nil {
				b.Fatal(err)
			}
			size = len(out)
		}
		b.ReportMetric(float64(size), "bytes/template")
	})
}

// BenchmarkBuild measures the compiler itself: Compile plus serialization
// (and the limit diagnostics, which only count), for 1, 100 and 1000
// routes, as JSON and as YAML.
//
//	go test ./compile -run '^$' -bench Build -benchmem
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		s := benchSpec(b, n)
		for _, format := range []string{"json", "yaml"} {
			b.Run(fmt.Sprintf("routes=%d/%s", n, format), func(b *testing.B) {
				b.ReportAllocs()
				var size int
				for b.Loop() {
					// Build's limit check only counts: it never stops the
					// compiler, whatever the size.
					out, _, err := Build(s, format)
					if err != nil {
						b.Fatal(err)
					}
					size = len(out)
				}
				b.ReportMetric(float64(size), "bytes/template")
			})
		}
	}
}
