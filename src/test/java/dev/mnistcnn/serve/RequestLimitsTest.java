package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.get;
import static dev.mnistcnn.serve.ServeTestSupport.post;
import static dev.mnistcnn.serve.ServeTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import dev.mnistcnn.serve.ServeTestSupport.Reply;
import dev.mnistcnn.serve.http.Exchanges;
import dev.mnistcnn.support.Png;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * HEAD is answered like GET without a body; error messages repeat at most 200 characters of what
 * the client sent; an image declaring more pixels than allowed is refused before decoding; framing
 * that RFC 9112 refuses is 400 (or 505) and closed.
 */
@Tag(Tier.FAST)
class RequestLimitsTest {
  private static final String IMAGE = "/v1/models/mnist:classify-image";

  private static ServingServer server;
  private static URI base;

  @BeforeAll
  static void start() throws Exception {
    server = ServeTestSupport.startServer();
    base = server.url();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void headIsAnsweredLikeGetWithoutABody() throws Exception {
    String[] paths = {"/healthz", "/", "/v1/models/mnist", "/v1/models/mnist/metadata"};
    for (String path : paths) {
      Reply got = get(base, path);
      Reply head =
          send(
              HttpRequest.newBuilder(base.resolve(path))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody()));
      assertEquals(200, head.status(), path);
      assertEquals(0, head.body().length, path);
      assertEquals(
          String.valueOf(got.body().length),
          head.headers().firstValue("Content-Length").orElseThrow(),
          path);
    }
    Reply wrong =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/models/mnist:predict"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertEquals(405, wrong.status());
    assertEquals("POST", wrong.headers().firstValue("Allow").orElseThrow());
    assertEquals(200, get(base, "/healthz").status(), "the connection goes on");
  }

  @Test
  void errorsRepeatAtMost200CharactersOfClientInput() throws Exception {
    String longName = "x".repeat(5000);
    Reply unknownPath = get(base, "/" + longName);
    unknownPath.assertError(404, "Malformed request: GET /xxx");
    assertShort(unknownPath);
    Reply unknownModel = get(base, "/v1/models/" + longName);
    unknownModel.assertError(404, "Servable not found");
    assertShort(unknownModel);
    byte[] garbage =
        ("{\"instances\": [" + "t".repeat(100_000) + "]}").getBytes(StandardCharsets.UTF_8);
    Reply badJson = post(base, "/v1/models/mnist:predict", "application/json", garbage);
    badJson.assertError(400, "invalid JSON");
    assertShort(badJson);
    Reply badSignature =
        post(
            base,
            "/v1/models/mnist:predict",
            "application/json",
            ("{\"signature_name\": \"" + longName + "\", \"instances\": []}")
                .getBytes(StandardCharsets.UTF_8));
    badSignature.assertError(400, "Serving signature name");
    assertShort(badSignature);
  }

  @Test
  void imagesDeclaringTooManyPixelsAre413BeforeDecoding() throws Exception {
    // 315 bytes that declare a 16-bit 6300 x 6300 image: 40 M pixels, 160 MB once decoded.
    byte[] bomb = Png.headerOnly(6300, 6300, 16, Png.Colour.GREY);
    post(base, IMAGE, "image/png", bomb)
        .assertError(413, "image of 6300 x 6300 = 39690000 pixels; at most 16777216");
    // Within the limit the header passes, and the decoder judges the rest.
    post(base, IMAGE, "image/png", Png.headerOnly(100, 100, 16, Png.Colour.GREY))
        .assertError(400, "not a readable image");
    assertEquals(200, get(base, "/healthz").status());
  }

  @Test
  void imagesWithASideBeyondTheDecodersLimitAre413() throws Exception {
    // 100,000 pixels in all, within the pixel limit; the side is what the decoder refuses.
    BufferedImage line = new BufferedImage(100_000, 1, BufferedImage.TYPE_BYTE_GRAY);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(line, "png", png);
    post(base, IMAGE, "image/png", png.toByteArray()).assertError(413, "100000x1");
  }

  @Test
  @SuppressWarnings("StringConcatToTextBlock") // HTTP's CRLF line ends read better as escapes
  void ambiguousFramingMissingHostAndOtherVersionsAreRefusedAndClosed() throws Exception {
    String body = "{\"instances\": []}";
    for (String version : new String[] {"HTTP/1.1", "HTTP/1.0"}) {
      // Read to the end: the server answers and closes, rather than keep a connection whose
      // framing a proxy may have read differently.
      String smuggled =
          raw(
              "POST /v1/models/mnist:predict "
                  + version
                  + "\r\nHost: t\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + Integer.toHexString(body.length())
                  + "\r\n"
                  + body
                  + "\r\n0\r\n\r\n");
      assertTrue(smuggled.startsWith("HTTP/1.1 400 "), version + ": " + smuggled);
      assertTrue(smuggled.contains("Content-Length together with Transfer-Encoding"), smuggled);
      assertTrue(smuggled.contains("connection: close"), smuggled);
    }
    String noHost = raw("GET /healthz HTTP/1.1\r\n\r\n");
    assertTrue(noHost.startsWith("HTTP/1.1 400 "), noHost);
    assertTrue(noHost.contains("exactly one Host header"), noHost);
    String twoHosts = raw("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
    assertTrue(twoHosts.startsWith("HTTP/1.1 400 "), twoHosts);
    String future = raw("GET /healthz HTTP/9.9\r\nHost: t\r\n\r\n");
    assertTrue(future.startsWith("HTTP/1.1 505 "), future);
    assertTrue(future.contains("HTTP version HTTP/9.9 not supported"), future);
    // HTTP/1.0 needs no Host.
    String old = raw("GET /healthz HTTP/1.0\r\n\r\n");
    assertTrue(old.startsWith("HTTP/1.1 200 "), old);
    assertEquals(200, get(base, "/healthz").status(), "the server goes on");
  }

  @Test
  void overlongRequestLinesAndHeadersAre414And431() throws Exception {
    String line = raw("GET /" + "x".repeat(9000) + " HTTP/1.1\r\nHost: t\r\n\r\n");
    assertTrue(line.startsWith("HTTP/1.1 414 "), line);
    assertTrue(line.contains("{\"error\":\"request line longer"), line);
    String headers =
        raw("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + "y".repeat(20_000) + "\r\n\r\n");
    assertTrue(headers.startsWith("HTTP/1.1 431 "), headers);
    assertEquals(200, get(base, "/healthz").status(), "the server goes on");
  }

  @Test
  @SuppressWarnings("StringConcatToTextBlock") // HTTP's CRLF line ends read better as escapes
  void expectContinueIsAnsweredBeforeTheBody() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout(30_000);
      String head =
          "POST /v1/models/mnist:classify-image HTTP/1.1\r\nHost: t\r\n"
              + "Expect: 100-continue\r\nContent-Length: ";
      OutputStream out = s.getOutputStream();
      // Too large: refused at once, without waiting for a body the client has not sent.
      out.write((head + (5 << 20) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String refused = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(refused.startsWith("HTTP/1.1 413 "), refused);
    }
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/models/mnist:predict HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                  + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] interim = s.getInputStream().readNBytes(25);
      assertEquals(
          "HTTP/1.1 100 Continue\r\n\r\n", new String(interim, StandardCharsets.ISO_8859_1));
      out.write("{}".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
      assertTrue(answer.endsWith("{\"error\":\"Missing 'inputs' or 'instances' key\"}"), answer);
    }
  }

  /** Sends {@code request} as raw bytes and reads until the server closes the connection. */
  private static String raw(String request) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static void assertShort(Reply r) {
    String error = r.json().get("error").asText();
    assertTrue(error.length() < Exchanges.MAX_ECHO + 150, error.length() + ": " + error);
  }
}
