package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras {@code ZeroPadding2D}, channels last: zero rows on top/bottom, columns left/right. */
public record ZeroPadding2D(String name, int top, int bottom, int left, int right)
    implements Layer {

  public ZeroPadding2D {
    for (int p : new int[] {top, bottom, left, right}) {
      if (p < 0 || p > MAX_DIMENSION) {
        throw new IllegalArgumentException(
            "expected paddings in [0, " + MAX_DIMENSION + "]. Received: padding=" + p);
      }
    }
  }

  @Override
  public String kerasClass() {
    return "ZeroPadding2D";
  }

  @Override
  public ZeroPadding2D withName(String name) {
    return new ZeroPadding2D(name, top, bottom, left, right);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    Shapes.requireRank(this, in, 3);
    return List.of(
        Layer.requireDimension("padded height", in.get(0) + top + bottom),
        Layer.requireDimension("padded width", in.get(1) + left + right),
        in.get(2));
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    Ops tf = ctx.tf();
    int[][] paddings = {{0, 0}, {top, bottom}, {left, right}, {0, 0}};
    return tf.pad(input, tf.constant(paddings), tf.constant(0f));
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("padding", List.of(List.of(top, bottom), List.of(left, right)));
    c.put("data_format", "channels_last");
    return c;
  }

  static ZeroPadding2D fromConfig(LayerConfig c) {
    c.requireChannelsLast();
    int[][] p = c.getPairOfPairs("padding", 1);
    return new ZeroPadding2D(c.name(), p[0][0], p[0][1], p[1][0], p[1][1]);
  }
}
