package dev.tongyeok.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.load.gguf.GgufWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The static rows of a 2 GiB token embedding table (a sparse GGUF file: a Llama-sized vocabulary
 * of 131,072 × 4,096 F32 with no other weights), read through the memory map by a JVM whose heap
 * is capped at 300 MB.
 */
class StaticEmbeddingsTest {
    static final int V = 131_072;
    static final int C = 4096;
    static final int[] IDS = {5, 17, 100_000, V - 1};

    @TempDir
    Path tmp;

    static float value(int id, int c) {
        return (float) Math.sin(id * 0.001 + c * 0.37) * (1 + c % 7);
    }

    static Path write(Path dir) throws IOException {
        Path file = dir.resolve("big.gguf");
        long bytes = (long) V * C * 4;
        Map<String, Long> at = new GgufWriter(3).string("general.architecture", "llama")
                .u32("llama.context_length", 4096).u32("llama.embedding_length", C).u32("llama.block_count", 32)
                .u32("llama.feed_forward_length", 11008).u32("llama.attention.head_count", 32)
                .sparseTensor("token_embd.weight", 0, new long[] {V, C}, bytes).write(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int id : IDS) {
                ByteBuffer row = ByteBuffer.allocate(C * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int c = 0; c < C; c++) {
                    row.putFloat(value(id, c));
                }
                row.flip();
                ch.write(row, at.get("token_embd.weight") + (long) id * C * 4);
            }
        }
        StringBuilder vocab = new StringBuilder("\"w0\":0");
        for (int id : IDS) {
            vocab.append(",\"w").append(id).append("\":").append(id);
        }
        Files.writeString(dir.resolve("tokenizer.json"), "{\"version\":\"1.0\",\"added_tokens\":[],\"normalizer\":null,"
                + "\"pre_tokenizer\":{\"type\":\"WhitespaceSplit\"},\"post_processor\":null,\"decoder\":null,"
                + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + vocab + "},\"unk_token\":\"w0\"}}");
        return file;
    }

    static String text() {
        StringBuilder t = new StringBuilder();
        for (int id : IDS) {
            t.append(t.isEmpty() ? "" : " ").append('w').append(id);
        }
        return t.toString();
    }

    @Test
    void rowsOfATwoGigabyteTableUnderA300MegabyteHeap() throws Exception {
        Path file = write(tmp);
        assertTrue(Files.size(file) > 2L << 30, "the file is over 2 GiB");
        // In a JVM of its own with -Xmx300m: the table cannot have been read into the heap.
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx300m", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), file.toString(), text())
                .redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "child failed:\n" + err);
        String[] lines = out.strip().split("\n");
        assertEquals(IDS.length, lines.length, out);
        for (int k = 0; k < IDS.length; k++) {
            String[] parts = lines[k].split(" ");
            assertEquals("w" + IDS[k], parts[0]);
            for (int c = 0; c < C; c++) {
                assertEquals(value(IDS[k], c), Float.intBitsToFloat(Integer.parseUnsignedInt(parts[1 + c], 16)), 0f,
                        "token " + IDS[k] + " dimension " + c);
            }
        }
        // And in this JVM, through the library.
        Inspection in = Embedder.open(file.toString()).inspectStatic(text(), EmbedOptions.DEFAULTS);
        assertEquals(IDS.length, in.tokens());
        for (int k = 0; k < IDS.length; k++) {
            float[] want = new float[C];
            for (int c = 0; c < C; c++) {
                want[c] = value(IDS[k], c);
            }
            assertArrayEquals(want, in.staticEmbeddings()[k], 0f);
        }
        assertEquals(null, in.vector());
    }

    /** Prints each token and its row as hexadecimal float bits; the time taken goes to standard error. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            long t0 = System.nanoTime();
            Embedder e = Embedder.open(args[0]);
            Inspection in = e.inspectStatic(args[1], EmbedOptions.DEFAULTS);
            List<String> lines = new ArrayList<>();
            for (int t = 0; t < in.tokens(); t++) {
                StringBuilder b = new StringBuilder(in.encoding().token(t));
                for (float v : in.staticEmbeddings()[t]) {
                    b.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(v)));
                }
                lines.add(b.toString());
            }
            System.out.println(String.join("\n", lines));
            System.err.printf("static rows of a %d-byte file in %.0f ms, heap used %d MB%n", Files.size(Path.of(args[0])),
                    (System.nanoTime() - t0) / 1e6, (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        }
    }
}
