package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Keras {@code Softmax} layer over the last axis. As a last layer it gives the trainer logits. */
public record Softmax(String name) implements Layer {

  @Override
  public String kerasClass() {
    return "Softmax";
  }

  @Override
  public Softmax withName(String name) {
    return new Softmax(name);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    return in;
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    return ctx.tf().nn.softmax(input);
  }

  @Override
  public boolean endsWithSoftmax() {
    return true;
  }

  @Override
  public Layer withoutSoftmax() {
    return new Activation(name, ActivationFunction.LINEAR);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("axis", -1);
    return c;
  }

  static Softmax fromConfig(LayerConfig c) {
    int axis = c.getAxis("axis", -1);
    if (axis != -1) {
      throw new IllegalArgumentException(
          "layer '" + c.name() + "' (Softmax): only axis=-1 is supported. Received: axis=" + axis);
    }
    return new Softmax(c.name());
  }
}
