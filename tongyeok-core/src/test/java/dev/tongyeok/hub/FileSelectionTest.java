package dev.tongyeok.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which files a model's repository gives: the tokenizer as tokenizer.json, else as a SentencePiece file. */
class FileSelectionTest {
    private static final HubId ID = HubId.parse("intfloat/multilingual-e5-small").orElseThrow();

    @Test
    void aSentencePieceFileIsFetchedOnlyWhenThereIsNoTokenizerJson() {
        assertEquals(List.of("config.json", "tokenizer_config.json", "sentencepiece.bpe.model", "model.safetensors"),
                FileSelection.select(ID, List.of("README.md", "config.json", "sentencepiece.bpe.model",
                        "tokenizer_config.json", "model.safetensors", "pytorch_model.bin")));
        assertEquals(List.of("config.json", "tokenizer.json", "model.safetensors"),
                FileSelection.select(ID, List.of("config.json", "tokenizer.json", "sentencepiece.bpe.model",
                        "model.safetensors")));
        assertEquals(List.of("config.json", "tokenizer.model", "model.safetensors"),
                FileSelection.select(ID, List.of("config.json", "spiece.model", "tokenizer.model", "model.safetensors")));
    }
}
