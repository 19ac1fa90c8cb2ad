package dev.mnistcnn.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.data.Split;
import dev.mnistcnn.support.Png;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(Tier.FAST)
class DigitPreprocessorTest {
  private static final int DIGITS = 200;
  private static float[][] mnist;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void mnistDigitsComeBackNearlyUnchanged() throws Exception {
    double sumDiff = 0;
    double worstDiff = 0;
    double worstCentreOffset = 0;
    for (float[] digit : mnistDigits()) {
      float[] out = DigitPreprocessor.fromImage(DigitPreprocessor.toImage(digit));
      double diff = meanAbsDiff(digit, out);
      sumDiff += diff;
      worstDiff = Math.max(worstDiff, diff);
      double[] c = centreOfMass(out);
      worstCentreOffset = Math.max(worstCentreOffset, Math.hypot(c[0] - 14, c[1] - 14));
    }
    double meanDiff = sumDiff / DIGITS;
    System.out.printf(
        "MNIST through the pipeline: mean |diff| %.4f (worst digit %.4f), centre of mass within"
            + " %.2f px of (14,14)%n",
        meanDiff, worstDiff, worstCentreOffset);
    assertTrue(meanDiff < 0.02, "mean abs diff " + meanDiff);
    assertTrue(worstDiff < 0.08, "worst mean abs diff " + worstDiff);
    assertTrue(worstCentreOffset < 0.75, "centre of mass off by " + worstCentreOffset);
  }

  @Test
  void pngBytesDecodeToTheSameInputAsTheImage() throws Exception {
    float[] digit = mnistDigits()[0];
    BufferedImage image = DigitPreprocessor.toImage(digit);
    assertArrayEquals(
        DigitPreprocessor.fromImage(image),
        DigitPreprocessor.fromImageBytes(DigitVariants.encode(image, "png")));
  }

  /** Every distortion at once, with fixed parameters. */
  @Test
  @Tag(Tier.SLOW) // thousands of large JPEGs: most of this class's time
  void photographedLookingDigitMatchesTheOriginal() throws Exception {
    Color lightYellow = new Color(250, 240, 170);
    Color darkBlue = new Color(20, 30, 110);
    Agreement agreement = new Agreement();
    for (float[] digit : mnistDigits()) {
      GrayImage big = DigitVariants.dilate(DigitVariants.upscale(digit, 4), 2);
      GrayImage canvas = DigitVariants.place(big, 300, 200, 170, 60);
      byte[] jpeg =
          DigitVariants.encodeJpeg(DigitVariants.paint(canvas, lightYellow, darkBlue), 0.7f);
      agreement.add(preprocessed(digit), DigitPreprocessor.fromImageBytes(jpeg));
    }
    System.out.println("4x, thick, off centre on 300x200, blue on yellow, JPEG 0.7: " + agreement);
    // Measured: raw mean 0.870 (min 0.689), aligned mean 0.889 (min 0.766); thick strokes cost
    // most.
    assertTrue(agreement.meanRaw() > 0.8, agreement.toString());
    assertTrue(agreement.meanAligned() > 0.85, agreement.toString());
    assertTrue(agreement.minAligned() > 0.7, agreement.toString());
  }

  @Test
  @Tag(Tier.SLOW) // a sweep over every variant kind: most of this class's time
  void everyKindOfVariantMatchesTheOriginal() throws Exception {
    Random rng = new Random(42);
    StringBuilder report = new StringBuilder();
    Agreement all = new Agreement();
    for (int kind = 0; kind < DigitVariants.KINDS; kind++) {
      Agreement agreement = new Agreement();
      for (int i = 0; i < 40; i++) {
        float[] digit = mnistDigits()[(kind * 7 + i) % DIGITS];
        float[] out = DigitPreprocessor.fromImage(DigitVariants.variant(digit, kind, rng));
        agreement.add(preprocessed(digit), out);
        all.add(preprocessed(digit), out);
      }
      report.append(String.format("  %-38s %s%n", DigitVariants.describe(kind), agreement));
      assertTrue(agreement.meanAligned() > 0.85, () -> "\n" + report);
    }
    System.out.print("Correlation with the preprocessed original, per variant kind:\n" + report);
    System.out.println("  all kinds: " + all);
    assertTrue(all.meanRaw() > 0.85, () -> all.toString());
    assertTrue(all.minAligned() > 0.7, () -> all.toString());
  }

  @Test
  void variantsSurviveEveryFormat() throws Exception {
    float[] digit = mnistDigits()[1];
    float[] expected = DigitPreprocessor.fromImage(DigitPreprocessor.toImage(digit));
    BufferedImage variant =
        DigitVariants.variant(
            digit, DigitVariants.INVERTED | DigitVariants.OFF_CENTRE, new Random(1));
    for (String format : new String[] {"png", "jpeg", "gif", "bmp"}) {
      float[] out = DigitPreprocessor.fromImageBytes(DigitVariants.encode(variant, format));
      double r = correlation(expected, out);
      assertTrue(r > 0.85, format + ": correlation " + r);
    }
  }

  @Test
  void transparentBackgroundIsBackgroundWhateverTheStrokeColour() throws Exception {
    float[] digit = mnistDigits()[2];
    float[] expected = DigitPreprocessor.fromImage(DigitPreprocessor.toImage(digit));
    for (int rgb : new int[] {0x000000, 0xffffff, 0x2040c0}) {
      BufferedImage strokes = new BufferedImage(112, 112, BufferedImage.TYPE_INT_ARGB);
      GrayImage ink = DigitVariants.upscale(digit, 4);
      for (int y = 0; y < 112; y++) {
        for (int x = 0; x < 112; x++) {
          int alpha = Math.round(Math.min(1, ink.get(x, y)) * 255);
          strokes.setRGB(x, y, (alpha << 24) | rgb);
        }
      }
      float[] out = DigitPreprocessor.fromImageBytes(DigitVariants.encode(strokes, "png"));
      double r = correlation(expected, out);
      assertTrue(r > 0.9, String.format("strokes #%06x: correlation %.3f", rgb, r));
    }
  }

  @Test
  void blankImagesHoldNoDigit() {
    assertNoDigit(filled(300, 200, Color.WHITE));
    assertNoDigit(filled(300, 200, Color.BLACK));
    assertNoDigit(filled(28, 28, Color.BLACK));
    assertNoDigit(DigitVariants.jpegRoundTrip(filled(300, 200, new Color(250, 240, 170)), 0.5f));
    assertNoDigit(new BufferedImage(50, 50, BufferedImage.TYPE_INT_ARGB)); // fully transparent
  }

  @Test
  void aStrayPixelIsNoDigit() {
    BufferedImage white = filled(300, 200, Color.WHITE);
    white.setRGB(123, 45, 0);
    assertNoDigit(white);
    BufferedImage black = filled(28, 28, Color.BLACK);
    black.setRGB(10, 20, 0xffffff);
    assertNoDigit(black);
    BufferedImage speck = filled(300, 200, Color.WHITE);
    speck.setRGB(5, 5, 0);
    speck.setRGB(6, 5, 0);
    speck.setRGB(5, 6, 0);
    assertNoDigit(speck);
  }

  @Test
  void aSpeckBesideTheDigitIsIgnored() throws Exception {
    float[] digit = mnistDigits()[3];
    GrayImage canvas = DigitVariants.place(DigitVariants.upscale(digit, 4), 300, 200, 20, 40);
    canvas.set(290, 190, 1);
    canvas.set(291, 190, 1);
    float[] out =
        DigitPreprocessor.fromImage(DigitVariants.paint(canvas, Color.WHITE, Color.BLACK));
    double r = correlation(DigitPreprocessor.fromImage(DigitPreprocessor.toImage(digit)), out);
    assertTrue(r > 0.9, "correlation " + r);
  }

  @Test
  void unreadableBytesAreRefused() {
    byte[][] junk = {
      new byte[0],
      "hello, this is not an image".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
      Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 40),
      Arrays.copyOf(DigitVariants.encode(filled(40, 40, Color.WHITE), "jpeg"), 30),
    };
    for (byte[] bytes : junk) {
      InferenceException e =
          assertThrows(InferenceException.class, () -> DigitPreprocessor.fromImageBytes(bytes));
      assertEquals("not a readable image (PNG, JPEG, GIF or BMP expected)", e.getMessage());
    }
  }

  @Test
  void aHugeImageIsRefusedFromItsHeaderAlone() throws IOException {
    // These files hold a header and no pixel data (no IDAT): decoding one fails, as the small one
    // shows, so "too large" can only come from reading the header before any decoding.
    byte[] small = Png.headerOnly(28, 28, 8, Png.Colour.GREY);
    InferenceException undecodable =
        assertThrows(InferenceException.class, () -> DigitPreprocessor.fromImageBytes(small));
    assertEquals("not a readable image (PNG, JPEG, GIF or BMP expected)", undecodable.getMessage());
    byte[] png = Png.headerOnly(50_000, 50_000, 8, Png.Colour.GREY);
    InferenceException e =
        assertThrows(InferenceException.class, () -> DigitPreprocessor.fromImageBytes(png));
    assertTrue(e.getMessage().startsWith("image too large: 50000x50000 pixels"), e.getMessage());
  }

  @Test
  void toImageRendersValuesAsGrayLevels() {
    float[] pixels = new float[784];
    pixels[0] = 1;
    pixels[1] = 0.5f;
    BufferedImage image = DigitPreprocessor.toImage(pixels);
    assertEquals(255, image.getRaster().getSample(0, 0, 0));
    assertEquals(128, image.getRaster().getSample(1, 0, 0));
    assertEquals(0, image.getRaster().getSample(2, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> DigitPreprocessor.toImage(new float[10]));
  }

  // ---- helpers

  private static void assertNoDigit(BufferedImage image) {
    NoDigitFoundException e =
        assertThrows(NoDigitFoundException.class, () -> DigitPreprocessor.fromImage(image));
    assertEquals("no digit found in the image", e.getMessage());
  }

  private static BufferedImage filled(int width, int height, Color colour) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, colour.getRGB());
      }
    }
    return image;
  }

  private static double meanAbsDiff(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return sum / a.length;
  }

  private static double correlation(float[] a, float[] b) {
    double ma = mean(a);
    double mb = mean(b);
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += (a[i] - ma) * (b[i] - mb);
      aa += (a[i] - ma) * (a[i] - ma);
      bb += (b[i] - mb) * (b[i] - mb);
    }
    return ab / Math.sqrt(aa * bb);
  }

  /**
   * Correlation after the best whole-pixel shift of {@code b} by at most one pixel each way. MNIST
   * centring rounds the centre of mass to a whole pixel, so two renderings of one digit whose
   * centres fall either side of a half pixel end up one pixel apart: a difference a CNN shrugs off
   * but plain correlation of thin strokes punishes heavily.
   */
  private static double alignedCorrelation(float[] a, float[] b) {
    double best = -1;
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        best = Math.max(best, correlation(a, shift(b, dx, dy)));
      }
    }
    return best;
  }

  private static float[] shift(float[] pixels, int dx, int dy) {
    float[] out = new float[pixels.length];
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        int sx = x - dx;
        int sy = y - dy;
        if (sx >= 0 && sy >= 0 && sx < 28 && sy < 28) {
          out[y * 28 + x] = pixels[sy * 28 + sx];
        }
      }
    }
    return out;
  }

  private static double mean(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  private static double[] centreOfMass(float[] pixels) {
    double mass = 0;
    double x = 0;
    double y = 0;
    for (int i = 0; i < pixels.length; i++) {
      mass += pixels[i];
      int row = i / 28;
      x += pixels[i] * (i % 28);
      y += pixels[i] * row;
    }
    return new double[] {x / mass, y / mass};
  }

  private static float[] preprocessed(float[] mnistDigit) throws InferenceException {
    return DigitPreprocessor.fromImage(DigitPreprocessor.toImage(mnistDigit));
  }

  /** Correlations of pairs of 28x28 inputs, plain and aligned to the nearest pixel. */
  private static final class Agreement {
    private double rawSum;
    private double alignedSum;
    private double rawMin = 1;
    private double alignedMin = 1;
    private int count;

    void add(float[] expected, float[] actual) {
      double raw = correlation(expected, actual);
      double aligned = alignedCorrelation(expected, actual);
      rawSum += raw;
      alignedSum += aligned;
      rawMin = Math.min(rawMin, raw);
      alignedMin = Math.min(alignedMin, aligned);
      count++;
    }

    double meanRaw() {
      return rawSum / count;
    }

    double meanAligned() {
      return alignedSum / count;
    }

    double minAligned() {
      return alignedMin;
    }

    @Override
    public String toString() {
      return String.format(
          "correlation mean %.3f min %.3f; aligned to ±1 px: mean %.3f min %.3f (n=%d)",
          meanRaw(), rawMin, meanAligned(), alignedMin, count);
    }
  }

  /** The first {@value #DIGITS} MNIST test images as [0, 1] floats (fetched if missing). */
  private static float[][] mnistDigits() {
    if (mnist == null) {
      Split test = TestData.mnist().test();
      float[][] digits = new float[DIGITS][];
      for (int d = 0; d < DIGITS; d++) {
        digits[d] = test.imagesAsFloats(d, 1);
      }
      mnist = digits;
    }
    return mnist;
  }
}
