package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Scope;
import org.tensorflow.types.TFloat32;

/**
 * The window of a 2-D pooling layer (Keras's {@code pool_size}, {@code strides}, {@code padding}),
 * which MaxPooling2D and AveragePooling2D share with their config keys and their graph op.
 */
public record PoolWindow(Size2D pool, Size2D strides, Padding padding) {

  public PoolWindow {
    pool.requirePositive("pool_size");
    strides.requirePositive("strides");
  }

  /** Strides equal to the pool, valid padding: Keras's defaults. */
  public static PoolWindow of(int poolSize) {
    return new PoolWindow(Size2D.square(poolSize), Size2D.square(poolSize), Padding.VALID);
  }

  List<Integer> outputShape(Layer layer, List<Integer> in) {
    Shapes.requireRank(layer, in, 3);
    Size2D out = padding.output(layer, in.get(0), in.get(1), pool, strides, Size2D.square(1));
    return List.of(out.height(), out.width(), in.get(2));
  }

  /**
   * The attribute-based pooling op ({@code MaxPool}, {@code AvgPool}), as Python's {@code
   * tf.nn.max_pool2d} builds it. TF Java's {@code tf.nn.maxPool} builds MaxPoolV2 (window as input
   * tensors), which oneDNN neither rewrites nor speeds up in its gradient: training ran ~1.4x
   * slower with it.
   */
  Operand<TFloat32> build(CallContext ctx, String opType, Operand<TFloat32> input) {
    Scope scope = ctx.tf().scope();
    Operation op =
        scope
            .opBuilder(opType, opType)
            .addInput(input.asOutput())
            .setAttr("ksize", new long[] {1, pool.height(), pool.width(), 1})
            .setAttr("strides", new long[] {1, strides.height(), strides.width(), 1})
            .setAttr("padding", padding.tfName())
            .setAttr("data_format", "NHWC")
            .build();
    return op.output(0);
  }

  Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("pool_size", pool.toList());
    c.put("padding", padding.kerasName());
    c.put("strides", strides.toList());
    c.put("data_format", "channels_last");
    return c;
  }

  /** Keras's keys; {@code strides} null means the pool size. */
  static PoolWindow fromConfig(LayerConfig c) {
    c.requireChannelsLast();
    int[] pool = c.getPair("pool_size", new int[] {2, 2});
    return new PoolWindow(Size2D.of(pool), Size2D.of(c.getPair("strides", pool)), c.getPadding());
  }
}
