package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code ReLU} layer: {@code max(x, 0)}, capped at {@code max_value} when set. Keras's {@code
 * negative_slope} and {@code threshold} are refused unless 0 ({@code LeakyReLU} is the leaky one).
 */
public record ReLU(String name, Double maxValue) implements Layer {

  public ReLU {
    if (maxValue != null && !(maxValue >= 0)) {
      throw new IllegalArgumentException(
          "expected max_value >= 0. Received: max_value=" + maxValue);
    }
  }

  @Override
  public String kerasClass() {
    return "ReLU";
  }

  @Override
  public ReLU withName(String name) {
    return new ReLU(name, maxValue);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    return in;
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    Ops tf = ctx.tf();
    Operand<TFloat32> relu = tf.nn.relu(input);
    return maxValue == null ? relu : tf.math.minimum(relu, tf.constant(maxValue.floatValue()));
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("max_value", maxValue);
    c.put("negative_slope", 0.0);
    c.put("threshold", 0.0);
    return c;
  }

  static ReLU fromConfig(LayerConfig c) {
    c.require("negative_slope", 0.0);
    c.require("threshold", 0.0);
    Object max = c.get("max_value");
    return new ReLU(c.name(), max == null ? null : c.getDouble("max_value"));
  }
}
