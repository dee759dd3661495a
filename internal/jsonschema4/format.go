package jsonschema4

// The formats draft-04 defines (JSON Schema Validation draft-04, section
// 7.3), checked as the RFCs it names write them. Draft-04 lets a
// validator ignore a format it does not know, and this package ignores
// every other name: API Gateway's models are draft-04, so a schema
// naming uuid or date asserted nothing there either. "regex" is the
// exception, kept in schema.go: the draft-04 metaschema itself says
// "pattern" is {"format": "regex"}, and that is how a bad pattern is a
// schema error.

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// formats maps a format's name to its check of a string.
var formats = map[string]func(string) error{
	"date-time": checkDateTime,
	"email":     checkEmail,
	"hostname":  checkHostname,
	"ipv4":      checkIPv4,
	"ipv6":      checkIPv6,
	"uri":       checkURI,
}

// stringFormat makes a string check a check of any value: a format says
// nothing about a value that is not a string.
func stringFormat(check func(string) error) func(any) error {
	return func(v any) error {
		if s, ok := v.(string); ok {
			return check(s)
		}
		return nil
	}
}

// digits reads s[i:i+n] as a decimal number; ok is false unless all n
// bytes are ASCII digits.
func digits(s string, i, n int) (v int, ok bool) {
	if i+n > len(s) {
		return 0, false
	}
	for _, c := range []byte(s[i : i+n]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// checkDateTime: RFC 3339 section 5.6 date-time, full-date "T" full-time,
// with the day checked against its month (section 5.7) and a leap second
// only where one can fall, the last second of a UTC day.
func checkDateTime(s string) error {
	if len(s) < 20 {
		return errors.New("too short for YYYY-MM-DDThh:mm:ssZ")
	}
	year, okY := digits(s, 0, 4)
	month, okM := digits(s, 5, 2)
	day, okD := digits(s, 8, 2)
	if !okY || !okM || !okD || s[4] != '-' || s[7] != '-' {
		return errors.New("date is not YYYY-MM-DD")
	}
	if month < 1 || month > 12 {
		return fmt.Errorf("month %02d is not 01 to 12", month)
	}
	if day < 1 || day > daysIn(year, month) {
		return fmt.Errorf("day %02d is not in month %02d of %04d", day, month, year)
	}
	if s[10] != 'T' && s[10] != 't' {
		return errors.New("date and time must be separated by T")
	}
	return checkTime(s[11:])
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// checkTime: RFC 3339 full-time, hh:mm:ss[.frac] then Z or ±hh:mm.
func checkTime(s string) error {
	hour, okH := digits(s, 0, 2)
	minute, okM := digits(s, 3, 2)
	second, okS := digits(s, 6, 2)
	if !okH || !okM || !okS || s[2] != ':' || s[5] != ':' {
		return errors.New("time is not hh:mm:ss")
	}
	if hour > 23 || minute > 59 || second > 60 {
		return errors.New("hour, minute or second out of range")
	}
	rest := s[8:]
	if strings.HasPrefix(rest, ".") {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 {
			return errors.New("no digits after the decimal point")
		}
		rest = rest[n:]
	}
	offset, err := checkOffset(rest)
	if err != nil {
		return err
	}
	// A leap second is 23:59:60 in UTC: the local time minus the offset.
	if second == 60 && ((hour*60+minute-offset)%1440+1440)%1440 != 23*60+59 {
		return errors.New("a leap second is only at 23:59:60 UTC")
	}
	return nil
}

// checkOffset reads Z or ±hh:mm, giving the offset in minutes.
func checkOffset(s string) (int, error) {
	if s == "Z" || s == "z" {
		return 0, nil
	}
	hour, okH := digits(s, 1, 2)
	minute, okM := digits(s, 4, 2)
	if len(s) != 6 || (s[0] != '+' && s[0] != '-') || !okH || !okM || s[3] != ':' {
		return 0, errors.New("time offset is not Z or ±hh:mm")
	}
	if hour > 23 || minute > 59 {
		return 0, errors.New("time offset out of range")
	}
	if s[0] == '-' {
		return -(hour*60 + minute), nil
	}
	return hour*60 + minute, nil
}

// checkHostname: RFC 1123 section 2.1 (RFC 952's names, a label may
// start with a digit): dot-separated labels of 1 to 63 letters, digits
// and hyphens, neither starting nor ending with a hyphen; 253 at most.
func checkHostname(s string) error {
	if len(s) > 253 {
		return errors.New("more than 253 characters long")
	}
	for _, label := range strings.Split(s, ".") {
		if len(label) < 1 || len(label) > 63 {
			return errors.New("label must be 1 to 63 characters long")
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("label %q starts or ends with a hyphen", label)
		}
		for _, c := range label {
			if !isAlnum(c) && c != '-' {
				return fmt.Errorf("invalid character %q", c)
			}
		}
	}
	return nil
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// checkIPv4: RFC 2673 section 3.2's dotted-quad, four decimals 0 to 255
// without leading zeros (which some readers take as octal).
func checkIPv4(s string) error {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return errors.New("expected four decimals separated by dots")
	}
	for _, p := range parts {
		n, ok := digits(p, 0, len(p))
		switch {
		case !ok || p == "":
			return fmt.Errorf("%q is not a decimal", p)
		case len(p) > 1 && p[0] == '0':
			return fmt.Errorf("%q has a leading zero", p)
		case len(p) > 3 || n > 255:
			return fmt.Errorf("%s is more than 255", p)
		}
	}
	return nil
}

// checkIPv6: RFC 4291 section 2.2's text forms, as net/netip reads them;
// a zone (fe80::1%eth0) is no part of an address.
func checkIPv6(s string) error {
	if !strings.Contains(s, ":") {
		return errors.New("missing colon")
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return err
	}
	if a.Zone() != "" {
		return errors.New("a zone is not part of an ipv6 address")
	}
	return nil
}

// checkEmail: RFC 5322 section 3.4.1's addr-spec, in its common subset:
// a dot-atom or quoted-string local part of at most 64 characters (RFC
// 5321 section 4.5.3.1.1), "@", and a domain that is a hostname or an
// address literal (RFC 5321 section 4.1.3: [192.0.2.1] or
// [IPv6:2001:db8::1]). Comments, folding white space and the obsolete
// forms are left out: no mail system hands them to an API.
func checkEmail(s string) error {
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return errors.New("missing @")
	}
	local, domain := s[:at], s[at+1:]
	if local == "" {
		return errors.New("nothing before @")
	}
	if len(local) > 64 {
		return errors.New("local part more than 64 characters long")
	}
	var err error
	if strings.HasPrefix(local, `"`) {
		err = checkQuoted(local)
	} else {
		err = checkDotAtom(local)
	}
	if err != nil {
		return err
	}
	if inner, ok := strings.CutPrefix(domain, "["); ok {
		return checkAddressLiteral(inner)
	}
	if err := checkHostname(domain); err != nil {
		return fmt.Errorf("invalid domain: %v", err)
	}
	return nil
}

// checkDotAtom: atoms of atext (RFC 5322 section 3.2.3) joined by dots.
func checkDotAtom(s string) error {
	for _, atom := range strings.Split(s, ".") {
		if atom == "" {
			return errors.New("local part has an empty atom (a dot at either end, or two together)")
		}
		for _, c := range atom {
			if !isAlnum(c) && !strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", c) {
				return fmt.Errorf("invalid character %q in local part", c)
			}
		}
	}
	return nil
}

// checkQuoted: a quoted-string (RFC 5322 section 3.2.4) of printable
// ASCII and spaces, where a backslash quotes the character after it.
func checkQuoted(s string) error {
	if len(s) < 2 || !strings.HasSuffix(s, `"`) {
		return errors.New("quoted local part has no closing quote")
	}
	inner := s[1 : len(s)-1]
	for i := 0; i < len(inner); i++ {
		c := inner[i]
		if c < ' ' || c > '~' {
			return fmt.Errorf("invalid character %q in quoted local part", c)
		}
		if c == '"' {
			return errors.New("a quote inside a quoted local part must be escaped with a backslash")
		}
		if c == '\\' {
			if i++; i == len(inner) {
				return errors.New("quoted local part ends in a lone backslash")
			}
			if inner[i] < ' ' || inner[i] > '~' {
				return fmt.Errorf("invalid character %q in quoted local part", inner[i])
			}
		}
	}
	return nil
}

// checkAddressLiteral reads what follows "[" in a domain.
func checkAddressLiteral(s string) error {
	addr, ok := strings.CutSuffix(s, "]")
	if !ok {
		return errors.New("address literal has no closing ]")
	}
	if len(addr) >= 5 && strings.EqualFold(addr[:5], "IPv6:") {
		if err := checkIPv6(addr[5:]); err != nil {
			return fmt.Errorf("invalid ipv6 address: %v", err)
		}
		return nil
	}
	if err := checkIPv4(addr); err != nil {
		return fmt.Errorf("invalid ipv4 address (an ipv6 address is written [IPv6:...]): %v", err)
	}
	return nil
}

// checkURI: RFC 3986 section 4.3's absolute-URI and section 3's URI: a
// scheme (a letter, then letters, digits, "+", "-" and "."), ":", and
// then only the characters section 2 allows, each "%" starting a
// two-hex-digit escape; net/url then checks the authority (host, port).
func checkURI(s string) error {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || !validScheme(scheme) {
		return errors.New("not an absolute URI: it must start with a scheme (https:, urn:, ...)")
	}
	for i, c := range s {
		if c == '%' {
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return fmt.Errorf("%%-escape at offset %d is not %% and two hex digits", i)
			}
		} else if c > '~' || !isAlnum(c) && !strings.ContainsRune("-._~:/?#[]@!$&'()*+,;=", c) {
			return fmt.Errorf("invalid character %q", c)
		}
	}
	if _, err := url.Parse(s); err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return ue.Err // without url.Parse's repeat of the value
		}
		return err
	}
	return nil
}

func validScheme(s string) bool {
	for i, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') && (i == 0 || !isAlnum(c) && c != '+' && c != '-' && c != '.') {
			return false
		}
	}
	return s != ""
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
