package pathparam

import "testing"

func TestParse(t *testing.T) {
	for _, c := range []struct {
		seg        string
		name       string
		greedy, ok bool
	}{
		{"{id}", "id", false, true},
		{"{path+}", "path", true, true},
		{"{a}", "a", false, true},
		{"{}", "", false, false},
		{"{+}", "", false, false},
		{"id", "", false, false},
		{"{id", "", false, false},
		{"id}", "", false, false},
	} {
		name, greedy, ok := Parse(c.seg)
		if name != c.name || greedy != c.greedy || ok != c.ok {
			t.Errorf("Parse(%q) = %q, %v, %v; want %q, %v, %v", c.seg, name, greedy, ok, c.name, c.greedy, c.ok)
		}
	}
}
