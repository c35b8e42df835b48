package dev.tongyeok.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The sizes every transformer has, whatever its family: an encoder ({@link BertConfig}) or a
 * decoder ({@link DecoderConfig}). Accessors are spelled as config.json spells them.
 */
public sealed interface ModelConfig permits BertConfig, DecoderConfig {
    /** The family: {@code bert}, {@code llama}, {@code qwen2}, {@code qwen3}, {@code gpt2} or {@code falcon}. */
    String architecture();

    /** Rows of the token embedding table. */
    int vocab_size();

    /** C, the width of every hidden state and of the output vectors. */
    int hidden_size();

    /** The number of transformer layers. */
    int num_hidden_layers();

    /** The number of attention heads (query heads for grouped-query attention). */
    int num_attention_heads();

    /** The longest sequence the model takes, in tokens. */
    int max_position_embeddings();

    /**
     * Reads a {@code config.json} of any supported family, chosen by its {@code model_type}.
     *
     * @throws ModelException when it is not valid or of an unsupported family, naming the file and the key
     * @throws IOException when the file cannot be read
     */
    static ModelConfig read(Path file) throws IOException {
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
        return type.equals("bert") ? BertConfig.read(file) : DecoderConfig.fromJson(root, file);
    }
}
