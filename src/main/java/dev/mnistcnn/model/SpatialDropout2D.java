package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras {@code SpatialDropout2D}, channels last: during training drops whole feature maps (one draw
 * per image and channel, noise shape (N, 1, 1, C)); the identity at inference.
 */
public record SpatialDropout2D(String name, double rate) implements Layer {

  public SpatialDropout2D {
    Dropout.requireRate(rate);
  }

  @Override
  public String kerasClass() {
    return "SpatialDropout2D";
  }

  @Override
  public SpatialDropout2D withName(String name) {
    return new SpatialDropout2D(name, rate);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    Shapes.requireRank(this, in, 3);
    return in;
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    if (ctx.training() == null) {
      return input;
    }
    Ops tf = ctx.tf();
    Operand<TInt32> shape = tf.shape(input);
    Operand<TInt32> noiseShape =
        tf.concat(
            List.of(
                tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1})),
                tf.constant(new int[] {1, 1}),
                tf.slice(shape, tf.constant(new int[] {3}), tf.constant(new int[] {1}))),
            tf.constant(0));
    return Dropout.drop(ctx, input, noiseShape, rate);
  }

  @Override
  public boolean takesTrainableKey() {
    return false;
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("rate", rate);
    c.put("seed", null);
    return c;
  }

  static SpatialDropout2D fromConfig(LayerConfig c) {
    c.requireChannelsLast();
    return new SpatialDropout2D(c.name(), c.getDouble("rate"));
  }
}
