package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the process a user started, or Ctrl-C (SIGINT to its whole process group), stops
 * {@code serve} as docs/serving.md says: the requests in flight are answered in full, then every
 * JVM of the program is gone. The program relaunches itself ({@link TensorFlowLauncher}), so the
 * signal reaches the launcher, which must hand it on and wait.
 */
@Tag(Tier.SLOW)
class GracefulStopTest {
  private static final int REQUESTS = 12;
  private static final int IMAGES = 1024;
  private static final Pattern URL = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)$");
  private static final Pattern ADMITTED =
      Pattern.compile("(?m)^mnist_admitted_requests_total (\\d+)$");
  private static final Pattern IN_FLIGHT = Pattern.compile("(?m)^mnist_requests_in_flight (\\d+)$");

  @TempDir Path tmp;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private int metricsRequests;

  @Test
  void sigtermToTheLauncherAnswersEveryRequestInFlight() throws Exception {
    assertDrains(pid -> ProcessHandle.of(pid).orElseThrow().destroy(), 128 + 15);
  }

  @Test
  void ctrlCToTheProcessGroupAnswersEveryRequestInFlight() throws Exception {
    assertDrains(
        pgid -> {
          // setsid made the launcher the leader of its own group, as a shell's job is.
          Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + pgid).inheritIO().start();
          assertEquals(0, kill.waitFor(), "kill -INT -- -" + pgid);
        },
        128 + 2);
  }

  private interface Signal {
    void send(long pid) throws Exception;
  }

  private void assertDrains(Signal signal, int expectedExit) throws Exception {
    ProcessBuilder pb =
        Jvm.program(true, "serve", "--model", TestData.shippedModel().toString(), "--port", "0");
    // A process group of its own, led by the launcher, with Ctrl-C's default action, as a shell
    // starts a job: run in the background (mvn test &), this JVM would hand on an ignored SIGINT,
    // which a JVM then leaves ignored (what nohup relies on).
    pb.command().addAll(0, List.of("env", "--default-signal=INT", "setsid"));
    Path stderr = tmp.resolve("stderr.txt");
    Process launcher = pb.redirectError(stderr.toFile()).start();
    try {
      URI base = awaitUrl(launcher, stderr);
      List<ProcessHandle> children = launcher.descendants().toList();
      assertFalse(children.isEmpty(), "the program relaunched itself in a child JVM");

      String body = predictBody();
      List<CompletableFuture<String>> replies = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        HttpRequest post =
            HttpRequest.newBuilder(base.resolve("/v1/models/mnist:predict"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        replies.add(
            http.sendAsync(post, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> r.statusCode() + " " + r.body().length())
                .exceptionally(e -> "failed: " + e));
      }
      int inFlight = awaitAllAdmitted(base, replies);
      assertTrue(inFlight > 0, "the signal comes while requests are being answered");

      signal.send(launcher.pid());

      for (CompletableFuture<String> reply : replies) {
        String r = reply.get(120, TimeUnit.SECONDS);
        assertTrue(r.startsWith("200 "), "every request in flight is answered in full: " + r);
      }
      assertTrue(launcher.waitFor(120, TimeUnit.SECONDS), "the launcher ends");
      assertEquals(expectedExit, launcher.exitValue(), Files.readString(stderr));
      assertTrue(
          children.stream().noneMatch(OrphanTest::running),
          "no JVM outlives the launcher: " + children);
    } finally {
      Jvm.killTree(launcher);
    }
  }

  private static URI awaitUrl(Process launcher, Path stderr) throws Exception {
    BufferedReader out =
        new BufferedReader(
            new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    Matcher m = first == null ? null : URL.matcher(first);
    if (m == null || !m.find()) {
      throw new AssertionError("serve did not start: " + first + "\n" + Files.readString(stderr));
    }
    Thread rest = new Thread(() -> out.lines().forEach(line -> {}), "serve-stdout");
    rest.setDaemon(true);
    rest.start();
    return URI.create(m.group(1));
  }

  /**
   * Waits until the server has admitted all the predict requests; returns how many of them are
   * still being answered then. The metrics requests are admitted too, and counted out.
   */
  private int awaitAllAdmitted(URI base, List<CompletableFuture<String>> replies) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      for (CompletableFuture<String> reply : replies) {
        if (reply.isDone() && !reply.get().startsWith("200 ")) {
          throw new AssertionError("a request failed before the signal: " + reply.get());
        }
      }
      metricsRequests++;
      String metrics =
          http.send(
                  HttpRequest.newBuilder(base.resolve("/monitoring/prometheus/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      if (value(ADMITTED, metrics) - metricsRequests >= REQUESTS) {
        return (int) value(IN_FLIGHT, metrics) - 1;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the server did not admit " + REQUESTS + " requests in 120 s");
  }

  private static long value(Pattern metric, String metrics) {
    Matcher m = metric.matcher(metrics);
    assertTrue(m.find(), metric + " in:\n" + metrics);
    return Long.parseLong(m.group(1));
  }

  /** {"instances": [...]}: {@value #IMAGES} MNIST test images, 28x28x1 each, under 4 MB. */
  private static String predictBody() {
    float[] pixels = TestData.mnist().test().imagesAsFloats(0, IMAGES);
    StringBuilder json = new StringBuilder("{\"instances\":[");
    for (int image = 0; image < IMAGES; image++) {
      json.append(image == 0 ? "[" : ",[");
      for (int row = 0; row < 28; row++) {
        json.append(row == 0 ? "[" : ",[");
        for (int col = 0; col < 28; col++) {
          float v = pixels[image * 784 + row * 28 + col];
          json.append(col == 0 ? "[" : ",[");
          json.append(v == 0 ? "0" : String.format(Locale.ROOT, "%.3f", v)).append(']');
        }
        json.append(']');
      }
      json.append(']');
    }
    return json.append("]}").toString();
  }
}
