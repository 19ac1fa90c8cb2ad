package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.mnistcnn.HeadlessChromium;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code report} page of the shipped model in Debian's Chromium, opened from disk with the
 * network cut off: every image must decode and the confusion matrix the browser shows must add up
 * to the test set. Fails, never skips, without Chromium; the screenshot stays in {@code target/}.
 */
@Tag(Tier.BROWSER)
class ReportBrowserTest {
  private static final Path SCREENSHOT = Path.of("target", "report-browser-test", "report.png");

  @TempDir Path tmp;

  @Test
  void everyImageRendersAndTheConfusionMatrixAddsUpToTheTestSet() throws Exception {
    assertTrue(
        Files.isExecutable(HeadlessChromium.EXECUTABLE),
        "Chromium missing: apt-get install -y chromium");
    Path report = tmp.resolve("report");
    Cli.Run r = Cli.run("report", "--model", TestData.shippedModel() + "", "--output", report + "");
    assertEquals(0, r.code(), r.err());
    Files.createDirectories(SCREENSHOT.getParent());
    try (Playwright playwright = Playwright.create();
        Browser browser = playwright.chromium().launch(HeadlessChromium.options())) {
      Page page = browser.newContext(new Browser.NewContextOptions().setOffline(true)).newPage();
      List<String> failed = new ArrayList<>();
      page.onRequestFailed(request -> failed.add(request.url()));
      page.navigate(report.resolve("index.html").toUri().toString());
      page.waitForLoadState();
      page.waitForFunction("() => Array.from(document.images).every(i => i.complete)");

      List<?> widths =
          (List<?>) page.evaluate("() => Array.from(document.images).map(i => i.naturalWidth)");
      assertEquals(4, widths.size(), "curves, confusion matrix, per-class, wrong digits");
      for (Object w : widths) {
        assertTrue(((Number) w).intValue() > 0, "an image did not render: " + widths);
      }
      assertEquals(List.of(), failed, "requests that failed");

      List<?> cells =
          (List<?>)
              page.evaluate(
                  "() => Array.from(document.querySelectorAll('#confusion td.count'))"
                      + ".map(td => Number(td.textContent))");
      assertEquals(100, cells.size());
      long total = cells.stream().mapToLong(c -> ((Number) c).longValue()).sum();
      assertEquals(TestData.mnist().test().count(), total);
      assertTrue(page.textContent("#summary").contains("10,000 images"));

      page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOT).setFullPage(true));
    }
    assertTrue(Files.size(SCREENSHOT) > 10_000, "screenshot written");
  }
}
