package dev.mnistcnn.model;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The windowed 2-D pooling layers: a {@link PoolWindow} and the attribute-based TensorFlow op they
 * build, channels last. They differ only in that op.
 */
public sealed interface Pooling2D extends Layer permits MaxPooling2D, AveragePooling2D {
  PoolWindow window();

  /** The TensorFlow op type built, {@code MaxPool} or {@code AvgPool}. */
  String opType();

  @Override
  default List<Integer> outputShape(List<Integer> in) {
    return window().outputShape(this, in);
  }

  @Override
  default Operand<TFloat32> call(
      CallContext ctx, Operand<TFloat32> input, List<Operand<TFloat32>> weights) {
    return window().build(ctx, opType(), input);
  }

  @Override
  default Map<String, Object> config() {
    return window().config();
  }
}
