package dev.mnistcnn.inference;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes untrusted image bytes, reading the header first so that a small file claiming a huge
 * image (a decompression bomb) is refused before any pixel memory is allocated.
 */
final class ImageDecoder {
  static final int MAX_SIDE = 10_000;

  /**
   * 4096 x 4096 (16.8 megapixels, the server's default limit too): a 12 MP phone photo fits; a
   * 6300x6300 16-bit PNG (315 KB on disk, 7 s and 0.6 GB to decode) does not.
   */
  static final long MAX_PIXELS = 4096L * 4096L;

  static final String UNREADABLE = "not a readable image (PNG, JPEG, GIF or BMP expected)";

  /**
   * Only these formats: ImageIO also ships readers such as WBMP, whose header is so loose that
   * arbitrary bytes pass for one, and TIFF, which we have no reason to expose.
   */
  private static final Set<String> FORMATS = Set.of("png", "jpeg", "jpg", "gif", "bmp");

  private ImageDecoder() {}

  static BufferedImage decode(byte[] bytes) throws InferenceException {
    if (bytes == null || bytes.length == 0) {
      throw new InferenceException(UNREADABLE);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = readerFor(in);
      try {
        reader.setInput(in, true, true);
        checkSize(reader.getWidth(0), reader.getHeight(0));
        BufferedImage image = reader.read(0);
        if (image == null) {
          throw new InferenceException(UNREADABLE);
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new InferenceException(UNREADABLE, e);
    }
  }

  private static ImageReader readerFor(ImageInputStream in) throws InferenceException, IOException {
    if (in == null) {
      throw new InferenceException(UNREADABLE);
    }
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    while (readers.hasNext()) {
      ImageReader reader = readers.next();
      String format = reader.getFormatName().toLowerCase(Locale.ROOT);
      if (FORMATS.contains(format)) {
        return reader;
      }
      reader.dispose();
    }
    throw new InferenceException(UNREADABLE);
  }

  static void checkSize(int width, int height) throws ImageTooLargeException {
    if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
      throw new ImageTooLargeException(
          "image too large: "
              + width
              + "x"
              + height
              + " pixels (at most "
              + MAX_SIDE
              + " pixels a side and "
              + MAX_PIXELS / 1_000_000
              + " megapixels)");
    }
  }
}
