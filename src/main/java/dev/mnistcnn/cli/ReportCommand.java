package dev.mnistcnn.cli;

import dev.mnistcnn.data.Dataset;
import dev.mnistcnn.files.OsPaths;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.model.StoredModel;
import dev.mnistcnn.report.ReportWriter;
import dev.mnistcnn.report.TestSetResults;
import dev.mnistcnn.saving.ModelReader;
import dev.mnistcnn.saving.OutputPolicy;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code report}: an HTML page with a model's curves, confusion matrix, errors and provenance. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Writes a self-contained HTML report of a model on the test set into a folder:"
            + " training curves, confusion matrix, per-class precision and recall, the most"
            + " confidently wrong digits, provenance.")
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelOption model;

  @Mixin DataOptions data;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description =
          "Folder for index.html and its PNGs: new, empty, or a report written here before"
              + " (replaced atomically).")
  Path output;

  @Option(
      names = "--errors",
      defaultValue = "25",
      paramLabel = "N",
      description = "How many of the most confidently wrong digits to show (default: 25).")
  int errors;

  @Override
  public Integer call() throws Exception {
    if (errors < 0 || errors > 1000) {
      throw new IllegalArgumentException("--errors must be between 0 and 1000, got " + errors);
    }
    Path target = OsPaths.resolve(output); // checked and written: the same path
    OutputPolicy.requireApart(target, model.path);
    ReportWriter.requireReplaceable(target); // before the work, so that it is not wasted
    StoredModel stored = ModelReader.read(model.path, null, model.trust());
    Dataset dataset = data.load(spec.commandLine().getErr());
    TestSetResults results;
    try (Predictor predictor = Predictor.fromWeights(stored.weights(), model.path.toString())) {
      results = TestSetResults.of(predictor, dataset.test(), errors);
    }
    ReportWriter.write(
        target,
        model.path.toString(),
        dataset.kind().cliName(),
        dataset.kind().classNames(),
        stored.provenance(),
        results);
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "Accuracy %.2f%% on %,d test images; wrote %s%n",
            100 * results.evaluation().accuracy(),
            results.evaluation().samples(),
            output.resolve(ReportWriter.INDEX));
    return 0;
  }
}
