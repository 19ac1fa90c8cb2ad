package dev.mnistcnn.inference;

import java.awt.image.BufferedImage;

/**
 * Turns a picture of one handwritten digit into model input the way MNIST was made: white ink on
 * black, the digit scaled (keeping its aspect ratio) to fit a 20x20 box, then placed in a 28x28
 * frame so that its centre of mass falls on pixel (14, 14).
 *
 * <p>Steps: luminance (transparent = background, see {@link GrayImage#luminance}); large images are
 * first area-averaged down to {@value #WORKING_SIDE} pixels a side; background = median of the
 * border, inverted when light; contrast normalised so strokes reach 1 and faint noise becomes 0
 * ({@link InkMap}); specks removed and the rest cropped ({@link InkBox}); area-averaged to 20
 * pixels on the longer side ({@link Resampler}); centred by mass, clamped to [0, 1].
 *
 * <p>Preprocessing an MNIST digit gives back nearly the same digit.
 */
public final class DigitPreprocessor {
  /** Side of the box MNIST digits are scaled to fit. */
  static final int DIGIT_BOX = 20;

  /** Where MNIST puts the centre of mass, in pixel indices (measured: 14.0 on the test set). */
  static final int MASS_CENTRE = 14;

  /**
   * Longer side the luminance is shrunk to before anything else: the digit ends up 20 pixels tall
   * anyway, and a digit small enough to lose detail here is refused as too small by InkBox.
   */
  static final int WORKING_SIDE = 1024;

  private static final int SIDE = Predictor.IMAGE_SIDE;

  private DigitPreprocessor() {}

  /** Decodes a PNG, JPEG, GIF or BMP image of any size and colour, then {@link #fromImage}. */
  public static float[] fromImageBytes(byte[] bytes) throws InferenceException {
    return fromImage(ImageDecoder.decode(bytes));
  }

  /**
   * The {@value Predictor#IMAGE_SIZE} model inputs, row-major 28x28 in [0, 1], white digit on
   * black.
   *
   * @throws NoDigitFoundException if the image is blank or holds only specks
   */
  public static float[] fromImage(BufferedImage image) throws InferenceException {
    ImageDecoder.checkSize(image.getWidth(), image.getHeight());
    GrayImage ink = InkMap.of(shrinkToWorkingSize(GrayImage.luminance(image)));
    InkBox box = InkBox.find(ink);
    GrayImage digit = ink.crop(box.x(), box.y(), box.width(), box.height());
    return centreByMass(fitInBox(digit));
  }

  /** Renders 28x28 model input as an 8-bit grayscale image, for looking at it. */
  public static BufferedImage toImage(float[] pixels28x28) {
    if (pixels28x28.length != Predictor.IMAGE_SIZE) {
      throw new IllegalArgumentException(
          "expected " + Predictor.IMAGE_SIZE + " values, got " + pixels28x28.length);
    }
    BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < pixels28x28.length; i++) {
      float v = Math.max(0, Math.min(1, pixels28x28[i]));
      image.getRaster().setSample(i % SIDE, i / SIDE, 0, Math.round(v * 255));
    }
    return image;
  }

  private static GrayImage shrinkToWorkingSize(GrayImage image) {
    int longer = Math.max(image.width, image.height);
    if (longer <= WORKING_SIDE) {
      return image;
    }
    double scale = (double) WORKING_SIDE / longer;
    return Resampler.resize(
        image,
        Math.max(1, (int) Math.round(image.width * scale)),
        Math.max(1, (int) Math.round(image.height * scale)));
  }

  private static GrayImage fitInBox(GrayImage digit) {
    double scale = (double) DIGIT_BOX / Math.max(digit.width, digit.height);
    return Resampler.resize(
        digit,
        Math.max(1, (int) Math.round(digit.width * scale)),
        Math.max(1, (int) Math.round(digit.height * scale)));
  }

  /** Whole-pixel shift, as MNIST did: a sub-pixel one would blur the strokes. */
  private static float[] centreByMass(GrayImage digit) {
    double mass = 0;
    double mx = 0;
    double my = 0;
    for (int y = 0; y < digit.height; y++) {
      for (int x = 0; x < digit.width; x++) {
        float v = digit.get(x, y);
        mass += v;
        mx += v * x;
        my += v * y;
      }
    }
    int left = (int) Math.round(MASS_CENTRE - mx / mass);
    int top = (int) Math.round(MASS_CENTRE - my / mass);
    float[] out = new float[Predictor.IMAGE_SIZE];
    for (int y = 0; y < digit.height; y++) {
      for (int x = 0; x < digit.width; x++) {
        int tx = x + left;
        int ty = y + top;
        if (tx >= 0 && ty >= 0 && tx < SIDE && ty < SIDE) {
          out[ty * SIDE + tx] = Math.max(0, Math.min(1, digit.get(x, y)));
        }
      }
    }
    return out;
  }
}
