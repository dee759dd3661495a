package vtl

import "testing"

// TestNumbersAgainstVelocity holds the spelling of numbers to the real
// engine, character for character: agree() forgives JSON that means the
// same, but a client reading a startDate sees 1.7E9, not 1.7e+09. Doubles
// read from a body are written by json-smart ($input.json) and by
// Double.toString ($input.path), both Java's spelling.
func TestNumbersAgainstVelocity(t *testing.T) {
	render := referenceEngine(t)
	body := `{"a": 1.7E9, "b": 1.795937524845E9, "c": 0.5, "d": 1e-7, "e": 12345678.9, "f": 1E7, "g": 100.0, "h": -2.5e-4, "i": 0.001, "j": 9999999.0, "k": 7, "l": [1.5e300, -0.0]}`
	var cases []velocityCase
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"} {
		cases = append(cases,
			velocityCase{T: "$input.json('$." + k + "')", Body: body},
			velocityCase{T: "$input.path('$." + k + "')", Body: body})
	}
	// (A list that $input.path returns prints as JSON in the reference,
	// a json-smart JSONArray, and as [a, b] in vtl; no sfnapic template
	// prints one, and which Jayway API Gateway runs is not documented.)
	cases = append(cases, velocityCase{T: "$input.json('$.l')", Body: body})
	cases = append(cases, velocityCase{T: "$input.json('$')", Body: body})
	want := render(cases)
	for i, c := range cases {
		res, err := RenderString(c.T, &Request{Body: c.Body}, Variant{})
		switch {
		case want[i].Out == nil:
			t.Errorf("%s: Velocity refuses (%s)", c.T, want[i].Error)
		case err != nil:
			t.Errorf("%s: vtl: %v; Velocity: %s", c.T, err, *want[i].Out)
		case res.Body != *want[i].Out:
			t.Errorf("%s: vtl %s, Velocity %s", c.T, res.Body, *want[i].Out)
		}
	}
}
