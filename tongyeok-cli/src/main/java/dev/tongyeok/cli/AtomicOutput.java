package dev.tongyeok.cli;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output that appears whole or not at all: a file is written beside its target under a
 * temporary name and moved into place by {@link #commit()}; closing without committing deletes it.
 * {@code -} (or no file) is standard output.
 */
final class AtomicOutput implements Closeable {
    private final Path target;
    private final Path temp;
    private final OutputStream stream;
    private final Writer writer;
    private boolean committed;

    AtomicOutput(String file) throws IOException {
        if (file == null || file.equals("-")) {
            target = null;
            temp = null;
            stream = new BufferedOutputStream(System.out, 1 << 16);
            writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
            return;
        }
        target = Path.of(file).toAbsolutePath();
        Path dir = target.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new InputException(file + ": directory " + dir + " does not exist");
        }
        temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".partial");
        stream = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
        writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Text output. */
    Writer writer() {
        return writer;
    }

    /** Binary output (do not mix with {@link #writer()}). */
    OutputStream stream() {
        return stream;
    }


    void commit() throws IOException {
        writer.flush();
        stream.flush();
        if (temp != null) {
            writer.close();
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (temp == null) {
            writer.flush();
            stream.flush();
            return;
        }
        if (!committed) {
            writer.close();
            Files.deleteIfExists(temp);
        }
    }
}
