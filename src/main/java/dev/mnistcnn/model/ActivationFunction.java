package dev.mnistcnn.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The activations the supported layers accept, by their Keras names, each built from the ops
 * Keras's TensorFlow backend uses, so that predictions agree to float rounding.
 */
public enum ActivationFunction {
  LINEAR,
  RELU,
  SIGMOID,
  TANH,
  SOFTMAX,
  ELU,
  SELU,
  /** Keras's {@code gelu} string: the exact form, {@code approximate=False}. */
  GELU,
  /** Keras 3 writes {@code silu}; {@code swish} is its alias. */
  SILU,
  SOFTPLUS;

  /** Other names Keras accepts for an activation. */
  private static final Map<String, ActivationFunction> ALIASES = Map.of("swish", SILU);

  /** The Keras config string, e.g. {@code relu}. */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return switch (this) {
      case LINEAR -> x;
      case RELU -> tf.nn.relu(x);
      case SIGMOID -> tf.math.sigmoid(x);
      case TANH -> tf.math.tanh(x);
      case SOFTMAX -> tf.nn.softmax(x);
      case ELU -> tf.nn.elu(x);
      case SELU -> tf.nn.selu(x);
      case GELU -> gelu(tf, x);
      case SILU -> tf.math.mul(x, tf.math.sigmoid(x));
      case SOFTPLUS -> tf.math.softplus(x);
    };
  }

  /** {@code 0.5 x (1 + erf(x / sqrt 2))}, as TensorFlow's {@code tf.nn.gelu(approximate=False)}. */
  private static Operand<TFloat32> gelu(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> erf = tf.math.erf(tf.math.div(x, tf.constant((float) Math.sqrt(2))));
    return tf.math.mul(tf.math.mul(tf.constant(0.5f), x), tf.math.add(tf.constant(1f), erf));
  }

  /** Parses a Keras activation name; refuses anything else, naming it. */
  public static ActivationFunction fromKerasName(String name) {
    if (ALIASES.containsKey(name)) {
      return ALIASES.get(name);
    }
    return Arrays.stream(values())
        .filter(a -> a.kerasName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unsupported activation '" + name + "'"));
  }
}
