package dev.mnistcnn.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads whole files that must be regular and small: never /dev/zero, a FIFO or a huge file. */
public final class BoundedFiles {
  private BoundedFiles() {}

  /** The bytes of {@code file}, refused when it is not a regular file or exceeds {@code max}. */
  public static byte[] read(Path file, int max) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException("not a regular file: " + file);
    }
    long size = Files.size(file);
    if (size > max) {
      throw new IOException(file + " is " + size + " bytes, more than the " + max + " allowed");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(max + 1); // the file may grow while read
    }
    if (bytes.length > max) {
      throw new IOException(file + " grew beyond " + max + " bytes while being read");
    }
    return bytes;
  }
}
