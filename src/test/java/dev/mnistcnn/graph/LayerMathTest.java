package dev.mnistcnn.graph;

import static dev.mnistcnn.model.ActivationFunction.LINEAR;
import static dev.mnistcnn.model.ActivationFunction.RELU;
import static dev.mnistcnn.model.ActivationFunction.SOFTMAX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import dev.mnistcnn.model.Activation;
import dev.mnistcnn.model.Conv2D;
import dev.mnistcnn.model.Dense;
import dev.mnistcnn.model.Dropout;
import dev.mnistcnn.model.Flatten;
import dev.mnistcnn.model.MaxPooling2D;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each layer type on a tiny tensor, through the real graph code ({@link LayerRunner}), against
 * values computed by hand (the arithmetic is in the comments). Layouts are TensorFlow's: inputs
 * NHWC, Conv2D kernels HWIO, Dense kernels (in, out), all row-major.
 */
@Tag(Tier.FAST)
class LayerMathTest {
  private static final float EXACT = 0f;

  @Test
  void conv2dValidPaddingTwoFiltersBiasAndRelu() {
    // input 3x3x1:  1 2 3 / 4 5 6 / 7 8 9
    // filter 0 (2x2): 1 2 / 3 4, bias -40; filter 1: 0 0 / 0 1 (picks the bottom-right), bias 0.5
    // HWIO row-major, (h, w) then filter: (0,0) [1, 0], (0,1) [2, 0], (1,0) [3, 0], (1,1) [4, 1]
    float[] kernel = {1, 0, 2, 0, 3, 0, 4, 1};
    float[] bias = {-40, 0.5f};
    float[] input = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    LayerRunner.Output out =
        LayerRunner.of(new Conv2D(2, 2, RELU), 3, 3, 1).weights(kernel, bias).run(input);
    // filter 0: 1+4+12+20=37, 2+6+15+24=47, 4+10+21+32=67, 5+12+24+36=77; -40: -3 7 27 37; relu
    // filter 1: 5, 6, 8, 9; +0.5
    assertArrayEquals(new long[] {1, 2, 2, 2}, out.shape());
    assertArrayEquals(new float[] {0, 5.5f, 7, 6.5f, 27, 8.5f, 37, 9.5f}, out.values(), EXACT);
  }

  @Test
  void conv2dSumsOverInputChannels() {
    // input 2x2x2, channel 0 = 1 2 / 3 4, channel 1 = 10 20 / 30 40, interleaved (HWC)
    float[] input = {1, 10, 2, 20, 3, 30, 4, 40};
    // kernel 2x2x2x1 (HWIO): (0,0) [1, 0.5], (1,1) [2, -0.1], the rest 0
    float[] kernel = {1, 0.5f, 0, 0, 0, 0, 2, -0.1f};
    LayerRunner.Output out =
        LayerRunner.of(new Conv2D(1, 2, LINEAR), 2, 2, 2)
            .weights(kernel, new float[] {0})
            .run(input);
    // 1*1 + 10*0.5 + 4*2 + 40*(-0.1) = 1 + 5 + 8 - 4 = 10
    assertArrayEquals(new long[] {1, 1, 1, 1}, out.shape());
    assertArrayEquals(new float[] {10}, out.values(), 1e-5f);
  }

  @Test
  void maxPoolingTakesTheMaximumOfEachWindow() {
    float[] input = {
      1, 9, 2, 0, //
      3, 4, 0, 8, //
      -1, -2, 5, 5, //
      -3, -4, 6, -7
    };
    LayerRunner.Output out = LayerRunner.of(new MaxPooling2D(2), 4, 4, 1).run(input);
    assertArrayEquals(new long[] {1, 2, 2, 1}, out.shape());
    assertArrayEquals(new float[] {9, 8, -1, 6}, out.values(), EXACT);
  }

  @Test
  void maxPoolingDropsWhatDoesNotFillAWindow() {
    // valid padding: a 3x3 input gives one 2x2 window; the last row and column are never read
    float[] input = {
      1, 2, 100, //
      3, 4, 100, //
      100, 100, 100
    };
    LayerRunner.Output out = LayerRunner.of(new MaxPooling2D(2), 3, 3, 1).run(input);
    assertArrayEquals(new long[] {1, 1, 1, 1}, out.shape());
    assertArrayEquals(new float[] {4}, out.values(), EXACT);
  }

  @Test
  void denseIsMatMulPlusBiasThenActivation() {
    // x (2 examples): [1, 2], [3, -1]; kernel (2 in, 3 out): [1, 0, -1], [2, 1, 0]; bias .5 0 1
    float[] kernel = {1, 0, -1, 2, 1, 0};
    float[] bias = {0.5f, 0, 1};
    LayerRunner.Output out =
        LayerRunner.of(new Dense(3, RELU), 2).weights(kernel, bias).run(new float[] {1, 2, 3, -1});
    // [1+4, 0+2, -1+0] + bias = [5.5, 2, 0]; [3-2, 0-1, -3+0] + bias = [1.5, -1, -2] -> relu
    assertArrayEquals(new long[] {2, 3}, out.shape());
    assertArrayEquals(new float[] {5.5f, 2, 0, 1.5f, 0, 0}, out.values(), EXACT);
  }

  @Test
  void flattenKeepsRowMajorOrderPerExample() {
    float[] input = new float[16];
    for (int i = 0; i < input.length; i++) {
      input[i] = i + 1;
    }
    LayerRunner.Output out = LayerRunner.of(new Flatten(), 2, 2, 2).run(input);
    assertArrayEquals(new long[] {2, 8}, out.shape());
    assertArrayEquals(input, out.values(), EXACT);
  }

  @Test
  void dropoutIsTheIdentityAtInference() {
    float[] input = {0.5f, -2, 3, 7, 0, 1e-3f};
    LayerRunner.Output out = LayerRunner.of(new Dropout(0.5), 6).run(input);
    assertArrayEquals(new long[] {1, 6}, out.shape());
    assertArrayEquals(input, out.values(), EXACT);
  }

  @Test
  void dropoutInTrainingZeroesSomeAndScalesTheRestByOneOverOneMinusRate() {
    int n = 1000;
    float[] ones = new float[n];
    Arrays.fill(ones, 1f);
    for (double rate : new double[] {0.5, 0.25}) {
      float kept = (float) (1 / (1 - rate)); // 2 and 4/3
      float[] out = LayerRunner.of(new Dropout(rate), n).training(true).run(ones).values();
      int zeros = 0;
      for (float v : out) {
        assertTrue(v == 0 || v == kept, "rate " + rate + ": " + v + " is neither 0 nor " + kept);
        zeros += v == 0 ? 1 : 0;
      }
      // About rate * n dropped; fixed seed, so this is a fixed number (far from the bounds).
      assertTrue(Math.abs(zeros - rate * n) < 0.1 * n, "rate " + rate + ": " + zeros + " of " + n);
    }
  }

  @Test
  void reluActivationClampsNegativesToZero() {
    LayerRunner.Output out =
        LayerRunner.of(new Activation(RELU), 5).run(new float[] {-2, -0.5f, 0, 0.5f, 3});
    assertArrayEquals(new float[] {0, 0, 0, 0.5f, 3}, out.values(), EXACT);
  }

  @Test
  void softmaxActivationNormalisesEachRowStably() {
    // e^1, e^2, e^3 over their sum 30.19287485: 0.09003057, 0.24472847, 0.66524096; a row shifted
    // by 1000 gives the same (no overflow); equal logits give 1/3 each.
    float[] input = {1, 2, 3, 1001, 1002, 1003, 0, 0, 0};
    LayerRunner.Output out = LayerRunner.of(new Activation(SOFTMAX), 3).run(input);
    double third = 1 / 3.0;
    double[] expected = {
      0.0900305732,
      0.2447284711,
      0.6652409558,
      0.0900305732,
      0.2447284711,
      0.6652409558,
      third,
      third,
      third
    };
    assertEquals(3, out.shape()[0]);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], out.values()[i], 1e-6, "value " + i + " of " + out);
    }
  }
}
