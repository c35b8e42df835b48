package dev.tongyeok.cli;

/** Bad input from the user (a file, a line, a field); the message is one line naming the place. */
final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InputException(String message) {
        super(message);
    }
}
