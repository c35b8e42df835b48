package dev.tongyeok.search;

/**
 * Bad input or a refused operation, with a one-line message that names what and where (the file
 * and line, the field, the index directory): unreadable files, invalid JSON Lines, an empty query,
 * a missing index, an index built with another model.
 */
public final class SearchException extends RuntimeException {
    public SearchException(String message) {
        super(message);
    }

    public SearchException(String message, Throwable cause) {
        super(message, cause);
    }
}
