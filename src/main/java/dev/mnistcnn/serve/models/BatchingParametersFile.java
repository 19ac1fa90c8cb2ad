package dev.mnistcnn.serve.models;

import com.google.protobuf.Int64Value;
import dev.mnistcnn.inference.BatchingConfig;
import dev.mnistcnn.serve.models.proto.BatchingParameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * TF Serving's {@code --batching_parameters_file}: {@code BatchingParameters} in text format, e.g.
 * {@code max_batch_size { value: 32 } batch_timeout_micros { value: 1000 }}. Unset fields keep
 * {@link BatchingConfig#disabled()}'s values. {@code thread_pool_name} and {@code
 * pad_variable_length_inputs} are accepted and have nothing to change (one pool per version; the
 * input has one shape); {@code max_enqueued_batches} bounds the batch queue (unset: TF Serving's
 * 10); {@code allowed_batch_sizes} pads each run up to the next allowed size, as there (the sizes
 * increase, the last equals {@code max_batch_size}).
 */
public final class BatchingParametersFile {
  private BatchingParametersFile() {}

  /**
   * Batching as the file sets it (enabled).
   *
   * @throws IllegalArgumentException one line saying what is wrong with the file
   */
  public static BatchingConfig read(Path file) {
    BatchingParameters p =
        TextProtoFiles.read(file, "batching parameters file", BatchingParameters.newBuilder())
            .build();
    if (p.hasMaxEnqueuedBatches() && p.getMaxEnqueuedBatches().getValue() < 1) {
      throw invalid(file, "max_enqueued_batches must be 1 or more");
    }
    BatchingConfig defaults = BatchingConfig.disabled();
    int maxBatchSize =
        intValue(p.hasMaxBatchSize(), p.getMaxBatchSize(), defaults.maxBatchSize(), file);
    int threads =
        intValue(p.hasNumBatchThreads(), p.getNumBatchThreads(), defaults.threads(), file);
    long timeoutMicros =
        p.hasBatchTimeoutMicros() ? p.getBatchTimeoutMicros().getValue() : defaults.timeoutMicros();
    try {
      return new BatchingConfig(
          true,
          maxBatchSize,
          timeoutMicros,
          threads,
          intValue(
              p.hasMaxEnqueuedBatches(),
              p.getMaxEnqueuedBatches(),
              defaults.maxEnqueuedBatches(),
              file),
          allowedBatchSizes(p, file));
    } catch (IllegalArgumentException e) {
      throw invalid(file, e.getMessage());
    }
  }

  private static int intValue(boolean set, Int64Value value, int otherwise, Path file) {
    if (!set) {
      return otherwise;
    }
    long v = value.getValue();
    if (v != (int) v) {
      throw invalid(file, v + " is out of range");
    }
    return (int) v;
  }

  private static List<Integer> allowedBatchSizes(BatchingParameters p, Path file) {
    List<Integer> sizes = new ArrayList<>();
    for (long size : p.getAllowedBatchSizesList()) {
      if (size != (int) size) {
        throw invalid(file, "allowed_batch_sizes entry " + size + " is out of range");
      }
      sizes.add((int) size);
    }
    return sizes;
  }

  private static IllegalArgumentException invalid(Path file, String message) {
    return new IllegalArgumentException("batching parameters file " + file + ": " + message);
  }
}
