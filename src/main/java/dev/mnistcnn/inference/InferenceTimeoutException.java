package dev.mnistcnn.inference;

/**
 * A call ran past the predictor's run timeout ({@link Predictor#setRunTimeout}): the server answers
 * 504, the command line one line.
 */
public final class InferenceTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InferenceTimeoutException(String message) {
    super(message, null, false, false); // an answer, not a failure: no stack trace
  }
}
