package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras {@code GlobalAveragePooling2D} and {@code GlobalMaxPooling2D}, channels last: the mean or
 * max over height and width; (1, 1, C) with {@code keepDims} (Keras: keepdims), else (C).
 */
public record GlobalPooling2D(String name, Kind kind, boolean keepDims) implements Layer {

  /** Which reduction, by Keras class. */
  public enum Kind {
    AVERAGE("GlobalAveragePooling2D"),
    MAX("GlobalMaxPooling2D");

    private final String kerasClass;

    Kind(String kerasClass) {
      this.kerasClass = kerasClass;
    }
  }

  public GlobalPooling2D(Kind kind) {
    this(null, kind, false);
  }

  @Override
  public String kerasClass() {
    return kind.kerasClass;
  }

  @Override
  public GlobalPooling2D withName(String name) {
    return new GlobalPooling2D(name, kind, keepDims);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    Shapes.requireRank(this, in, 3);
    return keepDims ? List.of(1, 1, in.get(2)) : List.of(in.get(2));
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    Ops tf = ctx.tf();
    Operand<TInt32> axes = tf.constant(new int[] {1, 2});
    return kind == Kind.AVERAGE
        ? tf.math.mean(input, axes, Mean.keepDims(keepDims))
        : tf.max(input, axes, Max.keepDims(keepDims));
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("data_format", "channels_last");
    c.put("keepdims", keepDims);
    return c;
  }

  static Layer fromConfig(LayerConfig c, Kind kind) {
    c.requireChannelsLast();
    return new GlobalPooling2D(c.name(), kind, c.getBoolean("keepdims", false));
  }
}
