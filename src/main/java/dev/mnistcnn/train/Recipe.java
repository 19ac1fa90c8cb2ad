package dev.mnistcnn.train;

import dev.mnistcnn.model.Activation;
import dev.mnistcnn.model.ActivationFunction;
import dev.mnistcnn.model.BatchNormalization;
import dev.mnistcnn.model.Dense;
import dev.mnistcnn.model.Dropout;
import dev.mnistcnn.model.Flatten;
import dev.mnistcnn.model.Layer;
import dev.mnistcnn.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The named recipes of {@code train --recipe}: a model and the settings it trains with. Explicit
 * options override a recipe's settings; the recipe's name stays in the provenance.
 */
public enum Recipe {
  /** The original {@code mnist.py}: the seed CNN, 10 epochs, constant learning rate. */
  SEED {
    @Override
    public ModelSpec model() {
      return ModelSpec.seedCnn();
    }

    @Override
    public TrainingConfig config() {
      return TrainingConfig.seedRecipe();
    }
  },

  /**
   * The seed CNN with Dropout after the convolutions and after the hidden Dense layer, and
   * BatchNormalization on the hidden Dense layer (its bias dropped: BN's beta takes its place),
   * trained 20 epochs on randomly shifted, rotated and zoomed images with a learning rate decaying
   * exponentially by {@link #AUGMENTED_DECAY_RATE} per epoch.
   */
  AUGMENTED {
    @Override
    public ModelSpec model() {
      ModelSpec seed = ModelSpec.seedCnn();
      List<Layer> layers = new ArrayList<>(seed.layers().subList(0, 4)); // both conv + pool blocks
      layers.addAll(
          List.of(
              new Dropout(0.25),
              new Flatten(),
              new Dense(null, 128, false, ActivationFunction.LINEAR),
              new BatchNormalization(),
              new Activation(ActivationFunction.RELU),
              new Dropout(0.5),
              new Dense(10, ActivationFunction.SOFTMAX)));
      return new ModelSpec(seed.name(), seed.inputShape(), layers);
    }

    @Override
    public TrainingConfig config() {
      return TrainingConfig.seedRecipe()
          .withEpochs(AUGMENTED_EPOCHS)
          .withAugmentation(new ImageAugmentation(2, 10, 0.1))
          .withRecipe(cliName());
    }

    @Override
    public LearningRateSchedule schedule(int stepsPerEpoch, int epochs) {
      return new LearningRateSchedule.Exponential(
          TrainingConfig.SEED_LEARNING_RATE, stepsPerEpoch, AUGMENTED_DECAY_RATE);
    }
  };

  /** Epochs of the augmented recipe. */
  public static final int AUGMENTED_EPOCHS = 20;

  /** The augmented recipe's learning rate factor per epoch. */
  public static final float AUGMENTED_DECAY_RATE = 0.85f;

  /** The model this recipe trains from fresh weights. */
  public abstract ModelSpec model();

  /** The recipe's settings, its learning-rate schedule aside (see {@link #schedule}). */
  public abstract TrainingConfig config();

  /**
   * The recipe's learning-rate schedule for a run of {@code epochs} epochs of {@code stepsPerEpoch}
   * steps (a decay per epoch depends on the data's size).
   */
  public LearningRateSchedule schedule(int stepsPerEpoch, int epochs) {
    return config().schedule();
  }

  /** The name {@code --recipe} takes. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
