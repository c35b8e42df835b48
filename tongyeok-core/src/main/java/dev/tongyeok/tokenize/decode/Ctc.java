package dev.tongyeok.tokenize.decode;

import dev.tongyeok.tokenize.Decoder;
import java.util.ArrayList;
import java.util.List;

/** Connectionist temporal classification output: repeats collapsed, padding dropped, the word delimiter turned into spaces; as HF's {@code CTC} decoder. */
public record Ctc(String padToken, String wordDelimiterToken, boolean cleanup) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        String previous = null;
        for (String t : tokens) {
            if (t.equals(previous)) {
                continue;
            }
            previous = t;
            String r = t.replace(padToken, "");
            if (cleanup) {
                r = WordPieceDecoder.cleanup(r).replace(wordDelimiterToken, " ");
            }
            if (!r.isEmpty()) {
                out.add(r);
            }
        }
        return out;
    }
}
