package dev.mnistcnn.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One part of a dataset (train or test): {@code count} grey images of {@code rows x cols} unsigned
 * bytes, row-major, and one label byte per image. Pixels stay bytes (47 MB for the training set,
 * not 188 MB of floats) and become floats in [0, 1] one batch at a time.
 */
@SuppressWarnings("ArrayRecordComponent") // shared, not copied: 47 MB of pixels
public record Split(byte[] pixels, byte[] labels, int count, int rows, int cols) {
  public Split {
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(labels, "labels");
    if (count < 0 || rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException(
          "bad split shape: count=" + count + ", rows=" + rows + ", cols=" + cols);
    }
    if (pixels.length != (long) count * rows * cols || labels.length != count) {
      throw new IllegalArgumentException(
          "split of "
              + count
              + " images of "
              + rows
              + "x"
              + cols
              + " needs "
              + (long) count * rows * cols
              + " pixels and "
              + count
              + " labels, got "
              + pixels.length
              + " and "
              + labels.length);
    }
  }

  /**
   * Builds a split from an images file (3-D) and a labels file (1-D), checking that they agree and
   * that every label is below {@code numClasses}. The names are for error messages.
   */
  public static Split fromIdx(
      IdxArray images, String imagesName, IdxArray labels, String labelsName, int numClasses)
      throws IdxFormatException {
    if (images.dims().length != 3) {
      throw new IdxFormatException(
          "bad images file "
              + imagesName
              + ": expected 3 dimensions (count, rows, cols), found "
              + Arrays.toString(images.dims()));
    }
    if (labels.dims().length != 1) {
      throw new IdxFormatException(
          "bad labels file "
              + labelsName
              + ": expected 1 dimension, found "
              + Arrays.toString(labels.dims()));
    }
    if (images.count() != labels.count()) {
      throw new IdxFormatException(
          imagesName
              + " holds "
              + images.count()
              + " images but "
              + labelsName
              + " holds "
              + labels.count()
              + " labels");
    }
    byte[] labelBytes = labels.data();
    for (int i = 0; i < labelBytes.length; i++) {
      int label = labelBytes[i] & 0xff;
      if (label >= numClasses) {
        throw new IdxFormatException(
            "bad labels file "
                + labelsName
                + ": label "
                + label
                + " at index "
                + i
                + " is not below "
                + numClasses);
      }
    }
    return new Split(images.data(), labelBytes, images.count(), images.dims()[1], images.dims()[2]);
  }

  /** Pixels per image. */
  public int imageSize() {
    return rows * cols;
  }

  public int label(int i) {
    return labels[Objects.checkIndex(i, count)] & 0xff;
  }

  /** Images {@code from .. from+n-1} as floats in [0, 1], in a new array of n*rows*cols. */
  public float[] imagesAsFloats(int from, int n) {
    Objects.checkFromIndexSize(from, n, count);
    float[] dst = new float[n * imageSize()];
    toFloats(from * imageSize(), dst, 0, dst.length);
    return dst;
  }

  /**
   * Writes the images {@code indices[from .. from+n-1]} (a shuffled order, say) as floats in [0, 1]
   * into the first n*rows*cols elements of {@code dst}, so that a training loop can reuse one batch
   * buffer.
   */
  public void copyImagesAsFloats(int[] indices, int from, int n, float[] dst) {
    Objects.checkFromIndexSize(from, n, indices.length);
    int size = imageSize();
    if (dst.length < n * size) {
      throw new IllegalArgumentException(
          "batch buffer holds " + dst.length + " floats, " + n + " images need " + n * size);
    }
    for (int k = 0; k < n; k++) {
      int image = Objects.checkIndex(indices[from + k], count);
      toFloats(image * size, dst, k * size, size);
    }
  }

  /** The first {@code n} images and labels (all of them when n >= count), copied. */
  public Split head(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("cannot take the first " + n + " images");
    }
    int kept = Math.min(n, count);
    return new Split(
        Arrays.copyOf(pixels, kept * imageSize()), Arrays.copyOf(labels, kept), kept, rows, cols);
  }

  private void toFloats(int srcOffset, float[] dst, int dstOffset, int length) {
    GreyLevels.toUnit(pixels, srcOffset, dst, dstOffset, length);
  }

  @Override
  public String toString() {
    return "Split[" + count + " images of " + rows + "x" + cols + "]";
  }
}
