package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras {@code Rescaling}: {@code x * scale + offset}, scalar scale and offset. */
public record Rescaling(String name, double scale, double offset) implements Layer {

  @Override
  public String kerasClass() {
    return "Rescaling";
  }

  @Override
  public Rescaling withName(String name) {
    return new Rescaling(name, scale, offset);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    return in;
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    Ops tf = ctx.tf();
    return tf.math.add(tf.math.mul(input, tf.constant((float) scale)), tf.constant((float) offset));
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("scale", scale);
    c.put("offset", offset);
    return c;
  }

  static Rescaling fromConfig(LayerConfig c) {
    return new Rescaling(c.name(), c.getDouble("scale"), c.getDouble("offset", 0));
  }
}
