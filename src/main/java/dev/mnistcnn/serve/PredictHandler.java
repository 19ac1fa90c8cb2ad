package dev.mnistcnn.serve;

import com.sun.net.httpserver.HttpExchange;
import dev.mnistcnn.inference.Predictor;
import java.io.IOException;

/** {@code POST /v1/models/{name}:predict}: TF Serving JSON in, class probabilities out. */
final class PredictHandler implements Endpoint {
  private final Predictor predictor;
  private final TfServingCodec codec;
  private final int maxBodyBytes;

  PredictHandler(Predictor predictor, TfServingCodec codec, int maxBodyBytes) {
    this.predictor = predictor;
    this.codec = codec;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Any Content-Type is accepted, as TF Serving does: its documented {@code curl -d} examples send
   * application/x-www-form-urlencoded.
   */
  @Override
  public void handle(HttpExchange exchange) throws IOException, ApiException {
    TfServingCodec.PredictRequest request =
        codec.decodePredict(Exchanges.readBody(exchange, maxBodyBytes));
    float[] probabilities = predictor.probabilities(request.images(), request.count());
    Exchanges.send(
        exchange,
        HttpStatus.OK,
        Exchanges.JSON_TYPE,
        codec.encodePredictions(request.format(), probabilities, request.count()));
  }
}
