package dev.tongyeok.search;

import dev.tongyeok.tokenize.Encoding;
import dev.tongyeok.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a document into chunks of at most {@code tokens} model tokens (markers not counted), each
 * starting {@code tokens - overlap} tokens after the previous one, so that no passage loses its
 * context at a cut and every chunk fits the model whole. Cuts fall between words where a word
 * boundary lies in the chunk's last half; a chunk's text is the original text from its first
 * token's start to its last token's end.
 */
final class Chunker {
    /**
     * A chunk: its number in the document, its character range [start, end) in the document's
     * text (UTF-16 units, as Java strings count), the text, and its token count.
     */
    record Chunk(int index, int start, int end, String text, int tokens) {
    }

    private final Tokenizer tokenizer;
    private final int tokens;
    private final int overlap;

    /**
     * @param tokenizer the model's tokenizer (without truncation)
     * @param tokens the most tokens in a chunk, ≥ 1
     * @param overlap tokens shared by consecutive chunks, in [0, tokens / 2]
     */
    Chunker(Tokenizer tokenizer, int tokens, int overlap) {
        if (tokens < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1 token, found " + tokens);
        }
        if (overlap < 0 || overlap > tokens / 2) {
            throw new IllegalArgumentException("overlap must be between 0 and half the chunk size (" + tokens / 2
                    + " tokens), found " + overlap);
        }
        this.tokenizer = tokenizer;
        this.tokens = tokens;
        this.overlap = overlap;
    }

    List<Chunk> chunks(String text) {
        Encoding e = tokenizer.encode(text, false);
        int n = e.length();
        List<Chunk> out = new ArrayList<>();
        if (n == 0) {
            return out;
        }
        int[] words = e.wordIds();
        int from = 0;
        while (true) {
            int to = Math.min(n, from + tokens); // exclusive
            if (to < n) {
                // back off to a word boundary in the last half, if there is one
                for (int cut = to; cut > from + tokens / 2; cut--) {
                    if (words[cut] != words[cut - 1] || e.start(cut) > e.end(cut - 1)) {
                        to = cut;
                        break;
                    }
                }
            }
            int start = e.start(from);
            int end = e.end(to - 1);
            out.add(new Chunk(out.size(), start, end, text.substring(start, end), to - from));
            if (to >= n) {
                return out;
            }
            int next = Math.max(from + 1, to - overlap);
            // start the next chunk on a word boundary too, moving forward (never past the cut)
            while (next < to && next > 0 && words[next] == words[next - 1] && e.start(next) <= e.end(next - 1)) {
                next++;
            }
            from = next;
        }
    }
}
