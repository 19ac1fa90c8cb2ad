package dev.mnistcnn.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real, decodable PNGs: the pixel limit is applied from the header, before decoding. */
@Tag(Tier.FAST)
class ImageLimitsTest {
  @Test
  void a16BitPngOf40MegapixelsIsRefusedBeforeDecoding() throws IOException {
    byte[] png = blankPng(6300, 6300, 16);
    assertTrue(png.length < 400_000, "a small file: " + png.length + " bytes");
    ImageTooLargeException e =
        assertThrows(ImageTooLargeException.class, () -> DigitPreprocessor.fromImageBytes(png));
    assertEquals(
        "image too large: 6300x6300 pixels (at most 10000 pixels a side and 16 megapixels)",
        e.getMessage());
  }

  @Test
  void aTwelveMegapixelPhotoSizeIsStillDecoded() throws IOException {
    byte[] png = blankPng(4000, 3000, 8);
    // Decoded in full: the blank picture then holds no digit, which is a different refusal.
    assertThrows(NoDigitFoundException.class, () -> DigitPreprocessor.fromImageBytes(png));
  }

  /** A grayscale PNG of zeros, written chunk by chunk (ImageIO would need the pixels in memory). */
  static byte[] blankPng(int width, int height, int bitDepth) throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] row = new byte[1 + width * bitDepth / 8]; // filter byte 0, then zero samples
    try (DeflaterOutputStream z =
        new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION))) {
      for (int y = 0; y < height; y++) {
        z.write(row);
      }
    }
    return grayPng(width, height, bitDepth, idat.toByteArray());
  }

  /** PNG signature, IHDR (gray, no interlace), the IDAT chunk unless null, IEND. */
  static byte[] grayPng(int width, int height, int bitDepth, byte[] idat) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream header = new DataOutputStream(ihdr);
    header.writeInt(width);
    header.writeInt(height);
    header.write(new byte[] {(byte) bitDepth, 0, 0, 0, 0});
    DigitPreprocessorTest.writeChunk(out, "IHDR", ihdr.toByteArray());
    if (idat != null) {
      DigitPreprocessorTest.writeChunk(out, "IDAT", idat);
    }
    DigitPreprocessorTest.writeChunk(out, "IEND", new byte[0]);
    return bytes.toByteArray();
  }
}
