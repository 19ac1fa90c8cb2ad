package dev.mnistcnn.graph;

import java.util.List;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Copies between Java arrays and tensors. Callers own (and close) the tensors returned. */
public final class Tensors {
  private Tensors() {}

  /** A float tensor holding a copy of {@code values} with the given shape. */
  public static TFloat32 floats(float[] values, long... shape) {
    Shape s = Shape.of(shape);
    if (s.size() != values.length) {
      throw new IllegalArgumentException(
          "shape " + s + " needs " + s.size() + " values, got " + values.length);
    }
    return TFloat32.tensorOf(s, DataBuffers.of(values, true, false));
  }

  /** As {@link #floats(float[], long...)}, with a Keras-style shape list. */
  public static TFloat32 floats(float[] values, List<Integer> shape) {
    return floats(values, shape.stream().mapToLong(Integer::longValue).toArray());
  }

  public static TInt32 ints(int[] values) {
    return TInt32.tensorOf(Shape.of(values.length), DataBuffers.of(values, true, false));
  }

  /** All values of a float tensor, row-major. */
  public static float[] toArray(TFloat32 tensor) {
    long n = tensor.shape().size();
    float[] out = new float[Math.toIntExact(n)];
    tensor.copyTo(DataBuffers.of(out, false, false));
    return out;
  }
}
