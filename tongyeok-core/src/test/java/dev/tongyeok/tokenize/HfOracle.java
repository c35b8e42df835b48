package dev.tongyeok.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The reference: HuggingFace's Rust tokenizers (0.21, through DJL's JNI binding) on the same
 * tokenizer.json, with truncation and padding off unless asked for.
 */
public final class HfOracle implements AutoCloseable {

    /** What HF returns for one text: ids, tokens and code-point offsets (null spans as (0, 0)). */
    public record Result(long[] ids, String[] tokens, int[] offsets, long[] typeIds, long[] specialMask, long[] attentionMask) {}

    private final HuggingFaceTokenizer tokenizer;

    /** Loads {@code json} with no truncation and no padding. */
    public HfOracle(String json) {
        this(json, Map.of("truncation", "false", "padding", "false"));
    }

    /** Loads {@code json} with DJL {@code options}. */
    public HfOracle(String json, Map<String, String> options) {
        System.setProperty("OPT_OUT_TRACKING", "true");
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encodes {@code text}. */
    public Result encode(String text, boolean addSpecialTokens) {
        return result(tokenizer.encode(text, addSpecialTokens, false));
    }

    /** Encodes a pair. */
    public Result encodePair(String a, String b, boolean addSpecialTokens) {
        return result(tokenizer.encode(a, b, addSpecialTokens, false));
    }

    private static Result result(ai.djl.huggingface.tokenizers.Encoding e) {
        CharSpan[] spans = e.getCharTokenSpans();
        int[] offsets = new int[2 * spans.length];
        for (int i = 0; i < spans.length; i++) {
            if (spans[i] != null) {
                offsets[2 * i] = spans[i].getStart();
                offsets[2 * i + 1] = spans[i].getEnd();
            }
        }
        return new Result(e.getIds(), e.getTokens(), offsets, e.getTypeIds(), e.getSpecialTokenMask(), e.getAttentionMask());
    }

    /** HF's {@code decode}, without DJL's own clean-up. */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        return TokenizersLibrary.LIB.decode(tokenizer.getHandle(), ids, skipSpecialTokens);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
