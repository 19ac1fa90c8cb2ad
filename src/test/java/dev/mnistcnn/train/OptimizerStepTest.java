package dev.mnistcnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mnistcnn.Tier;
import dev.mnistcnn.data.Split;
import dev.mnistcnn.graph.VariableValue;
import dev.mnistcnn.model.ActivationFunction;
import dev.mnistcnn.model.Dense;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two real training steps (Trainer, {@link KerasOptimizer}) of SGD and RMSprop on a one-example
 * model, against Keras's update rules worked in double precision here, as {@link AdamStepTest} does
 * for Adam. Two steps, because momentum changes nothing on the first one. First steps by hand, for
 * the largest gradient |g| = 0.5: SGD lr 0.01 moves a weight by 0.01 * 0.5 = 5e-3; RMSprop by 1e-3
 * * 0.5 / sqrt(0.1 * 0.25 + 1e-7) = 3.1623e-3, and for |g| = 0.5 / 255 by 1e-3 * 1.9608e-3 /
 * sqrt(3.8447e-7 + 1e-7) = 2.8171e-3 (epsilon inside the root matters there).
 */
@Tag(Tier.FAST)
class OptimizerStepTest {
  // Dense(2, softmax) on one example x = [255, 1] / 255 with label 0, all weights 0.
  private static final double[] X = {1, 1 / 255.0};
  private static final ModelSpec SPEC =
      new ModelSpec("step", List.of(2), List.of(new Dense(2, ActivationFunction.SOFTMAX)));
  private static final Split ONE = new Split(new byte[] {(byte) 255, 1}, new byte[] {0}, 1, 1, 2);

  @Test
  void sgdWithoutMomentumKeepsNoSlots() {
    OptimizerSpec sgd = OptimizerSpec.Sgd.DEFAULTS;
    Map<String, VariableValue> variables = assertTwoStepsAsKeras(sgd);
    assertEquals(Set.of("sgd/iteration"), optimizerVariables(variables, "sgd/"));
  }

  @Test
  void sgdWithMomentum() {
    Map<String, VariableValue> variables =
        assertTwoStepsAsKeras(new OptimizerSpec.Sgd(0.01, 0.9, false));
    assertEquals(
        Set.of("sgd/iteration", "sgd/dense.kernel_momentum", "sgd/dense.bias_momentum"),
        optimizerVariables(variables, "sgd/"));
  }

  @Test
  void sgdWithNesterovMomentum() {
    assertTwoStepsAsKeras(new OptimizerSpec.Sgd(0.05, 0.9, true));
  }

  @Test
  void rmsPropWithKerasDefaults() {
    Map<String, VariableValue> variables = assertTwoStepsAsKeras(OptimizerSpec.RmsProp.DEFAULTS);
    assertEquals(
        Set.of("rmsprop/iteration", "rmsprop/dense.kernel_velocity", "rmsprop/dense.bias_velocity"),
        optimizerVariables(variables, "rmsprop/"));
  }

  @Test
  void rmsPropWithMomentum() {
    Map<String, VariableValue> variables =
        assertTwoStepsAsKeras(new OptimizerSpec.RmsProp(0.002, 0.8, 0.5, 1e-6));
    assertEquals(
        5, optimizerVariables(variables, "rmsprop/").size(), variables.keySet().toString());
  }

  /** Trains two steps in TensorFlow and compares every weight; returns the graph's variables. */
  private static Map<String, VariableValue> assertTwoStepsAsKeras(OptimizerSpec optimizer) {
    ModelWeights zeros =
        ModelWeights.of(SPEC, Map.of("dense/kernel", new float[4], "dense/bias", new float[2]));
    TrainingConfig config = TrainingConfig.seedRecipe().withEpochs(2).withOptimizer(optimizer);
    double[] expected = new Reference(optimizer).twoSteps();
    try (Trainer trainer = new Trainer(zeros, config)) {
      trainer.fit(ONE, ONE, new TrainingListener() {});
      float[] kernel = trainer.weights().get("dense/kernel");
      float[] bias = trainer.weights().get("dense/bias");
      float[] actual = {kernel[0], kernel[1], kernel[2], kernel[3], bias[0], bias[1]};
      for (int i = 0; i < actual.length; i++) {
        assertEquals(expected[i], actual[i], 1e-8, optimizer + ": weight " + i);
      }
      Map<String, VariableValue> variables = trainer.variables();
      String counter = KerasOptimizer.scope(optimizer) + "/iteration";
      assertEquals(2f, variables.get(counter).values()[0], "two steps counted");
      return variables;
    }
  }

  private static Set<String> optimizerVariables(Map<String, VariableValue> all, String scope) {
    return Set.copyOf(all.keySet().stream().filter(n -> n.startsWith(scope)).toList());
  }

  /**
   * Keras 3's {@code update_step}s (keras/src/optimizers/sgd.py, rmsprop.py) in double, weights as
   * [k00, k01, k10, k11, b0, b1], hyperparameters rounded to float32 as the graph's constants are.
   */
  private static final class Reference {
    private final OptimizerSpec optimizer;
    private final double[] w = new double[6];
    private final double[] velocity = new double[6];
    private final double[] momentum = new double[6];

    Reference(OptimizerSpec optimizer) {
      this.optimizer = optimizer;
    }

    double[] twoSteps() {
      step();
      step();
      return w;
    }

    private void step() {
      double[] g = gradient();
      double lr = (float) optimizer.learningRate();
      for (int i = 0; i < w.length; i++) {
        if (optimizer instanceof OptimizerSpec.Sgd sgd) {
          double beta = (float) sgd.momentum();
          if (beta == 0) {
            w[i] -= lr * g[i];
          } else {
            momentum[i] = beta * momentum[i] - lr * g[i];
            w[i] += sgd.nesterov() ? beta * momentum[i] - lr * g[i] : momentum[i];
          }
        } else if (optimizer instanceof OptimizerSpec.RmsProp rms) {
          double rho = (float) rms.rho();
          velocity[i] = rho * velocity[i] + (float) (1 - rms.rho()) * g[i] * g[i];
          double increment = lr * g[i] / Math.sqrt(velocity[i] + (float) rms.epsilon());
          double beta = (float) rms.momentum();
          momentum[i] = beta * momentum[i] + increment;
          w[i] -= beta == 0 ? increment : momentum[i];
        } else {
          throw new IllegalArgumentException("no reference for " + optimizer);
        }
      }
    }

    /** d(cross-entropy)/d(weights) at x, label 0: dz = softmax(z) - [1, 0]. */
    private double[] gradient() {
      double z0 = X[0] * w[0] + X[1] * w[2] + w[4];
      double z1 = X[0] * w[1] + X[1] * w[3] + w[5];
      double p0 = 1 / (1 + Math.exp(z1 - z0));
      double[] dz = {p0 - 1, 1 - p0};
      return new double[] {X[0] * dz[0], X[0] * dz[1], X[1] * dz[0], X[1] * dz[1], dz[0], dz[1]};
    }
  }
}
