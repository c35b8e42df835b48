package dev.tongyeok.tokenize.process;

import dev.tongyeok.tokenize.Encoding;
import dev.tongyeok.tokenize.PostProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lays sequences and special tokens out by a template, as HF's {@code TemplateProcessing}: for
 * BERT {@code [CLS] $A [SEP]} / {@code [CLS] $A [SEP] $B:1 [SEP]:1}, for Llama {@code <s> $A}.
 *
 * @param single the template of one sequence
 * @param pair the template of a pair
 * @param specialTokens each special token's ids and token strings, by name
 */
public record TemplateProcessing(List<Piece> single, List<Piece> pair, Map<String, SpecialToken> specialTokens)
        implements PostProcessor {

    /** One element of a template: a sequence ({@code A} or {@code B}) or a special token, with its type id. */
    public record Piece(boolean isSequence, String id, int typeId) {}

    /** A special token as the template names it: one or more ids and their strings. */
    public record SpecialToken(String id, int[] ids, String[] tokens) {}

    /** Keeps immutable copies. */
    public TemplateProcessing {
        single = List.copyOf(single);
        pair = List.copyOf(pair);
        specialTokens = Map.copyOf(specialTokens);
    }

    @Override
    public int addedTokens(boolean isPair) {
        int n = 0;
        for (Piece p : isPair ? pair : single) {
            if (!p.isSequence()) {
                n += specialTokens.get(p.id()).ids().length;
            }
        }
        return n;
    }

    @Override
    public List<Encoding> processEncodings(List<Encoding> encodings, boolean addSpecialTokens) {
        List<Piece> template = encodings.size() == 2 ? pair : single;
        List<Encoding> out = new ArrayList<>(template.size());
        for (Piece p : template) {
            if (p.isSequence()) {
                int i = p.id().equals("A") ? 0 : 1;
                out.add(encodings.get(i).withTypeId(p.typeId()));
            } else if (addSpecialTokens) {
                SpecialToken t = specialTokens.get(p.id());
                out.add(Encoding.special(t.ids(), t.tokens(), p.typeId()));
            }
        }
        return out;
    }
}
