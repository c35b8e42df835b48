package dev.tongyeok.tokenize.decode;

import dev.tongyeok.tokenize.Decoder;
import java.util.List;

/** Joins all tokens into one, as HF's {@code Fuse} decoder. */
public record Fuse() implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        return List.of(String.join("", tokens));
    }
}
