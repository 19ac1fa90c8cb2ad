package dev.mnistcnn.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.files.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real Python Keras from the project's venvs; a missing main venv fails the test. */
public final class Python {
  private Python() {}

  /** {@code tools/.venv} (TensorFlow 2.21, Keras 3.15): required. */
  public static Path keras() {
    Path python = TestData.projectDir().resolve("tools/.venv/bin/python").toAbsolutePath();
    if (!Files.isExecutable(python)) {
      fail("no Python venv at " + python + ": create it with tools/setup/setup_venv.sh");
    }
    return python;
  }

  /** {@code tools/.venv-keras-old} (Keras 3.3.3), optional: null when not created. */
  public static Path oldKeras() {
    Path python =
        TestData.projectDir().resolve("tools/.venv-keras-old/bin/python").toAbsolutePath();
    return Files.isExecutable(python) ? python : null;
  }

  /** A script by its path under tools/, such as {@code fixtures/keras_tool.py}. */
  public static Path tool(String pathUnderTools) {
    return TestData.projectDir().resolve("tools").resolve(pathUnderTools).toAbsolutePath();
  }

  /**
   * Runs a tools/ script (its path under tools/) and returns the JSON of its last stdout line;
   * fails on a non-zero exit.
   */
  public static JsonNode runJson(Path python, String script, Object... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(python.toString(), tool(script).toString()));
    for (Object a : args) {
      command.add(a.toString());
    }
    Path log = Files.createTempFile("python-", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(TestData.projectDir().toFile())
              .redirectError(log.toFile())
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("timed out: " + command);
      }
      if (p.exitValue() != 0) {
        String err = Files.readString(log);
        fail("exit " + p.exitValue() + " from " + command + "\n" + tail(err) + "\n" + tail(out));
      }
      List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
      assertEquals(false, lines.isEmpty(), "no JSON from " + command + ": " + out);
      return Json.MAPPER.readTree(lines.get(lines.size() - 1));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String tail(String s) {
    return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
  }

  /** Reads a little-endian float32 {@code .npy} file, flat. */
  public static float[] readNpy(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    java.nio.ByteBuffer buf =
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int major = bytes[6];
    int headerLength = major == 1 ? buf.getShort(8) & 0xffff : buf.getInt(8);
    int start = (major == 1 ? 10 : 12) + headerLength;
    String header =
        new String(bytes, major == 1 ? 10 : 12, headerLength, StandardCharsets.US_ASCII);
    if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
      fail("expected a C-order float32 .npy: " + header);
    }
    float[] out = new float[(bytes.length - start) / 4];
    buf.position(start);
    buf.asFloatBuffer().get(out);
    return out;
  }
}
