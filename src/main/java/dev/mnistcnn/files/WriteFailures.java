package dev.mnistcnn.files;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A failed write of a model file as one line that names the file asked for and the reason, e.g.
 * {@code cannot write m.keras: No space left on device}: the libraries that write them say only
 * "Exception writing" (jhdf) or name a temporary file (TensorFlow), which is gone by the time the
 * user reads it.
 */
public final class WriteFailures {
  private WriteFailures() {}

  /**
   * {@code writer}, its failures reworded for {@code target}: I/O errors and {@code library}'s own
   * exception (anything else is a bug and goes up as it is).
   */
  public static AtomicFiles.Writer naming(
      Path target, Class<? extends RuntimeException> library, AtomicFiles.Writer writer) {
    return tmp -> {
      try {
        writer.writeTo(tmp);
      } catch (IOException e) {
        throw new IOException("cannot write " + target + ": " + reason(e), e);
      } catch (RuntimeException e) {
        if (!library.isInstance(e)) {
          throw e;
        }
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
    if (reason == null) {
      return e.getClass().getSimpleName();
    }
    // TensorFlow's file errors read "<path>; <strerror>": the path is the temporary one.
    int end = reason.lastIndexOf("; ");
    return reason.startsWith("/") && end > 0 ? reason.substring(end + 2) : reason;
  }
}
