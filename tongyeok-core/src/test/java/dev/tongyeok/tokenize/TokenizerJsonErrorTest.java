package dev.tongyeok.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tongyeok.tokenize.json.TokenizerJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken tokenizer.json files fail with one line that names the file and the field. */
class TokenizerJsonErrorTest {
    static final String MINI = "{'model':{'type':'WordPiece','vocab':{'[UNK]':0,'a':1},'unk_token':'[UNK]'},"
            + "'normalizer':NORM,'pre_tokenizer':PRE,'post_processor':null,'decoder':null,'added_tokens':[]}";

    static String json(String normalizer, String pre) {
        return MINI.replace("NORM", normalizer).replace("PRE", pre).replace('\'', '"');
    }

    static String message(String json) {
        TokenizerException e = assertThrows(TokenizerException.class, () -> TokenizerJson.parse(json, "t.json"));
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void aWorkingMinimalFile() {
        Tokenizer t = TokenizerJson.parse(json("null", "{'type':'Whitespace'}"), "t.json");
        assertEquals(1, t.encode("a").id(0));
    }

    @Test
    void notJson() {
        String m = message("{\"model\": ");
        assertTrue(m.startsWith("t.json: not valid JSON at line 1"), m);
    }

    @Test
    void unknownComponentTypes() {
        assertTrue(message(json("{'type':'Shout'}", "null")).contains(
                "t.json: normalizer.type 'Shout' is not supported (expected BertNormalizer"));
        assertTrue(message(json("{'type':'Sequence','normalizers':[{'type':'NFC'},{'type':'Nope'}]}", "null")).contains(
                "t.json: normalizer.normalizers[1].type 'Nope' is not supported"));
        assertTrue(message(json("null", "{'type':'Sequence','pretokenizers':[{'type':'Foo'}]}")).contains(
                "t.json: pre_tokenizer.pretokenizers[0].type 'Foo' is not supported"));
        String m = message(MINI.replace("'WordPiece'", "'Foo'").replace("NORM", "null").replace("PRE", "null").replace('\'', '"'));
        assertTrue(m.contains("t.json: model.type 'Foo' is not supported (expected WordPiece, BPE, Unigram, WordLevel)"), m);
    }

    @Test
    void badFields() {
        assertTrue(message(json("null", "{'type':'Split','pattern':{'Regex':'(unclosed'},'behavior':'Isolated','invert':false}"))
                .contains("t.json: pre_tokenizer.pattern.Regex regex '(unclosed' is not valid"));
        assertTrue(message(json("null", "{'type':'Split','pattern':{'Regex':'a'},'behavior':'Sideways','invert':false}"))
                .contains("pre_tokenizer.behavior 'Sideways' (expected Removed, Isolated"));
        assertTrue(message(json("{'type':'BertNormalizer','lowercase':'yes'}", "null"))
                .contains("t.json: normalizer.lowercase expected true or false"));
        assertTrue(message(json("null", "null").replace("\"vocab\":{\"[UNK]\":0,\"a\":1}", "\"vocab\":[1,2]"))
                .contains("t.json: model.vocab expected an object of token to id"));
        String bpe = "{'model':{'type':'BPE','vocab':{'a':0,'b':1},'merges':['a b']}}".replace('\'', '"');
        assertTrue(message(bpe).contains("BPE merge 0 'a b': 'ab' is not in the vocabulary"));
        String noModel = "{'normalizer':null}".replace('\'', '"');
        assertTrue(message(noModel).contains("t.json: model is missing"));
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path p = dir.resolve("tokenizer.json");
        TokenizerException e = assertThrows(TokenizerException.class, () -> TokenizerJson.read(p));
        assertEquals(p + ": no such file", e.getMessage());
    }

    @Test
    void notUtf8(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("tokenizer.json");
        Files.write(p, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
        TokenizerException e = assertThrows(TokenizerException.class, () -> TokenizerJson.read(p));
        assertTrue(e.getMessage().endsWith("not UTF-8 text"), e.getMessage());
    }
}
