package dev.mnistcnn.model;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * One Keras layer, as a pure value. Its record components are its Keras config; {@link #weights}
 * plays Keras's {@code build} (weights are known only once the input shape is), {@link #call} its
 * {@code call}, {@link #config} its {@code get_config}. Shapes exclude the batch dimension.
 */
public sealed interface Layer
    permits ActivatedLayer,
        BatchNormalization,
        Dropout,
        Flatten,
        GlobalPooling2D,
        LeakyReLU,
        Pooling2D,
        ReLU,
        Rescaling,
        Reshape,
        Softmax,
        SpatialDropout2D,
        ZeroPadding2D {

  /** Unique name inside the model, e.g. {@code conv2d_1}; also the weight path prefix. */
  String name();

  /** Keras class name, e.g. {@code Conv2D}. */
  String kerasClass();

  /** The same layer under another name (names are assigned by {@link ModelSpec}). */
  Layer withName(String name);

  /**
   * Output shape for an input shape (both without the batch dimension); throws if it does not fit.
   */
  List<Integer> outputShape(List<Integer> inputShape);

  /** The weights this layer creates for an input shape, in Keras's order (kernel, then bias). */
  default List<WeightSpec> weights(List<Integer> inputShape) {
    return List.of();
  }

  /** Builds the forward pass; {@code weights} follow the order of {@link #weights}. */
  Operand<TFloat32> call(CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights);

  /** Layer-specific Keras config keys (name, trainable and dtype are added by the Keras codec). */
  Map<String, Object> config();

  /**
   * Whether Keras's constructor of this class takes {@code trainable}, which the Keras codec writes
   * for every layer otherwise ({@code SpatialDropout2D}'s refuses it).
   */
  default boolean takesTrainableKey() {
    return true;
  }

  /** True when this layer's output is a softmax; the graph then also exposes its logits. */
  default boolean endsWithSoftmax() {
    return false;
  }

  /**
   * This layer with its final softmax removed, giving logits; only when {@link #endsWithSoftmax}.
   */
  default Layer withoutSoftmax() {
    throw new IllegalStateException(name() + " does not end with a softmax");
  }

  /** Snake-case class name Keras uses for default layer names and weight groups. */
  default String kerasSnakeName() {
    return Names.snakeCase(kerasClass());
  }

  /**
   * Largest size of one dimension (units, filters, kernel, input side) a model file may ask for.
   */
  int MAX_DIMENSION = 65_536;

  /**
   * A size from a model file: positive and small enough that memory, not the file, is the limit.
   */
  static int requireDimension(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(
          "expected a positive integer. Received: " + what + "=" + value);
    }
    if (value > MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "expected at most " + MAX_DIMENSION + ". Received: " + what + "=" + value);
    }
    return value;
  }
}
