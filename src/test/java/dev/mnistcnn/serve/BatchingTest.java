package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.JSON;
import static dev.mnistcnn.serve.ServeTestSupport.imageJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.BatchingConfig;
import dev.mnistcnn.inference.BatchingPredictor;
import dev.mnistcnn.serve.ServeTestSupport.Reply;
import dev.mnistcnn.support.LoneRuns;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Server-side batching over HTTP with the real model: concurrent clients share session runs and
 * each gets the answer it would get alone; a lone client never waits for the batch timeout. (The
 * batching itself: {@code inference.BatchingPredictorTest}.)
 */
@Tag(Tier.SLOW)
class BatchingTest {
  private static final int REQUESTS = 32;

  private static LoneRuns lone;

  @BeforeAll
  static void load() throws Exception {
    lone = new LoneRuns(REQUESTS + 1);
  }

  @AfterAll
  static void close() {
    lone.close();
  }

  @Test
  void aLoneRequestNeverWaitsForTheBatchTimeout() throws Exception {
    // The longest timeout allowed: a lone request that waited for it would miss the 5 s below.
    BatchingConfig batching = BatchingConfig.enabled(64, 10_000_000);
    try (ServingServer server =
        ServeTestSupport.startServer(ServerConfig.defaults().withBatching(batching))) {
      Reply reply =
          ServeTestSupport.send(
              HttpRequest.newBuilder(server.url().resolve("/v1/models/mnist:predict"))
                  .timeout(Duration.ofSeconds(5))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body(0))));
      assertEquals(200, reply.status(), reply.text());
      lone.assertAnswers(0, ServeTestSupport.floats(reply.json().get("predictions")));
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
                    lone.assertAnswers(i, ServeTestSupport.floats(r.json().get("predictions")));
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
      BatchingPredictor.Stats stats = server.batchStats();
      System.out.println("batching over HTTP: " + stats);
      assertEquals(REQUESTS * 5, stats.requests());
      assertTrue(stats.runs() < stats.requests(), "no run was shared: " + stats);
      assertTrue(stats.largestBatch() > 1, stats.toString());
      String metrics = ServeTestSupport.get(base, ServerMetrics.PATH).text();
      assertTrue(metrics.contains("mnist_batch_runs_total " + stats.runs() + "\n"), metrics);
      assertTrue(
          metrics.contains("mnist_batched_requests_total " + stats.requests() + "\n"), metrics);
      assertTrue(metrics.contains("mnist_batch_padding_images_total 0\n"), metrics);
    }
  }

  private static byte[] body(int i) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("instances").add(imageJson(lone.images(), i, 28, 28, 1));
    return JSON.writeValueAsBytes(body);
  }
}
