package dev.mnistcnn.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.http.Exchanges;

/**
 * The bodies of TensorFlow Serving's model status and metadata endpoints, for the one version this
 * server holds.
 */
final class ModelStatus {
  /** The server holds one model, so it is always version 1, as TF Serving numbers a lone export. */
  static final String VERSION = "1";

  private ModelStatus() {}

  /** {@code GET /v1/models/{name}}: the version and its state. */
  static ObjectNode status() {
    ObjectNode status = Exchanges.JSON.createObjectNode();
    status.put("error_code", "OK").put("error_message", "");
    ObjectNode version = Exchanges.JSON.createObjectNode();
    version.put("version", VERSION).put("state", "AVAILABLE").set("status", status);
    ObjectNode body = Exchanges.JSON.createObjectNode();
    body.putArray("model_version_status").add(version);
    return body;
  }

  /**
   * {@code GET /v1/models/{name}/metadata}: the serving signature, dtypes and shapes as TF Serving
   * writes them (sizes as strings, -1 for the batch). Graph tensor names are not included: the
   * Predictor knows the signature's keys, not the tensors behind them.
   */
  static ObjectNode metadata(String modelName, Predictor predictor) {
    ObjectNode signature = Exchanges.JSON.createObjectNode();
    signature
        .putObject("inputs")
        .set(predictor.inputName(), tensor(-1, Predictor.IMAGE_SIDE, Predictor.IMAGE_SIDE, 1));
    signature.putObject("outputs").set(predictor.outputName(), tensor(-1, predictor.classes()));
    signature.put("method_name", predictor.methodName());

    ObjectNode body = Exchanges.JSON.createObjectNode();
    body.putObject("model_spec")
        .put("name", modelName)
        .put("signature_name", "")
        .put("version", VERSION);
    body.putObject("metadata")
        .putObject("signature_def")
        .putObject("signature_def")
        .set(predictor.signatureKey(), signature);
    return body;
  }

  private static ObjectNode tensor(long... dims) {
    ObjectNode tensor = Exchanges.JSON.createObjectNode();
    tensor.put("dtype", "DT_FLOAT");
    ObjectNode shape = tensor.putObject("tensor_shape");
    ArrayNode dim = shape.putArray("dim");
    for (long d : dims) {
      dim.addObject().put("size", Long.toString(d)).put("name", "");
    }
    shape.put("unknown_rank", false);
    return tensor;
  }
}
