package dev.mnistcnn;

import com.microsoft.playwright.BrowserType;
import java.nio.file.Path;
import java.util.List;

/** How the browser tests start Debian's Chromium through Playwright (no browser download). */
public final class HeadlessChromium {
  private HeadlessChromium() {}

  /** Debian's package, installed by tools/setup.sh. */
  public static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

  /** Headless, offline-quiet launch options for {@link #EXECUTABLE}. */
  public static BrowserType.LaunchOptions options() {
    return new BrowserType.LaunchOptions()
        .setExecutablePath(EXECUTABLE)
        .setHeadless(true)
        .setArgs(
            List.of(
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync"));
  }
}
