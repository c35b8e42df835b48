package dev.tongyeok.tokenize;

/**
 * One token a {@link Model} produced from a piece of text: its id, its string and the span it
 * covers in that piece, in UTF-16 units.
 *
 * @param id the vocabulary id
 * @param value the token's string in the vocabulary
 * @param start where it starts in the piece
 * @param end where it ends in the piece
 */
public record Token(int id, String value, int start, int end) {}
