package dev.mnistcnn.cli;

import dev.mnistcnn.data.Dataset;
import dev.mnistcnn.data.Split;
import dev.mnistcnn.inference.Evaluation;
import dev.mnistcnn.inference.Prediction;
import dev.mnistcnn.inference.Predictor;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evaluate}: accuracy, loss, per-class precision/recall and the confusion matrix. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Evaluates a model on the test set: accuracy, loss, per-class precision and"
            + " recall, confusion matrix.")
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DataOptions data;

  @Mixin ModelOption model;

  @Option(names = "--json", description = "Print one JSON object instead of tables.")
  boolean json;

  @Option(
      names = "--batch-size",
      defaultValue = "1000",
      description = "Images per inference call (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
    }
    PrintWriter out = spec.commandLine().getOut();
    Evaluation result;
    Dataset dataset;
    try (Predictor predictor =
        Predictor.open(model.path, model.trust())) { // a bad model fails before data loads
      dataset = data.load(spec.commandLine().getErr());
      result = evaluate(predictor, dataset.test(), batchSize);
    }
    if (json) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("model", model.path.toString());
      m.put("dataset", dataset.kind().cliName());
      m.putAll(result.toMap());
      JsonOutput.print(out, m);
    } else {
      printTables(out, dataset, result);
    }
    return 0;
  }

  static Evaluation evaluate(Predictor predictor, Split data, int batchSize) {
    Evaluation.Builder builder = new Evaluation.Builder(predictor.classes());
    for (int from = 0; from < data.count(); from += batchSize) {
      int n = Math.min(batchSize, data.count() - from);
      List<Prediction> predictions = predictor.predictBatch(data.imagesAsFloats(from, n), n);
      for (int i = 0; i < n; i++) {
        builder.add(predictions.get(i), data.label(from + i));
      }
    }
    return builder.build();
  }

  private void printTables(PrintWriter out, Dataset dataset, Evaluation r) {
    out.printf(
        Locale.ROOT,
        "Model %s on the %s test set (%,d images)%n",
        model.path,
        dataset.kind().cliName(),
        r.samples());
    out.printf(
        Locale.ROOT,
        "accuracy: %.2f%%  loss: %.4f  CNN Error: %.2f%%%n%n",
        100 * r.accuracy(),
        r.loss(),
        100 * (1 - r.accuracy()));
    out.println("class          precision  recall");
    List<String> names = dataset.kind().classNames();
    for (int c = 0; c < r.classes(); c++) {
      out.printf(
          Locale.ROOT,
          "%-12s  %8.2f%%  %6.2f%%%n",
          names.get(c),
          100 * r.precision(c),
          100 * r.recall(c));
    }
    out.println();
    out.println("Confusion matrix (rows: true class, columns: predicted class)");
    StringBuilder header = new StringBuilder("      ");
    for (int c = 0; c < r.classes(); c++) {
      header.append(String.format(Locale.ROOT, "%6d", c));
    }
    out.println(header);
    for (int t = 0; t < r.classes(); t++) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%6d", t));
      for (int p = 0; p < r.classes(); p++) {
        row.append(String.format(Locale.ROOT, "%6d", r.confusionMatrix()[t][p]));
      }
      out.println(row);
    }
    out.flush();
  }
}
