package dev.tongyeok.tokenize.json;

import java.math.BigDecimal;

/**
 * Decimal to double exactly as {@code serde_json} (without its {@code float_roundtrip} feature)
 * reads JSON numbers, which is how HF tokenizers reads Unigram scores: the first digits that fit in
 * a u64 become the significand, the rest is dropped, and the power of ten is applied in one
 * multiplication or division. This can differ from the correctly rounded value by an ulp, which
 * decides ties in the Unigram lattice, so tongyeok reads scores the same way.
 */
final class RustFloat {
    private static final double[] POW10 = new double[309];

    static {
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = Double.parseDouble("1e" + i);
        }
    }

    private RustFloat() {}

    /** The double serde_json makes of the decimal {@code value} (as written, trailing zeros kept). */
    static double parse(BigDecimal value) {
        boolean positive = value.signum() >= 0;
        String digits = value.unscaledValue().abs().toString();
        long significand = 0;
        int kept = 0;
        for (; kept < digits.length(); kept++) {
            int d = digits.charAt(kept) - '0';
            // serde_json's overflow check: significand * 10 + d > u64::MAX
            if (Long.compareUnsigned(significand, Long.divideUnsigned(-1L, 10)) > 0
                    || (significand == Long.divideUnsigned(-1L, 10) && d > Long.remainderUnsigned(-1L, 10))) {
                break;
            }
            significand = significand * 10 + d;
        }
        long exponent = (long) (digits.length() - kept) - value.scale();
        double f = unsignedToDouble(significand);
        while (true) {
            long abs = Math.abs(exponent);
            if (abs < POW10.length) {
                f = exponent >= 0 ? f * POW10[(int) abs] : f / POW10[(int) abs];
                break;
            }
            if (f == 0.0) {
                break;
            }
            if (exponent >= 0) {
                return positive ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            }
            f /= 1e308;
            exponent += 308;
        }
        return positive ? f : -f;
    }

    // u64 as f64, rounded to nearest as Rust's `as` does
    private static double unsignedToDouble(long v) {
        if (v >= 0) {
            return (double) v;
        }
        return ((double) ((v >>> 1) | (v & 1))) * 2.0;
    }
}
