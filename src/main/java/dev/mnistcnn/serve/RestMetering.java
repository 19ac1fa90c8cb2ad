package dev.mnistcnn.serve;

import dev.mnistcnn.serve.http.ApiException;
import dev.mnistcnn.serve.http.HttpStatus;
import dev.mnistcnn.serve.http.Response;
import dev.mnistcnn.serve.models.RequestMetrics;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Reports each REST model request to {@link RequestMetrics} (TF Serving's {@code request_count} and
 * {@code request_latency}): timed from the endpoint's call to its answer, its outcome as the gRPC
 * code whose HTTP status TF Serving would have answered.
 */
final class RestMetering {
  /** An endpoint's answer to one request, as {@code Endpoint.handle} gives it. */
  @FunctionalInterface
  interface Answer {
    CompletionStage<Response> get() throws ApiException;
  }

  private final RequestMetrics metrics;

  RestMetering(RequestMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * TF Serving's API name for the action of a model URL (null, "/metadata", ":predict", ...), or
   * null for an action that is no API (the request is malformed).
   */
  static String api(String action) {
    if (action == null) {
      return "GetModelStatus";
    }
    return switch (action) {
      case "/metadata" -> "GetModelMetadata";
      case ":predict" -> "Predict";
      case ":classify", ":classify-image" -> "Classify";
      case ":regress" -> "Regress";
      default -> null;
    };
  }

  /** {@code answer}'s outcome, reported once it is known; the answer itself is unchanged. */
  CompletionStage<Response> meter(String model, String api, Answer answer) throws ApiException {
    long start = System.nanoTime();
    CompletionStage<Response> stage;
    try {
      stage = answer.get();
    } catch (ApiException | RuntimeException | Error e) {
      report(model, api, codeOf(e), start);
      throw e;
    }
    return stage.whenComplete(
        (response, failure) ->
            report(
                model, api, failure == null ? codeOf(response.status()) : codeOf(failure), start));
  }

  private void report(String model, String api, String code, long start) {
    metrics.record(model, api, "REST", code, System.nanoTime() - start);
  }

  /** The code of a failed answer, by the status the server answers it with (see Dispatcher). */
  private static String codeOf(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof ApiException refusal) {
      return codeOf(refusal.status());
    }
    return cause instanceof OutOfMemoryError ? "UNAVAILABLE" : "INTERNAL";
  }

  /** The inverse of TF Serving's {@code ToHTTPStatusCode} (http_server.cc) for our statuses. */
  static String codeOf(int httpStatus) {
    return switch (httpStatus) {
      case HttpStatus.OK -> "OK";
      case HttpStatus.NOT_FOUND -> "NOT_FOUND";
      case HttpStatus.REQUEST_TIMEOUT, HttpStatus.GATEWAY_TIMEOUT -> "DEADLINE_EXCEEDED";
      case HttpStatus.PAYLOAD_TOO_LARGE, 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 501 -> "UNIMPLEMENTED";
      case HttpStatus.UNAVAILABLE -> "UNAVAILABLE";
      case HttpStatus.INTERNAL_ERROR -> "INTERNAL";
      default -> httpStatus >= 400 && httpStatus < 500 ? "INVALID_ARGUMENT" : "UNKNOWN";
    };
  }
}
