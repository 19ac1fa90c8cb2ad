package dev.mnistcnn.saving.checkpoint;

import java.io.IOException;

/** A checkpoint directory that a run may not resume from, with the one-line reason. */
public final class CheckpointRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  public CheckpointRefusedException(String message) {
    super(message);
  }
}
