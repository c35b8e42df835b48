// Ollama's own JavaScript client (npm ollama) against a server: what a program using it gets.
// Usage: node ollama-client.mjs NODE_MODULES JOB.json, the job {"host": URL, "model": NAME, "prompt": TEXT}.
// Answers {"list": …, "show": …, "embeddings": …, "embed": …, "version": …} on stdout.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [modules, jobFile] = process.argv.slice(2);
const { Ollama } = await import(pathToFileURL(path.join(modules, "ollama/dist/index.mjs")).href);
const job = JSON.parse(fs.readFileSync(jobFile, "utf8"));
const ollama = new Ollama({ host: job.host });
const answer = {
  list: await ollama.list(),
  show: await ollama.show({ model: job.model }),
  embeddings: await ollama.embeddings({ model: job.model, prompt: job.prompt }),
  embed: await ollama.embed({ model: job.model, input: [job.prompt] }),
  version: await ollama.version(),
};
process.stdout.write(JSON.stringify(answer));
