package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.JSON;
import static dev.mnistcnn.serve.ServeTestSupport.imageJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.Prediction;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.ServeTestSupport.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Server-side batching with the real model: concurrent requests share session runs, each gets the
 * answer it would get alone (to float rounding: TensorFlow's kernels block their sums by batch
 * size, so the last bits may differ, never the digit), and one failing request fails alone.
 */
@Tag(Tier.SLOW)
class BatchingTest {
  /** Measured differences are below 4e-7; anything near this would be a mix-up, not rounding. */
  private static final float TOLERANCE = 1e-6f;

  private static final int REQUESTS = 32;

  private static Predictor predictor;
  private static float[] images;
  private static float[][] alone;

  @BeforeAll
  static void load() throws Exception {
    predictor = Predictor.open(ServeTestSupport.model());
    images = ServeTestSupport.testImages().imagesAsFloats(0, REQUESTS + 1);
    alone = new float[REQUESTS + 1][];
    for (int i = 0; i <= REQUESTS; i++) {
      alone[i] = predictor.probabilities(image(i), 1);
    }
  }

  @AfterAll
  static void close() {
    predictor.close();
  }

  @Test
  void requestsWaitingTogetherShareOneSessionRunWithTheAnswersTheyGetAlone() throws Exception {
    HeldModel model = new HeldModel(batch -> false);
    try (Batcher batcher = new Batcher(model, Predictor.IMAGE_SIZE, config(64))) {
      CompletableFuture<float[]> first = submitElsewhere(batcher, image(0));
      model.running.await(); // the first request runs alone, on its thread: nobody else waited
      List<CompletableFuture<float[]>> rest = new ArrayList<>();
      for (int i = 1; i <= REQUESTS; i++) {
        rest.add(batcher.probabilities(image(i), 1).toCompletableFuture());
      }
      model.release.countDown(); // the others, queued meanwhile, go together in the next run
      assertClose(alone[0], first.get(30, TimeUnit.SECONDS));
      for (int i = 1; i <= REQUESTS; i++) {
        assertClose(alone[i], rest.get(i - 1).get(30, TimeUnit.SECONDS));
      }
      assertEquals(List.of(1, REQUESTS), model.runSizes);
      Batcher.Stats stats = batcher.stats();
      assertEquals(2, stats.runs());
      assertEquals(REQUESTS + 1, stats.requests());
      assertEquals(REQUESTS, stats.largestBatch());
    }
  }

  @Test
  void batchesStopAtTheMaximumSize() throws Exception {
    HeldModel model = new HeldModel(batch -> false);
    try (Batcher batcher = new Batcher(model, Predictor.IMAGE_SIZE, config(8))) {
      CompletableFuture<float[]> first = submitElsewhere(batcher, image(0));
      model.running.await();
      List<CompletableFuture<float[]>> rest = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        rest.add(batcher.probabilities(image(i), 1).toCompletableFuture());
      }
      model.release.countDown();
      first.get(30, TimeUnit.SECONDS);
      for (int i = 1; i <= 20; i++) {
        assertClose(alone[i], rest.get(i - 1).get(30, TimeUnit.SECONDS));
      }
      assertEquals(List.of(1, 8, 8, 4), model.runSizes);
    }
  }

  @Test
  void aFailingRequestFailsAloneAndTheRestOfItsBatchIsAnswered() throws Exception {
    float poison = 0.123f; // only the poisoned image has this value
    float[] poisoned = image(5);
    poisoned[0] = poison;
    HeldModel model = new HeldModel(batch -> contains(batch, poison));
    try (Batcher batcher = new Batcher(model, Predictor.IMAGE_SIZE, config(64))) {
      CompletableFuture<float[]> first = submitElsewhere(batcher, image(0));
      model.running.await();
      List<CompletableFuture<float[]>> rest = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        rest.add(batcher.probabilities(i == 5 ? poisoned : image(i), 1).toCompletableFuture());
      }
      model.release.countDown();
      first.get(30, TimeUnit.SECONDS);
      for (int i = 1; i <= 10; i++) {
        CompletableFuture<float[]> answer = rest.get(i - 1);
        if (i == 5) {
          ExecutionException e =
              assertThrows(ExecutionException.class, () -> answer.get(30, TimeUnit.SECONDS));
          assertInstanceOf(IllegalStateException.class, e.getCause());
        } else {
          assertClose(alone[i], answer.get(30, TimeUnit.SECONDS));
        }
      }
      // the lone first run, the failed batch of 10, then each of the 10 again alone
      assertEquals(12, model.runSizes.size());
      assertEquals(10, model.runSizes.get(1));
    }
  }

  @Test
  void aLoneRequestNeverWaitsForTheBatchTimeout() throws Exception {
    // The longest timeout allowed: a lone request that waited for it would miss the 5 s below.
    BatchingConfig batching = BatchingConfig.enabled(64, 10_000_000);
    try (ServingServer server =
        ServeTestSupport.startServer(ServerConfig.defaults().withBatching(batching))) {
      Reply lone =
          ServeTestSupport.send(
              HttpRequest.newBuilder(server.url().resolve("/v1/models/mnist:predict"))
                  .timeout(Duration.ofSeconds(5))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body(0))));
      assertEquals(200, lone.status(), lone.text());
      assertClose(alone[0], ServeTestSupport.floats(lone.json().get("predictions")));
      assertEquals(1, server.batchStats().runs());
    }
  }

  @Test
  void concurrentHttpClientsShareRuns() throws Exception {
    // 2 ms: a batch with company waits that long for more, which the 32 clients supply.
    BatchingConfig batching = BatchingConfig.enabled(64, 2_000);
    try (ServingServer server =
        ServeTestSupport.startServer(ServerConfig.defaults().withBatching(batching))) {
      URI base = server.url();
      ExecutorService clients = Executors.newFixedThreadPool(REQUESTS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> done = new ArrayList<>();
      for (int c = 0; c < REQUESTS; c++) {
        int i = c + 1;
        done.add(
            clients.submit(
                () -> {
                  go.await();
                  for (int k = 0; k < 5; k++) {
                    Reply r =
                        ServeTestSupport.post(
                            base, "/v1/models/mnist:predict", "application/json", body(i));
                    assertEquals(200, r.status(), r.text());
                    assertClose(alone[i], ServeTestSupport.floats(r.json().get("predictions")));
                  }
                  return 5;
                }));
      }
      go.countDown();
      int answered = 0;
      for (Future<Integer> f : done) {
        answered += f.get(120, TimeUnit.SECONDS);
      }
      clients.shutdown();
      assertEquals(REQUESTS * 5, answered);
      Batcher.Stats stats = server.batchStats();
      System.out.println("batching over HTTP: " + stats);
      assertEquals(REQUESTS * 5, stats.requests());
      assertTrue(stats.runs() < stats.requests(), "no run was shared: " + stats);
      assertTrue(stats.largestBatch() > 1, stats.toString());
      String metrics = ServeTestSupport.get(base, ServerMetrics.PATH).text();
      assertTrue(metrics.contains("mnist_batch_runs_total " + stats.runs() + "\n"), metrics);
      assertTrue(
          metrics.contains("mnist_batched_requests_total " + stats.requests() + "\n"), metrics);
    }
  }

  /** Submits from another thread: the first request's thread runs its batch, and is held there. */
  private static CompletableFuture<float[]> submitElsewhere(Batcher batcher, float[] image) {
    return CompletableFuture.supplyAsync(() -> batcher.probabilities(image, 1))
        .thenCompose(answer -> answer);
  }

  private static BatchingConfig config(int maxBatchSize) {
    return BatchingConfig.enabled(maxBatchSize, 0);
  }

  private static byte[] body(int i) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("instances").add(imageJson(images, i, 28, 28, 1));
    return JSON.writeValueAsBytes(body);
  }

  private static float[] image(int i) {
    return Arrays.copyOfRange(images, i * Predictor.IMAGE_SIZE, (i + 1) * Predictor.IMAGE_SIZE);
  }

  private static boolean contains(float[] values, float v) {
    for (float x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  private static void assertClose(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], TOLERANCE, "probability " + i);
    }
    assertEquals(Prediction.of(expected).digit(), Prediction.of(actual).digit());
  }

  /**
   * The real predictor, with its first run held until released (so that the test knows which
   * requests wait together) and runs that contain a poisoned image failing, as a TensorFlow error
   * would.
   */
  private static final class HeldModel implements Batcher.Model {
    final CountDownLatch running = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<Integer> runSizes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.function.Predicate<float[]> fails;
    private final AtomicInteger calls = new AtomicInteger();

    HeldModel(java.util.function.Predicate<float[]> fails) {
      this.fails = fails;
    }

    @Override
    public float[] probabilities(float[] batch, int count) {
      runSizes.add(count);
      if (calls.getAndIncrement() == 0) {
        running.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (fails.test(batch)) {
        throw new IllegalStateException("TensorFlow failed on this batch");
      }
      return predictor.probabilities(batch, count);
    }
  }
}
