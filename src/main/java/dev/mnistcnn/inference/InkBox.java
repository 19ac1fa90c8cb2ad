package dev.mnistcnn.inference;

/**
 * Finds the digit in an ink map: removes specks (small 8-connected blobs of ink well apart from the
 * strokes), then bounds what is left, refusing ink too small to be a digit.
 */
record InkBox(int x, int y, int width, int height) {
  /** Blobs with fewer pixels than this share of the largest blob are specks of noise or dust. */
  static final double SPECK_SHARE_OF_LARGEST = 0.03;

  /** A digit spans at least this many pixels... */
  static final int MIN_SPAN_PIXELS = 3;

  /** ...and at least this share of the image's shorter side (it is the subject of the picture). */
  static final double MIN_SPAN_SHARE = 0.05;

  /** Bounds the digit in {@code ink}, zeroing the specks it removes (in place). */
  static InkBox find(GrayImage ink) throws NoDigitFoundException {
    int[] labels = new int[ink.pixels.length];
    int[] sizes = label(ink, labels);
    int largest = 0;
    for (int size : sizes) {
      largest = Math.max(largest, size);
    }
    int minSize = (int) Math.ceil(SPECK_SHARE_OF_LARGEST * largest);
    int x0 = ink.width;
    int y0 = ink.height;
    int x1 = -1;
    int y1 = -1;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == 0) {
        continue;
      }
      if (sizes[labels[i]] < minSize) {
        ink.pixels[i] = 0;
        continue;
      }
      int x = i % ink.width;
      int y = i / ink.width;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
    int span = Math.max(x1 - x0 + 1, y1 - y0 + 1);
    if (x1 < 0
        || span < MIN_SPAN_PIXELS
        || span < MIN_SPAN_SHARE * Math.min(ink.width, ink.height)) {
      throw new NoDigitFoundException();
    }
    return new InkBox(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
  }

  /** Labels 8-connected blobs of non-zero ink 1, 2, ...; returns their sizes indexed by label. */
  private static int[] label(GrayImage ink, int[] labels) {
    int w = ink.width;
    int h = ink.height;
    int[] sizes = new int[16];
    int[] stack = new int[64];
    int next = 1;
    for (int seed = 0; seed < labels.length; seed++) {
      if (ink.pixels[seed] == 0 || labels[seed] != 0) {
        continue;
      }
      if (next == sizes.length) {
        sizes = java.util.Arrays.copyOf(sizes, 2 * next);
      }
      int size = 0;
      int top = 0;
      stack[top++] = seed;
      labels[seed] = next;
      while (top > 0) {
        int p = stack[--top];
        size++;
        int px = p % w;
        int py = p / w;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int nx = px + dx;
            int ny = py + dy;
            if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
              continue;
            }
            int q = ny * w + nx;
            if (ink.pixels[q] != 0 && labels[q] == 0) {
              labels[q] = next;
              if (top == stack.length) {
                stack = java.util.Arrays.copyOf(stack, 2 * top);
              }
              stack[top++] = q;
            }
          }
        }
      }
      sizes[next++] = size;
    }
    return sizes;
  }
}
