package dev.tongyeok.tokenize;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tongyeok.tokenize.json.TokenizerJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Components that the eight real tokenizers do not use, each put into a real vocabulary and
 * compared with HF tokenizers on UDHR text and generated text: every normalizer, pre-tokenizer,
 * model, post-processor and decoder type, split behaviours, and added-token options.
 */
class ComponentParityTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** UDHR paragraphs taken per language. */
    static final int PARAGRAPHS_PER_LANGUAGE = 3;
    /** Generated texts per configuration. */
    static final int GENERATED = 2_000;

    static List<String> texts;

    @BeforeAll
    static void corpus() {
        texts = new ArrayList<>();
        for (List<String> ps : Fixtures.udhr().values()) {
            texts.addAll(ps.subList(0, Math.min(PARAGRAPHS_PER_LANGUAGE, ps.size())));
        }
    }

    static ObjectNode base(String name) {
        try {
            return (ObjectNode) JSON.readTree(Fixtures.tokenizerJson(name));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode node(String json) {
        try {
            return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static ObjectNode with(ObjectNode root, String field, String json) {
        ObjectNode copy = root.deepCopy();
        copy.set(field, json == null ? null : node(json));
        copy.putNull("truncation");
        copy.putNull("padding");
        return copy;
    }

    static ObjectNode wordPiece(String normalizer, String pre, String post, String decoder) {
        ObjectNode r = with(base("all-minilm-l6-v2"), "normalizer", normalizer);
        r = with(r, "pre_tokenizer", pre);
        r = with(r, "post_processor", post);
        return with(r, "decoder", decoder);
    }

    /** Llama 2's vocabulary as a Unigram model, with scores that favour frequent (low-id) pieces. */
    static ObjectNode unigram(boolean byteFallback, String normalizer, String pre, String decoder) {
        ObjectNode llama = base("llama2");
        Map<Integer, String> byId = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = llama.get("model").get("vocab").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            byId.put(e.getValue().asInt(), e.getKey());
        }
        ArrayNode vocab = JSON.createArrayNode();
        for (Map.Entry<Integer, String> e : byId.entrySet()) {
            ArrayNode piece = JSON.createArrayNode();
            piece.add(e.getValue());
            piece.add(e.getKey() < 3 ? 0.0 : -Math.log(e.getKey() + 2.0) - 0.1 * e.getValue().length());
            vocab.add(piece);
        }
        ObjectNode model = JSON.createObjectNode();
        model.put("type", "Unigram");
        model.put("unk_id", 0);
        model.set("vocab", vocab);
        model.put("byte_fallback", byteFallback);
        ObjectNode r = llama.deepCopy();
        r.set("model", model);
        r = with(r, "normalizer", normalizer);
        r = with(r, "pre_tokenizer", pre);
        return with(r, "decoder", decoder);
    }

    static ObjectNode addedTokens(ObjectNode root, String... tokens) {
        ObjectNode r = root.deepCopy();
        ArrayNode added = (ArrayNode) r.get("added_tokens");
        int id = 40000;
        for (String t : tokens) {
            ObjectNode n = node(t);
            n.put("id", id++);
            added.add(n);
        }
        return r;
    }

    static Stream<Arguments> configurations() {
        Map<String, ObjectNode> c = new LinkedHashMap<>();
        String bertPost = "{'type':'BertProcessing','sep':['[SEP]',102],'cls':['[CLS]',101]}";
        c.put("NFD+StripAccents+Lowercase, Whitespace, BertProcessing", wordPiece(
                "{'type':'Sequence','normalizers':[{'type':'NFD'},{'type':'StripAccents'},{'type':'Lowercase'}]}",
                "{'type':'Whitespace'}", bertPost, "{'type':'WordPiece','prefix':'##','cleanup':false}"));
        c.put("NFKC, Punctuation merged-with-next + individual Digits, RobertaProcessing", wordPiece(
                "{'type':'NFKC'}",
                "{'type':'Sequence','pretokenizers':[{'type':'WhitespaceSplit'},{'type':'Punctuation','behavior':'MergedWithNext'},{'type':'Digits','individual_digits':true}]}",
                "{'type':'RobertaProcessing','sep':['[SEP]',102],'cls':['[CLS]',101],'trim_offsets':true,'add_prefix_space':false}",
                "{'type':'WordPiece','prefix':'##','cleanup':true}"));
        c.put("Strip+Replace regex+NFKD, UnicodeScripts, Digits contiguous", wordPiece(
                "{'type':'Sequence','normalizers':[{'type':'Strip','strip_left':true,'strip_right':true},{'type':'Replace','pattern':{'Regex':'\\\\s+'},'content':' '},{'type':'NFKD'},{'type':'Lowercase'}]}",
                "{'type':'Sequence','pretokenizers':[{'type':'WhitespaceSplit'},{'type':'UnicodeScripts'},{'type':'Digits','individual_digits':false}]}",
                bertPost, "{'type':'WordPiece','prefix':'##','cleanup':true}"));
        for (String behavior : List.of("Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous")) {
            c.put("Split regex " + behavior + " + Nmt + Prepend", wordPiece(
                    "{'type':'Sequence','normalizers':[{'type':'Nmt'},{'type':'BertNormalizer','clean_text':true,'handle_chinese_chars':true,'strip_accents':true,'lowercase':false},{'type':'Prepend','prepend':'_'}]}",
                    "{'type':'Sequence','pretokenizers':[{'type':'Split','pattern':{'Regex':'[\\\\s,.]+'},'behavior':'" + behavior
                            + "','invert':false},{'type':'Split','pattern':{'String':'e'},'behavior':'" + behavior + "','invert':true}]}",
                    bertPost, "{'type':'WordPiece','prefix':'##','cleanup':false}"));
        }
        c.put("CharDelimiterSplit, WordLevel, no post-processor", with(with(with(with(wordPiece(
                "{'type':'Lowercase'}", "{'type':'Sequence','pretokenizers':[{'type':'CharDelimiterSplit','delimiter':' '},{'type':'Punctuation','behavior':'Isolated'}]}",
                null, null), "model", "{'type':'WordLevel','vocab':{},'unk_token':'[UNK]'}"), "post_processor", null),
                "decoder", "{'type':'Sequence','decoders':[{'type':'CTC','pad_token':'[PAD]','word_delimiter_token':'|','cleanup':true}]}"),
                "normalizer", "{'type':'Lowercase'}"));
        c.get("CharDelimiterSplit, WordLevel, no post-processor").set("model", wordLevelModel());
        c.put("Metaspace first + BPE (Llama 2 vocab) + Metaspace decoder", with(with(with(base("llama2"), "normalizer", null),
                "pre_tokenizer", "{'type':'Metaspace','replacement':'\u2581','prepend_scheme':'first','split':true}"),
                "decoder", "{'type':'Metaspace','replacement':'\u2581','prepend_scheme':'first','split':true}"));
        c.put("Metaspace never, no split + BPE + BPEDecoder", with(with(with(base("llama2"), "normalizer", null),
                "pre_tokenizer", "{'type':'Metaspace','replacement':'\u2581','prepend_scheme':'never','split':false}"),
                "decoder", "{'type':'BPEDecoder','suffix':'\u2581'}"));
        c.put("Unigram with byte fallback, NFKC, Metaspace always", unigram(true, "{'type':'NFKC'}",
                "{'type':'Metaspace','replacement':'\u2581','prepend_scheme':'always','split':true}",
                "{'type':'Sequence','decoders':[{'type':'Metaspace','replacement':'\u2581','prepend_scheme':'always','split':true},{'type':'ByteFallback'},{'type':'Fuse'},{'type':'Strip','content':' ','start':2,'stop':0}]}"));
        c.put("Unigram without byte fallback, Whitespace", unigram(false, "{'type':'NFC'}",
                "{'type':'Whitespace'}", "{'type':'Replace','pattern':{'String':'\u2581'},'content':' '}"));
        c.put("GPT-4o vocab, ByteLevel with prefix space and GPT-2 regex, RobertaProcessing", with(with(base("gpt4o"),
                "pre_tokenizer", "{'type':'ByteLevel','add_prefix_space':true,'trim_offsets':true,'use_regex':true}"),
                "post_processor", "{'type':'Sequence','processors':[{'type':'ByteLevel','add_prefix_space':true,'trim_offsets':true,'use_regex':true},"
                        + "{'type':'TemplateProcessing','single':[{'SpecialToken':{'id':'<|endoftext|>','type_id':0}},{'Sequence':{'id':'A','type_id':0}}],"
                        + "'pair':[{'Sequence':{'id':'A','type_id':0}},{'SpecialToken':{'id':'<|endoftext|>','type_id':0}},{'Sequence':{'id':'B','type_id':1}}],"
                        + "'special_tokens':{'<|endoftext|>':{'id':'<|endoftext|>','ids':[199999],'tokens':['<|endoftext|>']}}}]}"));
        c.put("Llama 3 with a ByteLevel normalizer and a Split pre-tokenizer", with(with(base("llama3"),
                "normalizer", "{'type':'ByteLevel'}"), "pre_tokenizer", "{'type':'Split','pattern':{'String':'\u0120'},'behavior':'MergedWithNext','invert':false}"));
        c.put("added tokens: lstrip, rstrip, single_word, normalized", addedTokens(wordPiece(
                "{'type':'BertNormalizer','clean_text':true,'handle_chinese_chars':true,'strip_accents':null,'lowercase':true}",
                "{'type':'BertPreTokenizer'}", bertPost, "{'type':'WordPiece','prefix':'##','cleanup':true}"),
                "{'content':'<mask>','single_word':false,'lstrip':true,'rstrip':false,'normalized':false,'special':true}",
                "{'content':'[DAY]','single_word':false,'lstrip':false,'rstrip':true,'normalized':false,'special':false}",
                "{'content':'Yesterday','single_word':true,'lstrip':false,'rstrip':false,'normalized':true,'special':false}",
                "{'content':'human','single_word':true,'lstrip':true,'rstrip':true,'normalized':true,'special':false}",
                "{'content':'Right','single_word':false,'lstrip':false,'rstrip':false,'normalized':true,'special':true}",
                "{'content':'ção','single_word':false,'lstrip':false,'rstrip':false,'normalized':false,'special':false}"));
        c.put("added tokens in a byte-level BPE", addedTokens(base("qwen3"),
                "{'content':' the','single_word':false,'lstrip':false,'rstrip':false,'normalized':true,'special':false}",
                "{'content':'ights','single_word':true,'lstrip':false,'rstrip':true,'normalized':false,'special':false}"));
        c.put("BPE with continuing-subword prefix and end-of-word suffix, unknown token fused", subwordBpe(true));
        c.put("BPE with continuing-subword prefix and end-of-word suffix, unknown token not fused", subwordBpe(false));
        return c.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue().toString()));
    }

    /**
     * A BPE model in the style of the original subword-nmt BPE: non-initial symbols carry "##",
     * word-final ones "</w>"; merges over frequent letter pairs, each result added to the
     * vocabulary as HF derives it (first + second without the prefix).
     */
    static ObjectNode subwordBpe(boolean fuseUnk) {
        ObjectNode vocab = JSON.createObjectNode();
        ArrayNode merges = JSON.createArrayNode();
        int[] next = {0};
        java.util.function.Consumer<String> add = t -> {
            if (!vocab.has(t)) {
                vocab.put(t, next[0]++);
            }
        };
        add.accept("[UNK]");
        for (char x = 'a'; x <= 'z'; x++) {
            for (String form : new String[] {"%s", "##%s", "%s</w>", "##%s</w>"}) {
                add.accept(String.format(form, x));
            }
        }
        String[][] pairs = {{"t", "##h"}, {"th", "##e</w>"}, {"##h", "##e"}, {"a", "##n"}, {"an", "##d</w>"},
            {"i", "##n"}, {"in", "##g</w>"}, {"##i", "##n"}, {"##in", "##g</w>"}, {"##e", "##r"}, {"o", "##f</w>"},
            {"##o", "##n</w>"}, {"##t", "##i"}, {"##ti", "##on</w>"}, {"r", "##i"}, {"ri", "##g"}, {"rig", "##h"},
            {"righ", "##t"}, {"s</w>", "##s"}, {"e", "##v"}, {"ev", "##e"}, {"##r", "##y</w>"}, {"eve", "##ry</w>"}};
        for (String[] p : pairs) {
            add.accept(p[0]);
            add.accept(p[1]);
            add.accept(p[0] + p[1].substring(2));
            merges.add(p[0] + " " + p[1]);
        }
        ObjectNode model = JSON.createObjectNode();
        model.put("type", "BPE");
        model.set("vocab", vocab);
        model.set("merges", merges);
        model.put("unk_token", "[UNK]");
        model.put("continuing_subword_prefix", "##");
        model.put("end_of_word_suffix", "</w>");
        model.put("fuse_unk", fuseUnk);
        model.put("byte_fallback", false);
        ObjectNode r = wordPiece("{'type':'Lowercase'}", "{'type':'Whitespace'}", null,
                "{'type':'BPEDecoder','suffix':'</w>'}");
        r.set("model", model);
        r.set("added_tokens", JSON.createArrayNode());
        r.putNull("post_processor");
        return r;
    }

    static ObjectNode wordLevelModel() {
        ObjectNode vocab = JSON.createObjectNode();
        JsonNode wp = base("all-minilm-l6-v2").get("model").get("vocab");
        for (Iterator<Map.Entry<String, JsonNode>> it = wp.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vocab.set(e.getKey(), e.getValue());
        }
        ObjectNode m = JSON.createObjectNode();
        m.put("type", "WordLevel");
        m.set("vocab", vocab);
        m.put("unk_token", "[UNK]");
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void matchesHf(String name, String json) {
        Tokenizer ours = TokenizerJson.parse(json, name);
        List<String> specials = new ArrayList<>();
        for (AddedToken t : ours.addedTokens()) {
            if (specials.size() < 32) {
                specials.add(t.content());
            }
        }
        List<String> failures = new ArrayList<>();
        try (HfOracle hf = new HfOracle(json)) {
            Function<String, Boolean> check = text -> {
                TokenizerParityTest.compare(ours, hf, text, "text", failures);
                return failures.size() < TokenizerParityTest.REPORTED;
            };
            for (String t : texts) {
                if (!check.apply(t)) {
                    break;
                }
            }
            TextGenerator gen = new TextGenerator(name.hashCode(), specials);
            for (int i = 0; i < GENERATED && failures.size() < TokenizerParityTest.REPORTED; i++) {
                check.apply(gen.next());
            }
        }
        if (!failures.isEmpty()) {
            fail(TokenizerParityTest.report(name, failures));
        }
    }
}
