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
func benchSpec(tb testing.TB, n int) *spec.Spec {
	var whole *spec.Spec
	for first := 0; first < n; first += spec.MaxRoutes {
		s := benchChunk(tb, first, min(n, first+spec.MaxRoutes))
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
func benchChunk(tb testing.TB, first, last int) *spec.Spec {
	var b strings.Builder
	b.WriteString("version: 1\napi:\n  name: bench\nstateMachines:\n  flow:\n    definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}\nroutes:\n")
	verbs := []string{"GET", "POST", "PUT", "DELETE"}
	for i := first; i < last; i++ {
		fmt.Fprintf(&b, "  %s /things%d/{id}:\n    stateMachine: flow\n    input:\n      id: path.id\n      page: query.page\n      who: header.X-User\n      thing.name: body.name\n", verbs[i%4], i/4)
	}
	s, errs := spec.Parse("bench.yaml", []byte(b.String()), nil)
	if s == nil || len(errs) > 0 {
		tb.Fatalf("bench spec: %s", errs)
	}
	return s
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
