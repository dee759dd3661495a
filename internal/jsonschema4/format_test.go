package jsonschema4_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/jsonschema4"
)

// formatCases: each of draft-04's six formats, as its RFC writes it; why
// is the message's reason when the string is not of the format.
var formatCases = []struct{ format, value, why string }{
	{"date-time", "2020-01-01T00:00:00Z", ""},
	{"date-time", "2020-01-01t00:00:00.125z", ""},
	{"date-time", "2020-01-01T00:00:00.123+05:30", ""},
	{"date-time", "2020-02-29T00:00:00Z", ""},
	{"date-time", "1990-12-31T23:59:60Z", ""},
	{"date-time", "1990-12-31T15:59:60-08:00", ""},
	{"date-time", "2021-02-29T00:00:00Z", "day 29 is not in month 02 of 2021"},
	{"date-time", "2020-04-31T00:00:00Z", "day 31 is not in month 04 of 2020"},
	{"date-time", "2020-13-01T00:00:00Z", "month 13 is not 01 to 12"},
	{"date-time", "1990-12-31T23:58:60Z", "a leap second is only at 23:59:60 UTC"},
	{"date-time", "2020-01-01T24:00:00Z", "hour, minute or second out of range"},
	{"date-time", "2020-01-01 00:00:00Z", "date and time must be separated by T"},
	{"date-time", "2020-01-01T00:00:00.Z", "no digits after the decimal point"},
	{"date-time", "2020-01-01T00:00:00+0530", "time offset is not Z or ±hh:mm"},
	{"date-time", "2020-01-01T00:00:00+24:00", "time offset out of range"},
	{"date-time", "2020-01-01T00:00:00", "too short for YYYY-MM-DDThh:mm:ssZ"},
	{"date-time", "2020/01/01T00:00:00Z", "date is not YYYY-MM-DD"},
	{"date-time", "2020-01-01T00-00-00Z", "time is not hh:mm:ss"},
	{"email", "a@b.c", ""},
	{"email", "a.b+tag@b-c.example", ""},
	{"email", `"a b"@c.d`, ""},
	{"email", `"a\"b"@c.d`, ""},
	{"email", "a@[127.0.0.1]", ""},
	{"email", "a@[IPv6:2001:db8::1]", ""},
	{"email", "ab", "missing @"},
	{"email", "@b.c", "nothing before @"},
	{"email", "a..b@c.d", "local part has an empty atom (a dot at either end, or two together)"},
	{"email", "a b@c.d", "invalid character ' ' in local part"},
	{"email", `"a"b"@c.d`, "a quote inside a quoted local part must be escaped with a backslash"},
	{"email", `"a\"@c.d`, "quoted local part ends in a lone backslash"},
	{"email", `"ab@c.d`, "quoted local part has no closing quote"},
	{"email", strings.Repeat("a", 65) + "@b.c", "local part more than 64 characters long"},
	{"email", "a@b.c.", "invalid domain: label must be 1 to 63 characters long"},
	{"email", "a@b_c.d", "invalid domain: invalid character '_'"},
	{"email", "a@[::1]", `invalid ipv4 address (an ipv6 address is written [IPv6:...]): expected four decimals separated by dots`},
	{"email", "a@[IPv6:1.2.3.4]", `invalid ipv6 address: missing colon`},
	{"email", "a@[127.0.0.1", "address literal has no closing ]"},
	{"hostname", "a", ""},
	{"hostname", "xn--bcher-kva.example", ""},
	{"hostname", "1.2.3.4", ""},
	{"hostname", strings.Repeat("a", 63) + ".b", ""},
	{"hostname", strings.Repeat("a", 64), "label must be 1 to 63 characters long"},
	{"hostname", strings.Repeat("a.", 127) + "a", "more than 253 characters long"},
	{"hostname", "a.b.", "label must be 1 to 63 characters long"},
	{"hostname", "", "label must be 1 to 63 characters long"},
	{"hostname", "a.-b", `label "-b" starts or ends with a hyphen`},
	{"hostname", "é", "invalid character 'é'"},
	{"ipv4", "0.0.0.0", ""},
	{"ipv4", "255.255.255.255", ""},
	{"ipv4", "01.2.3.4", `"01" has a leading zero`},
	{"ipv4", "256.1.1.1", "256 is more than 255"},
	{"ipv4", "1.2.3.99999999999999999999", "99999999999999999999 is more than 255"},
	{"ipv4", "1.2.3", "expected four decimals separated by dots"},
	{"ipv4", "+1.2.3.4", `"+1" is not a decimal`},
	{"ipv4", "1..2.3", `"" is not a decimal`},
	{"ipv6", "::1", ""},
	{"ipv6", "::ffff:1.2.3.4", ""},
	{"ipv6", "1:2:3:4:5:6:7:8", ""},
	{"ipv6", "1.2.3.4", "missing colon"},
	{"ipv6", "fe80::1%eth0", "a zone is not part of an ipv6 address"},
	{"ipv6", "1:2:3:4:5:6:7:8:9", `ParseAddr("1:2:3:4:5:6:7:8:9"): trailing garbage after address (at "9")`},
	{"uri", "http://x/y?q=[1]#f", ""},
	{"uri", "urn:isbn:0451450523", ""},
	{"uri", "a+b-c.d:e", ""},
	{"uri", "http://x/%41", ""},
	{"uri", "/relative", "not an absolute URI: it must start with a scheme (https:, urn:, ...)"},
	{"uri", "1a:b", "not an absolute URI: it must start with a scheme (https:, urn:, ...)"},
	{"uri", "http://x/a b", "invalid character ' '"},
	{"uri", "http://x/é", "invalid character 'é'"},
	{"uri", "http://x/{y}", "invalid character '{'"},
	{"uri", "http://x/%zz", "%-escape at offset 9 is not % and two hex digits"},
	{"uri", "http://[/", "missing ']' in host"},
}

func TestFormats(t *testing.T) {
	for _, c := range formatCases {
		s := mustCompile(t, fmt.Sprintf(`{"format": %q}`, c.format))
		err := s.Validate(parse(t, fmt.Sprintf("%q", c.value)))
		var got string
		if err != nil {
			e := err.(*jsonschema4.Error).Causes[0]
			got = e.FormatErr.Error()
			if want := fmt.Sprintf(" is not valid %s: %s", c.format, c.why); !strings.HasSuffix(e.Message(), want) {
				t.Errorf("message %q, want it to end %q", e.Message(), want)
			}
		}
		if got != c.why {
			t.Errorf("%s %q: got %q, want %q", c.format, c.value, got, c.why)
		}
	}
}

func mustCompile(t *testing.T, schema string) *jsonschema4.Schema {
	t.Helper()
	s, err := jsonschema4.Compile(loc, parse(t, schema), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFormatsOnlyStrings: a format says nothing of a value that is not a
// string; and the names draft-04 does not define are ignored (the library
// asserted uuid, date, ... in draft-04 too), but regex, which the
// metaschema uses for "pattern".
func TestFormatsOnlyStrings(t *testing.T) {
	for _, v := range []string{`1`, `null`, `true`, `[]`, `{}`} {
		if err := mustCompile(t, `{"format": "email"}`).Validate(parse(t, v)); err != nil {
			t.Errorf("email, %s: %v", v, err)
		}
	}
	for _, f := range []string{"uuid", "date", "time", "duration", "uri-reference", "json-pointer", "semver", "period", "iri"} {
		if err := mustCompile(t, fmt.Sprintf(`{"format": %q}`, f)).Validate(parse(t, `"?? not one ??"`)); err != nil {
			t.Errorf("%s is asserted: %v", f, err)
		}
	}
	if mustCompile(t, `{"format": "regex"}`).Validate(parse(t, `"("`)) == nil {
		t.Error("regex is not asserted")
	}
}

// TestFormatsWhereTheLibraryDiffers: where the library's verdict is not
// the RFC's, this package follows the RFC (formatCases holds each), and
// the differential tests skip the class (rfcDiffers). The library must
// still differ (else the skip is needless) and rfcDiffers must see each.
func TestFormatsWhereTheLibraryDiffers(t *testing.T) {
	for _, c := range []struct{ format, value string }{
		{"uri", "http://x/a b"}, {"uri", "http://x/é"}, {"uri", "http://x/{y}"}, {"uri", `http://x/a\b`},
		{"email", `"a\"b"@c.d`}, {"email", "@b.c"}, {"email", "a@b.c."},
		{"hostname", "a.b."},
		{"ipv4", "+1.2.3.4"},
	} {
		schema, value := fmt.Sprintf(`{"format": %q}`, c.format), fmt.Sprintf("%q", c.value)
		lib, err := libCompile(schema)
		if err != nil {
			t.Fatal(err)
		}
		ours := mustCompile(t, schema).Validate(parse(t, value))
		if (lib.Validate(parse(t, value)) == nil) == (ours == nil) {
			t.Errorf("%s %s: the library now agrees; drop the case from rfcDiffers", c.format, value)
		}
		if !rfcDiffers(c.format, c.value) {
			t.Errorf("%s %s: rfcDiffers misses it", c.format, value)
		}
	}
}
