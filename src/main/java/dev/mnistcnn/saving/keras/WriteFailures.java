package dev.mnistcnn.saving.keras;

import dev.mnistcnn.files.AtomicFiles;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A failed write of a Keras file as one line that names the file asked for and the reason, e.g.
 * {@code cannot write m.keras: No space left on device}: jhdf says only "Exception writing", and
 * the temporary the failure names is gone by the time the user reads it.
 */
final class WriteFailures {
  private WriteFailures() {}

  /** {@code writer}, its failures reworded for {@code target}. */
  static AtomicFiles.Writer naming(Path target, AtomicFiles.Writer writer) {
    return tmp -> {
      try {
        writer.writeTo(tmp);
      } catch (IOException | HdfException e) {
        throw new IOException("cannot write " + target + ": " + reason(e), e);
      }
    };
  }

  /** The innermost cause that says something: the operating system's words where there are any. */
  private static String reason(Throwable e) {
    String reason = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String said =
          t instanceof FileSystemException f && f.getReason() != null
              ? f.getReason()
              : t.getMessage();
      if (said != null && !said.isBlank()) {
        reason = said;
      }
    }
    return reason != null ? reason : e.getClass().getSimpleName();
  }
}
