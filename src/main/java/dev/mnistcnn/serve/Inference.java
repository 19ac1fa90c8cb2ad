package dev.mnistcnn.serve;

import dev.mnistcnn.inference.Predictor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Class probabilities for images laid end to end: at once, or later from a {@link Batcher}. */
@FunctionalInterface
interface Inference {
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
