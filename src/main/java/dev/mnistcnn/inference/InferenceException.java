package dev.mnistcnn.inference;

/** The one checked exception of the inference path; its message is fit to show a user. */
public class InferenceException extends Exception {
  private static final long serialVersionUID = 1L;

  public InferenceException(String message) {
    super(message);
  }

  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
