package dev.mnistcnn.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.io.FileUtils;

/**
 * Writes that never leave a half-written file or directory where a good one was: write a sibling
 * temporary, then rename it into place.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Something that writes into a path that does not exist yet. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(Path target) throws IOException;
  }

  /** Writes a file through a temporary sibling and renames it over {@code target}. */
  public static void writeFile(Path target, Writer writer) throws IOException {
    Path dir = parentOf(target);
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      Files.delete(tmp);
      writer.writeTo(tmp);
      move(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes bytes atomically. */
  public static void writeBytes(Path target, byte[] bytes) throws IOException {
    writeFile(
        target,
        tmp -> {
          try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(bytes);
          }
        });
  }

  /**
   * Writes a directory through a temporary sibling, then swaps it into place. An existing target
   * is renamed aside first and deleted only once the new one is in place, so at every moment the
   * path holds either the complete old directory or the complete new one.
   */
  public static void writeDirectory(Path target, Writer writer) throws IOException {
    Path dir = parentOf(target);
    Files.createDirectories(dir);
    Path tmp = Files.createTempDirectory(dir, "." + target.getFileName() + ".tmp-");
    Path old = null;
    try {
      Files.delete(tmp);
      writer.writeTo(tmp);
      if (Files.exists(target)) {
        old = Files.createTempDirectory(dir, "." + target.getFileName() + ".old-");
        Files.delete(old);
        move(target, old);
      }
      move(tmp, target);
    } catch (IOException | RuntimeException e) {
      if (old != null && !Files.exists(target)) {
        move(old, target);
        old = null;
      }
      throw e;
    } finally {
      FileUtils.deleteQuietly(tmp.toFile());
      if (old != null) {
        FileUtils.deleteQuietly(old.toFile());
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Path parentOf(Path target) {
    Path parent = target.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException("cannot write to the file system root: " + target);
    }
    return parent;
  }
}
