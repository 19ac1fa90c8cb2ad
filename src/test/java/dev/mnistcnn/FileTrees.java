package dev.mnistcnn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Fingerprints of files on disk, to prove that nothing a user had was touched. */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Relative path -> SHA-256 of every file under {@code root} (directories as "dir"), leaving out
   * the top-level entries whose names {@code skip} accepts.
   */
  public static Map<String, String> hashes(Path root, Predicate<String> skip) {
    Map<String, String> result = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      all.filter(p -> !p.equals(root))
          .filter(p -> !skip.test(root.relativize(p).getName(0).toString()))
          .forEach(p -> result.put(root.relativize(p).toString(), hash(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return result;
  }

  /** As {@link #hashes(Path, Predicate)}, everything. */
  public static Map<String, String> hashes(Path root) {
    return hashes(root, name -> false);
  }

  private static String hash(Path p) {
    if (Files.isDirectory(p)) {
      return "dir";
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies a directory tree (a model, say) to {@code to}. */
  public static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  /** Deletes a directory tree. */
  public static void delete(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
