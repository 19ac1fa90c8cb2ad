package dev.mnistcnn.serve;

import dev.mnistcnn.TestData;
import dev.mnistcnn.data.Dataset;
import dev.mnistcnn.io.Provenance;
import dev.mnistcnn.io.SavedModels;
import dev.mnistcnn.keras.KerasModelConfig;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.train.Trainer;
import dev.mnistcnn.train.TrainingConfig;
import dev.mnistcnn.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real model for the serving tests: one epoch of the seed recipe (~98% on the test set), trained
 * and exported as a SavedModel once per JVM (~15 s), deleted at exit. Public for the CLI tests.
 */
public final class TrainedModel {
  private static Path savedModel;

  private TrainedModel() {}

  public static synchronized Path savedModel() {
    if (savedModel == null) {
      try {
        savedModel = train(Files.createTempDirectory("serve-test-model"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return savedModel;
  }

  private static Path train(Path dir) throws IOException {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
    Dataset mnist = TestData.mnist();
    ModelSpec spec = ModelSpec.seedCnn();
    Path model = dir.resolve("model");
    try (Trainer trainer =
        new Trainer(spec.initialWeights(7), TrainingConfig.seedRecipe().withEpochs(1))) {
      trainer.fit(mnist.train(), mnist.test().head(1000), new TrainingListener() {});
      Provenance provenance =
          Provenance.create(
              "serve-test", Map.of(), 7L, "mnist", Map.of(), Map.of(), null,
              KerasModelConfig.toKeras3(spec), null);
      SavedModels.export(trainer.weights(), provenance, model);
    }
    return model;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is no failure
    }
  }
}
