package dev.mnistcnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import dev.mnistcnn.graph.Tensors;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@link ImageAugmentation}'s transform on tiny images, run in real TensorFlow, against where hand
 * math puts each pixel, and its random draws (range, reproducibility from the seed).
 */
@Tag(Tier.FAST)
class ImageAugmentationTest {
  private static final int SIDE = 5; // centre (2, 2)

  @Test
  void theZeroTransformIsTheIdentity() {
    float[] image = new float[SIDE * SIDE];
    Random random = new Random(3);
    for (int i = 0; i < image.length; i++) {
      image[i] = random.nextFloat();
    }
    assertArrayEquals(image, transformed(image, 0, 0, 0, 1), 1e-6f);
  }

  @Test
  void aOnePixelShiftMovesAPixelByOne() {
    float[] image = onePixel(1, 2);
    assertArrayEquals(onePixel(2, 2), transformed(image, 1, 0, 0, 1), 1e-6f, "x + 1");
    assertArrayEquals(onePixel(1, 3), transformed(image, 0, 1, 0, 1), 1e-6f, "y + 1");
    assertArrayEquals(onePixel(0, 1), transformed(image, -1, -1, 0, 1), 1e-6f, "x - 1, y - 1");
  }

  @Test
  void aQuarterTurnMovesAPixelWhereHandMathSays() {
    // Output (x, y) samples input R(90°) (x - 2, y - 2) + (2, 2) = (4 - y, x): the input pixel at
    // (x 1, y 0), top row, lands at output (x 0, y 3), the left column (counter-clockwise on
    // screen).
    assertArrayEquals(
        onePixel(0, 3), transformed(onePixel(1, 0), 0, 0, (float) (Math.PI / 2), 1), 1e-6f);
  }

  @Test
  void aScaleOfTwoHalvesDistancesFromTheCentre() {
    // Output (x, y) samples input 2 (x - 2, y - 2) + (2, 2): input (4, 2) shows at output (3, 2).
    assertArrayEquals(onePixel(3, 2), transformed(onePixel(4, 2), 0, 0, 0, 2), 1e-6f);
  }

  @Test
  void randomDrawsStayWithinTheirRangesAndFillThem() {
    ImageAugmentation augmentation = new ImageAugmentation(2, 10, 0.1);
    int n = 4000;
    float[] rows =
        run(
            (tf, unused) -> augmentation.sample(tf, tf.constant(new int[] {n}), 11),
            new float[1],
            List.of(1));
    double[] bound = {2, 2, Math.toRadians(10), 0.1};
    double[] centre = {0, 0, 0, 1};
    for (int c = 0; c < 4; c++) {
      double min = Double.MAX_VALUE;
      double max = -Double.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        double v = rows[i * 4 + c] - centre[c];
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      assertTrue(min >= -bound[c] - 1e-6 && max <= bound[c] + 1e-6, "column " + c + " in range");
      assertTrue(min < -0.95 * bound[c] && max > 0.95 * bound[c], "column " + c + " fills it");
    }
  }

  @Test
  void aSeedGivesTheSameDistortedBatchTwiceAndAnotherSeedAnother() {
    ImageAugmentation augmentation = new ImageAugmentation(2, 10, 0.1);
    int batch = 8;
    float[] images = new float[batch * 28 * 28];
    Random random = new Random(5);
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat();
    }
    List<Integer> shape = List.of(batch, 28, 28, 1);
    float[] first = run((tf, x) -> augmentation.apply(tf, x, 7), images, shape);
    float[] again = run((tf, x) -> augmentation.apply(tf, x, 7), images, shape);
    float[] other = run((tf, x) -> augmentation.apply(tf, x, 8), images, shape);
    assertArrayEquals(first, again);
    assertFalse(Arrays.equals(first, images), "the images are distorted");
    assertFalse(Arrays.equals(first, other), "another seed draws other distortions");
    assertEquals(images.length, first.length);
  }

  /** One SIDE x SIDE image, all zero but a 1 at column {@code x}, row {@code y}. */
  private static float[] onePixel(int x, int y) {
    float[] image = new float[SIDE * SIDE];
    image[y * SIDE + x] = 1;
    return image;
  }

  /** {@code image} through the transform of one parameter row (dx, dy, angle, scale). */
  private static float[] transformed(float[] image, float dx, float dy, float angle, float scale) {
    return run(
        (tf, x) ->
            ImageAugmentation.warp(
                tf,
                x,
                ImageAugmentation.transforms(
                    tf, tf.constant(new float[][] {{dx, dy, angle, scale}}), tf.shape(x))),
        image,
        List.of(1, SIDE, SIDE, 1));
  }

  /** Builds {@code op} on a constant input of {@code shape} in a fresh graph and runs it. */
  private static float[] run(
      BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> op,
      float[] input,
      List<Integer> shape) {
    try (Graph g = new Graph();
        TFloat32 x = Tensors.floats(input, shape)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> out = op.apply(tf, tf.constantOf(x));
      try (Session s = new Session(g);
          Result r = s.runner().fetch(out).run()) {
        return Tensors.toArray((TFloat32) r.get(0));
      }
    }
  }
}
