package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Keras {@code Flatten}, channels last: a row-major reshape, index = (h*W + w)*C + c. */
public record Flatten(String name) implements Layer {

  public Flatten() {
    this(null);
  }

  @Override
  public String kerasClass() {
    return "Flatten";
  }

  @Override
  public Flatten withName(String name) {
    return new Flatten(name);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    return List.of(in.stream().reduce(1, Math::multiplyExact));
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    var tf = ctx.tf();
    return tf.reshape(input, tf.constant(new int[] {-1, outputShapeFrom(input)}));
  }

  private static int outputShapeFrom(Operand<TFloat32> input) {
    long n = 1;
    for (int i = 1; i < input.shape().numDimensions(); i++) {
      n *= input.shape().get(i);
    }
    return Math.toIntExact(n);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("data_format", "channels_last");
    return c;
  }

  static Flatten fromConfig(LayerConfig c) {
    c.requireChannelsLast();
    return new Flatten(c.name());
  }
}
