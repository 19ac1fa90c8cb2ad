package dev.mnistcnn.inference;

/**
 * Resizes gray images separably, axis by axis: area averaging when shrinking (every source pixel
 * contributes in proportion to its overlap, so thin strokes fade instead of vanishing or aliasing
 * as with nearest neighbour), bilinear interpolation when enlarging.
 */
final class Resampler {
  private Resampler() {}

  static GrayImage resize(GrayImage source, int width, int height) {
    if (width == source.width && height == source.height) {
      return new GrayImage(width, height, source.pixels.clone());
    }
    Taps columns = Taps.of(source.width, width);
    Taps rows = Taps.of(source.height, height);
    GrayImage horizontal = new GrayImage(width, source.height);
    for (int y = 0; y < source.height; y++) {
      columns.apply(source.pixels, y * source.width, 1, horizontal.pixels, y * width, 1);
    }
    GrayImage out = new GrayImage(width, height);
    for (int x = 0; x < width; x++) {
      rows.apply(horizontal.pixels, x, width, out.pixels, x, width);
    }
    return out;
  }

  /** For each output index along one axis: the first source index and the weights from there. */
  @SuppressWarnings("ArrayRecordComponent") // precomputed tables, never compared
  private record Taps(int[] first, float[][] weights) {

    static Taps of(int sourceLength, int targetLength) {
      double scale = (double) sourceLength / targetLength;
      int[] first = new int[targetLength];
      float[][] weights = new float[targetLength][];
      for (int o = 0; o < targetLength; o++) {
        if (scale >= 1) {
          area(o * scale, (o + 1) * scale, sourceLength, o, first, weights);
        } else {
          bilinear((o + 0.5) * scale - 0.5, sourceLength, o, first, weights);
        }
      }
      return new Taps(first, weights);
    }

    private static void area(
        double start, double end, int length, int o, int[] first, float[][] weights) {
      int from = (int) Math.floor(start);
      int to = Math.min(length, (int) Math.ceil(end));
      float[] w = new float[to - from];
      for (int i = from; i < to; i++) {
        w[i - from] = (float) ((Math.min(end, i + 1) - Math.max(start, i)) / (end - start));
      }
      first[o] = from;
      weights[o] = w;
    }

    private static void bilinear(double at, int length, int o, int[] first, float[][] weights) {
      double clamped = Math.max(0, Math.min(length - 1, at));
      int left = Math.min((int) Math.floor(clamped), Math.max(0, length - 2));
      float right = (float) (clamped - left);
      first[o] = left;
      weights[o] = length == 1 ? new float[] {1f} : new float[] {1 - right, right};
    }

    void apply(float[] src, int srcStart, int srcStride, float[] dst, int dstStart, int dstStride) {
      for (int o = 0; o < first.length; o++) {
        float[] w = weights[o];
        int s = srcStart + first[o] * srcStride;
        float sum = 0;
        for (float wi : w) {
          sum += wi * src[s];
          s += srcStride;
        }
        dst[dstStart + o * dstStride] = sum;
      }
    }
  }
}
