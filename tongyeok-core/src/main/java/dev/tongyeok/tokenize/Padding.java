package dev.tongyeok.tokenize;

/**
 * How encodings are padded, as HF's {@code PaddingParams}.
 *
 * @param fixedLength the length to pad to, or 0 to pad a batch to its longest encoding
 * @param padToMultipleOf round the length up to a multiple of this, or 0
 * @param padId the id of the padding token
 * @param padTypeId the type id of padding
 * @param padToken the padding token
 * @param left whether padding goes in front
 */
public record Padding(int fixedLength, int padToMultipleOf, int padId, int padTypeId, String padToken, boolean left) {

    /** Pads a batch to its longest encoding with {@code [PAD]}, id 0, on the right: HF's defaults. */
    public static Padding batchLongest() {
        return new Padding(0, 0, 0, 0, "[PAD]", false);
    }
}
