package dev.tongyeok.tokenize;

import java.util.List;

/** Turns tokens back into text (HF's {@code Decoder}). Implementations are immutable. */
@FunctionalInterface
public interface Decoder {

    /** One step of decoding: tokens in, tokens out. */
    List<String> decodeChain(List<String> tokens);

    /** Decodes {@code tokens} to one string. */
    default String decode(List<String> tokens) {
        return String.join("", decodeChain(tokens));
    }
}
