package dev.mnistcnn.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training recipe. {@link #seedRecipe()} is the original {@code mnist.py}: 10 epochs, batch 200,
 * Adam with Keras's defaults (note epsilon 1e-7, not the framework's 1e-8).
 *
 * @param optimizer the optimizer and its settings, Keras's names and defaults
 * @param limit train on the first {@code limit} images only (0 = all), for quick runs
 * @param precision the number format of the matrix work (weights stay float32)
 * @param deterministic TensorFlow's deterministic ops and fixed thread settings, so that a seed
 *     gives bit-identical weights
 */
public record TrainingConfig(
    int epochs,
    int batchSize,
    long seed,
    int limit,
    OptimizerSpec optimizer,
    Precision precision,
    boolean deterministic) {

  public TrainingConfig {
    positive("epochs", epochs);
    positive("batch-size", batchSize);
    if (limit < 0) {
      throw new IllegalArgumentException("--limit must be 0 (all) or positive, got " + limit);
    }
    java.util.Objects.requireNonNull(optimizer, "optimizer");
    java.util.Objects.requireNonNull(precision, "precision");
  }

  private static void positive(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("--" + what + " must be positive, got " + value);
    }
  }

  /** The seed's epochs, batch size and our default seed: constants, so CLI defaults use them. */
  public static final int SEED_EPOCHS = 10;

  public static final int SEED_BATCH_SIZE = 200;

  public static final long DEFAULT_SEED = 42;

  public static TrainingConfig seedRecipe() {
    return new TrainingConfig(
        SEED_EPOCHS,
        SEED_BATCH_SIZE,
        DEFAULT_SEED,
        0,
        OptimizerSpec.Adam.DEFAULTS,
        Precision.FP32,
        false);
  }

  public TrainingConfig withEpochs(int e) {
    return new TrainingConfig(e, batchSize, seed, limit, optimizer, precision, deterministic);
  }

  public TrainingConfig withBatchSize(int b) {
    return new TrainingConfig(epochs, b, seed, limit, optimizer, precision, deterministic);
  }

  public TrainingConfig withSeed(long s) {
    return new TrainingConfig(epochs, batchSize, s, limit, optimizer, precision, deterministic);
  }

  public TrainingConfig withLimit(int l) {
    return new TrainingConfig(epochs, batchSize, seed, l, optimizer, precision, deterministic);
  }

  public TrainingConfig withOptimizer(OptimizerSpec o) {
    return new TrainingConfig(epochs, batchSize, seed, limit, o, precision, deterministic);
  }

  public TrainingConfig withPrecision(Precision p) {
    return new TrainingConfig(epochs, batchSize, seed, limit, optimizer, p, deterministic);
  }

  public TrainingConfig withDeterministic(boolean d) {
    return new TrainingConfig(epochs, batchSize, seed, limit, optimizer, precision, d);
  }

  /** Steps in an epoch over {@code trainImages} images, {@link #limit()} applied. */
  public int stepsPerEpoch(int trainImages) {
    int n = limit == 0 ? trainImages : Math.min(limit, trainImages);
    int batch = Math.min(batchSize, n); // a batch larger than the data is all of it
    return (n + batch - 1) / batch;
  }

  /** The recipe as recorded in provenance files. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epochs", epochs);
    m.put("batch_size", batchSize);
    m.put("training_images_limit", limit == 0 ? null : limit);
    m.put("shuffle", "each epoch, from the seed");
    m.put("loss", "categorical_crossentropy");
    m.put("optimizer", Map.of(optimizer.kerasName(), optimizer.kerasConfig()));
    m.put("initializers", "glorot_uniform kernels, zero biases");
    m.put("validation_data", "the test set");
    m.put("precision", precision.cliName());
    m.put("deterministic", deterministic);
    return m;
  }
}
