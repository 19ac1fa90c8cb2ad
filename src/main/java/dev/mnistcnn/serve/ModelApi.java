package dev.mnistcnn.serve;

import dev.mnistcnn.inference.BatchQueueFullException;
import dev.mnistcnn.inference.InferenceTimeoutException;
import dev.mnistcnn.serve.http.ApiException;
import dev.mnistcnn.serve.http.Endpoint;
import dev.mnistcnn.serve.http.Exchanges;
import dev.mnistcnn.serve.http.HttpStatus;
import dev.mnistcnn.serve.http.Request;
import dev.mnistcnn.serve.http.Response;
import dev.mnistcnn.serve.models.Lease;
import dev.mnistcnn.serve.models.ModelSpec;
import dev.mnistcnn.serve.models.RequestMetrics;
import dev.mnistcnn.serve.models.ServableNotFoundException;
import dev.mnistcnn.serve.models.ServedModels;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /v1/models/{name}[/versions/N | /labels/L][/metadata | :predict | :classify-image]}: finds
 * the version in {@link ServedModels} and holds a lease on it until the answer is complete, so the
 * whole answer comes from that version. Unknown names and versions get TF Serving's 404, unknown
 * labels its 400; a run past the predictor's run timeout gets 504 (TF Serving's answer to
 * DEADLINE_EXCEEDED). The status ({@code GET /v1/models/{name}[/versions/N]}) is not asked by
 * label, as in TF Serving's REST API.
 */
final class ModelApi implements Endpoint {
  static final String PREFIX = "/v1/models/";

  private static final Pattern PATH =
      Pattern.compile(
          "/v1/models/([^/:]+)(?:/versions/([^/:]+)|/labels/([^/:]+))?(/metadata|:[^/:]*)?");

  /**
   * Predict bodies up to this size may be read on the I/O thread: a few images in any JSON layout
   * (one image as rows of one-number lists is about 5 KB, read in 12-16 µs).
   */
  static final int IO_THREAD_MAX_BODY_BYTES = 16 * 1024;

  private final ServedModels models;
  private final PredictHandler predict;
  private final ImageHandler classifyImage;
  private final RestMetering metering;

  ModelApi(
      ServedModels models,
      ServerConfig config,
      ImageHandler classifyImage,
      RequestMetrics metrics) {
    this.models = models;
    this.predict = new PredictHandler(config.maxInstances());
    this.classifyImage = classifyImage;
    this.metering = new RestMetering(metrics);
  }

  @Override
  public CompletionStage<Response> handle(Request request) throws ApiException {
    Matcher m = PATH.matcher(request.path());
    if (!m.matches()) {
      throw malformed(request);
    }
    // TF Serving's request metrics: every request to a model API, whatever its outcome.
    String api = RestMetering.api(m.group(4));
    return api == null
        ? answer(request, m)
        : metering.meter(m.group(1), api, () -> answer(request, m));
  }

  /**
   * A small {@code :predict} to a version whose inference queues while busy ({@link
   * dev.mnistcnn.inference.Inference#callerRunsOnlyWhenIdle}, request batching) runs on the I/O
   * thread: its body is read there and its images queued, or, when the model is idle, run there at
   * once and answered without a thread hand-over. Measured on a 2-core AVX2 EPYC, one connection:
   * p50 0.47-0.53 against 0.67-0.70 ms (docs/serving.md). Without batching every request would run
   * the model on the I/O thread, so it stays on the request pool.
   */
  @Override
  public boolean runsOnIoThread(Request request) {
    if (request.body().length > IO_THREAD_MAX_BODY_BYTES || !request.method().equals("POST")) {
      return false;
    }
    Matcher m = PATH.matcher(request.path());
    if (!m.matches() || !":predict".equals(m.group(4))) {
      return false;
    }
    Long version;
    try {
      version = m.group(2) == null ? null : Long.valueOf(m.group(2));
    } catch (NumberFormatException e) {
      return false; // handle() words the refusal
    }
    try (Lease lease = models.acquire(new ModelSpec(m.group(1), version, m.group(3)))) {
      return lease.inference().callerRunsOnlyWhenIdle();
    } catch (ServableNotFoundException e) {
      return false;
    }
  }

  private CompletionStage<Response> answer(Request request, Matcher m) throws ApiException {
    String name = m.group(1);
    String label = m.group(3);
    String action = m.group(4) == null ? "" : m.group(4);
    Long version = version(name, m.group(2));
    if (action.isEmpty()) {
      if (label != null) {
        throw malformed(request);
      }
      Exchanges.requireMethod(request, "GET");
      try {
        return Exchanges.json(HttpStatus.OK, ModelStatus.status(models.status(name, version)))
            .now();
      } catch (ServableNotFoundException e) {
        throw notFound(e);
      }
    }
    Lease lease;
    try {
      lease = models.acquire(new ModelSpec(name, version, label));
    } catch (ServableNotFoundException e) {
      throw notFound(e);
    }
    CompletionStage<Response> answer;
    try {
      answer = answer(action, request, lease);
    } catch (ApiException | RuntimeException e) {
      lease.close();
      throw e;
    }
    return answer.whenComplete((response, failure) -> lease.close());
  }

  private CompletionStage<Response> answer(String action, Request request, Lease lease)
      throws ApiException {
    switch (action) {
      case "/metadata" -> {
        Exchanges.requireMethod(request, "GET");
        return Exchanges.json(
                HttpStatus.OK,
                ModelStatus.metadata(lease.name(), lease.version(), lease.predictor()))
            .now();
      }
      case ":predict" -> {
        Exchanges.requireMethod(request, "POST");
        return inferenceRefusals(predict.handle(request, lease));
      }
      case ":classify-image" -> {
        Exchanges.requireMethod(request, "POST");
        return inferenceRefusals(classifyImage.handle(request, lease.predictor()));
      }
      case ":classify", ":regress" ->
          throw ApiException.badRequest(
              "the model has only a predict signature ('"
                  + lease.predictor().signatureKey()
                  + "'): use :predict, or :classify-image for image files");
      default -> throw malformed(request);
    }
  }

  /** The version number in the path, or null; a non-number is a version nothing serves. */
  private static Long version(String name, String text) throws ApiException {
    if (text == null) {
      return null;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiException.notFound(
          Exchanges.clip("Servable not found for request: Specific(" + name + ", " + text + ")"));
    }
  }

  private static ApiException notFound(ServableNotFoundException e) {
    String message = Exchanges.clip(e.getMessage());
    return e.code().equals("INVALID_ARGUMENT")
        ? ApiException.badRequest(message)
        : ApiException.notFound(message);
  }

  private static CompletionStage<Response> inferenceRefusals(CompletionStage<Response> answer) {
    return answer.exceptionally(
        failure -> {
          Throwable cause =
              failure instanceof CompletionException && failure.getCause() != null
                  ? failure.getCause()
                  : failure;
          if (cause instanceof InferenceTimeoutException timeout) {
            return Exchanges.error(HttpStatus.GATEWAY_TIMEOUT, timeout.getMessage());
          }
          if (cause instanceof BatchQueueFullException full) { // TF Serving's UNAVAILABLE
            return Exchanges.error(HttpStatus.UNAVAILABLE, full.getMessage())
                .with("Retry-After", "1");
          }
          throw failure instanceof CompletionException c ? c : new CompletionException(failure);
        });
  }

  /** TF Serving's answer to a path it does not know. */
  static ApiException malformed(Request request) {
    return ApiException.notFound(
        "Malformed request: " + Exchanges.clip(request.method() + " " + request.path()));
  }
}
