package dev.mnistcnn.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The arguments as typed, for the relaunched child ({@link TensorFlowLauncher}). Under {@code
 * LC_ALL=C} (or POSIX) the JVM decodes its arguments as ASCII, every other byte becoming U+FFFD,
 * and {@code ProcessBuilder} would hand the child {@code ?} instead: {@code predict zahl-ä.png}
 * would look for {@code zahl-??.png}. Linux keeps the bytes in {@code /proc/self/cmdline}; the
 * launcher passes them in {@value #VARIABLE} (Base64, which no encoding mangles) and starts the
 * child in {@code C.UTF-8}, in which Java can name such files at all (Java 17 ignores {@code
 * -Dsun.jnu.encoding} on the command line, and the locale is all it reads).
 */
final class RawArguments {
  static final String VARIABLE = "MNIST_CNN_ARGS";

  private static final String SEPARATOR = ",";

  private RawArguments() {}

  /** For the launcher: sets up {@code child} to get {@code args} unchanged, where needed. */
  static void passOn(String[] args, Map<String, String> child) {
    if (!platformEncoding().equals(StandardCharsets.US_ASCII)
        || Arrays.stream(args).allMatch(a -> a.chars().allMatch(c -> c < 0x80))) {
      return; // arguments were decoded without loss, and ProcessBuilder re-encodes them alike
    }
    List<byte[]> raw = typed(args);
    if (raw == null) {
      return;
    }
    Base64.Encoder base64 = Base64.getEncoder();
    child.put(VARIABLE, String.join(SEPARATOR, raw.stream().map(base64::encodeToString).toList()));
    child.put("LC_ALL", "C.UTF-8");
  }

  /** For the relaunched child: the launcher's arguments as typed, else {@code args}. */
  static String[] restore(String[] args) {
    String value = System.getenv(VARIABLE);
    if (value == null || System.getenv(ParentWatchdog.PARENT_PID) == null) {
      return args;
    }
    String[] encoded = value.isEmpty() ? new String[0] : value.split(SEPARATOR, -1);
    if (encoded.length != args.length) {
      return args;
    }
    String[] restored = new String[args.length];
    try {
      for (int i = 0; i < args.length; i++) {
        restored[i] = new String(Base64.getDecoder().decode(encoded[i]), platformEncoding());
      }
    } catch (IllegalArgumentException e) {
      return args; // not set by us
    }
    return restored;
  }

  /**
   * The last {@code args.length} entries of this process's command line, when they decode to
   * exactly {@code args} (an argument file, say, would break the match); else null.
   */
  private static List<byte[]> typed(String[] args) {
    byte[] cmdline;
    try {
      cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
    } catch (IOException | UnsupportedOperationException e) {
      return null; // not Linux
    }
    List<byte[]> entries = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < cmdline.length; i++) {
      if (cmdline[i] == 0) {
        entries.add(Arrays.copyOfRange(cmdline, start, i));
        start = i + 1;
      }
    }
    if (entries.size() < args.length) {
      return null;
    }
    List<byte[]> raw = entries.subList(entries.size() - args.length, entries.size());
    for (int i = 0; i < args.length; i++) {
      if (!new String(raw.get(i), platformEncoding()).equals(args[i])) {
        return null;
      }
    }
    return raw;
  }

  /** What the JVM decodes arguments and file names with: the locale's, whatever file.encoding. */
  private static Charset platformEncoding() {
    try {
      return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
    } catch (IllegalArgumentException e) {
      return Charset.defaultCharset();
    }
  }
}
