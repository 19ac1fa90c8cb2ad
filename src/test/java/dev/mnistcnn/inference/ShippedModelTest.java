package dev.mnistcnn.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.data.Split;
import dev.mnistcnn.saving.provenance.Provenance;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The model in the repository is what the README says it is. */
@Tag(Tier.FAST)
class ShippedModelTest {

  @Test
  void shippedModelReachesTheSeedAccuracyOnTheFullTestSet() throws Exception {
    Split test = TestData.mnist().test();
    Evaluation.Builder builder = new Evaluation.Builder(10);
    try (Predictor predictor = Predictor.open(TestData.shippedModel())) {
      for (int from = 0; from < test.count(); from += 1000) {
        var predictions = predictor.predictBatch(test.imagesAsFloats(from, 1000), 1000);
        for (int i = 0; i < 1000; i++) {
          builder.add(predictions.get(i), test.label(from + i));
        }
      }
    }
    Evaluation e = builder.build();
    assertEquals(10_000, e.samples());
    assertTrue(e.accuracy() >= 0.9919, "shipped model accuracy " + e.accuracy());
  }

  @Test
  void shippedModelRecordsHowItWasMade() throws Exception {
    Provenance p = Provenance.readIfPresent(TestData.shippedModel().resolve(Provenance.FILE_NAME));
    assertNotNull(p, "provenance.json");
    assertEquals("mnist-cnn train", p.origin());
    assertEquals(TestData.mnist().sha256(), p.dataset().sha256());
    assertNotNull(p.trainer().seed());
    assertEquals(10, p.trainer().recipe().get("epochs"));
    assertEquals(200, p.trainer().recipe().get("batch_size"));
    assertNotNull(p.selection(), "how the shipped run was chosen");
    assertTrue(p.results().testAccuracy() >= 0.9919);
  }

  @Test
  void idxRecordsArePredictedAsTheyWereTrained() throws Exception {
    var idx =
        dev.mnistcnn.data.IdxReader.read(
            TestData.projectDir().resolve("mnist-data/t10k-images-idx3-ubyte"));
    try (Predictor predictor = Predictor.open(TestData.shippedModel())) {
      var predictions = predictor.predictBatch(idx.imagesAsFloats(0, 5), 5);
      assertEquals(
          java.util.List.of(7, 2, 1, 0, 4), predictions.stream().map(Prediction::digit).toList());
      float[] viaSplit = TestData.mnist().test().imagesAsFloats(3, 2);
      org.junit.jupiter.api.Assertions.assertArrayEquals(viaSplit, idx.imagesAsFloats(3, 2));
    }
    var labels =
        dev.mnistcnn.data.IdxReader.read(
            TestData.projectDir().resolve("mnist-data/t10k-labels-idx1-ubyte"));
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> labels.imagesAsFloats(0, 1));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("28x28"), e.getMessage());
  }
}
