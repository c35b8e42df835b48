package dev.tongyeok.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** "Did you mean": names cut short, typing slips, and nothing for a name far from all. */
class NamesTest {
    static final List<String> COMMANDS = List.of("tokenize", "embed", "attention", "similarity", "rerank", "serve");

    @Test
    void suggestsTheClosestNameOrNone() {
        assertEquals(Optional.of("embed"), Names.closest("embedd", COMMANDS));
        assertEquals(Optional.of("serve"), Names.closest("sevre", COMMANDS), "a swap is one edit");
        assertEquals(Optional.of("tokenize"), Names.closest("TOKENISE", COMMANDS), "case does not count");
        assertEquals(Optional.of("all-minilm-l6-v2"), Names.closest("all-minilm-l6", List.of("all-minilm-l6-v2",
                "bge-small-zh-v1.5")), "a name cut short");
        assertEquals(Optional.of("--model"), Names.closest("--modle", List.of("--model", "--input", "--output")));
        assertEquals(Optional.empty(), Names.closest("frobnicate", COMMANDS));
        assertEquals(Optional.empty(), Names.closest("x", COMMANDS));
        assertEquals(Optional.empty(), Names.closest("embed", List.of("embed")), "the name itself is no suggestion");
        assertEquals(3, Names.distance("kitten", "sitting"));
    }
}
