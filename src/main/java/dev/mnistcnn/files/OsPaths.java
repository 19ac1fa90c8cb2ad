package dev.mnistcnn.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Output paths resolved the way the operating system resolves them. {@code link/../x} names the
 * {@code x} beside the link's target, not beside the link: {@link Path#normalize()} collapses the
 * {@code ..} as text and names another file. Checking one path and writing another is how a user's
 * folder gets replaced, so every check and every write uses the path resolved here, once.
 */
public final class OsPaths {
  private OsPaths() {}

  /**
   * The absolute path the OS means by {@code path}: each existing directory on the way is replaced
   * by its real path before a following {@code ..} is applied; names that do not exist yet are
   * appended as they are. The last name is kept as it is, so a link there stays the link itself.
   */
  public static Path resolve(Path path) throws IOException {
    Path absolute = path.toAbsolutePath();
    Path current = absolute.getRoot();
    int names = absolute.getNameCount();
    for (int i = 0; i < names; i++) {
      String name = absolute.getName(i).toString();
      if (name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        // current holds no links (or does not exist yet), so its parent is the real parent
        Path parent = current.getParent();
        current = parent == null ? current : parent;
        continue;
      }
      current = current.resolve(name);
      if (i < names - 1 && Files.exists(current)) {
        current = current.toRealPath();
      }
    }
    return current;
  }
}
