package dev.mnistcnn.inference;

import java.util.List;

/**
 * Server-side batching of {@code :predict} calls, as TensorFlow Serving's {@code
 * --enable_batching}: requests waiting at the same time go through the model in one session run.
 *
 * @param enabled off by default, as in TF Serving: a batched answer can differ from a lone run's in
 *     the last bits (TensorFlow's CPU kernels block their sums by batch size), up to 4e-7 measured
 * @param maxBatchSize most images in one run; a request with more runs on its own
 * @param timeoutMicros how long a batch that already has company waits for more requests; a request
 *     that finds no other waiting runs at once, so a lone client never pays it
 * @param threads batches running at once, each on one core (TF Serving's {@code num_batch_threads})
 * @param maxEnqueuedBatches TF Serving's {@code max_enqueued_batches}: a request that would queue
 *     more than this many full batches of images is refused ({@link BatchQueueFullException}); 0
 *     for no bound beyond the server's request and connection limits (an API user's choice; TF
 *     Serving has no such setting)
 * @param allowedBatchSizes TF Serving's {@code allowed_batch_sizes}: when not empty, a run of N
 *     images is padded up to the smallest allowed size of N or more with repeats of its first
 *     image, whose answers are dropped (for platforms that want few distinct shapes); the sizes
 *     increase and the last is {@code maxBatchSize}. Empty: a run takes the size it has. On a CPU
 *     padding only costs: 12 images run as 16 took 135-187 against 109-147 µs per image asked
 *     (tools/bench/BatchSizes.java, 2-core AVX2 EPYC), and runs of varying sizes cost no more than
 *     runs of one size
 */
public record BatchingConfig(
    boolean enabled,
    int maxBatchSize,
    long timeoutMicros,
    int threads,
    int maxEnqueuedBatches,
    List<Integer> allowedBatchSizes) {
  public static final int DEFAULT_MAX_BATCH_SIZE = 64;

  /**
   * TF Serving's default {@code max_enqueued_batches} (its batch schedulers' {@code
   * max_enqueued_batches = 10}): under overload a request is refused at once rather than waiting
   * behind an ever longer queue.
   */
  public static final int DEFAULT_MAX_ENQUEUED_BATCHES = 10;

  /**
   * TF Serving's default {@code num_batch_threads}: one per core, each batch on one core (measured
   * on 2 cores: one-thread batches answered 1.07-1.16x the requests of batches spread over both
   * cores at 64 connections, 1.35-1.43x at 8).
   */
  public static int defaultThreads() {
    return Math.min(64, Runtime.getRuntime().availableProcessors());
  }

  public BatchingConfig {
    if (maxBatchSize < 1 || maxBatchSize > 65_536) {
      throw new IllegalArgumentException("max batch size must be in 1..65536, got " + maxBatchSize);
    }
    if (timeoutMicros < 0 || timeoutMicros > 10_000_000) {
      throw new IllegalArgumentException(
          "batch timeout must be in 0..10000000 microseconds, got " + timeoutMicros);
    }
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("batch threads must be in 1..64, got " + threads);
    }
    if (maxEnqueuedBatches < 0 || maxEnqueuedBatches > 1_000_000) {
      throw new IllegalArgumentException(
          "max enqueued batches must be in 0..1000000, got " + maxEnqueuedBatches);
    }
    allowedBatchSizes = List.copyOf(allowedBatchSizes);
    if (!allowedBatchSizes.isEmpty() && allowedBatchSizes.get(0) < 1) {
      throw new IllegalArgumentException(
          "allowed_batch_sizes entries must be 1 or more, got " + allowedBatchSizes);
    }
    // TF Serving's checks and words (its batching session's ValidateAllowedBatchSizes).
    for (int i = 1; i < allowedBatchSizes.size(); i++) {
      if (allowedBatchSizes.get(i) <= allowedBatchSizes.get(i - 1)) {
        throw new IllegalArgumentException(
            "allowed_batch_sizes entries must be monotonically increasing, got "
                + allowedBatchSizes);
      }
    }
    if (!allowedBatchSizes.isEmpty()
        && allowedBatchSizes.get(allowedBatchSizes.size() - 1) != maxBatchSize) {
      throw new IllegalArgumentException(
          "final entry in allowed_batch_sizes must equal max_batch_size ("
              + maxBatchSize
              + "), got "
              + allowedBatchSizes);
    }
  }

  /** Any batch size allowed. */
  public BatchingConfig(
      boolean enabled, int maxBatchSize, long timeoutMicros, int threads, int maxEnqueuedBatches) {
    this(enabled, maxBatchSize, timeoutMicros, threads, maxEnqueuedBatches, List.of());
  }

  /** With TF Serving's default bound on the queue, {@link #DEFAULT_MAX_ENQUEUED_BATCHES}. */
  public BatchingConfig(boolean enabled, int maxBatchSize, long timeoutMicros, int threads) {
    this(enabled, maxBatchSize, timeoutMicros, threads, DEFAULT_MAX_ENQUEUED_BATCHES);
  }

  public BatchingConfig withMaxEnqueuedBatches(int batches) {
    return new BatchingConfig(
        enabled, maxBatchSize, timeoutMicros, threads, batches, allowedBatchSizes);
  }

  public BatchingConfig withAllowedBatchSizes(List<Integer> sizes) {
    return new BatchingConfig(
        enabled, maxBatchSize, timeoutMicros, threads, maxEnqueuedBatches, sizes);
  }

  /**
   * The size a run of {@code images} images takes: the smallest allowed size that holds them, or
   * {@code images} itself when any size is allowed or none holds them (a request larger than the
   * maximum runs on its own).
   */
  public int paddedSize(int images) {
    for (int size : allowedBatchSizes) {
      if (size >= images) {
        return size;
      }
    }
    return images;
  }

  /**
   * Off; when turned on: 64 images, no waiting beyond what is already queued, {@link
   * #defaultThreads()}.
   */
  public static BatchingConfig disabled() {
    return new BatchingConfig(false, DEFAULT_MAX_BATCH_SIZE, 0, defaultThreads());
  }

  public static BatchingConfig enabled(int maxBatchSize, long timeoutMicros) {
    return new BatchingConfig(true, maxBatchSize, timeoutMicros, defaultThreads());
  }
}
