package dev.mnistcnn.model;

import java.util.Locale;

/** Keras's {@code padding} of convolutions and pooling, and the output size it gives. */
public enum Padding {
  VALID,
  SAME;

  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The TensorFlow op attribute, {@code VALID} or {@code SAME}. */
  public String tfName() {
    return name();
  }

  static Padding fromKerasName(String name) {
    for (Padding p : values()) {
      if (p.kerasName().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unsupported padding '" + name + "'");
  }

  /**
   * Output length along one axis, as Keras's {@code compute_conv_output_shape}: valid keeps the
   * positions where the (dilated) window fits, same pads so that every stride-th position stays.
   */
  int outputLength(int in, int window, int stride, int dilation) {
    if (this == SAME) {
      return (in + stride - 1) / stride;
    }
    long span = (window - 1L) * dilation + 1; // up to 2^32: long
    return in < span ? 0 : (int) ((in - span) / stride + 1);
  }

  /** Output (h, w) for an input (h, w); throws, naming {@code layer}, when nothing fits. */
  Size2D output(Layer layer, int h, int w, Size2D window, Size2D strides, Size2D dilation) {
    int oh = outputLength(h, window.height(), strides.height(), dilation.height());
    int ow = outputLength(w, window.width(), strides.width(), dilation.width());
    if (oh <= 0 || ow <= 0) {
      throw new IllegalArgumentException(
          layer.name()
              + ": window "
              + window.height()
              + "x"
              + window.width()
              + " does not fit input "
              + h
              + "x"
              + w);
    }
    return new Size2D(oh, ow);
  }
}
