package dev.tongyeok.tokenize.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tongyeok.tokenize.AddedToken;
import dev.tongyeok.tokenize.Decoder;
import dev.tongyeok.tokenize.Model;
import dev.tongyeok.tokenize.Normalizer;
import dev.tongyeok.tokenize.OnigRegex;
import dev.tongyeok.tokenize.Padding;
import dev.tongyeok.tokenize.PostProcessor;
import dev.tongyeok.tokenize.PreTokenizer;
import dev.tongyeok.tokenize.SplitBehavior;
import dev.tongyeok.tokenize.SplitPattern;
import dev.tongyeok.tokenize.Tokenizer;
import dev.tongyeok.tokenize.TokenizerException;
import dev.tongyeok.tokenize.Truncation;
import dev.tongyeok.tokenize.decode.BpeDecoder;
import dev.tongyeok.tokenize.decode.ByteFallback;
import dev.tongyeok.tokenize.decode.Ctc;
import dev.tongyeok.tokenize.decode.DecoderSequence;
import dev.tongyeok.tokenize.decode.Fuse;
import dev.tongyeok.tokenize.decode.WordPieceDecoder;
import dev.tongyeok.tokenize.model.Bpe;
import dev.tongyeok.tokenize.model.Unigram;
import dev.tongyeok.tokenize.model.WordLevel;
import dev.tongyeok.tokenize.model.WordPiece;
import dev.tongyeok.tokenize.normalize.BertNormalizer;
import dev.tongyeok.tokenize.normalize.Lowercase;
import dev.tongyeok.tokenize.normalize.Nmt;
import dev.tongyeok.tokenize.normalize.NormalizerSequence;
import dev.tongyeok.tokenize.normalize.Precompiled;
import dev.tongyeok.tokenize.normalize.Prepend;
import dev.tongyeok.tokenize.normalize.Replace;
import dev.tongyeok.tokenize.normalize.Strip;
import dev.tongyeok.tokenize.normalize.StripAccents;
import dev.tongyeok.tokenize.normalize.UnicodeForm;
import dev.tongyeok.tokenize.pretokenize.BertPreTokenizer;
import dev.tongyeok.tokenize.pretokenize.ByteLevel;
import dev.tongyeok.tokenize.pretokenize.CharDelimiterSplit;
import dev.tongyeok.tokenize.pretokenize.Digits;
import dev.tongyeok.tokenize.pretokenize.Metaspace;
import dev.tongyeok.tokenize.pretokenize.PreTokenizerSequence;
import dev.tongyeok.tokenize.pretokenize.Punctuation;
import dev.tongyeok.tokenize.pretokenize.Split;
import dev.tongyeok.tokenize.pretokenize.UnicodeScripts;
import dev.tongyeok.tokenize.pretokenize.Whitespace;
import dev.tongyeok.tokenize.pretokenize.WhitespaceSplit;
import dev.tongyeok.tokenize.process.BertProcessing;
import dev.tongyeok.tokenize.process.ProcessorSequence;
import dev.tongyeok.tokenize.process.RobertaProcessing;
import dev.tongyeok.tokenize.process.TemplateProcessing;
import dev.tongyeok.tokenize.unicode.UnicodeNormalizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads HuggingFace {@code tokenizer.json} files: the one place that maps each component's
 * {@code "type"} to its class. Errors name the file and the JSON path of the offending field.
 */
public final class TokenizerJson {
    private final String source;

    private TokenizerJson(String source) {
        this.source = source;
    }

    /**
     * Reads {@code file}.
     *
     * @throws IOException when it cannot be read
     * @throws TokenizerException when it is not a valid tokenizer.json
     */
    public static Tokenizer read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TokenizerException(file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new TokenizerException(file + ": not UTF-8 text");
        }
        return parse(text, file.toString());
    }

    /**
     * Parses tokenizer.json text; {@code source} names it in errors.
     *
     * @throws TokenizerException when it is not a valid tokenizer.json
     */
    public static Tokenizer parse(String json, String source) {
        JsonNode root;
        try {
            root = JsonTree.parse(json);
        } catch (IOException e) {
            throw notJson(e, source);
        }
        return parse(root, source);
    }

    private static Tokenizer parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new TokenizerException(source + ": expected a JSON object at the top level");
        }
        return new TokenizerJson(source).tokenizer(root);
    }

    /** A parser's failure as one line naming the source and the place (in-memory text has no other). */
    private static TokenizerException notJson(IOException e, String source) {
        if (e instanceof JsonProcessingException j) {
            var loc = j.getLocation();
            return new TokenizerException(source + ": not valid JSON" + (loc == null ? "" : " at line "
                    + loc.getLineNr() + ", column " + loc.getColumnNr()) + ": " + j.getOriginalMessage());
        }
        return new TokenizerException(source + ": not valid JSON: " + e.getMessage());
    }

    private Tokenizer tokenizer(JsonNode root) {
        JsonNode modelNode = root.get("model");
        if (modelNode == null || modelNode.isNull()) {
            throw error("model", "is missing");
        }
        Model model = model(modelNode, "model");
        Normalizer normalizer = nullable(root, "normalizer") ? null : normalizer(root.get("normalizer"), "normalizer");
        PreTokenizer pre = nullable(root, "pre_tokenizer") ? null : preTokenizer(root.get("pre_tokenizer"), "pre_tokenizer");
        PostProcessor post = nullable(root, "post_processor") ? null
                : postProcessor(root.get("post_processor"), "post_processor");
        Decoder decoder = nullable(root, "decoder") ? null : decoder(root.get("decoder"), "decoder");
        List<AddedToken> added = new ArrayList<>();
        JsonNode at = root.get("added_tokens");
        if (at != null && !at.isNull()) {
            if (!at.isArray()) {
                throw error("added_tokens", "expected an array");
            }
            for (int i = 0; i < at.size(); i++) {
                JsonNode t = at.get(i);
                String p = "added_tokens[" + i + "]";
                added.add(new AddedToken(string(t, "content", p), bool(t, "single_word", false, p),
                        bool(t, "lstrip", false, p), bool(t, "rstrip", false, p), bool(t, "normalized", true, p),
                        bool(t, "special", false, p)));
            }
        }
        Truncation truncation = nullable(root, "truncation") ? null : truncation(root.get("truncation"));
        Padding padding = nullable(root, "padding") ? null : padding(root.get("padding"));
        return new Tokenizer(normalizer, pre, model, post, decoder, added, truncation, padding);
    }

    private Truncation truncation(JsonNode n) {
        String p = "truncation";
        Truncation.Strategy strategy = switch (string(n, "strategy", "LongestFirst", p)) {
            case "LongestFirst" -> Truncation.Strategy.LONGEST_FIRST;
            case "OnlyFirst" -> Truncation.Strategy.ONLY_FIRST;
            case "OnlySecond" -> Truncation.Strategy.ONLY_SECOND;
            default -> throw error(p + ".strategy", "'" + n.get("strategy").asText()
                    + "' is not supported (expected LongestFirst, OnlyFirst, OnlySecond)");
        };
        boolean left = direction(n, p);
        return new Truncation(integer(n, "max_length", p), integer(n, "stride", 0, p), strategy, left);
    }

    private Padding padding(JsonNode n) {
        String p = "padding";
        JsonNode strategy = n.get("strategy");
        int fixed = 0;
        if (strategy != null && strategy.isObject() && strategy.has("Fixed")) {
            fixed = strategy.get("Fixed").asInt();
            if (fixed <= 0) {
                throw error(p + ".strategy.Fixed", "expected a positive length");
            }
        } else if (strategy != null && !(strategy.isTextual() && strategy.asText().equals("BatchLongest"))) {
            throw error(p + ".strategy", "expected \"BatchLongest\" or {\"Fixed\": N}");
        }
        JsonNode multiple = n.get("pad_to_multiple_of");
        return new Padding(fixed, multiple == null || multiple.isNull() ? 0 : multiple.asInt(),
                integer(n, "pad_id", 0, p), integer(n, "pad_type_id", 0, p), string(n, "pad_token", "[PAD]", p),
                direction(n, p));
    }

    private boolean direction(JsonNode n, String p) {
        String d = string(n, "direction", "Right", p);
        return switch (d) {
            case "Left" -> true;
            case "Right" -> false;
            default -> throw error(p + ".direction", "'" + d + "' is not supported (expected Left, Right)");
        };
    }

    // ---- models

    private Model model(JsonNode n, String p) {
        String type = n.has("type") ? text(n.get("type"), p + ".type") : inferModelType(n, p);
        return switch (type) {
            case "WordPiece" -> new WordPiece(vocabMap(n, p), string(n, "unk_token", "[UNK]", p),
                    string(n, "continuing_subword_prefix", "##", p), integer(n, "max_input_chars_per_word", 100, p));
            case "BPE" -> new Bpe(vocabMap(n, p), merges(n, p), optString(n, "unk_token", p),
                    optString(n, "continuing_subword_prefix", p), optString(n, "end_of_word_suffix", p),
                    bool(n, "fuse_unk", false, p), bool(n, "byte_fallback", false, p),
                    bool(n, "ignore_merges", false, p));
            case "WordLevel" -> new WordLevel(vocabMap(n, p), optString(n, "unk_token", p));
            case "Unigram" -> unigram(n, p);
            default -> throw error(p + ".type", "'" + type + "' is not supported (expected WordPiece, BPE, Unigram, WordLevel)");
        };
    }

    private String inferModelType(JsonNode n, String p) {
        if (n.has("merges")) {
            return "BPE";
        }
        if (n.has("continuing_subword_prefix") || n.has("max_input_chars_per_word")) {
            return "WordPiece";
        }
        if (n.has("vocab") && n.get("vocab").isArray()) {
            return "Unigram";
        }
        if (n.has("vocab")) {
            return "WordLevel";
        }
        throw error(p + ".type", "is missing and cannot be inferred");
    }

    private Map<String, Integer> vocabMap(JsonNode n, String p) {
        JsonNode v = n.get("vocab");
        if (v == null || !v.isObject()) {
            throw error(p + ".vocab", "expected an object of token to id");
        }
        Map<String, Integer> out = new LinkedHashMap<>(v.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                throw error(p + ".vocab[\"" + e.getKey() + "\"]", "expected a non-negative integer id");
            }
            out.put(e.getKey(), e.getValue().asInt());
        }
        return out;
    }

    private List<String[]> merges(JsonNode n, String p) {
        JsonNode m = n.get("merges");
        List<String[]> out = new ArrayList<>();
        if (m == null || m.isNull()) {
            return out;
        }
        if (!m.isArray()) {
            throw error(p + ".merges", "expected an array");
        }
        for (int i = 0; i < m.size(); i++) {
            JsonNode e = m.get(i);
            if (e.isTextual()) {
                String s = e.asText();
                int sp = s.indexOf(' ');
                if (sp < 0 || s.indexOf(' ', sp + 1) >= 0) {
                    throw error(p + ".merges[" + i + "]", "'" + s + "' is not two tokens separated by one space");
                }
                out.add(new String[] {s.substring(0, sp), s.substring(sp + 1)});
            } else if (e.isArray() && e.size() == 2 && e.get(0).isTextual() && e.get(1).isTextual()) {
                out.add(new String[] {e.get(0).asText(), e.get(1).asText()});
            } else {
                throw error(p + ".merges[" + i + "]", "expected \"a b\" or [\"a\", \"b\"]");
            }
        }
        return out;
    }

    private Model unigram(JsonNode n, String p) {
        JsonNode v = n.get("vocab");
        if (v == null || !v.isArray()) {
            throw error(p + ".vocab", "expected an array of [piece, score]");
        }
        List<String> pieces = new ArrayList<>(v.size());
        double[] scores = new double[v.size()];
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isArray() || e.size() != 2 || !e.get(0).isTextual() || !e.get(1).isNumber()) {
                throw error(p + ".vocab[" + i + "]", "expected [piece, score]");
            }
            pieces.add(e.get(0).asText());
            JsonNode score = e.get(1);
            scores[i] = score.isBigDecimal() ? RustFloat.parse(score.decimalValue()) : score.asDouble();
        }
        JsonNode unk = n.get("unk_id");
        int unkId = unk == null || unk.isNull() ? -1 : unk.asInt();
        return new Unigram(pieces, scores, unkId, bool(n, "byte_fallback", false, p));
    }

    // ---- normalizers

    private Normalizer normalizer(JsonNode n, String p) {
        String type = type(n, p);
        return switch (type) {
            case "BertNormalizer" -> {
                JsonNode sa = n.get("strip_accents");
                yield new BertNormalizer(bool(n, "clean_text", true, p), bool(n, "handle_chinese_chars", true, p),
                        sa == null || sa.isNull() ? null : sa.asBoolean(), bool(n, "lowercase", true, p));
            }
            case "NFC" -> new UnicodeForm(UnicodeNormalizer.Form.NFC);
            case "NFD" -> new UnicodeForm(UnicodeNormalizer.Form.NFD);
            case "NFKC" -> new UnicodeForm(UnicodeNormalizer.Form.NFKC);
            case "NFKD" -> new UnicodeForm(UnicodeNormalizer.Form.NFKD);
            case "Lowercase" -> new Lowercase();
            case "Strip" -> new Strip(bool(n, "strip_left", true, p), bool(n, "strip_right", true, p));
            case "StripAccents" -> new StripAccents();
            case "Nmt" -> new Nmt();
            case "Replace" -> new Replace(pattern(n, p), string(n, "content", p));
            case "Prepend" -> new Prepend(string(n, "prepend", p));
            case "Precompiled" -> Precompiled.fromBase64(string(n, "precompiled_charsmap", p), source + ": " + p);
            case "ByteLevel" -> new ByteLevel(false, false, false);
            case "Sequence" -> {
                List<Normalizer> list = new ArrayList<>();
                JsonNode arr = array(n, "normalizers", p);
                for (int i = 0; i < arr.size(); i++) {
                    list.add(normalizer(arr.get(i), p + ".normalizers[" + i + "]"));
                }
                yield new NormalizerSequence(list);
            }
            default -> throw error(p + ".type", "'" + type + "' is not supported (expected BertNormalizer, NFC, NFD, "
                    + "NFKC, NFKD, Lowercase, Strip, StripAccents, Nmt, Replace, Prepend, Precompiled, ByteLevel, Sequence)");
        };
    }

    // ---- pre-tokenizers

    private PreTokenizer preTokenizer(JsonNode n, String p) {
        String type = type(n, p);
        return switch (type) {
            case "BertPreTokenizer" -> new BertPreTokenizer();
            case "Whitespace" -> new Whitespace();
            case "WhitespaceSplit" -> new WhitespaceSplit();
            case "ByteLevel" -> new ByteLevel(bool(n, "add_prefix_space", true, p), bool(n, "trim_offsets", true, p),
                    bool(n, "use_regex", true, p));
            case "Metaspace" -> metaspace(n, p);
            case "Split" -> new Split(pattern(n, p), behavior(n, p), bool(n, "invert", false, p));
            case "Punctuation" -> new Punctuation(n.has("behavior") ? behavior(n, p) : SplitBehavior.ISOLATED);
            case "Digits" -> new Digits(bool(n, "individual_digits", false, p));
            case "UnicodeScripts" -> new UnicodeScripts();
            case "CharDelimiterSplit" -> {
                String d = string(n, "delimiter", p);
                if (d.codePointCount(0, d.length()) != 1) {
                    throw error(p + ".delimiter", "expected one character, got '" + d + "'");
                }
                yield new CharDelimiterSplit(d.codePointAt(0));
            }
            case "Sequence" -> {
                List<PreTokenizer> list = new ArrayList<>();
                JsonNode arr = array(n, "pretokenizers", p);
                for (int i = 0; i < arr.size(); i++) {
                    list.add(preTokenizer(arr.get(i), p + ".pretokenizers[" + i + "]"));
                }
                yield new PreTokenizerSequence(list);
            }
            default -> throw error(p + ".type", "'" + type + "' is not supported (expected BertPreTokenizer, "
                    + "Whitespace, WhitespaceSplit, ByteLevel, Metaspace, Split, Punctuation, Digits, UnicodeScripts, "
                    + "CharDelimiterSplit, Sequence)");
        };
    }

    private Metaspace metaspace(JsonNode n, String p) {
        String rep = string(n, "replacement", "\u2581", p);
        if (rep.codePointCount(0, rep.length()) != 1) {
            throw error(p + ".replacement", "expected one character, got '" + rep + "'");
        }
        Metaspace.PrependScheme scheme = switch (string(n, "prepend_scheme", "always", p)) {
            case "always" -> Metaspace.PrependScheme.ALWAYS;
            case "first" -> Metaspace.PrependScheme.FIRST;
            case "never" -> Metaspace.PrependScheme.NEVER;
            default -> throw error(p + ".prepend_scheme", "'" + n.get("prepend_scheme").asText()
                    + "' is not supported (expected always, first, never)");
        };
        JsonNode aps = n.get("add_prefix_space");
        if (aps != null && !aps.isNull() && !aps.asBoolean()) {
            if (n.has("prepend_scheme") && scheme != Metaspace.PrependScheme.NEVER) {
                throw error(p + ".add_prefix_space", "false does not match prepend_scheme '"
                        + n.get("prepend_scheme").asText() + "'");
            }
            scheme = Metaspace.PrependScheme.NEVER;
        }
        return new Metaspace(rep.codePointAt(0), scheme, bool(n, "split", true, p));
    }

    private SplitBehavior behavior(JsonNode n, String p) {
        try {
            return SplitBehavior.fromJson(string(n, "behavior", p));
        } catch (IllegalArgumentException e) {
            throw error(p + ".behavior", e.getMessage() + " is not supported");
        }
    }

    private SplitPattern pattern(JsonNode n, String p) {
        JsonNode pat = n.get("pattern");
        if (pat == null || !pat.isObject()) {
            throw error(p + ".pattern", "expected {\"String\": ...} or {\"Regex\": ...}");
        }
        if (pat.has("String")) {
            return SplitPattern.ofRegex(OnigRegex.literal(text(pat.get("String"), p + ".pattern.String")));
        }
        if (pat.has("Regex")) {
            try {
                return SplitPattern.ofRegex(text(pat.get("Regex"), p + ".pattern.Regex"));
            } catch (TokenizerException e) {
                throw error(p + ".pattern.Regex", e.getMessage());
            }
        }
        throw error(p + ".pattern", "expected {\"String\": ...} or {\"Regex\": ...}");
    }

    // ---- post-processors

    private PostProcessor postProcessor(JsonNode n, String p) {
        String type = type(n, p);
        return switch (type) {
            case "TemplateProcessing" -> template(n, p);
            case "BertProcessing" -> {
                JsonNode sep = array(n, "sep", p), cls = array(n, "cls", p);
                yield new BertProcessing(sep.get(0).asText(), sep.get(1).asInt(), cls.get(0).asText(), cls.get(1).asInt());
            }
            case "RobertaProcessing" -> {
                JsonNode sep = array(n, "sep", p), cls = array(n, "cls", p);
                yield new RobertaProcessing(sep.get(0).asText(), sep.get(1).asInt(), cls.get(0).asText(),
                        cls.get(1).asInt(), bool(n, "trim_offsets", true, p), bool(n, "add_prefix_space", true, p));
            }
            case "ByteLevel" -> new ByteLevel(bool(n, "add_prefix_space", true, p), bool(n, "trim_offsets", true, p),
                    bool(n, "use_regex", true, p));
            case "Sequence" -> {
                List<PostProcessor> list = new ArrayList<>();
                JsonNode arr = array(n, "processors", p);
                for (int i = 0; i < arr.size(); i++) {
                    list.add(postProcessor(arr.get(i), p + ".processors[" + i + "]"));
                }
                yield new ProcessorSequence(list);
            }
            default -> throw error(p + ".type", "'" + type + "' is not supported (expected TemplateProcessing, "
                    + "BertProcessing, RobertaProcessing, ByteLevel, Sequence)");
        };
    }

    private TemplateProcessing template(JsonNode n, String p) {
        Map<String, TemplateProcessing.SpecialToken> specials = new LinkedHashMap<>();
        JsonNode st = n.get("special_tokens");
        if (st != null && st.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = st.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String q = p + ".special_tokens[\"" + e.getKey() + "\"]";
                JsonNode ids = array(e.getValue(), "ids", q), tokens = array(e.getValue(), "tokens", q);
                if (ids.size() != tokens.size()) {
                    throw error(q, "has " + ids.size() + " ids but " + tokens.size() + " tokens");
                }
                int[] idArr = new int[ids.size()];
                String[] tokArr = new String[tokens.size()];
                for (int i = 0; i < idArr.length; i++) {
                    idArr[i] = ids.get(i).asInt();
                    tokArr[i] = tokens.get(i).asText();
                }
                specials.put(e.getKey(), new TemplateProcessing.SpecialToken(e.getKey(), idArr, tokArr));
            }
        }
        return new TemplateProcessing(pieces(n, "single", p, specials), pieces(n, "pair", p, specials), specials);
    }

    private List<TemplateProcessing.Piece> pieces(JsonNode n, String field, String p,
            Map<String, TemplateProcessing.SpecialToken> specials) {
        JsonNode arr = array(n, field, p);
        List<TemplateProcessing.Piece> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode e = arr.get(i);
            String q = p + "." + field + "[" + i + "]";
            if (e.has("Sequence")) {
                JsonNode s = e.get("Sequence");
                String id = string(s, "id", q + ".Sequence");
                if (!id.equals("A") && !id.equals("B")) {
                    throw error(q + ".Sequence.id", "'" + id + "' is not a sequence (expected A, B)");
                }
                out.add(new TemplateProcessing.Piece(true, id, integer(s, "type_id", 0, q)));
            } else if (e.has("SpecialToken")) {
                JsonNode s = e.get("SpecialToken");
                String id = string(s, "id", q + ".SpecialToken");
                if (!specials.containsKey(id)) {
                    throw error(q + ".SpecialToken.id", "'" + id + "' is not in special_tokens");
                }
                out.add(new TemplateProcessing.Piece(false, id, integer(s, "type_id", 0, q)));
            } else {
                throw error(q, "expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");
            }
        }
        return out;
    }

    // ---- decoders

    private Decoder decoder(JsonNode n, String p) {
        String type = type(n, p);
        return switch (type) {
            case "WordPiece" -> new WordPieceDecoder(string(n, "prefix", "##", p), bool(n, "cleanup", true, p));
            case "ByteLevel" -> new ByteLevel(bool(n, "add_prefix_space", true, p), bool(n, "trim_offsets", true, p),
                    bool(n, "use_regex", true, p));
            case "Metaspace" -> metaspace(n, p);
            case "ByteFallback" -> new ByteFallback();
            case "Fuse" -> new Fuse();
            case "Strip" -> {
                String c = string(n, "content", p);
                if (c.codePointCount(0, c.length()) != 1) {
                    throw error(p + ".content", "expected one character, got '" + c + "'");
                }
                yield new dev.tongyeok.tokenize.decode.Strip(c.codePointAt(0), integer(n, "start", p), integer(n, "stop", p));
            }
            case "Replace" -> new Replace(pattern(n, p), string(n, "content", p));
            case "BPEDecoder" -> new BpeDecoder(string(n, "suffix", "</w>", p));
            case "CTC" -> new Ctc(string(n, "pad_token", "<pad>", p), string(n, "word_delimiter_token", "|", p),
                    bool(n, "cleanup", true, p));
            case "Sequence" -> {
                List<Decoder> list = new ArrayList<>();
                JsonNode arr = array(n, "decoders", p);
                for (int i = 0; i < arr.size(); i++) {
                    list.add(decoder(arr.get(i), p + ".decoders[" + i + "]"));
                }
                yield new DecoderSequence(list);
            }
            default -> throw error(p + ".type", "'" + type + "' is not supported (expected WordPiece, ByteLevel, "
                    + "Metaspace, ByteFallback, Fuse, Strip, Replace, BPEDecoder, CTC, Sequence)");
        };
    }

    // ---- field access with errors that name the place

    private TokenizerException error(String path, String what) {
        return new TokenizerException(source + ": " + path + " " + what);
    }

    private static boolean nullable(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n == null || n.isNull();
    }

    private String type(JsonNode n, String p) {
        if (n == null || !n.isObject()) {
            throw error(p, "expected an object with a \"type\"");
        }
        JsonNode t = n.get("type");
        if (t == null) {
            throw error(p + ".type", "is missing");
        }
        return text(t, p + ".type");
    }

    private String text(JsonNode n, String p) {
        if (!n.isTextual()) {
            throw error(p, "expected a string, found " + n.getNodeType().toString().toLowerCase());
        }
        return n.asText();
    }

    private String string(JsonNode n, String field, String p) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw error(p + "." + field, "is missing");
        }
        return text(v, p + "." + field);
    }

    private String string(JsonNode n, String field, String dflt, String p) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? dflt : text(v, p + "." + field);
    }

    private String optString(JsonNode n, String field, String p) {
        return string(n, field, null, p);
    }

    private boolean bool(JsonNode n, String field, boolean dflt, String p) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw error(p + "." + field, "expected true or false, found " + v);
        }
        return v.asBoolean();
    }

    private int integer(JsonNode n, String field, String p) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw error(p + "." + field, "is missing");
        }
        if (!v.canConvertToInt()) {
            throw error(p + "." + field, "expected an integer, found " + v);
        }
        return v.asInt();
    }

    private int integer(JsonNode n, String field, int dflt, String p) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.canConvertToInt()) {
            throw error(p + "." + field, "expected an integer, found " + v);
        }
        return v.asInt();
    }

    private JsonNode array(JsonNode n, String field, String p) {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray()) {
            throw error(p + "." + field, "expected an array");
        }
        return v;
    }
}
