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

  /**
   * Whether {@link #probabilities} runs the model on the caller's thread only when nothing else is
   * running it, and otherwise queues the images and returns at once ({@link BatchingPredictor}): a
   * thread that must not wait behind other requests (a network I/O thread) may then call it. False
   * for {@link #direct}, which runs on every caller's thread.
   */
  default boolean callerRunsOnlyWhenIdle() {
    return false;
  }

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
