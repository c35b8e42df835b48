/**
 * tongyeok's library: text to tokens to matrices to vectors, exactly as each model computes them.
 *
 * <p>Programs use {@link dev.tongyeok.embed.Embedder} (text in, vectors out), name models through
 * {@link dev.tongyeok.resolve.ModelSpec}, and tokenize through
 * {@link dev.tongyeok.tokenize.Tokenizer} (read with
 * {@link dev.tongyeok.tokenize.json.TokenizerJson}). The tokenizer components, the format readers,
 * the model families and the kernels are internals; {@code docs/ARCHITECTURE.md} maps them.
 */
module dev.tongyeok.core {
    requires transitive com.fasterxml.jackson.databind;
    requires jdk.incubator.vector;
    requires java.net.http;

    exports dev.tongyeok.embed;
    exports dev.tongyeok.rerank;
    exports dev.tongyeok.resolve;
    exports dev.tongyeok.hub;
    exports dev.tongyeok.model;
    exports dev.tongyeok.load;
    exports dev.tongyeok.tensor;
    exports dev.tongyeok.tokenize;
    exports dev.tongyeok.tokenize.json;
    exports dev.tongyeok.tokenize.sentencepiece;
    // The server and the command line start and size the kernels' thread pool.
    exports dev.tongyeok.tensor.ops to dev.tongyeok.server, dev.tongyeok.cli;
}
