package dev.mnistcnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mnistcnn.Tier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The schedules' graph ops at several steps against Keras's formulas worked by hand, and the step
 * Adam hands them: its iteration count before the update, 0 on the first step (as Keras's optimizer
 * passes {@code iterations} before incrementing it).
 */
@Tag(Tier.FAST)
public class LearningRateScheduleTest {

  @Test
  void constantIsTheRateAtEveryStep() {
    assertRates(
        new LearningRateSchedule.Constant(1e-3f), new long[] {0, 1, 10_000}, 1e-3, 1e-3, 1e-3);
  }

  @Test
  void exponentialDecaysByTheRateEveryDecaySteps() {
    // lr0 * 0.5^(step / 100): 1e-3 at 0, 1e-3 * 2^-0.5 at 50, halved at 100, quartered at 200.
    assertRates(
        new LearningRateSchedule.Exponential(1e-3f, 100, 0.5f),
        new long[] {0, 50, 100, 200, 1},
        1e-3,
        7.0710678e-4,
        5e-4,
        2.5e-4,
        9.9309249e-4); // 1e-3 * 0.5^0.01 = 1e-3 * exp(-0.00693147)
  }

  @Test
  void cosineFallsToAlphaTimesTheRateAndStaysThere() {
    // alpha 0: 0.5 * (1 + cos(pi s / 100)): 1, 0.5 at 50, 0 at 100 and after (s = min(step, 100)).
    assertRates(
        new LearningRateSchedule.Cosine(1e-3f, 100, 0f),
        new long[] {0, 50, 100, 250},
        1e-3,
        5e-4,
        0,
        0);
    // alpha 0.1: 0.9 * 0.5 * (1 + cos(pi / 4)) + 0.1 = 0.9 * 0.85355339 + 0.1 = 0.86819805 at 25.
    assertRates(
        new LearningRateSchedule.Cosine(1e-3f, 100, 0.1f),
        new long[] {0, 25, 50, 100, 1000},
        1e-3,
        8.6819805e-4,
        5.5e-4,
        1e-4,
        1e-4);
  }

  @Test
  void theFirstTrainingStepUsesTheRateAtStepZero() {
    // AdamStepTest's one-example model and step: kernel[0][0] moves by lr * 0.99999372294 when the
    // schedule sees iteration 0 (lr = 1e-3); a schedule fed t = 1 would give half that.
    TrainingConfig config =
        TrainingConfig.seedRecipe()
            .withEpochs(1)
            .withSchedule(new LearningRateSchedule.Exponential(1e-3f, 1, 0.5f));
    try (Trainer trainer = new Trainer(AdamStepTest.zeroDense(), config)) {
      trainer.fit(AdamStepTest.ONE_EXAMPLE, AdamStepTest.ONE_EXAMPLE, new TrainingListener() {});
      assertEquals(9.9999372294e-4, trainer.weights().get("dense/kernel")[0], 1e-9);
    }
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new LearningRateSchedule.Exponential(1e-3f, 0, 0.9f));
    assertThrows(
        IllegalArgumentException.class, () -> new LearningRateSchedule.Exponential(1e-3f, 10, 0f));
    assertThrows(
        IllegalArgumentException.class, () -> new LearningRateSchedule.Cosine(1e-3f, 10, 1.5f));
    assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule.Constant(0f));
  }

  @Test
  void theScheduleIsPartOfTheRecipeProvenance() {
    TrainingConfig seed = TrainingConfig.seedRecipe();
    TrainingConfig decayed = seed.withSchedule(new LearningRateSchedule.Cosine(1e-3f, 300, 0f));
    // A constant rate is the optimizer's learning_rate: the seed's description keeps exactly the
    // keys earlier builds wrote, so their checkpoints still resume and provenance reads alike.
    assertEquals(
        List.of(
            "epochs",
            "batch_size",
            "training_images_limit",
            "shuffle",
            "loss",
            "optimizer",
            "initializers",
            "validation_data",
            "precision",
            "deterministic"),
        List.copyOf(seed.describe().keySet()));
    assertEquals(
        Map.of(
            "CosineDecay",
            Map.of("initial_learning_rate", 1e-3f, "decay_steps", 300L, "alpha", 0f)),
        decayed.describe().get("learning_rate_schedule"));
  }

  @Test
  void aScheduleStartsFromTheOptimizersLearningRate() {
    TrainingConfig decayed =
        TrainingConfig.seedRecipe()
            .withSchedule(new LearningRateSchedule.Exponential(1e-3f, 300, 0.5f));
    // --optimizer sgd after the recipe's schedule: the schedule follows SGD's 0.01, as a Keras
    // schedule passed as learning_rate= would be written for it.
    TrainingConfig sgd = decayed.withOptimizer(OptimizerSpec.Sgd.DEFAULTS);
    assertEquals(new LearningRateSchedule.Exponential(0.01f, 300, 0.5f), sgd.schedule());
    assertEquals(0.01f, sgd.learningRate());
    // A schedule that does not start at the optimizer's rate is a contradiction, refused.
    assertThrows(
        IllegalArgumentException.class,
        () -> sgd.withSchedule(new LearningRateSchedule.Constant(1e-3f)));
  }

  /** The schedule's op at each step equals the hand value (float32 arithmetic: 1e-6 relative). */
  private static void assertRates(LearningRateSchedule schedule, long[] steps, double... expected) {
    float[] graph = rates(schedule, steps);
    for (int i = 0; i < steps.length; i++) {
      double tolerance = 1e-6 * Math.max(expected[i], 1e-3);
      assertEquals(expected[i], graph[i], tolerance, "graph op at step " + steps[i]);
      assertEquals(expected[i], schedule.value(steps[i]), tolerance, "Java at step " + steps[i]);
    }
  }

  /** Runs {@code schedule.at} in a real graph once per step. */
  public static float[] rates(LearningRateSchedule schedule, long[] steps) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> step =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      Operand<TFloat32> rate = schedule.at(tf, step);
      float[] out = new float[steps.length];
      try (Session s = new Session(g)) {
        for (int i = 0; i < steps.length; i++) {
          try (TFloat32 t = TFloat32.scalarOf((float) steps[i]);
              Result r = s.runner().feed(step, t).fetch(rate).run()) {
            out[i] = ((TFloat32) r.get(0)).getFloat();
          }
        }
      }
      return out;
    }
  }
}
