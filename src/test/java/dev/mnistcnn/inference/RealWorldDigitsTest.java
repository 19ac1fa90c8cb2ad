package dev.mnistcnn.inference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.data.Split;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The shipped model on 1,000 "real world" renderings of MNIST test digits (scaled up 3-6x, dark on
 * light, off centre on a larger canvas, JPEG, tinted, thicker strokes, and every combination): with
 * preprocessing it must stay at 98% or better; fed naively (just resized to 28x28 grey) the same
 * images score far lower, which shows the preprocessing is what does the work.
 */
@Tag(Tier.SLOW)
class RealWorldDigitsTest {
  private static final int IMAGES = 1_000;

  @Test
  void preprocessingRecoversMnistAccuracyOnRealWorldVariants() throws Exception {
    Split test = TestData.mnist().test();
    Random rng = new Random(2024);
    int preprocessedCorrect = 0;
    int naiveCorrect = 0;
    try (Predictor predictor = Predictor.open(TestData.shippedModel())) {
      for (int i = 0; i < IMAGES; i++) {
        int index =
            5_000 + i; // digits the model never trained on (test set), away from others' picks
        int kind = i % DigitVariants.KINDS;
        BufferedImage image = DigitVariants.variant(test.imagesAsFloats(index, 1), kind, rng);
        byte[] file = DigitVariants.encode(image, (kind & DigitVariants.JPEG) != 0 ? "jpg" : "png");
        int label = test.label(index);
        if (predictor.predict(DigitPreprocessor.fromImageBytes(file)).digit() == label) {
          preprocessedCorrect++;
        }
        if (predictor.predict(naive(DigitVariants.decode(file))).digit() == label) {
          naiveCorrect++;
        }
      }
    }
    double withPreprocessing = (double) preprocessedCorrect / IMAGES;
    double without = (double) naiveCorrect / IMAGES;
    System.out.printf(
        "real-world variants: %.1f%% with preprocessing, %.1f%% resized only (%d images)%n",
        100 * withPreprocessing, 100 * without, IMAGES);
    assertTrue(withPreprocessing >= 0.98, "with preprocessing: " + withPreprocessing);
    assertTrue(
        withPreprocessing - without >= 0.3,
        "without preprocessing should be far lower: " + without + " vs " + withPreprocessing);
  }

  /** What a user without preprocessing would do: resize to 28x28 grey and scale to [0, 1]. */
  private static float[] naive(BufferedImage image) {
    BufferedImage small = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    small.getGraphics().drawImage(image.getScaledInstance(28, 28, Image.SCALE_SMOOTH), 0, 0, null);
    float[] pixels = new float[Predictor.IMAGE_SIZE];
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        pixels[y * 28 + x] = small.getRaster().getSample(x, y, 0) / 255f;
      }
    }
    return pixels;
  }
}
