package dev.tongyeok.load;

/**
 * A model that cannot be loaded: a missing, truncated or corrupt file, a wrong magic, a tensor
 * whose shape disagrees with config.json. The message is one line naming the file, the tensor
 * and what was expected.
 */
public class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file and what was expected */
    public ModelException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the file and what was expected
     * @param cause the underlying failure
     */
    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
