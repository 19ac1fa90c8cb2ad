package dev.mnistcnn.saving.keras;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.saving.ModelReader;
import dev.mnistcnn.support.Python;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Keras 3.3.3, the oldest Keras 3 checked (item 8f). Files it wrote (uncompiled, under 1 MB, in
 * src/test/resources) are always read here; our files are loaded by it when its venv exists ({@code
 * tools/setup/setup_venv.sh --keras-old}).
 */
@Tag(Tier.PYTHON)
class OldKerasTest {
  private static final Path RESOURCES =
      TestData.projectDir().resolve("src/test/resources/keras-3.3.3");

  @Test
  void javaReadsFilesKeras333Wrote() throws Exception {
    float[] expected = Python.readNpy(RESOURCES.resolve("probs-first100.npy"));
    float[] images = TestData.mnist().test().imagesAsFloats(0, 100);
    for (String name : List.of("seed-untrained.keras", "seed-untrained.h5")) {
      Path file = RESOURCES.resolve(name);
      try (Predictor p = Predictor.fromWeights(ModelReader.readWeights(file), name)) {
        Interop.assertSamePredictions(
            expected, p.probabilities(images, 100), "Keras 3.3.3 " + name + " -> Java");
      }
    }
  }

  @Test
  void keras333LoadsOurFiles() throws Exception {
    Path python = Python.oldKeras();
    assertNotNull(
        python,
        "no tools/.venv-keras-old: tools/setup.sh creates it (tools/setup/setup_venv.sh --keras-old)");
    Interop.JavaModel trained = Interop.javaModel();
    List<float[]> probs =
        Interop.predictInPython(
            python,
            Interop.DIR.resolve("java/probs-keras-3.3.3"),
            List.of(trained.keras(), trained.h5(), trained.savedModel() + "@tfsm"));
    String[] names = {
      "Java .keras -> Keras 3.3.3",
      "Java .h5 -> Keras 3.3.3",
      "Java SavedModel -> Keras 3.3.3 TFSMLayer"
    };
    for (int i = 0; i < names.length; i++) {
      Interop.assertSamePredictions(trained.probabilities(), probs.get(i), names[i]);
    }
  }
}
