package dev.mnistcnn.inference;

/**
 * A batched request refused because the batch queue holds {@code max_enqueued_batches} full batches
 * already: TF Serving's UNAVAILABLE (REST 503), worth retrying later.
 */
public final class BatchQueueFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BatchQueueFullException(int maxEnqueuedBatches) {
    super(
        "The batch scheduling queue to which this task was submitted is full (max_enqueued_batches: "
            + maxEnqueuedBatches
            + ")");
  }
}
