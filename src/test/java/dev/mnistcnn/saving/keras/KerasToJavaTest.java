package dev.mnistcnn.saving.keras;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.model.ActivationFunction;
import dev.mnistcnn.model.Dense;
import dev.mnistcnn.model.Flatten;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.StoredModel;
import dev.mnistcnn.saving.ModelReader;
import dev.mnistcnn.support.Cli;
import dev.mnistcnn.support.Python;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Models written by Python Keras 3.15, read, converted and fine-tuned by Java (items 8d, 8e). */
@Tag(Tier.PYTHON)
class KerasToJavaTest {

  @Test
  void javaPredictsKerasModelsAsKerasDoes() throws Exception {
    Interop.PythonModel py = Interop.pythonModel();
    for (Path model : List.of(py.keras(), py.h5(), py.export())) {
      Interop.assertSamePredictions(
          py.probabilities().get(model),
          Interop.javaProbabilities(model),
          "Keras " + model.getFileName() + " -> Java");
    }
  }

  @Test
  void conversionsKeepEveryWeightBitForBit() throws Exception {
    Interop.PythonModel py = Interop.pythonModel();
    Path dir = Interop.fresh("convert");
    Path keras = dir.resolve("from-keras.keras");
    Path h5 = dir.resolve("from-keras.h5");
    Path fromH5 = dir.resolve("from-h5.keras");
    Path fromExport = dir.resolve("from-export.keras");
    Cli.runOk("convert", "--input", py.keras(), "--output", keras);
    Cli.runOk("convert", "--input", py.keras(), "--output", h5);
    Cli.runOk("convert", "--input", py.h5(), "--output", fromH5);
    Cli.runOk("export", "--model", py.export(), "--format", "keras", "--output", fromExport);
    JsonNode same =
        Python.runJson(
            Python.keras(),
            "fixtures/keras_interop.py",
            "same-weights",
            py.keras(),
            keras,
            h5,
            fromH5,
            fromExport);
    for (Path p : List.of(keras, h5, fromH5, fromExport)) {
      assertTrue(same.get("same").get(p.toString()).asBoolean(), p + " weights differ: " + same);
    }
    StoredModel converted = ModelReader.read(keras, null);
    assertTrue(converted.provenance().origin().startsWith("mnist-cnn convert from"));
    assertTrue(
        converted.provenance().parent().origin().contains("Keras 3.15.1"),
        converted.provenance().toJson());
  }

  @Test
  void fineTunedInJavaLoadsInKeras() throws Exception {
    Interop.PythonModel py = Interop.pythonModel();
    Path dir = Interop.fresh("finetune");
    Path tuned = dir.resolve("tuned.keras");
    Cli.runOk(
        "train",
        "--from",
        py.keras(),
        "--epochs",
        "1",
        "--data",
        Interop.mnistDir(),
        "--output",
        tuned);
    StoredModel stored = ModelReader.read(tuned, null);
    assertTrue(stored.provenance().origin().startsWith("mnist-cnn train --from"));
    assertTrue(stored.provenance().parent().origin().contains(".keras file seed.keras"));
    float[] java = Interop.javaProbabilities(tuned);
    float[] python =
        Interop.predictInPython(Python.keras(), dir.resolve("probs"), List.of(tuned)).get(0);
    Interop.assertSamePredictions(
        java, python, "Keras .keras -> Java fine-tune -> .keras -> Keras");
  }

  @Test
  void exportedSavedModelThatDoesNotFitTheSpecIsRefused() throws Exception {
    Path export = Interop.pythonModel().export();
    ModelSpec small =
        new ModelSpec(
            "small",
            List.of(28, 28, 1),
            List.of(new Flatten(), new Dense(10, ActivationFunction.SOFTMAX)));
    IOException e = assertThrows(IOException.class, () -> ModelReader.read(export, small));
    assertTrue(e.getMessage().contains("do not fit the model 'small'"), e.getMessage());
    assertTrue(e.getMessage().contains("[5, 5, 1, 32]"), e.getMessage());
  }
}
