package dev.tongyeok.tokenize.pretokenize;

/** UTF-8 decoding that replaces each maximal invalid subpart with U+FFFD, as Rust's {@code String::from_utf8_lossy}. */
public final class Utf8 {
    private Utf8() {}

    /** Decodes {@code b}, invalid sequences replaced as Rust does (Unicode's "maximal subpart" practice). */
    public static String decodeLossy(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                sb.append((char) c);
                i++;
                continue;
            }
            int need, cp, lo = 0x80, hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
                cp = c & 0x1F;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                cp = c & 0x0F;
                if (c == 0xE0) {
                    lo = 0xA0;
                } else if (c == 0xED) {
                    hi = 0x9F;
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                cp = c & 0x07;
                if (c == 0xF0) {
                    lo = 0x90;
                } else if (c == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                sb.append('\uFFFD');
                i++;
                continue;
            }
            int j = i + 1;
            boolean ok = true;
            for (int k = 0; k < need; k++, j++) {
                if (j >= b.length) {
                    ok = false;
                    break;
                }
                int x = b[j] & 0xff;
                int l = k == 0 ? lo : 0x80, h = k == 0 ? hi : 0xBF;
                if (x < l || x > h) {
                    ok = false;
                    break;
                }
                cp = (cp << 6) | (x & 0x3F);
            }
            if (ok) {
                sb.appendCodePoint(cp);
                i = j;
            } else {
                sb.append('\uFFFD');
                i = j; // the maximal valid prefix is consumed as one replacement
            }
        }
        return sb.toString();
    }
}
