package dev.tongyeok.tokenize;

import java.util.List;
import java.util.Random;

/**
 * Generated inputs for differential tests: random Unicode across planes, emoji ZWJ sequences,
 * combining marks, control characters, every kind of whitespace, very long words and look-alikes
 * of a tokenizer's special tokens, mixed with real text. Deterministic for a seed.
 */
public final class TextGenerator {
    private static final int[] WHITESPACE = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001,
        0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
        0x180E, 0x200B, 0xFEFF, 0x1C, 0x1D, 0x1E, 0x1F};
    private static final int[] CONTROLS = {0x00, 0x01, 0x07, 0x08, 0x1B, 0x7F, 0x80, 0x8F, 0x9F, 0xAD, 0x200B, 0x200C,
        0x200D, 0x200E, 0x200F, 0x202A, 0x202E, 0x2060, 0x2066, 0x2069, 0xFEFF, 0xFFF9, 0xFFFB, 0xFFFC, 0xFFFD, 0xE0001,
        0xE0041, 0x110BD, 0x1D173, 0x61C, 0x600, 0x6DD, 0x70F, 0x8E2, 0x180E, 0xFFFE, 0xFFFF};
    private static final int[][] MARK_RANGES = {{0x300, 0x36F}, {0x483, 0x489}, {0x591, 0x5BD}, {0x610, 0x61A},
        {0x64B, 0x65F}, {0x900, 0x903}, {0x93A, 0x94F}, {0xE31, 0xE3A}, {0x1AB0, 0x1ACE}, {0x1DC0, 0x1DFF},
        {0x20D0, 0x20F0}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0x302A, 0x302F}, {0x3099, 0x309A}, {0x1F3FB, 0x1F3FF},
        {0xE0100, 0xE01EF}, {0x1D165, 0x1D169}, {0x11000, 0x11002}};
    private static final int[][] PLANES = {{0x20, 0x7E}, {0xA0, 0x24F}, {0x250, 0x2FF}, {0x370, 0x3FF}, {0x400, 0x52F},
        {0x530, 0x5FF}, {0x600, 0x6FF}, {0x900, 0xDFF}, {0xE00, 0xEFF}, {0x1100, 0x11FF}, {0x1E00, 0x1FFF},
        {0x2000, 0x2BFF}, {0x2E80, 0x2FDF}, {0x3000, 0x30FF}, {0x3130, 0x318F}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
        {0xA000, 0xABFF}, {0xAC00, 0xD7AF}, {0xD7B0, 0xD7FF}, {0xE000, 0xE0FF}, {0xF900, 0xFFFD}, {0x10000, 0x1FFFF},
        {0x1F300, 0x1FAFF}, {0x1D400, 0x1D7FF}, {0x20000, 0x2A6DF}, {0x2A700, 0x2EE5F}, {0x30000, 0x323AF},
        {0xE0000, 0xE01EF}, {0xF0000, 0xF00FF}, {0x0, 0x10FFFF}};
    private static final String[] EMOJI = {"👨‍👩‍👧‍👦", "👩🏽‍💻", "🏳️‍🌈", "🇰🇷", "🇯🇵🇺🇸", "1️⃣", "❤️‍🔥", "🧑🏿‍🤝‍🧑🏻",
        "👁️‍🗨️", "🐕‍🦺", "😀", "🤷‍♀️", "#️⃣", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🫠", "🥰"};
    private static final String[] WORDS = {"I", "love", "you", "so", "much", ".", "안녕하세요", "こんにちは", "Hello", "你好",
        "@#%^&*()", "don't", "we'll", "THE", "naïve", "café", "Ωmega", "١٢٣", "12345", "3.14", "e-mail", "straße",
        "İstanbul", "ﬁnance", "Ⅻ", "①", "x²", "ǅ", "ΣΑΣ", "ﾊﾝｶｸ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "'s", "'LL", "\u0130"};

    private final Random random;
    private final List<String> specials;

    /** A generator seeded with {@code seed}, mimicking {@code specials} among other things. */
    public TextGenerator(long seed, List<String> specials) {
        this.random = new Random(seed);
        this.specials = specials;
    }

    /** The next generated text. */
    public String next() {
        StringBuilder sb = new StringBuilder();
        int parts = 1 + random.nextInt(6);
        for (int i = 0; i < parts; i++) {
            switch (random.nextInt(10)) {
                case 0 -> randomCodePoints(sb, 1 + random.nextInt(30));
                case 1 -> sb.append(EMOJI[random.nextInt(EMOJI.length)]);
                case 2 -> combining(sb);
                case 3 -> sb.appendCodePoint(CONTROLS[random.nextInt(CONTROLS.length)]);
                case 4 -> whitespace(sb);
                case 5 -> longWord(sb);
                case 6 -> special(sb);
                default -> sb.append(WORDS[random.nextInt(WORDS.length)]);
            }
            if (random.nextInt(3) == 0) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }

    private void randomCodePoints(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            int[] r = PLANES[random.nextInt(PLANES.length)];
            int cp = r[0] + random.nextInt(r[1] - r[0] + 1);
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                cp = 0xFFFD; // lone surrogates are tested on their own: HF's strings cannot hold them
            }
            sb.appendCodePoint(cp);
        }
    }

    private void combining(StringBuilder sb) {
        String bases = "aeouAOnNcsSkKi가각ㄱᄀ ";
        sb.append(bases.charAt(random.nextInt(bases.length())));
        int marks = 1 + random.nextInt(5);
        for (int i = 0; i < marks; i++) {
            int[] r = MARK_RANGES[random.nextInt(MARK_RANGES.length)];
            sb.appendCodePoint(r[0] + random.nextInt(r[1] - r[0] + 1));
        }
        if (random.nextBoolean()) {
            sb.append("ᄀ\u1161\u11A8"); // conjoining jamo that compose
        }
    }

    private void whitespace(StringBuilder sb) {
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(WHITESPACE[random.nextInt(WHITESPACE.length)]);
        }
    }

    private void longWord(StringBuilder sb) {
        int n = 50 + random.nextInt(450);
        String alphabet = switch (random.nextInt(5)) {
            case 0 -> "abcdefghijklmnopqrstuvwxyz";
            case 1 -> "0123456789";
            case 2 -> "!?.-_*#";
            case 3 -> "가나다라마바사아자차카타파하";
            default -> "abcXYZ123éü漢字";
        };
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
    }

    private void special(StringBuilder sb) {
        if (specials.isEmpty()) {
            sb.append("<s>");
            return;
        }
        String s = specials.get(random.nextInt(specials.size()));
        switch (random.nextInt(7)) {
            case 0 -> sb.append(s);
            case 1 -> sb.append(s.toLowerCase());
            case 2 -> sb.append(s, 0, Math.max(1, s.length() - 1));
            case 3 -> sb.append("word").append(s).append("word");
            case 4 -> sb.append(s).append(s);
            case 5 -> sb.append("  ").append(s).append("  ");
            default -> sb.append(s.substring(0, s.length() / 2)).append(' ').append(s.substring(s.length() / 2));
        }
    }
}
