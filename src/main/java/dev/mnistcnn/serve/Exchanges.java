package dev.mnistcnn.serve;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** Reading request bodies within limits and writing responses, JSON errors included. */
final class Exchanges {
  static final String JSON_TYPE = "application/json";

  /** Shared by all request threads: a configured ObjectMapper is thread-safe. */
  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Exchanges() {}

  /**
   * Bodies beyond the limit are read away, up to this much, before the 413 goes out: a client
   * still sending would otherwise meet a reset connection instead of the answer.
   */
  static final long DISCARD_MAX_BYTES = 64L << 20;

  /**
   * The whole body, refused with 413 beyond {@code limit} bytes, whether announced by
   * Content-Length (then never held in memory) or found on reading a chunked body.
   */
  static byte[] readBody(HttpExchange exchange, int limit) throws IOException, ApiException {
    InputStream in = exchange.getRequestBody();
    if (declaredLength(exchange) <= limit) {
      byte[] body = in.readNBytes(limit + 1);
      if (body.length <= limit) {
        return body;
      }
    }
    if (!discard(in, DISCARD_MAX_BYTES)) {
      exchange.getResponseHeaders().set("Connection", "close");
    }
    throw tooLarge(limit);
  }

  /** Content-Length, or -1 when the body is chunked. */
  private static long declaredLength(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Content-Length");
    if (header == null || header.isBlank()) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE; // the JDK server refuses such requests itself; be safe anyway
    }
  }

  /** Reads {@code in} to its end unless that is more than {@code max} bytes away. */
  private static boolean discard(InputStream in, long max) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      total += n;
      if (total > max) {
        return false;
      }
    }
    return true;
  }

  private static ApiException tooLarge(int limit) {
    return new ApiException(
        HttpStatus.PAYLOAD_TOO_LARGE, "request body larger than " + limit + " bytes");
  }

  /** 405 with an Allow header unless the request uses one of {@code allowed}. */
  static void requireMethod(HttpExchange exchange, String... allowed) throws ApiException {
    String method = exchange.getRequestMethod();
    for (String a : allowed) {
      if (a.equals(method)) {
        return;
      }
    }
    exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
    throw new ApiException(
        HttpStatus.METHOD_NOT_ALLOWED,
        method + " not allowed on " + exchange.getRequestURI().getPath() + "; use "
            + String.join(" or ", allowed));
  }

  static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    send(exchange, status, JSON_TYPE, JSON.writeValueAsBytes(body));
  }

  /** {@code {"error": message}}, the shape of TensorFlow Serving's errors. */
  static void sendError(HttpExchange exchange, int status, String message) throws IOException {
    sendJson(exchange, status, Map.of("error", message));
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
