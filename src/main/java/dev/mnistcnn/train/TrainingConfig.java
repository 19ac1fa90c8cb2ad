package dev.mnistcnn.train;

import dev.mnistcnn.saving.provenance.TrainerProvenance;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A training recipe. {@link #seedRecipe()} is the original {@code mnist.py}: 10 epochs, batch 200,
 * Adam with Keras's defaults (note epsilon 1e-7, not the framework's 1e-8), a constant learning
 * rate, no augmentation; {@link Recipe} names it and the others.
 *
 * @param optimizer the optimizer and its settings, Keras's names and defaults
 * @param limit train on the first {@code limit} images only (0 = all), for quick runs
 * @param schedule the learning rate by optimizer step (its initial rate is {@link #learningRate()})
 * @param precision the number format of the matrix work (weights stay float32)
 * @param deterministic TensorFlow's deterministic ops and fixed thread settings, so that a seed
 *     gives bit-identical weights
 * @param augmentation random distortions of the training images ({@link ImageAugmentation#NONE}:
 *     none)
 * @param recipe the name of the {@link Recipe} these settings started from, for provenance
 */
public record TrainingConfig(
    int epochs,
    int batchSize,
    long seed,
    int limit,
    OptimizerSpec optimizer,
    LearningRateSchedule schedule,
    Precision precision,
    boolean deterministic,
    ImageAugmentation augmentation,
    String recipe) {

  public TrainingConfig {
    positive("epochs", epochs);
    positive("batch-size", batchSize);
    if (limit < 0) {
      throw new IllegalArgumentException("--limit must be 0 (all) or positive, got " + limit);
    }
    java.util.Objects.requireNonNull(optimizer, "optimizer");
    java.util.Objects.requireNonNull(schedule, "schedule");
    if (schedule.initialRate() != (float) optimizer.learningRate()) {
      throw new IllegalArgumentException(
          "the learning-rate schedule starts at "
              + schedule.initialRate()
              + ", the optimizer's learning rate is "
              + optimizer.learningRate());
    }
    java.util.Objects.requireNonNull(precision, "precision");
    java.util.Objects.requireNonNull(augmentation, "augmentation");
    java.util.Objects.requireNonNull(recipe, "recipe");
  }

  /** The initial learning rate (the optimizer's, where the schedule starts). */
  public float learningRate() {
    return schedule.initialRate();
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

  /** Keras's default Adam learning rate, the seed's. */
  public static final float SEED_LEARNING_RATE = 0.001f;

  public static TrainingConfig seedRecipe() {
    return new TrainingConfig(
        SEED_EPOCHS,
        SEED_BATCH_SIZE,
        DEFAULT_SEED,
        0,
        OptimizerSpec.Adam.DEFAULTS,
        new LearningRateSchedule.Constant(SEED_LEARNING_RATE),
        Precision.FP32,
        false,
        ImageAugmentation.NONE,
        "seed");
  }

  public TrainingConfig withEpochs(int e) {
    return with(s -> s.epochs = e);
  }

  public TrainingConfig withBatchSize(int b) {
    return with(s -> s.batchSize = b);
  }

  public TrainingConfig withSeed(long seed) {
    return with(s -> s.seed = seed);
  }

  public TrainingConfig withLimit(int l) {
    return with(s -> s.limit = l);
  }

  public TrainingConfig withPrecision(Precision p) {
    return with(s -> s.precision = p);
  }

  public TrainingConfig withDeterministic(boolean d) {
    return with(s -> s.deterministic = d);
  }

  /** This config with {@code o}, the schedule now starting from {@code o}'s learning rate. */
  public TrainingConfig withOptimizer(OptimizerSpec o) {
    return with(
        s -> {
          s.optimizer = o;
          s.schedule = s.schedule.withInitialRate((float) o.learningRate());
        });
  }

  /** This config with {@code schedule}, which must start at the optimizer's learning rate. */
  public TrainingConfig withSchedule(LearningRateSchedule schedule) {
    return with(s -> s.schedule = schedule);
  }

  public TrainingConfig withAugmentation(ImageAugmentation a) {
    return with(s -> s.augmentation = a);
  }

  public TrainingConfig withRecipe(String r) {
    return with(s -> s.recipe = r);
  }

  /** A copy with {@code change} applied to its settings (one place that lists every component). */
  private TrainingConfig with(Consumer<Settings> change) {
    Settings s = new Settings(this);
    change.accept(s);
    return new TrainingConfig(
        s.epochs,
        s.batchSize,
        s.seed,
        s.limit,
        s.optimizer,
        s.schedule,
        s.precision,
        s.deterministic,
        s.augmentation,
        s.recipe);
  }

  /** The components, mutable, for {@link #with}. */
  private static final class Settings {
    int epochs;
    int batchSize;
    long seed;
    int limit;
    OptimizerSpec optimizer;
    LearningRateSchedule schedule;
    Precision precision;
    boolean deterministic;
    ImageAugmentation augmentation;
    String recipe;

    Settings(TrainingConfig c) {
      epochs = c.epochs;
      batchSize = c.batchSize;
      seed = c.seed;
      limit = c.limit;
      optimizer = c.optimizer;
      schedule = c.schedule;
      precision = c.precision;
      deterministic = c.deterministic;
      augmentation = c.augmentation;
      recipe = c.recipe;
    }
  }

  /** Steps in an epoch over {@code trainImages} images, {@link #limit()} applied. */
  public int stepsPerEpoch(int trainImages) {
    int n = limit == 0 ? trainImages : Math.min(limit, trainImages);
    int batch = Math.min(batchSize, n); // a batch larger than the data is all of it
    return (n + batch - 1) / batch;
  }

  /**
   * Its part of a model's provenance: the seed and the recipe.
   *
   * @param precisionChoice why {@code auto} picked the precision, or null when the user named it
   */
  public TrainerProvenance provenance(String precisionChoice) {
    return new TrainerProvenance(seed, describe(), precisionChoice);
  }

  /** The recipe as recorded in provenance files. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!recipe.equals("seed")) {
      m.put("recipe", recipe);
    }
    m.put("epochs", epochs);
    m.put("batch_size", batchSize);
    m.put("training_images_limit", limit == 0 ? null : limit);
    m.put("shuffle", "each epoch, from the seed");
    m.put("loss", "categorical_crossentropy");
    m.put("optimizer", Map.of(optimizer.kerasName(), optimizer.kerasConfig()));
    // Recorded only where they differ from the seed recipe's, so that the seed's description (and
    // the checkpoints and provenance of earlier builds) stays as it was.
    if (!(schedule instanceof LearningRateSchedule.Constant)) {
      m.put("learning_rate_schedule", schedule.describe());
    }
    if (!augmentation.isNone()) {
      m.put("augmentation", augmentation.describe());
    }
    m.put("initializers", "glorot_uniform kernels, zero biases");
    m.put("validation_data", "the test set");
    m.put("precision", precision.cliName());
    m.put("deterministic", deterministic);
    return m;
  }
}
