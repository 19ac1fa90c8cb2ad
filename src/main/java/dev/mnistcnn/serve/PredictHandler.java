package dev.mnistcnn.serve;

import dev.mnistcnn.serve.http.ApiException;
import dev.mnistcnn.serve.http.Exchanges;
import dev.mnistcnn.serve.http.HttpStatus;
import dev.mnistcnn.serve.http.Request;
import dev.mnistcnn.serve.http.Response;
import dev.mnistcnn.serve.models.Lease;
import java.util.concurrent.CompletionStage;

/** {@code POST /v1/models/{name}:predict}: TF Serving JSON in, class probabilities out. */
final class PredictHandler {
  private final int maxInstances;

  PredictHandler(int maxInstances) {
    this.maxInstances = maxInstances;
  }

  /**
   * Runs the leased version. Any Content-Type is accepted, as TF Serving does: its documented
   * {@code curl -d} examples send application/x-www-form-urlencoded.
   */
  CompletionStage<Response> handle(Request request, Lease lease) throws ApiException {
    TfServingCodec codec =
        new TfServingCodec(
            lease.predictor().inputName(), lease.predictor().signatureKey(), maxInstances);
    TfServingCodec.PredictRequest decoded = codec.decodePredict(request.body());
    return lease
        .inference()
        .probabilities(decoded.images(), decoded.count())
        .thenApply(
            probabilities ->
                Response.of(
                    HttpStatus.OK,
                    Exchanges.JSON_TYPE,
                    codec.encodePredictions(decoded.format(), probabilities, decoded.count())));
  }
}
