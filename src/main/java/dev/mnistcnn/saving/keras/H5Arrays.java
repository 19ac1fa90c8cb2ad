package dev.mnistcnn.saving.keras;

import dev.mnistcnn.model.ModelWeights;
import io.jhdf.api.Dataset;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Weights between our row-major {@code float[]} and HDF5: jhdf writes nested Java arrays ({@code
 * float[5][5][1][32]}) and reads back flat ones. Every read checks the dataset's shape against the
 * one the model spec expects.
 */
final class H5Arrays {
  private H5Arrays() {}

  /** {@code values} as a nested array of {@code shape} (a scalar shape is not used by weights). */
  static Object nest(float[] values, List<Integer> shape) {
    int[] dims = shape.stream().mapToInt(Integer::intValue).toArray();
    Object nested = Array.newInstance(float.class, dims);
    fill(nested, values, 0, dims, 0);
    return nested;
  }

  private static int fill(Object array, float[] values, int offset, int[] dims, int depth) {
    if (depth == dims.length - 1) {
      System.arraycopy(values, offset, array, 0, dims[depth]);
      return offset + dims[depth];
    }
    for (int i = 0; i < dims[depth]; i++) {
      offset = fill(Array.get(array, i), values, offset, dims, depth + 1);
    }
    return offset;
  }

  /**
   * The values of a float dataset, row-major, after checking its shape.
   *
   * @param what names the weight in errors, e.g. {@code layer 'conv2d' kernel}
   */
  static float[] read(Dataset dataset, List<Integer> expectedShape, String what) {
    int[] dims = dataset.getDimensions();
    int[] expected = expectedShape.stream().mapToInt(Integer::intValue).toArray();
    if (!Arrays.equals(dims, expected)) {
      throw new IllegalArgumentException(
          what
              + ": dataset "
              + dataset.getPath()
              + " has shape "
              + Arrays.toString(dims)
              + ", expected "
              + Arrays.toString(expected));
    }
    Object flat = dataset.getDataFlat();
    if (flat instanceof float[] f) {
      return f;
    }
    if (flat instanceof double[] d) {
      // float64 weights (possible in hand-made files) are narrowed as Keras would on load.
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return f;
    }
    throw new IllegalArgumentException(
        what
            + ": dataset "
            + dataset.getPath()
            + " holds "
            + dataset.getJavaType().getSimpleName()
            + " values, expected float32");
  }

  /** jhdf's writer is alpha: a written file must read back to exactly the weights written. */
  static void requireSame(ModelWeights written, ModelWeights readBack, Path file)
      throws IOException {
    for (var e : written.values().entrySet()) {
      if (!Arrays.equals(e.getValue(), readBack.get(e.getKey()))) {
        throw new IOException("written " + file + " reads back a different " + e.getKey());
      }
    }
  }
}
