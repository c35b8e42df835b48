package dev.tongyeok.embed;

import dev.tongyeok.tokenize.Encoding;

/**
 * One input tokenized for the encoder, with the options its vector is finished under: what
 * {@link Embedder#encode} returns and {@link Embedder#embedEncoded} consumes. Tokenizing and
 * running the encoder are separate steps so that a server can tokenize on the request's thread and
 * batch the encoder work of many requests.
 *
 * @param encoding the tokens the model will see (after truncation)
 * @param options how the vector is pooled, normalized and cut
 * @param originalTokens how many tokens the input had before truncation, special tokens included
 * @param keptChars how many UTF-16 chars of the input (prompt included) the kept tokens cover when it was cut (from the end, or with left truncation from the start); its length when
 *     nothing was cut
 */
public record EncodedInput(Encoding encoding, EmbedOptions options, int originalTokens, int keptChars) {

    /** Whether truncation dropped tokens. */
    public boolean truncated() {
        return originalTokens > encoding.length();
    }
}
