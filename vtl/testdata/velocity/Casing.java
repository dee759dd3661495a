// Casing prints, for every code point, Java's String.toUpperCase and
// toLowerCase (Locale.ROOT) as hex code points: "cp upper lower", one per
// line. vtl/casing_table.go holds where they differ from Go's tables, and
// TestCasingAgainstJava checks it against this.
import java.util.Locale;
public class Casing {
    public static void main(String[] a) {
        StringBuilder sb = new StringBuilder();
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) continue;
            String s = new String(Character.toChars(cp));
            String u = s.toUpperCase(Locale.ROOT), l = s.toLowerCase(Locale.ROOT);
            sb.append(Integer.toHexString(cp)).append(' ').append(hex(u)).append(' ').append(hex(l)).append('\n');
        }
        System.out.print(sb);
    }
    static String hex(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> { if (b.length() > 0) b.append(','); b.append(Integer.toHexString(c)); });
        return b.toString();
    }
}
