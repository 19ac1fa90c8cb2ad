package dev.mnistcnn.serve;

/**
 * A request the server refuses: an HTTP status (4xx) and a message for the client, sent as
 * {@code {"error": message}} like TensorFlow Serving does.
 */
final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiException(int status, String message) {
    super(message, null, false, false); // no stack trace: this is an answer, not a failure
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(HttpStatus.NOT_FOUND, message);
  }
}
