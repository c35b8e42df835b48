package dev.tongyeok.search;

import dev.tongyeok.embed.Embedder;
import java.util.Map;

/**
 * The named prompts a model was trained with for retrieval (sentence-transformers'
 * {@code config_sentence_transformers.json}; E5's {@code query: } and {@code passage: }): documents
 * are embedded with the document prompt, queries with the query prompt, none when the model has none.
 */
final class Prompts {
    private Prompts() {}

    static String document(Embedder e) {
        Map<String, String> p = e.files().prompts();
        return p.getOrDefault("passage", p.getOrDefault("document", ""));
    }

    static String query(Embedder e) {
        return e.files().prompts().getOrDefault("query", "");
    }
}
