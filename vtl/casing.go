package vtl

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// javaToUpper is Java's String.toUpperCase: full case mapping (ß becomes
// SS), with Java 17's Unicode tables where they differ from Go's
// (casing_table.go).
func javaToUpper(s string) string { return javaCase(s, javaUpper, strings.ToUpper, false) }

// javaToLower is Java's String.toLowerCase, final sigma included (Σ at the
// end of a word becomes ς).
func javaToLower(s string) string { return javaCase(s, javaLower, strings.ToLower, true) }

func javaCase(s string, table map[rune]string, simple func(string) string, sigma bool) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return simple(s)
	}
	var b strings.Builder
	for i, r := range s {
		switch m, ok := table[r]; {
		case ok:
			b.WriteString(m)
		case sigma && r == 'Σ' && finalSigma(s, i):
			b.WriteRune('ς')
		default:
			b.WriteString(simple(string(r)))
		}
	}
	return b.String()
}

// finalSigma is Unicode's Final_Sigma condition for the Σ at byte i: a
// cased letter before it and none after it, skipping the marks between.
func finalSigma(s string, i int) bool {
	before := false
	for j := i; j > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		j -= size
		if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		before = unicode.IsLetter(r) && (unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r))
		break
	}
	if !before {
		return false
	}
	for _, r := range s[i+len("Σ"):] {
		if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		return !(unicode.IsLetter(r) && (unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r)))
	}
	return true
}
