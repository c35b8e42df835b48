package dev.tongyeok.tokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A HuggingFace tokenizer, read from its {@code tokenizer.json}, that cuts text exactly as HF's
 * Rust {@code tokenizers} (0.21) does: added tokens, normalizer, pre-tokenizer, model,
 * post-processor, with truncation and padding when configured, and the decoder for the way back.
 *
 * <p>A {@code Tokenizer} is immutable and safe to share between threads; {@link #withTruncation}
 * and the like return new tokenizers.
 *
 * <p>Java strings may hold lone surrogates, which HF's Rust strings cannot. Each lone surrogate is
 * tokenized as U+FFFD (what a lossy UTF-8 conversion makes of it), and offsets still index the
 * string as given.
 */
public final class Tokenizer {
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final Model model;
    private final PostProcessor postProcessor;
    private final Decoder decoder;
    private final AddedVocabulary addedVocabulary;
    private final List<AddedToken> addedTokens;
    private final Truncation truncation;
    private final Padding padding;

    /**
     * Assembles a tokenizer from its parts; any part but the model may be null.
     *
     * @param addedTokens the added and special tokens, in tokenizer.json order
     */
    public Tokenizer(Normalizer normalizer, PreTokenizer preTokenizer, Model model, PostProcessor postProcessor,
            Decoder decoder, List<AddedToken> addedTokens, Truncation truncation, Padding padding) {
        if (model == null) {
            throw new IllegalArgumentException("a tokenizer needs a model");
        }
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.postProcessor = postProcessor;
        this.decoder = decoder;
        this.addedTokens = List.copyOf(addedTokens);
        this.addedVocabulary = new AddedVocabulary(this.addedTokens, model, normalizer);
        this.truncation = truncation;
        this.padding = padding;
    }

    private Tokenizer(Tokenizer t, Truncation truncation, Padding padding) {
        this.normalizer = t.normalizer;
        this.preTokenizer = t.preTokenizer;
        this.model = t.model;
        this.postProcessor = t.postProcessor;
        this.decoder = t.decoder;
        this.addedTokens = t.addedTokens;
        this.addedVocabulary = t.addedVocabulary;
        this.truncation = truncation;
        this.padding = padding;
    }

    /** This tokenizer with other truncation settings (null: none). */
    public Tokenizer withTruncation(Truncation truncation) {
        return new Tokenizer(this, truncation, padding);
    }

    /** This tokenizer with other padding settings (null: none). */
    public Tokenizer withPadding(Padding padding) {
        return new Tokenizer(this, truncation, padding);
    }

    /** The truncation settings, or null. */
    public Truncation truncation() {
        return truncation;
    }

    /** The padding settings, or null. */
    public Padding padding() {
        return padding;
    }

    /** The model. */
    public Model model() {
        return model;
    }

    /** The added and special tokens, in tokenizer.json order. */
    public List<AddedToken> addedTokens() {
        return addedTokens;
    }

    /** Encodes {@code text} with the model's special tokens. */
    public Encoding encode(String text) {
        return encode(text, true);
    }

    /** Encodes {@code text}, with or without the model's special tokens. */
    public Encoding encode(String text, boolean addSpecialTokens) {
        Encoding e = encodeSequence(text, 0);
        Encoding result = postProcess(e, null, addSpecialTokens);
        return padding == null ? result : pad(List.of(result)).get(0);
    }

    /** Encodes a pair of texts (question and passage, say), as one sequence with the model's separators. */
    public Encoding encodePair(String first, String second, boolean addSpecialTokens) {
        Encoding a = encodeSequence(first, 0);
        Encoding b = encodeSequence(second, 1);
        Encoding result = postProcess(a, b, addSpecialTokens);
        return padding == null ? result : pad(List.of(result)).get(0);
    }

    /** Encodes many texts; with batch-longest padding they are padded to the longest of them. */
    public List<Encoding> encodeBatch(List<String> texts, boolean addSpecialTokens) {
        List<Encoding> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(postProcess(encodeSequence(t, 0), null, addSpecialTokens));
        }
        return padding == null ? out : pad(out);
    }

    /** The number of tokens {@code text} becomes, special tokens included, before truncation. */
    public int countTokens(String text) {
        return encodeSequence(text, 0).length() + (postProcessor == null ? 0 : postProcessor.addedTokens(false));
    }

    private Encoding encodeSequence(String text, int typeId) {
        String safe = replaceLoneSurrogates(text);
        PreTokenizedString p = addedVocabulary.extractAndNormalize(normalizer, safe);
        if (preTokenizer != null) {
            preTokenizer.preTokenize(p);
        }
        p.tokenize(model::tokenize);
        return p.toEncoding(typeId).withSequenceId(typeId, text);
    }

    private static String replaceLoneSurrogates(String s) {
        char[] chars = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                if (chars == null) {
                    chars = s.toCharArray();
                }
                chars[i] = '\uFFFD';
            }
        }
        return chars == null ? s : new String(chars);
    }

    private Encoding postProcess(Encoding a, Encoding b, boolean addSpecialTokens) {
        if (truncation != null) {
            int added = postProcessor == null ? 0 : postProcessor.addedTokens(b != null);
            Truncation t = truncation;
            if (addSpecialTokens && added > 0) {
                t = new Truncation(Math.max(0, truncation.maxLength() - added), truncation.stride(),
                        truncation.strategy(), truncation.fromLeft());
            }
            Encoding[] r = truncate(a, b, t);
            a = r[0].withSequenceId(0); // HF's process() marks the sequences again
            b = r[1] == null ? null : r[1].withSequenceId(1);
        }
        if (postProcessor == null) {
            return b == null ? a : a.mergeWith(b);
        }
        List<Encoding> in = new ArrayList<>(2);
        in.add(a.withTypeId(0));
        if (b != null) {
            in.add(b.withTypeId(1));
        }
        return Encoding.merge(postProcessor.processEncodings(in, addSpecialTokens));
    }

    // HF's truncate_encodings
    private static Encoding[] truncate(Encoding a, Encoding b, Truncation p) {
        boolean left = p.fromLeft();
        if (p.maxLength() == 0) {
            return new Encoding[] {a.truncate(0, p.stride(), left), b == null ? null : b.truncate(0, p.stride(), left)};
        }
        int total = a.length() + (b == null ? 0 : b.length());
        if (total <= p.maxLength()) {
            return new Encoding[] {a, b};
        }
        int toRemove = total - p.maxLength();
        switch (p.strategy()) {
            case LONGEST_FIRST -> {
                if (b == null) {
                    return new Encoding[] {a.truncate(total - toRemove, p.stride(), left), null};
                }
                int n1 = a.length(), n2 = b.length();
                boolean swap = n1 > n2;
                if (swap) {
                    int x = n1;
                    n1 = n2;
                    n2 = x;
                }
                n2 = n1 > p.maxLength() ? n1 : Math.max(n1, p.maxLength() - n1);
                if (n1 + n2 > p.maxLength()) {
                    n1 = p.maxLength() / 2;
                    n2 = n1 + p.maxLength() % 2;
                }
                if (swap) {
                    int x = n1;
                    n1 = n2;
                    n2 = x;
                }
                return new Encoding[] {a.truncate(n1, p.stride(), left), b.truncate(n2, p.stride(), left)};
            }
            default -> {
                boolean first = p.strategy() == Truncation.Strategy.ONLY_FIRST;
                if (!first && b == null) {
                    throw new TokenizerException("truncation strategy only_second needs a pair of sequences");
                }
                Encoding target = first ? a : b;
                if (target.length() <= toRemove) {
                    throw new TokenizerException("truncation: the sequence to cut has " + target.length()
                            + " tokens, fewer than the " + toRemove + " to remove");
                }
                Encoding cut = target.truncate(target.length() - toRemove, p.stride(), left);
                return first ? new Encoding[] {cut, b} : new Encoding[] {a, cut};
            }
        }
    }

    private List<Encoding> pad(List<Encoding> encodings) {
        int length = padding.fixedLength();
        if (length == 0) {
            for (Encoding e : encodings) {
                length = Math.max(length, e.length());
            }
        }
        int multiple = padding.padToMultipleOf();
        if (multiple > 0 && length % multiple > 0) {
            length += multiple - length % multiple;
        }
        List<Encoding> out = new ArrayList<>(encodings.size());
        for (Encoding e : encodings) {
            out.add(e.pad(length, padding.padId(), padding.padTypeId(), padding.padToken(), padding.left()));
        }
        return out;
    }

    /**
     * Turns ids back into text, as HF's {@code decode}: unknown ids are skipped, special tokens too
     * when {@code skipSpecialTokens}; then the decoder (or a join with spaces when there is none).
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            String t = addedVocabulary.idToContent(id);
            if (t == null) {
                t = model.idToToken(id);
            }
            if (t == null || (skipSpecialTokens && addedVocabulary.isSpecial(t))) {
                continue;
            }
            tokens.add(t);
        }
        return decoder == null ? String.join(" ", tokens) : decoder.decode(tokens);
    }

    /** The id of {@code token} (added tokens first, then the model's vocabulary), or -1. */
    public int tokenToId(String token) {
        return addedVocabulary.tokenToId(token, model);
    }

    /** The token with id {@code id}, or null. */
    public String idToToken(int id) {
        String t = addedVocabulary.idToContent(id);
        return t != null ? t : model.idToToken(id);
    }

    /** Whether {@code token} is one of the special tokens. */
    public boolean isSpecialToken(String token) {
        return addedVocabulary.isSpecial(token);
    }

    /** The vocabulary size, added tokens included (HF's {@code get_vocab_size(true)}). */
    public int vocabSize() {
        int n = model.vocabSize();
        for (Map.Entry<Integer, AddedToken> e : addedVocabulary.byId().entrySet()) {
            if (model.idToToken(e.getKey()) == null) {
                n++;
            }
        }
        return n;
    }
}
