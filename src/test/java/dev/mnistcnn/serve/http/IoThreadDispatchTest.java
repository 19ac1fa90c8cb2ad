package dev.mnistcnn.serve.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Over real HTTP: an endpoint runs on the request pool, or on the I/O thread that read the request
 * where it says it may; an endpoint whose promise throws falls back to the pool.
 */
@Tag(Tier.FAST)
class IoThreadDispatchTest {
  private HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  /** Answers with the name of the thread it runs on. */
  private static final class ThreadNames implements Endpoint {
    @Override
    public CompletionStage<Response> handle(Request request) {
      byte[] name = Thread.currentThread().getName().getBytes(StandardCharsets.UTF_8);
      return CompletableFuture.completedFuture(Response.of(200, "text/plain", name));
    }

    @Override
    public boolean runsOnIoThread(Request request) {
      if (request.path().equals("/broken")) {
        throw new IllegalStateException("a broken promise");
      }
      return request.path().equals("/io");
    }
  }

  @BeforeEach
  void start() throws Exception {
    server =
        new HttpServer(
            new HttpServer.Settings(
                "127.0.0.1", 0, 2, 1 << 20, 16, 10_000, 10_000, 10_000, 1 << 20));
    server.start(new ThreadNames());
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  @Test
  void anEndpointRunsOnTheIoThreadOnlyWhereItSaysItMay() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertTrue(threadOf("/io").startsWith("serve-io-"), threadOf("/io"));
      String pool = threadOf("/pool");
      assertTrue(pool.startsWith("serve-") && !pool.startsWith("serve-io-"), pool);
      String broken = threadOf("/broken");
      assertTrue(broken.startsWith("serve-") && !broken.startsWith("serve-io-"), broken);
    }
  }

  private String threadOf(String path) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }
}
