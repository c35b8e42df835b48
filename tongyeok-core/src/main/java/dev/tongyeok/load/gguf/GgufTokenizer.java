package dev.tongyeok.load.gguf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tongyeok.load.ModelException;
import dev.tongyeok.tokenize.KnownPatterns;
import dev.tongyeok.tokenize.Tokenizer;
import dev.tongyeok.tokenize.json.TokenizerJson;
import dev.tongyeok.tokenize.sentencepiece.SentencePieceModel;

/**
 * The tokenizer a GGUF file's metadata describes, as the tokenizer.json HuggingFace ships with
 * the same model: {@code tokenizer.ggml.model} {@code llama} (SentencePiece BPE: tokens with
 * scores, merges derived from the scores as HF's converter derives them, byte fallback),
 * {@code gpt2} (byte-level BPE with merges, split by the regular expression
 * {@code tokenizer.ggml.pre} names), {@code t5} (SentencePiece Unigram, llama.cpp's UGM: XLM-RoBERTa,
 * T5; its {@code precompiled_charsmap} normalizer and whitespace rules) or {@code bert} (WordPiece; llama.cpp writes word-initial
 * pieces with a leading ▁ and continuations without {@code ##}, which is undone here; lowercasing
 * and accent stripping as {@code tokenizer.ggml.normalizer.*} say). Token types
 * (3 control, 4 user-defined, 2 unknown) become added tokens; {@code add_bos_token} and
 * {@code add_eos_token} the start and end markers.
 */
public final class GgufTokenizer {
    private static final int UNKNOWN = 2;
    private static final int CONTROL = 3;
    private static final int USER_DEFINED = 4;

    private GgufTokenizer() {}

    /**
     * The tokenizer of {@code f}.
     *
     * @throws ModelException when the metadata has no tokenizer, or one of an unsupported kind
     */
    public static Tokenizer of(GgufFile f) {
        return TokenizerJson.parse(toJson(f), f.path().getFileName() + " (GGUF tokenizer)");
    }

    /**
     * The tokenizer.json text equivalent to {@code f}'s tokenizer metadata.
     *
     * @throws ModelException when the metadata has no tokenizer, or one of an unsupported kind
     */
    public static String toJson(GgufFile f) {
        String file = f.path().getFileName().toString();
        if (f.find("tokenizer.ggml.model").isEmpty()) {
            throw new ModelException(file + ": no tokenizer (metadata tokenizer.ggml.model is missing, and no "
                    + "tokenizer.json lies beside it)");
        }
        String kind = f.string("tokenizer.ggml.model");
        String[] tokens = f.strings("tokenizer.ggml.tokens");
        int[] types = f.find("tokenizer.ggml.token_type").isPresent() ? f.ints("tokenizer.ggml.token_type") : null;
        if (types != null && types.length != tokens.length) {
            throw new ModelException(file + ": metadata tokenizer.ggml.token_type has " + types.length
                    + " entries for " + tokens.length + " tokens");
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode model = json.createObjectNode();
        switch (kind) {
            case "llama" -> llama(f, tokens, types, root, model);
            case "gpt2" -> gpt2(f, tokens, root, model);
            case "bert" -> bert(f, tokens, root, model);
            case "t5" -> unigram(f, tokens, types, root, model);
            default -> throw new ModelException(file + ": metadata tokenizer.ggml.model '" + kind
                    + "' is not supported (llama, gpt2, bert, t5)");
        }
        root.set("model", model);
        if (types != null) {
            for (int id = 0; id < tokens.length; id++) {
                if (types[id] == CONTROL || types[id] == UNKNOWN || types[id] == USER_DEFINED) {
                    ObjectNode a = added.addObject();
                    a.put("id", id);
                    a.put("content", kind.equals("bert") ? bertToken(tokens[id]) : tokens[id]);
                    a.put("single_word", false);
                    a.put("lstrip", false);
                    a.put("rstrip", false);
                    a.put("normalized", types[id] == USER_DEFINED && kind.equals("llama"));
                    a.put("special", types[id] != USER_DEFINED);
                }
            }
        }
        if (!kind.equals("bert")) {
            root.set("post_processor", template(f, tokens, json, kind));
        }
        try {
            return json.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // SentencePiece BPE (Llama 2): ▁ for spaces and at the start, byte fallback, merges ranked by score.
    private static void llama(GgufFile f, String[] tokens, int[] types, ObjectNode root, ObjectNode model) {
        float[] scores = f.floats("tokenizer.ggml.scores");
        if (scores.length != tokens.length) {
            throw new ModelException(f.path().getFileName() + ": metadata tokenizer.ggml.scores has " + scores.length
                    + " entries for " + tokens.length + " tokens");
        }
        ObjectNode norm = root.putObject("normalizer");
        norm.put("type", "Sequence");
        ArrayNode ns = norm.putArray("normalizers");
        // Gemma's vocabularies add no leading ▁ (the converter writes add_space_prefix false).
        boolean prefix = f.bool("tokenizer.ggml.add_space_prefix", true);
        if (prefix) {
            ns.addObject().put("type", "Prepend").put("prepend", "\u2581");
        }
        ObjectNode rep = ns.addObject().put("type", "Replace");
        rep.putObject("pattern").put("String", " ");
        rep.put("content", "\u2581");
        root.putNull("pre_tokenizer");
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "Sequence");
        ArrayNode ds = dec.putArray("decoders");
        ObjectNode r = ds.addObject().put("type", "Replace");
        r.putObject("pattern").put("String", "\u2581");
        r.put("content", " ");
        ds.addObject().put("type", "ByteFallback");
        ds.addObject().put("type", "Fuse");
        if (prefix) {
            ds.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        }
        model.put("type", "BPE");
        model.putNull("dropout");
        int unk = (int) f.integer("tokenizer.ggml.unknown_token_id", unknownId(types));
        if (unk >= 0 && unk < tokens.length) {
            model.put("unk_token", tokens[unk]);
        } else {
            model.putNull("unk_token");
        }
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", true);
        model.put("byte_fallback", true);
        vocab(model, tokens);
        ArrayNode merges = model.putArray("merges");
        for (String[] m : SentencePieceModel.mergesFromScores(tokens, scores)) {
            merges.addArray().add(m[0]).add(m[1]);
        }
    }

    private static int unknownId(int[] types) {
        if (types != null) {
            for (int i = 0; i < types.length; i++) {
                if (types[i] == UNKNOWN) {
                    return i;
                }
            }
        }
        return -1;
    }

    // Byte-level BPE: split by the model's expression, bytes as printable characters, merges as given.
    private static void gpt2(GgufFile f, String[] tokens, ObjectNode root, ObjectNode model) {
        String pre = f.string("tokenizer.ggml.pre", "gpt2");
        String regex = switch (pre) {
            // The expressions the models' own tokenizer.json files give, by tokenizer.ggml.pre name.
            case "llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral", "smaug-bpe", "dbrx" -> KnownPatterns.CL100K;
            case "qwen2", "deepseek-r1-qwen" -> KnownPatterns.QWEN;
            case "gpt-4o" -> KnownPatterns.O200K;
            // llama.cpp splits these with GPT-2's expression (llama-vocab.cpp, LLAMA_VOCAB_PRE_TYPE_GPT2).
            case "gpt2", "default", "gpt-2", "phi-2", "modern-bert", "jina-es", "jina-de", "jina-v2-es", "jina-v2-de",
                    "mellum" -> null;
            default -> throw new ModelException(f.path().getFileName() + ": metadata tokenizer.ggml.pre '" + pre
                    + "' is not supported (gpt2, llama-bpe, qwen2, gpt-4o)");
        };
        if (pre.equals("qwen2") || pre.equals("deepseek-r1-qwen")) {
            root.putObject("normalizer").put("type", "NFC");
        } else {
            root.putNull("normalizer");
        }
        ObjectNode p = root.putObject("pre_tokenizer");
        if (regex == null) {
            p.put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", true);
        } else {
            p.put("type", "Sequence");
            ArrayNode ps = p.putArray("pretokenizers");
            ObjectNode split = ps.addObject().put("type", "Split");
            split.putObject("pattern").put("Regex", regex);
            split.put("behavior", "Isolated").put("invert", false);
            ps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false)
                    .put("use_regex", false);
        }
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true)
                .put("use_regex", true);
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        // llama.cpp looks a whole word up before merging for Llama 3 (HF: ignore_merges).
        model.put("ignore_merges", KnownPatterns.CL100K.equals(regex));
        vocab(model, tokens);
        ArrayNode merges = model.putArray("merges");
        String[] ms = f.find("tokenizer.ggml.merges").isPresent() ? f.strings("tokenizer.ggml.merges") : new String[0];
        for (int i = 0; i < ms.length; i++) {
            int space = ms[i].indexOf(' ', 1);
            if (space < 0) {
                throw new ModelException(f.path().getFileName() + ": metadata tokenizer.ggml.merges[" + i + "] '" + ms[i]
                        + "' is not two tokens separated by a space");
            }
            merges.addArray().add(ms[i].substring(0, space)).add(ms[i].substring(space + 1));
        }
    }

    /**
     * SentencePiece Unigram as llama.cpp's UGM tokenizer runs it: the precompiled charsmap first;
     * then, with {@code remove_extra_whitespaces}, every run of spaces becomes one ▁ before the word
     * it precedes (none at either end), else every space becomes ▁ and, with {@code add_space_prefix},
     * one more goes in front; then Viterbi over the whole string (a SentencePiece vocabulary has no
     * piece with ▁ inside, so this equals splitting at words). Unknown code points are one unknown
     * token per run, scored 10 below the lowest piece.
     */
    private static void unigram(GgufFile f, String[] tokens, int[] types, ObjectNode root, ObjectNode model) {
        String file = f.path().getFileName().toString();
        float[] scores = f.floats("tokenizer.ggml.scores");
        if (scores.length != tokens.length) {
            throw new ModelException(file + ": metadata tokenizer.ggml.scores has " + scores.length + " entries for "
                    + tokens.length + " tokens");
        }
        boolean merge = f.bool("tokenizer.ggml.remove_extra_whitespaces", false);
        boolean prefix = f.bool("tokenizer.ggml.add_space_prefix", false);
        ObjectNode norm = root.putObject("normalizer");
        norm.put("type", "Sequence");
        ArrayNode ns = norm.putArray("normalizers");
        if (f.find("tokenizer.ggml.precompiled_charsmap").isPresent()) {
            int[] map = f.ints("tokenizer.ggml.precompiled_charsmap");
            byte[] bytes = new byte[map.length];
            for (int i = 0; i < map.length; i++) {
                bytes[i] = (byte) map[i];
            }
            if (bytes.length > 0) {
                ns.addObject().put("type", "Precompiled").put("precompiled_charsmap",
                        java.util.Base64.getEncoder().encodeToString(bytes));
            }
        }
        if (merge) {
            replace(ns, "Regex", "^ +| +$", "");
            replace(ns, "Regex", " {2,}", " ");
        }
        if (merge || prefix) {
            ns.addObject().put("type", "Prepend").put("prepend", " ");
        }
        replace(ns, "String", " ", "\u2581");
        root.putNull("pre_tokenizer");
        root.putObject("decoder").put("type", "Metaspace").put("replacement", "\u2581").put("prepend_scheme", "always")
                .put("split", true);
        int unk = (int) f.integer("tokenizer.ggml.unknown_token_id", unknownId(types));
        if (unk < 0 || unk >= tokens.length) {
            throw new ModelException(file + ": metadata tokenizer.ggml.unknown_token_id " + unk + " is outside the "
                    + tokens.length + " tokens");
        }
        model.put("type", "Unigram");
        model.put("unk_id", unk);
        model.put("byte_fallback", false);
        ArrayNode vocab = model.putArray("vocab");
        for (int i = 0; i < tokens.length; i++) {
            vocab.addArray().add(tokens[i]).add(scores[i]);
        }
    }

    private static void replace(ArrayNode normalizers, String kind, String pattern, String content) {
        ObjectNode r = normalizers.addObject().put("type", "Replace");
        r.putObject("pattern").put(kind, pattern);
        r.put("content", content);
    }

    // WordPiece: split at whitespace and punctuation, [CLS] … [SEP]; lowercased and accents stripped
    // as tokenizer.ggml.normalizer.lowercase and .strip_accents say (the converter copies them from
    // the BertNormalizer; a file from before it wrote them was made from an uncased model, lowercased).
    private static void bert(GgufFile f, String[] tokens, ObjectNode root, ObjectNode model) {
        boolean lowercase = f.bool("tokenizer.ggml.normalizer.lowercase", true);
        boolean stripAccents = f.bool("tokenizer.ggml.normalizer.strip_accents", lowercase);
        root.putObject("normalizer").put("type", "BertNormalizer").put("clean_text", true)
                .put("handle_chinese_chars", true).put("strip_accents", stripAccents).put("lowercase", lowercase);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        String[] vocab = new String[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            vocab[i] = bertToken(tokens[i]);
        }
        int unk = (int) f.integer("tokenizer.ggml.unknown_token_id", 100);
        int cls = (int) f.integer("tokenizer.ggml.cls_token_id", f.integer("tokenizer.ggml.bos_token_id", 101));
        int sep = (int) f.integer("tokenizer.ggml.seperator_token_id", f.integer("tokenizer.ggml.eos_token_id", 102));
        for (int id : new int[] {unk, cls, sep}) {
            if (id < 0 || id >= tokens.length) {
                throw new ModelException(f.path().getFileName() + ": special token id " + id + " is outside the "
                        + tokens.length + " tokens");
            }
        }
        model.put("type", "WordPiece");
        model.put("unk_token", vocab[unk]);
        model.put("continuing_subword_prefix", "##");
        model.put("max_input_chars_per_word", 100);
        vocab(model, vocab);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "BertProcessing");
        post.putArray("sep").add(vocab[sep]).add(sep);
        post.putArray("cls").add(vocab[cls]).add(cls);
    }

    /** A WordPiece token as tokenizer.json spells it, from llama.cpp's spelling (▁word, piece, [SPECIAL]). */
    static String bertToken(String t) {
        if (t.startsWith("\u2581")) {
            return t.substring(1);
        }
        if (t.startsWith("[") && t.endsWith("]")) {
            return t;
        }
        return "##" + t;
    }

    private static void vocab(ObjectNode model, String[] tokens) {
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < tokens.length; i++) {
            if (!v.has(tokens[i])) {
                v.put(tokens[i], i);
            }
        }
    }

    // The start and end markers, as llama.cpp defaults them per vocabulary: add_bos_token (on for
    // llama), add_eos_token (on for t5).
    private static JsonNode template(GgufFile f, String[] tokens, ObjectMapper json, String kind) {
        boolean bos = f.bool("tokenizer.ggml.add_bos_token", kind.equals("llama"));
        boolean eos = f.bool("tokenizer.ggml.add_eos_token", kind.equals("t5"));
        ObjectNode t = json.createObjectNode();
        t.put("type", "TemplateProcessing");
        ArrayNode single = t.putArray("single");
        ArrayNode pair = t.putArray("pair");
        ObjectNode specials = t.putObject("special_tokens");
        String b = bos ? special(f, tokens, "bos", specials) : null;
        String e = eos ? special(f, tokens, "eos", specials) : null;
        // An XLM-RoBERTa encoder (a BERT graph over a t5 vocabulary): RoBERTa's pairs, <s> A </s></s> B </s>,
        // as llama.cpp lays a reranker's pair out (bos, query, eos, sep, document, eos).
        boolean roberta = kind.equals("t5") && f.architecture().equals("bert") && b != null && e != null;
        for (int s = 0; s < 2; s++) {
            ArrayNode seq = s == 0 ? single : pair;
            for (int part = 0; part < (s == 0 ? 1 : 2); part++) {
                int type = roberta ? 0 : part;
                if (b != null && !(roberta && part == 1)) {
                    seq.addObject().putObject("SpecialToken").put("id", b).put("type_id", type);
                }
                if (roberta && part == 1) {
                    seq.addObject().putObject("SpecialToken").put("id", e).put("type_id", type);
                }
                seq.addObject().putObject("Sequence").put("id", part == 0 ? "A" : "B").put("type_id", type);
                if (e != null) {
                    seq.addObject().putObject("SpecialToken").put("id", e).put("type_id", type);
                }
            }
        }
        return t;
    }

    private static String special(GgufFile f, String[] tokens, String which, ObjectNode specials) {
        String key = "tokenizer.ggml." + which + "_token_id";
        long id = f.integer(key);
        if (id < 0 || id >= tokens.length) {
            throw new ModelException(f.path().getFileName() + ": metadata " + key + " = " + id + " is outside the "
                    + tokens.length + " tokens");
        }
        ObjectNode s = specials.putObject(tokens[(int) id]);
        s.put("id", tokens[(int) id]);
        s.putArray("ids").add(id);
        s.putArray("tokens").add(tokens[(int) id]);
        return tokens[(int) id];
    }
}
