package dev.mnistcnn.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * MNIST images and labels from raw or gzipped IDX files, for the Java peers of tools/bench/bench.py
 * (bench-dl4j, bench-djl: each adds this folder to its sources). Small on purpose: the peers must
 * not depend on the product jar, and the files read are the checked ones in {@code mnist-data/}.
 */
public record IdxImages(byte[] pixels, byte[] labels, int count) {
  public static final int IMAGE_SIZE = 28 * 28;

  /** Reads {@code prefix}-images-idx3-ubyte and {@code prefix}-labels-idx1-ubyte, first limit. */
  public static IdxImages read(Path dir, String prefix, int limit) throws IOException {
    byte[] images = readIdx(find(dir, prefix + "-images-idx3-ubyte"), 0x803, IMAGE_SIZE);
    byte[] labels = readIdx(find(dir, prefix + "-labels-idx1-ubyte"), 0x801, 1);
    int count = labels.length;
    if (images.length != count * IMAGE_SIZE) {
      throw new IOException(
          prefix + ": " + images.length / IMAGE_SIZE + " images but " + count + " labels");
    }
    int n = limit > 0 ? Math.min(limit, count) : count;
    byte[] px = n == count ? images : java.util.Arrays.copyOf(images, n * IMAGE_SIZE);
    byte[] lb = n == count ? labels : java.util.Arrays.copyOf(labels, n);
    return new IdxImages(px, lb, n);
  }

  private static Path find(Path dir, String name) throws IOException {
    for (Path p : new Path[] {dir.resolve(name), dir.resolve(name + ".gz")}) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IOException(name + "[.gz] not found in " + dir);
  }

  /** The payload of one IDX file of unsigned bytes, checked against its header. */
  private static byte[] readIdx(Path file, int magic, int itemSize) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        DataInputStream data = new DataInputStream(in)) {
      int m = data.readInt();
      if (m != magic) {
        throw new IOException(
            file
                + ": magic 0x"
                + Integer.toHexString(m)
                + ", expected 0x"
                + Integer.toHexString(magic));
      }
      int count = data.readInt();
      long size = (long) count * itemSize;
      for (int d = 1; d < (magic & 0xff); d++) {
        data.readInt(); // rows, columns: 28 each, implied by itemSize
      }
      if (count < 0 || size > Integer.MAX_VALUE) {
        throw new IOException(file + ": bad item count " + count);
      }
      byte[] payload = new byte[(int) size];
      data.readFully(payload);
      if (data.read() != -1) {
        throw new IOException(file + ": trailing bytes after " + count + " items");
      }
      return payload;
    }
  }

  /** Copies image {@code index}, scaled to [0, 1], into row {@code row} of {@code pixels}. */
  public void copyScaled(int index, float[] pixels, int row) {
    int src = index * IMAGE_SIZE;
    int dst = row * IMAGE_SIZE;
    for (int k = 0; k < IMAGE_SIZE; k++) {
      pixels[dst + k] = (this.pixels[src + k] & 0xff) / 255f;
    }
  }
}
