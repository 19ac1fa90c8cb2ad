package dev.mnistcnn.serve;

import dev.mnistcnn.serve.http.ApiException;
import dev.mnistcnn.serve.http.HttpStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The pixel count an image file declares in its header, read without decoding the pixels: a 300 kB
 * PNG may declare 6300 x 6300 and take 600 MB and seconds to decode.
 */
final class ImageSize {
  /** The formats the decoder accepts; ImageIO's loose WBMP reader would take any bytes. */
  private static final Set<String> FORMATS = Set.of("png", "jpeg", "gif", "bmp");

  private ImageSize() {}

  /**
   * Refuses with 413 an image whose first frame declares more than {@code maxPixels}; files no
   * reader recognises pass, for the decoder to refuse with its own message.
   */
  static void check(byte[] file, long maxPixels) throws ApiException {
    int width;
    int height;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
      ImageReader reader = in == null ? null : readerFor(in);
      if (reader == null) {
        return;
      }
      try {
        reader.setInput(in, true, true);
        width = reader.getWidth(0);
        height = reader.getHeight(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return; // an unreadable header: the decoder says "not a readable image"
    }
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw new ApiException(
          HttpStatus.PAYLOAD_TOO_LARGE,
          "image of "
              + width
              + " x "
              + height
              + " = "
              + pixels
              + " pixels; at most "
              + maxPixels
              + " are accepted");
    }
  }

  private static ImageReader readerFor(ImageInputStream in) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    while (readers.hasNext()) {
      ImageReader reader = readers.next();
      if (FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
        return reader;
      }
      reader.dispose();
    }
    return null;
  }
}
