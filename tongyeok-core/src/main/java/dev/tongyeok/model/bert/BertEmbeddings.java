package dev.tongyeok.model.bert;

import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.PackedBatch;
import dev.tongyeok.model.layer.EmbeddingTable;
import dev.tongyeok.model.layer.LayerNorm;
import dev.tongyeok.tensor.ops.TensorOps;

/**
 * HF transformers' {@code BertEmbeddings}: word + token type + position embeddings (added in
 * that order, as the exported graphs do), then LayerNorm. Dropout is inactive at inference.
 * RoBERTa's ({@code RobertaEmbeddings}) differ only in where positions start: at
 * {@code padding_idx + 1}, the configuration's {@code position_offset}.
 */
public final class BertEmbeddings {
    final EmbeddingTable word_embeddings;
    final EmbeddingTable position_embeddings;
    final EmbeddingTable token_type_embeddings; // null when the model has none
    final LayerNorm LayerNorm;
    private final int C;
    private final int offset;

    BertEmbeddings(WeightSource w, BertConfig cfg) {
        C = cfg.hidden_size();
        offset = cfg.position_offset();
        word_embeddings = EmbeddingTable.load(w, "embeddings.word_embeddings.weight", cfg.vocab_size(), C);
        position_embeddings = EmbeddingTable.load(w, "embeddings.position_embeddings.weight",
                cfg.max_position_embeddings() + offset, C);
        token_type_embeddings = cfg.type_vocab_size() == 0 ? null
                : EmbeddingTable.load(w, "embeddings.token_type_embeddings.weight", cfg.type_vocab_size(), C);
        LayerNorm = dev.tongyeok.model.layer.LayerNorm.load(w, "embeddings.LayerNorm", C, cfg.layer_norm_eps());
    }

    /**
     * Writes the first T rows of {@code x}.
     *
     * <pre>batch: T rows -> x: (T, C)</pre>
     */
    void forward(TensorOps ops, PackedBatch batch, float[] x) {
        int T = batch.tokens();
        float[] scratch = new float[C];
        for (int t = 0; t < T; t++) {
            word_embeddings.lookup(batch.ids()[t], x, t * C);
            if (token_type_embeddings != null) {
                token_type_embeddings.add(batch.typeIds()[t], x, t * C, scratch);
            }
            position_embeddings.add(batch.positions()[t] + offset, x, t * C, scratch);
        }
        LayerNorm.forward(ops, x, T);
    }

    /** Row {@code id} of the token embedding table, the token's static vector. */
    public float[] wordVector(int id) {
        float[] v = new float[C];
        word_embeddings.lookup(id, v, 0);
        return v;
    }
}
