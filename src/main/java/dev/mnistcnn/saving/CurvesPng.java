package dev.mnistcnn.saving;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Marks the training-curves PNG as this program's, so that {@link OutputPolicy} can tell it from a
 * user's file of the same name: a {@code tEXt} chunk ({@code Software}) right after the {@code
 * IHDR} chunk, which every PNG starts with. Viewers ignore it.
 */
final class CurvesPng {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** The signature (8 bytes) and the IHDR chunk (length, type, 13 bytes of data, CRC). */
  private static final int AFTER_IHDR = 8 + 4 + 4 + 13 + 4;

  private static final byte[] CHUNK = textChunk("Software", "mnist-cnn training curves");

  private CurvesPng() {}

  /** {@code png} with our mark; unchanged when it already has it or is not a PNG. */
  static byte[] marked(byte[] png) {
    if (!startsAsPng(png) || isMarked(png)) {
      return png;
    }
    byte[] out = new byte[png.length + CHUNK.length];
    System.arraycopy(png, 0, out, 0, AFTER_IHDR);
    System.arraycopy(CHUNK, 0, out, AFTER_IHDR, CHUNK.length);
    System.arraycopy(png, AFTER_IHDR, out, AFTER_IHDR + CHUNK.length, png.length - AFTER_IHDR);
    return out;
  }

  /** Whether {@code file} is a regular file holding a PNG this program wrote (reads its head). */
  static boolean isOurs(Path file) {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return isMarked(in.readNBytes(AFTER_IHDR + CHUNK.length));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isMarked(byte[] head) {
    return startsAsPng(head)
        && head.length >= AFTER_IHDR + CHUNK.length
        && Arrays.equals(head, AFTER_IHDR, AFTER_IHDR + CHUNK.length, CHUNK, 0, CHUNK.length);
  }

  private static boolean startsAsPng(byte[] bytes) {
    return bytes.length >= AFTER_IHDR
        && Arrays.equals(bytes, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)
        && new String(bytes, 12, 4, StandardCharsets.US_ASCII).equals("IHDR");
  }

  private static byte[] textChunk(String keyword, String text) {
    byte[] type = "tEXt".getBytes(StandardCharsets.US_ASCII);
    byte[] data = (keyword + '\0' + text).getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(type);
    crc.update(data);
    byte[] chunk = new byte[4 + 4 + data.length + 4];
    putInt(chunk, 0, data.length);
    System.arraycopy(type, 0, chunk, 4, 4);
    System.arraycopy(data, 0, chunk, 8, data.length);
    putInt(chunk, 8 + data.length, (int) crc.getValue());
    return chunk;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
