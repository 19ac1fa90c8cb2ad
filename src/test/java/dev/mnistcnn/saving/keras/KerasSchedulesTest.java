package dev.mnistcnn.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.support.Python;
import dev.mnistcnn.train.LearningRateSchedule;
import dev.mnistcnn.train.LearningRateScheduleTest;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Our schedules' graph ops against real Keras 3's {@code keras.optimizers.schedules} over 50 steps
 * ({@code tools/fixtures/keras_schedules.py}, same settings), to 1e-7 relative.
 */
@Tag(Tier.PYTHON)
class KerasSchedulesTest {
  private static final int STEPS = 50;

  @Test
  void exponentialAndCosineDecayMatchKerasStepByStep() throws Exception {
    JsonNode keras = Python.runJson(Python.keras(), "fixtures/keras_schedules.py", STEPS);
    assertSame(new LearningRateSchedule.Exponential(1e-3f, 7, 0.5f), keras.get("exponential"));
    assertSame(new LearningRateSchedule.Cosine(1e-3f, 30, 0.1f), keras.get("cosine"));
  }

  private static void assertSame(LearningRateSchedule schedule, JsonNode keras) {
    assertEquals(STEPS, keras.size(), "Keras values");
    float[] ours = LearningRateScheduleTest.rates(schedule, LongStream.range(0, STEPS).toArray());
    for (int step = 0; step < STEPS; step++) {
      double expected = keras.get(step).asDouble();
      assertEquals(
          expected,
          ours[step],
          1e-7 * expected,
          schedule.cliName() + " at step " + step + ": Keras " + expected + ", ours " + ours[step]);
    }
  }
}
