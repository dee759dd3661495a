package compile

import (
	"testing"

	"github.com/sfnapic/sfnapic/vtl"
)

// FuzzRequestValue sends fuzzed values through every request template of
// the reddit-api and request-shaping cases, in every location, under the
// two extreme variants: the body must stay strict JSON and every value
// must arrive unchanged. The seed corpus is the hand-picked breakers.
//
//	go test ./compile -run '^$' -fuzz FuzzRequestValue -fuzztime 10m
func FuzzRequestValue(f *testing.F) {
	for _, v := range handPicked {
		f.Add(v)
	}
	specs := validGoldenSpecs(&testing.T{})
	var cases []routeCase
	for _, name := range []string{"reddit-api", "request-shaping"} {
		cases = append(cases, requestTemplates(&testing.T{}, specs[name])...)
	}
	variants := []vtl.Variant{{}, {Velocity2: true, KeepSlash: true, KeepNonASCII: true, KeepApostrophe: true, MissingJSONIsNull: true}}
	f.Fuzz(func(t *testing.T, v string) {
		if len(v) > 1<<16 {
			return
		}
		for _, rc := range cases {
			for _, variant := range variants {
				if err := checkRender(rc, v, variant, false); err != nil {
					t.Fatalf("%s %s (%s), value %q: %v", rc.route.Method, rc.route.Path, rc.contentType, v, err)
				}
			}
		}
	})
}
