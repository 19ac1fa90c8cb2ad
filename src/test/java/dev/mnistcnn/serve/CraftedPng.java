package dev.mnistcnn.serve;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/** PNG files written byte by byte: small files that declare or decode to very large images. */
final class CraftedPng {
  private static final int GREY = 0;
  private static final int RGBA = 6;

  private CraftedPng() {}

  /** A signature, IHDR (16-bit grey) and IEND: a header with no pixel data behind it. */
  static byte[] headerOnly(int width, int height) {
    return png(width, height, GREY, null);
  }

  /**
   * A complete, valid 16-bit RGBA image of zeros: a few hundred kB that decode to {@code width *
   * height * 8} bytes.
   */
  static byte[] blank16BitRgba(int width, int height) {
    ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(pixels)) {
      byte[] row = new byte[1 + width * 8]; // filter type 0, then the row's samples
      for (int y = 0; y < height; y++) {
        z.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return png(width, height, RGBA, pixels.toByteArray());
  }

  private static byte[] png(int width, int height, int colourType, byte[] idat) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      DataOutputStream data = new DataOutputStream(out);
      data.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
      ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
      DataOutputStream h = new DataOutputStream(ihdr);
      h.writeInt(width);
      h.writeInt(height);
      h.write(new byte[] {16, (byte) colourType, 0, 0, 0}); // 16 bits, deflate, no filter/interlace
      chunk(data, "IHDR", ihdr.toByteArray());
      if (idat != null) {
        chunk(data, "IDAT", idat);
      }
      chunk(data, "IEND", new byte[0]);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void chunk(DataOutputStream out, String type, byte[] body) throws IOException {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(body.length);
    out.write(name);
    out.write(body);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(body);
    out.writeInt((int) crc.getValue());
  }
}
