package dev.mnistcnn.serve.models;

import dev.mnistcnn.inference.Predictor;
import java.util.List;

/**
 * What REST and gRPC accept as one image: its layouts and the range of its values. A request holds
 * a batch of images, each in one of these shapes (the batch dimension before them).
 */
public final class ImageInput {
  private static final int SIDE = Predictor.IMAGE_SIDE;

  /** [28, 28, 1] (the signature's), [28, 28] or [784]: row-major, the same values in each. */
  public static final List<List<Integer>> SHAPES =
      List.of(List.of(SIDE, SIDE, 1), List.of(SIDE, SIDE), List.of(SIDE * SIDE));

  public static final String SHAPES_TEXT = "[28, 28, 1], [28, 28] or [784]";

  private ImageInput() {}

  /**
   * Whether {@code v} is a pixel intensity the model was trained on, in [0, 1]. Stricter than TF
   * Serving on purpose: 0..255 pixels, the most common client mistake, give confident nonsense, and
   * NaN would come back as NaN probabilities.
   */
  public static boolean isPixel(double v) {
    return v >= 0 && v <= 1;
  }

  /** The refusal of a value that is not a pixel intensity, {@code where} naming its place. */
  public static String notAPixel(String where, String value) {
    return where + " holds " + value + ", outside [0, 1]; send pixel intensities divided by 255";
  }
}
