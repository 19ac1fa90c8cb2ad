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

  @Override
  public String toString() {
    return "IdxArray" + Arrays.toString(dims);
  }
}
