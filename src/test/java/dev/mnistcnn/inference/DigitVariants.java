package dev.mnistcnn.inference;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * "Real world" renderings of an MNIST digit, to check preprocessing (and a trained model behind it)
 * on pictures that look like photos or drawings rather than MNIST: always scaled up 3-6x, plus any
 * combination of the flags below. Kept fair: the digit stays whole, legible and well contrasted.
 */
public final class DigitVariants {
  /** Black ink on white paper instead of MNIST's white on black. */
  public static final int INVERTED = 1;

  /** On a larger canvas (1.3-2.8 times wider, 1.1-2 times taller), anywhere on it. */
  static final int OFF_CENTRE = 2;

  /** Through JPEG at quality 0.5-0.85. */
  static final int JPEG = 4;

  /** Coloured ink on coloured paper, with at least ~45% luminance contrast between them. */
  static final int TINTED = 8;

  /** Strokes thickened by a disk dilation of 0.25-0.6 MNIST pixels. */
  static final int THICK = 16;

  /** Number of kinds: every {@code kind} in [0, KINDS) is a distinct combination of the flags. */
  static final int KINDS = 32;

  static final int ALL = KINDS - 1;

  private DigitVariants() {}

  /** {@code mnist28}: 784 values in [0, 1], white on black, as in the MNIST files. */
  public static BufferedImage variant(float[] mnist28, int kind, Random rng) {
    double scale = 3 + 3 * rng.nextDouble();
    GrayImage ink = upscale(mnist28, scale);
    if ((kind & THICK) != 0) {
      ink = dilate(ink, Math.max(1, (int) Math.round(scale * (0.25 + 0.35 * rng.nextDouble()))));
    }
    if ((kind & OFF_CENTRE) != 0) {
      int width = (int) (ink.width * (1.3 + 1.5 * rng.nextDouble()));
      int height = (int) (ink.height * (1.1 + 0.9 * rng.nextDouble()));
      ink =
          place(
              ink,
              width,
              height,
              rng.nextInt(width - ink.width + 1),
              rng.nextInt(height - ink.height + 1));
    }
    boolean inverted = (kind & INVERTED) != 0;
    Color light = (kind & TINTED) != 0 ? randomColour(rng, 200, 255) : Color.WHITE;
    Color dark = (kind & TINTED) != 0 ? randomColour(rng, 0, 90) : Color.BLACK;
    BufferedImage image = inverted ? paint(ink, light, dark) : paint(ink, dark, light);
    if ((kind & JPEG) != 0) {
      image = jpegRoundTrip(image, 0.5f + 0.35f * rng.nextFloat());
    }
    return image;
  }

  /** A short name for a kind, for messages: "inverted+jpeg", "plain". */
  static String describe(int kind) {
    String[] names = {"inverted", "off-centre", "jpeg", "tinted", "thick"};
    StringBuilder s = new StringBuilder();
    for (int bit = 0; bit < names.length; bit++) {
      if ((kind & (1 << bit)) != 0) {
        s.append(s.length() == 0 ? "" : "+").append(names[bit]);
      }
    }
    return s.length() == 0 ? "plain" : s.toString();
  }

  /** The digit enlarged {@code scale} times, smoothly (bilinear), as a drawing at that size. */
  static GrayImage upscale(float[] mnist28, double scale) {
    int side = (int) Math.round(Predictor.IMAGE_SIDE * scale);
    return Resampler.resize(
        new GrayImage(Predictor.IMAGE_SIDE, Predictor.IMAGE_SIDE, mnist28.clone()), side, side);
  }

  /** Thicker strokes: each pixel takes the brightest value within {@code radius} (a disk). */
  static GrayImage dilate(GrayImage ink, int radius) {
    GrayImage out = new GrayImage(ink.width, ink.height);
    for (int y = 0; y < ink.height; y++) {
      for (int x = 0; x < ink.width; x++) {
        float max = 0;
        for (int dy = -radius; dy <= radius; dy++) {
          for (int dx = -radius; dx <= radius; dx++) {
            int nx = x + dx;
            int ny = y + dy;
            if (dx * dx + dy * dy <= radius * radius
                && nx >= 0
                && ny >= 0
                && nx < ink.width
                && ny < ink.height) {
              max = Math.max(max, ink.get(nx, ny));
            }
          }
        }
        out.set(x, y, max);
      }
    }
    return out;
  }

  /** {@code ink} on an empty canvas of the given size, its top-left corner at (left, top). */
  static GrayImage place(GrayImage ink, int width, int height, int left, int top) {
    GrayImage canvas = new GrayImage(width, height);
    for (int y = 0; y < ink.height; y++) {
      for (int x = 0; x < ink.width; x++) {
        canvas.set(left + x, top + y, ink.get(x, y));
      }
    }
    return canvas;
  }

  /** Colours an ink map: 0 becomes {@code paper}, 1 becomes {@code pen}, blended between. */
  static BufferedImage paint(GrayImage ink, Color paper, Color pen) {
    BufferedImage image = new BufferedImage(ink.width, ink.height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < ink.height; y++) {
      for (int x = 0; x < ink.width; x++) {
        float v = Math.max(0, Math.min(1, ink.get(x, y)));
        int r = Math.round(paper.getRed() + v * (pen.getRed() - paper.getRed()));
        int g = Math.round(paper.getGreen() + v * (pen.getGreen() - paper.getGreen()));
        int b = Math.round(paper.getBlue() + v * (pen.getBlue() - paper.getBlue()));
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  static BufferedImage jpegRoundTrip(BufferedImage image, float quality) {
    return decode(encodeJpeg(image, quality));
  }

  /** PNG, GIF or BMP through ImageIO; JPEG at quality 0.9. */
  public static byte[] encode(BufferedImage image, String format) {
    if (format.equalsIgnoreCase("jpeg") || format.equalsIgnoreCase("jpg")) {
      return encodeJpeg(image, 0.9f);
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalArgumentException("no ImageIO writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] encodeJpeg(BufferedImage image, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
  }

  static BufferedImage decode(byte[] bytes) {
    try {
      return ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Color randomColour(Random rng, int lowest, int highest) {
    int span = highest - lowest + 1;
    return new Color(
        lowest + rng.nextInt(span), lowest + rng.nextInt(span), lowest + rng.nextInt(span));
  }
}
