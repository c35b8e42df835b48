package dev.tongyeok.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One shared {@link Tokenizer} used by several threads at once gives HF's results for every text. */
class ConcurrencyTest {
    static final int THREADS = 4;
    static final int TEXTS = 3_000;

    @Test
    void sharedTokenizerMatchesHfUnderConcurrentUse() throws Exception {
        for (String name : List.of("all-minilm-l6-v2", "gpt4o")) {
            String json = Fixtures.tokenizerJson(name);
            Tokenizer shared = Fixtures.tokenizer(name, json);
            List<String> texts = new ArrayList<>();
            Fixtures.udhr().values().forEach(ps -> texts.addAll(ps.subList(0, Math.min(6, ps.size()))));
            Collections.shuffle(texts, new Random(42));
            List<String> sample = texts.subList(0, Math.min(TEXTS, texts.size()));
            List<HfOracle.Result> want = new ArrayList<>();
            try (HfOracle hf = new HfOracle(json)) {
                for (String t : sample) {
                    want.add(hf.encode(t, true));
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int w = 0; w < THREADS; w++) {
                    int offset = w * 97;
                    results.add(pool.submit(() -> {
                        for (int k = 0; k < sample.size(); k++) {
                            int i = (k + offset) % sample.size(); // every thread in its own order
                            String diff = TokenizerParityTest.difference(want.get(i), shared.encode(sample.get(i), true));
                            if (diff != null) {
                                return sample.get(i) + ": " + diff;
                            }
                        }
                        return null;
                    }));
                }
                for (Future<String> f : results) {
                    assertNull(f.get(), name);
                }
            } finally {
                pool.shutdown();
            }
            assertEquals(sample.size(), want.size());
        }
    }
}
