package dev.mnistcnn.serve.models;

import dev.mnistcnn.saving.ModelFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The version folders under a base path, as TF Serving finds them: subfolders named by a number;
 * other names are ignored. Each comes with a listing (names, sizes, modification times of
 * everything in it), so that a folder still being copied shows as changing between two polls.
 */
final class VersionFolders {
  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

  private VersionFolders() {}

  /** Version -> listing of its folder; empty when the base path is missing. */
  static Map<Long, String> scan(Path basePath) throws IOException {
    Map<Long, String> found = new TreeMap<>();
    if (!Files.isDirectory(basePath)) {
      return found;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(basePath)) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        if (NUMBER.matcher(name).matches() && Files.isDirectory(child)) {
          String listing = listing(child);
          if (listing != null) {
            found.put(Long.parseLong(name), listing);
          }
        }
      }
    }
    return found;
  }

  /**
   * Every path under {@code folder} with its size and modification time, in order; null when the
   * folder is gone (it was removed or moved while we looked).
   */
  static String listing(Path folder) {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(folder)) {
      paths
          .sorted()
          .forEach(
              p -> {
                try {
                  BasicFileAttributes a =
                      Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                  lines.add(
                      folder.relativize(p)
                          + " "
                          + a.size()
                          + " "
                          + a.lastModifiedTime().toMillis());
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      return null;
    }
    return String.join("\n", lines);
  }

  /**
   * The model in a version folder: the folder itself when it is a SavedModel or a Keras folder,
   * else its one {@code .keras} or {@code .h5} file.
   */
  static Path modelIn(Path versionFolder) throws IOException {
    if (Files.isRegularFile(versionFolder.resolve("saved_model.pb"))
        || Files.isRegularFile(versionFolder.resolve("config.json"))) {
      return versionFolder;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(versionFolder)) {
      for (Path child : children) {
        if (Files.isRegularFile(child) && ModelFormat.fromFileName(child) != null) {
          files.add(child);
        }
      }
    }
    if (files.size() != 1) {
      throw new IOException(
          (files.isEmpty() ? "no model in " : "more than one model file in ")
              + versionFolder
              + ": a version folder holds a SavedModel (saved_model.pb), a Keras folder, or one"
              + " .keras or .h5 file");
    }
    return files.get(0);
  }
}
