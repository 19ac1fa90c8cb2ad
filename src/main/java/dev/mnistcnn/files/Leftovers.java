package dev.mnistcnn.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.io.file.PathUtils;

/**
 * The siblings an atomic write makes beside its target, and what the next write does with those a
 * killed run left behind. A temporary is {@code .<name>.tmp-<pid>-<random>} (plus suffixes a writer
 * adds), the old target moved aside during a swap is {@code .<name>.old-<pid>-<random>}. The
 * writer's process id in the name tells a leftover (its process is gone) from the work of a run
 * still going, which is never touched.
 */
final class Leftovers {
  /** After {@code .<name>.}: what this version writes. */
  private static final String SUFFIX =
      "(?<kind>tmp|old)-(?<pid>\\d{1,10})-[0-9a-z]{1,13}(?:\\..*)?";

  /**
   * After {@code .<name>.}: what versions 0.1.0 and earlier wrote ({@code tmp-<n>}, {@code
   * old-<n>}, {@code <n>.tmp[.weights.h5]}), without a process id. No such version runs beside this
   * one, so they count as left by a dead run.
   */
  private static final String OLD_SUFFIX =
      "(?:(?<oldkind>tmp|old)-\\d{1,20}|\\d{1,20}\\.tmp(?:\\.weights\\.h5)?)";

  private Leftovers() {}

  /** A fresh name for a temporary that will become {@code target}. */
  static Path temporary(Path target) {
    return sibling(target, "tmp");
  }

  /** A fresh name to move the old {@code target} aside to while the new one is renamed in. */
  static Path aside(Path target) {
    return sibling(target, "old");
  }

  private static Path sibling(Path target, String kind) {
    String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    return target.resolveSibling(
        "."
            + target.getFileName()
            + "."
            + kind
            + "-"
            + ProcessHandle.current().pid()
            + "-"
            + random);
  }

  /**
   * Repairs what killed runs left beside {@code target}: when the target is missing, the old copy a
   * swap moved aside is renamed back (it was complete); then every other leftover of a dead run is
   * deleted (its links, never what they point to).
   */
  static void recover(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    String name = target.getFileName().toString();
    List<Path> asides = new ArrayList<>();
    List<Path> temporaries = new ArrayList<>();
    Pattern ours =
        Pattern.compile("\\." + Pattern.quote(name) + "\\.(?:" + SUFFIX + "|" + OLD_SUFFIX + ")");
    try (DirectoryStream<Path> siblings = Files.newDirectoryStream(dir, ".*")) {
      for (Path sibling : siblings) {
        String kind = leftoverKind(ours, sibling.getFileName().toString());
        if (kind != null) {
          ("old".equals(kind) ? asides : temporaries).add(sibling);
        }
      }
    }
    Path absolute = dir.resolve(name);
    if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) && !asides.isEmpty()) {
      // One swap moves one old copy aside; should several be there, the newest is the latest.
      asides.sort((a, b) -> Long.compare(modified(b), modified(a)));
      AtomicFiles.move(asides.remove(0), absolute);
    }
    temporaries.addAll(asides);
    for (Path leftover : temporaries) {
      delete(leftover);
    }
  }

  /** "tmp" or "old" for a leftover of a dead run; null for anything else. */
  private static String leftoverKind(Pattern ours, String sibling) {
    Matcher m = ours.matcher(sibling);
    if (!m.matches()) {
      return null;
    }
    if (m.group("kind") != null) {
      return isAlive(m.group("pid")) ? null : m.group("kind");
    }
    return m.group("oldkind") == null ? "tmp" : m.group("oldkind");
  }

  /** Deletes a file, a link or a whole directory tree, never following links out of it. */
  static void delete(Path path) throws IOException {
    PathUtils.delete(path, new LinkOption[] {LinkOption.NOFOLLOW_LINKS});
  }

  private static boolean isAlive(String pid) {
    return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
