package dev.tongyeok.tokenize.pretokenize;

import dev.tongyeok.tokenize.PreTokenizedString;
import dev.tongyeok.tokenize.PreTokenizer;
import java.util.List;

/** Several pre-tokenizers applied in order, as HF's pre-tokenizer {@code Sequence}. */
public record PreTokenizerSequence(List<PreTokenizer> preTokenizers) implements PreTokenizer {
    /** Keeps an immutable copy. */
    public PreTokenizerSequence {
        preTokenizers = List.copyOf(preTokenizers);
    }

    @Override
    public void preTokenize(PreTokenizedString s) {
        for (PreTokenizer p : preTokenizers) {
            p.preTokenize(s);
        }
    }
}
