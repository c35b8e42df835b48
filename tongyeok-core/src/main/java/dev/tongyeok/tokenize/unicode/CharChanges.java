package dev.tongyeok.tokenize.unicode;

import dev.tongyeok.tokenize.NormalizedString;
import java.util.Arrays;

/**
 * A growable list of {@code (code point, change)} pairs describing how a
 * {@link NormalizedString} is rewritten, with HuggingFace's meaning of {@code change}:
 * {@code 0} the code point replaces the next original one, {@code 1} it is inserted,
 * {@code -n} it replaces the next one and the {@code n} after it are removed.
 */
public final class CharChanges {
    int[] cps;
    int[] changes;
    int size;

    /** Creates an empty list with room for {@code capacity} pairs. */
    public CharChanges(int capacity) {
        cps = new int[Math.max(4, capacity)];
        changes = new int[cps.length];
    }

    /** Appends one pair. */
    public void add(int cp, int change) {
        if (size == cps.length) {
            cps = Arrays.copyOf(cps, size * 2);
            changes = Arrays.copyOf(changes, size * 2);
        }
        cps[size] = cp;
        changes[size] = change;
        size++;
    }

    /** The number of pairs. */
    public int size() {
        return size;
    }

    /** The code point of pair {@code i}. */
    public int cp(int i) {
        return cps[i];
    }

    /** The change of pair {@code i}. */
    public int change(int i) {
        return changes[i];
    }

    /** Replaces the change of pair {@code i}. */
    public void setChange(int i, int change) {
        changes[i] = change;
    }

    /** Replaces pair {@code i}. */
    public void set(int i, int cp, int change) {
        cps[i] = cp;
        changes[i] = change;
    }

    /** Removes every pair. */
    public void clear() {
        size = 0;
    }
}
