package dev.mnistcnn.train;

import dev.mnistcnn.data.DatasetKind;
import dev.mnistcnn.model.ModelSpec;
import java.util.Locale;

/**
 * What the seed recipe is expected to reach, so that a single run's figure is read next to the
 * recipe's spread rather than alone. The figures are measured, not computed: {@code
 * tools/bench/bench.py --accuracy} over seeds 1-5 for this program and for Python Keras, written to
 * docs/accuracy.md; update them when that page changes.
 */
public final class SeedRecipeAccuracy {
  private SeedRecipeAccuracy() {}

  /** Mean and standard deviation of the test accuracy over seeds 1-5, this program, fp32. */
  static final double MEAN = 0.9916;

  static final double SD = 0.0010;

  /** The same for Python Keras 3 on TensorFlow, same recipe and seeds. */
  static final double KERAS_MEAN = 0.9913;

  /**
   * True when a run is the measured recipe up to its seed: the seed CNN from fresh weights on
   * MNIST, the seed's epochs, batch size and optimizer, all the data, fp32.
   */
  public static boolean covers(
      TrainingConfig config, ModelSpec model, DatasetKind dataset, boolean fromFreshWeights) {
    return fromFreshWeights
        && dataset == DatasetKind.MNIST
        && model.equals(ModelSpec.seedCnn())
        && config.withSeed(TrainingConfig.DEFAULT_SEED).equals(TrainingConfig.seedRecipe());
  }

  /** One line for the end of such a run. */
  public static String line() {
    return String.format(
        Locale.ROOT,
        "Expected for this recipe: %.2f%% test accuracy (mean over seeds 1-5, sd %.2f; Python"
            + " Keras: %.2f%%), see docs/accuracy.md",
        100 * MEAN,
        100 * SD,
        100 * KERAS_MEAN);
  }
}
