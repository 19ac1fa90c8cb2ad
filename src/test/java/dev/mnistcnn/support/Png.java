package dev.mnistcnn.support;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * PNG files written chunk by chunk, for the image limits: small files that declare or decode to
 * very large images (ImageIO would need the pixels in memory), and files that hold a header and no
 * pixel data, which no decoder accepts.
 */
public final class Png {
  /** The colour types used, with their samples per pixel. */
  public enum Colour {
    GREY(0, 1),
    RGBA(6, 4);

    private final int type;
    private final int samples;

    Colour(int type, int samples) {
      this.type = type;
      this.samples = samples;
    }
  }

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private Png() {}

  /** The signature, IHDR and IEND: a header with no pixel data (IDAT) behind it. */
  public static byte[] headerOnly(int width, int height, int bitDepth, Colour colour) {
    return png(width, height, bitDepth, colour, null);
  }

  /**
   * A complete, valid image of zeros: deflated about 1000 to 1, so a small file decodes to {@code
   * width * height} pixels of {@code bitDepth} bits a sample.
   */
  public static byte[] blank(int width, int height, int bitDepth, Colour colour) {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] row = new byte[1 + width * colour.samples * bitDepth / 8]; // filter 0, zero samples
    try (DeflaterOutputStream z =
        new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION))) {
      for (int y = 0; y < height; y++) {
        z.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return png(width, height, bitDepth, colour, idat.toByteArray());
  }

  /** The signature, IHDR (no interlace), the IDAT chunk unless null, IEND. */
  private static byte[] png(int width, int height, int bitDepth, Colour colour, byte[] idat) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(SIGNATURE);
      ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
      DataOutputStream header = new DataOutputStream(ihdr);
      header.writeInt(width);
      header.writeInt(height);
      // bit depth, colour type, then deflate, the one filter method, no interlace
      header.write(new byte[] {(byte) bitDepth, (byte) colour.type, 0, 0, 0});
      chunk(out, "IHDR", ihdr.toByteArray());
      if (idat != null) {
        chunk(out, "IDAT", idat);
      }
      chunk(out, "IEND", new byte[0]);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Length, type, data and the CRC of type and data. */
  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeInt(data.length);
    out.write(name);
    out.write(data);
    out.writeInt((int) crc.getValue());
  }
}
