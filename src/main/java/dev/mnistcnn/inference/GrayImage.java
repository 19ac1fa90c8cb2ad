package dev.mnistcnn.inference;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;

/**
 * A mutable grayscale image of floats, row-major, usually in [0, 1]. The working representation of
 * every preprocessing step: plain arrays, no colour models.
 */
final class GrayImage {
  final int width;
  final int height;
  final float[] pixels;

  GrayImage(int width, int height) {
    this(width, height, new float[Math.multiplyExact(width, height)]);
  }

  GrayImage(int width, int height, float[] pixels) {
    if (width <= 0 || height <= 0 || pixels.length != width * height) {
      throw new IllegalArgumentException(
          width + "x" + height + " image with " + pixels.length + " pixels");
    }
    this.width = width;
    this.height = height;
    this.pixels = pixels;
  }

  float get(int x, int y) {
    return pixels[y * width + x];
  }

  void set(int x, int y, float value) {
    pixels[y * width + x] = value;
  }

  /**
   * Luminance (Rec. 601 weights on the stored sRGB values) of {@code image}.
   *
   * <p>Transparency: transparent pixels are background. Translucent pixels are composited over a
   * backdrop that contrasts with the visible (opaque) content: white behind dark strokes, black
   * behind light strokes. Compositing over a fixed white would make a white-on-transparent drawing
   * vanish; over a fixed black, the common black-on-transparent one would.
   */
  static GrayImage luminance(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    float[] gray = new float[Math.multiplyExact(w, h)];
    float[] alpha = image.getColorModel().hasAlpha() ? new float[gray.length] : null;
    if (isPlainGray(image)) {
      readGraySamples(image.getRaster(), gray, alpha);
    } else {
      readRgb(image, gray, alpha);
    }
    if (alpha != null) {
      compositeOverContrastingBackdrop(gray, alpha);
    }
    return new GrayImage(w, h, gray);
  }

  /**
   * Gray images are read from their samples: {@code getRGB} would treat Java's gray colour space as
   * linear and brighten every mid-tone (128 becomes 188), so a PNG's stored values would change.
   */
  private static boolean isPlainGray(BufferedImage image) {
    return image.getColorModel() instanceof ComponentColorModel
        && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
  }

  private static void readGraySamples(Raster raster, float[] gray, float[] alpha) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    float grayMax = (1L << raster.getSampleModel().getSampleSize(0)) - 1;
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        gray[y * w + x] = row[x] / grayMax;
      }
      if (alpha != null) {
        float alphaMax = (1L << raster.getSampleModel().getSampleSize(1)) - 1;
        raster.getSamples(0, y, w, 1, 1, row);
        for (int x = 0; x < w; x++) {
          alpha[y * w + x] = row[x] / alphaMax;
        }
      }
    }
  }

  private static void readRgb(BufferedImage image, float[] gray, float[] alpha) {
    int w = image.getWidth();
    int[] row = new int[w];
    for (int y = 0; y < image.getHeight(); y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int argb = row[x];
        int r = (argb >> 16) & 0xff;
        int g = (argb >> 8) & 0xff;
        int b = argb & 0xff;
        gray[y * w + x] = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
        if (alpha != null) {
          alpha[y * w + x] = (argb >>> 24) / 255f;
        }
      }
    }
  }

  private static void compositeOverContrastingBackdrop(float[] gray, float[] alpha) {
    double weighted = 0;
    double weights = 0;
    for (int i = 0; i < gray.length; i++) {
      weighted += alpha[i] * gray[i];
      weights += alpha[i];
    }
    if (weights == 0) {
      java.util.Arrays.fill(gray, 1f); // fully transparent: a blank page
      return;
    }
    float backdrop = weighted / weights < 0.5 ? 1f : 0f;
    for (int i = 0; i < gray.length; i++) {
      gray[i] = alpha[i] * gray[i] + (1 - alpha[i]) * backdrop;
    }
  }

  GrayImage crop(int x0, int y0, int w, int h) {
    GrayImage out = new GrayImage(w, h);
    for (int y = 0; y < h; y++) {
      System.arraycopy(pixels, (y0 + y) * width + x0, out.pixels, y * w, w);
    }
    return out;
  }
}
