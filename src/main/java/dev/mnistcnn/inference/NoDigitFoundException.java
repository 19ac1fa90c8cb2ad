package dev.mnistcnn.inference;

/** The image decoded but holds nothing that looks like a digit: blank, or only specks of noise. */
public class NoDigitFoundException extends InferenceException {
  private static final long serialVersionUID = 1L;

  public NoDigitFoundException() {
    super("no digit found in the image");
  }
}
