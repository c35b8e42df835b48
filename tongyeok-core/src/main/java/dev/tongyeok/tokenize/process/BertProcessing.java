package dev.tongyeok.tokenize.process;

import dev.tongyeok.tokenize.Encoding;
import dev.tongyeok.tokenize.PostProcessor;
import java.util.List;

/** {@code [CLS] A [SEP]} and {@code [CLS] A [SEP] B [SEP]} with type ids 0 and 1, as HF's {@code BertProcessing}. */
public record BertProcessing(String sepToken, int sepId, String clsToken, int clsId) implements PostProcessor {
    @Override
    public int addedTokens(boolean pair) {
        return pair ? 3 : 2;
    }

    @Override
    public List<Encoding> processEncodings(List<Encoding> encodings, boolean addSpecialTokens) {
        if (!addSpecialTokens) {
            return encodings;
        }
        Encoding cls = Encoding.special(new int[] {clsId}, new String[] {clsToken}, 0);
        Encoding first = cls.mergeWith(encodings.get(0).withTypeId(0))
                .mergeWith(Encoding.special(new int[] {sepId}, new String[] {sepToken}, 0));
        if (encodings.size() == 1) {
            return List.of(first);
        }
        Encoding second = encodings.get(1).withTypeId(1)
                .mergeWith(Encoding.special(new int[] {sepId}, new String[] {sepToken}, 1));
        return List.of(first, second);
    }
}
