package dev.tongyeok.tokenize.normalize;

import dev.tongyeok.tokenize.Decoder;
import dev.tongyeok.tokenize.NormalizedString;
import dev.tongyeok.tokenize.Normalizer;
import dev.tongyeok.tokenize.SplitPattern;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces every match of a string or regex with {@code content}, as HF's {@code Replace}; it is
 * both a normalizer and a decoder.
 *
 * @param pattern the compiled pattern
 * @param content the replacement
 */
public record Replace(SplitPattern pattern, String content) implements Normalizer, Decoder {
    @Override
    public void normalize(NormalizedString s) {
        s.replace(pattern, content);
    }

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            int[] m = pattern.findMatches(t);
            StringBuilder sb = new StringBuilder(t.length());
            for (int i = 0; i < m.length; i += 3) {
                if (m[i + 2] == 1) {
                    sb.append(content);
                } else {
                    sb.append(t, m[i], m[i + 1]);
                }
            }
            out.add(sb.toString());
        }
        return out;
    }
}
