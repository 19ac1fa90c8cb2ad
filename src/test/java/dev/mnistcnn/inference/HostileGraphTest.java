package dev.mnistcnn.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.saving.ModelReader;
import dev.mnistcnn.saving.savedmodel.CraftedSavedModels;
import dev.mnistcnn.saving.savedmodel.ModelTrust;
import dev.mnistcnn.saving.savedmodel.UntrustedModelException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;

/**
 * SavedModels of allowlisted ops only that crashed the JVM natively or were trusted blindly: graph
 * depth and call cycles are refused before TensorFlow sees them, signatures are checked against the
 * graph and the first run, and nothing ends in a native crash, an {@code OutOfMemoryError} or a
 * class cast.
 */
@Tag(Tier.FAST)
class HostileGraphTest {
  @TempDir Path tmp;

  private static String refused(Path model, ModelTrust trust) {
    InferenceException e =
        assertThrows(InferenceException.class, () -> Predictor.open(model, trust).close());
    assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    return e.getMessage();
  }

  private static float[] someDigits() {
    return TestData.mnist().test().imagesAsFloats(0, 3);
  }

  @Test
  void sixThousandIdentitiesInARowAreRefusedBeforeLoading() throws Exception {
    Path chain = CraftedSavedModels.identityChain(tmp.resolve("chain"), 6_000);
    String m = refused(chain, ModelTrust.CHECKED);
    assertTrue(m.contains("6003 nodes deep, more than 1000") || m.contains("nodes deep"), m);
    assertTrue(m.contains("--trust-model"), m);
    assertInstanceOf(
        UntrustedModelException.class,
        assertThrows(Exception.class, () -> ModelReader.read(chain, null)));
  }

  @Test
  void trustedDeepChainRunsOnTheLargeStackInsteadOfCrashing() throws Exception {
    Path chain = CraftedSavedModels.identityChain(tmp.resolve("chain"), 6_000);
    float[] images = someDigits();
    try (Predictor shipped = Predictor.open(TestData.shippedModel());
        Predictor trusted = Predictor.open(chain, ModelTrust.TRUSTED)) {
      // the first call of a new thread: the session was already run once at open
      assertArrayEquals(shipped.probabilities(images, 3), trusted.probabilities(images, 3));
    }
  }

  @Test
  void aFunctionCallingItselfIsRefused() throws Exception {
    String m =
        refused(CraftedSavedModels.selfCallingFunction(tmp.resolve("loop")), ModelTrust.CHECKED);
    assertTrue(m.contains("function 'loop' calls itself"), m);
  }

  @Test
  void signatureShapesThatTheGraphDoesNotComputeAreRefused() throws Exception {
    for (ModelTrust trust : ModelTrust.values()) {
      String huge =
          refused(
              CraftedSavedModels.outputShape(tmp.resolve("huge" + trust), -1, 100_000_000), trust);
      assertTrue(huge.contains("2 to 65536 classes"), huge);
      String wrong =
          refused(CraftedSavedModels.outputShape(tmp.resolve("w" + trust), -1, 20), trust);
      assertTrue(wrong.contains("but the graph computes DT_FLOAT [-1, 10]"), wrong);
      String constant = refused(CraftedSavedModels.constantOutput(tmp.resolve("c" + trust)), trust);
      assertTrue(constant.contains("but the graph computes DT_FLOAT [10]"), constant);
    }
  }

  @Test
  void signatureTypeThatTheGraphDoesNotComputeIsRefused() throws Exception {
    Path ints = CraftedSavedModels.outputType(tmp.resolve("int"), DataType.DT_INT32);
    String checked = refused(ints, ModelTrust.CHECKED);
    assertTrue(checked.contains("as DT_INT32 but the graph computes DT_FLOAT"), checked);
    String trusted = refused(ints, ModelTrust.TRUSTED);
    assertTrue(trusted.contains("expected DT_FLOAT [-1, classes]"), trusted);
  }
}
