package dev.tongyeok.load;

import dev.tongyeok.tokenize.Tokenizer;

/**
 * Everything needed to run a model: its tokenizer, weights, configuration and the
 * sentence-transformers defaults for turning token vectors into one sentence vector.
 *
 * @param name what the user called it (a built-in name or a path)
 * @param tokenizer the tokenizer as its tokenizer.json describes it
 * @param weights the tensors
 * @param config the architecture's sizes
 * @param pooling the default pooling: {@code mean}, {@code cls} or {@code last}
 * @param normalize whether sentence vectors are L2-normalized by default
 * @param maxSeqLength the longest input in tokens, special tokens included
 * @param prompts named prompts put before inputs (sentence-transformers' {@code prompts}:
 *     {@code "query" -> "query: "}), possibly empty
 */
public record ModelFiles(String name, Tokenizer tokenizer, WeightSource weights, BertConfig config, String pooling,
        boolean normalize, int maxSeqLength, java.util.Map<String, String> prompts) {

    /** Copies the prompts. */
    public ModelFiles {
        prompts = java.util.Map.copyOf(prompts);
    }

    /** Files without named prompts. */
    public ModelFiles(String name, Tokenizer tokenizer, WeightSource weights, BertConfig config, String pooling,
            boolean normalize, int maxSeqLength) {
        this(name, tokenizer, weights, config, pooling, normalize, maxSeqLength, java.util.Map.of());
    }

    /** These files under another name. */
    public ModelFiles withName(String newName) {
        return new ModelFiles(newName, tokenizer, weights, config, pooling, normalize, maxSeqLength, prompts);
    }
}
