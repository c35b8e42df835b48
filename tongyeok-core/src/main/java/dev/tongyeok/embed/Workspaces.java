package dev.tongyeok.embed;

import dev.tongyeok.model.Workspace;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Scratch of finished calls, taken by the next ones: a call's batches reuse one per thread, and a
 * process embedding chunk after chunk does not allocate its ~10 MB of scratch per chunk. At most
 * {@code spare} are kept (many concurrent callers leave theirs to the collector).
 */
final class Workspaces {
    private final ConcurrentLinkedQueue<Workspace> free = new ConcurrentLinkedQueue<>();
    private final int spare;

    Workspaces(int spare) {
        this.spare = spare;
    }

    /** A free workspace, or a new one. */
    Workspace take() {
        Workspace ws = free.poll();
        return ws != null ? ws : new Workspace();
    }

    /** Returns {@code ws} for the next caller, unless enough are kept already. */
    void giveBack(Workspace ws) {
        if (free.size() < spare) {
            free.add(ws);
        }
    }
}
