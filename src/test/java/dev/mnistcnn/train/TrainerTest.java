package dev.mnistcnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.data.Dataset;
import dev.mnistcnn.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {

  @Test
  void oneEpochOnTenThousandImagesReachesNinetyFivePercent() {
    Dataset mnist = TestData.mnist();
    TrainingConfig config = TrainingConfig.seedRecipe().withEpochs(1).withLimit(10_000);
    List<Integer> steps = new ArrayList<>();
    try (Trainer trainer = new Trainer(ModelSpec.seedCnn().initialWeights(1), config)) {
      List<EpochMetrics> history =
          trainer.fit(
              mnist.train(),
              mnist.test(),
              new TrainingListener() {
                @Override
                public void onStepEnd(int step, int total, double loss, double accuracy) {
                  steps.add(step);
                }
              });
      assertEquals(1, history.size());
      assertEquals(50, steps.size(), "10,000 images in batches of 200");
      EpochMetrics m = history.get(0);
      assertTrue(m.valAccuracy() >= 0.95, "validation accuracy " + m.valAccuracy());
      assertTrue(m.loss() < 1.0 && m.valLoss() < 0.2, m.kerasLine());
      LossAndAccuracy test = trainer.evaluate(mnist.test());
      assertEquals(10_000, test.samples());
      assertEquals(m.valAccuracy(), test.accuracy(), 1e-9, "evaluate matches validation");
    }
  }
}
