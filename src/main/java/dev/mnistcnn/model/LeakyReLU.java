package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/** Keras {@code LeakyReLU}: {@code x} if positive, else {@code negative_slope * x}. */
public record LeakyReLU(String name, double negativeSlope) implements Layer {

  public LeakyReLU {
    if (!(negativeSlope >= 0)) {
      throw new IllegalArgumentException(
          "expected negative_slope >= 0. Received: negative_slope=" + negativeSlope);
    }
  }

  @Override
  public String kerasClass() {
    return "LeakyReLU";
  }

  @Override
  public LeakyReLU withName(String name) {
    return new LeakyReLU(name, negativeSlope);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    return in;
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    return ctx.tf().nn.leakyRelu(input, LeakyRelu.alpha((float) negativeSlope));
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("negative_slope", negativeSlope);
    return c;
  }

  /** Keras 3 names the slope {@code negative_slope}, Keras 2 {@code alpha}; default 0.3. */
  static LeakyReLU fromConfig(LayerConfig c) {
    double slope =
        c.get("negative_slope") != null ? c.getDouble("negative_slope") : c.getDouble("alpha", 0.3);
    return new LeakyReLU(c.name(), slope);
  }
}
