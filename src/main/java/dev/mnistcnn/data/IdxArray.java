package dev.mnistcnn.data;

import java.util.Arrays;

/**
 * The contents of an unsigned-byte IDX file: its dimensions and its data, row-major. The arrays are
 * shared, not copied (the data of a training set is 47 MB).
 */
@SuppressWarnings("ArrayRecordComponent") // shared, not copied (see above)
public record IdxArray(int[] dims, byte[] data) {
  public IdxArray {
    if (dims.length == 0) {
      throw new IllegalArgumentException("an IDX array needs at least one dimension");
    }
    long size = 1;
    for (int d : dims) {
      size *= d;
    }
    if (size != data.length) {
      throw new IllegalArgumentException(
          "dimensions " + Arrays.toString(dims) + " need " + size + " bytes, got " + data.length);
    }
  }

  /** Number of items: the first dimension. */
  public int count() {
    return dims[0];
  }

  /** Bytes per item: the product of the dimensions after the first (1 for a label file). */
  public int itemSize() {
    int size = 1;
    for (int i = 1; i < dims.length; i++) {
      size *= dims[i];
    }
    return size;
  }

  /**
   * Records {@code from} to {@code from + count - 1} of an image file ({@code [n, 28, 28]} unsigned
   * bytes), scaled to [0, 1] as in training ({@link GreyLevels}), end to end.
   */
  public float[] imagesAsFloats(int from, int count) {
    int side = DatasetKind.IMAGE_SIDE;
    if (dims.length != 3 || dims[1] != side || dims[2] != side) {
      throw new IllegalArgumentException(
          "IDX file does not hold 28x28 images (dimensions " + Arrays.toString(dims) + ")");
    }
    if (from < 0 || count < 1 || (long) from + count > dims[0]) {
      throw new IllegalArgumentException(
          "records " + from + ".." + ((long) from + count - 1) + " outside 0.." + (dims[0] - 1));
    }
    int size = side * side;
    float[] out = new float[count * size];
    GreyLevels.toUnit(data, from * size, out, 0, out.length);
    return out;
  }

  @Override
  public String toString() {
    return "IdxArray" + Arrays.toString(dims);
  }
}
