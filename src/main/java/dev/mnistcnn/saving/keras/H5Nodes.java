package dev.mnistcnn.saving.keras;

import io.jhdf.api.Group;
import io.jhdf.api.Link;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Walks an HDF5 file without following links. Keras writes weights as datasets in place; a soft
 * link can loop (jhdf then overflows the stack) and an external link opens another file (such as
 * {@code /etc/passwd}), so a model file with links is refused, naming the link.
 */
final class H5Nodes {
  private H5Nodes() {}

  /** The child {@code name} of {@code group}, null when absent; a link is refused. */
  static Node child(Group group, String name) {
    Node n = group.getChildren().get(name);
    if (n instanceof Link link) {
      throw new IllegalArgumentException(
          "HDF5 link "
              + link.getPath()
              + " -> "
              + link.getTargetPath()
              + " refused: model files hold their weights in place, links are not followed");
    }
    return n;
  }

  /**
   * jhdf reads corrupt files with runtime exceptions of every kind (overflow, buffer underflow, bad
   * indices); to the user they all mean the same: the file is damaged.
   */
  static IOException corrupt(Path file, RuntimeException e) {
    return new IOException(
        file
            + ": corrupt or unsupported HDF5 data ("
            + e.getClass().getSimpleName()
            + ": "
            + e.getMessage()
            + ")",
        e);
  }

  /** The node at a relative {@code path} ({@code a/b/c}) below {@code group}, null when absent. */
  static Node byPath(Group group, String path) {
    Node n = group;
    for (String part : path.split("/", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      if (!(n instanceof Group g)) {
        return null;
      }
      n = child(g, part);
    }
    return n;
  }
}
