package dev.mnistcnn.serve.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the server refuses: an HTTP status (4xx, or 503 when busy), a message for the client,
 * sent as {@code {"error": message}} like TensorFlow Serving does, and any headers that go with it.
 * The handlers of this package also carry one, as the decoder result, on a request they refuse
 * before it reaches an endpoint.
 */
public final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Map<String, String> headers;

  public ApiException(int status, String message) {
    this(status, message, Map.of());
  }

  public ApiException(int status, String message, Map<String, String> headers) {
    super(message, null, false, false); // no stack trace: this is an answer, not a failure
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(HttpStatus.NOT_FOUND, message);
  }

  /** The HTTP status it is answered with. */
  public int status() {
    return status;
  }

  /** A refusal after which the connection is closed. */
  static ApiException closing(int status, String message) {
    return new ApiException(status, message, Map.of("Connection", "close"));
  }

  /** This refusal, closing the connection after it. */
  ApiException closing() {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put("Connection", "close");
    return new ApiException(status, getMessage(), more);
  }

  /** The JSON error answer. */
  Response response() {
    Response r = Exchanges.error(status, getMessage());
    for (Map.Entry<String, String> h : headers.entrySet()) {
      r = r.with(h.getKey(), h.getValue());
    }
    return r;
  }
}
