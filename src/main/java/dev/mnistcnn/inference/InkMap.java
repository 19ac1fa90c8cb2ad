package dev.mnistcnn.inference;

import java.util.Arrays;

/**
 * Turns luminance into MNIST-style ink: background 0, strokes near 1, whatever the polarity
 * (dark-on-light or light-on-dark), tint or exposure of the original.
 */
final class InkMap {
  /**
   * Least difference between the background and the strongest ink (a fifth of full scale) for the
   * image to hold anything; JPEG noise and paper texture on a blank page stay well below it.
   */
  static final float MIN_CONTRAST = 0.2f;

  /**
   * Ink fainter than this (after normalisation) is noise and becomes background: JPEG ringing and
   * paper grain sit below it, while MNIST keeps all but its faintest anti-aliased edge pixels.
   */
  static final float NOISE_FLOOR = 0.08f;

  /** Pixels with at least this share of the peak ink count as strokes when gauging stroke level. */
  private static final float STROKE_SHARE_OF_PEAK = 0.25f;

  /**
   * Stroke level = this quantile of stroke pixels, mapped to 1. A high quantile rather than the
   * maximum, so a few overshooting JPEG pixels do not dim the whole digit.
   */
  private static final float STROKE_QUANTILE = 0.9f;

  private static final int HISTOGRAM_BINS = 1024;

  private InkMap() {}

  /** The ink of {@code luminance}, a new image; throws if there is no contrast at all. */
  static GrayImage of(GrayImage luminance) throws NoDigitFoundException {
    float background = borderMedian(luminance);
    boolean darkOnLight = background > 0.5f;
    float[] ink = new float[luminance.pixels.length];
    float peak = 0;
    for (int i = 0; i < ink.length; i++) {
      float l = luminance.pixels[i];
      ink[i] = Math.max(0, darkOnLight ? background - l : l - background);
      peak = Math.max(peak, ink[i]);
    }
    if (peak < MIN_CONTRAST) {
      throw new NoDigitFoundException();
    }
    float strokeLevel = strokeLevel(ink, peak);
    for (int i = 0; i < ink.length; i++) {
      float v = Math.min(1, ink[i] / strokeLevel);
      ink[i] = v < NOISE_FLOOR ? 0 : v;
    }
    return new GrayImage(luminance.width, luminance.height, ink);
  }

  /** The background is what most of the border shows; a digit rarely covers half of it. */
  static float borderMedian(GrayImage image) {
    int w = image.width;
    int h = image.height;
    float[] border = new float[h == 1 || w == 1 ? w * h : 2 * w + 2 * (h - 2)];
    int n = 0;
    for (int x = 0; x < w; x++) {
      border[n++] = image.get(x, 0);
      if (h > 1) {
        border[n++] = image.get(x, h - 1);
      }
    }
    for (int y = 1; y < h - 1; y++) {
      border[n++] = image.get(0, y);
      if (w > 1) {
        border[n++] = image.get(w - 1, y);
      }
    }
    Arrays.sort(border, 0, n);
    return border[n / 2];
  }

  private static float strokeLevel(float[] ink, float peak) {
    int[] histogram = new int[HISTOGRAM_BINS];
    int strokes = 0;
    for (float v : ink) {
      if (v >= STROKE_SHARE_OF_PEAK * peak) {
        histogram[Math.min(HISTOGRAM_BINS - 1, (int) (v / peak * HISTOGRAM_BINS))]++;
        strokes++;
      }
    }
    int below = 0;
    for (int bin = 0; bin < HISTOGRAM_BINS; bin++) {
      below += histogram[bin];
      if (below >= STROKE_QUANTILE * strokes) {
        return peak * (bin + 1) / HISTOGRAM_BINS;
      }
    }
    return peak;
  }
}
