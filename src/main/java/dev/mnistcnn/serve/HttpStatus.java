package dev.mnistcnn.serve;

/** The status codes the server answers with. */
final class HttpStatus {
  static final int OK = 200;
  static final int BAD_REQUEST = 400;
  static final int NOT_FOUND = 404;
  static final int METHOD_NOT_ALLOWED = 405;
  static final int REQUEST_TIMEOUT = 408;
  static final int PAYLOAD_TOO_LARGE = 413;
  static final int URI_TOO_LONG = 414;
  static final int UNSUPPORTED_MEDIA_TYPE = 415;
  static final int UNPROCESSABLE = 422;
  static final int HEADERS_TOO_LARGE = 431;
  static final int INTERNAL_ERROR = 500;
  static final int UNAVAILABLE = 503;
  static final int GATEWAY_TIMEOUT = 504;
  static final int VERSION_NOT_SUPPORTED = 505;

  private HttpStatus() {}
}
