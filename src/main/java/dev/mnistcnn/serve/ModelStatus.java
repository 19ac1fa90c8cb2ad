package dev.mnistcnn.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.http.Exchanges;
import dev.mnistcnn.serve.models.VersionStatus;
import java.util.List;

/** The bodies of TensorFlow Serving's model status and metadata endpoints. */
final class ModelStatus {
  private ModelStatus() {}

  /**
   * {@code GET /v1/models/{name}}: TF Serving's {@code model_version_status}, each version with its
   * state name and status (versions as strings, as TF Serving's JSON writes int64).
   */
  static ObjectNode status(List<VersionStatus> versions) {
    ObjectNode body = Exchanges.JSON.createObjectNode();
    ArrayNode list = body.putArray("model_version_status");
    for (VersionStatus v : versions) {
      ObjectNode entry = list.addObject();
      entry.put("version", Long.toString(v.version())).put("state", v.state().name());
      entry
          .putObject("status")
          .put("error_code", v.errorCode())
          .put("error_message", v.errorMessage());
    }
    return body;
  }

  /**
   * {@code GET /v1/models/{name}/metadata}: the serving signature, dtypes and shapes as TF Serving
   * writes them (sizes as strings, -1 for the batch). Graph tensor names are not included: the
   * Predictor knows the signature's keys, not the tensors behind them.
   */
  static ObjectNode metadata(String modelName, long version, Predictor predictor) {
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
        .put("version", Long.toString(version));
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
