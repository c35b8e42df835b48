package dev.tongyeok.tokenize.process;

import dev.tongyeok.tokenize.Encoding;
import dev.tongyeok.tokenize.PostProcessor;
import dev.tongyeok.tokenize.pretokenize.ByteLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <s> A </s>} and {@code <s> A </s></s> B </s>}, all type id 0, with byte-level offset
 * trimming, as HF's {@code RobertaProcessing}.
 */
public record RobertaProcessing(String sepToken, int sepId, String clsToken, int clsId, boolean trimOffsets,
        boolean addPrefixSpace) implements PostProcessor {
    @Override
    public int addedTokens(boolean pair) {
        return pair ? 4 : 2;
    }

    @Override
    public List<Encoding> processEncodings(List<Encoding> encodings, boolean addSpecialTokens) {
        List<Encoding> in = new ArrayList<>(encodings.size());
        for (Encoding e : encodings) {
            Encoding t = trimOffsets ? ByteLevel.trim(e, addPrefixSpace) : e;
            in.add(t.withTypeId(0));
        }
        if (!addSpecialTokens) {
            return in;
        }
        Encoding cls = Encoding.special(new int[] {clsId}, new String[] {clsToken}, 0);
        Encoding sep = Encoding.special(new int[] {sepId}, new String[] {sepToken}, 0);
        List<Encoding> out = new ArrayList<>(in.size());
        out.add(cls.mergeWith(in.get(0)).mergeWith(sep));
        if (in.size() == 2) {
            out.add(sep.mergeWith(in.get(1)).mergeWith(sep));
        }
        return out;
    }
}
