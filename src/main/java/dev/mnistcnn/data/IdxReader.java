package dev.mnistcnn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads unsigned-byte IDX files (the MNIST format), raw or gzip-compressed. The header is never
 * trusted to size an allocation: a raw file's data must match its length before anything is
 * allocated, and gzip data is read into a buffer that grows only as bytes arrive.
 */
public final class IdxReader {
  /** The largest byte array the JVM reliably allocates. */
  static final int MAX_DATA_BYTES = Integer.MAX_VALUE - 8;

  /**
   * The most data one IDX file may hold: 5x MNIST's training images (47 MB). A gzip file may
   * honestly claim up to 1100 times its size, so without this cap a 2 MB file could ask for GBs.
   */
  public static final int MAX_IDX_BYTES = 256 << 20;

  private static final int UNSIGNED_BYTE = 0x08;
  private static final int MAX_DIMS = 4;
  private static final int BUFFER = 1 << 16;

  /** Deflate expands at most about 1032:1, so a gzip file of n bytes cannot hold more than this. */
  private static final long MAX_GZIP_RATIO = 1100;

  private IdxReader() {}

  public static IdxArray read(Path file) throws IOException {
    return read(file, null);
  }

  /**
   * Reads {@code file}, feeding every decompressed byte (header included) to {@code digest} when it
   * is not null, so that callers can check a checksum without reading the file twice.
   */
  public static IdxArray read(Path file, MessageDigest digest) throws IOException {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // /dev/zero, a FIFO or a directory: no size to check the header against.
      throw new IdxFormatException("not a regular file: " + file);
    }
    long fileSize = Files.size(file);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
      boolean gzip = startsWithGzipMagic(raw);
      try {
        InputStream in = gzip ? new GZIPInputStream(raw, BUFFER) : raw;
        if (digest != null) {
          in = new DigestInputStream(in, digest);
        }
        return readIdx(file, in, fileSize, gzip);
      } catch (EOFException | ZipException e) {
        if (!gzip) {
          throw e;
        }
        throw new IdxFormatException(
            "corrupt or truncated gzip file " + file + " (" + e.getMessage() + ")", e);
      }
    }
  }

  /** Gzip is recognised by its magic bytes 1f 8b, not by the file name. */
  private static boolean startsWithGzipMagic(InputStream in) throws IOException {
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b;
  }

  private static IdxArray readIdx(Path file, InputStream in, long fileSize, boolean gzip)
      throws IOException {
    byte[] magic = new byte[4];
    int got = readUpTo(in, magic);
    if (got < magic.length) {
      throw new IdxFormatException(
          "not an IDX file: "
              + file
              + " ("
              + got
              + " bytes, shorter than the 4-byte magic number)");
    }
    if (magic[0] != 0 || magic[1] != 0) {
      throw new IdxFormatException(
          String.format(
              "not an IDX file: %s (magic number %02x %02x %02x %02x does not start with 00 00)",
              file, magic[0], magic[1], magic[2], magic[3]));
    }
    if (magic[2] != UNSIGNED_BYTE) {
      throw new IdxFormatException(
          String.format(
              "unsupported IDX file %s: data type 0x%02x, only unsigned bytes (0x08) are supported",
              file, magic[2]));
    }
    int ndims = magic[3] & 0xff;
    if (ndims < 1 || ndims > MAX_DIMS) {
      throw new IdxFormatException(
          "unsupported IDX file " + file + ": " + ndims + " dimensions, expected 1 to " + MAX_DIMS);
    }
    int[] dims = readDims(file, in, ndims);
    int size = dataSize(file, dims);
    long headerBytes = 4L + 4L * ndims;
    if (gzip && size > fileSize * MAX_GZIP_RATIO) {
      throw new IdxFormatException(
          "truncated IDX file "
              + file
              + ": the header claims "
              + size
              + " bytes of data, more than a "
              + fileSize
              + "-byte gzip file can hold");
    }
    if (!gzip && fileSize - headerBytes != size) {
      throw lengthMismatch(file, size, fileSize - headerBytes);
    }
    if (size > MAX_IDX_BYTES) {
      throw new IdxFormatException(
          "IDX file "
              + file
              + " declares "
              + size
              + " bytes of data, more than the "
              + MAX_IDX_BYTES
              + " this program reads");
    }
    byte[] data = readData(in, size, gzip ? Math.min(size, 1 << 20) : size);
    if (data.length < size) {
      throw lengthMismatch(file, size, data.length);
    }
    if (in.read() != -1) {
      throw new IdxFormatException(
          "bad IDX file " + file + ": unexpected bytes after the " + size + " bytes of data");
    }
    return new IdxArray(dims, data);
  }

  private static IdxFormatException lengthMismatch(Path file, long expected, long found) {
    if (found < expected) {
      return new IdxFormatException(
          "truncated IDX file "
              + file
              + ": expected "
              + expected
              + " bytes of data, found "
              + Math.max(found, 0));
    }
    return new IdxFormatException(
        "bad IDX file "
            + file
            + ": expected "
            + expected
            + " bytes of data, found "
            + found
            + " ("
            + (found - expected)
            + " unexpected trailing bytes)");
  }

  private static int[] readDims(Path file, InputStream in, int ndims) throws IOException {
    byte[] header = new byte[4 * ndims];
    if (readUpTo(in, header) < header.length) {
      throw new IdxFormatException(
          "truncated IDX file " + file + ": the header ends before its " + ndims + " dimensions");
    }
    int[] dims = new int[ndims];
    for (int i = 0; i < ndims; i++) {
      int o = 4 * i;
      dims[i] =
          (header[o] & 0xff) << 24
              | (header[o + 1] & 0xff) << 16
              | (header[o + 2] & 0xff) << 8
              | (header[o + 3] & 0xff);
      if (dims[i] <= 0) {
        throw new IdxFormatException(
            "bad IDX file "
                + file
                + ": dimension "
                + (i + 1)
                + " is "
                + Integer.toUnsignedString(dims[i])
                + ", must be positive and below 2^31");
      }
    }
    return dims;
  }

  /** Total data bytes; each step stays below 2^62, so the long product cannot overflow. */
  private static int dataSize(Path file, int[] dims) throws IdxFormatException {
    long size = 1;
    for (int d : dims) {
      size *= d;
      if (size > MAX_DATA_BYTES) {
        throw new IdxFormatException(
            "bad IDX file "
                + file
                + ": dimensions "
                + Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(" x "))
                + " exceed the "
                + MAX_DATA_BYTES
                + " bytes one array can hold");
      }
    }
    return (int) size;
  }

  /**
   * Reads up to {@code size} bytes, growing the buffer only as data arrives; returns fewer bytes (a
   * shorter array) if the stream ends early.
   */
  private static byte[] readData(InputStream in, int size, int initialCapacity) throws IOException {
    byte[] buffer = new byte[initialCapacity];
    int filled = 0;
    while (filled < size) {
      if (filled == buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min(size, 2L * buffer.length));
      }
      int n = in.read(buffer, filled, buffer.length - filled);
      if (n == -1) {
        return Arrays.copyOf(buffer, filled);
      }
      filled += n;
    }
    return buffer;
  }

  /** Fills {@code buffer} unless the stream ends first; returns the number of bytes read. */
  private static int readUpTo(InputStream in, byte[] buffer) throws IOException {
    int filled = 0;
    while (filled < buffer.length) {
      int n = in.read(buffer, filled, buffer.length - filled);
      if (n == -1) {
        break;
      }
      filled += n;
    }
    return filled;
  }
}
