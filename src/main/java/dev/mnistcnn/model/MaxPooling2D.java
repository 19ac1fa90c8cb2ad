package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Scope;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code MaxPooling2D}: strides equal to the pool size, {@code valid} padding, channels last.
 */
public record MaxPooling2D(String name, int poolHeight, int poolWidth) implements Layer {
  /** The TensorFlow op type this layer builds. */
  public static final String OP_TYPE = "MaxPool";

  public MaxPooling2D {
    Layer.requireDimension("pool_size", poolHeight);
    Layer.requireDimension("pool_size", poolWidth);
  }

  public MaxPooling2D(int poolSize) {
    this(null, poolSize, poolSize);
  }

  @Override
  public String kerasClass() {
    return "MaxPooling2D";
  }

  @Override
  public MaxPooling2D withName(String name) {
    return new MaxPooling2D(name, poolHeight, poolWidth);
  }

  @Override
  public List<Integer> outputShape(List<Integer> in) {
    Shapes.requireRank(this, in, 3);
    int h = in.get(0) / poolHeight;
    int w = in.get(1) / poolWidth;
    if (h <= 0 || w <= 0) {
      throw new IllegalArgumentException(name + ": pool does not fit input " + in);
    }
    return List.of(h, w, in.get(2));
  }

  @Override
  public Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    // The attribute-based MaxPool op, as Python's tf.nn.max_pool2d builds it. TF Java's
    // tf.nn.maxPool builds MaxPoolV2 (window as input tensors), which oneDNN neither rewrites nor
    // speeds up in its gradient: training ran ~1.4x slower with it.
    Scope scope = ctx.tf().scope();
    long[] window = {1, poolHeight, poolWidth, 1};
    Operation pool =
        scope
            .opBuilder(OP_TYPE, "MaxPool")
            .addInput(input.asOutput())
            .setAttr("ksize", window)
            .setAttr("strides", window)
            .setAttr("padding", "VALID")
            .setAttr("data_format", "NHWC")
            .build();
    return pool.output(0);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("pool_size", List.of(poolHeight, poolWidth));
    c.put("padding", "valid");
    c.put("strides", List.of(poolHeight, poolWidth));
    c.put("data_format", "channels_last");
    return c;
  }

  static MaxPooling2D fromConfig(LayerConfig c) {
    c.requireChannelsLast();
    c.require("padding", "valid");
    int[] pool = c.getPair("pool_size", new int[] {2, 2});
    c.requirePair("strides", pool);
    return new MaxPooling2D(c.name(), pool[0], pool[1]);
  }
}
