package dev.tongyeok.cli;

/** Text for terminals: invisible characters escaped, columns padded by display width. */
final class Display {
    private Display() {}

    /** {@code s} with control, format and whitespace characters other than space shown as {@code \\u{XXXX}}. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            int t = Character.getType(c);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c < 0x20 || (c >= 0x7F && c < 0xA0) || t == Character.FORMAT || t == Character.UNASSIGNED
                    || t == Character.SURROGATE || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR
                    || (t == Character.SPACE_SEPARATOR && c != ' ')) {
                sb.append(String.format("\\u{%X}", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    /** {@code s} escaped and in double quotes, so that spaces show. */
    static String quote(String s) {
        return "\"" + escape(s) + "\"";
    }

    /** Terminal columns: East Asian wide characters take two. */
    static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            int t = Character.getType(c);
            if (t == Character.NON_SPACING_MARK || t == Character.ENCLOSING_MARK || c == 0x200D) {
                continue;
            }
            w += wide(c) ? 2 : 1;
        }
        return w;
    }

    private static boolean wide(int c) {
        return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60)
                || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) || (c >= 0x20000 && c <= 0x3FFFD);
    }

    /** {@code s} followed by spaces up to {@code width} columns. */
    static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - width(s)));
    }
}
