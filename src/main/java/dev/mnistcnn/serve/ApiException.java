package dev.mnistcnn.serve;

import java.util.Map;

/**
 * A request the server refuses: an HTTP status (4xx, or 503 when busy), a message for the client,
 * sent as {@code {"error": message}} like TensorFlow Serving does, and any headers that go with it.
 */
final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Map<String, String> headers;

  ApiException(int status, String message) {
    this(status, message, Map.of());
  }

  ApiException(int status, String message, Map<String, String> headers) {
    super(message, null, false, false); // no stack trace: this is an answer, not a failure
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  int status() {
    return status;
  }

  /** The JSON error answer. */
  Response response() {
    Response r = Exchanges.error(status, getMessage());
    for (Map.Entry<String, String> h : headers.entrySet()) {
      r = r.with(h.getKey(), h.getValue());
    }
    return r;
  }

  static ApiException badRequest(String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(HttpStatus.NOT_FOUND, message);
  }
}
