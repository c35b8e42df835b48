package dev.tongyeok.server;

import static dev.tongyeok.server.Http.floats;
import static dev.tongyeok.server.Http.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tongyeok.embed.EmbedOptions;
import dev.tongyeok.embed.Embedder;
import dev.tongyeok.embed.Inspection;
import dev.tongyeok.embed.TinyModel;
import dev.tongyeok.hub.HubCache;
import dev.tongyeok.hub.HubClient;
import dev.tongyeok.hub.HubStandIn;
import dev.tongyeok.oracle.LlamaCpp;
import dev.tongyeok.resolve.ModelSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every encoder family, the way a user meets it: its tiny model loaded by path (safetensors and
 * GGUF) and by name (through a stand-in Hub), served by one server, embedded over HTTP as the
 * library embeds it, inspected by /inspect, and drawn by the explorer in a real browser.
 */
class FamiliesServerTest {
    @TempDir
    static Path dir;

    static List<TinyModel> models;
    static HubStandIn hub;
    static EmbeddingServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        models = TinyModel.all(dir);
        hub = new HubStandIn();
        ModelSpec.useHub(new HubClient(new HubCache(dir.resolve("hub-cache")), hub.endpoint(), null, false,
                HubClient.Progress.NONE, n -> { }, 1));
        List<EmbeddingServer.ModelSource> sources = new ArrayList<>();
        sources.add(EmbeddingServer.ModelSource.of("all-minilm-l6-v2"));
        for (TinyModel m : models) {
            hub.add("tiny/" + m.family(), m.safetensors(), null);
            sources.add(new EmbeddingServer.ModelSource(m.family(), m.safetensors().toString()));
            sources.add(new EmbeddingServer.ModelSource(m.family() + "-hub", "tiny/" + m.family()));
            if (m.gguf() != null) {
                sources.add(new EmbeddingServer.ModelSource(m.family() + "-gguf", m.gguf().toString()));
            }
        }
        server = EmbeddingServer.start(ServerOptions.DEFAULTS.withPort(0), sources);
        server.awaitReady();
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        ModelSpec.useHub(null);
        if (hub != null) {
            hub.close();
        }
    }

    static Stream<String> families() throws Exception {
        return Stream.of("xlm-roberta", "nomic-bert", "jina-bert-v2", "modernbert", "embeddinggemma", "mpnet", "gte");
    }

    static TinyModel model(String family) {
        return models.stream().filter(m -> m.family().equals(family)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void servedByPathAndByNameAsTheLibraryEmbeds(String family) throws Exception {
        TinyModel m = model(family);
        Embedder lib = Embedder.load(m.safetensors().toString());
        float[] want = lib.embed(m.text());
        List<String> names = new ArrayList<>(List.of(family, family + "-hub"));
        for (String name : names) {
            JsonNode got = http.post("/v1/embeddings", map("input", List.of(m.text()), "model", name)).json();
            assertArrayEquals(want, floats(got.get("data").get(0).get("embedding")), 0f, name);
        }
        // By name, the same vectors from the same files in the Hub's cache.
        assertArrayEquals(want, Embedder.load("tiny/" + family).embed(m.text()), 0f, "tiny/" + family);
        if (m.gguf() != null) {
            float[] gguf = Embedder.load(m.gguf().toString()).embed(m.text());
            JsonNode got = http.post("/v1/embeddings", map("input", List.of(m.text()), "model", family + "-gguf")).json();
            assertArrayEquals(gguf, floats(got.get("data").get(0).get("embedding")), 0f, family + "-gguf");
            assertTrue(LlamaCpp.cosine(want, gguf) >= 0.99999, family + ": safetensors against GGUF, cosine "
                    + LlamaCpp.cosine(want, gguf));
        }
        // /inspect: what the explorer draws, as the library inspects it.
        Inspection in = lib.inspect(m.text(), EmbedOptions.DEFAULTS);
        JsonNode got = http.post("/inspect", map("text", m.text(), "model", family)).json();
        assertEquals(in.layers(), got.get("layers").asInt());
        assertEquals(in.heads(), got.get("heads").asInt());
        assertEquals(in.encoding().length(), got.get("tokens").size());
        assertArrayEquals(in.vector(), floats(got.get("vector")), 0f);
        assertArrayEquals(in.attentions()[in.layers() - 1][0][0], floats(got.get("attention").get(in.layers() - 1)
                .get(0).get(0)), 0f);
        assertTrue(got.get("coverage").isNull(), "the text is in the vocabulary: " + got.get("coverage"));
    }

    @Test
    void everyFamilyIsListed() throws Exception {
        JsonNode list = http.get("/v1/models").json().get("data");
        List<String> ids = new ArrayList<>();
        list.forEach(n -> ids.add(n.get("id").asText()));
        for (TinyModel m : models) {
            assertTrue(ids.contains(m.family()) && ids.contains(m.family() + "-hub"), m.family() + " in " + ids);
        }
    }

    @Test
    @Timeout(300)
    void theExplorerDrawsEveryFamily() throws Exception {
        ChromeDriver browser = Chromium.start(1280, 2400);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            browser.get("http://127.0.0.1:" + server.port() + "/");
            By run = By.cssSelector("[data-testid=run]");
            wait.until(ExpectedConditions.elementToBeClickable(run));
            for (TinyModel m : models) {
                new Select(browser.findElement(By.cssSelector("[data-testid=model-select]"))).selectByValue(m.family());
                var input = browser.findElement(By.cssSelector("[data-testid=text-input]"));
                input.clear();
                input.sendKeys(m.text());
                browser.findElement(run).click();
                JsonNode want = http.post("/inspect", map("text", m.text(), "model", m.family())).json();
                List<String> ids = new ArrayList<>();
                want.get("tokens").forEach(t -> ids.add(t.get("id").asText()));
                wait.until(d -> ids.equals(browser.executeScript("return [...document.querySelectorAll("
                        + "'[data-testid=token]')].map(c => c.dataset.id)")) && d.findElement(run).isEnabled());
                List<String> layers = new ArrayList<>();
                new Select(browser.findElement(By.cssSelector("[data-testid=layer-select]"))).getOptions()
                        .forEach(o -> layers.add(o.getText()));
                assertTrue(layers.size() >= want.get("layers").asInt(), m.family() + ": layers " + layers);
                assertFalse(browser.findElements(By.cssSelector("[data-testid=attention-cell]")).isEmpty(),
                        m.family() + ": attention drawn");
            }
            // A text the default model's vocabulary hardly covers: the explorer says so, as /inspect does.
            new Select(browser.findElement(By.cssSelector("[data-testid=model-select]"))).selectByValue("all-minilm-l6-v2");
            var input = browser.findElement(By.cssSelector("[data-testid=text-input]"));
            input.clear();
            input.sendKeys("주식 시장이 오늘 급락했다");
            browser.findElement(run).click();
            String coverage = http.post("/inspect", map("text", "주식 시장이 오늘 급락했다")).json().get("coverage").asText();
            assertNotNull(coverage);
            assertTrue(coverage.contains("Hangul"), coverage);
            wait.until(d -> d.findElement(By.cssSelector("[data-testid=coverage]")).isDisplayed()
                    && coverage.equals(d.findElement(By.cssSelector("[data-testid=coverage]")).getText()));
        } finally {
            browser.quit();
        }
    }
}
