package dev.mnistcnn.serve;

import dev.mnistcnn.inference.Inference;
import dev.mnistcnn.inference.InferenceTimeoutException;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.http.ApiException;
import dev.mnistcnn.serve.http.Endpoint;
import dev.mnistcnn.serve.http.Exchanges;
import dev.mnistcnn.serve.http.HttpStatus;
import dev.mnistcnn.serve.http.Request;
import dev.mnistcnn.serve.http.Response;
import dev.mnistcnn.serve.models.RequestMetrics;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /v1/models/{name}[/versions/1][/metadata | :predict | :classify-image]}: checks the model
 * name, version and method, then hands over. Unknown names and versions get TF Serving's 404; a run
 * past the predictor's run timeout gets 504 (TF Serving's answer to DEADLINE_EXCEEDED).
 */
final class ModelApi implements Endpoint {
  static final String PREFIX = "/v1/models/";

  private static final Pattern PATH =
      Pattern.compile("/v1/models/([^/:]+)(?:/versions/([^/:]+))?(/metadata|:[^/:]*)?");

  private final String modelName;
  private final Predictor predictor;
  private final Endpoint predict;
  private final Endpoint classifyImage;
  private final RestMetering metering;

  ModelApi(
      Predictor predictor,
      ServerConfig config,
      Inference inference,
      Endpoint classifyImage,
      RequestMetrics metrics) {
    this.modelName = config.modelName();
    this.predictor = predictor;
    TfServingCodec codec =
        new TfServingCodec(predictor.inputName(), predictor.signatureKey(), config.maxInstances());
    this.predict = new PredictHandler(inference, codec);
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
    String api = RestMetering.api(m.group(3));
    return api == null
        ? answer(request, m)
        : metering.meter(m.group(1), api, () -> answer(request, m));
  }

  private CompletionStage<Response> answer(Request request, Matcher m) throws ApiException {
    String name = m.group(1);
    String version = m.group(2);
    if (!name.equals(modelName) || (version != null && !version.equals(ModelStatus.VERSION))) {
      throw ApiException.notFound(
          Exchanges.clip(
              "Servable not found for request: "
                  + (version == null
                      ? "Latest(" + name + ")"
                      : "Specific(" + name + ", " + version + ")")));
    }
    String action = m.group(3) == null ? "" : m.group(3);
    switch (action) {
      case "" -> {
        Exchanges.requireMethod(request, "GET");
        return Exchanges.json(HttpStatus.OK, ModelStatus.status()).now();
      }
      case "/metadata" -> {
        Exchanges.requireMethod(request, "GET");
        return Exchanges.json(HttpStatus.OK, ModelStatus.metadata(modelName, predictor)).now();
      }
      case ":predict" -> {
        Exchanges.requireMethod(request, "POST");
        return timeoutIs504(predict.handle(request));
      }
      case ":classify-image" -> {
        Exchanges.requireMethod(request, "POST");
        return timeoutIs504(classifyImage.handle(request));
      }
      case ":classify", ":regress" ->
          throw ApiException.badRequest(
              "the model has only a predict signature ('"
                  + predictor.signatureKey()
                  + "'): use :predict, or :classify-image for image files");
      default -> throw malformed(request);
    }
  }

  private static CompletionStage<Response> timeoutIs504(CompletionStage<Response> answer) {
    return answer.exceptionally(
        failure -> {
          Throwable cause =
              failure instanceof CompletionException && failure.getCause() != null
                  ? failure.getCause()
                  : failure;
          if (cause instanceof InferenceTimeoutException timeout) {
            return Exchanges.error(HttpStatus.GATEWAY_TIMEOUT, timeout.getMessage());
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
