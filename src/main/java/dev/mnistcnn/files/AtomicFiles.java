package dev.mnistcnn.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes that never leave a half-written file or directory where a good one was: write a sibling
 * temporary, then rename it into place. Whether an existing target may be replaced at all is {@link
 * OutputPolicy}'s question, asked before.
 *
 * <p>At every instant the target holds the complete old content or the complete new one, except
 * while a directory (or anything that is not a plain file replaced by a plain file) is swapped:
 * then the old one is first renamed aside and, should the run die before the new one is renamed in,
 * the next write there (or read of it) renames the old one back ({@link Leftovers#recover}).
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
    write(target, writer);
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

  /** Writes a directory through a temporary sibling, then swaps it into place. */
  public static void writeDirectory(Path target, Writer writer) throws IOException {
    write(target, writer);
  }

  /**
   * Repairs what killed writes left beside {@code target}: an old copy moved aside is put back when
   * the target is missing, and dead runs' temporaries are deleted.
   */
  public static void recover(Path target) throws IOException {
    Leftovers.recover(absolute(target));
  }

  private static void write(Path target, Writer writer) throws IOException {
    Path absolute = absolute(target);
    Files.createDirectories(absolute.getParent());
    Leftovers.recover(absolute);
    Path tmp = Leftovers.temporary(absolute);
    try {
      writer.writeTo(tmp);
      swapIn(tmp, absolute);
    } finally {
      if (Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
        Leftovers.delete(tmp);
      }
    }
  }

  /** Renames {@code fresh} to {@code target}; the old target, if any, is deleted afterwards. */
  private static void swapIn(Path fresh, Path target) throws IOException {
    boolean fileOverFile =
        Files.isRegularFile(fresh, LinkOption.NOFOLLOW_LINKS)
            && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS);
    if (fileOverFile || !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      move(fresh, target); // rename(2) replaces a file atomically
      return;
    }
    // A directory cannot be renamed over a non-empty one: move the old one aside first.
    Path old = Leftovers.aside(target);
    move(target, old);
    try {
      move(fresh, target);
    } catch (IOException | RuntimeException e) {
      move(old, target);
      throw e;
    }
    Leftovers.delete(old);
  }

  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The target as the OS resolves it ({@link OsPaths}): never a textually collapsed "..". */
  private static Path absolute(Path target) throws IOException {
    Path absolute = OsPaths.resolve(target);
    if (absolute.getParent() == null) {
      throw new IllegalArgumentException("cannot write to the file system root: " + target);
    }
    return absolute;
  }
}
