package dev.tongyeok.tokenize;

/** A tokenizer file that cannot be loaded, or text that the model cannot tokenize. The message is one line naming the place. */
public class TokenizerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a one-line message. */
    public TokenizerException(String message) {
        super(message);
    }

    /** Creates an exception with a one-line message and its cause. */
    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
