package dev.tongyeok.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code tongyeok similarity}: a model trained with prompts says so when none is given. */
class SimilarityCommandTest {
    @Test
    void aModelTrainedWithPromptsSaysSoWhenNoneIsGiven() {
        Cli.Run none = Cli.run("similarity", "--model", "e5-small-v2", "a cat", "a dog");
        assertEquals(0, none.code(), none.err());
        assertTrue(none.err().contains("tongyeok: e5-small-v2 was trained with prompts (passage \"passage: \", query "
                + "\"query: \"); none was put before the texts (--prompt \"query: \" to use one)"), none.err());
        Cli.Run given = Cli.run("similarity", "--model", "e5-small-v2", "--prompt", "query: ", "a cat", "a dog");
        assertTrue(!given.err().contains("trained with prompts"), given.err());
    }
}
