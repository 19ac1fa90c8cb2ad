package dev.mnistcnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import dev.mnistcnn.graph.LayerRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fast tier for the layer types beyond the seed CNN: each layer run alone on a tiny tensor
 * through the real graph builder, checked against values worked out by hand (or by the layer's
 * formula in double precision); no Python, a few seconds in all.
 */
@Tag(Tier.FAST)
class KerasLayerMathTest {
  private static final float EPS = 1e-5f;
  private static final Size2D ONE = Size2D.square(1);

  /** 1..n, a 4x4 image reads 1 2 3 4 / 5 6 7 8 / 9 10 11 12 / 13 14 15 16. */
  private static float[] counting(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i + 1;
    }
    return v;
  }

  private static float[] filled(int n, float value) {
    float[] v = new float[n];
    Arrays.fill(v, value);
    return v;
  }

  private static LayerRunner.Output run(Layer layer, List<Integer> in, float[] x, float[]... w) {
    return LayerRunner.of(layer, in).weights(w).run(x);
  }

  @Test
  void conv2dSamePaddingWithStride2PadsBottomAndRightAsTensorFlow() {
    Conv2D conv =
        new Conv2D(
            null,
            1,
            Size2D.square(3),
            Size2D.square(2),
            Padding.SAME,
            ONE,
            false,
            ActivationFunction.LINEAR);
    var out = run(conv, List.of(4, 4, 1), counting(16), filled(9, 1));
    assertArrayEquals(new long[] {1, 2, 2, 1}, out.shape());
    // Windows rows/cols 0-2 and 2-4, the 4th row and column being zero padding.
    assertArrayEquals(new float[] {54, 45, 72, 54}, out.values(), EPS);
  }

  @Test
  void conv2dDilationSpreadsTheKernel() {
    Conv2D conv =
        new Conv2D(
            null,
            1,
            Size2D.square(2),
            ONE,
            Padding.VALID,
            Size2D.square(2),
            true,
            ActivationFunction.LINEAR);
    var out = run(conv, List.of(4, 4, 1), counting(16), filled(4, 1), new float[] {0.5f});
    // (0,0) sums x[0,0] x[0,2] x[2,0] x[2,2] = 1 + 3 + 9 + 11, plus the bias.
    assertArrayEquals(new float[] {24.5f, 28.5f, 40.5f, 44.5f}, out.values(), EPS);
  }

  @Test
  void conv2dRefusesStridesWithDilationAsKerasDoes() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Conv2D(
                    null,
                    1,
                    Size2D.square(3),
                    Size2D.square(2),
                    Padding.VALID,
                    Size2D.square(2),
                    true,
                    ActivationFunction.LINEAR));
    assertTrue(e.getMessage().startsWith("`strides > 1` not supported"), e.getMessage());
  }

  @Test
  void denseWithoutBiasHasOnlyAKernel() {
    Dense dense = new Dense(null, 2, false, ActivationFunction.LINEAR);
    assertEquals(1, dense.weights(List.of(2)).size());
    var out = run(dense, List.of(2), new float[] {1, 2}, new float[] {1, 2, 3, 4});
    assertArrayEquals(new float[] {7, 10}, out.values(), EPS);
  }

  @Test
  void everyActivationComputesItsKerasFormula() {
    float[] x = {-3f, -0.5f, 0f, 0.7f, 2.5f};
    for (ActivationFunction f : ActivationFunction.values()) {
      if (f == ActivationFunction.SOFTMAX) {
        continue;
      }
      var out = run(new Activation(f), List.of(5), x);
      for (int i = 0; i < x.length; i++) {
        assertEquals(expected(f, x[i]), out.values()[i], 1e-6, f + "(" + x[i] + ")");
      }
    }
    var softmax =
        run(new Activation(ActivationFunction.SOFTMAX), List.of(3), new float[] {1, 2, 3});
    double sum = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assertArrayEquals(
        new float[] {
          (float) (Math.exp(1) / sum), (float) (Math.exp(2) / sum), (float) (Math.exp(3) / sum)
        },
        softmax.values(),
        1e-6f);
    assertEquals(ActivationFunction.SILU, ActivationFunction.fromKerasName("swish"));
  }

  /** The formulas of keras.activations, in double precision. */
  private static double expected(ActivationFunction f, double x) {
    double alpha = 1.6732632423543772;
    double scale = 1.0507009873554805;
    return switch (f) {
      case LINEAR -> x;
      case RELU -> Math.max(x, 0);
      case SIGMOID -> 1 / (1 + Math.exp(-x));
      case TANH -> Math.tanh(x);
      case ELU -> x > 0 ? x : Math.exp(x) - 1;
      case SELU -> scale * (x > 0 ? x : alpha * (Math.exp(x) - 1));
      case GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
      case SILU -> x / (1 + Math.exp(-x));
      case SOFTPLUS -> Math.log1p(Math.exp(x));
      case SOFTMAX -> throw new IllegalArgumentException("not elementwise");
    };
  }

  /** erf by its Maclaurin series: exact to double rounding for |x| < 2.5. */
  private static double erf(double x) {
    double sum = 0;
    double term = x;
    for (int n = 0; n < 80; n++) {
      sum += term / (2 * n + 1);
      term *= -x * x / (n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  @Test
  void batchNormalizationUsesMovingStatisticsAtInference() {
    BatchNormalization bn = new BatchNormalization();
    float[] x = {1, 10, 3, 20}; // two positions, two channels
    float[] gamma = {2, 0.5f};
    float[] beta = {0.1f, -1};
    float[] mean = {2, 15};
    float[] variance = {4, 25};
    var out = LayerRunner.of(bn, List.of(2, 2)).weights(gamma, beta, mean, variance).run(x);
    for (int i = 0; i < x.length; i++) {
      int c = i % 2;
      double want = (x[i] - mean[c]) / Math.sqrt(variance[c] + 1e-3) * gamma[c] + beta[c];
      assertEquals(want, out.values()[i], 1e-5, "value " + i);
    }
    assertArrayEquals(mean, out.weightsAfter().get("batch_normalization/moving_mean"));
  }

  @Test
  void batchNormalizationTrainsOnBatchStatisticsAndMovesItsAverages() {
    BatchNormalization bn = new BatchNormalization();
    float[] x = {1, 10, 3, 30, 5, 20}; // a batch of three, two channels
    float[] mean = {0.5f, 1};
    float[] variance = {2, 3};
    var out =
        LayerRunner.of(bn, List.of(2))
            .weights(filled(2, 1), filled(2, 0), mean, variance)
            .training(true)
            .run(x);
    // Channel 0: batch mean 3, biased variance 8/3; channel 1: mean 20, variance 200/3.
    double[][] stats = {{3, 8.0 / 3}, {20, 200.0 / 3}};
    for (int i = 0; i < x.length; i++) {
      double[] s = stats[i % 2];
      assertEquals((x[i] - s[0]) / Math.sqrt(s[1] + 1e-3), out.values()[i], 1e-5, "value " + i);
    }
    ModelWeights after = out.weightsAfter();
    float[] movedMean = after.get("batch_normalization/moving_mean");
    float[] movedVariance = after.get("batch_normalization/moving_variance");
    for (int c = 0; c < 2; c++) {
      assertEquals(mean[c] * 0.99 + stats[c][0] * 0.01, movedMean[c], 1e-5, "mean " + c);
      assertEquals(variance[c] * 0.99 + stats[c][1] * 0.01, movedVariance[c], 1e-4, "var " + c);
    }
    assertEquals(List.of(true, true, false, false), trainable(bn, List.of(2)));
    assertEquals(
        List.of(true, false, false),
        trainable(new BatchNormalization(null, -1, 0.99, 1e-3, false, true), List.of(2)));
  }

  private static List<Boolean> trainable(Layer layer, List<Integer> in) {
    return layer.weights(in).stream().map(WeightSpec::trainable).toList();
  }

  @Test
  void poolingHonoursStridesAndSamePadding() {
    var max =
        run(
            new MaxPooling2D(
                null, new PoolWindow(Size2D.square(3), Size2D.square(2), Padding.SAME)),
            List.of(4, 4, 1),
            counting(16));
    assertArrayEquals(new float[] {11, 12, 15, 16}, max.values(), EPS);
    var avg =
        run(
            new AveragePooling2D(
                null, new PoolWindow(Size2D.square(2), Size2D.square(2), Padding.SAME)),
            List.of(3, 3, 1),
            counting(9));
    // Padding is left out of the mean: the corner window holds 9 alone.
    assertArrayEquals(new float[] {3, 4.5f, 7.5f, 9}, avg.values(), EPS);
    var strided =
        run(
            new MaxPooling2D(null, new PoolWindow(Size2D.square(2), ONE, Padding.VALID)),
            List.of(3, 3, 1),
            counting(9));
    assertArrayEquals(new float[] {5, 6, 8, 9}, strided.values(), EPS);
  }

  @Test
  void globalPoolingReducesHeightAndWidth() {
    float[] x = counting(8); // 2x2 positions, two channels
    var avg = run(new GlobalPooling2D(GlobalPooling2D.Kind.AVERAGE), List.of(2, 2, 2), x);
    assertArrayEquals(new float[] {4, 5}, avg.values(), EPS);
    assertArrayEquals(new long[] {1, 2}, avg.shape());
    var max = run(new GlobalPooling2D(null, GlobalPooling2D.Kind.MAX, true), List.of(2, 2, 2), x);
    assertArrayEquals(new float[] {7, 8}, max.values(), EPS);
    assertArrayEquals(new long[] {1, 1, 1, 2}, max.shape());
  }

  @Test
  void shapeLayersMoveValuesAsKerasDoes() {
    var padded = run(new ZeroPadding2D(null, 1, 0, 0, 2), List.of(1, 2, 1), new float[] {5, 6});
    assertArrayEquals(new long[] {1, 2, 4, 1}, padded.shape());
    assertArrayEquals(new float[] {0, 0, 0, 0, 5, 6, 0, 0}, padded.values(), EPS);
    var reshaped = run(new Reshape(null, List.of(-1, 2)), List.of(2, 3), counting(6));
    assertArrayEquals(new long[] {1, 3, 2}, reshaped.shape());
    assertArrayEquals(counting(6), reshaped.values(), EPS);
    var rescaled = run(new Rescaling(null, 1 / 255.0, -0.5), List.of(2), new float[] {0, 255});
    assertArrayEquals(new float[] {-0.5f, 0.5f}, rescaled.values(), EPS);
  }

  @Test
  void activationLayersComputeTheirFormula() {
    float[] x = {-2, 0.5f, 3};
    assertArrayEquals(
        new float[] {0, 0.5f, 1.5f}, run(new ReLU(null, 1.5), List.of(3), x).values(), EPS);
    assertArrayEquals(
        new float[] {-0.4f, 0.5f, 3}, run(new LeakyReLU(null, 0.2), List.of(3), x).values(), EPS);
    float[] softmax = run(new Softmax(null), List.of(3), x).values();
    double sum = Math.exp(-2) + Math.exp(0.5) + Math.exp(3);
    assertEquals(Math.exp(3) / sum, softmax[2], 1e-6);
  }

  @Test
  void dropoutLayersScaleOnlyInTraining() {
    float[] ones = filled(2 * 3 * 3 * 4, 1);
    List<Integer> shape = List.of(3, 3, 4);
    SpatialDropout2D spatial = new SpatialDropout2D(null, 0.5);
    assertArrayEquals(ones, LayerRunner.of(spatial, shape).run(ones).values());
    float[] dropped = LayerRunner.of(spatial, shape).training(true).run(ones).values();
    // One draw per image and channel: a whole 3x3 map is 0 or 2 (1 / (1 - rate)).
    List<Float> maps = new ArrayList<>();
    for (int n = 0; n < 2; n++) {
      for (int c = 0; c < 4; c++) {
        float first = dropped[n * 36 + c];
        assertTrue(first == 0 || first == 2, "value " + first);
        for (int p = 0; p < 9; p++) {
          assertEquals(first, dropped[n * 36 + p * 4 + c], "image " + n + " channel " + c);
        }
        maps.add(first);
      }
    }
    assertTrue(maps.contains(0f) && maps.contains(2f), "8 maps, some kept, some dropped: " + maps);
    Dropout dropout = new Dropout(0.5);
    assertArrayEquals(ones, LayerRunner.of(dropout, shape).run(ones).values());
    for (float v : LayerRunner.of(dropout, shape).training(true).run(ones).values()) {
      assertTrue(v == 0 || v == 2, "dropout value " + v);
    }
  }
}
