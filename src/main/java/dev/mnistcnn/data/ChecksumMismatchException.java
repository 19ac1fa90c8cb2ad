package dev.mnistcnn.data;

import java.io.IOException;

/** A dataset file whose SHA-256 is not the known one: corrupt, truncated, or a different file. */
public final class ChecksumMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  public ChecksumMismatchException(String message) {
    super(message);
  }

  /** Throws unless {@code actual} is the known SHA-256 of {@code file} in {@code kind}. */
  static void check(DatasetKind kind, DatasetFile file, Object where, String actual)
      throws ChecksumMismatchException {
    String expected = kind.sha256(file);
    if (!expected.equals(actual)) {
      throw new ChecksumMismatchException(
          "checksum mismatch for "
              + where
              + ": expected SHA-256 "
              + expected
              + " ("
              + kind.displayName()
              + " "
              + file.fileName()
              + "), found "
              + actual
              + "; the file is corrupt or not the right file, delete it and fetch it again");
    }
  }
}
