package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras {@code Dropout}: during training zeroes each input with probability {@code rate} and scales
 * the rest by 1 / (1 - rate); the identity at inference.
 */
public record Dropout(String name, double rate) implements Layer {

  public Dropout {
    requireRate(rate);
  }

  public Dropout(double rate) {
    this(null, rate);
  }

  static void requireRate(double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("expected a rate in [0, 1). Received: rate=" + rate);
    }
  }

  @Override
  public String kerasClass() {
    return "Dropout";
  }

  @Override
  public Dropout withName(String name) {
    return new Dropout(name, rate);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    return in;
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    return drop(ctx, input, ctx.tf().shape(input), rate);
  }

  /**
   * Training only: keeps each element of a {@code noiseShape} mask with probability 1 - rate
   * (broadcast over {@code input}) and scales what is kept by 1 / (1 - rate).
   */
  static Operand<TFloat32> drop(
      CallContext ctx, Operand<TFloat32> input, Operand<TInt32> noiseShape, double rate) {
    if (ctx.training() == null || rate == 0) {
      return input;
    }
    Ops tf = ctx.tf();
    Operand<TFloat32> uniform =
        tf.random.randomUniform(
            noiseShape, TFloat32.class, RandomUniform.seed(ctx.seed()), RandomUniform.seed2(1L));
    Operand<TFloat32> keep =
        tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant((float) rate)), TFloat32.class);
    Operand<TFloat32> dropped =
        tf.math.mul(tf.math.mul(input, keep), tf.constant((float) (1 / (1 - rate))));
    return tf.select(ctx.training(), dropped, input);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("rate", rate);
    c.put("seed", null);
    c.put("noise_shape", null);
    return c;
  }

  static Dropout fromConfig(LayerConfig c) {
    c.requireAbsent("noise_shape");
    return new Dropout(c.name(), c.getDouble("rate"));
  }
}
