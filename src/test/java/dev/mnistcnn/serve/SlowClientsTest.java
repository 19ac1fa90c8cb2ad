package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.JSON;
import static dev.mnistcnn.serve.ServeTestSupport.imageJson;
import static dev.mnistcnn.serve.ServeTestSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.ServeTestSupport.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Slow and greedy clients over real loopback sockets: 200 slowloris connections (headers a byte at
 * a time) and 50 slow bodies cannot keep a valid predict waiting: it is answered while every one of
 * them is still sending, before the first deadline; each of them is answered 408 and closed when
 * its deadline passes. At the connection limit, silent or slow connections make room for new ones;
 * a silent connection is closed at the header deadline.
 */
@Tag(Tier.SLOW)
class SlowClientsTest {
  private static final int SLOWLORIS = 200;
  private static final int SLOW_BODIES = 50;

  /**
   * Far longer than a predict takes, even on a loaded machine: a predict made to wait for the slow
   * clients would be answered only after the first of their 408s.
   */
  private static final long HEADER_TIMEOUT_MS = 10_000;

  private static final long BODY_TIMEOUT_MS = 10_000;
  private static final long TRICKLE_MS = 50;

  @Test
  @SuppressWarnings("StringConcatToTextBlock") // HTTP's CRLF line ends read better as escapes
  void slowClientsNeitherStarveAValidPredictNorStayForever() throws Exception {
    ClientLimits limits =
        ClientLimits.defaults().withTimeouts(HEADER_TIMEOUT_MS, BODY_TIMEOUT_MS, 30_000);
    float[] image = ServeTestSupport.testImages().imagesAsFloats(0, 1);
    float[] expected;
    try (Predictor reference = Predictor.open(ServeTestSupport.model())) {
      expected = reference.probabilities(image, 1);
    }
    ObjectNode body = JSON.createObjectNode();
    body.putArray("instances").add(imageJson(image, 0, 28, 28, 1));

    List<Socket> slow = new ArrayList<>();
    AtomicBoolean trickling = new AtomicBoolean(true);
    try (ServingServer server =
        ServeTestSupport.startServer(ServerConfig.defaults().withClients(limits))) {
      URI base = server.url();
      // Warm-up: TensorFlow's first run sets up its kernels, which has nothing to do with clients.
      assertEquals(200, postJson(base, "/v1/models/mnist:predict", body).status());
      for (int i = 0; i < SLOWLORIS; i++) {
        slow.add(open(server, "POST /v1/models/mnist:predict HTTP/1.1\r\nHost: x\r\nX-Slow: "));
      }
      for (int i = 0; i < SLOW_BODIES; i++) {
        slow.add(
            open(
                server,
                "POST /v1/models/mnist:predict HTTP/1.1\r\n"
                    + "Host: x\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n"
                    + "{\"instances\":"));
      }
      CountDownLatch sending = new CountDownLatch(1);
      Thread trickler = new Thread(() -> trickle(slow, trickling, sending), "trickler");
      trickler.start();
      // Every slow socket has started its request, is sending, and is a connection of the server.
      assertTrue(sending.await(20, TimeUnit.SECONDS), "the trickler's first round");
      int open = awaitOpen(server, slow.size());
      assertTrue(open >= slow.size(), open + " connections open"); // and the warm-up's, kept alive

      for (int i = 0; i < 5; i++) {
        long start = System.nanoTime();
        Reply r = postJson(base, "/v1/models/mnist:predict", body);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println(
            "valid predict under " + slow.size() + " slow clients: " + millis + " ms");
        assertEquals(200, r.status(), r.text());
        assertArrayEquals(expected, ServeTestSupport.floats(r.json().get("predictions")));
      }
      // Answered while no slow request had reached its deadline: not one waited behind them.
      String metrics = ServeTestSupport.get(base, ServerMetrics.PATH).text();
      assertTrue(metrics.contains("mnist_timed_out_requests_total 0\n"), metrics);

      // Each slow request is cut off at its deadline: 408 and closed, while still trickling.
      long deadline = System.currentTimeMillis() + HEADER_TIMEOUT_MS + 20_000;
      int answered408 = 0;
      for (Socket s : slow) {
        s.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
        String reply = readAll(s.getInputStream());
        assertTrue(reply.startsWith("HTTP/1.1 408 "), "slow client got: " + reply);
        assertTrue(reply.contains("{\"error\":\"request "), reply);
        answered408++;
      }
      assertEquals(SLOWLORIS + SLOW_BODIES, answered408);
      // The count that was 0 above counts exactly these.
      String counted = ServeTestSupport.get(base, ServerMetrics.PATH).text();
      assertTrue(counted.contains("mnist_timed_out_requests_total " + answered408 + "\n"), counted);
      trickling.set(false);
      trickler.join(10_000);
    } finally {
      trickling.set(false);
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  /**
   * The default limit of 1,000 filled with connections that never send a byte: a valid predict and
   * the metrics page are still answered, each taking the place of the oldest silent connection.
   */
  @Test
  void silentConnectionsAtTheLimitMakeRoomForValidRequests() throws Exception {
    int max = ClientLimits.defaults().maxConnections();
    List<Socket> silent = new ArrayList<>();
    try (ServingServer server = ServeTestSupport.startServer()) {
      for (int i = 0; i < max; i++) {
        silent.add(new Socket(InetAddress.getLoopbackAddress(), server.port()));
      }
      assertEquals(max, awaitOpen(server, max));
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        Reply r = postJson(server.url(), "/v1/models/mnist:predict", onePredict());
        System.out.println(
            "valid predict with "
                + max
                + " silent connections: "
                + (System.nanoTime() - start) / 1_000_000
                + " ms");
        assertEquals(200, r.status(), r.text());
      }
      Reply metrics = ServeTestSupport.get(server.url(), ServerMetrics.PATH);
      assertEquals(200, metrics.status(), metrics.text());
      assertTrue(metrics.text().contains("mnist_evicted_connections_total "), metrics.text());
      // The oldest silent connection was the first to go: closed without a word.
      Socket oldest = silent.get(0);
      oldest.setSoTimeout(10_000);
      assertEquals("", readAll(oldest.getInputStream()));
    } finally {
      for (Socket s : silent) {
        s.close();
      }
    }
  }

  /**
   * The limit filled with slowloris connections (headers begun, never finished): a valid request
   * takes the place of the oldest, which is told 503 and closed.
   */
  @Test
  void slowConnectionsAtTheLimitMakeRoomForValidRequests() throws Exception {
    int max = 20;
    List<Socket> slow = new ArrayList<>();
    try (ServingServer server =
        ServeTestSupport.startServer(
            ServerConfig.defaults().withClients(ClientLimits.defaults().withMaxConnections(max)))) {
      // One at a time, each begun in the server before the next opens: the server's order of
      // first bytes (which eviction goes by) is then the order of this list.
      for (int i = 0; i < max; i++) {
        slow.add(open(server, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "));
        assertEquals(i + 1, awaitReading(server, i + 1));
      }
      assertEquals(max, awaitOpen(server, max));
      assertEquals(200, ServeTestSupport.get(server.url(), "/healthz").status());
      Socket oldest = slow.get(0);
      oldest.setSoTimeout(10_000);
      String reply = readAll(oldest.getInputStream());
      assertTrue(reply.startsWith("HTTP/1.1 503 "), reply);
      assertTrue(reply.contains("connection limit"), reply);
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  /** A connection that sends nothing is closed at the header deadline, not the idle timeout. */
  @Test
  void aSilentConnectionIsClosedAtTheHeaderDeadline() throws Exception {
    ClientLimits limits = ClientLimits.defaults().withTimeouts(1_000, 4_000, 60_000);
    try (ServingServer server =
            ServeTestSupport.startServer(ServerConfig.defaults().withClients(limits));
        Socket silent = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      silent.setSoTimeout(30_000); // half the idle timeout: a read past it fails the test
      assertEquals("", readAll(silent.getInputStream()));
    }
  }

  private static ObjectNode onePredict() {
    float[] image = ServeTestSupport.testImages().imagesAsFloats(0, 1);
    ObjectNode body = JSON.createObjectNode();
    body.putArray("instances").add(imageJson(image, 0, 28, 28, 1));
    return body;
  }

  /** The server's open connections once they are {@code n} or more (or after 20 s). */
  private static int awaitOpen(ServingServer server, int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (server.openConnections() < n && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    return server.openConnections();
  }

  /** Waits until {@code n} connections have begun a request that has not fully arrived. */
  private static int awaitReading(ServingServer server, int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (server.readingRequests() < n && System.currentTimeMillis() < deadline) {
      Thread.sleep(1);
    }
    return server.readingRequests();
  }

  private static Socket open(ServingServer server, String start) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
    s.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  /**
   * One more byte on every slow socket each round, until told to stop or all are closed; {@code
   * sending} is counted down after the first round.
   */
  private static void trickle(List<Socket> sockets, AtomicBoolean running, CountDownLatch sending) {
    while (running.get()) {
      int alive = 0;
      for (Socket s : sockets) {
        try {
          OutputStream out = s.getOutputStream();
          out.write('a');
          out.flush();
          alive++;
        } catch (IOException e) {
          // the server closed it: its deadline passed
        }
      }
      sending.countDown();
      if (alive == 0) {
        return;
      }
      try {
        Thread.sleep(TRICKLE_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Everything until the server closes the connection (or the read timeout fails the test). */
  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
