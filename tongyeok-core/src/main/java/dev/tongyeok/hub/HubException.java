package dev.tongyeok.hub;

import dev.tongyeok.load.ModelException;

/** A model that cannot be had by its name: not found, gated, offline, a broken transfer; the message names the repository. */
public final class HubException extends ModelException {
    private static final long serialVersionUID = 1L;

    /** With a one-line message naming the repository and what to do. */
    public HubException(String message) {
        super(message);
    }
}
