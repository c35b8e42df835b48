package dev.tongyeok.tokenize.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tongyeok.tokenize.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming tree builder against Jackson's own {@code readTree} with exact decimals. */
class JsonTreeTest {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    @ParameterizedTest
    @MethodSource("dev.tongyeok.tokenize.Fixtures#tokenizers")
    void realTokenizerFilesGiveTheTreeOfReadTree(String name) throws Exception {
        String json = Fixtures.tokenizerJson(name);
        JsonNode expected = MAPPER.readTree(json);
        assertEquals(expected, JsonTree.parse(json), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\": 1, \"a\": [2, 3.50, -0.0, 1e-7, 12345678901, 123456789012345678901234567890], \"b\": null}",
        "[true, false, \"\\u00e9\\ud83d\\ude00 \u4f60\u597d\", {}, [], {\"x\": {\"y\": [[]]}}]",
        "  \"just a string\"  ",
        "-7",
        "{\"a\": 1} trailing content that readTree ignores",
    })
    void valuesOfEveryKind(String json) throws Exception {
        JsonNode expected = MAPPER.readTree(json);
        assertEquals(expected, JsonTree.parse(json));
    }

    @Test
    void emptyInputHasNoValue() throws Exception {
        assertNull(JsonTree.parse("  "));
    }

    @Test
    void brokenInputThrowsTheParsersError() {
        assertThrows(JsonProcessingException.class, () -> JsonTree.parse("{\"a\": [1, 2"));
        assertThrows(JsonProcessingException.class, () -> JsonTree.parse("{\"a\" 1}"));
    }
}
