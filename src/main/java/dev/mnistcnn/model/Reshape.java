package dev.mnistcnn.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code Reshape}: a row-major reshape to {@code target_shape} (without the batch); one
 * dimension may be -1, inferred from the input size.
 */
public record Reshape(String name, List<Integer> targetShape) implements Layer {

  public Reshape {
    targetShape = List.copyOf(targetShape);
    if (targetShape.isEmpty()) {
      throw new IllegalArgumentException("expected a non-empty target_shape");
    }
    int unknown = 0;
    for (int d : targetShape) {
      if (d == -1) {
        unknown++;
      } else {
        Layer.requireDimension("target_shape", d);
      }
    }
    if (unknown > 1) {
      throw new IllegalArgumentException(
          "at most one -1 is allowed in target_shape. Received: target_shape=" + targetShape);
    }
  }

  @Override
  public String kerasClass() {
    return "Reshape";
  }

  @Override
  public Reshape withName(String name) {
    return new Reshape(name, targetShape);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    long size = in.stream().mapToLong(Integer::longValue).reduce(1, Math::multiplyExact);
    long known =
        targetShape.stream().filter(d -> d != -1).mapToLong(d -> d).reduce(1, (a, b) -> a * b);
    List<Integer> out = new ArrayList<>(targetShape);
    int unknown = out.indexOf(-1);
    if (unknown >= 0 && known > 0 && size % known == 0) {
      out.set(unknown, Math.toIntExact(size / known));
    }
    if (unknown >= 0 ? size % known != 0 : known != size) {
      throw new IllegalArgumentException(
          name + ": cannot reshape input " + in + " (" + size + " values) to " + targetShape);
    }
    return List.copyOf(out);
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    var tf = ctx.tf();
    int[] dims = new int[targetShape.size() + 1];
    dims[0] = -1;
    for (int i = 0; i < targetShape.size(); i++) {
      dims[i + 1] = targetShape.get(i) == -1 ? resolved(input, i) : targetShape.get(i);
    }
    return tf.reshape(input, tf.constant(dims));
  }

  /** The inferred size of the -1 at {@code index}, from the input's static shape. */
  private int resolved(Operand<TFloat32> input, int index) {
    List<Integer> in = new ArrayList<>();
    for (int i = 1; i < input.shape().numDimensions(); i++) {
      in.add(Math.toIntExact(input.shape().get(i)));
    }
    return outputShape(in).get(index);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("target_shape", targetShape);
    return c;
  }

  static Reshape fromConfig(LayerConfig c) {
    return new Reshape(c.name(), c.getIntList("target_shape"));
  }
}
