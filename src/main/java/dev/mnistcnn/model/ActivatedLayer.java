package dev.mnistcnn.model;

/**
 * A layer whose output passes through an activation ({@code Conv2D}, {@code Dense}, {@code
 * Activation}); the softmax-to-logits swap the trainer needs lives here once.
 */
public sealed interface ActivatedLayer extends Layer permits Conv2D, Dense, Activation {
  ActivationFunction activation();

  /** The same layer with another activation. */
  ActivatedLayer withActivation(ActivationFunction activation);

  @Override
  default boolean endsWithSoftmax() {
    return activation() == ActivationFunction.SOFTMAX;
  }

  @Override
  default Layer withoutSoftmax() {
    if (!endsWithSoftmax()) {
      throw new IllegalStateException(name() + " does not end with a softmax");
    }
    return withActivation(ActivationFunction.LINEAR);
  }
}
