package dev.mnistcnn.cli;

import dev.mnistcnn.graph.RuntimeVersions;
import dev.mnistcnn.model.StoredModel;
import dev.mnistcnn.saving.ModelFormat;
import dev.mnistcnn.saving.ModelReader;
import dev.mnistcnn.saving.ModelWriter;
import dev.mnistcnn.saving.keras.KerasModelConfig;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.saving.savedmodel.ModelTrust;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Reads a model in one format and writes it in another, weights untouched, provenance chained. */
final class ModelConversion {
  private ModelConversion() {}

  static void run(
      String command,
      Path input,
      ModelTrust trust,
      Path output,
      String formatName,
      SpecOption spec,
      OutputCheck check,
      PrintWriter out)
      throws IOException {
    Path target = check.require(output, input);
    ModelFormat format =
        ModelFormat.forOutput(
            target, formatName == null ? null : ModelFormat.fromCliName(formatName));
    StoredModel source = ModelReader.read(input, spec.load(), trust);
    Provenance provenance =
        Provenance.derived(
            RuntimeVersions.current(),
            "mnist-cnn " + command + " from " + input,
            KerasModelConfig.toKeras3(source.weights().spec()),
            source.provenance());
    ModelWriter.write(source.weights(), provenance, target, format, check.force);
    out.println("Wrote " + format.cliName() + " model to " + output);
    out.flush();
  }
}
