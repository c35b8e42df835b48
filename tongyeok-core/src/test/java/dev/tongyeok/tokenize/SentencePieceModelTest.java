package dev.tongyeok.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.oracle.SentencePiece;
import dev.tongyeok.tokenize.sentencepiece.SentencePieceModel;
import dev.tongyeok.tokenize.sentencepiece.SentencePieceModel.Markers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SentencePiece model files read and run, against SentencePiece itself (its WebAssembly build) on
 * every UDHR language, Brown sentences and whitespace edge cases: the three real models the oracle
 * package embeds (ALBERT's Unigram with an NFKC charsmap and user-defined pieces, a Llama-style BPE
 * with byte fallback, a 50k Unigram), and variants of them with the normalizer's switches turned.
 */
class SentencePieceModelTest {
    @TempDir
    static Path dir;

    static List<Path> real;
    static List<String> texts;

    @BeforeAll
    static void corpus() {
        real = SentencePiece.realModels(dir);
        texts = new ArrayList<>();
        Fixtures.udhr().values().forEach(ps -> texts.addAll(ps.subList(0, Math.min(2, ps.size()))));
        texts.addAll(Fixtures.brown(300));
        texts.addAll(List.of("", " ", "   ", "\t", "\n\n", "a", " a", "a ", "  two  spaces  ", "tab\there", "line\nbreak",
                "I love you so much.", "안녕하세요", "こんにちは", "你好", "@#%^&*()", "U.S.-(a) \"quoted\" – £5 €6",
                "▁already▁escaped", "ｆｕｌｌｗｉｄｔｈ ＡＢＣ", "emoji 🤗🎉 and \u200b zero width", "x\u00a0y\u3000z",
                "a\u0301 combining", "ﬁ ligature ①", "12345 67890"));
        assertTrue(texts.size() > 1000, texts.size() + " texts");
    }

    @Test
    void realModelsTokenizeAsSentencePiece() throws Exception {
        for (Path model : real) {
            assertSameIds(model, texts);
        }
    }

    @Test
    void normalizerSwitchesTokenizeAsSentencePiece() throws Exception {
        // ALBERT's model with each whitespace switch of normalizer_spec turned off in turn.
        Path albert = real.get(0);
        byte[] original = Files.readAllBytes(albert);
        List<String> sample = texts.subList(0, Math.min(texts.size(), 400));
        List<String> edges = texts.subList(texts.size() - 24, texts.size());
        for (int field : new int[] {3, 4, 5}) {
            Path variant = dir.resolve("albert-without-" + field + ".model");
            Files.write(variant, ModelProtoWriter.withNormalizerSwitch(original, field, false));
            List<String> t = new ArrayList<>(sample);
            t.addAll(edges);
            assertSameIds(variant, t);
        }
    }

    @Test
    void userDefinedPiecesScoreAsSentencePiece() throws Exception {
        // SentencePiece scores a user-defined piece bytes × (highest normal score) − 0.1: "ab" loses to
        // a + b (−0.02), "cd" beats c + d (−10); a tokenizer that split user-defined pieces out first,
        // or scored them 0, would take "ab".
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(ModelProtoWriter.piece("<unk>", 0, 2));
        m.writeBytes(ModelProtoWriter.piece("\u2581", -0.01f, 1));
        m.writeBytes(ModelProtoWriter.piece("a", -0.01f, 1));
        m.writeBytes(ModelProtoWriter.piece("b", -0.01f, 1));
        m.writeBytes(ModelProtoWriter.piece("c", -5, 1));
        m.writeBytes(ModelProtoWriter.piece("d", -5, 1));
        m.writeBytes(ModelProtoWriter.piece("ab", 0, 4));
        m.writeBytes(ModelProtoWriter.piece("cd", 0, 4));
        Path tiny = dir.resolve("user-defined.model");
        Files.write(tiny, m.toByteArray());
        List<String> t = List.of("ab", "cd", "abcd", "ab cd", "x ab y", "abab cdcd");
        assertSameIds(tiny, t);
        assertEquals(List.of("\u2581", "a", "b", "cd"), SentencePieceModel.read(tiny).tokenizer(Markers.NONE)
                .encode("abcd").tokens());
    }

    @Test
    void markersFollowTheFamilysLayout() throws Exception {
        SentencePieceModel albert = SentencePieceModel.read(real.get(0));
        Encoding e = albert.tokenizer(Markers.CLS_SEP).encodePair("hello world", "second", true);
        assertEquals("[CLS]", e.token(0));
        assertEquals(1, e.typeIds()[e.length() - 1]);
        assertEquals(2, e.tokens().stream().filter("[SEP]"::equals).count());
        SentencePieceModel llama = SentencePieceModel.read(real.get(1));
        Encoding b = llama.tokenizer(Markers.BOS).encode("hello");
        assertEquals(llama.bosId(), b.ids()[0]);
        assertEquals("hello", llama.tokenizer(Markers.BOS).decode(b.ids(), true));
        Encoding r = llama.tokenizer(Markers.ROBERTA).encodePair("a", "b", true);
        assertEquals(List.of("<s>", "▁a", "</s>", "</s>", "▁b", "</s>"), r.tokens());
        // Control pieces in the text are markers, as HF's tokenizers read them (SentencePiece reads characters).
        Encoding literal = albert.tokenizer(Markers.NONE).encode("a [SEP] b");
        assertTrue(literal.tokens().contains("[SEP]"), literal.tokens().toString());
        assertEquals(Markers.XLM_ROBERTA, Markers.forModelType("xlm-roberta"));
        assertEquals(Markers.CLS_SEP, Markers.forTokenizerClass("AlbertTokenizerFast"));
        assertEquals(Markers.EOS, Markers.forModelType("t5"));
        assertEquals(Markers.NONE, Markers.forModelType("something-new"));
    }

    @Test
    void decodesWhatItEncodes() throws Exception {
        SentencePieceModel smart = SentencePieceModel.read(real.get(2));
        Tokenizer t = smart.tokenizer(Markers.NONE);
        assertEquals("Hello world, again!", t.decode(t.encode("Hello   world, again!").ids(), true));
        Tokenizer llama = SentencePieceModel.read(real.get(1)).tokenizer(Markers.NONE);
        assertEquals("byte fallback: 🤗", llama.decode(llama.encode("byte fallback: 🤗").ids(), true));
    }

    @Test
    void brokenFilesAreRefusedInOneLine() throws Exception {
        byte[] original = Files.readAllBytes(real.get(2));
        TokenizerException truncated = assertThrows(TokenizerException.class,
                () -> SentencePieceModel.parse(Arrays.copyOf(original, original.length / 2), "half.model"));
        assertTrue(truncated.getMessage().startsWith("half.model: byte "), truncated.getMessage());
        TokenizerException json = assertThrows(TokenizerException.class,
                () -> SentencePieceModel.parse("{\"version\": \"1.0\"}".getBytes(StandardCharsets.UTF_8), "t.model"));
        assertTrue(json.getMessage().startsWith("t.model: "), json.getMessage());
        TokenizerException empty = assertThrows(TokenizerException.class,
                () -> SentencePieceModel.parse(new byte[0], "empty.model"));
        assertEquals("empty.model: not a SentencePiece model (no pieces, no trainer_spec)", empty.getMessage());
        // A piece twice.
        ByteArrayOutputStream twice = new ByteArrayOutputStream();
        twice.writeBytes(ModelProtoWriter.piece("<unk>", 0, 2));
        twice.writeBytes(ModelProtoWriter.piece("a", -1, 1));
        twice.writeBytes(ModelProtoWriter.piece("a", -2, 1));
        TokenizerException dup = assertThrows(TokenizerException.class,
                () -> SentencePieceModel.parse(twice.toByteArray(), "dup.model"));
        assertEquals("dup.model: piece 2 ('a') is already piece 1", dup.getMessage());
        // No unknown piece.
        TokenizerException unk = assertThrows(TokenizerException.class,
                () -> SentencePieceModel.parse(ModelProtoWriter.piece("a", -1, 1), "nounk.model"));
        assertEquals("nounk.model: no piece has the unknown type (2)", unk.getMessage());
        // A length that claims more than the file holds.
        byte[] lying = {0x0a, (byte) 0xff, 0x7f, 0x0a};
        TokenizerException length = assertThrows(TokenizerException.class,
                () -> SentencePieceModel.parse(lying, "lying.model"));
        assertEquals("lying.model: byte 1 (ModelProto): field 1 claims 16383 bytes, the message has 1 left", length.getMessage());
    }

    private static void assertSameIds(Path model, List<String> texts) throws Exception {
        List<int[]> expected = SentencePiece.encode(model, texts);
        Tokenizer ours = SentencePieceModel.read(model).tokenizer(Markers.NONE);
        List<String> differ = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            int[] got = ours.encode(texts.get(i)).ids();
            if (!Arrays.equals(expected.get(i), got)) {
                differ.add("'" + texts.get(i) + "': SentencePiece " + Arrays.toString(expected.get(i)) + ", ours "
                        + Arrays.toString(got));
            }
        }
        assertTrue(differ.isEmpty(), model.getFileName() + ": " + differ.size() + " of " + texts.size()
                + " texts differ, first: " + differ.subList(0, Math.min(3, differ.size())));
        assertArrayEquals(expected.get(0), ours.encode(texts.get(0)).ids());
    }
}
