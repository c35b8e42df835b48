package dev.tongyeok.tokenize.sentencepiece;

import dev.tongyeok.tokenize.AddedToken;
import dev.tongyeok.tokenize.Decoder;
import dev.tongyeok.tokenize.Model;
import dev.tongyeok.tokenize.Normalizer;
import dev.tongyeok.tokenize.OnigRegex;
import dev.tongyeok.tokenize.PostProcessor;
import dev.tongyeok.tokenize.SplitPattern;
import dev.tongyeok.tokenize.Tokenizer;
import dev.tongyeok.tokenize.TokenizerException;
import dev.tongyeok.tokenize.decode.ByteFallback;
import dev.tongyeok.tokenize.decode.DecoderSequence;
import dev.tongyeok.tokenize.decode.Fuse;
import dev.tongyeok.tokenize.decode.Strip;
import dev.tongyeok.tokenize.model.Bpe;
import dev.tongyeok.tokenize.model.Unigram;
import dev.tongyeok.tokenize.normalize.NormalizerSequence;
import dev.tongyeok.tokenize.normalize.Precompiled;
import dev.tongyeok.tokenize.normalize.Prepend;
import dev.tongyeok.tokenize.normalize.Replace;
import dev.tongyeok.tokenize.process.TemplateProcessing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SentencePiece model file ({@code ModelProto}: the pieces with scores and types, the trainer's
 * settings, the normalizer's), and the tokenizer it describes.
 *
 * <p>The tokenizer segments as SentencePiece itself does: the precompiled charsmap first; then,
 * with {@code remove_extra_whitespaces}, no spaces at either end and one for every run; a ▁ in
 * front with {@code add_dummy_prefix}; every space as ▁ with {@code escape_whitespaces}. A Unigram
 * model then takes the best-scoring segmentation of the whole text, with user-defined pieces scored
 * as SentencePiece scores them ({@code bytes × max score − 0.1}, so that they are nearly always
 * chosen) and control, byte and unused pieces never matched in text; a BPE model merges by the
 * merged piece's score, user-defined pieces kept whole, unknown characters as byte pieces with
 * {@code byte_fallback}. Start and end markers are not in the file; {@link Markers} names the
 * layouts the model families use. Control pieces in the text itself ({@code <s>}) are read as
 * those markers, as HF's tokenizers and transformers read them (SentencePiece alone reads them as
 * characters).
 */
public final class SentencePieceModel {
    /** A piece's type, as {@code ModelProto.SentencePiece.Type} numbers them. */
    public static final int NORMAL = 1;
    public static final int UNKNOWN = 2;
    public static final int CONTROL = 3;
    public static final int USER_DEFINED = 4;
    public static final int UNUSED = 5;
    public static final int BYTE = 6;

    /** The names model repositories give SentencePiece files, beside or instead of tokenizer.json; most common first. */
    public static final List<String> FILE_NAMES = List.of("tokenizer.model", "sentencepiece.bpe.model", "spiece.model");

    /** The segmentation algorithm ({@code TrainerSpec.model_type}). */
    public enum Kind { UNIGRAM, BPE }

    /** Where the start and end markers go, as each model family's tokenizer lays them out. */
    public enum Markers {
        /** None, as SentencePiece's own {@code encode}. */
        NONE,
        /** {@code <s> A} (Llama, Mistral, Gemma). */
        BOS,
        /** {@code <s> A </s>}. */
        BOS_EOS,
        /** {@code A </s>} (T5). */
        EOS,
        /** {@code [CLS] A [SEP]}, pairs {@code [CLS] A [SEP] B [SEP]} with type ids 0 and 1 (ALBERT, DeBERTa v2). */
        CLS_SEP,
        /** {@code <s> A </s>}, pairs {@code <s> A </s></s> B </s>}, with the model's own ids. */
        ROBERTA,
        /**
         * As {@link #ROBERTA}, with the ids XLM-RoBERTa's tokenizer gives (fairseq's dictionary):
         * {@code <s> <pad> </s> <unk>} first, every other piece one id later than in the file,
         * {@code <mask>} last.
         */
        XLM_ROBERTA,
        /** CamemBERT's layout, whose ids follow a fairseq dictionary this reader does not rebuild: refused. */
        CAMEMBERT;

        /**
         * The layout of the tokenizer that a {@code config.json} {@code model_type} names, or
         * {@link #NONE} for one not known here.
         */
        public static Markers forModelType(String modelType) {
            return switch (modelType == null ? "" : modelType.toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
                case "xlm-roberta", "xlm-roberta-xl", "bge-m3" -> XLM_ROBERTA;
                case "camembert" -> CAMEMBERT;
                case "albert", "bert", "deberta-v2", "big-bird", "xlnet" -> CLS_SEP;
                case "t5", "mt5", "umt5", "pegasus" -> EOS;
                case "llama", "mistral", "mixtral", "gemma", "gemma2", "gemma3", "gemma3-text", "qwen2", "baichuan",
                        "internlm" -> BOS;
                default -> NONE;
            };
        }

        /**
         * The layout of the tokenizer class a {@code tokenizer_config.json} names
         * ({@code XLMRobertaTokenizer}, {@code AlbertTokenizerFast}, …), or {@link #NONE}.
         */
        public static Markers forTokenizerClass(String tokenizerClass) {
            if (tokenizerClass == null) {
                return NONE;
            }
            String c = tokenizerClass.replace("TokenizerFast", "").replace("Tokenizer", "")
                    .toLowerCase(java.util.Locale.ROOT);
            return switch (c) {
                case "xlmroberta" -> XLM_ROBERTA;
                case "camembert" -> CAMEMBERT;
                case "albert", "debertav2", "bigbird" -> CLS_SEP;
                case "t5", "mt5", "pegasus" -> EOS;
                case "llama", "codellama", "gemma" -> BOS;
                default -> NONE;
            };
        }
    }

    private final String source;
    private final Kind kind;
    private final String[] pieces;
    private final float[] scores;
    private final int[] types;
    private final int unkId;
    private final int bosId;
    private final int eosId;
    private final boolean byteFallback;
    private final byte[] charsmap;
    private final boolean addDummyPrefix;
    private final boolean removeExtraWhitespaces;
    private final boolean escapeWhitespaces;

    private SentencePieceModel(String source, Kind kind, String[] pieces, float[] scores, int[] types, int unkId,
            int bosId, int eosId, boolean byteFallback, byte[] charsmap, boolean addDummyPrefix,
            boolean removeExtraWhitespaces, boolean escapeWhitespaces) {
        this.source = source;
        this.kind = kind;
        this.pieces = pieces;
        this.scores = scores;
        this.types = types;
        this.unkId = unkId;
        this.bosId = bosId;
        this.eosId = eosId;
        this.byteFallback = byteFallback;
        this.charsmap = charsmap;
        this.addDummyPrefix = addDummyPrefix;
        this.removeExtraWhitespaces = removeExtraWhitespaces;
        this.escapeWhitespaces = escapeWhitespaces;
    }

    /**
     * Reads a model file.
     *
     * @throws TokenizerException when the file is not a SentencePiece model this reader supports,
     *     naming the byte offset or the piece
     */
    public static SentencePieceModel read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses a model from its bytes; {@code source} names it in errors.
     *
     * @throws TokenizerException when the bytes are not a SentencePiece model this reader supports
     */
    public static SentencePieceModel parse(byte[] bytes, String source) {
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        int modelType = 1;
        boolean byteFallback = false;
        boolean suffix = false;
        int unkId = 0;
        int bosId = 1;
        int eosId = 2;
        byte[] charsmap = new byte[0];
        boolean dummyPrefix = true;
        boolean removeExtra = true;
        boolean escape = true;
        boolean trainer = false;
        Protobuf model = new Protobuf(bytes, 0, bytes.length, source, "ModelProto");
        while (model.next()) {
            switch (model.field()) {
                case 1 -> {
                    int at = model.offset();
                    Protobuf p = model.message("ModelProto.pieces[" + pieces.size() + "]");
                    String piece = null;
                    float score = 0;
                    int type = NORMAL;
                    while (p.next()) {
                        switch (p.field()) {
                            case 1 -> piece = p.string();
                            case 2 -> score = p.float32();
                            case 3 -> type = p.int32();
                            default -> p.skip();
                        }
                    }
                    if (piece == null || piece.isEmpty()) {
                        throw model.error(at, "piece " + pieces.size() + " is empty");
                    }
                    if (type < NORMAL || type > BYTE) {
                        throw model.error(at, "piece " + pieces.size() + " ('" + piece + "') has type " + type
                                + " (1 to 6 are defined)");
                    }
                    pieces.add(piece);
                    scores.add(score);
                    types.add(type);
                }
                case 2 -> {
                    trainer = true;
                    Protobuf t = model.message("ModelProto.trainer_spec");
                    while (t.next()) {
                        switch (t.field()) {
                            case 3 -> modelType = t.int32();
                            case 24 -> suffix = t.bool();
                            case 35 -> byteFallback = t.bool();
                            case 40 -> unkId = t.int32();
                            case 41 -> bosId = t.int32();
                            case 42 -> eosId = t.int32();
                            default -> t.skip();
                        }
                    }
                }
                case 3 -> {
                    Protobuf n = model.message("ModelProto.normalizer_spec");
                    while (n.next()) {
                        switch (n.field()) {
                            case 2 -> charsmap = n.bytes();
                            case 3 -> dummyPrefix = n.bool();
                            case 4 -> removeExtra = n.bool();
                            case 5 -> escape = n.bool();
                            default -> n.skip();
                        }
                    }
                }
                default -> model.skip();
            }
        }
        if (pieces.isEmpty()) {
            throw new TokenizerException(source + ": not a SentencePiece model (no pieces"
                    + (trainer ? ")" : ", no trainer_spec)"));
        }
        Kind kind = switch (modelType) {
            case 1 -> Kind.UNIGRAM;
            case 2 -> Kind.BPE;
            case 3 -> throw new TokenizerException(source + ": trainer_spec.model_type WORD is not supported (UNIGRAM, BPE)");
            case 4 -> throw new TokenizerException(source + ": trainer_spec.model_type CHAR is not supported (UNIGRAM, BPE)");
            default -> throw new TokenizerException(source + ": trainer_spec.model_type " + modelType
                    + " is not defined (1 UNIGRAM, 2 BPE)");
        };
        if (suffix) {
            throw new TokenizerException(source + ": trainer_spec.treat_whitespace_as_suffix is not supported");
        }
        int n = pieces.size();
        float[] s = new float[n];
        int[] ty = new int[n];
        Map<String, Integer> seen = new HashMap<>(n * 2);
        int unknown = -1;
        for (int i = 0; i < n; i++) {
            s[i] = scores.get(i);
            ty[i] = types.get(i);
            Integer before = seen.putIfAbsent(pieces.get(i), i);
            if (before != null) {
                throw new TokenizerException(source + ": piece " + i + " ('" + pieces.get(i)
                        + "') is already piece " + before);
            }
            if (ty[i] == UNKNOWN) {
                if (unknown >= 0) {
                    throw new TokenizerException(source + ": pieces " + unknown + " and " + i + " are both unknown");
                }
                unknown = i;
            }
            if (ty[i] == BYTE && !byteFallback) {
                throw new TokenizerException(source + ": piece " + i + " ('" + pieces.get(i)
                        + "') is a byte piece, but trainer_spec.byte_fallback is off");
            }
        }
        if (unknown < 0) {
            throw new TokenizerException(source + ": no piece has the unknown type (2)");
        }
        if (unknown != unkId) {
            throw new TokenizerException(source + ": trainer_spec.unk_id is " + unkId + ", but the unknown piece is "
                    + unknown);
        }
        return new SentencePieceModel(source, kind, pieces.toArray(new String[0]), s, ty, unknown, bosId, eosId,
                byteFallback, charsmap, dummyPrefix, removeExtra, escape);
    }

    public Kind kind() {
        return kind;
    }

    /** The pieces in id order. */
    public List<String> pieces() {
        return List.of(pieces);
    }

    /** The piece's type ({@link #NORMAL} … {@link #BYTE}). */
    public int type(int id) {
        return types[id];
    }

    public float score(int id) {
        return scores[id];
    }

    /** The start piece's id ({@code trainer_spec.bos_id}), or -1 for none. */
    public int bosId() {
        return bosId;
    }

    /** The end piece's id ({@code trainer_spec.eos_id}), or -1 for none. */
    public int eosId() {
        return eosId;
    }

    /**
     * The tokenizer this model describes, with markers laid out as {@code markers} says.
     *
     * @throws TokenizerException when the markers need a piece the model does not have
     */
    public Tokenizer tokenizer(Markers markers) {
        if (markers == Markers.CAMEMBERT) {
            throw new TokenizerException(source + ": CamemBERT's ids follow a fairseq dictionary that its "
                    + "tokenizer.json holds; put the model's tokenizer.json beside it");
        }
        if (markers == Markers.XLM_ROBERTA) {
            return fairseq().tokenizer(Markers.ROBERTA);
        }
        List<AddedToken> added = new ArrayList<>();
        for (int id = 0; id < pieces.length; id++) {
            if (types[id] == CONTROL || types[id] == UNKNOWN) {
                added.add(new AddedToken(pieces[id], false, false, false, false, true));
            } else if (types[id] == USER_DEFINED && kind == Kind.BPE) {
                // BPE keeps user-defined pieces whole where they appear in the normalized text.
                added.add(new AddedToken(pieces[id], false, false, false, true, false));
            }
        }
        return new Tokenizer(normalizer(), null, kind == Kind.UNIGRAM ? unigram() : bpe(), postProcessor(markers),
                decoder(), added, null, null);
    }

    // XLM-RoBERTa's ids: <s> <pad> </s> <unk>, then the file's pieces from id 3 on, each one later, then <mask>.
    private SentencePieceModel fairseq() {
        if (pieces.length < 3 || types[0] != UNKNOWN || !pieces[1].equals("<s>") || !pieces[2].equals("</s>")) {
            throw new TokenizerException(source + ": not laid out as XLM-RoBERTa's SentencePiece model "
                    + "(<unk> <s> </s> first), so its ids cannot be mapped to the model's");
        }
        int n = pieces.length + 2;
        String[] p = new String[n];
        float[] s = new float[n];
        int[] t = new int[n];
        String[] head = {"<s>", "<pad>", "</s>", "<unk>"};
        for (int i = 0; i < 4; i++) {
            p[i] = head[i];
            t[i] = i == 3 ? UNKNOWN : CONTROL;
        }
        for (int i = 3; i < pieces.length; i++) {
            p[i + 1] = pieces[i];
            s[i + 1] = scores[i];
            t[i + 1] = types[i];
        }
        p[n - 1] = "<mask>";
        t[n - 1] = CONTROL;
        return new SentencePieceModel(source, kind, p, s, t, 3, 0, 2, byteFallback, charsmap, addDummyPrefix,
                removeExtraWhitespaces, escapeWhitespaces);
    }

    private Normalizer normalizer() {
        List<Normalizer> steps = new ArrayList<>();
        if (charsmap.length > 0) {
            steps.add(Precompiled.fromBytes(charsmap, source + ": normalizer_spec.precompiled_charsmap"));
        }
        if (removeExtraWhitespaces) {
            steps.add(new Replace(SplitPattern.ofRegex("\\A +| +\\z"), ""));
            steps.add(new Replace(SplitPattern.ofRegex(" {2,}"), " "));
        }
        if (addDummyPrefix) {
            steps.add(new Prepend(" "));
        }
        if (escapeWhitespaces) {
            steps.add(new Replace(SplitPattern.ofRegex(OnigRegex.literal(" ")), "\u2581"));
        }
        return steps.isEmpty() ? null : new NormalizerSequence(steps);
    }

    private Model unigram() {
        // SentencePiece's bonus for user-defined pieces: the piece's UTF-8 length times the highest
        // score of a normal piece (no lower than FLT_MIN, its starting value), less 0.1, in float.
        float max = Float.MIN_VALUE;
        for (int id = 0; id < pieces.length; id++) {
            if (types[id] == NORMAL) {
                max = Math.max(max, scores[id]);
            }
        }
        double[] s = new double[pieces.length];
        BitSet matchable = new BitSet(pieces.length);
        for (int id = 0; id < pieces.length; id++) {
            if (types[id] == USER_DEFINED) {
                s[id] = (float) (pieces[id].getBytes(StandardCharsets.UTF_8).length * max - 0.1);
            } else {
                s[id] = scores[id];
            }
            if (types[id] == NORMAL || types[id] == USER_DEFINED) {
                matchable.set(id);
            }
        }
        return new Unigram(Arrays.asList(pieces), s, unkId, byteFallback, matchable);
    }

    private Model bpe() {
        Map<String, Integer> vocab = new LinkedHashMap<>(pieces.length * 2);
        for (int id = 0; id < pieces.length; id++) {
            vocab.put(pieces[id], id);
        }
        return new Bpe(vocab, mergesFromScores(pieces, scores), pieces[unkId], null, null, true, byteFallback, false);
    }

    private Decoder decoder() {
        List<Decoder> steps = new ArrayList<>();
        steps.add(new Replace(SplitPattern.ofRegex(OnigRegex.literal("\u2581")), " "));
        steps.add(new ByteFallback());
        steps.add(new Fuse());
        if (addDummyPrefix) {
            steps.add(new Strip(' ', 1, 0));
        }
        return new DecoderSequence(steps);
    }

    private PostProcessor postProcessor(Markers markers) {
        return switch (markers) {
            case NONE -> null;
            case BOS -> template(List.of(bos(), a()), List.of(bos(), a(), bos(), b(0)));
            case BOS_EOS -> template(List.of(bos(), a(), eos()), List.of(bos(), a(), eos(), bos(), b(0), eos()));
            case EOS -> template(List.of(a(), eos()), List.of(a(), eos(), b(0), eos()));
            case ROBERTA, XLM_ROBERTA, CAMEMBERT -> template(List.of(bos(), a(), eos()), List.of(bos(), a(), eos(), eos(), b(0), eos()));
            case CLS_SEP -> {
                TemplateProcessing.Piece cls = special("[CLS]", 0);
                TemplateProcessing.Piece sep = special("[SEP]", 0);
                yield template(List.of(cls, a(), sep), List.of(cls, a(), sep, b(1), special("[SEP]", 1)));
            }
        };
    }

    private TemplateProcessing.Piece bos() {
        return special(markerPiece(bosId, "bos_id"), 0);
    }

    private TemplateProcessing.Piece eos() {
        return special(markerPiece(eosId, "eos_id"), 0);
    }

    private String markerPiece(int id, String field) {
        if (id < 0 || id >= pieces.length) {
            throw new TokenizerException(source + ": trainer_spec." + field + " is " + id + ": the model has no such "
                    + "marker (" + pieces.length + " pieces)");
        }
        return pieces[id];
    }

    private TemplateProcessing.Piece special(String piece, int typeId) {
        return new TemplateProcessing.Piece(false, piece, typeId);
    }

    private static TemplateProcessing.Piece a() {
        return new TemplateProcessing.Piece(true, "A", 0);
    }

    private static TemplateProcessing.Piece b(int typeId) {
        return new TemplateProcessing.Piece(true, "B", typeId);
    }

    private TemplateProcessing template(List<TemplateProcessing.Piece> single, List<TemplateProcessing.Piece> pair) {
        Map<String, TemplateProcessing.SpecialToken> specials = new HashMap<>();
        for (TemplateProcessing.Piece p : single) {
            if (!p.isSequence()) {
                int id = Arrays.asList(pieces).indexOf(p.id());
                if (id < 0) {
                    throw new TokenizerException(source + ": the markers need a piece '" + p.id()
                            + "', which the model does not have");
                }
                specials.put(p.id(), new TemplateProcessing.SpecialToken(p.id(), new int[] {id}, new String[] {p.id()}));
            }
        }
        return new TemplateProcessing(single, pair, specials);
    }

    /**
     * SentencePiece BPE's merges as HF's converter derives them from a vocabulary with scores: every
     * way to split a piece into two pieces of the vocabulary is a merge; merges are ranked by the
     * merged piece's score, highest first (ties: in vocabulary order, then by the ids of the left
     * and right pieces).
     */
    public static List<String[]> mergesFromScores(String[] tokens, float[] scores) {
        Map<String, Integer> ids = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            ids.putIfAbsent(tokens[i], i);
        }
        record Merge(String left, String right, int piece, int l, int r) {}
        List<Merge> all = new ArrayList<>();
        for (int id = 0; id < tokens.length; id++) {
            String piece = tokens[id];
            List<Merge> local = new ArrayList<>();
            for (int cut = piece.offsetByCodePoints(0, Math.min(1, piece.codePointCount(0, piece.length())));
                    cut < piece.length(); cut = piece.offsetByCodePoints(cut, 1)) {
                Integer l = ids.get(piece.substring(0, cut));
                Integer r = ids.get(piece.substring(cut));
                if (l != null && r != null) {
                    local.add(new Merge(piece.substring(0, cut), piece.substring(cut), id, l, r));
                }
            }
            local.sort(Comparator.comparingInt(Merge::l).thenComparingInt(Merge::r));
            all.addAll(local);
        }
        // A stable sort: equal scores keep vocabulary order.
        all.sort((a, b) -> Float.compare(scores[b.piece()], scores[a.piece()]));
        List<String[]> out = new ArrayList<>(all.size());
        for (Merge m : all) {
            out.add(new String[] {m.left(), m.right()});
        }
        return out;
    }
}
