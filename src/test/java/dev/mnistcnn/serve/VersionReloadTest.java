package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.JSON;
import static dev.mnistcnn.serve.ServeTestSupport.floats;
import static dev.mnistcnn.serve.ServeTestSupport.imageJson;
import static dev.mnistcnn.serve.ServeTestSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.BatchingConfig;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.saving.savedmodel.ModelTrust;
import dev.mnistcnn.serve.ServeTestSupport.Reply;
import dev.mnistcnn.serve.models.BasePathModel;
import dev.mnistcnn.serve.models.ModelManager;
import dev.mnistcnn.serve.models.ServableNotFoundException;
import dev.mnistcnn.support.LoneRuns;
import dev.mnistcnn.support.ModelVersions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New versions copied into the base path while clients keep calling :predict (batched): no call
 * fails, every answer is wholly one version's, and each client sees the versions in order.
 */
@Tag(Tier.FAST)
class VersionReloadTest {
  private static final int CLIENTS = 4;

  /** Generous: a wait that runs out is a failure to report, not a measurement. */
  private static final long WAIT_NANOS = Duration.ofMinutes(3).toNanos();

  @TempDir Path base;

  private float[] plainAnswer;
  private float[] augmentedAnswer;

  @Test
  void versionsTakeOverUnderLoadWithoutAFailedCall() throws Exception {
    float[] image = ServeTestSupport.testImages().imagesAsFloats(0, 1);
    try (Predictor plain = Predictor.open(ModelVersions.plain());
        Predictor augmented = Predictor.open(ModelVersions.augmented())) {
      plainAnswer = plain.probabilities(image, 1);
      augmentedAnswer = augmented.probabilities(image, 1);
    }
    ObjectNode body = JSON.createObjectNode();
    body.putArray("instances").add(imageJson(image, 0, 784));
    ModelVersions.deploy(base, 1, ModelVersions.plain());
    ModelManager models =
        ModelManager.start(
            List.of(BasePathModel.latest("mnist", base)),
            new ModelManager.Settings(
                ModelTrust.CHECKED,
                Duration.ofSeconds(10),
                BatchingConfig.enabled(16, 0),
                Duration.ofMillis(100),
                false));
    List<List<String>> seen = new ArrayList<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> clients = new ArrayList<>();
    try (ServingServer server = ServingServer.start(models, ServerConfig.defaults().withPort(0))) {
      URI url = server.url();
      for (int c = 0; c < CLIENTS; c++) {
        List<String> answers = new CopyOnWriteArrayList<>();
        seen.add(answers);
        Thread t =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    try {
                      Reply r = postJson(url, "/v1/models/mnist:predict", body);
                      if (r.status() != 200) {
                        failures.add(r.status() + " " + r.text());
                      } else {
                        answers.add(whose(floats(r.json().get("predictions"))));
                      }
                    } catch (Exception | AssertionError e) {
                      failures.add(e.toString());
                    }
                  }
                },
                "client-" + c);
        clients.add(t);
        t.start();
      }
      await(() -> seen.stream().allMatch(a -> a.contains("plain")), "every client answered");

      ModelVersions.deploy(base, 2, ModelVersions.augmented()); // copied aside, moved in
      await(
          () -> seen.stream().allMatch(a -> a.contains("augmented")),
          "every client answered by version 2");

      ModelVersions.copyInPlace(base, 3, ModelVersions.plain()); // a plain cp -r
      await(
          () -> seen.stream().allMatch(a -> a.lastIndexOf("plain") > a.indexOf("augmented")),
          "every client answered by version 3");
      stop.set(true);
      for (Thread t : clients) {
        t.join();
      }
      assertEquals(List.of(), List.copyOf(failures), "no call failed");
      for (List<String> answers : seen) {
        // plain (1) ... augmented (2) ... plain (3): never back to 2 once 3 answered.
        String order = String.join(" ", answers).replaceAll("(\\w+)( \\1)+", "$1");
        assertEquals("plain augmented plain", order, "versions in order");
      }
      await(
          () -> statesOf(models).equals(List.of("3 AVAILABLE", "2 END", "1 END")),
          "old versions unloaded: " + statesOf(models));
    } finally {
      stop.set(true);
    }
  }

  /** Which version's answer {@code p} is: one of the two models', to float rounding, or neither. */
  private String whose(float[] p) {
    if (close(p, plainAnswer)) {
      return "plain";
    }
    if (close(p, augmentedAnswer)) {
      return "augmented";
    }
    fail("an answer of neither version: " + java.util.Arrays.toString(p));
    return null;
  }

  private static boolean close(float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > LoneRuns.TOLERANCE) {
        return false;
      }
    }
    return a.length == b.length;
  }

  private static List<String> statesOf(ModelManager models) {
    try {
      return models.status("mnist", null).stream().map(v -> v.version() + " " + v.state()).toList();
    } catch (ServableNotFoundException e) {
      return List.of(e.getMessage());
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "waited in vain: " + what);
      Thread.sleep(20);
    }
  }
}
