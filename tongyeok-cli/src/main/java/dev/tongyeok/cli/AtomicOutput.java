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
 * A symlink is written through (the file it points at is replaced, the link stays); a FIFO, a
 * device or anything else that is not a regular file is written to directly, as a stream; a new
 * file gets the permissions the umask gives (as {@code cp} and editors do), a replaced one keeps
 * its own. {@code -} (or no file) is standard output.
 */
final class AtomicOutput implements Closeable {
    private final String name; // as the user wrote it, for messages
    private final Path target; // the file moved into place, or null when streaming
    private final Path temp;
    private final OutputStream stream;
    private final Writer writer;
    private boolean committed;

    AtomicOutput(String file) throws IOException {
        this.name = file;
        if (file == null || file.equals("-")) {
            target = null;
            temp = null;
            stream = new BufferedOutputStream(System.out, 1 << 16);
            writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
            return;
        }
        Path given = Path.of(file).toAbsolutePath();
        Path real = throughLinks(given, file);
        if (Files.exists(real) && !Files.isRegularFile(real)) {
            if (Files.isDirectory(real)) {
                throw new InputException(file + ": is a directory");
            }
            // A FIFO, a device, a socket: there is nothing to replace atomically, so write to it.
            target = null;
            temp = null;
            stream = new BufferedOutputStream(named(open(real, file), file), 1 << 16);
            writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
            return;
        }
        target = real;
        Path dir = target.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new InputException(file + ": directory " + dir + " does not exist");
        }
        temp = createTemp(dir, target, file);
        stream = new BufferedOutputStream(named(Files.newOutputStream(temp), file), 1 << 16);
        writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    // Failures of the underlying stream as one line naming the output ("out.jsonl: cannot write (No space left on device)").
    private static OutputStream named(OutputStream out, String file) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw new InputException(file + ": cannot write (" + reason(e) + ")");
                }
            }

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void flush() {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw new InputException(file + ": cannot write (" + reason(e) + ")");
                }
            }

            @Override
            public void close() {
                try {
                    out.close();
                } catch (IOException e) {
                    throw new InputException(file + ": cannot write (" + reason(e) + ")");
                }
            }
        };
    }

    // The file a chain of symlinks ends at (which may not exist yet), at most 40 links deep.
    private static Path throughLinks(Path p, String file) throws IOException {
        for (int i = 0; i < 40; i++) {
            if (!Files.isSymbolicLink(p)) {
                return p;
            }
            Path to = Files.readSymbolicLink(p);
            p = p.getParent() == null ? to : p.getParent().resolve(to).normalize();
        }
        throw new InputException(file + ": too many levels of symbolic links");
    }

    private static OutputStream open(Path p, String file) throws IOException {
        try {
            return Files.newOutputStream(p, java.nio.file.StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new InputException(file + ": cannot write (" + reason(e) + ")");
        }
    }

    // A new name beside the target, created with the umask's permissions or the replaced file's own.
    private static Path createTemp(Path dir, Path target, String file) throws IOException {
        java.util.Random random = new java.util.Random();
        for (int tries = 0; ; tries++) {
            Path temp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(random.nextLong(), 36)
                    + ".partial");
            try {
                Files.createFile(temp); // no attributes given: the process's umask applies
                if (Files.isRegularFile(target)) {
                    try {
                        Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
                    } catch (UnsupportedOperationException | IOException e) {
                        // not a POSIX file system, or not ours to change: the new file's defaults stand
                    }
                }
                return temp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (tries > 100) {
                    throw e;
                }
            } catch (IOException e) {
                throw new InputException(file + ": cannot write in " + dir + " (" + reason(e) + ")");
            }
        }
    }

    /** What went wrong, as the OS said it ("Read-only file system", "No space left on device"). */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        String m = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            m = fs.getReason();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** Text output. */
    Writer writer() {
        return writer;
    }

    /** Binary output (do not mix with {@link #writer()}). */
    OutputStream stream() {
        return stream;
    }


    /**
     * Makes the output whole: flushes it and moves the file into place.
     *
     * @throws InputException when it cannot be written (a full device, a read-only file system), naming it
     */
    void commit() throws IOException {
        try {
            writer.flush();
            stream.flush();
            if (temp != null) {
                writer.close();
                try {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } else if (name != null && !name.equals("-")) {
                writer.close();
            }
        } catch (IOException e) {
            throw new InputException((name == null ? "standard output" : name) + ": cannot write (" + reason(e) + ")");
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (temp == null) {
            if (!committed) {
                try {
                    writer.flush();
                    stream.flush();
                } catch (IOException | InputException e) {
                    // already failing: the first error is the one reported
                }
            }
            return;
        }
        if (!committed) {
            try {
                writer.close();
            } catch (IOException | InputException e) {
                // the output is being abandoned: what matters is that its temporary file goes
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
