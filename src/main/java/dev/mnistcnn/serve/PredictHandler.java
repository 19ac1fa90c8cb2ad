package dev.mnistcnn.serve;

import dev.mnistcnn.inference.Inference;
import dev.mnistcnn.serve.http.ApiException;
import dev.mnistcnn.serve.http.Endpoint;
import dev.mnistcnn.serve.http.Exchanges;
import dev.mnistcnn.serve.http.HttpStatus;
import dev.mnistcnn.serve.http.Request;
import dev.mnistcnn.serve.http.Response;
import java.util.concurrent.CompletionStage;

/** {@code POST /v1/models/{name}:predict}: TF Serving JSON in, class probabilities out. */
final class PredictHandler implements Endpoint {
  private final Inference inference;
  private final TfServingCodec codec;

  PredictHandler(Inference inference, TfServingCodec codec) {
    this.inference = inference;
    this.codec = codec;
  }

  /**
   * Any Content-Type is accepted, as TF Serving does: its documented {@code curl -d} examples send
   * application/x-www-form-urlencoded.
   */
  @Override
  public CompletionStage<Response> handle(Request request) throws ApiException {
    TfServingCodec.PredictRequest decoded = codec.decodePredict(request.body());
    return inference
        .probabilities(decoded.images(), decoded.count())
        .thenApply(
            probabilities ->
                Response.of(
                    HttpStatus.OK,
                    Exchanges.JSON_TYPE,
                    codec.encodePredictions(decoded.format(), probabilities, decoded.count())));
  }
}
