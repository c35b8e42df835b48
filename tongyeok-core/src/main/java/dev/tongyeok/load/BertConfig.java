package dev.tongyeok.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A BERT-family {@code config.json} (HF transformers' {@code BertConfig}), keys as upstream spells them.
 *
 * @param vocab_size rows of the token embedding table
 * @param hidden_size C, the width of every hidden state
 * @param num_hidden_layers encoder layers
 * @param num_attention_heads H; each head has {@code hidden_size / H} dimensions
 * @param intermediate_size the feed-forward's inner width
 * @param hidden_act {@code gelu} (exact, erf) or {@code gelu_new}/{@code gelu_pytorch_tanh} (tanh approximation) or {@code relu}
 * @param max_position_embeddings rows of the position embedding table
 * @param type_vocab_size rows of the token type embedding table
 * @param layer_norm_eps the LayerNorm epsilon
 */
public record BertConfig(int vocab_size, int hidden_size, int num_hidden_layers, int num_attention_heads,
        int intermediate_size, String hidden_act, int max_position_embeddings, int type_vocab_size,
        double layer_norm_eps) implements ModelConfig {

    /**
     * @throws ModelException when the numbers cannot describe a BERT model
     */
    public BertConfig {
        if (vocab_size <= 0 || hidden_size <= 0 || num_hidden_layers <= 0 || num_attention_heads <= 0
                || intermediate_size <= 0 || max_position_embeddings <= 0 || type_vocab_size < 0) {
            throw new ModelException("config: sizes must be positive, found " + describe(vocab_size, hidden_size,
                    num_hidden_layers, num_attention_heads, intermediate_size, max_position_embeddings));
        }
        if (hidden_size % num_attention_heads != 0) {
            throw new ModelException("config: hidden_size " + hidden_size + " is not a multiple of num_attention_heads "
                    + num_attention_heads);
        }
        hidden_act = hidden_act.toLowerCase(Locale.ROOT);
        if (!hidden_act.equals("gelu") && !hidden_act.equals("gelu_new") && !hidden_act.equals("gelu_pytorch_tanh")
                && !hidden_act.equals("relu")) {
            throw new ModelException("config: hidden_act '" + hidden_act
                    + "' is not supported (expected gelu, gelu_new, gelu_pytorch_tanh, relu)");
        }
    }

    private static String describe(int v, int h, int l, int a, int i, int p) {
        return "vocab_size=" + v + " hidden_size=" + h + " num_hidden_layers=" + l + " num_attention_heads=" + a
                + " intermediate_size=" + i + " max_position_embeddings=" + p;
    }

    @Override
    public String architecture() {
        return "bert";
    }

    /** The width of one attention head. */
    public int headSize() {
        return hidden_size / num_attention_heads;
    }

    /**
     * Reads a {@code config.json}.
     *
     * @throws ModelException when a key is missing or of the wrong type, naming the file and the key
     * @throws IOException when the file cannot be read
     */
    public static BertConfig read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelException(file + ": not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new ModelException(file + ": expected a JSON object");
        }
        String type = root.path("model_type").asText("bert");
        if (!type.equals("bert")) {
            throw new ModelException(file + ": model_type '" + type + "' is not supported (expected bert)");
        }
        return new BertConfig(intKey(root, file, "vocab_size", -1), intKey(root, file, "hidden_size", -1),
                intKey(root, file, "num_hidden_layers", -1), intKey(root, file, "num_attention_heads", -1),
                intKey(root, file, "intermediate_size", -1), root.path("hidden_act").asText("gelu"),
                intKey(root, file, "max_position_embeddings", 512), intKey(root, file, "type_vocab_size", 2),
                root.path("layer_norm_eps").asDouble(1e-12));
    }

    private static int intKey(JsonNode root, Path file, String key, int fallback) {
        JsonNode n = root.get(key);
        if (n == null) {
            if (fallback < 0) {
                throw new ModelException(file + ": key " + key + " is missing");
            }
            return fallback;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new ModelException(file + ": key " + key + " must be an integer, found " + n);
        }
        return n.intValue();
    }

    /** This configuration as config.json text. */
    public String toJson() {
        return String.format(Locale.ROOT, """
                {
                  "model_type": "bert",
                  "architectures": ["BertModel"],
                  "vocab_size": %d,
                  "hidden_size": %d,
                  "num_hidden_layers": %d,
                  "num_attention_heads": %d,
                  "intermediate_size": %d,
                  "hidden_act": "%s",
                  "max_position_embeddings": %d,
                  "type_vocab_size": %d,
                  "layer_norm_eps": %s
                }
                """, vocab_size, hidden_size, num_hidden_layers, num_attention_heads, intermediate_size, hidden_act,
                max_position_embeddings, type_vocab_size, Double.toString(layer_norm_eps));
    }
}
