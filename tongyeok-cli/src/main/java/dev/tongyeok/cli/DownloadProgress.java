package dev.tongyeok.cli;

import dev.tongyeok.hub.HubClient;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A download's progress on standard error: on a terminal one line per file, redrawn in place
 * (bytes, rate, time left); elsewhere (a pipe, a log) plain lines, one when a file starts and one
 * per quarter of it.
 */
final class DownloadProgress implements HubClient.Progress {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private String label = "";
    private long size;
    private long done;
    private long startedAt;
    private long startBytes;
    private long drawnAt;
    private int quarter;

    DownloadProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Progress for this process's standard error: redrawn when it is a terminal. */
    static DownloadProgress onStderr(PrintWriter err) {
        return new DownloadProgress(err, System.console() != null && System.console().isTerminal());
    }

    @Override
    public synchronized void start(String repo, String file, long size, long done) {
        this.label = repo + " " + file;
        this.size = size;
        this.done = done;
        this.startBytes = done;
        this.startedAt = System.nanoTime();
        this.drawnAt = 0;
        this.quarter = size > 0 ? (int) (4 * done / size) : 0;
        if (terminal) {
            draw();
        } else {
            err.println("tongyeok: downloading " + label + " (" + mb(size) + (done > 0 ? ", resuming at " + mb(done) : "")
                    + ")");
            err.flush();
        }
    }

    @Override
    public synchronized void advance(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        if (terminal && now - drawnAt >= REDRAW_NANOS) {
            draw();
        } else if (!terminal && size > 0 && 4 * done / size > quarter && done < size) {
            quarter = (int) (4 * done / size);
            err.println("tongyeok: " + label + " " + line());
            err.flush();
        }
    }

    @Override
    public synchronized void finish() {
        if (terminal) {
            draw();
            err.println();
        } else {
            err.println("tongyeok: " + label + " done (" + mb(done) + ")");
        }
        err.flush();
    }

    private void draw() {
        drawnAt = System.nanoTime();
        err.print("\r\033[K" + label + "  " + line());
        err.flush();
    }

    // "45.2 / 90.9 MB  12.3 MB/s  0:04 left"
    private String line() {
        double seconds = Math.max(1e-3, (System.nanoTime() - startedAt) / 1e9);
        double rate = (done - startBytes) / seconds;
        String left = size > 0 && rate > 0 ? clock((size - done) / rate) + " left" : "";
        return String.format(Locale.ROOT, "%s / %s  %.1f MB/s  %s", mb(done), mb(size), rate / 1e6, left).strip();
    }

    static String mb(long bytes) {
        return bytes < 0 ? "size unknown" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
