package dev.mnistcnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import dev.mnistcnn.data.Split;
import dev.mnistcnn.model.ActivationFunction;
import dev.mnistcnn.model.Dense;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.provenance.EpochMetrics;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One real training step (Trainer, {@link KerasOptimizer}) on a one-example model, against values
 * computed by hand, as TF Java's own {@code AdamTest} checks its optimizer. The recipe's Adam
 * settings are Keras's defaults: learning rate 1e-3, beta 0.9 and 0.999, epsilon 1e-7.
 *
 * <p>What this test found: TF Java 1.1.0's framework {@code Adam} multiplies its {@code
 * beta1_power} and {@code beta2_power} in the same session run as the {@code ApplyAdam} ops, with
 * no ordering between them, so step t was bias corrected with b1^t or b1^(t+1), b2^t or b2^(t+1),
 * as the scheduler happened to run them (runs saw (2, 2) and (1, 2) on the first step). {@link
 * KerasOptimizer} replaced it; this test pins Keras's (1, 1) and rejects the other three, as well
 * as a wrong gradient, learning rate, epsilon, or missing bias correction.
 */
@Tag(Tier.FAST)
class AdamStepTest {

  // One Adam step for a gradient g, with the bias-correction powers b1^t1 and b2^t2:
  //   m = (1 - b1) g, v = (1 - b2) g^2, lr_t = lr * sqrt(1 - b2^t2) / (1 - b1^t1)
  //   w -= lr_t * m / (sqrt(v) + eps)
  // Computed in double from TensorFlow's float32 constants (0.9f = 0.89999998, 0.999f =
  // 0.99900001, 1e-3f, 1e-7f), e.g. Keras's first step, t1 = t2 = 1, |g| = 0.5:
  //   1e-3 * sqrt(0.001) / 0.1 * 0.05 / (0.0158114 + 1e-7) = 9.9999372294e-4.
  // Without bias correction it would be 3.16e-3; without epsilon the two rows would be equal.
  // (t1, t2) =                  (1, 1)           (2, 2)           (1, 2)           (2, 1)
  private static final double[] BIG_G = {
    9.9999372294e-4, 7.4412963189e-4, 1.4138463893e-3, 5.2631245274e-4
  }; // |g| = 0.5
  private static final double[] SMALL_G = {
    9.9838987235e-4, 7.4293615166e-4, 1.4115787767e-3, 5.2546832090e-4
  }; // |g| = 0.5 / 255

  /** One example x = [255, 1] / 255 = [1, 1/255] with label 0. */
  static final Split ONE_EXAMPLE = new Split(new byte[] {(byte) 255, 1}, new byte[] {0}, 1, 1, 2);

  /** Dense(2, softmax) on 2 inputs, all weights 0. */
  static ModelWeights zeroDense() {
    ModelSpec spec =
        new ModelSpec("adam_step", List.of(2), List.of(new Dense(2, ActivationFunction.SOFTMAX)));
    return ModelWeights.of(spec, Map.of("dense/kernel", new float[4], "dense/bias", new float[2]));
  }

  @Test
  void oneStepOfAdamMovesEachWeightByAHandComputedAmount() {
    ModelWeights zeros = zeroDense();
    Split one = ONE_EXAMPLE;
    TrainingConfig config = TrainingConfig.seedRecipe().withEpochs(1);
    assertEquals(
        new OptimizerSpec.Adam(1e-3, 0.9, 0.999, 1e-7),
        config.optimizer(),
        "the recipe's Adam is Keras's default Adam");
    try (Trainer trainer = new Trainer(zeros, config)) {
      List<EpochMetrics> history = trainer.fit(one, one, new TrainingListener() {});
      // Equal logits: p = [0.5, 0.5], loss = ln 2; dloss/dlogits = p - onehot = [-0.5, 0.5].
      assertEquals(Math.log(2), history.get(0).loss(), 1e-6);
      // Gradients: kernel = x^T [-0.5, 0.5] = [[-0.5, 0.5], [-0.5/255, 0.5/255]]; bias [-0.5, 0.5].
      // Each weight moves against its gradient's sign.
      ModelWeights after = trainer.weights();
      float[] kernel = after.get("dense/kernel");
      float[] bias = after.get("dense/bias");
      assertStep(BIG_G, 1, kernel[0], "kernel[0][0]");
      assertStep(BIG_G, -1, kernel[1], "kernel[0][1]");
      assertStep(SMALL_G, 1, kernel[2], "kernel[1][0]");
      assertStep(SMALL_G, -1, kernel[3], "kernel[1][1]");
      assertStep(BIG_G, 1, bias[0], "bias[0]");
      assertStep(BIG_G, -1, bias[1], "bias[1]");
    }
  }

  /** Keras's step (1, 1), and none of the three racy ones. */
  private static void assertStep(double[] candidates, int sign, float actual, String what) {
    assertEquals(sign * candidates[0], actual, 1e-9, what + " is Keras's first Adam step");
    for (int i = 1; i < candidates.length; i++) {
      assertTrue(
          Math.abs(sign * candidates[i] - actual) > 1e-6,
          what + " = " + actual + " has a racy bias correction " + Arrays.toString(candidates));
    }
  }
}
