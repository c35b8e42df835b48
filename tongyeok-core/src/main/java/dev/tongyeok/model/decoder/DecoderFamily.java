package dev.tongyeok.model.decoder;

import dev.tongyeok.load.WeightSource;
import dev.tongyeok.model.ModelConfig;
import dev.tongyeok.model.Pooling;
import dev.tongyeok.model.family.ModelFamily;
import dev.tongyeok.model.layer.EmbeddingTable;
import java.util.Set;

/**
 * What the decoder families share as families: a {@link DecoderConfig} whose architecture is one
 * of theirs (the same names GGUF's {@code general.architecture} gives), last-token pooling (the
 * token that has seen all the others), and a token table found under the checkpoint's prefix.
 */
public abstract class DecoderFamily implements ModelFamily {
    private final Set<String> architectures;
    private final String tokenTable;
    private final String[] prefixes;

    /**
     * @param architectures the {@link DecoderConfig#architecture()} values, also the GGUF architectures
     * @param tokenTable the token table's name after the prefix ({@code embed_tokens.weight})
     * @param prefixes the prefixes checkpoints put before the names, most common first
     */
    protected DecoderFamily(Set<String> architectures, String tokenTable, String... prefixes) {
        this.architectures = Set.copyOf(architectures);
        this.tokenTable = tokenTable;
        this.prefixes = prefixes.clone();
    }

    @Override
    public Set<String> ggufArchitectures() {
        return architectures;
    }

    @Override
    public boolean builds(ModelConfig config) {
        return config instanceof DecoderConfig d && architectures.contains(d.architecture());
    }

    @Override
    public Pooling defaultPooling() {
        return Pooling.LAST;
    }

    @Override
    public EmbeddingTable tokenEmbeddings(WeightSource w, ModelConfig config) {
        return DecoderModel.tokenTable(w, (DecoderConfig) config, DecoderModel.prefix(w, tokenTable, prefixes) + tokenTable);
    }
}
