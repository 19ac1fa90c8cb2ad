package dev.mnistcnn.data;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Shows how far a download has got: a progress bar on an interactive console, otherwise a plain log
 * line every few seconds (a bar's carriage returns make a mess of log files).
 */
final class DownloadProgress implements Closeable {
  private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;
  private static final long MB = 1 << 20;

  private final String name;
  private final long totalBytes;
  private final Consumer<String> log;
  private final ProgressBar bar;
  private long bytes;
  private long lastLogNanos = System.nanoTime();

  private DownloadProgress(String name, long totalBytes, Consumer<String> log, ProgressBar bar) {
    this.name = name;
    this.totalBytes = totalBytes;
    this.log = log;
    this.bar = bar;
  }

  /** {@code totalBytes} is -1 when the server did not say. */
  @SuppressWarnings("SystemConsoleNull") // release 17: null unless a terminal (JDK 22 changes it)
  static DownloadProgress start(String name, long totalBytes, Consumer<String> log) {
    ProgressBar bar =
        System.console() == null
            ? null
            : new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(totalBytes)
                .setUnit("MB", MB)
                .showSpeed()
                .build();
    return new DownloadProgress(name, totalBytes, log, bar);
  }

  /** {@code in}, reporting every byte read through it. */
  InputStream wrap(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b != -1) {
          advance(1);
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
          advance(n);
        }
        return n;
      }
    };
  }

  private void advance(long n) {
    bytes += n;
    if (bar != null) {
      bar.stepTo(bytes);
    } else if (System.nanoTime() - lastLogNanos >= LOG_INTERVAL_NANOS) {
      lastLogNanos = System.nanoTime();
      log.accept("  " + name + ": " + amount());
    }
  }

  private String amount() {
    String done = String.format(Locale.ROOT, "%.1f MB", (double) bytes / MB);
    return totalBytes > 0
        ? String.format(Locale.ROOT, "%s of %.1f MB", done, (double) totalBytes / MB)
        : done;
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    } else {
      log.accept("  " + name + ": " + amount() + " downloaded");
    }
  }
}
