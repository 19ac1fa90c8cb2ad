package dev.mnistcnn.serve;

import com.sun.net.httpserver.HttpExchange;
import dev.mnistcnn.inference.Predictor;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /v1/models/{name}[/versions/1][/metadata | :predict | :classify-image]}: checks the model
 * name, version and method, then hands over. Unknown names and versions get TF Serving's 404.
 */
final class ModelApi implements Endpoint {
  static final String PREFIX = "/v1/models/";

  private static final Pattern PATH =
      Pattern.compile("/v1/models/([^/:]+)(?:/versions/([^/:]+))?(/metadata|:[^/:]*)?");

  private final String modelName;
  private final Predictor predictor;
  private final Endpoint predict;
  private final Endpoint classifyImage;

  ModelApi(Predictor predictor, ServerConfig config) {
    this.modelName = config.modelName();
    this.predictor = predictor;
    TfServingCodec codec =
        new TfServingCodec(predictor.inputName(), predictor.signatureKey(), config.maxInstances());
    this.predict = new PredictHandler(predictor, codec, config.maxBodyBytes());
    this.classifyImage = new ImageHandler(predictor, config.maxBodyBytes());
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException, ApiException {
    String path = exchange.getRequestURI().getPath();
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      throw malformed(exchange);
    }
    String name = m.group(1);
    String version = m.group(2);
    if (!name.equals(modelName) || (version != null && !version.equals(ModelStatus.VERSION))) {
      throw ApiException.notFound(
          "Servable not found for request: "
              + (version == null ? "Latest(" + name + ")" : "Specific(" + name + ", " + version
                  + ")"));
    }
    String action = m.group(3) == null ? "" : m.group(3);
    switch (action) {
      case "" -> {
        Exchanges.requireMethod(exchange, "GET");
        Exchanges.sendJson(exchange, HttpStatus.OK, ModelStatus.status());
      }
      case "/metadata" -> {
        Exchanges.requireMethod(exchange, "GET");
        Exchanges.sendJson(exchange, HttpStatus.OK, ModelStatus.metadata(modelName, predictor));
      }
      case ":predict" -> {
        Exchanges.requireMethod(exchange, "POST");
        predict.handle(exchange);
      }
      case ":classify-image" -> {
        Exchanges.requireMethod(exchange, "POST");
        classifyImage.handle(exchange);
      }
      case ":classify", ":regress" ->
          throw ApiException.badRequest(
              "the model has only a predict signature ('" + predictor.signatureKey()
                  + "'): use :predict, or :classify-image for image files");
      default -> throw malformed(exchange);
    }
  }

  /** TF Serving's answer to a path it does not know. */
  static ApiException malformed(HttpExchange exchange) {
    return ApiException.notFound(
        "Malformed request: " + exchange.getRequestMethod() + " "
            + exchange.getRequestURI().getPath());
  }
}
