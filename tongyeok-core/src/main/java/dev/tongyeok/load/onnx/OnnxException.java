package dev.tongyeok.load.onnx;

import dev.tongyeok.load.ModelException;

/** An ONNX file that cannot be read, with the file and offset or tensor. */
public final class OnnxException extends ModelException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file and what was expected */
    public OnnxException(String message) {
        super(message);
    }
}
