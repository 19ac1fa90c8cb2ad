package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Keras {@code Activation}: applies an activation function on its own. */
public record Activation(String name, ActivationFunction activation) implements ActivatedLayer {

  public Activation(ActivationFunction activation) {
    this(null, activation);
  }

  @Override
  public String kerasClass() {
    return "Activation";
  }

  @Override
  public Activation withActivation(ActivationFunction activation) {
    return new Activation(name, activation);
  }

  @Override
  public Activation withName(String name) {
    return new Activation(name, activation);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    return in;
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    return activation.apply(ctx.tf(), input);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("activation", activation.kerasName());
    return c;
  }

  static Activation fromConfig(LayerConfig c) {
    return new Activation(c.name(), c.getActivation("activation"));
  }
}
