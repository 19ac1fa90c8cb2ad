package dev.mnistcnn.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.inference.DigitPreprocessor;
import dev.mnistcnn.inference.ImageTooLargeException;
import dev.mnistcnn.inference.InferenceException;
import dev.mnistcnn.inference.NoDigitFoundException;
import dev.mnistcnn.inference.Prediction;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.http.ApiException;
import dev.mnistcnn.serve.http.Exchanges;
import dev.mnistcnn.serve.http.HttpStatus;
import dev.mnistcnn.serve.http.Request;
import dev.mnistcnn.serve.http.Response;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code POST /v1/models/{name}:classify-image}: the body is an image file (PNG, JPEG, GIF, BMP),
 * preprocessed MNIST-style; the answer is the digit, all probabilities and the top three.
 *
 * <p>Decoding runs on its own small pool ({@code decodes}, bounded in threads and queue): an image
 * can cost seconds and hundreds of MB, and a flood of them must not hold up predict calls.
 */
final class ImageHandler {
  static final int TOP = 3;

  private final Executor decodes;
  private final long maxPixels;

  ImageHandler(Executor decodes, long maxPixels) {
    this.decodes = decodes;
    this.maxPixels = maxPixels;
  }

  /** Classifies the image in the body with {@code predictor}. */
  CompletionStage<Response> handle(Request request, Predictor predictor) throws ApiException {
    checkContentType(request.header("Content-Type"));
    byte[] body = request.body();
    ImageSize.check(body, maxPixels);
    try {
      return CompletableFuture.supplyAsync(() -> classify(body, predictor), decodes);
    } catch (RejectedExecutionException e) {
      throw new ApiException(
          HttpStatus.UNAVAILABLE, "too many images being decoded; try again in a moment");
    }
  }

  private static Response classify(byte[] body, Predictor predictor) {
    float[] pixels;
    try {
      pixels = DigitPreprocessor.fromImageBytes(body);
    } catch (ImageTooLargeException e) {
      // e.g. 100000 x 1: few pixels, but a side past the decoder's limit
      throw new CompletionException(new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage()));
    } catch (NoDigitFoundException e) {
      // The request was fine; the picture just holds no digit.
      throw new CompletionException(new ApiException(HttpStatus.UNPROCESSABLE, e.getMessage()));
    } catch (InferenceException e) {
      // ImageIO's readers wrap an OutOfMemoryError in an IIOException: that is the server's
      // shortage (503), not a bad image (400).
      OutOfMemoryError shortage = outOfMemoryIn(e);
      throw new CompletionException(
          shortage != null ? shortage : ApiException.badRequest(e.getMessage()));
    }
    return Exchanges.json(HttpStatus.OK, describe(predictor.predict(pixels)));
  }

  /** The OutOfMemoryError among {@code failure} and its causes, or null. */
  private static OutOfMemoryError outOfMemoryIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OutOfMemoryError e) {
        return e;
      }
    }
    return null;
  }

  /**
   * Image types, octet-stream, curl's default form type and none pass; types that mean the client
   * wrapped the file (a multipart form, JSON) or sent text get 415 with the fix.
   */
  private static void checkContentType(String header) throws ApiException {
    if (header == null) {
      return;
    }
    String type = header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (type.startsWith("multipart/") || type.startsWith("text/") || type.contains("json")) {
      throw new ApiException(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type "
              + Exchanges.clip(type)
              + " not accepted: send the image file itself as"
              + " the body, e.g. curl --data-binary @digit.png -H 'Content-Type: image/png'");
    }
  }

  private static ObjectNode describe(Prediction p) {
    ObjectNode body = Exchanges.JSON.createObjectNode();
    body.put("digit", p.digit());
    ArrayNode probabilities = body.putArray("probabilities");
    for (float v : p.probabilities()) {
      probabilities.add(v);
    }
    ArrayNode top = body.putArray("top");
    for (int digit : p.topK(TOP)) {
      top.addObject().put("digit", digit).put("probability", p.probabilities()[digit]);
    }
    return body;
  }
}
