package dev.tongyeok.model.bert;

import dev.tongyeok.load.ModelException;
import dev.tongyeok.model.ModelConfig;
import java.util.Locale;

/**
 * A BERT-family {@code config.json} (HF transformers' {@code BertConfig}, and {@code RobertaConfig},
 * {@code XLMRobertaConfig}, {@code CamembertConfig} for the RoBERTa models on the same layers), keys
 * as upstream spells them.
 *
 * @param vocab_size rows of the token embedding table
 * @param hidden_size C, the width of every hidden state
 * @param num_hidden_layers encoder layers
 * @param num_attention_heads H; each head has {@code hidden_size / H} dimensions
 * @param intermediate_size the feed-forward's inner width
 * @param hidden_act {@code gelu} (exact, erf) or {@code gelu_new}/{@code gelu_pytorch_tanh} (tanh approximation) or {@code relu}
 * @param max_position_embeddings the longest sequence, in tokens: rows of the position embedding
 *     table past {@code position_offset}
 * @param type_vocab_size rows of the token type embedding table
 * @param layer_norm_eps the LayerNorm epsilon
 * @param position_offset the position table row of the first token: 0 for BERT, {@code pad_token_id + 1}
 *     for RoBERTa, whose position ids count on from the padding index (the table has
 *     {@code max_position_embeddings + position_offset} rows)
 */
public record BertConfig(int vocab_size, int hidden_size, int num_hidden_layers, int num_attention_heads,
        int intermediate_size, String hidden_act, int max_position_embeddings, int type_vocab_size,
        double layer_norm_eps, int position_offset) implements ModelConfig {

    /** A BERT configuration, positions from row 0. */
    public BertConfig(int vocab_size, int hidden_size, int num_hidden_layers, int num_attention_heads,
            int intermediate_size, String hidden_act, int max_position_embeddings, int type_vocab_size,
            double layer_norm_eps) {
        this(vocab_size, hidden_size, num_hidden_layers, num_attention_heads, intermediate_size, hidden_act,
                max_position_embeddings, type_vocab_size, layer_norm_eps, 0);
    }

    /**
     * @throws ModelException when the numbers cannot describe a BERT model
     */
    public BertConfig {
        if (vocab_size <= 0 || hidden_size <= 0 || num_hidden_layers <= 0 || num_attention_heads <= 0
                || intermediate_size <= 0 || max_position_embeddings <= 0 || type_vocab_size < 0
                || position_offset < 0) {
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

    /** This configuration as config.json text (a RoBERTa one when positions are offset). */
    public String toJson() {
        String type = position_offset == 0 ? "\"model_type\": \"bert\",\n  \"architectures\": [\"BertModel\"]"
                : "\"model_type\": \"xlm-roberta\",\n  \"architectures\": [\"XLMRobertaModel\"],\n  \"pad_token_id\": "
                        + (position_offset - 1);
        return String.format(Locale.ROOT, """
                {
                  %s,
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
                """, type, vocab_size, hidden_size, num_hidden_layers, num_attention_heads, intermediate_size, hidden_act,
                max_position_embeddings + position_offset, type_vocab_size, Double.toString(layer_norm_eps));
    }
}
