package dev.tongyeok.tokenize.decode;

import dev.tongyeok.tokenize.Decoder;
import java.util.List;

/** Several decoders applied in order, each to the tokens the previous one made; as HF's decoder {@code Sequence}. */
public record DecoderSequence(List<Decoder> decoders) implements Decoder {
    /** Keeps an immutable copy. */
    public DecoderSequence {
        decoders = List.copyOf(decoders);
    }

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> t = tokens;
        for (Decoder d : decoders) {
            t = d.decodeChain(t);
        }
        return t;
    }
}
