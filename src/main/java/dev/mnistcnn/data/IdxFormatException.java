package dev.mnistcnn.data;

import java.io.IOException;

/** An IDX file that cannot be read as one; the message is shown to users and names the file. */
public final class IdxFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public IdxFormatException(String message) {
    super(message);
  }

  public IdxFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
