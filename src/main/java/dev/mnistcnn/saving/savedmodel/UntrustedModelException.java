package dev.mnistcnn.saving.savedmodel;

import java.io.IOException;

/** A SavedModel holds something a model of the supported layers never runs; it was not loaded. */
public final class UntrustedModelException extends IOException {
  private static final long serialVersionUID = 1L;

  public UntrustedModelException(String message) {
    super(message);
  }
}
