package dev.mnistcnn.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.data.Split;
import dev.mnistcnn.graph.SessionConfigs;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.ModelReader;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Batches larger than {@link Predictor#CHUNK} run as several session runs: every image's
 * probabilities must land at its own position, whatever the chunk boundaries. Runs of up to {@link
 * Predictor#SMALL_RUN} images go to a one-thread session of the same model (the build's tests run
 * with per-session pools, as the command line does), so single images and batches here also check
 * that the two sessions agree.
 */
@Tag(Tier.FAST)
class PredictorBatchTest {
  /** Different kernels may serve a batch and a single image: allow float round-off only. */
  private static final float TOLERANCE = 1e-5f;

  @Test
  void chunkedBatchesMatchImageByImagePredictions() throws Exception {
    Split test = TestData.mnist().test();
    int count = 2 * Predictor.CHUNK + 45; // two full chunks and a partial one
    float[] images = test.imagesAsFloats(0, count);
    try (Predictor predictor = Predictor.open(TestData.shippedModel())) {
      List<Prediction> batch = predictor.predictBatch(images, count);
      assertEquals(count, batch.size());
      int correct = 0;
      for (int i = 0; i < count; i++) {
        Prediction single = predictor.predict(test.imagesAsFloats(i, 1));
        assertEquals(single.digit(), batch.get(i).digit(), "image " + i);
        for (int c = 0; c < predictor.classes(); c++) {
          assertEquals(
              single.probabilities()[c],
              batch.get(i).probabilities()[c],
              TOLERANCE,
              "image " + i + " class " + c);
        }
        correct += batch.get(i).digit() == test.label(i) ? 1 : 0;
      }
      // The shipped model reads 99.28% of the test set: these are real predictions, not zeros.
      assertTrue(correct >= 0.97 * count, correct + " of " + count + " correct");
    }
  }

  @Test
  void batchesOfExactlyOneChunkAndOneMoreAgree() throws Exception {
    Split test = TestData.mnist().test();
    int count = Predictor.CHUNK + 1;
    try (Predictor predictor = Predictor.open(TestData.shippedModel())) {
      float[] probabilities = predictor.probabilities(test.imagesAsFloats(0, count), count);
      float[] firstChunk =
          predictor.probabilities(test.imagesAsFloats(0, Predictor.CHUNK), Predictor.CHUNK);
      float[] last = predictor.probabilities(test.imagesAsFloats(Predictor.CHUNK, 1), 1);
      int classes = predictor.classes();
      for (int i = 0; i < firstChunk.length; i++) {
        assertEquals(firstChunk[i], probabilities[i], TOLERANCE, "value " + i);
      }
      for (int c = 0; c < classes; c++) {
        assertEquals(last[c], probabilities[Predictor.CHUNK * classes + c], TOLERANCE);
      }
    }
  }

  @Test
  void smallRunsHaveAOneThreadSessionWhereSessionsHaveTheirOwnPools() throws Exception {
    // Surefire sets TF_OVERRIDE_GLOBAL_THREADPOOL=1; a one-core machine would need no second lane.
    boolean expected =
        SessionConfigs.perSessionPools()
            && SessionConfigs.inference().getIntraOpParallelismThreads() > 1;
    assertTrue(
        SessionConfigs.perSessionPools(), "the tests run without per-session pools: check the pom");
    try (Predictor saved = Predictor.open(TestData.shippedModel())) {
      assertEquals(expected, saved.hasOneThreadLane(), "SavedModel");
      ModelWeights weights = ModelReader.readWeights(TestData.shippedModel());
      try (Predictor rebuilt = Predictor.fromWeights(weights, "weights in memory")) {
        assertEquals(expected, rebuilt.hasOneThreadLane(), "graph built from the weights");
        Split test = TestData.mnist().test();
        float[] four = test.imagesAsFloats(0, Predictor.SMALL_RUN);
        float[] a = saved.probabilities(four, Predictor.SMALL_RUN);
        float[] b = rebuilt.probabilities(four, Predictor.SMALL_RUN);
        for (int i = 0; i < a.length; i++) {
          assertEquals(a[i], b[i], TOLERANCE, "value " + i);
        }
      }
    }
  }

  @Test
  void wrongLengthsAreRefusedBeforeAnyRun() throws Exception {
    try (Predictor predictor = Predictor.open(TestData.shippedModel())) {
      float[] twoImages = new float[2 * Predictor.IMAGE_SIZE];
      assertThrows(IllegalArgumentException.class, () -> predictor.predictBatch(twoImages, 3));
      assertThrows(IllegalArgumentException.class, () -> predictor.predictBatch(twoImages, 0));
    }
  }
}
