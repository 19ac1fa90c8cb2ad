package dev.mnistcnn.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.ReducedMotion;
import dev.mnistcnn.HeadlessChromium;
import dev.mnistcnn.Tier;
import dev.mnistcnn.data.Split;
import dev.mnistcnn.inference.Predictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The drawing page in Debian's Chromium: the ink of real MNIST test digits is replayed as mouse
 * strokes, and the page must show the right digit. Fails, never skips, without Chromium.
 */
@Tag(Tier.BROWSER)
class DrawingPageBrowserTest {
  private static final Path SCREENSHOTS = Path.of("target", "browser-test");

  /** The first test image of each digit is drawn: not hand-picked, so some are hard. */
  private static final int[] DIGITS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

  /** Misreadings tolerated: the model itself is only 64% sure of the first 3 (test image 18). */
  private static final int ALLOWED_MISSES = 1;

  /** Pixels at least this bright are ink. */
  private static final int INK = 128;

  private static ServingServer server;
  private static Playwright playwright;
  private static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    assertTrue(
        Files.isExecutable(HeadlessChromium.EXECUTABLE),
        "Chromium missing: apt-get install -y chromium");
    server = ServeTestSupport.startServer();
    playwright = Playwright.create();
    browser = playwright.chromium().launch(HeadlessChromium.options());
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void drawnTestDigitsAreRecognisedAndClearResets() {
    Split test = ServeTestSupport.testImages();
    // Reduced motion: the bars jump to their values, so screenshots show the final state.
    Page page =
        browser.newPage(
            new Browser.NewPageOptions()
                .setViewportSize(900, 800)
                .setReducedMotion(ReducedMotion.REDUCE));
    List<String> consoleErrors = new ArrayList<>();
    page.onConsoleMessage(
        m -> {
          if (m.type().equals("error")) {
            consoleErrors.add(m.text());
          }
        });
    page.navigate(server.url().resolve("/").toString());
    Locator digit = page.locator("#digit");
    assertEquals("?", digit.textContent());
    assertEquals(10, page.locator("#bars li").count());

    List<String> misses = new ArrayList<>();
    for (int wanted : DIGITS) {
      int index = firstIndexOf(test, wanted);
      draw(page, test, index);
      waitForResult(page);
      String shown = digit.textContent().trim();
      page.screenshot(
          new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("digit-" + wanted + ".png")));
      System.out.println(
          "drew MNIST test image "
              + index
              + " (a "
              + wanted
              + "): page shows "
              + shown
              + "; "
              + page.locator("#status").textContent());
      if (!shown.equals(String.valueOf(wanted))) {
        misses.add("test image " + index + " (" + wanted + ") shown as " + shown);
      }
      assertTrue(page.locator("#bars li.best").count() == 1, "one bar highlighted");
      page.click("#clear");
      assertEquals("?", digit.textContent(), "Clear resets the answer");
      assertEquals(0, page.locator("#bars li.best").count(), "Clear resets the bars");
      assertEquals("0.0%", page.locator("#bars li .bar-value").first().textContent());
    }
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("cleared.png")));
    assertTrue(consoleErrors.isEmpty(), "console errors: " + consoleErrors);
    System.out.println(
        (DIGITS.length - misses.size()) + " of " + DIGITS.length + " drawn digits read right");
    assertTrue(
        misses.size() <= ALLOWED_MISSES, DIGITS.length + " digits drawn, misread: " + misses);
  }

  private static int firstIndexOf(Split split, int label) {
    for (int i = 0; i < split.count(); i++) {
      if (split.label(i) == label) {
        return i;
      }
    }
    throw new IllegalArgumentException("no " + label);
  }

  /**
   * Replays a digit's ink: each horizontal run of bright pixels becomes one mouse stroke through
   * the middle of its row, scaled to the canvas; the page's thick round pen fills in the rest.
   */
  private static void draw(Page page, Split split, int index) {
    BoundingBox box = page.locator("#pad").boundingBox();
    double cell = box.width / Predictor.IMAGE_SIDE;
    int side = Predictor.IMAGE_SIDE;
    for (int row = 0; row < side; row++) {
      int col = 0;
      while (col < side) {
        if (pixel(split, index, row, col) < INK) {
          col++;
          continue;
        }
        int start = col;
        while (col < side && pixel(split, index, row, col) >= INK) {
          col++;
        }
        double y = box.y + (row + 0.5) * cell;
        page.mouse().move(box.x + (start + 0.5) * cell, y);
        page.mouse().down();
        page.mouse()
            .move(
                box.x + (col - 0.5) * cell,
                y,
                new com.microsoft.playwright.Mouse.MoveOptions()
                    .setSteps(Math.max(1, col - start)));
        page.mouse().up();
      }
    }
  }

  private static int pixel(Split split, int index, int row, int col) {
    return split.pixels()[index * split.imageSize() + row * Predictor.IMAGE_SIDE + col] & 0xFF;
  }

  /**
   * Until the answer on screen covers every stroke drawn so far. (A CSS selector, not a script: the
   * page's Content-Security-Policy forbids Playwright's evaluated predicates, as it should.)
   */
  private static void waitForResult(Page page) {
    String strokes = page.locator("body").getAttribute("data-strokes");
    page.waitForSelector("body[data-state='idle'][data-shown='" + strokes + "']");
  }
}
