package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.get;
import static dev.mnistcnn.serve.ServeTestSupport.post;
import static dev.mnistcnn.serve.ServeTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.serve.ServeTestSupport.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HEAD is answered like GET without a body; error messages repeat at most 200 characters of what
 * the client sent; an image declaring more pixels than allowed is refused before decoding.
 */
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
    byte[] bomb = CraftedPng.headerOnly(6300, 6300);
    post(base, IMAGE, "image/png", bomb)
        .assertError(413, "image of 6300 x 6300 = 39690000 pixels; at most 16777216");
    // Within the limit the header passes, and the decoder judges the rest.
    post(base, IMAGE, "image/png", CraftedPng.headerOnly(100, 100))
        .assertError(400, "not a readable image");
    assertEquals(200, get(base, "/healthz").status());
  }

  private static void assertShort(Reply r) {
    String error = r.json().get("error").asText();
    assertTrue(error.length() < Exchanges.MAX_ECHO + 150, error.length() + ": " + error);
  }
}
