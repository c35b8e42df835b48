package dev.tongyeok.tokenize.decode;

import dev.tongyeok.tokenize.Decoder;
import java.util.ArrayList;
import java.util.List;

/** Removes up to {@code start} leading and {@code stop} trailing {@code content} characters from each token, as HF's {@code Strip} decoder. */
public record Strip(int content, int start, int stop) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            int[] cps = t.codePoints().toArray();
            int startCut = 0;
            for (int i = 0; i < Math.min(start, cps.length); i++) {
                if (cps[i] != content) {
                    break;
                }
                startCut = i + 1;
            }
            int stopCut = cps.length;
            for (int i = 0; i < stop && cps.length - i - 1 >= 0; i++) {
                int index = cps.length - i - 1;
                if (cps[index] != content) {
                    break;
                }
                stopCut = index;
            }
            out.add(startCut >= stopCut ? "" : new String(cps, startCut, stopCut - startCut));
        }
        return out;
    }
}
