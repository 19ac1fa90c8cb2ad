package dev.mnistcnn.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** Turns any exception into one line a user can act on: no stack traces, no native dumps. */
final class ErrorMessages {
  private ErrorMessages() {}

  static String oneLine(Throwable e) {
    String message = describe(e);
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static String describe(Throwable e) {
    if (e instanceof NoSuchFileException n) {
      return "file not found: " + n.getFile();
    }
    if (e instanceof AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    if (e instanceof FileAlreadyExistsException f) {
      return "already exists: " + f.getFile();
    }
    if (e instanceof OutOfMemoryError) {
      return "out of memory; try a smaller --batch-size or give Java more memory (-Xmx)";
    }
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName()
          + (e.getCause() != null ? ": " + oneLine(e.getCause()) : "");
    }
    return m;
  }
}
