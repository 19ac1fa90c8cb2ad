package dev.mnistcnn.graph;

import java.util.Arrays;

/**
 * A copy of one float variable's value, row-major, with its shape.
 *
 * @param shape the dimensions (empty for a scalar)
 * @param values exactly {@code product(shape)} numbers
 */
@SuppressWarnings("ArrayRecordComponent") // equals and hashCode below compare the contents
public record VariableValue(long[] shape, float[] values) {
  public VariableValue {
    long size = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      size = Math.multiplyExact(size, d);
    }
    if (size != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + size + " values, got " + values.length);
    }
  }

  /** Same shape and bit-identical numbers (NaNs included), unlike record equality on arrays. */
  public boolean sameAs(VariableValue other) {
    return Arrays.equals(shape, other.shape) && Arrays.equals(values, other.values);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VariableValue v && sameAs(v);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "VariableValue" + Arrays.toString(shape);
  }
}
