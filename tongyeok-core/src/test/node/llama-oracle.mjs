// The llama.cpp oracle: runs GGUF files through llama.cpp (npm node-llama-cpp, its prebuilt CPU
// binaries, never built here) and prints what llama.cpp makes of them, for the Java tests to compare.
//
// Usage: node llama-oracle.mjs NODE_MODULES_DIR JOB.json > answer.json
// job:    {"models": [{"file": "/abs/model.gguf", "texts": ["..."], "tokens": [[1, 2, 3]], "vocabOnly": false}]}
// (vocabOnly: load the vocabulary alone and only tokenize the texts)
// answer: {"models": [{"file": ..., "vocabularyType": "wpm", "tokenized": [[...]],
//                      "texts": [[...embedding...]], "tokens": [[...embedding...]]}]}
// tokenized: each text as llama.cpp tokenizes it for an embedding (llama_tokenize with add_special). texts/tokens: the embedding of each text / each token sequence,
// as llama.cpp pools it (the file's pooling type; for a model without one, the last token's hidden state).
// Precision: CPU only, F32 K/V cache, flash attention off.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {pathToFileURL} from "node:url";

const [modules, jobFile] = process.argv.slice(2);
if (!modules || !jobFile) {
    console.error("usage: node llama-oracle.mjs NODE_MODULES_DIR JOB.json");
    process.exit(2);
}
const {getLlama, LlamaLogLevel} = await import(pathToFileURL(join(modules, "node-llama-cpp/dist/index.js")).href);
// llama.cpp's llama_tokenize with add_special, as llama-server and llama-embedding call it: WPM
// always [CLS] … [SEP]; every other vocabulary its add_bos_token / add_eos_token.
function addSpecial(model, ids) {
    const t = model.tokens;
    if (model.vocabularyType === "wpm") {
        ids.unshift(t.bos);
        ids.push(t.sep);
    } else {
        if (t.shouldPrependBosToken) ids.unshift(t.bos);
        if (t.shouldAppendEosToken) ids.push(t.eos);
    }
    return ids;
}
const job = JSON.parse(readFileSync(jobFile, "utf8"));
const llama = await getLlama({build: "never", gpu: false, logLevel: LlamaLogLevel.error, progressLogs: false});
const out = [];
for (const m of job.models) {
    if (m.vocabOnly) {
        // The vocabulary alone (llama.cpp's vocab_only): token ids, no forward pass.
        const vocab = await llama.loadModel({modelPath: m.file, gpuLayers: 0, vocabOnly: true});
        const t = vocab.tokens;
        const tokenized = (m.texts ?? []).map(text => addSpecial(vocab, Array.from(vocab.tokenize(text, false))));
        out.push({file: m.file, vocabularyType: vocab.vocabularyType, tokenized, texts: [], tokens: []});
        await vocab.dispose();
        continue;
    }
    const model = await llama.loadModel({
        modelPath: m.file,
        gpuLayers: 0,
        defaultContextFlashAttention: false,
        experimentalDefaultContextKvCacheKeyType: "F32",
        experimentalDefaultContextKvCacheValueType: "F32",
    });
    // At most 2,048 tokens: the compute buffers of a non-causal model grow with the square of it.
    const size = Math.min(2048, Math.max(16, model.trainContextSize));
    const context = await model.createEmbeddingContext({contextSize: size, batchSize: size, threads: 1});
    // Embed exactly the tokens given: node-llama-cpp would add start and end tokens of its own choice.
    context._prepareInput = () => {};
    const t = model.tokens;
    const tokenized = [];
    const texts = [];
    for (const text of m.texts ?? []) {
        const ids = addSpecial(model, Array.from(model.tokenize(text, false)));
        tokenized.push(ids);
        texts.push(Array.from((await context.getEmbeddingFor([...ids])).vector));
    }
    const tokens = [];
    for (const ids of m.tokens ?? []) {
        tokens.push(Array.from((await context.getEmbeddingFor([...ids])).vector));
    }
    out.push({file: m.file, vocabularyType: model.vocabularyType, tokenized, texts, tokens});
    await context.dispose();
    await model.dispose();
}
process.stdout.write(JSON.stringify({models: out}));
await llama.dispose();
