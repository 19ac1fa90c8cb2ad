package dev.mnistcnn.model;

import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The activations the supported layers accept, by their Keras names. */
public enum ActivationFunction {
  LINEAR,
  RELU,
  SOFTMAX;

  /** The Keras config string, e.g. {@code relu}. */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return switch (this) {
      case LINEAR -> x;
      case RELU -> tf.nn.relu(x);
      case SOFTMAX -> tf.nn.softmax(x);
    };
  }

  /** Parses a Keras activation name; refuses anything else, naming it. */
  public static ActivationFunction fromKerasName(String name) {
    return Arrays.stream(values())
        .filter(a -> a.kerasName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unsupported activation '" + name + "'"));
  }
}
