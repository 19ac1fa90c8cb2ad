package dev.mnistcnn.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras {@code BatchNormalization} over the last (channels) axis. Training normalises with the
 * batch's mean and (biased) variance and moves {@code moving_mean}/{@code moving_variance} toward
 * them by {@code 1 - momentum} per step, as Keras 3 does; inference uses the moving statistics.
 * Weights in Keras's order: gamma (when {@code scale}), beta (when {@code center}), then the two
 * non-trainable moving statistics.
 */
public record BatchNormalization(
    String name, int axis, double momentum, double epsilon, boolean center, boolean scale)
    implements Layer {

  public BatchNormalization {
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException(
          "expected a momentum in [0, 1]. Received: momentum=" + momentum);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException(
          "expected a positive epsilon. Received: epsilon=" + epsilon);
    }
  }

  /** Keras's defaults: last axis, momentum 0.99, epsilon 1e-3, with gamma and beta. */
  public BatchNormalization() {
    this(null, -1, 0.99, 1e-3, true, true);
  }

  @Override
  public String kerasClass() {
    return "BatchNormalization";
  }

  @Override
  public BatchNormalization withName(String name) {
    return new BatchNormalization(name, axis, momentum, epsilon, center, scale);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    if (axis != -1 && axis != in.size()) {
      throw new IllegalArgumentException(
          name + ": only the last axis is supported (channels last). Received: axis=" + axis);
    }
    return in;
  }

  @Override
  public List<WeightSpec> weights(List<Integer> in) {
    List<Integer> channels = List.of(in.get(in.size() - 1));
    List<WeightSpec> w = new ArrayList<>();
    if (scale) {
      w.add(new WeightSpec("gamma", channels, Initializer.ONES));
    }
    if (center) {
      w.add(new WeightSpec("beta", channels, Initializer.ZEROS));
    }
    w.add(new WeightSpec("moving_mean", channels, Initializer.ZEROS, false));
    w.add(new WeightSpec("moving_variance", channels, Initializer.ONES, false));
    return w;
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    Ops tf = ctx.tf();
    int i = 0;
    Operand<TFloat32> gamma = scale ? weights.get(i++) : null;
    Operand<TFloat32> beta = center ? weights.get(i++) : null;
    Operand<TFloat32> movingMean = weights.get(i++);
    Operand<TFloat32> movingVariance = weights.get(i);
    Operand<TFloat32> inference = normalize(tf, input, movingMean, movingVariance, gamma, beta);
    if (ctx.training() == null) {
      return inference;
    }
    int rank = input.shape().numDimensions();
    int[] reduce = new int[rank - 1];
    for (int d = 0; d < reduce.length; d++) {
      reduce[d] = d;
    }
    Operand<TInt32> axes = tf.constant(reduce);
    Operand<TFloat32> mean = tf.math.mean(input, axes);
    Operand<TFloat32> variance = tf.math.mean(tf.math.squaredDifference(input, mean), axes);
    ctx.updates().accept(tf.assign(movingMean, movingAverage(tf, movingMean, mean)));
    ctx.updates().accept(tf.assign(movingVariance, movingAverage(tf, movingVariance, variance)));
    Operand<TFloat32> training = normalize(tf, input, mean, variance, gamma, beta);
    return tf.select(ctx.training(), training, inference);
  }

  /** {@code moving * momentum + batch * (1 - momentum)}, Keras's update. */
  private Operand<TFloat32> movingAverage(
      Ops tf, Operand<TFloat32> moving, Operand<TFloat32> batch) {
    return tf.math.add(
        tf.math.mul(moving, tf.constant((float) momentum)),
        tf.math.mul(batch, tf.constant((float) (1 - momentum))));
  }

  /**
   * {@code x * inv + (beta - mean * inv)} with {@code inv = gamma / sqrt(variance + epsilon)}: the
   * arithmetic of {@code tf.nn.batch_normalization}, which Keras's TensorFlow backend calls.
   */
  private Operand<TFloat32> normalize(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> mean,
      Operand<TFloat32> variance,
      Operand<TFloat32> gamma,
      Operand<TFloat32> beta) {
    Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(variance, tf.constant((float) epsilon)));
    if (gamma != null) {
      inv = tf.math.mul(inv, gamma);
    }
    Operand<TFloat32> shift = tf.math.neg(tf.math.mul(mean, inv));
    if (beta != null) {
      shift = tf.math.sub(beta, tf.math.mul(mean, inv));
    }
    return tf.math.add(tf.math.mul(x, inv), shift);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("axis", axis);
    c.put("momentum", momentum);
    c.put("epsilon", epsilon);
    c.put("center", center);
    c.put("scale", scale);
    c.put("beta_initializer", Shapes.initializerConfig(Initializer.ZEROS));
    c.put("gamma_initializer", Shapes.initializerConfig(Initializer.ONES));
    c.put("moving_mean_initializer", Shapes.initializerConfig(Initializer.ZEROS));
    c.put("moving_variance_initializer", Shapes.initializerConfig(Initializer.ONES));
    for (String key : REGULARIZER_KEYS) {
      c.put(key, null);
    }
    return c;
  }

  private static final List<String> REGULARIZER_KEYS =
      List.of("beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");

  static BatchNormalization fromConfig(LayerConfig c) {
    c.requireAbsent(REGULARIZER_KEYS.toArray(String[]::new));
    c.require("renorm", false);
    int axis = c.getAxis("axis", -1);
    return new BatchNormalization(
        c.name(),
        axis,
        c.getDouble("momentum", 0.99),
        c.getDouble("epsilon", 1e-3),
        c.getBoolean("center", true),
        c.getBoolean("scale", true));
  }
}
