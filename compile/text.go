package compile

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// fit shortens prose that compile writes around a name (a description, an
// output's text) to at most max bytes, cut at a character boundary and
// ending in "...". The names themselves are the spec's to check; the prose
// is compile's, so a long API name must not make its own template
// invalid. The limits are CloudFormation's: a template's Description and
// an output's Description at most 1,024 bytes ("CloudFormation quotas"),
// AWS::StepFunctions::StateMachineVersion and StateMachineAlias
// Description at most 256 characters.
func fit(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len("...")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// Description limits, in bytes (see fit).
const (
	maxTemplateDescription = 1024
	maxOutputDescription   = 1024
	maxVersionDescription  = 256
)

// escapeUnprintable writes, in JSON text, each character that YAML 1.1
// does not allow in a document as a \u escape. encoding/json writes DEL,
// the C1 controls (U+0080 to U+009F but U+0085) and U+FFFE/U+FFFF raw,
// yet cfn-lint reads a JSON template as YAML and refuses them
// ("unacceptable character #x007f"), and so CloudFormation's YAML-or-JSON
// reader may. Such a character can only stand inside a JSON string, where
// \u is its escape, so the document means the same.
func escapeUnprintable(js []byte) []byte {
	if !hasUnprintable(js) {
		return js
	}
	var b bytes.Buffer
	b.Grow(len(js) + 64)
	for i := 0; i < len(js); {
		r, n := utf8.DecodeRune(js[i:])
		if unprintable(r) {
			fmt.Fprintf(&b, `\u%04x`, r)
		} else {
			b.Write(js[i : i+n])
		}
		i += n
	}
	return b.Bytes()
}

// hasUnprintable looks for the UTF-8 bytes that can start an unprintable
// character: DEL itself, 0xC2 (U+0080 to U+00BF) and 0xEF (U+F000 to
// U+FFFF), so that the common template is scanned once, byte by byte.
func hasUnprintable(js []byte) bool {
	for i, c := range js {
		switch c {
		case 0x7f:
			return true
		case 0xc2, 0xef:
			if r, _ := utf8.DecodeRune(js[i:]); unprintable(r) {
				return true
			}
		}
	}
	return false
}

// unprintable reports the characters that YAML 1.1 refuses and
// encoding/json leaves raw (it escapes those below U+0020 itself).
func unprintable(r rune) bool {
	return r == 0x7f || (r >= 0x80 && r <= 0x9f && r != 0x85) || r == 0xfffe || r == 0xffff
}
