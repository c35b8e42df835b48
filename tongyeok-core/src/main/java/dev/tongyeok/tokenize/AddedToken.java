package dev.tongyeok.tokenize;

/**
 * A token matched in the text before the rest of the pipeline runs, as HF's {@code AddedToken}.
 *
 * @param content the text that is matched
 * @param singleWord only match when not inside a word
 * @param lstrip also take the whitespace on its left
 * @param rstrip also take the whitespace on its right
 * @param normalized match in the normalized text (else in the original text)
 * @param special a special token (a marker such as {@code [CLS]}), skipped by {@code decode(ids, true)}
 */
public record AddedToken(String content, boolean singleWord, boolean lstrip, boolean rstrip, boolean normalized,
        boolean special) {}
