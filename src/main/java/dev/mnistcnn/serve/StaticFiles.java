package dev.mnistcnn.serve;

import dev.mnistcnn.serve.http.ApiException;
import dev.mnistcnn.serve.http.Endpoint;
import dev.mnistcnn.serve.http.Exchanges;
import dev.mnistcnn.serve.http.HttpStatus;
import dev.mnistcnn.serve.http.Request;
import dev.mnistcnn.serve.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The drawing page: index.html, app.js and style.css from the classpath, read once at start-up. The
 * page loads nothing from elsewhere, and its Content-Security-Policy says so.
 */
final class StaticFiles implements Endpoint {
  private static final String RESOURCES = "/dev/mnistcnn/serve/";

  /** Where index.html names the model it posts to. */
  private static final String MODEL_NAME_MARK = "{{MODEL_NAME}}";

  private static final String POLICY =
      "default-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'";

  @SuppressWarnings("ArrayRecordComponent") // bytes to serve, never compared
  private record File(String contentType, byte[] bytes) {}

  private final Map<String, File> files;

  StaticFiles(String modelName) {
    File index =
        new File(
            "text/html; charset=utf-8",
            text("index.html")
                .replace(MODEL_NAME_MARK, modelName)
                .getBytes(StandardCharsets.UTF_8));
    files =
        Map.of(
            "/",
            index,
            "/index.html",
            index,
            "/app.js",
            new File("text/javascript; charset=utf-8", bytes("app.js")),
            "/style.css",
            new File("text/css; charset=utf-8", bytes("style.css")));
  }

  /** Whether {@code path} is one of the page's files. */
  boolean serves(String path) {
    return files.containsKey(path);
  }

  @Override
  public CompletionStage<Response> handle(Request request) throws ApiException {
    Exchanges.requireMethod(request, "GET");
    File file = files.get(request.path());
    return Response.of(HttpStatus.OK, file.contentType(), file.bytes())
        .with("Content-Security-Policy", POLICY)
        .with("Cache-Control", "no-cache")
        .now();
  }

  private static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String name) {
    try (InputStream in = StaticFiles.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("resource missing from the build: " + RESOURCES + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
