package dev.mnistcnn.inference;

/**
 * An image whose header declares more pixels than decoding is allowed to cost; thrown before any
 * pixel is decoded. An {@link InferenceException} so existing callers still report it as bad input;
 * the server may answer it with 413 rather than 400.
 */
public final class ImageTooLargeException extends InferenceException {
  private static final long serialVersionUID = 1L;

  public ImageTooLargeException(String message) {
    super(message);
  }
}
