package golden

import (
	"math/rand"
	"strings"
)

// HandPicked are the classic breakers of mapping templates.
var HandPicked = []string{
	"", "'", `"`, `\`, `\'`, `\\'`, `\"`, `\\`, `C:\temp\new`, `it's`, `He didn't say, "Stop!"`,
	"\r", "\n", "\t", "\x00", "\x01", "\x1f", "\x7f", "a\r\nb", "\u2028", "\u2029", "\u0085",
	"😀", "🎉x😀", "é", "日本語", "\uFEFF", "$", "#", "${x}", "$!{x}", "${!x}", "$input.params('x')",
	"#set($a=1)", "#end", "##", "</script>", `{"a":1}`, `["x"]`, "null", "true", "false", "123", "-0",
	"a/b", `\/`, `\u0041`, "%41", "+", " leading and trailing ", "$1", `\$1`, `\'\'\\'`,
}

// TrickyStrings are the values every template and writer must carry unchanged:
// the hand-picked ones, every ASCII character, and random strings mixing
// ASCII, the BMP, astral characters and the characters VTL and JSON treat
// specially.
func TrickyStrings() []string {
	vals := append([]string(nil), HandPicked...)
	for c := 0; c < 128; c++ {
		vals = append(vals, string(rune(c)))
	}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 100; i++ {
		var b strings.Builder
		for j := r.Intn(12); j > 0; j-- {
			switch r.Intn(4) {
			case 0:
				b.WriteRune(rune(r.Intn(128)))
			case 1:
				b.WriteRune(rune(0x80 + r.Intn(0xD800-0x80)))
			case 2:
				b.WriteRune(rune(0x10000 + r.Intn(0x10FFFF-0x10000)))
			default:
				b.WriteString([]string{`\`, `'`, `"`, "$", "#", "{", "}"}[r.Intn(7)])
			}
		}
		vals = append(vals, b.String())
	}
	return vals
}
