package dev.mnistcnn.train;

/** The loss stopped being finite: the run is over and its weights are worth nothing. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message, null, false, false); // a verdict on the run, not a bug: no stack trace
  }
}
