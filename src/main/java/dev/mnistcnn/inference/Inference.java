package dev.mnistcnn.inference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Class probabilities for images laid end to end, as a future: computed at once on the caller's
 * thread ({@link #direct}) or later, batched with other callers' images ({@link
 * BatchingPredictor}).
 */
@FunctionalInterface
public interface Inference {
  CompletionStage<float[]> probabilities(float[] images, int count);

  /** One session run per call, on the calling thread. */
  static Inference direct(Predictor predictor) {
    return (images, count) -> {
      try {
        return CompletableFuture.completedFuture(predictor.probabilities(images, count));
      } catch (RuntimeException | OutOfMemoryError e) {
        return CompletableFuture.failedFuture(e);
      }
    };
  }
}
