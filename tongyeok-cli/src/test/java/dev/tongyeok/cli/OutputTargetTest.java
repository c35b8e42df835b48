package dev.tongyeok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code --output} does to what it names: symlinks written through, FIFOs and devices streamed, permissions kept. */
class OutputTargetTest {
    @TempDir
    Path dir;

    @Test
    void aSymlinkIsWrittenThroughAndStaysALink() throws Exception {
        Path real = Files.createDirectories(dir.resolve("data")).resolve("vectors.jsonl");
        Files.writeString(real, "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("latest.jsonl"), Path.of("data/vectors.jsonl"));
        Cli.Run r = Cli.run("embed", "--format", "jsonl", "--output", link.toString(), "I love you so much.");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertTrue(Files.readString(real).startsWith("{\"embedding\":["), "the file it points at has the output");
        try (var files = Files.list(real.getParent())) {
            assertEquals(1, files.count(), "no temporary file left beside the target");
        }
        // A dangling link: the file it names is created.
        Path dangling = Files.createSymbolicLink(dir.resolve("next.jsonl"), Path.of("data/next.jsonl"));
        assertEquals(0, Cli.run("embed", "--format", "jsonl", "--output", dangling.toString(), "x").code());
        assertTrue(Files.isSymbolicLink(dangling));
        assertTrue(Files.isRegularFile(dir.resolve("data/next.jsonl")));
    }

    @Test
    void aFifoIsStreamedNotReplaced() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo, StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Cli.Run r = Cli.run("tokenize", "--format", "jsonl", "--output", fifo.toString(), "I love you so much.");
        assertEquals(0, r.code(), r.err());
        assertTrue(read.get(30, TimeUnit.SECONDS).startsWith("{\"ids\":[101,"), "the reader got the output");
        assertFalse(Files.isRegularFile(fifo), "still a FIFO");
    }

    /**
     * A character device of the test's own when it may make one (as root: where the bug this guards
     * against replaced devices, so a regression must not touch the real /dev), else the real one
     * (which a non-root process cannot replace).
     */
    Path device(String name, int major, int minor) throws Exception {
        Path own = dir.resolve(name);
        Process p = new ProcessBuilder("mknod", own.toString(), "c", Integer.toString(major), Integer.toString(minor))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? own : Path.of("/dev", name);
    }

    @Test
    void aDeviceIsWrittenToNotReplaced() throws Exception {
        Path devNull = device("null", 1, 3);
        assertFalse(Files.isRegularFile(devNull));
        Cli.Run r = Cli.run("embed", "--format", "jsonl", "--output", devNull.toString(), "I love you so much.");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.isRegularFile(devNull), devNull + " is still a device");

        Path full = device("full", 1, 7);
        r = Cli.run("embed", "--format", "jsonl", "--output", full.toString(), "I love you so much.");
        assertEquals(2, r.code(), "a full device is an error");
        assertEquals("tongyeok: " + full + ": cannot write (No space left on device)\n", r.err());
        assertFalse(Files.isRegularFile(full), full + " is still a device");
    }

    @Test
    void newFilesFollowTheUmaskAndReplacedFilesKeepTheirMode() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "umask").start();
        int umask = Integer.parseInt(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip(), 8);
        Path fresh = dir.resolve("fresh.jsonl");
        assertEquals(0, Cli.run("tokenize", "--format", "jsonl", "--output", fresh.toString(), "x").code());
        assertEquals(mode(0666 & ~umask), Files.getPosixFilePermissions(fresh), "a new file: 0666 less the umask");

        Path kept = dir.resolve("kept.jsonl");
        Files.writeString(kept, "old\n");
        Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-rw-r--"));
        assertEquals(0, Cli.run("tokenize", "--format", "jsonl", "--output", kept.toString(), "x").code());
        assertEquals(PosixFilePermissions.fromString("rw-rw-r--"), Files.getPosixFilePermissions(kept));
    }

    static Set<PosixFilePermission> mode(int bits) {
        String s = "";
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s += (bits & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-';
        }
        return PosixFilePermissions.fromString(s);
    }
}
