package dev.tongyeok.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium, driven through its chromedriver, for the explorer's browser tests. */
final class Chromium {
    private Chromium() {}

    /** A new headless browser with a fresh profile, its window {@code width × height}. */
    static ChromeDriver start(int width, int height) throws IOException {
        Path chromium = Path.of(System.getProperty("tongyeok.chromium", "/usr/bin/chromium"));
        Path driver = Path.of(System.getProperty("tongyeok.chromedriver", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium) || !Files.isExecutable(driver)) {
            throw new IllegalStateException("the explorer test needs Debian's chromium and chromium-driver at "
                    + chromium + " and " + driver + ": run scripts/fixtures.sh (the test command does)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        Path profile = Files.createTempDirectory("tongyeok-chromium");
        // Headless as root in a closed network: no sandbox, no GPU, nothing that phones home.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--window-size=" + width + "," + height,
                "--force-device-scale-factor=1", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
