package dev.mnistcnn.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.support.Python;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Models written by Java, read by Python TensorFlow / Keras 3.15 (issue #3, items 8a-8c). */
@Tag(Tier.PYTHON)
class JavaToKerasTest {

  @Test
  void everyFormatPredictsInPythonAsInJava() throws Exception {
    Interop.JavaModel trained = Interop.javaModel();
    JsonNode result =
        Interop.predictJson(
            Python.keras(),
            Interop.DIR.resolve("java/probs"),
            List.of(
                trained.savedModel() + "@signature",
                trained.savedModel() + "@tfsm",
                trained.keras(),
                trained.h5()));
    String[] names = {
      "Java SavedModel -> tf.saved_model.load signature", "Java SavedModel -> TFSMLayer",
      "Java .keras -> keras.models.load_model", "Java .h5 -> keras.models.load_model"
    };
    for (int i = 0; i < names.length; i++) {
      JsonNode m = result.get("models").get(i);
      Interop.assertSamePredictions(
          trained.probabilities(),
          Python.readNpy(java.nio.file.Path.of(m.get("out").asText())),
          names[i]);
    }
    for (int i = 2; i < 4; i++) {
      assertIsTheSeedSequential(result.get("models").get(i));
    }
  }

  private static void assertIsTheSeedSequential(JsonNode model) {
    assertEquals("Sequential", model.get("class_name").asText(), model.toString());
    assertEquals(225_546, model.get("total_params").asInt());
    List<String> classes =
        List.of("Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense");
    List<String> names =
        List.of(
            "conv2d",
            "max_pooling2d",
            "conv2d_1",
            "max_pooling2d_1",
            "flatten",
            "dense",
            "dense_1");
    List<String> shapes =
        List.of(
            "[null,24,24,32]",
            "[null,12,12,32]",
            "[null,10,10,64]",
            "[null,5,5,64]",
            "[null,1600]",
            "[null,128]",
            "[null,10]");
    JsonNode layers = model.get("layers");
    assertEquals(7, layers.size());
    for (int i = 0; i < 7; i++) {
      assertEquals(classes.get(i), layers.get(i).get("class_name").asText());
      assertEquals(names.get(i), layers.get(i).get("name").asText());
      assertEquals(shapes.get(i), layers.get(i).get("output_shape").toString());
    }
  }

  @Test
  void pythonContinuesTrainingTheJavaModel() throws Exception {
    Interop.JavaModel trained = Interop.javaModel();
    JsonNode fit =
        Python.runJson(
            Python.keras(),
            "fixtures/keras_tool.py",
            "fit",
            "--model",
            trained.keras(),
            "--epochs",
            "1",
            "--compile",
            "--seed",
            "1",
            "--data",
            Interop.mnistDir(),
            "--out",
            Interop.DIR.resolve("java/fit-in-python.keras"));
    double before = Interop.accuracy(trained.probabilities());
    double accuracy = fit.get("test_accuracy").asDouble();
    double firstEpochLoss = fit.get("history").get("loss").get(0).asDouble();
    System.out.printf(
        "[interop] Java .keras (test accuracy %.4f) -> Keras fit 1 epoch: loss %.4f, test accuracy"
            + " %.4f%n",
        before, firstEpochLoss, accuracy);
    assertEquals(300, fit.get("optimizer_iterations").asInt(), fit.toString());
    // Keras continues from the Java weights: from scratch its first epoch averages a loss of
    // ~0.25 (the seed's log: 0.2451); from a 5-epoch model, a few hundredths.
    assertTrue(firstEpochLoss < 0.1, "Keras's first-epoch loss from the Java model: " + fit);
    // A fresh Adam restarts at the full learning rate, so one epoch may lose a little of what the
    // model had (which differs from CPU to CPU by a few test images), but not more than that.
    assertTrue(
        accuracy >= before - 0.005,
        "accuracy after fine-tuning in Keras: " + accuracy + ", before: " + before);
  }
}
