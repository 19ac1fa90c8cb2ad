package dev.mnistcnn.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies a child's stderr, dropping TensorFlow's native info and warning lines (absl/glog format,
 * which {@code TF_CPP_MIN_LOG_LEVEL} does not reach in TF 2.18). Everything else, progress bars
 * drawn with carriage returns included, passes through as soon as it cannot be such a line.
 */
final class NativeLogFilter {
  private static final Pattern NATIVE_INFO =
      Pattern.compile(
          "(?:[IW]\\d{4} [\\d:.]+ +\\d+ [\\w.\\-]+:\\d+\\] .*"
              + "|WARNING: All log messages before absl::InitializeLog\\(\\) is called are"
              + " written to STDERR)\r?");

  private NativeLogFilter() {}

  /** Pumps {@code in} to {@code out} until end of stream. */
  static void pump(InputStream in, OutputStream out) throws IOException {
    InputStream input = new BufferedInputStream(in);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean passThrough = false;
    for (int b; (b = input.read()) != -1; ) {
      if (passThrough) {
        out.write(b);
        if (b == '\n' || b == '\r') {
          passThrough = false;
          out.flush();
        } else if (input.available() == 0) {
          out.flush();
        }
        continue;
      }
      if (b == '\n') {
        if (!NATIVE_INFO.matcher(text(line)).matches()) {
          line.write(b);
          line.writeTo(out);
          out.flush();
        }
        line.reset();
        continue;
      }
      line.write(b);
      Matcher m = NATIVE_INFO.matcher(text(line));
      if (!m.matches() && !m.hitEnd()) {
        line.writeTo(out);
        line.reset();
        passThrough = true;
        if (input.available() == 0) {
          out.flush();
        }
      }
    }
    line.writeTo(out);
    out.flush();
  }

  private static String text(ByteArrayOutputStream line) {
    return line.toString(StandardCharsets.UTF_8);
  }
}
