package dev.mnistcnn.cli;

import dev.mnistcnn.train.ImageAugmentation;
import dev.mnistcnn.train.LearningRateSchedule;
import dev.mnistcnn.train.Recipe;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code train --recipe} and the learning-rate schedule options; an option given explicitly wins
 * over the recipe's value.
 */
final class RecipeOptions {
  @Option(
      names = "--recipe",
      defaultValue = "seed",
      paramLabel = "seed|augmented",
      description =
          "seed (default): the seed CNN as mnist.py trains it. augmented: the seed CNN with"
              + " BatchNormalization and Dropout, random shifts (±2 px), rotations (±10°) and zoom"
              + " (±10%%) of the training images, 20 epochs, learning rate x0.85 per epoch.")
  String recipe;

  @Option(
      names = "--lr-schedule",
      paramLabel = "constant|exponential|cosine",
      description =
          "Learning rate by optimizer step, as Keras's schedules: constant (the seed's),"
              + " exponential (lr * rate^(step / decay-steps)), cosine (to alpha * lr over"
              + " decay-steps). Default: the recipe's.")
  String schedule;

  @Option(
      names = "--decay-steps",
      paramLabel = "N",
      description =
          "Steps of one decay: default one epoch's steps for exponential, the whole run's for"
              + " cosine.")
  Long decaySteps;

  @Option(
      names = "--decay-rate",
      paramLabel = "R",
      description = "Exponential: factor per decay-steps (default: the recipe's, else 0.9).")
  Float decayRate;

  @Option(
      names = "--alpha",
      paramLabel = "A",
      description = "Cosine: the final rate as a fraction of the initial one (default 0).")
  Float alpha;

  @Option(
      names = "--augmentation",
      paramLabel = "none|SHIFT,DEGREES,ZOOM",
      description =
          "Random distortions of training images: none, or the largest shift in pixels, rotation"
              + " in degrees and zoom fraction, e.g. 2,10,0.1 (default: the recipe's).")
  String augmentation;

  /** Exponential decay per {@code --decay-steps} when neither option nor recipe says. */
  static final float DEFAULT_DECAY_RATE = 0.9f;

  Recipe recipe() {
    try {
      return Recipe.valueOf(recipe.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown --recipe '" + recipe + "': expected seed or augmented", e);
    }
  }

  /** The augmentation asked for, else the recipe's. */
  ImageAugmentation augmentation(Recipe recipe) {
    if (augmentation == null) {
      return recipe.config().augmentation();
    }
    if (augmentation.equalsIgnoreCase("none")) {
      return ImageAugmentation.NONE;
    }
    String[] parts = augmentation.split(",", -1);
    try {
      if (parts.length != 3) {
        throw new NumberFormatException();
      }
      return new ImageAugmentation(
          Double.parseDouble(parts[0].strip()),
          Double.parseDouble(parts[1].strip()),
          Double.parseDouble(parts[2].strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--augmentation must be none or SHIFT,DEGREES,ZOOM (e.g. 2,10,0.1), got '"
              + augmentation
              + "'",
          e);
    }
  }

  /** The schedule for a run of {@code epochs} epochs of {@code stepsPerEpoch} steps. */
  LearningRateSchedule schedule(Recipe recipe, int stepsPerEpoch, int epochs, float lr) {
    LearningRateSchedule base = recipe.schedule(stepsPerEpoch, epochs).withInitialRate(lr);
    if (schedule == null && decaySteps == null && decayRate == null && alpha == null) {
      return base;
    }
    String name = schedule == null ? base.cliName() : schedule.toLowerCase(Locale.ROOT);
    return switch (name) {
      case "constant" -> {
        onlyFor("constant", decaySteps, "--decay-steps");
        onlyFor("constant", decayRate, "--decay-rate");
        onlyFor("constant", alpha, "--alpha");
        yield new LearningRateSchedule.Constant(lr);
      }
      case "exponential" -> {
        onlyFor("exponential", alpha, "--alpha");
        float rate =
            decayRate != null
                ? decayRate
                : base instanceof LearningRateSchedule.Exponential e
                    ? e.decayRate()
                    : DEFAULT_DECAY_RATE;
        yield new LearningRateSchedule.Exponential(
            lr, decaySteps == null ? stepsPerEpoch : decaySteps, rate);
      }
      case "cosine" -> {
        onlyFor("cosine", decayRate, "--decay-rate");
        yield new LearningRateSchedule.Cosine(
            lr,
            decaySteps == null ? (long) stepsPerEpoch * epochs : decaySteps,
            alpha == null ? 0f : alpha);
      }
      default ->
          throw new IllegalArgumentException(
              "unknown --lr-schedule '" + schedule + "': expected constant, exponential or cosine");
    };
  }

  /** Refuses an option that the chosen schedule does not use. */
  private static void onlyFor(String schedule, Object value, String option) {
    if (value != null) {
      throw new IllegalArgumentException(
          option + " does not apply to the " + schedule + " learning-rate schedule");
    }
  }
}
