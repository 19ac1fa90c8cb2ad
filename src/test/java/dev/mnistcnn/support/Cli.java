package dev.mnistcnn.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** The command line run in this JVM, its output captured: what a user would see, without a fork. */
public final class Cli {
  private Cli() {}

  /** Exit code, stdout and stderr of one in-process run. */
  public record Run(int code, String out, String err) {
    /** Exit code 1 and one last "error: " line naming {@code expectedFragment}, no stack trace. */
    public void assertOneLineError(String expectedFragment) {
      assertEquals(1, code, "exit code; stderr: " + err);
      // Progress lines ("Loading MNIST ...") may come first; the error is one last line.
      List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
      assertEquals(
          1, lines.stream().filter(l -> l.startsWith("error: ")).count(), "one error line: " + err);
      assertTrue(lines.get(lines.size() - 1).startsWith("error: "), err);
      assertTrue(err.contains(expectedFragment), "'" + expectedFragment + "' in: " + err);
      assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }
  }

  /** {@code mnist-cnn args...}, as {@link Main} runs it, with stdout and stderr captured. */
  public static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** As {@link #run}, each argument as its {@code toString()} (paths), asserting exit code 0. */
  public static Run runOk(Object... args) {
    String[] strings = Arrays.stream(args).map(Object::toString).toArray(String[]::new);
    Run r = run(strings);
    assertEquals(0, r.code(), String.join(" ", strings) + "\n" + r.out() + r.err());
    return r;
  }
}
