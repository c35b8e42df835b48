package dev.tongyeok.tokenize.process;

import dev.tongyeok.tokenize.Encoding;
import dev.tongyeok.tokenize.PostProcessor;
import java.util.List;

/** Several post-processors applied in order, as HF's processor {@code Sequence}. */
public record ProcessorSequence(List<PostProcessor> processors) implements PostProcessor {
    /** Keeps an immutable copy. */
    public ProcessorSequence {
        processors = List.copyOf(processors);
    }

    @Override
    public int addedTokens(boolean pair) {
        int n = 0;
        for (PostProcessor p : processors) {
            n += p.addedTokens(pair);
        }
        return n;
    }

    @Override
    public List<Encoding> processEncodings(List<Encoding> encodings, boolean addSpecialTokens) {
        List<Encoding> e = encodings;
        for (PostProcessor p : processors) {
            e = p.processEncodings(e, addSpecialTokens);
        }
        return e;
    }
}
