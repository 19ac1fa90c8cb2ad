package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Keras {@code Dense}: {@code activation(x @ kernel + bias)}, kernel (in, out). */
public record Dense(String name, int units, boolean useBias, ActivationFunction activation)
    implements ActivatedLayer {

  public Dense {
    Layer.requireDimension("units", units);
  }

  public Dense(int units, ActivationFunction activation) {
    this(null, units, true, activation);
  }

  @Override
  public String kerasClass() {
    return "Dense";
  }

  @Override
  public Dense withActivation(ActivationFunction activation) {
    return new Dense(name, units, useBias, activation);
  }

  @Override
  public Dense withName(String name) {
    return new Dense(name, units, useBias, activation);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    Shapes.requireRank(this, in, 1);
    return List.of(units);
  }

  @Override
  public List<WeightSpec> weights(List<Integer> in) {
    WeightSpec kernel =
        new WeightSpec("kernel", List.of(in.get(0), units), Initializer.GLOROT_UNIFORM);
    return useBias
        ? List.of(kernel, new WeightSpec("bias", List.of(units), Initializer.ZEROS))
        : List.of(kernel);
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    var tf = ctx.tf();
    Operand<TFloat32> product = tf.linalg.matMul(input, weights.get(0));
    return activation.apply(tf, useBias ? tf.nn.biasAdd(product, weights.get(1)) : product);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("units", units);
    Shapes.putWeightedLayerConfig(c, activation, useBias);
    return c;
  }

  static Dense fromConfig(LayerConfig c) {
    c.requireNoRegularizers();
    c.requireAbsent("lora_rank");
    return new Dense(
        c.name(), c.getInt("units"), c.getBoolean("use_bias", true), c.getActivation("activation"));
  }
}
